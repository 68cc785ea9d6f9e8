import { lanes, type LaneName } from '../lanes/index.js';
import {
  PipelaneError,
  abortableDelay,
  isPipelaneError,
  WorkAbort,
  type AnyNodeDefinition,
  type NodeContext,
  type NodeLifecycleContext,
} from '../node-kit/index.js';
import type { PipelineNode } from '../pipeline/index.js';
import { pointer } from '../pipeline/index.js';
import { isoTimestamp, newSpanId, previewOf, redactSecrets, type SpanRecord } from '../trace/index.js';
import type { Channel } from './channel.js';
import { ItemDeadline } from './item-deadline.js';
import { withSpanScope } from './span-scope.js';
import type { RunContext } from './run-context.js';
import type { AgentTool } from '../agent-kit/spec.js';
import type { LlmBinding } from '../providers/spec.js';

export interface Envelope {
  lane: LaneName;
  item: unknown;
}

export interface Subscriber {
  push(envelope: Envelope): Promise<void>;
}

/** One node of one run: its definition, resolved config, queue and downstream subscribers. */
export interface NodeInstance {
  index: number;
  spec: PipelineNode;
  definition: AnyNodeDefinition;
  config: unknown;
  state: Record<string, unknown>;
  channel: Channel<Envelope> | undefined;
  subscribers: Map<LaneName, Subscriber[]>;
  /** Channels of distinct downstream nodes, told when this node is done. */
  downstream: Set<Channel<Envelope>>;
  itemsDone: number;
}

/** Resolves a node's control bindings (`ctx.llm`, `ctx.tools`) for one run. */
export interface NodeBindings {
  llm(instance: NodeInstance, binding: string): LlmBinding;
  tools(instance: NodeInstance, binding: string): AgentTool[];
}

export interface InvokeEnvironment {
  run: RunContext;
  bindings: NodeBindings;
  warnings: string[];
  defaultTimeoutMs: number;
  onItemDone(instance: NodeInstance, failed: boolean, message?: string): void;
}

/** How one attempt differs when a node runs as a tool rather than in the data flow. */
export interface AttemptOptions {
  /** Where emitted items go instead of downstream subscribers. */
  sink?: (lane: LaneName, payload: unknown) => Promise<void>;
  /** Aborts the item too (the tool caller's signal). */
  signal?: AbortSignal;
  /** The span this invocation is nested under (a tool span). */
  parentSpanId?: string;
  /** Lanes the node should consider read (a tool's caller reads all of them). */
  subscribedLanes?: ReadonlySet<LaneName>;
}

const PREVIEW_ITEMS = 3;

/** A node's logger, made once per node of a run rather than once per item. */
const nodeLoggers = new WeakMap<NodeInstance, NodeLifecycleContext<unknown>['logger']>();

/** The lanes something reads from a node: fixed once the run is wired, so made once per node. */
const subscribedLanes = new WeakMap<NodeInstance, ReadonlySet<LaneName>>();

function subscribedLanesOf(instance: NodeInstance): ReadonlySet<LaneName> {
  let lanesRead = subscribedLanes.get(instance);
  if (lanesRead === undefined) subscribedLanes.set(instance, (lanesRead = new Set(instance.subscribers.keys())));
  return lanesRead;
}

function nodeLogger(instance: NodeInstance, run: RunContext): NodeLifecycleContext<unknown>['logger'] {
  let logger = nodeLoggers.get(instance);
  if (logger === undefined) nodeLoggers.set(instance, (logger = run.logger.child({ node: instance.spec.id })));
  return logger;
}

export function lifecycleContext(instance: NodeInstance, run: RunContext): NodeLifecycleContext<unknown> {
  return { runId: run.runId, nodeId: instance.spec.id, config: instance.config, signal: run.signal, logger: nodeLogger(instance, run), state: instance.state };
}

