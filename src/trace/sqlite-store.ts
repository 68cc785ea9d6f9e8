import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  RUN_COLUMNS,
  SPAN_COLUMNS,
  runFromRow,
  runToRow,
  spanFromRow,
  spanToRow,
  type RunRow,
  type SpanRow,
} from './sqlite-rows.js';
import {
  TraceStoreError,
  type OpenTraceStoreOptions,
  type RunQuery,
  type RunRecord,
  type SpanQuery,
  type SpanRecord,
  type TraceStore,
} from './types.js';

/**
 * Schema migrations; entry `i` moves a database from `user_version = i` to `i + 1`.
 * Append new entries; never edit a released one.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS runs (
    run_id        TEXT PRIMARY KEY,
    pipeline      TEXT NOT NULL,
    status        TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    ended_at      TEXT,
    duration_ms   REAL,
    input         TEXT,
    error_json    TEXT,
    warnings_json TEXT,
    outputs_json  TEXT
  );
  CREATE TABLE IF NOT EXISTS spans (
    span_id         TEXT PRIMARY KEY,
    run_id          TEXT NOT NULL,
    parent_span_id  TEXT,
    node_id         TEXT NOT NULL,
    node_type       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    ended_at        TEXT NOT NULL,
    duration_ms     REAL NOT NULL,
    error_json      TEXT,
    input_preview   TEXT,
    output_preview  TEXT,
    items_in        INTEGER NOT NULL,
    items_out       INTEGER NOT NULL,
    attributes_json TEXT
  );
  CREATE INDEX IF NOT EXISTS spans_run_id ON spans(run_id);
  CREATE INDEX IF NOT EXISTS spans_node_id ON spans(node_id);
  CREATE INDEX IF NOT EXISTS spans_node_type ON spans(node_type);
  CREATE INDEX IF NOT EXISTS spans_status ON spans(status);
  CREATE INDEX IF NOT EXISTS runs_pipeline ON runs(pipeline);
  CREATE INDEX IF NOT EXISTS runs_started_at ON runs(started_at);
  `,
];

/** The `user_version` this code writes and understands. */
export const TRACE_SCHEMA_VERSION = MIGRATIONS.length;

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating when needed) the SQLite trace store. Default location:
 * `${PIPELANE_HOME ?? '.pipelane'}/traces.db`, relative to the working directory.
 * Several processes may open the same file: WAL mode plus a busy timeout serialise their writes.
 */
export function openTraceStore(options: OpenTraceStoreOptions = {}): TraceStore {
  const file = options.file ?? 'traces.db';
  const dir = options.dir ?? process.env.PIPELANE_HOME ?? '.pipelane';
  const location = file === ':memory:' ? ':memory:' : resolve(dir, file);
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new TraceStoreError(
      'TRACE_STORE_UNAVAILABLE',
      `busyTimeoutMs must be a non-negative integer, got ${String(busyTimeoutMs)}.`,
      'Pass a whole number of milliseconds, e.g. 5000.',
    );
  }
  return new SqliteTraceStore(openDatabase(location, busyTimeoutMs), location);
}

function openDatabase(location: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
    db = new Database(location, { timeout: busyTimeoutMs });
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const opened = db;
    whileBusy(busyTimeoutMs, () => {
      opened.pragma('journal_mode = WAL');
      opened.pragma('synchronous = NORMAL');
      migrate(opened, location);
    });
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof TraceStoreError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const notADatabase = errorCode(error) === 'SQLITE_NOTADB';
    throw new TraceStoreError(
      'TRACE_STORE_UNAVAILABLE',
      `Cannot open the trace store at ${location}: ${reason}.`,
      notADatabase
        ? 'The file is not a Pipelane trace database; move it away, or set PIPELANE_HOME to another directory.'
        : 'Make sure the directory exists or can be created and is writable, or set PIPELANE_HOME to a writable directory.',
      { cause: error },
    );
  }
}

/**
 * Runs `open` again while SQLite answers busy, up to the busy timeout. Switching a file to WAL (and
 * reading a WAL file another process is still setting up) can fail busy at once, without SQLite's
 * busy handler: seen when two processes and two stores opened one new file at the same moment.
 */
function whileBusy(timeoutMs: number, open: () => void): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waitMs = 5; ; waitMs = Math.min(waitMs * 2, 100)) {
    try {
      return open();
    } catch (error) {
      const code = errorCode(error);
      const busy = typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
      if (!busy || Date.now() + waitMs > deadline) throw error;
      Atomics.wait(pause, 0, 0, waitMs); // opening is synchronous, so the wait is too
    }
  }
}

function migrate(db: Database.Database, location: string): void {
  const readVersion = (): number => db.pragma('user_version', { simple: true }) as number;
  const checkNotNewer = (version: number): void => {
    if (version > TRACE_SCHEMA_VERSION) {
      throw new TraceStoreError(
        'TRACE_STORE_UNAVAILABLE',
        `The trace store at ${location} has schema version ${version}; this Pipelane understands up to ${TRACE_SCHEMA_VERSION}.`,
        'Upgrade Pipelane, or set PIPELANE_HOME to another directory.',
      );
    }
  };
  const seen = readVersion();
  checkNotNewer(seen);
  if (seen === TRACE_SCHEMA_VERSION) return;
  // IMMEDIATE takes the write lock first, so two processes creating the file at once migrate once.
  db.transaction(() => {
    let version = readVersion();
    checkNotNewer(version);
    for (; version < TRACE_SCHEMA_VERSION; version += 1) db.exec(MIGRATIONS[version] ?? '');
    db.pragma(`user_version = ${TRACE_SCHEMA_VERSION}`);
  }).immediate();
}

