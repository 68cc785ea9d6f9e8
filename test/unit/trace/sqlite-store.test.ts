import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  TRACE_SCHEMA_VERSION,
  TraceStoreError,
  openTraceStore,
  type RunRecord,
  type SpanRecord,
  type TraceStore,
} from '../../../src/trace/index.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pipelane-trace-'));
}

function run(runId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return { runId, pipeline: 'invoice-ocr', status: 'running', startedAt: '2024-05-01T10:00:00.000Z', ...overrides };
}

function span(spanId: string, overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    spanId,
    runId: 'run-1',
    nodeId: 'ocr',
    nodeType: 'ocr.tesseract',
    kind: 'node',
    status: 'ok',
    startedAt: '2024-05-01T10:00:01.000Z',
    endedAt: '2024-05-01T10:00:02.000Z',
    durationMs: 1000,
    itemsIn: 1,
    itemsOut: 1,
    ...overrides,
  };
}

function errorOf(action: () => unknown): TraceStoreError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof TraceStoreError, `expected TraceStoreError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a TraceStoreError');
}

const ids = (spans: SpanRecord[]): string[] => spans.map((entry) => entry.spanId);

test('a run and its spans round-trip through a file store and a reopen', () => {
  const dir = tempDir();
  const fullSpan = span('s-full', {
    parentSpanId: 's-root',
    kind: 'llm',
    status: 'error',
    error: { code: 'PROVIDER_TIMEOUT', message: 'no answer in 30 s', hint: 'raise timeoutMs', path: '/nodes/2' },
    inputPreview: '{"text":"hello"}',
    outputPreview: '',
    itemsIn: 3,
    itemsOut: 0,
    durationMs: 12.5,
    attributes: { 'ocr.meanConfidence': 91, queueWaitMs: 3, tokens: { in: 10, out: 2 }, cached: false },
  });
  const minimalSpan = span('s-root', { startedAt: '2024-05-01T10:00:00.500Z' });
  const writer = openTraceStore({ dir });
  assert.equal(writer.location, join(dir, 'traces.db'));
  writer.startRun(run('run-1', { input: 'invoice.png' }));
  writer.recordSpan(fullSpan);
  writer.recordSpan(minimalSpan);
  writer.endRun('run-1', {
    status: 'failed',
    endedAt: '2024-05-01T10:00:03.000Z',
    durationMs: 3000,
    error: { code: 'NODE_FAILED', message: 'ocr failed' },
    warnings: ['page 2 is blank'],
    outputs: { text: 0, tables: 2 },
  });
  writer.close();

  const reader = openTraceStore({ dir });
  assert.deepEqual(reader.getRun('run-1'), {
    runId: 'run-1',
    pipeline: 'invoice-ocr',
    status: 'failed',
    startedAt: '2024-05-01T10:00:00.000Z',
    endedAt: '2024-05-01T10:00:03.000Z',
    durationMs: 3000,
    input: 'invoice.png',
    error: { code: 'NODE_FAILED', message: 'ocr failed' },
    warnings: ['page 2 is blank'],
    outputs: { text: 0, tables: 2 },
  });
  assert.deepEqual(reader.querySpans({ runId: 'run-1' }), [minimalSpan, fullSpan]);
  assert.equal(reader.getRun('run-unknown'), undefined);
  reader.close();
});

test('endRun keeps unpatched fields and computes durationMs from endedAt', () => {
  const store = openTraceStore({ file: ':memory:' });
  store.startRun(run('run-1', { input: 'a.pdf' }));
  store.endRun('run-1', { status: 'succeeded', endedAt: '2024-05-01T10:00:02.250Z', outputs: { chunks: 4 } });
  assert.deepEqual(store.getRun('run-1'), {
    ...run('run-1', { input: 'a.pdf' }),
    status: 'succeeded',
    endedAt: '2024-05-01T10:00:02.250Z',
    durationMs: 2250,
    outputs: { chunks: 4 },
  });
  store.close();
});

test('endRun of an unknown run throws TRACE_RUN_NOT_FOUND', () => {
  const store = openTraceStore({ file: ':memory:' });
  const error = errorOf(() => store.endRun('run-missing', { status: 'failed' }));
  assert.equal(error.code, 'TRACE_RUN_NOT_FOUND');
  assert.match(error.message, /run-missing/);
  store.close();
});

test('a repeated span id or run id throws TRACE_DUPLICATE_ID', () => {
  const store = openTraceStore({ file: ':memory:' });
  store.startRun(run('run-1'));
  store.recordSpan(span('s1'));
  assert.equal(errorOf(() => store.recordSpan(span('s1'))).code, 'TRACE_DUPLICATE_ID');
  assert.equal(errorOf(() => store.startRun(run('run-1'))).code, 'TRACE_DUPLICATE_ID');
  store.close();
});

/** Two runs of two pipelines; spans inserted out of time order on purpose. */
function seededStore(): TraceStore {
  const store = openTraceStore({ file: ':memory:' });
  store.startRun(run('run-a', { pipeline: 'invoice-ocr' }));
  store.startRun(run('run-b', { pipeline: 'rag-answer', startedAt: '2024-05-01T11:00:00.000Z' }));
  const at = (second: number): string => `2024-05-01T10:00:${String(second).padStart(2, '0')}.000Z`;
  store.recordSpan(span('a3', { runId: 'run-a', nodeId: 'chunk', nodeType: 'chunk.text', startedAt: at(3), durationMs: 5 }));
  store.recordSpan(span('a1', { runId: 'run-a', nodeId: 'in', nodeType: 'source.file', startedAt: at(1), durationMs: 2 }));
  store.recordSpan(span('a2', { runId: 'run-a', nodeId: 'ocr', startedAt: at(2), durationMs: 900, status: 'error' }));
  store.recordSpan(span('b1', { runId: 'run-b', nodeId: 'ocr-2', startedAt: at(4), durationMs: 40 }));
  store.recordSpan(span('b2', { runId: 'run-b', nodeId: 'ask', nodeType: 'llm.chat', kind: 'llm', startedAt: at(5), durationMs: 1500, status: 'cancelled' }));
  store.recordSpan(span('b3', { runId: 'run-b', nodeId: 'ocr', nodeType: 'ocr.other', startedAt: at(6), durationMs: 7, status: 'skipped' }));
  return store;
}

test('querySpans without filters returns all spans ordered by startedAt', () => {
  const store = seededStore();
  assert.deepEqual(ids(store.querySpans({})), ['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
  store.close();
});

test('querySpans filters by runId', () => {
  const store = seededStore();
  assert.deepEqual(ids(store.querySpans({ runId: 'run-b' })), ['b1', 'b2', 'b3']);
  assert.deepEqual(store.querySpans({ runId: 'run-none' }), []);
  store.close();
});

test('querySpans filters by pipeline through the runs table', () => {
  const store = seededStore();
  assert.deepEqual(ids(store.querySpans({ pipeline: 'invoice-ocr' })), ['a1', 'a2', 'a3']);
  assert.deepEqual(ids(store.querySpans({ pipeline: 'rag-answer' })), ['b1', 'b2', 'b3']);
  store.close();
});

test('querySpans filters by node id', () => {
  const store = seededStore();
  assert.deepEqual(ids(store.querySpans({ node: 'ocr' })), ['a2', 'b3']);
  store.close();
});

test('querySpans filters by node type', () => {
  const store = seededStore();
  assert.deepEqual(ids(store.querySpans({ node: 'ocr.tesseract' })), ['a2', 'b1']);
  store.close();
});

test('querySpans filters by status', () => {
  const store = seededStore();
  assert.deepEqual(ids(store.querySpans({ status: 'error' })), ['a2']);
  assert.deepEqual(ids(store.querySpans({ status: 'ok' })), ['a1', 'a3', 'b1']);
  store.close();
});

test('querySpans combines filters with AND', () => {
  const store = seededStore();
  assert.deepEqual(ids(store.querySpans({ pipeline: 'rag-answer', node: 'ocr' })), ['b3']);
  assert.deepEqual(ids(store.querySpans({ runId: 'run-a', status: 'ok' })), ['a1', 'a3']);
  store.close();
});

test('querySpans slowest orders by durationMs descending', () => {
  const store = seededStore();
  assert.deepEqual(ids(store.querySpans({ slowest: true })), ['b2', 'a2', 'b1', 'b3', 'a3', 'a1']);
  assert.deepEqual(ids(store.querySpans({ slowest: true, runId: 'run-a', limit: 2 })), ['a2', 'a3']);
  store.close();
});

test('querySpans limit defaults to 100 and is clamped to 1..1000', () => {
  const store = openTraceStore({ file: ':memory:' });
  store.startRun(run('run-1'));
  for (let index = 0; index < 1005; index += 1) {
    const startedAt = new Date(Date.UTC(2024, 4, 1, 10, 0, 0, index)).toISOString();
    store.recordSpan(span(`s${index}`, { startedAt }));
  }
  assert.equal(store.querySpans({}).length, 100);
  assert.deepEqual(ids(store.querySpans({ limit: 3 })), ['s0', 's1', 's2']);
  assert.equal(store.querySpans({ limit: 5000 }).length, 1000);
  assert.deepEqual(ids(store.querySpans({ limit: 0 })), ['s0']);
  store.close();
});

test('queryRuns returns newest first and filters by pipeline and status', () => {
  const store = openTraceStore({ file: ':memory:' });
  store.startRun(run('r1', { startedAt: '2024-05-01T09:00:00.000Z', status: 'succeeded' }));
  store.startRun(run('r3', { startedAt: '2024-05-01T11:00:00.000Z', pipeline: 'rag-answer' }));
  store.startRun(run('r2', { startedAt: '2024-05-01T10:00:00.000Z', status: 'failed' }));
  const runIds = (runs: RunRecord[]): string[] => runs.map((entry) => entry.runId);
  assert.deepEqual(runIds(store.queryRuns({})), ['r3', 'r2', 'r1']);
  assert.deepEqual(runIds(store.queryRuns({ pipeline: 'invoice-ocr' })), ['r2', 'r1']);
  assert.deepEqual(runIds(store.queryRuns({ status: 'failed' })), ['r2']);
  assert.deepEqual(runIds(store.queryRuns({ limit: 1 })), ['r3']);
  store.close();
});

test('the default location is PIPELANE_HOME/traces.db, created when missing', (context) => {
  const home = join(tempDir(), 'nested', 'home');
  const previous = process.env.PIPELANE_HOME;
  context.after(() => {
    if (previous === undefined) delete process.env.PIPELANE_HOME;
    else process.env.PIPELANE_HOME = previous;
  });
  process.env.PIPELANE_HOME = home;
  const store = openTraceStore();
  assert.equal(store.location, join(home, 'traces.db'));
  assert.ok(existsSync(join(home, 'traces.db')));
  store.close();
});

test('a file store is in WAL mode with the current schema version', () => {
  const dir = tempDir();
  openTraceStore({ dir }).close();
  const raw = new Database(join(dir, 'traces.db'), { readonly: true });
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(raw.pragma('user_version', { simple: true }), TRACE_SCHEMA_VERSION);
  const indexes = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();
  assert.deepEqual(indexes, ['runs_pipeline', 'runs_started_at', 'spans_node_id', 'spans_node_type', 'spans_run_id', 'spans_status']);
  raw.close();
});

test('opening a file that is not a database throws TRACE_STORE_UNAVAILABLE', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'traces.db'), 'this is not a database\n'.repeat(100));
  const error = errorOf(() => openTraceStore({ dir }));
  assert.equal(error.code, 'TRACE_STORE_UNAVAILABLE');
  assert.equal(error.name, 'TraceStoreError');
  assert.ok(error.message.includes(join(dir, 'traces.db')), error.message);
  assert.match(error.hint, /not a Pipelane trace database/);
});

test('opening a store whose directory cannot be created throws TRACE_STORE_UNAVAILABLE', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'plain-file'), 'x');
  const error = errorOf(() => openTraceStore({ dir: join(dir, 'plain-file', 'home') }));
  assert.equal(error.code, 'TRACE_STORE_UNAVAILABLE');
  assert.match(error.hint, /PIPELANE_HOME/);
});

test('opening a store written by a newer schema throws TRACE_STORE_UNAVAILABLE', () => {
  const dir = tempDir();
  const raw = new Database(join(dir, 'traces.db'));
  raw.pragma('user_version = 99');
  raw.close();
  const error = errorOf(() => openTraceStore({ dir }));
  assert.equal(error.code, 'TRACE_STORE_UNAVAILABLE');
  assert.match(error.message, /schema version 99/);
});

test('a closed store throws TRACE_STORE_CLOSED and close is idempotent', () => {
  const store = openTraceStore({ file: ':memory:' });
  store.close();
  store.close();
  assert.equal(errorOf(() => store.querySpans({})).code, 'TRACE_STORE_CLOSED');
  assert.equal(errorOf(() => store.startRun(run('r'))).code, 'TRACE_STORE_CLOSED');
});
