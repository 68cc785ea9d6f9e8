import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { LaneName } from '../lanes/index.js';
import { PipelaneError, isPipelaneError, isSourceNode, type RunInput } from '../node-kit/index.js';
import { pipelineSchema, pointer, resolvePlaceholders, validatePipeline, type Pipeline } from '../pipeline/index.js';
import { redactSecrets, type SpanRecord, type TraceError } from '../trace/index.js';
import { Channel } from './channel.js';
import { invokeNode, lifecycleContext, type Envelope, type InvokeEnvironment, type NodeInstance, type Subscriber } from './node-instance.js';
import { withRunContext, type RunContext } from './run-context.js';
import { createNodeBindings } from './bindings.js';
import type { Engine, EngineOptions, RunRequest, RunResult } from './types.js';

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * The engine holds only what every run may share (registry, trace store, logger). Everything a
 * run mutates — queues, node state, outputs, warnings — is created inside `run`.
 */
export function createEngine(options: EngineOptions): Engine {
  const logger = options.logger ?? pino({ level: 'silent' });
  const queueSize = options.queueSize ?? 16;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function run(request: RunRequest): Promise<RunResult> {
    const validation = validatePipeline(request.pipeline, options.registry);
    if (!validation.valid) {
      const errors = validation.problems.filter((problem) => problem.severity === 'error');
      throw new PipelaneError('PIPELINE_INVALID', `The pipeline has ${errors.length} problem(s): ${errors.map((problem) => `${problem.code} at ${problem.path}`).join('; ')}.`, {
        hint: 'Fix the problems listed (validate_pipeline shows each with a hint and a fix) and run again.',
        details: { problems: validation.problems },
      });
    }
    const pipeline = pipelineSchema.parse(request.pipeline);
    const runId = request.runId ?? randomUUID();
    const started = Date.now();
    const controller = new AbortController();
    const spans: SpanRecord[] = [];
    const warnings: string[] = [];
    const outputs: Record<string, unknown[]> = Object.fromEntries(pipeline.outputs.map((output) => [output.as, []]));
    let firstError: PipelaneError | undefined;

    const onExternalAbort = () => controller.abort(request.signal?.reason ?? new PipelaneError('RUN_CANCELLED', 'The run was cancelled.', { hint: 'Start the run again if this was not intended.' }));
    if (request.signal?.aborted) onExternalAbort();
    request.signal?.addEventListener('abort', onExternalAbort, { once: true });
    const deadline = request.timeoutMs ? started + request.timeoutMs : undefined;
    const deadlineTimer = request.timeoutMs
      ? setTimeout(() => {
          firstError ??= new PipelaneError('RUN_TIMEOUT', `The run took longer than ${request.timeoutMs} ms.`, { hint: 'Raise timeoutMs or give the run a smaller input.', retryable: true });
          controller.abort(firstError);
        }, request.timeoutMs)
      : undefined;

    const traceStore = options.traceStore;
    const context: RunContext = {
      runId,
      pipeline: pipeline.name,
      signal: controller.signal,
      deadline,
      logger: logger.child({ runId, pipeline: pipeline.name }),
      nodeState: new Map(),
      recordSpan(span) {
        spans.push(span);
        try {
          traceStore?.recordSpan(span);
        } catch (error) {
          logger.warn({ err: error, runId }, 'could not record span');
        }
      },
    };
    // The input summary is stored at the end, once the ${ENV} values it must not contain are known.
    traceStore?.startRun({ runId, pipeline: pipeline.name, status: 'running', startedAt: new Date(started).toISOString() });
    let secrets: string[] = [];

    let totalDone = 0;
    const environment: Omit<InvokeEnvironment, 'secrets' | 'previews'> = {
      run: context,
      bindings: createNodeBindings(),
      warnings,
      defaultTimeoutMs,
      onItemDone(instance, failed, message) {
        instance.itemsDone += 1;
        totalDone += 1;
        request.onProgress?.({ runId, nodeId: instance.spec.id, kind: failed ? 'item-failed' : 'item-done', itemsDone: instance.itemsDone, totalDone, ...(message ? { message } : {}) });
      },
    };

    let instances: NodeInstance[] = [];
    const opened: NodeInstance[] = [];
    await withRunContext(context, async () => {
      try {
        const { instances: built, secrets: resolvedSecrets } = buildInstances(pipeline, request.env ?? process.env, options.registry, controller.signal, queueSize, outputs);
        instances = built;
        secrets = resolvedSecrets;
        for (const instance of instances) {
          context.nodeState.set(instance.spec.id, instance.state);
          await instance.definition.open?.(lifecycleContext(instance, context));
          opened.push(instance);
        }
        const invokeEnvironment: InvokeEnvironment = { ...environment, secrets, previews: options.tracePreviews ?? true };
        await Promise.all(
          instances.map((instance) =>
            runInstance(instance, invokeEnvironment, request.inputs).catch((error: unknown) => {
              if (!firstError && !controller.signal.aborted) firstError = asPipelaneError(error, instance);
              controller.abort(firstError ?? error);
            }),
          ),
        );
      } catch (error) {
        firstError ??= asPipelaneError(error, undefined);
        controller.abort(firstError);
      } finally {
        clearTimeout(deadlineTimer);
        request.signal?.removeEventListener('abort', onExternalAbort);
        for (const instance of opened.reverse()) {
          try {
            await instance.definition.close?.(lifecycleContext(instance, context));
          } catch (error) {
            context.logger.warn({ err: error, node: instance.spec.id }, 'node close failed');
          }
        }
      }
    });

    const cancelled = request.signal?.aborted === true && firstError === undefined;
    const status: RunResult['status'] = cancelled ? 'cancelled' : firstError ? 'failed' : 'succeeded';
    const error: TraceError | undefined = cancelled
      ? { code: 'RUN_CANCELLED', message: 'The run was cancelled before it finished.', hint: 'Start the run again if this was not intended.' }
      : firstError?.toJSON();
    const durationMs = Date.now() - started;
    traceStore?.endRun(runId, {
      status,
      endedAt: new Date().toISOString(),
      durationMs,
      warnings,
      // The input summary is a preview too (the start of --text): it follows the same switch.
      ...(request.inputSummary && (options.tracePreviews ?? true) ? { input: redactSecrets(request.inputSummary, secrets) } : {}),
      outputs: Object.fromEntries(Object.entries(outputs).map(([name, items]) => [name, items.length])),
      ...(error ? { error } : {}),
    });
    return {
      runId,
      pipeline: pipeline.name,
      status,
      outputs,
      warnings,
      ...(error ? { error } : {}),
      durationMs,
      spans,
      ...(traceStore ? { traceLocation: traceStore.location } : {}),
    };
  }

  return { run };
}

