import { relative } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { PipelaneError } from '../../node-kit/index.js';
import { isPipelineName, validatePipeline } from '../../pipeline/index.js';
import { checkPipelineDocument } from '../limits.js';
import { pipelineArgumentSchema, problemSchema } from '../result-schemas.js';
import type { McpServices } from '../services.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { ExposedTools } from './pipeline-tools.js';

const inputSchema = z.object({
  name: z
    .string()
    .min(1)
    .optional()
    .describe('Name to save under (default: the document\'s "name"); letters, digits, _ and -, starting with a letter'),
  pipeline: pipelineArgumentSchema,
});

const outputSchema = toolOutputSchema({
  name: z.string().describe('The saved pipeline\'s name, for run_pipeline {"name"}, get_pipeline and delete_pipeline'),
  path: z.string().describe('Its file, relative to the workspace root'),
  replaced: z.boolean().describe('True when a saved pipeline of that name was overwritten'),
  expose: z.boolean().describe('True when the pipeline is also its own tool'),
  tool: z.string().optional().describe('The tool the pipeline appears as (expose: true)'),
  warnings: z.array(problemSchema).describe('Validation warnings (they do not block saving)'),
});

export function registerSavePipeline(server: McpServer, deps: McpServices, exposed: ExposedTools): void {
  server.registerTool(
    'save_pipeline',
    {
      title: 'Save a pipeline',
      description:
        'Validates a pipeline and saves it as pipelines/<name>.pipe.json in the workspace, overwriting a pipeline of the same name. ' +
        '`name` defaults to the document\'s "name" (when given, the saved document takes it). A saved pipeline runs with ' +
        'run_pipeline {"name"} and can be a `pipe:<name>` agent tool; with "expose": true in the document it also becomes its own ' +
        'MCP tool pipe_<name> (input {text} or {path} from its source node) and the server sends notifications/tools/list_changed. ' +
        'Returns {name, path, replaced, expose, tool?, warnings}. An invalid pipeline is not saved: isError PIPELINE_INVALID with ' +
        'every problem (code, path, hint, fix) — fix them and save again.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    inBand('save_pipeline', deps.logger, async (args) => {
      checkPipelineDocument(args.pipeline, deps.limits);
      const documentName = args.pipeline.name;
      const name = args.name ?? (typeof documentName === 'string' ? documentName : undefined);
      if (name === undefined) {
        throw new PipelaneError('ARGUMENTS_INVALID', 'The pipeline has no "name" and no `name` argument was given.', {
          hint: 'Add "name" to the document or pass `name`.',
          path: '/name',
        });
      }
      if (!isPipelineName(name)) {
        throw new PipelaneError('PIPELINE_NAME_INVALID', `"${name}" is not a pipeline name.`, {
          hint: 'Use a letter then letters, digits, _ or - (at most 64), e.g. "invoice-ocr".',
          path: args.name !== undefined ? '/name' : '/pipeline/name',
        });
      }
      const document: Record<string, unknown> = { ...args.pipeline, name };
      const { valid, problems } = validatePipeline(document, deps.registry, { env: process.env, pipelines: deps.library });
      if (!valid) {
        const errors = problems.filter((problem) => problem.severity === 'error');
        throw new PipelaneError('PIPELINE_INVALID', `Not saved: the pipeline has ${errors.length} problem(s): ${errors.map((problem) => `${problem.code} at ${problem.path}`).join('; ')}.`, {
          hint: 'Fix every problem listed (each has a hint, most a fix.patch on the document) and save again.',
          path: '/pipeline',
          details: { problems },
        });
      }
      const replaced = deps.library.has(name);
      const file = await deps.library.save(name, document);
      exposed.announce();
      const tool = exposed.toolOf(name);
      return toolSuccess({
        name,
        path: relative(deps.workspaceRoot, file),
        replaced,
        expose: document.expose === true,
        ...(tool ? { tool } : {}),
        warnings: problems.filter((problem) => problem.severity !== 'error'),
      });
    }),
  );
}
