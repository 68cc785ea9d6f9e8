/** A `pipe:<name>` entry of a tools binding names a saved pipeline; anything else is a node id. */
export const PIPE_PREFIX = 'pipe:';

export function pipeName(entry: string): string | undefined {
  return entry.startsWith(PIPE_PREFIX) ? entry.slice(PIPE_PREFIX.length) : undefined;
}

/** The entries of one binding as a list (`"uses": {"llm": "gpt"}` and `{"llm": ["gpt"]}` alike). */
export function bindingEntries(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

interface NodeLike {
  id?: unknown;
  inputs?: unknown;
  uses?: unknown;
}

/** Node ids some node binds through `uses` (as its model or a tool). */
export function boundNodeIds(nodes: readonly unknown[]): Set<string> {
  const bound = new Set<string>();
  for (const node of nodes) {
    const uses = (node as NodeLike | null)?.uses;
    if (!uses || typeof uses !== 'object') continue;
    for (const value of Object.values(uses)) {
      for (const entry of bindingEntries(value)) if (pipeName(entry) === undefined) bound.add(entry);
    }
  }
  return bound;
}

/** Nodes with no data edge in or out that are not an output either. */
export function unconnectedNodeIds(raw: unknown): Set<string> {
  const nodes = Array.isArray((raw as { nodes?: unknown })?.nodes) ? (raw as { nodes: unknown[] }).nodes : [];
  const outputs = Array.isArray((raw as { outputs?: unknown })?.outputs) ? (raw as { outputs: unknown[] }).outputs : [];
  const consumed = new Set<unknown>();
  for (const node of nodes) {
    const inputs = (node as NodeLike | null)?.inputs;
    if (Array.isArray(inputs)) for (const edge of inputs) consumed.add((edge as { from?: unknown } | null)?.from);
  }
  for (const output of outputs) consumed.add((output as { from?: unknown } | null)?.from);
  const unconnected = new Set<string>();
  for (const node of nodes) {
    const { id, inputs } = (node ?? {}) as NodeLike;
    if (typeof id !== 'string' || consumed.has(id) || (Array.isArray(inputs) && inputs.length > 0)) continue;
    unconnected.add(id);
  }
  return unconnected;
}

/**
 * Nodes reached only through another node's `uses`: no data edge in or out and not an output.
 * They serve calls (a model, a tool) and take no part in the data flow.
 */
export function boundOnlyNodeIds(raw: unknown): Set<string> {
  const nodes = Array.isArray((raw as { nodes?: unknown })?.nodes) ? (raw as { nodes: unknown[] }).nodes : [];
  const bound = boundNodeIds(nodes);
  return new Set([...unconnectedNodeIds(raw)].filter((id) => bound.has(id)));
}
