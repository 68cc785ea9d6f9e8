import type { LaneName } from '../lanes/index.js';
import type { AnyNodeDefinition, Fix, JsonPatchOperation, Registry } from '../node-kit/index.js';
import { pointer } from './json-pointer.js';
import { laneSwitch } from './node-config.js';
import { planPaths, rankChains, type PlanStep } from './plan.js';
import { freeNodeId } from './node-views.js';

/**
 * A patch that inserts the best chain of nodes turning `fromLane` (emitted by `producerId`) into
 * one of `wantedLanes`, rewiring the consumer's edge at `edgePath`. Only nodes that run with their
 * default configs are inserted, each with that config written out, so the patched pipeline
 * validates. New nodes are appended so that the indexes other problems point at stay valid.
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
  const candidates: Array<{ steps: PlanStep[]; fromLane: LaneName }> = [];
  for (const fromLane of fromLanes) {
    for (const wanted of wantedLanes) {
      for (const steps of planPaths(registry, fromLane, wanted, { maxLength: 3, limit: 1, ready: true })) {
        if (steps.length > 0) candidates.push({ steps, fromLane });
      }
    }
  }
  const [bestSteps] = rankChains(registry, candidates.map((candidate) => candidate.steps));
  const best = candidates.find((candidate) => candidate.steps === bestSteps);
  if (!best) return undefined;
  const ids = new Set(takenIds);
  const patch: JsonPatchOperation[] = [];
  let from = producerId;
  let lane = best.fromLane;
  best.steps.forEach((step, index) => {
    const id = freeNodeId(step.type.split('.')[0] ?? 'node', ids);
    const config = step.config && Object.keys(step.config).length > 0 ? { config: step.config } : {};
    patch.push({ op: 'add', path: pointer('nodes', nodeCount + index), value: { id, type: step.type, ...config, inputs: [{ lane, from }] } });
    from = id;
    lane = step.output;
  });
  patch.push({ op: 'replace', path: edgePath, value: { lane, from } });
  const types = best.steps.map((step) => step.type).join(' -> ');
  return { summary: `insert ${types} between "${producerId}" and the consumer`, patch };
}

/**
 * A patch that makes the producer itself emit one of `wantedLanes` through a fixed-choice config
 * field (`source.text`'s `lane`), keeping every lane in `keepLanes` (what other edges and outputs
 * read from it); `edge` rewires the consumer's edge to the new lane when it names another one.
 */
export function laneConfigFix(options: {
  producer: { index: number; id: string; definition: AnyNodeDefinition };
  rawConfig: unknown;
  wantedLanes: readonly LaneName[];
  keepLanes: readonly LaneName[];
  edge?: { path: string; lane: LaneName };
}): Fix | undefined {
  const { producer, rawConfig, wantedLanes, keepLanes, edge } = options;
  for (const wanted of wantedLanes) {
    const change = laneSwitch(producer.definition, rawConfig, [...new Set([wanted, ...keepLanes])]);
    if (!change) continue;
    const patch: JsonPatchOperation[] = [
      rawConfig === undefined
        ? { op: 'add', path: pointer('nodes', producer.index, 'config'), value: { [change.key]: change.value } }
        : { op: 'add', path: pointer('nodes', producer.index, 'config', change.key), value: change.value },
    ];
    if (edge && edge.lane !== wanted) patch.push({ op: 'replace', path: `${edge.path}/lane`, value: wanted });
    return { summary: `set ${change.key} of "${producer.id}" to ${JSON.stringify(change.value)} so that it emits ${wanted}`, patch };
  }
  return undefined;
}