/**
 * Processes one item (or a flush) in a span: per-item timeout, retries and the node's onError
 * policy. Throws a PipelaneError when the run must fail; returns when the item is done or skipped.
 */
export async function invokeNode(
  instance: NodeInstance,
  environment: InvokeEnvironment,
  item: unknown,
  lane: LaneName | undefined,
  phase: 'process' | 'flush' = 'process',
): Promise<void> {
  const { spec, definition } = instance;
  const policy = spec.onError ?? 'fail';
  const attempts = policy === 'retry' ? (spec.retries ?? 2) + 1 : 1;
  const timeoutMs = spec.timeoutMs ?? definition.timeoutMs ?? environment.defaultTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await attemptOnce(instance, environment, item, lane, phase, timeoutMs, attempt);
      if (phase === 'process') environment.onItemDone(instance, false);
      return;
    } catch (error) {
      if (environment.run.signal.aborted || !isPipelaneError(error)) throw error;
      if (attempt < attempts) {
        await abortableDelay(100 * 2 ** (attempt - 1), environment.run.signal);
        continue;
      }
      if (policy === 'skip') {
        environment.warnings.push(`Node "${spec.id}" skipped an item: ${error.code}: ${error.message}`);
        environment.onItemDone(instance, true, error.message);
        return;
      }
      throw error;
    }
  }
}

export async function attemptOnce(
  instance: NodeInstance,
  environment: InvokeEnvironment,
  item: unknown,
  lane: LaneName | undefined,
  phase: 'process' | 'flush',
  timeoutMs: number,
  attempt: number,
  options: AttemptOptions = {},
): Promise<void> {
  const { spec, definition } = instance;
  const { run } = environment;
  const secrets = run.secrets;
  // Aborted by the run, the tool caller or the item's own deadline.
  const abort = new WorkAbort([run.signal, options.signal]);
  let timedOut: PipelaneError | undefined;
  const deadline = new ItemDeadline(timeoutMs, () => {
    timedOut = new PipelaneError('NODE_TIMEOUT', `Node "${spec.id}" (${definition.type}) took longer than ${timeoutMs} ms on one item.`, {
      hint: `Raise "timeoutMs" on the node, or give it smaller inputs.`,
      path: pointer('nodes', instance.index),
      retryable: true,
    });
    abort.abort(timedOut);
  });
  const spanId = newSpanId();
  const started = Date.now();
  const emittedPreview: unknown[] = [];
  const attributes: Record<string, unknown> = attempt > 1 ? { attempt } : {};
  let itemsOut = 0;
  // The lifecycle fields written out rather than spread from lifecycleContext(): one object per item, not two.
  const context: NodeContext<LaneName, LaneName, unknown> = {
    runId: run.runId,
    nodeId: spec.id,
    config: instance.config,
    logger: nodeLogger(instance, run),
    state: instance.state,
    get signal() {
      return abort.signal;
    },
    nodeType: definition.type,
    lane,
    subscribedLanes: options.subscribedLanes ?? subscribedLanesOf(instance),
    async emit(outLane, payload) {
      abort.throwIfAborted();
      checkEmission(instance, outLane, payload);
      itemsOut += 1;
      if (emittedPreview.length < PREVIEW_ITEMS) emittedPreview.push(payload);
      if (options.sink) return options.sink(outLane, payload);
      for (const subscriber of instance.subscribers.get(outLane) ?? []) {
        await deadline.excluding(subscriber.push({ lane: outLane, item: payload }));
      }
    },
    warn(message) {
      environment.warnings.push(`${spec.id}: ${message}`);
      attributes.warnings = [...((attributes.warnings as string[] | undefined) ?? []), message];
    },
    setAttributes(extra) {
      Object.assign(attributes, extra);
    },
    llm: (binding) => environment.bindings.llm(instance, binding),
    tools: (binding) => environment.bindings.tools(instance, binding),
  };
  let status: SpanRecord['status'] = 'ok';
  let failure: PipelaneError | undefined;
  try {
    // Library code (providers, agents, tools) parents its spans to this node's span through the scope.
    await withSpanScope({ spanId, nodeId: spec.id, nodeType: definition.type }, async () => {
      const work = phase === 'process' ? definition.process(item as never, context as never) : definition.flush?.(context as never);
      await abort.race(Promise.resolve(work));
    });
  } catch (error) {
    failure = classify(error, instance, run.signal, timedOut);
    status = run.signal.aborted ? 'cancelled' : 'error';
    throw failure;
  } finally {
    deadline.clear();
    abort.dispose();
    const ended = Date.now();
    // Built field by field: a span per item, with no temporary objects for its optional parts.
    const span: SpanRecord = {
      spanId,
      runId: run.runId,
      nodeId: spec.id,
      nodeType: definition.type,
      kind: 'node',
      status,
      startedAt: isoTimestamp(started),
      endedAt: isoTimestamp(ended),
      durationMs: ended - started,
      itemsIn: phase === 'process' ? 1 : 0,
      itemsOut,
      attributes: { lane: lane ?? null, phase, ...attributes },
    };
    if (options.parentSpanId) span.parentSpanId = options.parentSpanId;
    if (failure) span.error = redactError(failure, secrets);
    if (run.previews && phase === 'process') span.inputPreview = previewOf(item, 500, { secrets });
    if (run.previews) span.outputPreview = previewOf(emittedPreview.length === 1 ? emittedPreview[0] : emittedPreview, 500, { secrets });
    run.recordSpan(span);
  }
}

