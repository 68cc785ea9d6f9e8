import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../../src/engine/index.js';
import { createRegistry, fakeNode, PipelaneError, type AnyNodeDefinition } from '../../../src/node-kit/index.js';
import { openTraceStore } from '../../../src/trace/index.js';

const source = fakeNode({
  type: 'source.fake',
  outputs: ['text'],
  process: async (input, ctx) => {
    const { text = '' } = input as { text?: string };
    for (const line of text.split('\n')) await ctx.emit('text', { text: line, meta: { source: text.slice(0, 8) } });
  },
});
const upper = fakeNode({
  type: 'transform.upper',
  inputs: ['text'],
  outputs: ['text'],
  process: async (item, ctx) => {
    const { text, meta } = item as { text: string; meta: Record<string, unknown> };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    await ctx.emit('text', { text: text.toUpperCase(), meta });
  },
});

function pipeline(nodes: unknown[], from = 'up'): unknown {
  return { version: 1, name: 'test', nodes, outputs: [{ lane: 'text', from, as: 'out' }] };
}
const chain = pipeline([
  { id: 'in', type: 'source.fake' },
  { id: 'up', type: 'transform.upper', inputs: [{ lane: 'text', from: 'in' }] },
]);

function engineWith(...extra: AnyNodeDefinition[]) {
  return createEngine({ registry: createRegistry([source, upper, ...extra]), queueSize: 2 });
}

test('streams every item through the chain in order and records one span per invocation', async () => {
  const result = await engineWith().run({ pipeline: chain, inputs: [{ text: 'a\nb\nc' }] });
  assert.equal(result.status, 'succeeded');
  assert.deepEqual((result.outputs.out as Array<{ text: string }>).map((item) => item.text), ['A', 'B', 'C']);
  assert.equal(result.spans.filter((span) => span.nodeId === 'up').length, 3);
  assert.equal(result.spans.filter((span) => span.nodeId === 'in').length, 1);
});

test('20 concurrent runs through one engine each see only their own input', async () => {
  const engine = engineWith();
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, index) => engine.run({ pipeline: chain, inputs: [{ text: Array.from({ length: 10 }, () => `run${index}`).join('\n') }] })),
  );
  results.forEach((result, index) => {
    const texts = (result.outputs.out as Array<{ text: string }>).map((item) => item.text);
    assert.equal(texts.length, 10);
    assert.ok(texts.every((text) => text === `RUN${index}`), `run ${index} saw ${texts.join(',')}`);
  });
});

test('a typed error fails the run with the node path; the engine serves the next run', async () => {
  const failing = fakeNode({
    type: 'transform.fail',
    inputs: ['text'],
    process: () => {
      throw new PipelaneError('BAD_INPUT', 'cannot read this', { hint: 'give another input' });
    },
  });
  const engine = engineWith(failing);
  const bad = pipeline([{ id: 'in', type: 'source.fake' }, { id: 'f', type: 'transform.fail', inputs: [{ lane: 'text', from: 'in' }] }], 'f');
  const failed = await engine.run({ pipeline: bad, inputs: [{ text: 'x\ny\nz' }] });
  assert.equal(failed.status, 'failed');
  assert.deepEqual(failed.error, { code: 'BAD_INPUT', message: 'cannot read this', hint: 'give another input', path: '/nodes/1' });
  const next = await engine.run({ pipeline: chain, inputs: [{ text: 'ok' }] });
  assert.equal(next.status, 'succeeded');
});

test('onError skip turns a failing item into a warning and keeps the others', async () => {
  const picky = fakeNode({
    type: 'transform.picky',
    inputs: ['text'],
    process: async (item, ctx) => {
      const { text } = item as { text: string };
      if (text === 'bad') throw new PipelaneError('BAD_ITEM', 'bad item', { hint: 'h' });
      await ctx.emit('text', item as never);
    },
  });
  const spec = pipeline([{ id: 'in', type: 'source.fake' }, { id: 'p', type: 'transform.picky', onError: 'skip', inputs: [{ lane: 'text', from: 'in' }] }], 'p');
  const result = await engineWith(picky).run({ pipeline: spec, inputs: [{ text: 'good\nbad\nfine' }] });
  assert.equal(result.status, 'succeeded');
  assert.deepEqual((result.outputs.out as Array<{ text: string }>).map((item) => item.text), ['good', 'fine']);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0]!, /BAD_ITEM/);
});

test('a node that ignores its signal is cut off by the per-node timeout', async () => {
  const slow = fakeNode({ type: 'transform.slow', inputs: ['text'], timeoutMs: 50, process: () => new Promise(() => {}) });
  const spec = pipeline([{ id: 'in', type: 'source.fake' }, { id: 's', type: 'transform.slow', inputs: [{ lane: 'text', from: 'in' }] }], 's');
  const result = await engineWith(slow).run({ pipeline: spec, inputs: [{ text: 'x' }] });
  assert.equal(result.status, 'failed');
  assert.equal(result.error?.code, 'NODE_TIMEOUT');
  assert.equal(result.error?.path, '/nodes/1');
});

