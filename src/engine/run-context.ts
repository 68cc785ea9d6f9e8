import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { SpanRecord } from '../trace/index.js';
import { redactSpan } from './redact-span.js';

/**
 * Everything that belongs to one run. Carried with AsyncLocalStorage so that library code called
 * from a node (providers, the model hub) attributes its spans to the right run without a parameter,
 * and so that two concurrent runs never reach each other's state.
 */
export interface RunContext {
  readonly runId: string;
  readonly pipeline: string;
  readonly signal: AbortSignal;
  /** Epoch milliseconds after which the run is aborted, if any. */
  readonly deadline: number | undefined;
  readonly logger: Logger;
  /**
   * Keep payloads (previews, an LLM call's request and response) on spans. False when traces must
   * not hold personal data (PIPELANE_TRACE_PREVIEWS=off); spans are stripped centrally either way.
   */
  readonly previews: boolean;
  /** Values masked in every span of this run: `${ENV}` config values, API keys a provider used. */
  readonly secrets: readonly string[];
  /** Adds a value to mask from now on (a provider calls it with the API key before its first request). */
  addSecret(value: string): void;
  /** Records a span under this run (to the trace store and the run's in-memory list), redacted. */
  recordSpan(span: SpanRecord): void;
  /** Per-node state objects, keyed by node id; created fresh for every run. */
  readonly nodeState: Map<string, Record<string, unknown>>;
}

export interface RunContextOptions {
  runId: string;
  pipeline: string;
  signal: AbortSignal;
  deadline: number | undefined;
  logger: Logger;
  previews: boolean;
  /** Receives every span after redaction. */
  sink(span: SpanRecord): void;
  /** A run started by a tool of another run: shares its secrets both ways. */
  parent?: RunContext;
}

export function createRunContext(options: RunContextOptions): RunContext {
  const secrets: string[] = [...(options.parent?.secrets ?? [])];
  return {
    runId: options.runId,
    pipeline: options.pipeline,
    signal: options.signal,
    deadline: options.deadline,
    logger: options.logger,
    previews: options.previews,
    secrets,
    addSecret(value) {
      if (typeof value !== 'string' || value === '' || secrets.includes(value)) return;
      secrets.push(value);
      // What a nested run returns ends up in the parent's tool span.
      options.parent?.addSecret(value);
    },
    recordSpan(span) {
      options.sink(redactSpan(span, secrets, options.previews));
    },
    nodeState: new Map(),
  };
}

const storage = new AsyncLocalStorage<RunContext>();

export function withRunContext<T>(context: RunContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(context, fn);
}

/** The run the current async call chain belongs to, if any. */
export function currentRun(): RunContext | undefined {
  return storage.getStore();
}
