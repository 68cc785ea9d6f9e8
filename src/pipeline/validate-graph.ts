import { isLaneName } from '../lanes/index.js';
import { isSourceNode, nearestNames, type Problem, type Registry } from '../node-kit/index.js';
import { pointer } from './json-pointer.js';
import { viewsById, type NodeView } from './node-views.js';

export interface BindingFacts {
  /**
   * Nodes outside the data flow: reached only through `uses`, or models with no edges waiting to be
   * bound. They need no inputs and count as no source.
   */
  boundOnly: ReadonlySet<string>;
  /** Nodes some binding names: their work is used even when no edge reads them. */
  bound: ReadonlySet<string>;
}

/**
 * Whole-graph checks: sources, inputs, cycles, reachability, outputs, unused nodes. `meant` holds
 * ids that fixes of unknown references point at, which are not reported as unused as well.
 */
export function graphProblems(views: NodeView[], raw: unknown, registry: Registry, bindings: BindingFacts, meant: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  const byId = viewsById(views);
  const known = views.filter((view) => view.definition && !bindings.boundOnly.has(view.id));
  const sources = known.filter((view) => isSourceNode(view.definition!));

  if (views.length > 0 && views.every((view) => view.definition) && sources.length === 0) {
    const sourceTypes = registry.list().filter(isSourceNode).map((definition) => definition.type);
    const first = sourceTypes[0];
    problems.push({
      code: 'NO_SOURCE',
      severity: 'error',
      path: '/nodes',
      message: `The pipeline has no source node, so no input can enter it${sourceTypes.length ? ` (sources: ${sourceTypes.join(', ')})` : ''}.`,
      hint: first ? `Add a ${first} node and read from it.` : 'Add a source node.',
      ...(first ? { fix: { summary: `add ${first}`, patch: [{ op: 'add' as const, path: '/nodes/-', value: { id: 'in', type: first } }] } } : {}),
    });
  }

  for (const view of known) {
    if (!isSourceNode(view.definition!) && view.declaredInputs === 0) {
      problems.push({
        code: 'MISSING_INPUT',
        severity: 'error',
        path: pointer('nodes', view.index),
        message: `Node "${view.id}" (${view.type}) reads ${view.definition!.inputs.join(' or ')} but has no inputs.`,
        hint: `Add "inputs": [{"lane": "${view.definition!.inputs[0]}", "from": "<node id>"}].`,
      });
    }
  }

  problems.push(...cycleProblems(views, byId));

  // By node index: a duplicated id is two nodes, and an edge reads the first of them.
  const reachable = new Set<number>(sources.map((view) => view.index));
  const reaches = (id: string, set: ReadonlySet<number>) => {
    const producer = byId.get(id);
    return producer !== undefined && set.has(producer.index);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const view of views) {
      if (reachable.has(view.index)) continue;
      if (view.inputs.some((edge) => reaches(edge.from, reachable))) {
        reachable.add(view.index);
        changed = true;
      }
    }
  }
  // A node cut off only by a problem reported elsewhere (missing producer, unknown type) is not
  // reported again: one mistake, one problem.
  const tainted = new Set<number>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const view of views) {
      if (tainted.has(view.index)) continue;
      const blocked = view.inputs.some((edge) => {
        const producer = byId.get(edge.from);
        return !producer || !producer.definition || tainted.has(producer.index);
      });
      if (blocked) {
        tainted.add(view.index);
        changed = true;
      }
    }
  }
  if (sources.length > 0) {
    for (const view of known) {
      if (reachable.has(view.index) || tainted.has(view.index) || view.inputs.length === 0) continue;
      problems.push({
        code: 'UNREACHABLE_NODE',
        severity: 'error',
        path: pointer('nodes', view.index),
        message: `Node "${view.id}" cannot receive data from any source (its inputs come from ${view.inputs.map((edge) => `"${edge.from}"`).join(', ')}).`,
        hint: 'Connect it to a node that a source feeds, or remove it.',
      });
    }
  }

  problems.push(...outputProblems(views, raw, byId, bindings, meant));
  return problems;
}

function cycleProblems(views: NodeView[], byId: Map<string, NodeView>): Problem[] {
  const state = new Map<number, 'visiting' | 'done'>();
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const visit = (view: NodeView, trail: NodeView[]): void => {
    state.set(view.index, 'visiting');
    for (const edge of view.inputs) {
      const producer = byId.get(edge.from);
      if (!producer) continue;
      if (state.get(producer.index) === 'visiting') {
        const start = trail.indexOf(producer);
        const cycle = [...(start >= 0 ? trail.slice(start) : []), view].map((entry) => entry.id);
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          problems.push({
            code: 'CYCLE',
            severity: 'error',
            path: pointer('nodes', view.index, 'inputs', edge.index),
            message: `Nodes form a cycle: ${[...cycle.reverse(), cycle[0]].join(' -> ')}. Pipelines must be acyclic.`,
            hint: `Remove the input of "${view.id}" from "${producer.id}", or route the data through a new node.`,
          });
        }
      } else if (!state.has(producer.index)) {
        visit(producer, [...trail, view]);
      }
    }
    state.set(view.index, 'done');
  };
  for (const view of views) if (!state.has(view.index)) visit(view, []);
  return problems;
}

