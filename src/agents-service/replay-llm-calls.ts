import { PipelaneError } from '../node-kit/index.js';
import { costOf, createLlmBinding, priceFor, type ChatMessage, type LanguageModel, type ModelSettingsInput, type ToolCall, type ToolSpec } from '../providers/index.js';
import { MAX_QUERY_LIMIT, type SpanRecord } from '../trace/index.js';
import type { ReplayArgs, ReplayCall, ReplayResult, ReplayTotals } from './schemas.js';
import { traceErrorOf, withTracedRun, type TracedRun } from './traced-run.js';
import { apiKeysOf, redactResult } from './secrets.js';
import type { AgentServiceDeps, ServiceCallOptions } from './types.js';

const DEFAULT_LIMIT = 20;
/** Replays sent at once: enough to be quick, few enough not to trip a provider's rate limit. */
const CONCURRENCY = 4;

interface RecordedRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  maxTokens?: number;
}

interface RecordedResponse {
  text?: string;
  toolCalls?: ToolCall[];
}

/**
 * "Can a cheaper model do this?": the LLM calls a run made (its `llm` spans that got an answer,
 * with their recorded `llm.request`), sent again with the same messages, tools, temperature and
 * token limit to another model, in a run of their own named "replay", side by side with what the
 * original model answered and cost.
 */
export async function replayLlmCalls(deps: AgentServiceDeps, args: ReplayArgs, options: ServiceCallOptions = {}): Promise<ReplayResult> {
  const run = deps.traceStore.getRun(args.runId);
  if (!run) {
    throw new PipelaneError('RUN_NOT_FOUND', `No run with id "${args.runId}" in the trace store ${deps.traceStore.location}.`, {
      hint: 'Use the runId returned by run_agent or run_pipeline, or list recent runs with query_traces and no arguments.',
      path: '/runId',
    });
  }
  const llmSpans = deps.traceStore.querySpans({ runId: args.runId, limit: MAX_QUERY_LIMIT }).filter((span) => span.kind === 'llm' && span.status === 'ok');
  if (llmSpans.length === 0) {
    throw new PipelaneError('RUN_HAS_NO_LLM_CALLS', `Run "${args.runId}" (pipeline ${run.pipeline}) made no LLM call that got an answer.`, {
      hint: 'Replay a run of run_agent, or of a pipeline with llm.chat or agent.run nodes (a run through a pipe:<name> tool has its own run id: see the tool span\'s pipeline.runId).',
      path: '/runId',
    });
  }
  const recorded = llmSpans.filter((span) => isRecordedRequest(span.attributes?.['llm.request']));
  if (recorded.length === 0) {
    throw new PipelaneError('LLM_REQUESTS_NOT_RECORDED', `Run "${args.runId}" made ${llmSpans.length} LLM call(s), but their requests were not recorded: the run kept no trace previews (PIPELANE_TRACE_PREVIEWS=off).`, {
      hint: 'Run the task again with trace previews on (unset PIPELANE_TRACE_PREVIEWS), then replay that run.',
      path: '/runId',
    });
  }
  const limit = args.limit ?? DEFAULT_LIMIT;
  const selected = recorded.slice(0, limit);
  const { runId, limit: _limit, ...settings } = args;
  const env = deps.env ?? process.env;

  const { runId: replayRunId, value: calls } = await withTracedRun(
    deps,
    { pipeline: 'replay', signal: options.signal, inputSummary: `replay of ${selected.length} call(s) of run ${runId} on ${settings.provider ?? 'openai'}:${settings.model}` },
    async (traced) => {
      // Built inside the run, so the key is one of the run's secrets before the first request.
      const binding = createLlmBinding(settings, { env });
      return mapLimited(selected, CONCURRENCY, (span) => replayOne(traced, binding.model, settings, span, env));
    },
  );
  deps.logger.debug({ runId, replayRunId, calls: calls.length, failed: calls.filter((call) => call.replay.error).length }, 'llm calls replayed');
  const originals = calls.map((call) => call.original);
  const replays = calls.map((call) => call.replay);
  const result = { runId, replayRunId, calls, skipped: recorded.length - selected.length, totals: { original: totalsOf(originals), replay: totalsOf(replays) } };
  return redactResult(result, apiKeysOf([settings], env));
}

async function replayOne(traced: TracedRun, model: LanguageModel, settings: ModelSettingsInput, span: SpanRecord, env: NodeJS.ProcessEnv): Promise<ReplayCall> {
  const attributes = span.attributes ?? {};
  const request = attributes['llm.request'] as RecordedRequest;
  const response = (attributes['llm.response'] ?? {}) as RecordedResponse;
  const original = {
    model: String(attributes['gen_ai.request.model'] ?? ''),
    text: response.text ?? '',
    toolCalls: response.toolCalls ?? [],
    inputTokens: numberOrNull(attributes['gen_ai.usage.input_tokens']),
    outputTokens: numberOrNull(attributes['gen_ai.usage.output_tokens']),
    costUsd: numberOrNull(attributes['cost.usd']),
  };
  const signal = traced.context.signal;
  const started = Date.now();
  try {
    const result = await traced.step(
      { nodeId: 'replay', nodeType: 'replay', input: request.messages.slice(-3), attributes: { 'replay.original_span_id': span.spanId, 'replay.original_model': original.model } },
      () =>
        model.doGenerate({
          messages: request.messages,
          ...(request.tools?.length ? { tools: request.tools } : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
          signal,
        }),
      (value) => (value.toolCalls.length ? { text: value.text, toolCalls: value.toolCalls } : value.text),
    );
    return {
      spanId: span.spanId,
      original,
      replay: {
        model: model.modelId,
        text: result.text,
        toolCalls: result.toolCalls,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        costUsd: costOf(result.usage, priceFor(model.modelId, settings.price, env)),
        latencyMs: Date.now() - started,
      },
    };
  } catch (error) {
    if (signal.aborted) throw error;
    const failure = traceErrorOf(error, traced.context.secrets);
    return {
      spanId: span.spanId,
      original,
      replay: { model: model.modelId, text: '', toolCalls: [], inputTokens: null, outputTokens: null, costUsd: null, latencyMs: Date.now() - started, error: failure },
    };
  }
}

function isRecordedRequest(value: unknown): value is RecordedRequest {
  return !!value && typeof value === 'object' && Array.isArray((value as { messages?: unknown }).messages);
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Sums; costUsd is null when any call's cost is unknown (a failed replay counts as unknown). */
function totalsOf(entries: Array<{ inputTokens: number | null; outputTokens: number | null; costUsd: number | null }>): ReplayTotals {
  const inputTokens = entries.reduce((sum, entry) => sum + (entry.inputTokens ?? 0), 0);
  const outputTokens = entries.reduce((sum, entry) => sum + (entry.outputTokens ?? 0), 0);
  const costUsd = entries.some((entry) => entry.costUsd === null) ? null : entries.reduce((sum, entry) => sum + (entry.costUsd ?? 0), 0);
  return { inputTokens, outputTokens, tokens: inputTokens + outputTokens, costUsd };
}

/** `work` over `items` with at most `limit` at once, results in input order; the first rejection wins. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}
