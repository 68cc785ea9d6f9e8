import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { PipelaneError, type RunInput } from '../../../src/node-kit/index.js';

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
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) {
      throw new PipelaneError('INPUT_NOT_A_FILE', `Input "${filePath}" is ${info.isDirectory() ? 'a directory' : 'not a regular file'}.`, {
        hint: info.isDirectory() ? 'Give one file inside it; run the pipeline once per file.' : 'Give a regular file.',
      });
    }
    size = info.size;
  } catch (error) {
    throw fileError(error, filePath);
  }
  checkSize(name, size, maxBytes);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = onArrayBuffer(await readFile(filePath, { signal }));
  } catch (error) {
    throw fileError(error, filePath);
  }
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

function fileError(error: unknown, filePath: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new PipelaneError('INPUT_NOT_FOUND', `Input file "${filePath}" does not exist.`, {
      hint: 'Check the path; relative paths are resolved from the workspace root.',
      cause: error,
    });
  }
  if (code === 'EISDIR') {
    return new PipelaneError('INPUT_NOT_A_FILE', `Input "${filePath}" is a directory.`, {
      hint: 'Give one file inside it; run the pipeline once per file.',
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new PipelaneError('INPUT_NOT_READABLE', `Input file "${filePath}" cannot be read (permission denied).`, {
      hint: 'Give a file the pipelane process may read.',
      cause: error,
    });
  }
  return error; // PipelaneErrors from above, aborts and unexpected I/O errors pass through
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}