function outputProblems(views: NodeView[], raw: unknown, byId: Map<string, NodeView>, bindings: BindingFacts, meant: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  const outputs = (raw as { outputs?: unknown })?.outputs;
  const list = Array.isArray(outputs) ? outputs : [];
  if (list.length === 0 && views.length > 0) {
    const last = views.filter((view) => view.definition && view.emits.length > 0 && !bindings.boundOnly.has(view.id)).at(-1);
    const lane = last?.emits[0];
    problems.push({
      code: 'NO_OUTPUT',
      severity: 'error',
      path: '/outputs',
      message: 'The pipeline declares no outputs, so a run would return nothing.',
      hint: last && lane ? `Collect a lane, e.g. {"lane": "${lane}", "from": "${last.id}", "as": "result"}.` : 'Add an entry to "outputs".',
      ...(last && lane
        ? { fix: { summary: `collect ${lane} from ${last.id}`, patch: [{ op: 'add' as const, path: Array.isArray(outputs) ? '/outputs/-' : '/outputs', value: Array.isArray(outputs) ? { lane, from: last.id, as: 'result' } : [{ lane, from: last.id, as: 'result' }] }] } }
        : {}),
    });
  }
  const names = new Set<string>();
  const consumed = new Set<string>();
  list.forEach((output, index) => {
    const { lane, from, as } = (output ?? {}) as { lane?: unknown; from?: unknown; as?: unknown };
    if (typeof as === 'string') {
      if (names.has(as)) {
        problems.push({ code: 'DUPLICATE_OUTPUT_NAME', severity: 'error', path: pointer('outputs', index, 'as'), message: `Output name "${as}" is used twice.`, hint: 'Give each output its own name.' });
      }
      names.add(as);
    }
    if (typeof from !== 'string') return;
    consumed.add(from);
    const producer = byId.get(from);
    if (!producer) {
      const path = pointer('outputs', index, 'from');
      // The same nearest-id fix as an edge gets, among the nodes that emit the lane collected.
      const emitters = [...byId.values()].filter((view) => !view.definition || typeof lane !== 'string' || !isLaneName(lane) || view.emits.includes(lane));
      const [nearest] = nearestNames(from, emitters.map((view) => view.id), 1);
      if (nearest) consumed.add(nearest);
      problems.push({
        code: 'UNKNOWN_NODE_REFERENCE',
        severity: 'error',
        path,
        message: `Output ${index} collects from "${from}", which is not a node of this pipeline (nodes: ${[...byId.keys()].join(', ')}).`,
        hint: nearest ? `Did you mean "${nearest}"?` : `Use one of: ${[...byId.keys()].join(', ')}.`,
        ...(nearest ? { fix: { summary: `collect from ${nearest}`, patch: [{ op: 'replace' as const, path, value: nearest }] } } : {}),
      });
    } else if (producer.definition && typeof lane === 'string' && isLaneName(lane) && !producer.emits.includes(lane)) {
      const first = producer.emits[0];
      problems.push({
        code: 'LANE_NOT_PRODUCED',
        severity: 'error',
        path: pointer('outputs', index, 'lane'),
        message: `Output ${index} collects lane ${lane} from "${from}", but ${producer.type} emits ${producer.emits.join(', ')}.`,
        hint: first ? `Collect lane ${first} instead.` : 'Collect from another node.',
        ...(first ? { fix: { summary: `collect ${first}`, patch: [{ op: 'replace' as const, path: pointer('outputs', index, 'lane'), value: first }] } } : {}),
      });
    }
  });
  for (const view of views) for (const edge of view.inputs) consumed.add(edge.from);
  for (const id of bindings.bound) consumed.add(id);
  for (const id of meant) consumed.add(id);
  // A second node of a duplicated id is reported as DUPLICATE_NODE_ID; whether it is read is unknowable.
  for (const view of list.length > 0 ? views : []) {
    if (view.definition && view.emits.length > 0 && view.duplicateOf === undefined && !consumed.has(view.id)) {
      problems.push({
        code: 'UNUSED_NODE',
        severity: 'warning',
        path: pointer('nodes', view.index),
        ...(view.definition.languageModel && bindings.boundOnly.has(view.id)
          ? { message: `Node "${view.id}" can serve as a model, but no node binds it.`, hint: `Bind it ("uses": {"llm": "${view.id}"} on an agent), or remove it.` }
          : { message: `Nothing reads from node "${view.id}" and it is not an output; its work is discarded.`, hint: `Add it to "outputs" or remove it.` }),
      });
    }
  }
  return problems;
}
