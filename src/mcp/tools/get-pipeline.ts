import { relative } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { readSavedPipeline } from '../pipeline-argument.js';
import { pipelineMermaid } from '../pipeline-view.js';
import type { McpServices } from '../services.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { ExposedTools } from './pipeline-tools.js';

const inputSchema = z.object({
  name: z.string().min(1).describe('Name of the saved pipeline (list_pipelines)'),
});

const outputSchema = toolOutputSchema({
  name: z.string(),
  path: z.string().describe('Its file, relative to the workspace root'),
  pipeline: z.record(z.string(), z.unknown()).describe('The saved document'),
  mermaid: z.string().describe('Mermaid flowchart: boxes are nodes (id, type), solid edges carry the named lane, dashed edges are uses bindings'),
  tool: z.string().optional().describe('The tool the pipeline appears as, when exposed'),
});

export function registerGetPipeline(server: McpServer, deps: McpServices, exposed: ExposedTools): void {
  server.registerTool(
    'get_pipeline',
    {
      title: 'Get a saved pipeline',
      description:
        'Returns one saved pipeline of the workspace with a Mermaid diagram of it: {name, path, pipeline, mermaid, tool?}. ' +
        'In the flowchart each node is a box with its id and type, data edges are labelled with their lane, `uses` bindings are ' +
        'dashed, and outputs are rounded ends. Edit the document and save it back with save_pipeline. An unknown name is isError ' +
        'PIPELINE_NOT_FOUND naming the nearest saved pipeline.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('get_pipeline', deps.logger, async (args) => {
      const pipeline = await readSavedPipeline(args.name, deps);
      const tool = exposed.toolOf(args.name);
      return toolSuccess({
        name: args.name,
        path: relative(deps.workspaceRoot, deps.library.pathOf(args.name)),
        pipeline: pipeline && typeof pipeline === 'object' && !Array.isArray(pipeline) ? pipeline : { value: pipeline },
        mermaid: pipelineMermaid(pipeline),
        ...(tool ? { tool } : {}),
      });
    }),
  );
}
