import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelaneError } from '../../../src/node-kit/index.js';
import { WorkerPool } from '../../../src/models/index.js';

/** A fake worker: echoes its input after a delay, tagged with its own id; `crash` breaks it for good. */
class FakeWorker {
  terminated = false;
  broken = false;
  busy = false;
  /** Call to make the worker die on its own (a crashed thread). */
  die!: () => void;
  readonly exited = new Promise<void>((resolve) => (this.die = resolve));
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

function fakePool(options: { max?: number; min?: number; idleTimeoutMs?: number; failCreate?: () => boolean } = {}) {
  const workers: FakeWorker[] = [];
  const pool = new WorkerPool<FakeWorker>({
    name: 'fake',
    max: options.max ?? 3,
    ...(options.min === undefined ? {} : { min: options.min }),
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    exited: (worker) => worker.exited,
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
    assert.deepEqual(pool.stats(), { name: 'fake', workers: 3, busy: 0, idle: 3, creating: 0, queued: 0, created: 3, crashed: 0, retried: 0, peakWorkers: 3, min: 0, max: 3 });
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

  it('replaces a worker that breaks under a task and runs the task once more on the fresh one', async () => {
    const { pool, workers } = fakePool({ max: 1 });
    const attempts: number[] = [];
    const result = await pool.use(async (worker, lease) => {
      attempts.push(lease.attempt);
      if (worker.id === 1) worker.broken = true;
      return worker.run(7, 1);
    });
    assert.deepEqual(result, { input: 7, worker: 2 });
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(workers[0]!.terminated, true);
    assert.deepEqual([pool.stats().crashed, pool.stats().retried, pool.stats().created], [1, 1, 2]);
    await pool.close();
  });

  it('fails a task that breaks its second worker too, with the second error (retried once only)', async () => {
    const { pool, workers } = fakePool({ max: 1 });
    await assert.rejects(
      pool.use(async (worker) => {
        worker.broken = true;
        return worker.run(1, 1);
      }),
      /worker 2 is broken/,
    );
    assert.deepEqual(
      workers.map((worker) => worker.terminated),
      [true, true],
    );
    assert.deepEqual(await pool.use((worker) => worker.run(2, 1)), { input: 2, worker: 3 }, 'the next task gets a fresh worker');
    await pool.close();
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

  it('grows one worker per queued caller up to max under a backlog, then shrinks to min once idle', async () => {
    const { pool, workers } = fakePool({ max: 4, min: 1, idleTimeoutMs: 40 });
    await pool.use((worker) => worker.run(0, 1));
    assert.equal(pool.stats().workers, 1, 'one caller, one worker');
    const backlog = Array.from({ length: 12 }, (_, input) => pool.use((worker) => worker.run(input, 10)));
    await sleep(5);
    assert.deepEqual([pool.stats().workers + pool.stats().creating, pool.stats().queued > 0], [4, true], 'grew to max while callers queue');
    await Promise.all(backlog);
    assert.deepEqual([pool.stats().peakWorkers, workers.length], [4, 4]);
    await sleep(90);
    assert.deepEqual([pool.stats().workers, workers.filter((worker) => worker.terminated).length], [1, 3], 'shrank to min');
    await sleep(60);
    assert.equal(pool.stats().workers, 1, 'min is kept however long it idles');
    await pool.close();
  });

  it('ends only the workers that sat idle: a light steady load keeps one warm worker', async () => {
    const { pool } = fakePool({ max: 3, idleTimeoutMs: 50 });
    await Promise.all([1, 2, 3].map((input) => pool.use((worker) => worker.run(input, 5))));
    assert.equal(pool.stats().workers, 3);
    for (let step = 0; step < 8; step++) {
      await pool.use((worker) => worker.run(step, 1));
      await sleep(15);
    }
    assert.equal(pool.stats().workers, 1, 'the two unused workers timed out, the used one did not');
    await pool.close();
  });

  it('warmUp() starts min workers before the first task', async () => {
    const { pool, workers } = fakePool({ max: 3, min: 2 });
    await pool.warmUp();
    assert.deepEqual([pool.stats().workers, workers.length], [2, 2]);
    await pool.close();
  });

  it('drops an idle worker that dies on its own and makes a new one for the next caller', async () => {
    const { pool, workers } = fakePool({ max: 2 });
    await pool.use((worker) => worker.run(1, 1));
    workers[0]!.die();
    await sleep(1);
    assert.deepEqual([pool.stats().workers, pool.stats().crashed], [0, 1]);
    assert.deepEqual(await pool.use((worker) => worker.run(2, 1)), { input: 2, worker: 2 });
    await pool.close();
  });

  it('refuses min above max', () => {
    assert.throws(() => fakePool({ max: 2, min: 3 }), /min must be an integer from 0 to max/);
  });
});