function buildInstances(
  pipeline: Pipeline,
  env: NodeJS.ProcessEnv,
  registry: EngineOptions['registry'],
  signal: AbortSignal,
  queueSize: number,
  outputs: Record<string, unknown[]>,
): { instances: NodeInstance[]; secrets: string[] } {
  const secrets: string[] = [];
  const instances = pipeline.nodes.map((spec, index): NodeInstance => {
    const definition = registry.get(spec.type);
    const resolved = resolvePlaceholders(spec.config ?? {}, env, pointer('nodes', index, 'config'));
    secrets.push(...resolved.secrets);
    const producers = new Set((spec.inputs ?? []).map((edge) => edge.from)).size;
    return {
      index,
      spec,
      definition,
      config: definition.config.parse(resolved.value),
      state: {},
      channel: isSourceNode(definition) ? undefined : new Channel<Envelope>(queueSize, producers, signal),
      subscribers: new Map(),
      downstream: new Set(),
      itemsDone: 0,
    };
  });
  const byId = new Map(instances.map((instance) => [instance.spec.id, instance]));
  const subscribe = (producer: NodeInstance, lane: LaneName, subscriber: Subscriber) => {
    producer.subscribers.set(lane, [...(producer.subscribers.get(lane) ?? []), subscriber]);
  };
  for (const consumer of instances) {
    for (const edge of consumer.spec.inputs ?? []) {
      const producer = byId.get(edge.from)!;
      const channel = consumer.channel!;
      subscribe(producer, edge.lane, { push: (envelope) => channel.push(envelope) });
      producer.downstream.add(channel);
    }
  }
  for (const output of pipeline.outputs) {
    const collected = outputs[output.as]!;
    subscribe(byId.get(output.from)!, output.lane, { push: async (envelope) => void collected.push(envelope.item) });
  }
  return { instances, secrets };
}

async function runInstance(instance: NodeInstance, environment: InvokeEnvironment, inputs: RunInput[]): Promise<void> {
  try {
    if (!instance.channel) {
      for (const input of inputs) await invokeNode(instance, environment, input, undefined);
    } else {
      const channel = instance.channel;
      const workers = Math.max(1, instance.spec.concurrency ?? instance.definition.concurrency ?? 1);
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let envelope = await channel.pull(); envelope; envelope = await channel.pull()) {
            await invokeNode(instance, environment, envelope.item, envelope.lane);
          }
        }),
      );
    }
    if (instance.definition.flush) await invokeNode(instance, environment, undefined, undefined, 'flush');
  } finally {
    for (const channel of instance.downstream) channel.producerDone();
  }
}

function asPipelaneError(error: unknown, instance: NodeInstance | undefined): PipelaneError {
  if (isPipelaneError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PipelaneError('RUN_FAILED', message, {
    hint: 'This looks like a bug; the trace (get_run) shows the last spans.',
    ...(instance ? { path: pointer('nodes', instance.index) } : {}),
    cause: error,
  });
}
