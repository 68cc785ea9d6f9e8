import type { LaneName } from '../lanes/index.js';
import type { AnyNodeDefinition } from '../node-kit/index.js';

/** A node of the raw document as far as it could be read; the graph checks work on these. */
export interface NodeView {
  index: number;
  id: string;
  type: string;
  definition: AnyNodeDefinition | undefined;
  config: unknown;
  emits: readonly LaneName[];
  inputs: Array<{ index: number; lane: LaneName; from: string }>;
  /** Edges declared, readable or not (a mistyped lane is reported once, not again as a missing input). */
  declaredInputs: number;
  /**
   * Index of the earlier node with the same id (DUPLICATE_NODE_ID). The node is still checked on its
   * own (type, config, inputs, bindings), but references to its id resolve to the earlier node.
   */
  duplicateOf?: number;
}

/** Views by id; a duplicated id names its first node, the one references resolve to. */
export function viewsById(views: readonly NodeView[]): Map<string, NodeView> {
  const byId = new Map<string, NodeView>();
  for (const view of views) if (view.duplicateOf === undefined && !byId.has(view.id)) byId.set(view.id, view);
  return byId;
}

/**
 * `base` made a valid node id, or with the first free number after it (`ocr`, `ocr2`, …): the ids
 * that validator fixes and plan skeletons give new or renamed nodes. Adds the id to `taken`.
 */
export function freeNodeId(base: string, taken: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '') || 'node';
  let id = clean;
  for (let counter = 2; taken.has(id); counter++) id = `${clean}${counter}`;
  taken.add(id);
  return id;
}
