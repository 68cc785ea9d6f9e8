import { PipelaneError } from '../node-kit/errors.js';

/**
 * Trace records: one `RunRecord` per pipeline run, one `SpanRecord` per node invocation, LLM call,
 * tool call or agent step. Timestamps are ISO 8601 strings; durations are milliseconds.
 */

export {
  RUN_STATUSES,
  SPAN_STATUSES,
  SPAN_KINDS,
  type RunStatus,
  type SpanStatus,
  type SpanKind,
  type TraceError,
  type RunRecord,
  type SpanRecord,
} from './schemas.js';
import type { RunRecord, RunStatus, SpanRecord, SpanStatus } from './schemas.js';

export interface SpanQuery {
  runId?: string;
  /** Pipeline name, matched through the runs table. */
  pipeline?: string;
  /** Node id OR node type. */
  node?: string;
  status?: SpanStatus;
  /** Order by durationMs descending instead of startedAt ascending. */
  slowest?: boolean;
  /** Default 100, clamped to 1..1000. */
  limit?: number;
}

export interface RunQuery {
  pipeline?: string;
  status?: RunStatus;
  /** Default 100, clamped to 1..1000. */
  limit?: number;
}

export interface TraceStore {
  /** Absolute file path, or ':memory:'. */
  readonly location: string;
  /** Throws `TraceStoreError` TRACE_DUPLICATE_ID when the run id already exists. */
  startRun(run: RunRecord): void;
  /**
   * Merges `patch` into the stored run. When the patch sets `endedAt` but not `durationMs`, the
   * duration is computed from the stored `startedAt`. Throws TRACE_RUN_NOT_FOUND for an unknown run.
   */
  endRun(runId: string, patch: Partial<Omit<RunRecord, 'runId'>>): void;
  /** Throws `TraceStoreError` TRACE_DUPLICATE_ID when the span id already exists. */
  recordSpan(span: SpanRecord): void;
  getRun(runId: string): RunRecord | undefined;
  /** Ordered by startedAt ascending, or by durationMs descending when `slowest`. */
  querySpans(query: SpanQuery): SpanRecord[];
  /** Newest first (startedAt descending). */
  queryRuns(query: RunQuery): RunRecord[];
  /** Idempotent. Any other call after `close()` throws TRACE_STORE_CLOSED. */
  close(): void;
}

export interface OpenTraceStoreOptions {
  /** Directory for the store file. Default: `process.env.PIPELANE_HOME ?? '.pipelane'`, relative to cwd. */
  dir?: string;
  /** File name inside `dir` (or an absolute path), or ':memory:'. Default `traces.db`. */
  file?: string;
  /** How long a writer waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

export type TraceStoreErrorCode =
  | 'TRACE_STORE_UNAVAILABLE'
  | 'TRACE_STORE_CLOSED'
  | 'TRACE_RUN_NOT_FOUND'
  | 'TRACE_DUPLICATE_ID';

/** Typed error of the trace store: a `PipelaneError` with one of the store's codes. */
export class TraceStoreError extends PipelaneError {
  declare readonly code: TraceStoreErrorCode;

  constructor(code: TraceStoreErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(code, message, { hint, ...(options?.cause === undefined ? {} : { cause: options.cause }) });
    this.name = 'TraceStoreError';
  }
}

export function isTraceStoreError(value: unknown): value is TraceStoreError {
  return value instanceof TraceStoreError;
}
