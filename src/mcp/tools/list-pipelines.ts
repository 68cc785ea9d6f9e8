import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { readSavedPipeline } from '../pipeline-argument.js';
import { summarizePipeline } from '../pipeline-view.js';
import type { McpServices } from '../services.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { ExposedTools } from './pipeline-tools.js';

const outputSchema = toolOutputSchema({
  pipelines: z.array(
    z.object({
      name: z.string().describe('For run_pipeline {"name"}, get_pipeline, delete_pipeline, and pipe:<name> agent tools'),
      description: z.string().optional(),
      expose: z.boolean().describe('True when the pipeline is also its own tool'),
      tool: z.string().optional().describe('That tool\'s name'),
      nodes: z.array(z.string()).describe('Node types, in document order'),
      inputLane: z.array(z.string()).describe('Lanes the run input is read on'),
      input: z.enum(['path', 'text']).describe('What a run takes: a workspace file or text'),
      outputs: z.array(z.object({ name: z.string(), lane: z.string(), from: z.string() })),
      error: z.string().optional().describe('Why the file could not be read (it is listed so that it can be fixed or deleted)'),
    }),
  ),
});

export function registerListPipelines(server: McpServer, deps: McpServices, exposed: ExposedTools): void {
  server.registerTool(
    'list_pipelines',
    {
      title: 'List saved pipelines',
      description:
        'Lists the saved pipelines of the workspace (pipelines/*.pipe.json): name, description, whether it is exposed as its own ' +
        'tool (and that tool\'s name), node types, the lane its input is read on, what a run takes (path or text) and its outputs. ' +
        'Returns {pipelines: [{name, description?, expose, tool?, nodes, inputLane, input, outputs, error?}]}; run one with ' +
        'run_pipeline {"name"}, read one with get_pipeline.',
      inputSchema: z.object({}),
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('list_pipelines', deps.logger, async () => {
      exposed.sync(); // files may have been edited by hand since the last look
      const pipelines = await Promise.all(
        deps.library.names().map(async (name) => {
          try {
            const document = await readSavedPipeline(name, deps);
            const tool = exposed.toolOf(name);
            return { name, ...summarizePipeline(document, deps.registry), ...(tool ? { tool } : {}) };
          } catch (error) {
            return { name, expose: false, nodes: [], inputLane: [], input: 'text' as const, outputs: [], error: (error as Error).message };
          }
        }),
      );
      return toolSuccess({ pipelines });
    }),
  );
}
