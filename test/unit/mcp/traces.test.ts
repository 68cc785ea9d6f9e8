import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertInBandError, linesPipeline, startHarness, structured, type Harness } from './harness.js';

let harness: Harness;
let runId: string;
let failedRunId: string;
before(async () => {
  harness = await startHarness();
  runId = String(structured(await harness.call('run_pipeline', { pipeline: linesPipeline(), text: 'a\nb\nc' })).runId);
  const failing = linesPipeline([{ id: 'bad', type: 'transform.fail', inputs: [{ lane: 'text', from: 'up' }] }], 'up');
  failedRunId = String(structured(await harness.call('run_pipeline', { pipeline: { ...failing, name: 'failing' }, text: 'x' })).runId);
});
after(async () => harness.close());

type Span = { nodeId: string; nodeType: string; status: string; durationMs: number; runId: string };

test('get_run returns the run record and its spans in start order', async () => {
  const content = structured(await harness.call('get_run', { runId }));
  const run = content.run as { runId: string; status: string; pipeline: string; outputs: Record<string, number> };
  assert.equal(run.runId, runId);
  assert.equal(run.status, 'succeeded');
  assert.equal(run.pipeline, 'lines');
  assert.deepEqual(run.outputs, { out: 3 });
  const spans = content.spans as Span[];
  assert.equal(spans.filter((span) => span.nodeId === 'in').length, 1);
  assert.equal(spans.filter((span) => span.nodeId === 'up').length, 3);
});

test('get_run with an unknown id is an in-band RUN_NOT_FOUND that says where run ids come from', async () => {
  const content = assertInBandError(await harness.call('get_run', { runId: 'no-such-run' }), 'RUN_NOT_FOUND');
  assert.match(String(content.hint), /query_traces/);
  assert.equal(content.path, '/runId');
});

test('query_traces with a runId returns that run\'s spans', async () => {
  const spans = structured(await harness.call('query_traces', { runId })).spans as Span[];
  assert.equal(spans.length, 4);
  assert.ok(spans.every((span) => span.runId === runId));
});

test('query_traces filters spans by node, status and orders by slowest', async () => {
  const byNode = structured(await harness.call('query_traces', { runId, node: 'transform.upper' })).spans as Span[];
  assert.equal(byNode.length, 3);
  const errors = structured(await harness.call('query_traces', { status: 'error' })).spans as Span[];
  assert.ok(errors.length >= 1 && errors.every((span) => span.status === 'error' && span.runId === failedRunId));
  const slowest = structured(await harness.call('query_traces', { slowest: true, limit: 2 })).spans as Span[];
  assert.equal(slowest.length, 2);
  assert.ok(slowest[0]!.durationMs >= slowest[1]!.durationMs);
});

test('query_traces with only a pipeline, or nothing, returns runs newest first', async () => {
  const all = structured(await harness.call('query_traces', {})).runs as Array<{ runId: string }>;
  assert.deepEqual(all.map((run) => run.runId), [failedRunId, runId]);
  const failing = structured(await harness.call('query_traces', { pipeline: 'failing' })).runs as Array<{ runId: string; status: string }>;
  assert.deepEqual(failing.map((run) => [run.runId, run.status]), [[failedRunId, 'failed']]);
});

test('query_traces for an unknown run answers no spans and a hint', async () => {
  const content = structured(await harness.call('query_traces', { runId: 'nope' }));
  assert.deepEqual(content.spans, []);
  assert.match(String(content.hint), /No run "nope"/);
});

test('query_traces with a bad status or limit is an in-band error', async () => {
  for (const args of [{ status: 'broken' }, { limit: 0 }]) {
    const result = await harness.call('query_traces', args);
    assert.equal(result.isError, true);
    const error = structured(result);
    assert.equal(error.code, 'ARGUMENTS_INVALID', JSON.stringify(result));
    assert.match(String(error.message), /Invalid arguments for query_traces/);
  }
});

test('a closed trace store is an in-band TRACE_STORE_CLOSED for get_run and query_traces', async () => {
  const closing = await startHarness();
  try {
    closing.traceStore.close();
    assertInBandError(await closing.call('get_run', { runId }), 'TRACE_STORE_CLOSED');
    assertInBandError(await closing.call('query_traces', {}), 'TRACE_STORE_CLOSED');
  } finally {
    await closing.close();
  }
});
