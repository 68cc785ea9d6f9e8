import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeNode } from '../../src/node-kit/index.js';
import chunkText from '../../nodes/chunk/text/node.js';
import embedHash from '../../nodes/embed/hash/node.js';
import storeSqlite from '../../nodes/store/sqlite/node.js';
import { SqliteVectorStore } from '../../nodes/store/sqlite/sqlite-vector-store.js';
import { fakeNodes, sleepFor, startHarness, type Harness } from '../unit/mcp/harness.js';

/** Called synchronously when the run is cancelled (inside the abort), before anything else can run. */
let onCancel: (() => void) | undefined;

/** Passes documents on one item per 40 ms, so an ingest of 300 lines takes about 12 s. */
const throttle = fakeNode({
  type: 'transform.throttle',
  inputs: ['documents'],
  outputs: ['documents'],
  process: async (item, ctx) => {
    ctx.signal.addEventListener('abort', () => onCancel?.(), { once: true });
    await sleepFor(40, ctx.signal);
    await ctx.emit('documents', item as never);
  },
});

let harness: Harness;
before(async () => (harness = await startHarness({ nodes: [...fakeNodes, chunkText, embedHash, storeSqlite, throttle] })));
after(async () => harness.close());

test('cancelling an ingest after one second ends the run cancelled, and the store holds no document written after the cancel', async () => {
  const storePath = join(harness.workspaceRoot, '.pipelane', 'vectors.db');
  const pipeline = {
    version: 1,
    name: 'ingest-lines',
    nodes: [
      { id: 'in', type: 'source.lines' },
      { id: 'chunk', type: 'chunk.text', config: { size: 200, overlap: 0 }, inputs: [{ lane: 'text', from: 'in' }] },
      { id: 'embed', type: 'embed.hash', config: { dimensions: 64 }, inputs: [{ lane: 'documents', from: 'chunk' }] },
      { id: 'slow', type: 'transform.throttle', inputs: [{ lane: 'documents', from: 'embed' }] },
      { id: 'store', type: 'store.sqlite', config: { path: storePath, collection: 'lines', dimensions: 64, batchSize: 1 }, inputs: [{ lane: 'documents', from: 'slow' }] },
    ],
    outputs: [{ lane: 'documents', from: 'store', as: 'stored' }],
  };
  const text = Array.from({ length: 300 }, (_, index) => `Line ${index}: the ${index % 7} quick foxes jump over ${index * 3} lazy dogs.`).join('\n');
  const reader = new SqliteVectorStore(storePath);
  let atCancel: number | undefined;
  let cancelledAt = 0;
  onCancel = () => {
    cancelledAt = Date.now();
    atCancel ??= reader.count('lines');
  };
  try {
    const controller = new AbortController();
    let runId: string | undefined;
    const started = Date.now();
    const call = harness.client.callTool({ name: 'run_pipeline', arguments: { pipeline, text } }, undefined, {
      signal: controller.signal,
      onprogress: (notification) => (runId ??= /run (\S+) started/.exec(notification.message ?? '')?.[1]),
    });
    setTimeout(() => controller.abort('cancel after 1 s'), 1000);
    await assert.rejects(call);
    assert.ok(runId, 'the first progress message names the run');

    const deadline = Date.now() + 5000;
    while (harness.traceStore.getRun(runId)?.status === 'running' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const run = harness.traceStore.getRun(runId);
    assert.equal(run?.status, 'cancelled');
    assert.ok(cancelledAt - started < 1500, `the server saw the cancel ${cancelledAt - started} ms after the start`);
    assert.ok(Date.parse(run!.endedAt!) - cancelledAt < 1000, 'the run ended within a second of the cancel');

    await new Promise((resolve) => setTimeout(resolve, 500));
    const atEnd = reader.count('lines');
    assert.ok(atCancel !== undefined && atCancel > 0, `the ingest had written ${atCancel} documents before the cancel`);
    assert.ok(atCancel < 300, 'the cancel came before the ingest finished');
    assert.equal(atEnd, atCancel, `documents at the cancel: ${atCancel}, afterwards: ${atEnd}`);
  } finally {
    onCancel = undefined;
    await reader.close();
  }
});
