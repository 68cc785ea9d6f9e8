import { isDeepStrictEqual } from 'node:util';
import type { LaneName } from '../lanes/index.js';
import type { LaneAttributeMap, Problem } from '../node-kit/index.js';
import { pointer } from './json-pointer.js';
import { viewsById, type NodeView } from './node-views.js';

/**
 * Propagates static lane attributes (embedding dimension and model, mime…) along the edges in
 * topological order and reports a consumer that needs other values than it gets: a 1536-dimension
 * embedder feeding a 384-dimension store is found before anything runs.
 */
export function attributeProblems(views: NodeView[]): Problem[] {
  const byId = viewsById(views);
  // By node id for what edges read (a duplicated id reads its first node), by index for what is left to do.
  const emitted = new Map<string, LaneAttributeMap>();
  const problems: Problem[] = [];
  const pending = new Map(views.filter((view) => view.definition && view.config !== undefined).map((view) => [view.index, view]));
  const waiting = (id: string) => {
    const producer = byId.get(id);
    return producer !== undefined && pending.has(producer.index);
  };
  for (let progressed = true; progressed && pending.size > 0; ) {
    progressed = false;
    for (const [index, view] of [...pending]) {
      if (view.inputs.some((edge) => waiting(edge.from))) continue;
      pending.delete(index);
      progressed = true;
      const incoming = incomingAttributes(view, emitted, byId, problems);
      problems.push(...requirementProblems(view, incoming, byId));
      if (view.duplicateOf === undefined) emitted.set(view.id, outputAttributes(view, incoming));
    }
  }
  return problems;
}

function incomingAttributes(view: NodeView, emitted: Map<string, LaneAttributeMap>, byId: Map<string, NodeView>, problems: Problem[]): LaneAttributeMap {
  const incoming: Record<string, unknown> = {};
  const sourceOf: Record<string, string> = {};
  for (const edge of view.inputs) {
    const attributes = emitted.get(edge.from)?.[edge.lane];
    if (!attributes || Object.keys(attributes).length === 0) continue;
    const previous = incoming[edge.lane];
    if (previous !== undefined && !isDeepStrictEqual(previous, attributes)) {
      problems.push({
        code: 'LANE_ATTRIBUTE_CONFLICT',
        severity: 'error',
        path: pointer('nodes', view.index, 'inputs', edge.index),
        message: `Node "${view.id}" gets ${edge.lane} with ${describe(attributes)} from "${edge.from}" but ${describe(previous)} from "${sourceOf[edge.lane]}".`,
        hint: `Feed "${view.id}" from producers that agree (the same embedding model and dimension), or split it into two nodes.`,
      });
      continue;
    }
    incoming[edge.lane] = attributes;
    sourceOf[edge.lane] = byId.get(edge.from)?.id ?? edge.from;
  }
  return incoming as LaneAttributeMap;
}

function requirementProblems(view: NodeView, incoming: LaneAttributeMap, byId: Map<string, NodeView>): Problem[] {
  const required = view.definition?.requires?.(view.config) ?? {};
  const problems: Problem[] = [];
  for (const [lane, wanted] of Object.entries(required) as Array<[LaneName, Record<string, unknown>]>) {
    const got = incoming[lane] as Record<string, unknown> | undefined;
    if (!got) continue;
    for (const [key, value] of Object.entries(wanted)) {
      if (value === undefined || got[key] === undefined || isDeepStrictEqual(mergedView(got[key], value), got[key])) continue;
      const edge = view.inputs.find((entry) => entry.lane === lane)!;
      const producer = byId.get(edge.from);
      problems.push({
        code: 'LANE_ATTRIBUTE_MISMATCH',
        severity: 'error',
        path: pointer('nodes', view.index, 'inputs', edge.index),
        message: `Node "${view.id}" (${view.type}) needs ${lane} with ${key} ${JSON.stringify(value)}, but "${edge.from}" (${producer?.type}) gives ${JSON.stringify(got[key])}.`,
        hint: `Make both sides agree: configure "${edge.from}" to produce ${JSON.stringify(value)}, or point "${view.id}" at a collection/config made for ${JSON.stringify(got[key])}.`,
      });
    }
  }
  return problems;
}

/** `wanted` may name only some fields (a dimension without a model): compare those. */
function mergedView(got: unknown, wanted: unknown): unknown {
  if (got && wanted && typeof got === 'object' && typeof wanted === 'object' && !Array.isArray(got)) {
    return { ...(got as object), ...Object.fromEntries(Object.entries(wanted).filter(([, value]) => value !== undefined)) };
  }
  return wanted;
}

function outputAttributes(view: NodeView, incoming: LaneAttributeMap): LaneAttributeMap {
  const definition = view.definition!;
  if (definition.attributes) return definition.attributes(view.config, incoming);
  const passed: Record<string, unknown> = {};
  for (const lane of definition.outputs as LaneName[]) {
    if (definition.inputs.includes(lane) && incoming[lane]) passed[lane] = incoming[lane];
  }
  return passed as LaneAttributeMap;
}

function describe(attributes: unknown): string {
  return JSON.stringify(attributes);
}