function checkEmission(instance: NodeInstance, lane: LaneName, payload: unknown): void {
  const { spec, definition } = instance;
  if (!definition.outputs.includes(lane)) {
    throw new PipelaneError('LANE_NOT_DECLARED', `Node "${spec.id}" (${definition.type}) emitted on lane ${lane}, which it does not declare (it declares ${definition.outputs.join(', ')}).`, {
      hint: `This is a bug in ${definition.type}: add the lane to its outputs or emit on a declared one.`,
      path: pointer('nodes', instance.index),
    });
  }
  const parsed = lanes[lane].payload.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PipelaneError('LANE_PAYLOAD_INVALID', `Node "${spec.id}" (${definition.type}) emitted an invalid ${lane} item: ${issue?.path.join('.') || 'item'}: ${issue?.message}.`, {
      hint: `This is a bug in ${definition.type}: its ${lane} items must match the lane schema (list_lanes).`,
      path: pointer('nodes', instance.index),
    });
  }
}

function classify(error: unknown, instance: NodeInstance, runSignal: AbortSignal, timedOut: PipelaneError | undefined): PipelaneError {
  if (timedOut !== undefined && !runSignal.aborted) return timedOut;
  if (isPipelaneError(error)) {
    // A node names paths inside itself (`/config/accept`); callers need them rooted in the pipeline.
    const nodePath = pointer('nodes', instance.index);
    if (error.path.startsWith(nodePath + '/') || error.path === nodePath) return error;
    return new PipelaneError(error.code, error.message, { hint: error.hint, path: nodePath + error.path, retryable: error.retryable, cause: error.cause, details: error.details });
  }
  if (runSignal.aborted) {
    const reason = runSignal.reason;
    return isPipelaneError(reason) ? reason : new PipelaneError('RUN_CANCELLED', 'The run was cancelled.', { hint: 'Start the run again if this was not intended.' });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PipelaneError('NODE_FAILED', `Node "${instance.spec.id}" (${instance.definition.type}) failed: ${message}`, {
    hint: 'Read the span of this node (get_run) for its input; this may be a bug in the node.',
    path: pointer('nodes', instance.index),
    cause: error,
  });
}

function redactError(error: PipelaneError, secrets: readonly string[]): SpanRecord['error'] {
  return { code: error.code, message: redactSecrets(error.message, secrets), hint: redactSecrets(error.hint, secrets), path: error.path };
}


