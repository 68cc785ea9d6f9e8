import type { LaneName } from '../lanes/index.js';
import { isSourceNode, type AnyNodeDefinition, type Registry } from '../node-kit/index.js';
import { emittedLanes, laneSwitch, nodeSetup } from './node-config.js';
import { freeNodeId } from './node-views.js';

export { emittedLanes } from './node-config.js';

export interface PlanStep {
  type: string;
  /** Lane the step reads. */
  input: LaneName;
  /** Lane the step emits. */
  output: LaneName;
  /**
   * A config that validates and makes the node emit `output`: its defaults written out, with a
   * lane choice set where the node needs one. Absent when the node has config fields without a
   * default (see `needs`).
   */
  config?: Record<string, unknown>;
  /** What to give before the step can run: `config.<field>` without a default, `uses.<binding>`. */
  needs?: string[];
}

export interface PlanOptions {
  /** Longest chain, in nodes (default 4). */
  maxLength?: number;
  /** Most chains returned (default 5). */
  limit?: number;
  /** Only nodes that run with a written-out config and no bindings (what a validator fix may insert). */
  ready?: boolean;
}

/**
 * Shortest chains of node types that turn lane `from` into lane `to`, searched over the lane
 * signatures of the registry's nodes (breadth-first, a lane never visited twice in one chain).
 * Chains of equal length are ranked by what their nodes' definitions say: first those that run
 * with their default configs (no config field without a default, no required binding), then those
 * through more general-purpose nodes (`general: true`, chunk.text before chunk.code), then the
 * registry's order.
 */
export function planPaths(registry: Registry, from: LaneName, to: LaneName, options: PlanOptions = {}): PlanStep[][] {
  const maxLength = options.maxLength ?? 4;
  const limit = options.limit ?? 5;
  if (from === to) return [[]];
  const transforms = registry.list().filter((definition) => !isSourceNode(definition) && (!options.ready || nodeSetup(definition).needs.length === 0));
  const found: PlanStep[][] = [];
  let frontier: Array<{ lane: LaneName; steps: PlanStep[] }> = [{ lane: from, steps: [] }];
  for (let depth = 0; depth < maxLength && found.length < limit && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { lane, steps } of frontier) {
      for (const definition of transforms) {
        if (!definition.inputs.includes(lane)) continue;
        for (const output of definition.outputs as LaneName[]) {
          if (output === from || steps.some((step) => step.output === output)) continue;
          const step = planStep(definition, lane, output);
          if (!step) continue;
          const chain = [...steps, step];
          if (output === to) found.push(chain);
          else next.push({ lane: output, steps: chain });
        }
      }
    }
    frontier = next;
  }
  return rankChains(registry, found).slice(0, limit);
}

/** Orders chains best first (shortest, then ready to run, then through general-purpose nodes); stable otherwise. */
export function rankChains(registry: Registry, chains: readonly PlanStep[][]): PlanStep[][] {
  const cost = (steps: readonly PlanStep[]) => [
    steps.length,
    steps.filter((step) => step.needs?.length).length,
    -steps.filter((step) => registry.find(step.type)?.general === true).length,
  ];
  const costs = new Map(chains.map((chain) => [chain, cost(chain)]));
  return [...chains].sort((a, b) => {
    const [left, right] = [costs.get(a)!, costs.get(b)!];
    for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return left[index]! - right[index]!;
    return 0;
  });
}

const stepCache = new WeakMap<AnyNodeDefinition, Map<LaneName, { config?: Record<string, unknown>; needs?: string[] } | null>>();

/**
 * The step of `definition` from `input` to `output`, with a config under which the node emits
 * `output`; null when no config does (a node whose `outputsFor` narrows its lanes for every choice).
 */
function planStep(definition: AnyNodeDefinition, input: LaneName, output: LaneName): PlanStep | undefined {
  let byOutput = stepCache.get(definition);
  if (!byOutput) stepCache.set(definition, (byOutput = new Map()));
  if (!byOutput.has(output)) byOutput.set(output, stepSetup(definition, output));
  const setup = byOutput.get(output);
  if (!setup) return undefined;
  return { type: definition.type, input, output, ...(setup.config ? { config: structuredClone(setup.config) } : {}), ...(setup.needs ? { needs: [...setup.needs] } : {}) };
}

function stepSetup(definition: AnyNodeDefinition, output: LaneName): { config?: Record<string, unknown>; needs?: string[] } | null {
  const { config, needs } = nodeSetup(definition);
  const needsPart = needs.length > 0 ? { needs } : {};
  // Without a config that validates, what it emits is only known once the missing fields are set.
  if (!config) return needsPart;
  if (emittedLanes(definition, definition.config.parse(config)).includes(output)) return { config, ...needsPart };
  const switched = laneSwitch(definition, config, [output]);
  return switched ? { config: switched.config, ...needsPart } : null;
}

/** A source that can emit `lane` (source.file preferred), with a config under which it does. */
export function sourceFor(registry: Registry, lane: LaneName): { definition: AnyNodeDefinition; config: Record<string, unknown> } | undefined {
  const sources = registry.list().filter((definition) => isSourceNode(definition) && definition.outputs.includes(lane));
  const ordered = [...sources.filter((definition) => definition.type === 'source.file'), ...sources.filter((definition) => definition.type !== 'source.file')];
  for (const definition of ordered) {
    const step = stepSetup(definition, lane);
    if (step?.config && !step.needs) return { definition, config: step.config };
  }
  return undefined;
}

/**
 * A pipeline for a planned chain, ready for validate_pipeline: the source for `from` (when the
 * registry has one), one node per step with its config, and the last node's `to` as the output.
 * Configs are left out where they are empty; a step with `needs` has no config to give yet.
 */
export function planPipeline(registry: Registry, from: LaneName, to: LaneName, steps: readonly PlanStep[]): Record<string, unknown> {
  const source = sourceFor(registry, from);
  const taken = new Set<string>();
  const nodes: Array<Record<string, unknown>> = [];
  let previous: string | undefined;
  if (source) {
    previous = freeNodeId('in', taken);
    nodes.push({ id: previous, type: source.definition.type, ...configPart(source.config) });
  }
  for (const step of steps) {
    const id = freeNodeId(step.type.split('.')[0] ?? 'node', taken);
    nodes.push({ id, type: step.type, ...configPart(step.config), ...(previous ? { inputs: [{ lane: step.input, from: previous }] } : {}) });
    previous = id;
  }
  return {
    version: 1,
    name: `${from}-to-${to}`,
    nodes,
    outputs: previous ? [{ lane: to, from: previous, as: to }] : [],
  };
}

function configPart(config: Record<string, unknown> | undefined): { config?: Record<string, unknown> } {
  return config && Object.keys(config).length > 0 ? { config: structuredClone(config) } : {};
}
