import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { categoryOf, isSourceNode, type AnyNodeDefinition } from '../../node-kit/index.js';
import { errorPayload, inBand, toolFailure, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const inputSchema = z.object({
  type: z.string().min(1).describe('Node type as listed by list_nodes, e.g. ocr.tesseract'),
});

const outputSchema = toolOutputSchema({
  type: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  inputs: z.array(z.string()).describe('Lanes the node reads; empty for a source'),
  outputs: z.array(z.string()).describe('Lanes the node can emit'),
  source: z.boolean(),
  configSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the node\'s `config` object (defaults included)'),
  examples: z.array(z.object({ title: z.string(), config: z.record(z.string(), z.unknown()) })).describe('Example configs'),
  timeoutMs: z.number().optional().describe('Default per-item time limit'),
  concurrency: z.number().optional().describe('Default items processed at once'),
});

export function registerDescribeNode(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'describe_node',
    {
      title: 'Describe a node',
      description:
        'Gives everything needed to use one node type in a pipeline: the lanes it reads and emits, the JSON Schema of its ' +
        '`config` and example configs. Use it after list_nodes, before writing the node into a pipeline. Returns ' +
        '{type, title, description, category, inputs, outputs, source, configSchema, examples}. An unknown type is an ' +
        'error (isError) whose hint names the nearest types.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('describe_node', deps.logger, (args) => {
      let definition: AnyNodeDefinition;
      try {
        definition = deps.registry.get(args.type); // UNKNOWN_NODE_TYPE names the nearest types
      } catch (error) {
        return toolFailure({ ...errorPayload(error), path: '/type' });
      }
      const configSchema = z.toJSONSchema(definition.config, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      return toolSuccess({
        type: definition.type,
        title: definition.title,
        description: definition.description,
        category: categoryOf(definition.type),
        inputs: [...definition.inputs],
        outputs: [...definition.outputs],
        source: isSourceNode(definition),
        configSchema,
        examples: (definition.examples ?? []).map((example) => ({ title: example.title, config: example.config })),
        ...(definition.timeoutMs !== undefined ? { timeoutMs: definition.timeoutMs } : {}),
        ...(definition.concurrency !== undefined ? { concurrency: definition.concurrency } : {}),
      });
    }),
  );
}
