import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPipelineFile } from '../pipeline/index.js';

/** A pipeline argument is a file path, or the name of a file in pipelines/ (`scan-to-redacted-chunks`). */
export async function loadPipelineArgument(argument: string): Promise<unknown> {
  const candidates = [argument, resolve('pipelines', `${argument}.pipe.json`), resolve('pipelines', argument)];
  const found = candidates.find((candidate) => existsSync(candidate));
  return loadPipelineFile(found ?? argument);
}
