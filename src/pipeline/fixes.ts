import type { LaneName } from '../lanes/index.js';
import type { Fix, JsonPatchOperation, Registry } from '../node-kit/index.js';
import { pointer } from './json-pointer.js';
import { planPaths } from './plan.js';

/**
 * A patch that inserts the shortest chain of nodes turning `fromLane` (emitted by `producerId`) into
 * one of `wantedLanes`, rewiring the consumer's edge at `edgePath`. New nodes are appended so that
 * the indexes other problems point at stay valid.
 */
export function insertChainFix(options: {
  registry: Registry;
  producerId: string;
  fromLanes: readonly LaneName[];
  wantedLanes: readonly LaneName[];
  edgePath: string;
  nodeCount: number;
  takenIds: ReadonlySet<string>;
}): Fix | undefined {
  const { registry, producerId, fromLanes, wantedLanes, edgePath, nodeCount, takenIds } = options;
  let best: { steps: ReturnType<typeof planPaths>[number]; fromLane: LaneName } | undefined;
  for (const fromLane of fromLanes) {
    for (const wanted of wantedLanes) {
      for (const steps of planPaths(registry, fromLane, wanted, 3, 1)) {
        if (steps.length > 0 && (!best || steps.length < best.steps.length)) best = { steps, fromLane };
      }
    }
  }
  if (!best) return undefined;
  const ids = new Set(takenIds);
  const patch: JsonPatchOperation[] = [];
  let from = producerId;
  let lane = best.fromLane;
  best.steps.forEach((step, index) => {
    const id = freshId(step.type, ids);
    patch.push({ op: 'add', path: pointer('nodes', nodeCount + index), value: { id, type: step.type, inputs: [{ lane, from }] } });
    from = id;
    lane = step.output;
  });
  patch.push({ op: 'replace', path: edgePath, value: { lane, from } });
  const types = best.steps.map((step) => step.type).join(' -> ');
  return { summary: `insert ${types} between "${producerId}" and the consumer`, patch };
}

function freshId(type: string, taken: Set<string>): string {
  const base = (type.split('.')[0] ?? 'node').replace(/[^A-Za-z0-9_-]/g, '') || 'node';
  let id = base;
  for (let counter = 2; taken.has(id); counter++) id = `${base}${counter}`;
  taken.add(id);
  return id;
}
