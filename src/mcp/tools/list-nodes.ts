import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { laneNames, type LaneName } from '../../lanes/index.js';
import { categoryOf, isSourceNode, type AnyNodeDefinition } from '../../node-kit/index.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const inputSchema = z.object({
  lane: z.enum(laneNames as [LaneName, ...LaneName[]]).optional().describe('Only nodes that read or emit this lane'),
  category: z.string().optional().describe('Only nodes of this category, the part of the type before the dot (ocr, pii, chunk, source)'),
  query: z.string().optional().describe('Case-insensitive text matched against type, title and description'),
});

export const nodeSummarySchema = z.object({
  type: z.string().describe('Node type to use in a pipeline, e.g. ocr.tesseract'),
  title: z.string(),
  category: z.string(),
  inputs: z.array(z.string()).describe('Lanes the node reads; empty for a source, which reads the run input'),
  outputs: z.array(z.string()).describe('Lanes the node can emit'),
  description: z.string(),
  source: z.boolean().describe('True for a source node (receives the run input instead of lanes)'),
});

const outputSchema = toolOutputSchema({ nodes: z.array(nodeSummarySchema) });

export function nodeSummary(definition: AnyNodeDefinition): z.output<typeof nodeSummarySchema> {
  return {
    type: definition.type,
    title: definition.title,
    category: categoryOf(definition.type),
    inputs: [...definition.inputs],
    outputs: [...definition.outputs],
    description: definition.description,
    source: isSourceNode(definition),
  };
}

export function registerListNodes(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'list_nodes',
    {
      title: 'List nodes',
      description:
        'Lists the node types a pipeline can use, optionally filtered by lane, category or a text query. Use it to find ' +
        'a node for a step ("which node reads image?"); then describe_node gives its config schema. Returns ' +
        '{nodes: [{type, title, category, inputs, outputs, description, source}]}, sorted by type; when nothing matches, ' +
        '`nodes` is empty and `hint` lists the categories that exist.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('list_nodes', deps.logger, (args) => {
      const filter = {
        ...(args.lane ? { lane: args.lane } : {}),
        ...(args.category ? { category: args.category } : {}),
        ...(args.query ? { query: args.query } : {}),
      };
      const nodes = deps.registry.list(filter).map(nodeSummary);
      if (nodes.length > 0) return toolSuccess({ nodes });
      const categories = [...new Set(deps.registry.types.map(categoryOf))].sort();
      return toolSuccess({
        nodes,
        hint: `No node matches ${JSON.stringify(filter)}. Categories: ${categories.join(', ') || 'none'}; call list_nodes with no arguments to see all ${deps.registry.types.length}.`,
      });
    }),
  );
}
