import { randomUUID } from 'node:crypto';
import { CallMeter, currentSpanScope, recordChildSpan, withSpanScope, type MeteredCall } from '../engine/span-scope.js';
import type { PipelaneError } from '../node-kit/errors.js';
import { previewOf } from '../trace/preview.js';
import type { SpanRecord } from '../trace/index.js';
import { agentFailedError } from './agent-errors.js';
import type { AgentContext, AgentFramework, AgentResult, AgentStep, AgentTask } from './spec.js';

const failures = new WeakMap<AgentResult, PipelaneError>();

/** The typed error behind `result.error` (with its retryable flag and cause), for callers that rethrow it. */
export function agentFailure(result: AgentResult): PipelaneError | undefined {
  return failures.get(result);
}

/**
 * Runs one agent the same way for every framework: under its own span scope with a meter, so the
 * llm and tool spans the adapter causes are parented to one `agent-step` span and its steps, tokens
 * and cost are measured here rather than reported by the framework. A typed failure comes back in
 * `result.error`; a cancelled run rethrows the abort.
 */
export async function runAgent(framework: AgentFramework, task: AgentTask, ctx: AgentContext): Promise<AgentResult> {
  const meter = new CallMeter();
  const spanId = randomUUID();
  const outer = currentSpanScope();
  const started = Date.now();
  let answer = '';
  let failure: PipelaneError | undefined;
  let cancelled = false;
  try {
    ctx.signal.throwIfAborted();
    const scope = { spanId, nodeId: outer?.nodeId ?? '', nodeType: outer?.nodeType ?? 'agent.run', meter };
    ({ answer } = await withSpanScope(scope, () => framework.run(task, ctx)));
    // An adapter that swallowed the abort must not pass for a finished agent.
    ctx.signal.throwIfAborted();
  } catch (error) {
    if (ctx.signal.aborted) cancelled = true;
    else failure = agentFailedError(framework.id, error);
  }
  const ended = Date.now();
  const result: AgentResult = {
    framework: framework.id,
    answer,
    steps: meter.directCalls.map(toStep),
    usage: { inputTokens: meter.inputTokens, outputTokens: meter.outputTokens },
    costUsd: meter.costUsd,
    latencyMs: ended - started,
    ...(failure ? { error: failure.toJSON() } : {}),
  };
  if (failure) failures.set(result, failure);
  recordAgentSpan({ spanId, framework, task, result, started, ended, status: cancelled ? 'cancelled' : failure ? 'error' : 'ok' });
  if (cancelled) throw ctx.signal.reason;
  return result;
}

function toStep(call: MeteredCall): AgentStep {
  return {
    kind: call.kind,
    name: call.name,
    input: call.input,
    output: call.output,
    durationMs: call.durationMs,
    ...(call.inputTokens !== undefined || call.outputTokens !== undefined
      ? { usage: { inputTokens: call.inputTokens ?? 0, outputTokens: call.outputTokens ?? 0 } }
      : {}),
    ...(call.costUsd !== undefined ? { costUsd: call.costUsd } : {}),
    ...(call.error !== undefined ? { error: call.error } : {}),
  };
}

interface AgentSpan {
  spanId: string;
  framework: AgentFramework;
  task: AgentTask;
  result: AgentResult;
  started: number;
  ended: number;
  status: SpanRecord['status'];
}

function recordAgentSpan({ spanId, framework, task, result, started, ended, status }: AgentSpan): void {
  const llmCalls = result.steps.filter((step) => step.kind === 'llm').length;
  recordChildSpan({
    spanId,
    kind: 'agent-step',
    status,
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
    ...(result.error ? { error: result.error } : {}),
    // The run drops previews (PIPELANE_TRACE_PREVIEWS=off) and masks secrets centrally when recording.
    inputPreview: previewOf(task.question, 500),
    ...(status === 'ok' ? { outputPreview: previewOf(result.answer, 500) } : {}),
    itemsIn: 1,
    itemsOut: status === 'ok' ? 1 : 0,
    attributes: {
      'agent.framework': framework.id,
      'gen_ai.system': task.llm.model.provider,
      'gen_ai.request.model': task.llm.model.modelId,
      'agent.steps': result.steps.length,
      'agent.llm_calls': llmCalls,
      'agent.tool_calls': result.steps.length - llmCalls,
      'agent.max_steps': task.maxSteps,
      'gen_ai.usage.input_tokens': result.usage.inputTokens,
      'gen_ai.usage.output_tokens': result.usage.outputTokens,
      'cost.usd': result.costUsd,
    },
  });
}
