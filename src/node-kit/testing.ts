import pino from 'pino';
import { lanes, type LaneName } from '../lanes/index.js';
import type { AnyNodeDefinition, NodeDefinition, RunInput } from './define-node.js';
import { resolvePlaceholders } from './env.js';
import { isPipelaneError, type PipelaneError } from './errors.js';
import { bindingKindError, bindingMissingError, unknownBindingError } from './bindings.js';
import type { AgentTool } from '../agent-kit/spec.js';
import type { LlmBinding } from '../providers/spec.js';
import { z } from 'zod';

const zodAnyConfig = z.record(z.string(), z.unknown());

export interface EmittedItem {
  lane: LaneName;
  item: unknown;
}

export interface RunNodeResult {
  emitted: EmittedItem[];
  /** Emitted items that broke their lane's schema (a node bug), as readable lines. */
  problems: string[];
  warnings: string[];
  attributes: Record<string, unknown>;
  /** Typed errors thrown by `process`, one per failed item; the harness goes on with the next item. */
  errors: PipelaneError[];
}

export interface RunNodeOptions {
  config?: Record<string, unknown>;
  /** Items for a node that reads lanes; `lane` defaults to the node's first input. */
  items?: Array<{ lane?: LaneName; item: unknown }>;
  /** Run inputs for a source node. */
  inputs?: RunInput[];
  signal?: AbortSignal;
  /** Environment for `${VAR}` placeholders in config (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Lanes downstream reads (default: all of the node's outputs). */
  subscribedLanes?: LaneName[];
  /** What `ctx.llm(name)` returns, by binding name; a missing one throws BINDING_MISSING. */
  llm?: Record<string, LlmBinding>;
  /** What `ctx.tools(name)` returns, by binding name; a missing one throws BINDING_MISSING. */
  tools?: Record<string, AgentTool[]>;
}

const silentLogger = pino({ level: 'silent' });

/**
 * Runs one node outside the engine, the way the engine does: config parsed by the node's schema,
 * open → process each item → flush → close, every emitted item checked against its lane schema.
 * Errors thrown for one item are collected so a test can check that the next item is still served.
 */
export async function runNode<In extends LaneName, Out extends LaneName, Schema extends z.ZodType>(
  definition: NodeDefinition<In, Out, Schema>,
  options: RunNodeOptions = {},
): Promise<RunNodeResult> {
  const node = definition as unknown as AnyNodeDefinition;
  // Like the engine: `${VAR}` placeholders resolve from the environment at run time.
  const config = node.config.parse(resolvePlaceholders(options.config ?? {}, options.env ?? process.env, '/config').value);
  const result: RunNodeResult = { emitted: [], problems: [], warnings: [], attributes: {}, errors: [] };
  const signal = options.signal ?? new AbortController().signal;
  const state: Record<string, unknown> = {};
  const base = { runId: 'test-run', nodeId: 'node', config, signal, logger: silentLogger, state };
  const contextFor = (lane: LaneName | undefined) => ({
    ...base,
    nodeType: node.type,
    lane,
    subscribedLanes: new Set(options.subscribedLanes ?? node.outputs),
    async emit(outLane: LaneName, item: unknown) {
      if (!node.outputs.includes(outLane)) result.problems.push(`emitted on undeclared lane ${outLane}`);
      const parsed = lanes[outLane].payload.safeParse(item);
      if (!parsed.success) result.problems.push(`${outLane}: ${parsed.error.message}`);
      result.emitted.push({ lane: outLane, item });
    },
    warn: (message: string) => void result.warnings.push(message),
    setAttributes: (attributes: Record<string, unknown>) => void Object.assign(result.attributes, attributes),
    llm: (binding: string) => boundValue(node, binding, 'llm', options.llm),
    tools: (binding: string) => boundValue(node, binding, 'tools', options.tools),
  });
  await node.open?.(base);
  try {
    const work: Array<{ lane: LaneName | undefined; item: unknown }> =
      node.inputs.length === 0
        ? (options.inputs ?? []).map((input) => ({ lane: undefined, item: input }))
        : (options.items ?? []).map(({ lane, item }) => ({ lane: lane ?? node.inputs[0], item }));
    for (const { lane, item } of work) {
      try {
        await node.process(item as never, contextFor(lane) as never);
      } catch (error) {
        if (!isPipelaneError(error)) throw error;
        result.errors.push(error);
      }
    }
    await node.flush?.(contextFor(undefined) as never);
  } finally {
    await node.close?.(base);
  }
  return result;
}

/** Like the engine: the binding must be declared, of the asked kind, and given. */
function boundValue<T>(node: AnyNodeDefinition, binding: string, kind: 'llm' | 'tools', given: Record<string, T> | undefined): T {
  const spec = node.uses?.[binding];
  if (!spec) throw unknownBindingError('node', node.type, binding, node.uses);
  if (spec.kind !== kind) throw bindingKindError('node', node.type, binding, spec, kind);
  const value = given?.[binding];
  // An optional tools binding left out is no tools, as in the engine.
  if (value === undefined && kind === 'tools' && spec.min === 0) return [] as T;
  if (value === undefined) throw bindingMissingError('node', node.type, binding, spec);
  return value;
}

/**
 * A throwaway node for engine and validator tests: passes each item through to its first output
 * lane unless `process` is given.
 */
export function fakeNode(options: {
  type: string;
  inputs?: LaneName[];
  outputs?: LaneName[];
  process?: AnyNodeDefinition['process'];
  concurrency?: number;
  timeoutMs?: number;
  title?: string;
  description?: string;
  uses?: AnyNodeDefinition['uses'];
  languageModel?: AnyNodeDefinition['languageModel'];
}): AnyNodeDefinition {
  const outputs = options.outputs ?? ['text'];
  return {
    type: options.type,
    title: options.title ?? options.type,
    description: options.description ?? `Test node ${options.type}`,
    inputs: options.inputs ?? [],
    outputs,
    config: zodAnyConfig,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.uses ? { uses: options.uses } : {}),
    ...(options.languageModel ? { languageModel: options.languageModel } : {}),
    process:
      options.process ??
      (async (item, ctx) => {
        await ctx.emit(outputs[0]!, item as never);
      }),
  };
}
