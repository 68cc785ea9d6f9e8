import { readFile } from 'node:fs/promises';
import { isAbortError, PipelaneError, type FileItem, type TextItem } from '../../../src/node-kit/index.js';

/** The name provenance uses: the source the item already names, else the file name. */
export function sourceOf(item: FileItem | TextItem): string | undefined {
  if (typeof item.meta.source === 'string') return item.meta.source;
  return 'name' in item ? item.name : undefined;
}

/** A file item's bytes: carried inline, or read from its path. */
export async function fileBytes(file: FileItem, signal: AbortSignal, nodeType: string): Promise<Uint8Array> {
  if (file.bytes !== undefined) return file.bytes;
  try {
    return new Uint8Array(await readFile(file.path!, { signal }));
  } catch (error) {
    if (isAbortError(error) || signal.aborted) throw error;
    throw new PipelaneError('PARSE_UNREADABLE', `${nodeType} cannot read "${file.path}": ${(error as Error).message}.`, {
      hint: 'Give a file that exists and that pipelane may read, or pass its bytes.',
      cause: error,
    });
  }
}

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as (utf-8, utf-16le, windows-1252, ...). */
  encoding: string;
}

/**
 * Bytes to text: a byte order mark wins, then a charset the document declares (html), then strict
 * UTF-8; bytes that are not UTF-8 are read as windows-1252, the usual encoding of such files
 * (spreadsheet exports, old web pages), and the encoding is reported so the node can warn.
 */
export function decodeBytes(bytes: Uint8Array, declaredCharset?: string): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeAs(bytes.subarray(3), 'utf-8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeAs(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeAs(bytes.subarray(2), 'utf-16be');
  if (declaredCharset !== undefined && !/^utf-?8$/i.test(declaredCharset)) {
    try {
      return decodeAs(bytes, declaredCharset.toLowerCase());
    } catch {
      // an unknown label: carry on with the sniffing below
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return decodeAs(bytes, 'windows-1252');
  }
}

function decodeAs(bytes: Uint8Array, encoding: string): DecodedText {
  return { text: new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes), encoding };
}

/**
 * The text of an item on the `text` lane (as given, BOM removed) or on the `file` lane (decoded),
 * with a warning when the bytes were not UTF-8.
 */
export async function textOf(
  item: FileItem | TextItem,
  options: { signal: AbortSignal; nodeType: string; warn: (message: string) => void; declaredCharset?: (bytes: Uint8Array) => string | undefined },
): Promise<string> {
  if ('text' in item) return item.text.startsWith('\uFEFF') ? item.text.slice(1) : item.text;
  const bytes = await fileBytes(item, options.signal, options.nodeType);
  const { text, encoding } = decodeBytes(bytes, options.declaredCharset?.(bytes));
  if (encoding === 'windows-1252') options.warn(`"${sourceOf(item) ?? item.name}" is not UTF-8; read it as windows-1252.`);
  return text;
}

