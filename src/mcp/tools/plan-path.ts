import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { laneNames, type LaneName } from '../../lanes/index.js';
import { planPaths, planPipeline, sourceFor } from '../../pipeline/index.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const laneEnum = z.enum(laneNames as [LaneName, ...LaneName[]]);

const inputSchema = z.object({
  from: laneEnum.describe('Lane the data starts as, e.g. image'),
  to: laneEnum.describe('Lane wanted at the end, e.g. documents'),
  maxLength: z.number().int().min(1).max(8).optional().describe('Longest chain searched, in nodes (default 4)'),
});

const outputSchema = toolOutputSchema({
  paths: z
    .array(
      z.object({
        nodes: z.array(z.string()).describe('Node types in order, e.g. ["ocr.tesseract", "chunk.text"]'),
        steps: z
          .array(
            z.object({
              type: z.string(),
              input: z.string(),
              output: z.string(),
              config: z.record(z.string(), z.unknown()).optional().describe('A config that validates: the node\'s defaults, with its lane choice set where it has one'),
              needs: z.array(z.string()).optional().describe('What to set before it runs: config fields without a default (config.template), required bindings (uses.llm)'),
            }),
          )
          .describe('Lane read and emitted by each node, with its config'),
        pipeline: z.record(z.string(), z.unknown()).describe('A pipeline skeleton for this chain, ready for validate_pipeline'),
      }),
    )
    .describe('Shortest chains first; of equal length, those that run with default configs and go through general-purpose nodes first; empty when no chain exists'),
});

export function registerPlanPath(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'plan_path',
    {
      title: 'Plan a lane path',
      description:
        'Finds the shortest chains of node types that turn one lane into another ("image" to "documents" gives ' +
        'ocr.tesseract -> chunk.text). Use it when you know what you have and what you want but not which nodes connect ' +
        'them. Returns {paths: [{nodes, steps, pipeline}]}, shortest first and, among equal lengths, the general-purpose chain ' +
        'that runs with default configs first. Each step carries a config that validates (its defaults) or `needs` (config ' +
        'fields without a default, bindings to add); each `pipeline` is a skeleton with those configs to edit and check with ' +
        'validate_pipeline. The skeleton starts with a source node when the registry has one that ' +
        'emits `from` (source.file preferred); otherwise it holds only the chain and `hint` says what to add.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('plan_path', deps.logger, (args) => {
      const chains = planPaths(deps.registry, args.from, args.to, { maxLength: args.maxLength ?? 4 });
      const source = sourceFor(deps.registry, args.from);
      const paths = chains.map((steps) => ({
        nodes: steps.map((step) => step.type),
        steps,
        pipeline: planPipeline(deps.registry, args.from, args.to, steps),
      }));
      if (paths.length === 0) {
        const readers = deps.registry.list({ lane: args.from }).filter((node) => node.inputs.includes(args.from)).map((node) => node.type);
        const writers = deps.registry.list({ lane: args.to }).filter((node) => node.outputs.includes(args.to)).map((node) => node.type);
        return toolSuccess({
          paths,
          hint: `No chain of at most ${args.maxLength ?? 4} nodes turns ${args.from} into ${args.to}. Nodes reading ${args.from}: ${readers.join(', ') || 'none'}; nodes emitting ${args.to}: ${writers.join(', ') || 'none'}.`,
        });
      }
      const needs = chains[0]!.flatMap((step) => (step.needs ?? []).map((need) => `${step.type} ${need}`));
      const hints = [
        ...(source ? [] : [`No source node emits ${args.from}; add one before the first node of the chain (list_nodes with category "source").`]),
        ...(needs.length > 0 ? [`The first chain needs ${needs.join(', ')} before it runs (describe_node gives each schema).`] : []),
      ];
      return toolSuccess({ paths, ...(hints.length > 0 ? { hint: hints.join(' ') } : {}) });
    }),
  );
}
