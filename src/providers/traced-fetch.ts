import { AsyncLocalStorage } from 'node:async_hooks';
import { createParser } from 'eventsource-parser';
import { currentRun, type RunContext } from '../engine/run-context.js';
import { meterCall, recordChildSpan } from '../engine/span-scope.js';
import { previewOf, redactSecrets, type SpanStatus } from '../trace/index.js';
import { AnthropicStreamAssembler, normalizeAnthropicRequest, normalizeAnthropicResponse } from './anthropic/wire.js';
import { OpenAIStreamAssembler, normalizeOpenAIRequest, normalizeOpenAIResponse } from './openai/wire.js';
import { costOf, priceFor, type Price } from './prices.js';
import type { ProviderId } from './spec.js';
import type { NormalizedRequest, ObservedAnswer } from './wire-common.js';

/**
 * The one place LLM calls are traced. The SDK clients of a binding get this fetch: every HTTP
 * attempt to a chat endpoint becomes one `llm` span under the current run and span scope (a
 * retried 429 shows as an error span, then an ok span) and one MeteredCall for the meters open
 * around it. It reads the request body and the response (a streamed body is observed as it passes
 * to the SDK, never buffered), and never looks at headers, so the key cannot reach a trace.
 */

export interface TracedFetchOptions {
  provider: ProviderId;
  /** The binding's model; the request body's `model` wins when present. */
  modelId: string;
  /** settings.price: applies to `modelId` only. */
  price: Price | undefined;
  env: NodeJS.ProcessEnv;
  /** Scrubbed from everything recorded (the key). */
  secrets: readonly string[];
  /** Used to tell a timeout from a cancel when the SDK aborts an attempt. */
  timeoutMs: number;
  /** The fetch underneath (default: the global fetch at call time). */
  fetch?: typeof fetch;
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

interface Outcome {
  status: SpanStatus;
  httpStatus: number | undefined;
  answer?: ObservedAnswer;
  error?: { code: string; message: string };
}

const CHAT_PATH = /\/(chat\/completions|messages)$/;

function codeForStatus(status: number): string {
  if (status === 401 || status === 403) return 'LLM_AUTH_FAILED';
  if (status === 429) return 'LLM_RATE_LIMITED';
  if (status >= 500 || status === 408 || status === 409) return 'LLM_UNAVAILABLE';
  return 'LLM_BAD_REQUEST';
}

function errorMessageOf(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown };
    const message = body.error?.message ?? body.message;
    if (typeof message === 'string') return `${status}: ${message}`;
  } catch {
    // not JSON: use the text
  }
  return `${status}: ${text.slice(0, 300)}`;
}

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

function combineSignals(signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return present.length > 1 ? AbortSignal.any(present) : present[0];
}

export function createTracedFetch(options: TracedFetchOptions): Fetch {
  const anthropic = options.provider === 'anthropic';

  return async (input, init) => {
    const run = currentRun();
    // A cancelled run stops its in-flight and future LLM calls even if the caller passed no signal.
    const signal = combineSignals([init?.signal ?? undefined, run?.signal]);
    const underlying: Fetch = options.fetch ?? globalThis.fetch;
    const url = urlOf(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'POST' || !CHAT_PATH.test(new URL(url).pathname) || typeof init?.body !== 'string') {
      return underlying(input, { ...init, ...(signal ? { signal } : {}) });
    }

    let wire: Record<string, unknown> = {};
    try {
      wire = JSON.parse(init.body) as Record<string, unknown>;
    } catch {
      // leave it to the server to refuse
    }
    const stream = wire.stream === true;
    let body = init.body;
    if (stream && !anthropic && (wire.stream_options as { include_usage?: unknown } | undefined)?.include_usage !== true) {
      // Usage arrives on a streamed completion only when asked for.
      wire = { ...wire, stream_options: { ...(wire.stream_options as object | undefined), include_usage: true } };
      body = JSON.stringify(wire);
    }
    const modelId = typeof wire.model === 'string' ? wire.model : options.modelId;
    const started = Date.now();
    const secrets = [...options.secrets, ...(run?.secrets ?? [])];
    let recorded = false;
    // Bound to this call's async context: a streamed body may be read from another one, and the
    // span must still land under this run and scope, and the meters open here.
    const record = AsyncLocalStorage.bind((outcome: Outcome) => {
      if (recorded) return;
      recorded = true;
      recordAttempt({ options, run, secrets, modelId, stream, wire, started, outcome });
    });

    let response: Response;
    try {
      response = await underlying(input, { ...init, body, ...(signal ? { signal } : {}) });
    } catch (error) {
      record(failureOutcome(error, run, started, options.timeoutMs));
      throw error;
    }

    const { status, statusText, headers } = response;
    const isEventStream = (headers.get('content-type') ?? '').includes('text/event-stream');
    if (!response.ok || !isEventStream || !response.body) {
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        record(failureOutcome(error, run, started, options.timeoutMs));
        throw error;
      }
      if (!response.ok) {
        record({ status: 'error', httpStatus: status, error: { code: codeForStatus(status), message: errorMessageOf(text, status) } });
      } else {
        let answer: ObservedAnswer | undefined;
        try {
          const parsed: unknown = JSON.parse(text);
          answer = anthropic ? normalizeAnthropicResponse(parsed) : normalizeOpenAIResponse(parsed);
        } catch {
          answer = undefined;
        }
        record(answer ? { status: 'ok', httpStatus: status, answer } : { status: 'error', httpStatus: status, error: { code: 'LLM_BAD_RESPONSE', message: 'The answer is not JSON.' } });
      }
      return new Response(text, { status, statusText, headers });
    }

    const assembler = anthropic ? new AnthropicStreamAssembler() : new OpenAIStreamAssembler();
    const finishStream = () => record({ status: 'ok', httpStatus: status, answer: assembler.result() });
    const parser = createParser({
      onEvent(event) {
        if (event.data === '[DONE]') return finishStream();
        try {
          const data: unknown = JSON.parse(event.data);
          assembler.add(data as Record<string, unknown>);
          if ((data as { type?: unknown }).type === 'message_stop') finishStream();
        } catch {
          // a malformed event is the SDK's to report
        }
      },
    });
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    const observed = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            parser.feed(decoder.decode());
            finishStream();
            controller.close();
            return;
          }
          parser.feed(decoder.decode(value, { stream: true }));
          controller.enqueue(value);
        } catch (error) {
          record(failureOutcome(error, run, started, options.timeoutMs, status));
          controller.error(error);
        }
      },
      async cancel(reason) {
        record({ status: 'cancelled', httpStatus: status, answer: assembler.result(), error: { code: 'RUN_CANCELLED', message: 'The stream was cancelled before it ended.' } });
        await reader.cancel(reason);
      },
    });
    return new Response(observed, { status, statusText, headers });
  };
}

