import { isSourceNode, type Registry } from '../node-kit/index.js';
import { bindingEntries, boundOnlyNodeIds, pipeName } from '../pipeline/index.js';

/**
 * Read-only views of a pipeline document for list_pipelines, get_pipeline and the exposed tools.
 * They read raw JSON (a saved file may be hand-edited and invalid) and never throw.
 */

interface RawNode {
  id?: unknown;
  type?: unknown;
  inputs?: unknown;
  uses?: unknown;
}

interface RawOutput {
  lane?: unknown;
  from?: unknown;
  as?: unknown;
}

interface RawPipeline {
  name?: unknown;
  description?: unknown;
  expose?: unknown;
  nodes?: unknown;
  outputs?: unknown;
}

const nodesOf = (document: unknown): RawNode[] => {
  const nodes = (document as RawPipeline | null)?.nodes;
  return Array.isArray(nodes) ? nodes.filter((node): node is RawNode => !!node && typeof node === 'object') : [];
};
const outputsOf = (document: unknown): RawOutput[] => {
  const outputs = (document as RawPipeline | null)?.outputs;
  return Array.isArray(outputs) ? outputs.filter((output): output is RawOutput => !!output && typeof output === 'object') : [];
};
const edgesOf = (node: RawNode): Array<{ lane: string; from: string }> =>
  Array.isArray(node.inputs)
    ? node.inputs
        .filter((edge): edge is { lane: string; from: string } => typeof edge?.lane === 'string' && typeof edge?.from === 'string')
    : [];

export interface PipelineSummary {
  description?: string;
  expose: boolean;
  /** Node types, in document order. */
  nodes: string[];
  /** Lanes the pipeline reads its run input on (what the source's consumers read from it). */
  inputLane: string[];
  /** What a run takes: a workspace file (source.file) or text (any other source). */
  input: 'path' | 'text';
  outputs: Array<{ name: string; lane: string; from: string }>;
}

export function summarizePipeline(document: unknown, registry: Registry): PipelineSummary {
  const raw = (document ?? {}) as RawPipeline;
  const nodes = nodesOf(document);
  const boundOnly = boundOnlyNodeIds(document);
  const source = nodes.find((node) => {
    const definition = typeof node.type === 'string' ? registry.find(node.type) : undefined;
    return definition !== undefined && isSourceNode(definition) && !boundOnly.has(String(node.id));
  });
  const inputLane = new Set<string>();
  if (source) for (const node of nodes) for (const edge of edgesOf(node)) if (edge.from === source.id) inputLane.add(edge.lane);
  return {
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    expose: raw.expose === true,
    nodes: nodes.map((node) => String(node.type)),
    inputLane: [...inputLane],
    input: source?.type === 'source.file' ? 'path' : 'text',
    outputs: outputsOf(document).map((output) => ({ name: String(output.as), lane: String(output.lane), from: String(output.from) })),
  };
}

/** The MCP tool name of an exposed pipeline: `pipe_<name>` in lower snake case, at most 64 characters (clients refuse longer names). */
export function exposedToolName(name: string): string {
  return `pipe_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`.slice(0, 64).replace(/_+$/, '');
}

const label = (text: string) => text.replace(/"/g, '#quot;');

/**
 * A Mermaid flowchart of the pipeline: one box per node (id and type), data edges labelled with
 * their lane, `uses` bindings as dashed edges labelled with the binding, outputs as rounded ends.
 */
export function pipelineMermaid(document: unknown): string {
  const nodes = nodesOf(document);
  const ids = new Map<string, string>();
  nodes.forEach((node, index) => ids.set(String(node.id), `n${index}`));
  const lines = ['flowchart LR'];
  for (const node of nodes) lines.push(`  ${ids.get(String(node.id))}["${label(String(node.id))}<br/><small>${label(String(node.type))}</small>"]`);
  const pipes = new Map<string, string>();
  for (const node of nodes) {
    const target = ids.get(String(node.id))!;
    for (const edge of edgesOf(node)) lines.push(`  ${ids.get(edge.from) ?? missing(lines, ids, edge.from)} -->|${label(edge.lane)}| ${target}`);
    if (!node.uses || typeof node.uses !== 'object') continue;
    for (const [binding, value] of Object.entries(node.uses)) {
      for (const entry of bindingEntries(value)) {
        const saved = pipeName(entry);
        let bound: string;
        if (saved !== undefined) {
          bound = pipes.get(saved) ?? `p${pipes.size}`;
          if (!pipes.has(saved)) {
            pipes.set(saved, bound);
            lines.push(`  ${bound}[["${label(entry)}"]]`);
          }
        } else {
          bound = ids.get(entry) ?? missing(lines, ids, entry);
        }
        lines.push(`  ${target} -.->|${label(binding)}| ${bound}`);
      }
    }
  }
  outputsOf(document).forEach((output, index) => {
    lines.push(`  o${index}(["${label(String(output.as))}"])`);
    lines.push(`  ${ids.get(String(output.from)) ?? missing(lines, ids, String(output.from))} -->|${label(String(output.lane))}| o${index}`);
  });
  return lines.join('\n');
}

/** A node an edge names but the document lacks: drawn once, marked missing. */
function missing(lines: string[], ids: Map<string, string>, id: string): string {
  const key = `m${ids.size}`;
  ids.set(id, key);
  lines.push(`  ${key}["${label(id)}<br/><small>missing</small>"]`);
  return key;
}
