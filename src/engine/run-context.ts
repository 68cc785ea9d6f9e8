import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { SpanRecord } from '../trace/index.js';

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
  /** Records a span under this run (to the trace store and the run's in-memory list). */
  recordSpan(span: SpanRecord): void;
  /** Per-node state objects, keyed by node id; created fresh for every run. */
  readonly nodeState: Map<string, Record<string, unknown>>;
}

const storage = new AsyncLocalStorage<RunContext>();

export function withRunContext<T>(context: RunContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(context, fn);
}

/** The run the current async call chain belongs to, if any. */
export function currentRun(): RunContext | undefined {
  return storage.getStore();
}
