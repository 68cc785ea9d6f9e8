import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openTraceStore, type SpanRecord, type TraceStore } from '../../../src/trace/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const writerScript = fileURLToPath(new URL('./concurrent-writer.ts', import.meta.url));

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pipelane-trace-concurrency-'));
}

function span(spanId: string, runId: string, nodeId: string): SpanRecord {
  const now = new Date().toISOString();
  return {
    spanId, runId, nodeId, nodeType: 'test.writer', kind: 'node', status: 'ok',
    startedAt: now, endedAt: now, durationMs: 1, itemsIn: 1, itemsOut: 1,
  };
}

test('two stores on one file see each other\'s writes at once', () => {
  const dir = tempDir();
  const first = openTraceStore({ dir });
  const second = openTraceStore({ dir });
  first.startRun({ runId: 'run-1', pipeline: 'p', status: 'running', startedAt: '2024-05-01T10:00:00.000Z' });
  first.recordSpan(span('s1', 'run-1', 'ocr'));
  assert.equal(second.getRun('run-1')?.status, 'running');
  assert.deepEqual(second.querySpans({ runId: 'run-1' }).map((entry) => entry.spanId), ['s1']);
  second.endRun('run-1', { status: 'succeeded', endedAt: '2024-05-01T10:00:01.000Z' });
  assert.equal(first.getRun('run-1')?.durationMs, 1000);
  first.close();
  second.close();
});

interface Writer {
  child: ChildProcessWithoutNullStreams;
  output: string;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

function startWriter(file: string, prefix: string, count: number): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', writerScript, file, prefix, String(count)], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const writer: Writer = { child, output: '', ready: Promise.resolve(), exited: Promise.resolve(null) };
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  writer.ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      writer.output += chunk.toString();
      if (writer.output.includes('ready\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`writer ${prefix} exited before ready: ${stderr}`)));
  });
  writer.exited = new Promise((resolve) => {
    child.once('exit', (code) => {
      if (code !== 0) process.stderr.write(`writer ${prefix} stderr:\n${stderr}\n`);
      resolve(code);
    });
  });
  return writer;
}

test('two processes and two in-process stores write one file at the same time without losing a span', async () => {
  const dir = tempDir();
  const file = join(dir, 'traces.db');
  const perWriter = 400;
  const writers = [startWriter(file, 'child-a', perWriter), startWriter(file, 'child-b', perWriter)];
  await Promise.all(writers.map((writer) => writer.ready));
  for (const writer of writers) writer.child.stdin.write('go\n');

  // Meanwhile, this process writes through two stores of its own, alternating between them.
  const stores: TraceStore[] = [openTraceStore({ dir }), openTraceStore({ dir })];
  stores[0]?.startRun({ runId: 'parent-run', pipeline: 'concurrency', status: 'running', startedAt: new Date().toISOString() });
  for (let index = 0; index < perWriter * 2; index += 1) {
    stores[index % 2]?.recordSpan(span(`parent-${index}`, 'parent-run', `parent-${index % 2}`));
    // Yield now and then so the children's writes interleave with ours.
    if (index % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  for (const store of stores) store.close();

  const codes = await Promise.all(writers.map((writer) => writer.exited));
  assert.deepEqual(codes, [0, 0]);
  assert.deepEqual(writers.map((writer) => writer.output.trim()), [`ready\ndone ${perWriter}`, `ready\ndone ${perWriter}`]);

  const reader = openTraceStore({ dir });
  for (const prefix of ['child-a', 'child-b']) {
    const spans = reader.querySpans({ runId: `${prefix}-run`, limit: 1000 });
    assert.equal(spans.length, perWriter, prefix);
    assert.equal(new Set(spans.map((entry) => entry.spanId)).size, perWriter);
    assert.equal(reader.getRun(`${prefix}-run`)?.status, 'succeeded');
    assert.deepEqual(reader.getRun(`${prefix}-run`)?.warnings, ['at 350']);
  }
  assert.equal(reader.querySpans({ runId: 'parent-run', limit: 1000 }).length, perWriter * 2);
  assert.deepEqual(reader.queryRuns({ pipeline: 'concurrency' }).map((entry) => entry.runId).sort(), ['child-a-run', 'child-b-run', 'parent-run']);
  reader.close();

  const raw = new Database(file, { readonly: true });
  assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal(raw.prepare('SELECT count(*) FROM spans').pluck().get(), perWriter * 4);
  raw.close();
});
