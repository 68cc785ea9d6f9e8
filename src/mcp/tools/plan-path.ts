import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { laneNames, type LaneName } from '../../lanes/index.js';
import { isSourceNode, type AnyNodeDefinition, type Registry } from '../../node-kit/index.js';
import { planPaths, type PlanStep } from '../../pipeline/index.js';
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
        steps: z.array(z.object({ type: z.string(), input: z.string(), output: z.string() })).describe('Lane read and emitted by each node'),
        pipeline: z.record(z.string(), z.unknown()).describe('A pipeline skeleton for this chain, ready for validate_pipeline'),
      }),
    )
    .describe('Shortest chains first; empty when no chain exists'),
});

export function registerPlanPath(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'plan_path',
    {
      title: 'Plan a lane path',
      description:
        'Finds the shortest chains of node types that turn one lane into another ("image" to "documents" gives ' +
        'ocr.tesseract -> chunk.text). Use it when you know what you have and what you want but not which nodes connect ' +
        'them. Returns {paths: [{nodes, steps, pipeline}]}, shortest first; each `pipeline` is a skeleton to edit (add ' +
        'configs) and check with validate_pipeline. The skeleton starts with a source node when the registry has one that ' +
        'emits `from` (source.file preferred); otherwise it holds only the chain and `hint` says what to add.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('plan_path', deps.logger, (args) => {
      const chains = planPaths(deps.registry, args.from, args.to, args.maxLength ?? 4);
      const source = sourceFor(deps.registry, args.from);
      const paths = chains.map((steps) => ({
        nodes: steps.map((step) => step.type),
        steps,
        pipeline: skeleton(args.from, args.to, steps, source),
      }));
      if (paths.length === 0) {
        const readers = deps.registry.list({ lane: args.from }).filter((node) => node.inputs.includes(args.from)).map((node) => node.type);
        const writers = deps.registry.list({ lane: args.to }).filter((node) => node.outputs.includes(args.to)).map((node) => node.type);
        return toolSuccess({
          paths,
          hint: `No chain of at most ${args.maxLength ?? 4} nodes turns ${args.from} into ${args.to}. Nodes reading ${args.from}: ${readers.join(', ') || 'none'}; nodes emitting ${args.to}: ${writers.join(', ') || 'none'}.`,
        });
      }
      return toolSuccess({
        paths,
        ...(source ? {} : { hint: `No source node emits ${args.from}; add one before the first node of the chain (list_nodes with category "source").` }),
      });
    }),
  );
}

function sourceFor(registry: Registry, lane: LaneName): AnyNodeDefinition | undefined {
  const sources = registry.list().filter((definition) => isSourceNode(definition) && definition.outputs.includes(lane));
  return sources.find((definition) => definition.type === 'source.file') ?? sources[0];
}

function skeleton(from: LaneName, to: LaneName, steps: PlanStep[], source: AnyNodeDefinition | undefined): Record<string, unknown> {
  const taken = new Set<string>();
  const nodes: Array<Record<string, unknown>> = [];
  let previous: string | undefined;
  if (source) {
    previous = uniqueId('in', taken);
    nodes.push({ id: previous, type: source.type });
  }
  for (const step of steps) {
    const id = uniqueId(step.type.split('.')[0] ?? 'node', taken);
    nodes.push({ id, type: step.type, ...(previous ? { inputs: [{ lane: step.input, from: previous }] } : {}) });
    previous = id;
  }
  return {
    version: 1,
    name: `${from}-to-${to}`,
    nodes,
    outputs: previous ? [{ lane: to, from: previous, as: to }] : [],
  };
}

function uniqueId(base: string, taken: Set<string>): string {
  const clean = /^[A-Za-z][A-Za-z0-9_-]*$/.test(base) ? base : 'node';
  let id = clean;
  for (let counter = 2; taken.has(id); counter++) id = `${clean}${counter}`;
  taken.add(id);
  return id;
}
