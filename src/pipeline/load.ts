import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PipelaneError } from '../node-kit/index.js';

/** Reads a `*.pipe.json` as plain JSON; validation is the validator's job (it reports every problem). */
export async function loadPipelineFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PipelaneError('PIPELINE_NOT_FOUND', `Cannot read pipeline file ${path} (${code ?? 'error'}).`, {
      hint: 'Check the path; pipelines usually live in pipelines/*.pipe.json.',
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PipelaneError('PIPELINE_NOT_JSON', `Pipeline file ${path} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Fix the JSON syntax (a trailing comma or a missing quote is the usual cause).',
      cause: error,
    });
  }
}

/** Writes a pipeline with stable formatting; the caller validates first. */
export async function savePipelineFile(path: string, pipeline: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(pipeline, null, 2) + '\n', 'utf8');
}
