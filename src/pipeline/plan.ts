import type { LaneName } from '../lanes/index.js';
import { isSourceNode, type AnyNodeDefinition, type Registry } from '../node-kit/index.js';

export interface PlanStep {
  type: string;
  /** Lane the step reads. */
  input: LaneName;
  /** Lane the step emits. */
  output: LaneName;
}

/**
 * Shortest chains of node types that turn lane `from` into lane `to`, searched over the lane
 * signatures of the registry's nodes (breadth-first, a lane never visited twice in one chain).
 */
export function planPaths(registry: Registry, from: LaneName, to: LaneName, maxLength = 4, limit = 5): PlanStep[][] {
  if (from === to) return [[]];
  const transforms = registry.list().filter((definition) => !isSourceNode(definition));
  const found: PlanStep[][] = [];
  let frontier: Array<{ lane: LaneName; steps: PlanStep[] }> = [{ lane: from, steps: [] }];
  for (let depth = 0; depth < maxLength && found.length < limit && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { lane, steps } of frontier) {
      for (const definition of transforms) {
        if (!definition.inputs.includes(lane)) continue;
        for (const output of definition.outputs as LaneName[]) {
          if (output === from || steps.some((step) => step.output === output)) continue;
          const chain = [...steps, { type: definition.type, input: lane, output }];
          if (output === to) found.push(chain);
          else next.push({ lane: output, steps: chain });
        }
      }
    }
    frontier = next;
  }
  return found.slice(0, limit);
}

/** The lanes a node instance can emit for its config (sources may narrow them). */
export function emittedLanes(definition: AnyNodeDefinition, config: unknown): readonly LaneName[] {
  if (definition.outputsFor && config !== undefined) {
    try {
      return definition.outputsFor(config);
    } catch {
      return definition.outputs;
    }
  }
  return definition.outputs;
}
