import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';

export interface DetectedType {
  mime: string;
  /** The decoded text when the bytes are valid UTF-8 text (so it is decoded only once). */
  text?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const textMimeByExtension: Record<string, string> = {
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.txt': 'text/plain',
};

/**
 * The mime type of some bytes: magic numbers first (png, jpeg, tiff, gif, webp, pdf, wav, mp3, mp4
 * and whatever else file-type knows), then, for bytes that decode as UTF-8, the kind of text by
 * extension or by look. Anything else is application/octet-stream.
 */
export async function detectMime(bytes: Uint8Array, name: string): Promise<DetectedType> {
  const magic = await fileTypeFromBuffer(bytes);
  if (magic !== undefined && magic.mime !== 'application/xml') return { mime: magic.mime };
  const text = decodeText(bytes);
  if (text === undefined) return { mime: magic?.mime ?? 'application/octet-stream' };
  return { mime: magic?.mime ?? textMime(text, name), text };
}

/**
 * UTF-8 text without NUL bytes, BOM removed; undefined for anything else. `partial` bytes are the
 * start of a longer input: a character cut at their end is not an error.
 */
export function decodeText(bytes: Uint8Array, { partial = false } = {}): string | undefined {
  let text: string;
  try {
    text = partial ? new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true }) : utf8.decode(bytes);
  } catch {
    return undefined; // not UTF-8: binary
  }
  return text.includes('\u0000') ? undefined : text;
}

/**
 * For a source that takes only text: undefined when the bytes are UTF-8 text, else their mime type
 * (application/octet-stream when no magic number matches). Text wins over short magic numbers
 * ("BMW …" is not a BMP, "MZ …" not an .exe), but a PDF is a PDF even when its bytes are ASCII.
 */
export async function nonTextMime(bytes: Uint8Array, { partial = false } = {}): Promise<string | undefined> {
  const magic = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (magic?.mime !== 'application/pdf' && decodeText(bytes, { partial }) !== undefined) return undefined;
  return magic?.mime ?? 'application/octet-stream';
}

export function textMime(text: string, name: string): string {
  const byExtension = textMimeByExtension[path.extname(name).toLowerCase()];
  if (byExtension !== undefined) return byExtension;
  const start = text.trimStart().slice(0, 200).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'text/html';
  if (looksLikeJson(text)) return 'application/json';
  if (looksLikeMarkdown(text)) return 'text/markdown';
  return 'text/plain';
}

function looksLikeJson(text: string): boolean {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return false;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** A heading, a code fence or a link: plain prose rarely has any of them. */
function looksLikeMarkdown(text: string): boolean {
  return /^#{1,6}\s+\S/m.test(text) || /^(```|~~~)/m.test(text) || /\[[^\]\n]+\]\([^)\s]+\)/.test(text);
}
