import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { validatePipeline } from '../../pipeline/index.js';
import { pipelineArgumentShape, readPipelineArgument } from '../pipeline-argument.js';
import { problemSchema } from '../result-schemas.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpServices } from '../services.js';

const inputSchema = z.object(pipelineArgumentShape);

const outputSchema = toolOutputSchema({
  valid: z.boolean().describe('True when no problem has severity "error" (warnings allowed)'),
  problems: z.array(problemSchema).describe('Every problem at once, errors and warnings'),
});

export function registerValidatePipeline(server: McpServer, deps: McpServices): void {
  server.registerTool(
    'validate_pipeline',
    {
      title: 'Validate a pipeline',
      description:
        'Checks a pipeline without running it and returns every problem at once: unknown node types (with the nearest ' +
        'names), bad configs, edges from missing nodes, lanes a node does not emit or read, cycles, unreachable nodes, ' +
        'missing sources, unset ${ENV} variables (by name). Call it after every edit and before run_pipeline. Give ' +
        'exactly one of `pipeline` (the document), `path` (a *.pipe.json in the workspace) or `name` (pipelines/<name>.pipe.json). ' +
        'Returns {valid, problems: [{code, severity, path, message, hint, fix?}]}; `path` is a JSON Pointer into the ' +
        'document and `fix.patch` a JSON Patch you can apply. An invalid pipeline is a normal answer (valid: false); ' +
        'isError is reserved for arguments that cannot be read (file missing or outside the workspace, not JSON).',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('validate_pipeline', deps.logger, async (args) => {
      const document = await readPipelineArgument(args, deps);
      const { valid, problems } = validatePipeline(document, deps.registry, { env: process.env, pipelines: deps.library });
      return toolSuccess({ valid, problems });
    }),
  );
}
