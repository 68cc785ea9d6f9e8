import { open, readFile, stat } from 'node:fs/promises';
import { PipelaneError } from '../../../src/node-kit/index.js';

/**
 * Reading a run input file with a typed error for each way the path can be wrong (missing, a
 * directory, unreadable), shared by the source nodes.
 */

/** The size in bytes of the run input file; nothing is read, so a huge file can be refused first. */
export async function statInputFile(filePath: string): Promise<number> {
  try {
    const info = await stat(filePath);
    if (!info.isFile()) {
      throw new PipelaneError('INPUT_NOT_A_FILE', `Input "${filePath}" is ${info.isDirectory() ? 'a directory' : 'not a regular file'}.`, {
        hint: info.isDirectory() ? 'Give one file inside it; run the pipeline once per file.' : 'Give a regular file.',
      });
    }
    return info.size;
  } catch (error) {
    throw fileError(error, filePath);
  }
}

/** Every byte of the run input file. */
export async function readInputFile(filePath: string, signal: AbortSignal): Promise<Buffer> {
  try {
    return await readFile(filePath, { signal });
  } catch (error) {
    throw fileError(error, filePath);
  }
}

/** Up to `length` bytes from the start of the run input file (fewer when the file is shorter). */
export async function readInputHead(filePath: string, length: number, signal: AbortSignal): Promise<Buffer> {
  signal.throwIfAborted();
  try {
    const handle = await open(filePath, 'r');
    try {
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError(error, filePath);
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
