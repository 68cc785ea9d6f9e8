import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelaneError } from '../../../src/node-kit/index.js';
import { WorkerPool, getPool, modelStats, shutdownModels } from '../../../src/models/index.js';

/** A fake worker: echoes its input after a delay, tagged with its own id; `crash` breaks it for good. */
class FakeWorker {
  terminated = false;
  broken = false;
  busy = false;
  constructor(readonly id: number) {}

  async run(input: number, delayMs: number): Promise<{ input: number; worker: number }> {
    assert.equal(this.busy, false, `worker ${this.id} was given two tasks at once`);
    assert.equal(this.terminated, false, `worker ${this.id} used after termination`);
    if (this.broken) throw new Error(`worker ${this.id} is broken`);
    this.busy = true;
    await sleep(delayMs);
    this.busy = false;
    return { input, worker: this.id };
  }
}

function fakePool(options: { max?: number; idleTimeoutMs?: number; failCreate?: () => boolean } = {}) {
  const workers: FakeWorker[] = [];
  const pool = new WorkerPool<FakeWorker>({
    name: 'fake',
    max: options.max ?? 3,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    async create() {
      await sleep(5);
      if (options.failCreate?.()) throw new Error('cannot start worker');
      const worker = new FakeWorker(workers.length + 1);
      workers.push(worker);
      return worker;
    },
    terminate(worker) {
      worker.terminated = true;
    },
  });
  return { pool, workers };
}

describe('WorkerPool', () => {
  it('returns every result to its own caller under 20 concurrent uses, never exceeding max workers', async () => {
    const { pool, workers } = fakePool({ max: 3 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, input) => pool.use((worker) => worker.run(input, 1 + ((input * 7) % 5)))),
    );
    assert.deepEqual(
      results.map((result) => result.input),
      Array.from({ length: 20 }, (_, input) => input),
    );
    assert.equal(workers.length, 3);
    assert.deepEqual(new Set(results.map((result) => result.worker)), new Set([1, 2, 3]));
    assert.deepEqual(pool.stats(), { name: 'fake', workers: 3, busy: 0, idle: 3, creating: 0, queued: 0, created: 3, max: 3 });
    await pool.close();
  });

  it('creates workers lazily', async () => {
    const { pool, workers } = fakePool({ max: 4 });
    assert.equal(workers.length, 0);
    await pool.use((worker) => worker.run(1, 1));
    await pool.use((worker) => worker.run(2, 1));
    assert.equal(workers.length, 1, 'sequential uses share one worker');
    await pool.close();
  });

  it('rejects a queued caller with its signal reason when it aborts, and serves the others', async () => {
    const { pool } = fakePool({ max: 1 });
    const first = pool.use((worker) => worker.run(1, 40));
    const controller = new AbortController();
    const queued = pool.use((worker) => worker.run(2, 1), controller.signal);
    const third = pool.use((worker) => worker.run(3, 1));
    await sleep(10);
    assert.equal(pool.stats().queued, 2);
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await assert.rejects(queued, (error) => error === reason);
    assert.equal(pool.stats().queued, 1);
    assert.deepEqual(await first, { input: 1, worker: 1 });
    assert.deepEqual(await third, { input: 3, worker: 1 }, 'the worker is not replaced: the aborted caller never had it');
    await pool.close();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { pool, workers } = fakePool();
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await assert.rejects(pool.use((worker) => worker.run(1, 1), controller.signal), /too late/);
    assert.equal(workers.length, 0);
    await pool.close();
  });

  it('replaces a worker whose task threw an infrastructure error', async () => {
    const { pool, workers } = fakePool({ max: 1 });
    await assert.rejects(
      pool.use(async (worker) => {
        worker.broken = true;
        return worker.run(1, 1);
      }),
      /worker 1 is broken/,
    );
    assert.equal(workers[0]!.terminated, true);
    assert.deepEqual(await pool.use((worker) => worker.run(2, 1)), { input: 2, worker: 2 });
  });

  it('keeps a worker whose task threw a typed input error', async () => {
    const { pool, workers } = fakePool({ max: 1 });
    const inputError = new PipelaneError('OCR_IMAGE_UNREADABLE', 'bad image', { hint: 'give a png' });
    await assert.rejects(pool.use(async () => Promise.reject(inputError)), (error) => error === inputError);
    assert.deepEqual(await pool.use((worker) => worker.run(2, 1)), { input: 2, worker: 1 });
    assert.equal(workers.length, 1);
    await pool.close();
  });

  it('rejects a running task on abort and replaces its still-busy worker', async () => {
    const { pool, workers } = fakePool({ max: 1 });
    const controller = new AbortController();
    const running = pool.use((worker) => worker.run(1, 50), controller.signal);
    await sleep(15);
    controller.abort(new Error('timed out'));
    await assert.rejects(running, /timed out/);
    assert.equal(workers[0]!.terminated, true);
    assert.deepEqual(await pool.use((worker) => worker.run(2, 1)), { input: 2, worker: 2 });
    await pool.close();
  });

  it('passes a creation failure to a waiter instead of hanging, then recovers', async () => {
    let failures = 1;
    const { pool } = fakePool({ max: 1, failCreate: () => failures-- > 0 });
    await assert.rejects(pool.use((worker) => worker.run(1, 1)), /cannot start worker/);
    assert.deepEqual(await pool.use((worker) => worker.run(2, 1)), { input: 2, worker: 1 });
    await pool.close();
  });

  it('terminates all workers after the idle timeout', async () => {
    const { pool, workers } = fakePool({ max: 2, idleTimeoutMs: 30 });
    await Promise.all([pool.use((worker) => worker.run(1, 5)), pool.use((worker) => worker.run(2, 5))]);
    assert.equal(pool.stats().workers, 2);
    await sleep(60);
    assert.equal(pool.stats().workers, 0);
    assert.deepEqual(
      workers.map((worker) => worker.terminated),
      [true, true],
    );
    assert.deepEqual(await pool.use((worker) => worker.run(3, 1)), { input: 3, worker: 3 }, 'a new worker is made on demand');
    await pool.close();
  });

  it('does not run the idle timer while a task is running', async () => {
    const { pool, workers } = fakePool({ max: 1, idleTimeoutMs: 10 });
    assert.deepEqual(await pool.use((worker) => worker.run(1, 40)), { input: 1, worker: 1 });
    assert.equal(workers[0]!.terminated, false);
    await pool.close();
  });

  it('close() terminates every worker and rejects waiters and later uses with MODEL_POOL_CLOSED', async () => {
    const { pool, workers } = fakePool({ max: 1 });
    const running = pool.use((worker) => worker.run(1, 100));
    const waiting = pool.use((worker) => worker.run(2, 1));
    await sleep(10);
    await pool.close();
    await assert.rejects(running, { code: 'MODEL_POOL_CLOSED' });
    await assert.rejects(waiting, { code: 'MODEL_POOL_CLOSED' });
    await assert.rejects(pool.use((worker) => worker.run(3, 1)), { code: 'MODEL_POOL_CLOSED' });
    assert.equal(workers[0]!.terminated, true);
  });
});

