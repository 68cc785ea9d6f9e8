import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import pino from 'pino';
import { PipelaneError, isPipelaneError, type RunInput } from '../node-kit/index.js';
import {
  bindingEntries,
  boundOnlyNodeIds,
  createPipelineLibrary,
  pipeName,
  pipelineSchema,
  pointer,
  validatePipeline,
  type Pipeline,
  type PipelineLibrary,
} from '../pipeline/index.js';
import { redactSecrets, type SpanRecord, type TraceError } from '../trace/index.js';
import { createNodeBindings } from './bindings.js';
import { buildInstances } from './build-instances.js';
import { invokeNode, lifecycleContext, type InvokeEnvironment, type NodeInstance } from './node-instance.js';
import { loadSavedPipeline, type SavedPipelineTarget } from './pipeline-as-tool.js';
import { createRunContext, withRunContext } from './run-context.js';
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
  const workspaceRoot = options.workspaceRoot ?? process.cwd();
  const library: PipelineLibrary | undefined = options.pipelines ?? (options.workspaceRoot ? createPipelineLibrary(join(options.workspaceRoot, 'pipelines')) : undefined);

  async function run(request: RunRequest): Promise<RunResult> {
    const validation = validatePipeline(request.pipeline, options.registry, library ? { pipelines: library } : {});
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
    setMaxListeners(0, controller.signal); // every item in flight follows the run's signal
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
          firstError ??= new PipelaneError('RUN_TIMEOUT', `The run took longer than ${request.timeoutMs} ms.`, { hint: 'Raise the time limit (--timeout on the CLI, timeoutMs over MCP) or give the run a smaller input.', retryable: true });
          controller.abort(firstError);
        }, request.timeoutMs)
      : undefined;

    const traceStore = options.traceStore;
    const previews = options.tracePreviews ?? true;
    const context = createRunContext({
      runId,
      pipeline: pipeline.name,
      signal: controller.signal,
      deadline,
      logger: logger.child({ runId, pipeline: pipeline.name }),
      previews,
      ...(request.parentRun ? { parent: request.parentRun } : {}),
      sink(span) {
        spans.push(span);
        try {
          traceStore?.recordSpan(span);
        } catch (error) {
          logger.warn({ err: error, runId }, 'could not record span');
        }
      },
    });
    // The input summary is stored at the end, once the ${ENV} values it must not contain are known.
    traceStore?.startRun({ runId, pipeline: pipeline.name, status: 'running', startedAt: new Date(started).toISOString() });

    let totalDone = 0;
    const env = request.env ?? process.env;
    const boundOnly = boundOnlyNodeIds(pipeline);
    const opened: NodeInstance[] = [];
    await withRunContext(context, async () => {
      try {
        const { instances, secrets } = buildInstances(pipeline, env, options.registry, controller.signal, queueSize, outputs);
        for (const secret of secrets) context.addSecret(secret);
        const byId = new Map(instances.map((instance) => [instance.spec.id, instance]));
        const savedPipelines = await loadSavedPipelines(pipeline, library, options.registry);
        const environment: InvokeEnvironment = {
          run: context,
          bindings: createNodeBindings({
            run: context,
            instances: byId,
            environment: () => environment,
            savedPipelines,
            workspaceRoot,
            env,
            pipeChain: request.pipeChain ?? [],
            startRun: run,
          }),
          warnings,
          defaultTimeoutMs,
          onItemDone(instance, failed, message) {
            instance.itemsDone += 1;
            totalDone += 1;
            request.onProgress?.({ runId, nodeId: instance.spec.id, kind: failed ? 'item-failed' : 'item-done', itemsDone: instance.itemsDone, totalDone, ...(message ? { message } : {}) });
          },
        };
        for (const instance of instances) {
          context.nodeState.set(instance.spec.id, instance.state);
          await instance.definition.open?.(lifecycleContext(instance, context));
          opened.push(instance);
        }
        // Nodes reached only through `uses` serve calls from other nodes and take no part in the data flow.
        const flowing = instances.filter((instance) => !boundOnly.has(instance.spec.id));
        await Promise.all(
          flowing.map((instance) =>
            runInstance(instance, environment, request.inputs).catch((error: unknown) => {
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
      : firstError
        ? redactError(firstError.toJSON(), context.secrets)
        : undefined;
    const durationMs = Date.now() - started;
    traceStore?.endRun(runId, {
      status,
      endedAt: new Date().toISOString(),
      durationMs,
      warnings: warnings.map((warning) => redactSecrets(warning, context.secrets)),
      // The input summary is a preview too (the start of --text): it follows the same switch.
      ...(request.inputSummary && previews ? { input: redactSecrets(request.inputSummary, context.secrets) } : {}),
      outputs: Object.fromEntries(Object.entries(outputs).map(([name, items]) => [name, items.length])),
      ...(error ? { error } : {}),
    });
    return {
      runId,
      pipeline: pipeline.name,
      status,
      outputs,
      warnings: warnings.map((warning) => redactSecrets(warning, context.secrets)),
      ...(error ? { error } : {}),
      durationMs,
      spans,
      ...(traceStore ? { traceLocation: traceStore.location } : {}),
    };
  }

  return { run };
}

/** Loads every saved pipeline a tools binding names, so tools can be built without waiting. */
async function loadSavedPipelines(pipeline: Pipeline, library: PipelineLibrary | undefined, registry: EngineOptions['registry']): Promise<Map<string, SavedPipelineTarget>> {
  const targets = new Map<string, SavedPipelineTarget>();
  for (const [index, node] of pipeline.nodes.entries()) {
    for (const [binding, value] of Object.entries(node.uses ?? {})) {
      for (const entry of bindingEntries(value)) {
        const name = pipeName(entry);
        if (name === undefined || targets.has(name)) continue;
        if (!library) {
          throw new PipelaneError('BINDING_UNKNOWN_TARGET', `Node "${node.id}" binds "${entry}", but this engine has no workspace to load saved pipelines from.`, {
            hint: 'Run with a workspace root (PIPELANE_WORKSPACE) whose pipelines/ folder holds the pipeline.',
            path: pointer('nodes', index, 'uses', binding),
          });
        }
        targets.set(name, await loadSavedPipeline(library, name, registry));
      }
    }
  }
  return targets;
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

function redactError(error: TraceError, secrets: readonly string[]): TraceError {
  return { ...error, message: redactSecrets(error.message, secrets), ...(error.hint !== undefined ? { hint: redactSecrets(error.hint, secrets) } : {}) };
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
