import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { MicroBatcher } from '../../../src/models/index.js';
import { PipelaneError } from '../../../src/node-kit/index.js';

/** A fake model: squares each input after a delay, records each batch; `poison` inputs break a batch. */
function squarer(options: { maxBatch?: number; maxWaitMs?: number; concurrency?: number; poison?: number; everyoneError?: boolean; delayMs?: number } = {}) {
  const batches: number[][] = [];
  const batcher = new MicroBatcher<number, number>({
    name: 'squarer',
    maxBatch: options.maxBatch ?? 8,
    maxWaitMs: options.maxWaitMs ?? 5,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    async run(inputs) {
      batches.push([...inputs]);
      await sleep(options.delayMs ?? 2 + Math.random() * 3);
      if (options.everyoneError) throw new PipelaneError('EMBED_AUTH_FAILED', 'key refused', { hint: 'fix the key' });
      if (options.poison !== undefined && inputs.includes(options.poison)) throw new Error(`cannot read ${options.poison}`);
      // Shuffle the work order inside the "model", but return in input order as a model does.
      return inputs.map((input) => input * input);
    },
    isolate: (error) => !(error instanceof PipelaneError && error.code === 'EMBED_AUTH_FAILED'),
  });
  return { batcher, batches };
}

describe('MicroBatcher', () => {
  it('returns exactly its own outputs to each of 200 concurrent callers of different sizes, in far fewer calls', async () => {
    const { batcher, batches } = squarer({ maxBatch: 16 });
    const requests = Array.from({ length: 200 }, (_, caller) => Array.from({ length: 1 + (caller % 5) }, (_, index) => caller * 10 + index));
    const results = await Promise.all(
      requests.map(async (inputs, caller) => {
        await sleep(caller % 7); // arrive at different times
        return batcher.submit(inputs);
      }),
    );
    results.forEach((result, caller) => assert.deepEqual(result.outputs, requests[caller]!.map((input) => input * input), `caller ${caller}`));
    assert.ok(batches.every((batch) => batch.length <= 16), 'no batch above maxBatch');
    assert.equal(batches.flat().length, requests.flat().length, 'every input sent exactly once');
    assert.ok(batches.length < 200 / 3, `${batches.length} calls for 200 callers`);
    assert.ok(results.some((result) => result.sharedWith > 1 && result.batchSize > 5));
  });

  it('cuts a request larger than maxBatch into pieces and joins their outputs in order', async () => {
    const { batcher, batches } = squarer({ maxBatch: 4 });
    const result = await batcher.submit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(result.outputs, [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
    assert.deepEqual(batches, [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
    assert.equal(result.batches, 3);
  });

  it('sends a full batch at once and a partial one after maxWaitMs', async () => {
    const { batcher, batches } = squarer({ maxBatch: 4, maxWaitMs: 60, delayMs: 1 });
    let started = performance.now();
    await batcher.submit([1, 2, 3, 4]);
    assert.ok(performance.now() - started < 40, 'a full batch does not wait');
    started = performance.now();
    const lone = await batcher.submit([5]);
    const waited = performance.now() - started;
    assert.ok(waited >= 55 && waited < 200, `a lone input waited ${waited} ms`);
    assert.ok(lone.queueWaitMs >= 55);
    assert.deepEqual(batches, [[1, 2, 3, 4], [5]]);
  });

  it('a caller that aborts while queued leaves the queue; one that aborts in flight is rejected at once and the others still get theirs', async () => {
    const { batcher, batches } = squarer({ maxBatch: 8, maxWaitMs: 20, delayMs: 40 });
    const queued = new AbortController();
    const leaving = batcher.submit([1], queued.signal);
    queued.abort(new Error('gone'));
    await assert.rejects(leaving, /gone/);
    const inFlight = new AbortController();
    const running = batcher.submit([2], inFlight.signal);
    const staying = batcher.submit([3]);
    await sleep(30); // the batch [2, 3] is running now
    const abortedAt = performance.now();
    inFlight.abort(new Error('cancelled'));
    await assert.rejects(running, /cancelled/);
    assert.ok(performance.now() - abortedAt < 15, 'not held until the batch ends');
    assert.deepEqual((await staying).outputs, [9]);
    assert.deepEqual(batches, [[2, 3]], 'the input that left the queue was never sent');
  });

  it('splits a failed batch: only the caller whose input breaks the model fails, the others are served', async () => {
    const { batcher, batches } = squarer({ maxBatch: 8, maxWaitMs: 10, poison: 13 });
    const results = await Promise.allSettled([batcher.submit([1, 2]), batcher.submit([13]), batcher.submit([4])]);
    assert.deepEqual(results[0], { status: 'fulfilled', value: { outputs: [1, 4], queueWaitMs: (results[0] as PromiseFulfilledResult<{ queueWaitMs: number }>).value.queueWaitMs, batchSize: 2, batches: 1, sharedWith: 1 } });
    assert.equal(results[1]!.status, 'rejected');
    assert.match(String((results[1] as PromiseRejectedResult).reason), /cannot read 13/);
    assert.deepEqual(results[2]!.status === 'fulfilled' && results[2].value.outputs, [16]);
    assert.deepEqual(batches, [[1, 2, 13, 4], [1, 2], [13], [4]]);
    assert.equal(batcher.stats().splits, 1);
  });

  it('an error that concerns everyone goes to every caller of the batch without a call per caller', async () => {
    const { batcher, batches } = squarer({ maxBatch: 8, maxWaitMs: 10, everyoneError: true });
    const results = await Promise.allSettled([batcher.submit([1]), batcher.submit([2]), batcher.submit([3])]);
    assert.ok(results.every((result) => result.status === 'rejected' && (result.reason as PipelaneError).code === 'EMBED_AUTH_FAILED'));
    assert.equal(batches.length, 1);
  });

  it('a model that answers with the wrong number of results is MODEL_BATCH_INVALID', async () => {
    const batcher = new MicroBatcher<number, number>({ name: 'short', maxBatch: 4, maxWaitMs: 0, run: async (inputs) => inputs.slice(1) });
    await assert.rejects(batcher.submit([1, 2]), { code: 'MODEL_BATCH_INVALID', message: /short returned 1 results for a batch of 2 inputs/ });
  });

  it('close() rejects what is queued with MODEL_POOL_CLOSED and later submits too', async () => {
    const { batcher } = squarer({ maxBatch: 8, maxWaitMs: 50 });
    const queued = batcher.submit([1]);
    await batcher.close();
    await assert.rejects(queued, { code: 'MODEL_POOL_CLOSED' });
    await assert.rejects(batcher.submit([2]), { code: 'MODEL_POOL_CLOSED' });
  });

  it('runs up to `concurrency` batches at once', async () => {
    let running = 0;
    let most = 0;
    const batcher = new MicroBatcher<number, number>({
      name: 'wide',
      maxBatch: 2,
      maxWaitMs: 0,
      concurrency: 3,
      async run(inputs) {
        running += 1;
        most = Math.max(most, running);
        await sleep(20);
        running -= 1;
        return inputs;
      },
    });
    await Promise.all(Array.from({ length: 12 }, (_, index) => batcher.submit([index])));
    assert.equal(most, 3);
  });
  it('gives each call a signal of its own, so listeners a client leaves on it go with the call; close() aborts the one running', async () => {
    const signals: AbortSignal[] = [];
    const batcher = new MicroBatcher<number, number>({
      name: 'leaky-client',
      maxBatch: 1,
      maxWaitMs: 0,
      async run(inputs, signal) {
        signal.addEventListener('abort', () => {}); // as the openai SDK does, never removed
        signals.push(signal);
        if (inputs[0] === 99) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        await sleep(1);
        return inputs;
      },
    });
    await Promise.all(Array.from({ length: 20 }, (_, index) => batcher.submit([index])));
    assert.equal(new Set(signals).size, 20);
    assert.ok(signals.every((signal) => !signal.aborted));
    const running = batcher.submit([99]);
    await sleep(20);
    await batcher.close();
    await assert.rejects(running, { code: 'MODEL_POOL_CLOSED' });
    assert.equal(signals.at(-1)!.aborted, true);
  });
});
