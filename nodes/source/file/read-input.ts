import path from 'node:path';
import { PipelaneError, type RunInput } from '../../../src/node-kit/index.js';
import { formatBytes, readInputFile, statInputFile } from '../shared/input-file.js';

export interface LoadedInput {
  /** File name without directories, for provenance. */
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  path?: string;
  /** Literal text given with `--text`: always the text lane, never sniffed. */
  literalText?: string;
}

/**
 * Turns a run input into bytes, with a typed error for each way it can be wrong. A path is checked
 * with stat before it is read, so a huge file is refused without reading it.
 */
export async function loadInput(input: RunInput, maxBytes: number, signal: AbortSignal): Promise<LoadedInput> {
  if (input.text !== undefined) {
    const bytes = new TextEncoder().encode(input.text);
    const name = input.name ?? 'text';
    checkSize(name, bytes.byteLength, maxBytes);
    return { name, bytes, literalText: input.text };
  }
  if (input.bytes !== undefined) {
    const name = input.name ?? 'input';
    checkSize(name, input.bytes.byteLength, maxBytes);
    return { name, bytes: onArrayBuffer(input.bytes) };
  }
  if (input.path !== undefined) return loadPath(input.path, input.name, maxBytes, signal);
  throw new PipelaneError('INPUT_MISSING', 'source.file got no input: neither a file path, bytes nor text.', {
    hint: 'Pass a file (CLI --input <file>, MCP input) or text (CLI --text, MCP text).',
  });
}

async function loadPath(filePath: string, givenName: string | undefined, maxBytes: number, signal: AbortSignal): Promise<LoadedInput> {
  const name = givenName ?? path.basename(filePath);
  checkSize(name, await statInputFile(filePath), maxBytes);
  const bytes = onArrayBuffer(await readInputFile(filePath, signal));
  checkSize(name, bytes.byteLength, maxBytes); // it may have changed since stat
  return { name, bytes, path: filePath };
}

/** Lane payloads hold bytes on a plain ArrayBuffer; bytes on a SharedArrayBuffer are copied. */
function onArrayBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

function checkSize(name: string, size: number, maxBytes: number): void {
  if (size === 0) {
    throw new PipelaneError('INPUT_EMPTY', `Input "${name}" is empty (0 bytes).`, { hint: 'Give a file or text with content.' });
  }
  if (size > maxBytes) {
    throw new PipelaneError('INPUT_TOO_LARGE', `Input "${name}" is ${formatBytes(size)}, more than maxBytes ${formatBytes(maxBytes)}.`, {
      hint: `Give a smaller file, or raise the source's maxBytes config to at least ${size}.`,
      path: '/config/maxBytes',
    });
  }
}
