import { z } from 'zod';
import { PipelaneError } from '../node-kit/index.js';
import { isPipelineName, loadPipelineFile, type PipelineLibrary } from '../pipeline/index.js';
import { checkFile, checkPipelineDocument, type McpLimits } from './limits.js';
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
    .describe('Name of a saved pipeline (save_pipeline, list_pipelines): pipelines/<name>.pipe.json in the workspace'),
};

export interface PipelineArgument {
  pipeline?: Record<string, unknown> | undefined;
  path?: string | undefined;
  name?: string | undefined;
}

export interface PipelineSources {
  workspaceRoot: string;
  library: PipelineLibrary;
  limits: McpLimits;
}

/**
 * Returns the pipeline document the caller meant. Files (a path, or a saved pipeline's file) are
 * confined to the workspace root, symlinks included, and every document is held to the size limit.
 */
export async function readPipelineArgument(args: PipelineArgument, sources: PipelineSources): Promise<unknown> {
  const given = (['pipeline', 'path', 'name'] as const).filter((key) => args[key] !== undefined);
  if (given.length !== 1) {
    throw new PipelaneError(
      'ARGUMENTS_INVALID',
      given.length === 0 ? 'No pipeline given.' : `Give one pipeline, not ${given.join(' and ')}.`,
      { hint: 'Pass exactly one of `pipeline` (the document itself), `path` (a *.pipe.json file) or `name` (a saved pipeline).' },
    );
  }
  if (args.pipeline !== undefined) {
    checkPipelineDocument(args.pipeline, sources.limits);
    return args.pipeline;
  }
  if (args.path !== undefined) return readConfinedPipeline(args.path, sources, 'path');
  return readSavedPipeline(args.name!, sources, 'name');
}

/** A saved pipeline by name: PIPELINE_NAME_INVALID, PIPELINE_NOT_FOUND (nearest names), or the document. */
export async function readSavedPipeline(name: string, sources: PipelineSources, argument = 'name'): Promise<unknown> {
  if (!isPipelineName(name)) {
    throw new PipelaneError('PIPELINE_NAME_INVALID', `"${name}" is not a pipeline name.`, {
      hint: 'Pipeline names are a letter then letters, digits, _ or - (at most 64); list_pipelines shows the saved ones, or pass `path` instead.',
      path: `/${argument}`,
    });
  }
  // The library's error names the saved pipelines and the nearest one.
  if (!sources.library.has(name)) await sources.library.get(name);
  return readConfinedPipeline(sources.library.pathOf(name), sources, argument);
}

async function readConfinedPipeline(userPath: string, sources: PipelineSources, argument: string): Promise<unknown> {
  const file = await confinePath(sources.workspaceRoot, userPath, { missingCode: 'PIPELINE_NOT_FOUND', argument });
  await checkFile(file, sources.limits, 'pipeline', `/${argument}`);
  return loadPipelineFile(file);
}
