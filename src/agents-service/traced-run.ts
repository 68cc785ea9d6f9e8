import { randomUUID } from 'node:crypto';
import { createRunContext, withRunContext, type RunContext } from '../engine/run-context.js';
import { withSpanScope } from '../engine/span-scope.js';
import { PipelaneError, isPipelaneError } from '../node-kit/index.js';
import { previewOf, redactSecrets, type SpanRecord, type TraceError } from '../trace/index.js';
import type { AgentServiceDeps } from './types.js';

/**
 * Model calls that are not a pipeline (the judge of compare_agents, the calls replay_llm_calls
 * resends) still belong to a run in the trace store: a run record named after the work, the same
 * redacting run context the engine gives nodes (so the traced fetch records its `llm` spans and the
 * API key is masked), and one `node` span per unit of work parenting those llm spans.
 */

export interface TracedRun {
  readonly context: RunContext;
  /** Runs `work` under a `node` span (nodeId / nodeType as given); the span records input, output, status. */
  step<T>(step: { nodeId: string; nodeType: string; input: unknown; attributes?: Record<string, unknown> }, work: () => Promise<T>, output?: (value: T) => unknown): Promise<T>;
}

export interface TracedRunResult<T> {
  runId: string;
  value: T;
}

export function tracePreviewsEnabled(deps: AgentServiceDeps): boolean {
  if (deps.tracePreviews !== undefined) return deps.tracePreviews;
  return !/^(0|false|off|no)$/i.test((deps.env ?? process.env).PIPELANE_TRACE_PREVIEWS ?? '');
}

export async function withTracedRun<T>(
  deps: AgentServiceDeps,
  options: { pipeline: string; signal?: AbortSignal | undefined; inputSummary: string },
  work: (run: TracedRun) => Promise<T>,
): Promise<TracedRunResult<T>> {
  const runId = randomUUID();
  const started = Date.now();
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const previews = tracePreviewsEnabled(deps);
  const context = createRunContext({
    runId,
    pipeline: options.pipeline,
    signal: controller.signal,
    deadline: undefined,
    logger: deps.logger.child({ runId, pipeline: options.pipeline }),
    previews,
    sink(span) {
      try {
        deps.traceStore.recordSpan(span);
      } catch (error) {
        deps.logger.warn({ err: error, runId }, 'could not record span');
      }
    },
  });
  deps.traceStore.startRun({ runId, pipeline: options.pipeline, status: 'running', startedAt: new Date(started).toISOString() });
  const run: TracedRun = { context, step: (step, fn, output) => tracedStep(context, step, fn, output) };
  let failure: unknown;
  let value: T | undefined;
  try {
    value = await withRunContext(context, () => work(run));
  } catch (error) {
    failure = error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const cancelled = controller.signal.aborted;
  const error: TraceError | undefined = cancelled
    ? { code: 'RUN_CANCELLED', message: 'The run was cancelled before it finished.', hint: 'Start it again if this was not intended.' }
    : failure !== undefined
      ? traceErrorOf(failure, context.secrets)
      : undefined;
  deps.traceStore.endRun(runId, {
    status: cancelled ? 'cancelled' : error ? 'failed' : 'succeeded',
    endedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    ...(previews ? { input: redactSecrets(options.inputSummary, context.secrets) } : {}),
    ...(error ? { error } : {}),
  });
  if (cancelled) throw controller.signal.reason ?? new PipelaneError('RUN_CANCELLED', 'The run was cancelled.', { hint: 'Start it again if this was not intended.' });
  if (failure !== undefined) throw failure;
  return { runId, value: value as T };
}

async function tracedStep<T>(
  run: RunContext,
  step: { nodeId: string; nodeType: string; input: unknown; attributes?: Record<string, unknown> },
  work: () => Promise<T>,
  output?: (value: T) => unknown,
): Promise<T> {
  const spanId = randomUUID();
  const started = Date.now();
  const record = (status: SpanRecord['status'], extra: Partial<SpanRecord>) => {
    const ended = Date.now();
    run.recordSpan({
      spanId,
      runId: run.runId,
      nodeId: step.nodeId,
      nodeType: step.nodeType,
      kind: 'node',
      status,
      startedAt: new Date(started).toISOString(),
      endedAt: new Date(ended).toISOString(),
      durationMs: ended - started,
      inputPreview: previewOf(step.input, 500),
      itemsIn: 1,
      itemsOut: status === 'ok' ? 1 : 0,
      ...(step.attributes ? { attributes: step.attributes } : {}),
      ...extra,
    });
  };
  try {
    const value = await withSpanScope({ spanId, nodeId: step.nodeId, nodeType: step.nodeType }, work);
    record('ok', output ? { outputPreview: previewOf(output(value), 500) } : {});
    return value;
  } catch (error) {
    record(run.signal.aborted ? 'cancelled' : 'error', { error: traceErrorOf(error, run.secrets) });
    throw error;
  }
}

export function traceErrorOf(error: unknown, secrets: readonly string[] = []): TraceError {
  if (isPipelaneError(error)) {
    return {
      code: error.code,
      message: redactSecrets(error.message, secrets),
      ...(error.hint ? { hint: redactSecrets(error.hint, secrets) } : {}),
      ...(error.path ? { path: error.path } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL_ERROR', message: redactSecrets(message, secrets), hint: 'This looks like a bug in Pipelane; the server log has the stack trace.' };
}
