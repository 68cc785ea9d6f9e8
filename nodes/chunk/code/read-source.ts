import { readFile } from 'node:fs/promises';
import { PipelaneError, isAbortError, type FileItem, type TextItem } from '../../../src/node-kit/index.js';

export interface Source {
  text: string;
  meta: TextItem['meta'];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a text item, or of a file item (its bytes or its path) decoded as UTF-8. */
export async function readSource(item: TextItem | FileItem, signal: AbortSignal): Promise<Source> {
  if ('text' in item) return { text: item.text, meta: item.meta };
  const meta = { ...item.meta, source: item.meta.source ?? item.name };
  let bytes = item.bytes;
  if (bytes === undefined) {
    try {
      bytes = await readFile(item.path!, { signal });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new PipelaneError('INPUT_NOT_READABLE', `Cannot read source file "${item.path}": ${(error as Error).message}.`, {
        hint: 'Check that the file exists inside the workspace and is readable.',
        cause: error,
      });
    }
  }
  try {
    return { text: utf8.decode(bytes), meta };
  } catch (error) {
    throw new PipelaneError('CODE_NOT_TEXT', `"${meta.source}" (${item.mime}) is not UTF-8 text, so it cannot be chunked as source code.`, {
      hint: 'Give chunk.code UTF-8 source files; route binaries and documents to a parser node first.',
      cause: error,
    });
  }
}
