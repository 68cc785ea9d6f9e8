import type { z } from 'zod';
import type { Logger } from 'pino';
import type { LaneAttributes, LaneName, LanePayload } from '../lanes/index.js';
import type { AgentTool } from '../agent-kit/spec.js';
import type { LlmBinding, ModelSettings } from '../providers/spec.js';

/** Static attributes per lane (embedding dimension and model, mime, language) — see src/lanes. */
export type LaneAttributeMap = { [L in LaneName]?: LaneAttributes<L> };

/** What a run is started with; source nodes turn it into lane items. */
export interface RunInput {
  /** A file path (already confined to the workspace by the caller). */
  path?: string;
  bytes?: Uint8Array;
  /** File name shown in provenance when only bytes are given. */
  name?: string;
  /** Literal text (CLI `--text`, MCP `text`). */
  text?: string;
}

/** The item a node's `process` receives: the run input for sources, a lane payload otherwise. */
export type NodeInputItem<In extends LaneName> = [In] extends [never] ? RunInput : LanePayload<In>;

export interface NodeContext<In extends LaneName, Out extends LaneName, Config> {
  readonly runId: string;
  readonly nodeId: string;
  readonly nodeType: string;
  readonly config: Config;
  /** Aborted when the run is cancelled, times out, or fails elsewhere. Pass it to anything that waits. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The lane the current item arrived on (undefined for sources). */
  readonly lane: In | undefined;
  /** Per-run, per-node scratch space set up in `open`; never shared between runs. */
  readonly state: Record<string, unknown>;
  /**
   * The output lanes some consumer (or a pipeline output) actually reads from this node. A source
   * that can offer an input on several lanes (a PNG as `image` or as `file`) emits on the one wanted.
   */
  readonly subscribedLanes: ReadonlySet<Out>;
  /** Sends an item downstream; waits when the consumer's queue is full (backpressure). */
  emit<L extends Out>(lane: L, item: LanePayload<L>): Promise<void>;
  /** A non-fatal problem, recorded on the span and returned with the run's warnings. */
  warn(message: string): void;
  /** Extra facts for the current span (confidence, queue wait, model). */
  setAttributes(attributes: Record<string, unknown>): void;
  /** The model bound to an `llm` binding declared in `uses` (traced: spans, tokens, cost). */
  llm(binding: string): LlmBinding;
  /** The tools bound to a `tools` binding declared in `uses` (traced: one span per call). */
  tools(binding: string): AgentTool[];
}

/**
 * A control binding a node declares (`uses` in the definition) and a pipeline fills
 * (`"uses": {"llm": "gpt", "tools": ["search", "pipe:invoice-ocr"]}`). An `llm` binding names a node
 * that can serve as a model (one with `languageModel`); a `tools` binding names nodes of the pipeline
 * or saved pipelines as `pipe:<name>`.
 */
export interface BindingSpec {
  kind: 'llm' | 'tools';
  min: number;
  max?: number;
  description: string;
}

export interface NodeLifecycleContext<Config> {
  readonly runId: string;
  readonly nodeId: string;
  readonly config: Config;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly state: Record<string, unknown>;
}

export interface NodeExample {
  title: string;
  config: Record<string, unknown>;
}

export interface NodeDefinition<
  In extends LaneName = LaneName,
  Out extends LaneName = LaneName,
  Schema extends z.ZodType = z.ZodType,
> {
  /** `<category>.<name>`, equal to the folder path `nodes/<category>/<name>/`. */
  type: string;
  title: string;
  description: string;
  /** Lanes read. Empty for a source, which receives the run input instead. */
  inputs: readonly In[];
  outputs: readonly Out[];
  config: Schema;
  /** Narrows the lanes this node can emit for a given config (a source that only accepts images). */
  outputsFor?(config: z.output<Schema>): readonly Out[];
  /**
   * Static attributes of this node's outputs for a config, given what arrives on its inputs (an
   * embedder's dimension and model). Without it, a lane both read and emitted passes its attributes
   * through unchanged and other outputs have none known.
   */
  attributes?(config: z.output<Schema>, incoming: LaneAttributeMap): LaneAttributeMap;
  /** Attributes this node needs on its inputs for a config (a store fixed at 384 dimensions). */
  requires?(config: z.output<Schema>): LaneAttributeMap;
  /** Control bindings this node needs, by name (an agent's `llm` and `tools`). */
  uses?: Record<string, BindingSpec>;
  /** Makes this node usable as an `llm` binding: the model settings its config describes. */
  languageModel?(config: z.output<Schema>): ModelSettings;
  /**
   * The general-purpose choice among nodes that read and emit the same lanes (chunk.text among the
   * chunkers): planned chains of equal length (plan_path, the validator's fixes) go through it
   * first. Leave it unset on nodes made for one kind of content (chunk.code, chunk.markdown).
   */
  general?: boolean;
  /** Items processed at once per run (default 1). */
  concurrency?: number;
  /** Per-item time limit (default 120 s); the engine aborts the item's signal when it passes. */
  timeoutMs?: number;
  examples?: NodeExample[];
  open?(ctx: NodeLifecycleContext<z.output<Schema>>): Promise<void> | void;
  process(item: NodeInputItem<In>, ctx: NodeContext<In, Out, z.output<Schema>>): Promise<void> | void;
  /** Called once all input has arrived, may still emit (aggregators). */
  flush?(ctx: NodeContext<In, Out, z.output<Schema>>): Promise<void> | void;
  close?(ctx: NodeLifecycleContext<z.output<Schema>>): Promise<void> | void;
}

/** The erased form the registry, validator and engine work with. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDefinition = NodeDefinition<any, any, z.ZodType>;

export function defineNode<const In extends LaneName, const Out extends LaneName, Schema extends z.ZodType>(
  definition: NodeDefinition<In, Out, Schema>,
): NodeDefinition<In, Out, Schema> {
  return definition;
}

export function categoryOf(type: string): string {
  return type.split('.')[0] ?? type;
}

export function isSourceNode(definition: AnyNodeDefinition): boolean {
  return definition.inputs.length === 0;
}