function failureOutcome(error: unknown, run: RunContext | undefined, started: number, timeoutMs: number, httpStatus?: number): Outcome {
  if (run?.signal.aborted) return { status: 'cancelled', httpStatus, error: { code: 'RUN_CANCELLED', message: 'The run was cancelled during the call.' } };
  const name = error instanceof Error ? error.name : '';
  if (name === 'AbortError') {
    // The SDK aborts an attempt both on its timeout and on the caller's signal; only the clock tells them apart.
    return Date.now() - started >= timeoutMs - 5
      ? { status: 'error', httpStatus, error: { code: 'LLM_TIMEOUT', message: `No answer within ${timeoutMs} ms.` } }
      : { status: 'cancelled', httpStatus, error: { code: 'RUN_CANCELLED', message: 'The call was aborted.' } };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return { status: 'error', httpStatus, error: { code: 'LLM_UNAVAILABLE', message: `${error instanceof Error ? error.message : String(error)}${cause}` } };
}

interface AttemptRecord {
  options: TracedFetchOptions;
  run: RunContext | undefined;
  secrets: readonly string[];
  modelId: string;
  stream: boolean;
  wire: Record<string, unknown>;
  started: number;
  outcome: Outcome;
}

/** Deep copy with every secret masked, for structured attributes. */
function scrubbed<T>(value: T, secrets: readonly string[]): T {
  const text = JSON.stringify(value);
  const masked = redactSecrets(text, secrets);
  return masked === text ? value : (JSON.parse(masked) as T);
}

function recordAttempt({ options, run, secrets, modelId, stream, wire, started, outcome }: AttemptRecord): void {
  const ended = Date.now();
  const previews = run?.previews ?? true;
  const request: NormalizedRequest = options.provider === 'anthropic' ? normalizeAnthropicRequest(wire) : normalizeOpenAIRequest(wire);
  const answer = outcome.answer;
  const usage = answer?.usage;
  const price = modelId === options.modelId && options.price ? options.price : safePriceFor(modelId, options.env);
  const cost = outcome.status === 'ok' ? (usage ? costOf(usage, price) : null) : price ? 0 : null;
  const response = answer ? { text: answer.text, toolCalls: answer.toolCalls } : undefined;
  const error = outcome.error ? { code: outcome.error.code, message: redactSecrets(outcome.error.message, secrets) } : undefined;
  const inputPreview = previews ? previewOf(request.messages.slice(-3), 500, { secrets }) : '';
  const outputPreview = previews && response ? previewOf(response.toolCalls.length ? response : response.text, 500, { secrets }) : '';

  recordChildSpan({
    kind: 'llm',
    status: outcome.status,
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
    ...(error ? { error } : {}),
    ...(previews ? { inputPreview } : {}),
    ...(previews && response ? { outputPreview } : {}),
    attributes: {
      'gen_ai.system': options.provider,
      'gen_ai.request.model': modelId,
      'gen_ai.usage.input_tokens': usage?.inputTokens ?? null,
      'gen_ai.usage.output_tokens': usage?.outputTokens ?? null,
      'cost.usd': cost,
      'http.status': outcome.httpStatus ?? null,
      'llm.stream': stream,
      ...(previews ? { 'llm.request': scrubbed(request, secrets) } : {}),
      ...(previews && response ? { 'llm.response': scrubbed(response, secrets) } : {}),
    },
  });
  meterCall({
    kind: 'llm',
    name: modelId,
    input: inputPreview,
    output: outputPreview,
    durationMs: ended - started,
    ...(usage ? { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } : {}),
    costUsd: cost,
    ...(error ? { error: `${error.code}: ${error.message}` } : {}),
  });
}

/** A broken PIPELANE_PRICES file must not turn a finished call into a failure: the binding already reported it. */
function safePriceFor(modelId: string, env: NodeJS.ProcessEnv): Price | undefined {
  try {
    return priceFor(modelId, undefined, env);
  } catch {
    return undefined;
  }
}
