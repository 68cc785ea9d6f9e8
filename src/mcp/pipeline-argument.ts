import { z } from 'zod';
import { PipelaneError } from '../node-kit/index.js';
import { loadPipelineFile } from '../pipeline/index.js';
import { pipelineArgumentSchema } from './result-schemas.js';
import { confinePath } from './workspace.js';

/** The three ways a tool can be given a pipeline; exactly one must be used. */
export const pipelineArgumentShape = {
  pipeline: pipelineArgumentSchema.optional(),
  path: z
    .string()
    .min(1)
    .optional()
    .describe('Path of a *.pipe.json file, relative to the workspace root (or absolute inside it)'),
  name: z
    .string()
    .min(1)
    .optional()
    .describe('Name of a saved pipeline: reads pipelines/<name>.pipe.json in the workspace'),
};

export interface PipelineArgument {
  pipeline?: Record<string, unknown> | undefined;
  path?: string | undefined;
  name?: string | undefined;
}

/** Returns the pipeline document the caller meant; file paths are confined to the workspace root. */
export async function readPipelineArgument(args: PipelineArgument, workspaceRoot: string): Promise<unknown> {
  const given = (['pipeline', 'path', 'name'] as const).filter((key) => args[key] !== undefined);
  if (given.length !== 1) {
    throw new PipelaneError(
      'ARGUMENTS_INVALID',
      given.length === 0 ? 'No pipeline given.' : `Give one pipeline, not ${given.join(' and ')}.`,
      { hint: 'Pass exactly one of `pipeline` (the document itself), `path` (a *.pipe.json file) or `name` (a saved pipeline).' },
    );
  }
  if (args.pipeline !== undefined) return args.pipeline;
  if (args.path !== undefined) {
    const file = await confinePath(workspaceRoot, args.path, { missingCode: 'PIPELINE_NOT_FOUND', argument: 'path' });
    return loadPipelineFile(file);
  }
  const name = args.name!;
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw new PipelaneError('ARGUMENTS_INVALID', `"${name}" is not a pipeline name.`, {
      hint: 'Pipeline names use letters, digits, _ and -; or pass `path` instead.',
      path: '/name',
    });
  }
  const file = await confinePath(workspaceRoot, `pipelines/${name}.pipe.json`, { missingCode: 'PIPELINE_NOT_FOUND', argument: 'name' });
  return loadPipelineFile(file);
}