test('cancelling stops new work at once: no sink write after the cancel', async () => {
  const writes: number[] = [];
  let cancelledAt = Infinity;
  const sink = fakeNode({
    type: 'sink.record',
    inputs: ['text'],
    outputs: ['text'],
    process: async (item, ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      ctx.signal.throwIfAborted();
      writes.push(Date.now());
      await ctx.emit('text', item as never);
    },
  });
  const controller = new AbortController();
  const spec = pipeline([{ id: 'in', type: 'source.fake' }, { id: 'w', type: 'sink.record', inputs: [{ lane: 'text', from: 'in' }] }], 'w');
  setTimeout(() => {
    cancelledAt = Date.now();
    controller.abort();
  }, 60);
  const result = await engineWith(sink).run({ pipeline: spec, inputs: [{ text: Array.from({ length: 200 }, (_, i) => `l${i}`).join('\n') }], signal: controller.signal });
  assert.equal(result.status, 'cancelled');
  assert.equal(result.error?.code, 'RUN_CANCELLED');
  assert.ok(writes.length > 0 && writes.length < 200, `wrote ${writes.length}`);
  assert.ok(writes.every((time) => time <= cancelledAt), 'a write happened after the cancel');
});

test('an emitted item that breaks its lane schema is a typed error naming the node', async () => {
  const broken = fakeNode({ type: 'transform.broken', inputs: ['text'], process: async (_item, ctx) => ctx.emit('text', { words: 1 } as never) });
  const spec = pipeline([{ id: 'in', type: 'source.fake' }, { id: 'b', type: 'transform.broken', inputs: [{ lane: 'text', from: 'in' }] }], 'b');
  const result = await engineWith(broken).run({ pipeline: spec, inputs: [{ text: 'x' }] });
  assert.equal(result.error?.code, 'LANE_PAYLOAD_INVALID');
  assert.match(result.error!.message, /"b" \(transform\.broken\) emitted an invalid text item/);
});

test('an invalid pipeline is refused before anything runs, with every problem', async () => {
  const spec = { version: 1, name: 'bad', nodes: [{ id: 'up', type: 'transform.upper', inputs: [{ lane: 'text', from: 'nowhere' }] }], outputs: [] };
  await assert.rejects(engineWith().run({ pipeline: spec, inputs: [] }), (error: PipelaneError) => {
    assert.equal(error.code, 'PIPELINE_INVALID');
    const codes = (error.details?.problems as Array<{ code: string }>).map((problem) => problem.code).sort();
    assert.deepEqual(codes, ['NO_OUTPUT', 'NO_SOURCE', 'UNKNOWN_NODE_REFERENCE']);
    return true;
  });
});

test('runs and spans land in the trace store with secrets from ${ENV} redacted', async () => {
  const store = openTraceStore({ file: ':memory:' });
  const echoConfig = fakeNode({
    type: 'transform.echo-config',
    inputs: ['text'],
    process: async (_item, ctx) => ctx.emit('text', { text: `key=${String((ctx.config as { key: string }).key)}`, meta: {} }),
  });
  const engine = createEngine({ registry: createRegistry([source, echoConfig]), traceStore: store });
  const spec = pipeline([{ id: 'in', type: 'source.fake' }, { id: 'e', type: 'transform.echo-config', config: { key: '${PIPELANE_TEST_SECRET}' }, inputs: [{ lane: 'text', from: 'in' }] }], 'e');
  const result = await engine.run({ pipeline: spec, inputs: [{ text: 'x' }], env: { PIPELANE_TEST_SECRET: 'sk-very-secret' }, inputSummary: 'token sk-very-secret' });
  assert.equal((result.outputs.out as Array<{ text: string }>)[0]!.text, 'key=sk-very-secret');
  const spans = store.querySpans({ runId: result.runId });
  assert.equal(spans.length, 2);
  assert.ok(spans.every((span) => !JSON.stringify(span).includes('sk-very-secret')));
  assert.equal(store.getRun(result.runId)?.status, 'succeeded');
  assert.deepEqual(store.getRun(result.runId)?.outputs, { out: 1 });
  assert.equal(store.getRun(result.runId)?.input, 'token ***');
  store.close();
});

test('with tracePreviews off, spans keep counts and timings but no payload previews', async () => {
  const store = openTraceStore({ file: ':memory:' });
  const engine = createEngine({ registry: createRegistry([source, upper]), traceStore: store, tracePreviews: false });
  const result = await engine.run({ pipeline: chain, inputs: [{ text: 'jane.doe@example.com' }], inputSummary: 'jane.doe@example.com' });
  assert.equal(store.getRun(result.runId)?.input, undefined);
  const spans = store.querySpans({ runId: result.runId });
  assert.equal(spans.length, 2);
  assert.ok(spans.every((span) => span.inputPreview === undefined && span.outputPreview === undefined && span.itemsOut === 1));
  assert.ok(!JSON.stringify(spans).includes('jane'));
  store.close();
});

test('waiting on a slow consumer does not count against the producer\'s per-item timeout', async () => {
  const burst = fakeNode({
    type: 'source.burst',
    outputs: ['text'],
    timeoutMs: 150,
    process: async (_input, ctx) => {
      for (let index = 0; index < 12; index++) await ctx.emit('text', { text: `t${index}`, meta: {} });
    },
  });
  const slowSink = fakeNode({
    type: 'sink.slow',
    inputs: ['text'],
    process: async (item, ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      await ctx.emit('text', item as never);
    },
  });
  const spec = pipeline([{ id: 'in', type: 'source.burst' }, { id: 's', type: 'sink.slow', inputs: [{ lane: 'text', from: 'in' }] }], 's');
  // 12 items × 40 ms behind a queue of 2 keeps the source blocked ~400 ms, far over its 150 ms limit
  const result = await createEngine({ registry: createRegistry([burst, slowSink]), queueSize: 2 }).run({ pipeline: spec, inputs: [{}] });
  assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
  assert.equal(result.outputs.out!.length, 12);
});