class SqliteTraceStore implements TraceStore {
  readonly location: string;
  private readonly db: Database.Database;
  private closed = false;
  private readonly insertRun: Database.Statement;
  private readonly updateRun: Database.Statement;
  private readonly selectRun: Database.Statement<[string], RunRow>;
  private readonly insertSpan: Database.Statement;
  /** Query statements, prepared once per filter combination on first use. */
  private readonly queryStatements = new Map<string, Database.Statement>();
  private readonly endRunTransaction: (runId: string, patch: Partial<Omit<RunRecord, 'runId'>>) => void;

  constructor(db: Database.Database, location: string) {
    this.db = db;
    this.location = location;
    this.insertRun = db.prepare(
      `INSERT INTO runs (${RUN_COLUMNS}) VALUES (@run_id, @pipeline, @status, @started_at, @ended_at, ` +
        '@duration_ms, @input, @error_json, @warnings_json, @outputs_json)',
    );
    this.updateRun = db.prepare(
      'UPDATE runs SET pipeline = @pipeline, status = @status, started_at = @started_at, ended_at = @ended_at, ' +
        'duration_ms = @duration_ms, input = @input, error_json = @error_json, warnings_json = @warnings_json, ' +
        'outputs_json = @outputs_json WHERE run_id = @run_id',
    );
    this.selectRun = db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`);
    this.insertSpan = db.prepare(
      `INSERT INTO spans (${SPAN_COLUMNS}) VALUES (@span_id, @run_id, @parent_span_id, @node_id, @node_type, ` +
        '@kind, @status, @started_at, @ended_at, @duration_ms, @error_json, @input_preview, @output_preview, ' +
        '@items_in, @items_out, @attributes_json)',
    );
    const endRun = db.transaction((runId: string, patch: Partial<Omit<RunRecord, 'runId'>>) => {
      const row = this.selectRun.get(runId);
      if (row === undefined) {
        throw new TraceStoreError(
          'TRACE_RUN_NOT_FOUND',
          `Cannot end run "${runId}": no such run in the trace store at ${this.location}.`,
          'Call startRun with this run id before endRun.',
        );
      }
      const merged: RunRecord = { ...runFromRow(row), ...definedEntries(patch), runId };
      if (patch.endedAt !== undefined && patch.durationMs === undefined) {
        const duration = Date.parse(patch.endedAt) - Date.parse(merged.startedAt);
        if (Number.isFinite(duration)) merged.durationMs = duration;
      }
      this.updateRun.run(runToRow(merged));
    });
    // IMMEDIATE: the read-then-write must hold the write lock, or another process's commit makes it fail busy.
    this.endRunTransaction = (runId, patch) => endRun.immediate(runId, patch);
  }

  startRun(run: RunRecord): void {
    this.assertOpen();
    this.insertUnique(this.insertRun, runToRow(run), 'run', run.runId);
  }

  endRun(runId: string, patch: Partial<Omit<RunRecord, 'runId'>>): void {
    this.assertOpen();
    this.endRunTransaction(runId, patch);
  }

  recordSpan(span: SpanRecord): void {
    this.assertOpen();
    this.insertUnique(this.insertSpan, spanToRow(span), 'span', span.spanId);
  }

  getRun(runId: string): RunRecord | undefined {
    this.assertOpen();
    const row = this.selectRun.get(runId);
    return row === undefined ? undefined : runFromRow(row);
  }

  querySpans(query: SpanQuery): SpanRecord[] {
    this.assertOpen();
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: clampLimit(query.limit) };
    if (query.runId !== undefined) {
      where.push('s.run_id = @runId');
      params.runId = query.runId;
    }
    if (query.pipeline !== undefined) {
      where.push('s.run_id IN (SELECT run_id FROM runs WHERE pipeline = @pipeline)');
      params.pipeline = query.pipeline;
    }
    if (query.node !== undefined) {
      where.push('(s.node_id = @node OR s.node_type = @node)');
      params.node = query.node;
    }
    if (query.status !== undefined) {
      where.push('s.status = @status');
      params.status = query.status;
    }
    const order = query.slowest === true ? 's.duration_ms DESC, s.started_at, s.rowid' : 's.started_at, s.rowid';
    const sql =
      `SELECT ${SPAN_COLUMNS.split(', ').map((column) => `s.${column}`).join(', ')} FROM spans s` +
      (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY ${order} LIMIT @limit`;
    return (this.statement(sql).all(params) as SpanRow[]).map(spanFromRow);
  }

  queryRuns(query: RunQuery): RunRecord[] {
    this.assertOpen();
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: clampLimit(query.limit) };
    if (query.pipeline !== undefined) {
      where.push('pipeline = @pipeline');
      params.pipeline = query.pipeline;
    }
    if (query.status !== undefined) {
      where.push('status = @status');
      params.status = query.status;
    }
    const sql =
      `SELECT ${RUN_COLUMNS} FROM runs` +
      (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY started_at DESC, rowid DESC LIMIT @limit';
    return (this.statement(sql).all(params) as RunRow[]).map(runFromRow);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queryStatements.clear();
    this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.queryStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.queryStatements.set(sql, statement);
    }
    return statement;
  }

  private insertUnique(statement: Database.Statement, row: object, what: 'run' | 'span', id: string): void {
    try {
      statement.run(row);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TraceStoreError(
          'TRACE_DUPLICATE_ID',
          `A ${what} with id "${id}" is already in the trace store at ${this.location}.`,
          `Give every ${what} a fresh id (crypto.randomUUID()).`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new TraceStoreError(
        'TRACE_STORE_CLOSED',
        `The trace store at ${this.location} is closed.`,
        'Open a new store with openTraceStore().',
      );
    }
  }
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_QUERY_LIMIT;
  return Math.min(MAX_QUERY_LIMIT, Math.max(1, Math.floor(limit)));
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