describe('model hub', () => {
  after(() => shutdownModels());

  it('shares one pool per key and counts references', async () => {
    let made = 0;
    const factory = () => {
      made += 1;
      return fakePool().pool;
    };
    const first = getPool('fake:a', factory);
    const second = getPool('fake:a', factory);
    assert.equal(first.pool, second.pool);
    assert.equal(made, 1);
    await first.pool.use((worker) => worker.run(1, 1));
    assert.deepEqual(
      modelStats().find((stats) => stats.key === 'fake:a'),
      { key: 'fake:a', references: 2, name: 'fake', workers: 1, busy: 0, idle: 1, creating: 0, queued: 0, created: 1, max: 3 },
    );
    first.release();
    first.release();
    assert.equal(modelStats().find((stats) => stats.key === 'fake:a')?.references, 1, 'a second release is harmless');
    second.release();
    assert.equal(modelStats().find((stats) => stats.key === 'fake:a')?.workers, 1, 'a warm pool outlives its last reference');
  });

  it('drops a pool nobody holds once it has no worker', () => {
    const reference = getPool('fake:b', () => fakePool().pool);
    reference.release();
    assert.equal(modelStats().some((stats) => stats.key === 'fake:b'), false);
    assert.equal(reference.pool.closed, true);
  });

  it('shutdownModels() closes every pool', async () => {
    const reference = getPool('fake:c', () => fakePool().pool);
    await reference.pool.use((worker) => worker.run(1, 1));
    await shutdownModels();
    assert.deepEqual(modelStats(), []);
    assert.equal(reference.pool.closed, true);
  });
});
