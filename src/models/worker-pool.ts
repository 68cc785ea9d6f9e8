import { setMaxListeners } from 'node:events';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { untilAborted } from '../node-kit/abort.js';
import { PipelaneError, isPipelaneError } from '../node-kit/errors.js';

export interface WorkerPoolOptions<W> {
  /** Shown in errors and stats, e.g. "tesseract:eng". */
  name: string;
  /** Makes one worker. `signal` aborts when the pool closes while the worker is still being made. */
  create(signal: AbortSignal): Promise<W>;
  /** Ends one worker for good. Errors are ignored: the worker is gone from the pool either way. */
  terminate(worker: W): Promise<void> | void;
  /** Most workers alive at once (default: available CPU cores, at least 1). */
  max?: number;
  /** Workers kept when idle (default 0). Made on demand like the others, never ended by the idle timeout. */
  min?: number;
  /** A worker idle this long is ended, down to `min` (default 120 s). */
  idleTimeoutMs?: number;
  /**
   * How many times a task whose worker broke under it (see `isWorkerFault`) is run again on a fresh
   * worker (default 1). Tasks must be safe to repeat: OCR and embedding calls are.
   */
  retries?: number;
  /**
   * Whether an error thrown by a task means the worker itself is broken and must be replaced.
   * Default: every error except a PipelaneError (a typed error about the caller's input).
   */
  isWorkerFault?(error: unknown): boolean;
  /**
   * Settles when a worker dies on its own (its thread crashed or exited). An idle worker that dies is
   * dropped at once and replaced on demand; a busy one fails its task, which is then retried.
   */
  exited?(worker: W): Promise<unknown>;
  /** Runs once when the pool closes, after every worker has been terminated (temp files, caches). */
  onClose?(): Promise<void> | void;
}

export interface WorkerLease {
  /** Milliseconds the caller waited for this worker (queue + worker creation). */
  readonly queueWaitMs: number;
  /** 1 for the first try, 2 when the task runs again after its worker crashed. */
  readonly attempt: number;
  /** Aborts when the caller's signal aborts or the pool closes; pass it to anything that waits. */
  readonly signal: AbortSignal;
}

export interface WorkerPoolStats {
  name: string;
  /** Workers alive (idle + busy). */
  workers: number;
  busy: number;
  idle: number;
  /** Workers being created right now. */
  creating: number;
  /** Callers waiting for a worker. */
  queued: number;
  /** Workers made since the pool was created (replacements included). */
  created: number;
  /** Workers that broke (task fault or thread death) and were replaced. */
  crashed: number;
  /** Tasks run again on a fresh worker after their worker broke. */
  retried: number;
  /** Most workers alive at once so far. */
  peakWorkers: number;
  min: number;
  max: number;
}

interface Waiter<W> {
  resolve(worker: W): void;
  reject(reason: unknown): void;
}

interface IdleWorker<W> {
  worker: W;
  /** performance.now() when it became idle. */
  since: number;
}

const defaultIdleTimeoutMs = 120_000;

/**
 * A pool of heavy workers (OCR engines, local models) that grows and shrinks with demand. Workers are
 * made lazily: a caller who finds no idle worker queues (FIFO) and, while fewer than `max` exist or
 * are being made, a new one is started for it — the pool grows exactly when its queue backs up. A
 * worker idle for `idleTimeoutMs` is ended, down to `min`; the most recently used worker is handed
 * out first, so surplus workers age out. Each result goes back to its own caller because a worker
 * serves one `use` at a time. A worker whose task failed for an infrastructure reason, or whose task
 * was abandoned by an abort (it may still be busy), is terminated; the failed task runs once more on
 * a fresh worker (`retries`).
 */
export class WorkerPool<W> {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly idleTimeoutMs: number;
  readonly retries: number;
  readonly #options: WorkerPoolOptions<W>;
  readonly #idle: IdleWorker<W>[] = [];
  readonly #busy = new Set<W>();
  readonly #waiters: Waiter<W>[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();
  /** Workers handed to terminate(): their exit is expected, not a crash. */
  readonly #ending = new WeakSet<object>();
  #creating = 0;
  #created = 0;
  #crashed = 0;
  #retried = 0;
  #peak = 0;
  /** performance.now() when the pool last had nothing to do (no task, no waiter, no creation). */
  #idleSince: number | undefined = performance.now();
  #shrinkTimer: NodeJS.Timeout | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: WorkerPoolOptions<W>) {
    const max = options.max ?? Math.max(1, os.availableParallelism());
    const min = options.min ?? 0;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`WorkerPool ${options.name}: max must be a positive integer, got ${max}`);
    if (!Number.isInteger(min) || min < 0 || min > max) throw new RangeError(`WorkerPool ${options.name}: min must be an integer from 0 to max (${max}), got ${min}`);
    this.name = options.name;
    this.min = min;
    this.max = max;
    this.idleTimeoutMs = options.idleTimeoutMs ?? defaultIdleTimeoutMs;
    this.retries = options.retries ?? 1;
    this.#options = options;
    // Every waiter and running task listens on this signal (and removes its listener when done).
    setMaxListeners(0, this.#closing.signal);
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  stats(): WorkerPoolStats {
    return {
      name: this.name,
      workers: this.#idle.length + this.#busy.size,
      busy: this.#busy.size,
      idle: this.#idle.length,
      creating: this.#creating,
      queued: this.#waiters.length,
      created: this.#created,
      crashed: this.#crashed,
      retried: this.#retried,
      peakWorkers: this.#peak,
      min: this.min,
      max: this.max,
    };
  }

  /** When the pool last became idle (performance.now()), or undefined while it has work. */
  idleSince(): number | undefined {
    return this.#idleSince;
  }

  /**
   * Runs `task` on a worker of its own. Rejects with `signal.reason` when the signal aborts while
   * waiting or while the task runs (the worker is then replaced, since its work cannot be taken back).
   * When the worker breaks under the task, the task runs once more on a fresh worker.
   */
  async use<T>(task: (worker: W, lease: WorkerLease) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const { signal: leaseSignal, dispose } = eitherSignal(signal, this.#closing.signal);
    try {
      for (let attempt = 1; ; attempt++) {
        const started = performance.now();
        const worker = await this.#acquire(leaseSignal);
        const lease: WorkerLease = { queueWaitMs: performance.now() - started, attempt, signal: leaseSignal };
        let broken = false;
        try {
          return await untilAborted(task(worker, lease), leaseSignal);
        } catch (error) {
          if (leaseSignal.aborted) {
            broken = true;
            throw error;
          }
          broken = (this.#options.isWorkerFault ?? defaultIsWorkerFault)(error);
          if (broken) this.#crashed += 1;
          if (!broken || attempt > this.retries) throw error;
          this.#retried += 1;
        } finally {
          this.#release(worker, broken);
        }
      }
    } finally {
      dispose();
    }
  }

  /** Starts workers until `min` exist (a warm pool before the first task); resolves when they are up or failed. */
  async warmUp(): Promise<void> {
    if (this.closed) return;
    const missing = this.min - (this.#idle.length + this.#busy.size + this.#creating);
    await Promise.all(Array.from({ length: Math.max(0, missing) }, () => this.#spawn()));
  }

  /** Terminates every worker, rejects every waiter and in-flight task; later `use` calls reject. */
  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    const reason = new PipelaneError('MODEL_POOL_CLOSED', `Model pool ${this.name} was shut down.`, {
      hint: 'The process is stopping or the model was unloaded; run the pipeline again.',
      retryable: true,
    });
    this.#clearShrinkTimer();
    this.#closing.abort(reason);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
    const workers = [...this.#idle.splice(0).map((entry) => entry.worker), ...this.#busy];
    this.#busy.clear();
    await Promise.allSettled([...workers.map((worker) => this.#terminate(worker)), ...this.#pending]);
    await this.#options.onClose?.();
  }

  #acquire(signal: AbortSignal): Promise<W> {
    if (signal.aborted) return Promise.reject(signal.reason);
    this.#idleSince = undefined;
    return new Promise<W>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal.reason);
        this.#settle();
      };
      const waiter: Waiter<W> = {
        resolve: (worker) => {
          signal.removeEventListener('abort', onAbort);
          resolve(worker);
        },
        reject: (reason) => {
          signal.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#dispatch();
    });
  }

  #release(worker: W, broken: boolean): void {
    if (!this.#busy.delete(worker)) return; // already terminated by close() or dead
    if (broken || this.closed) void this.#terminate(worker);
    else this.#idle.push({ worker, since: performance.now() });
    this.#dispatch();
    this.#settle();
  }

  /** Hands idle workers to waiters (oldest waiter first, newest worker first), then grows for the rest. */
  #dispatch(): void {
    if (this.closed) return;
    while (this.#waiters.length > 0 && this.#idle.length > 0) {
      const { worker } = this.#idle.pop()!;
      this.#busy.add(worker);
      this.#waiters.shift()!.resolve(worker);
    }
    // The queue has backed up: grow, one new worker per waiter not already being served by one.
    while (this.#waiters.length > this.#creating && this.#idle.length + this.#busy.size + this.#creating < this.max) {
      this.#spawn();
    }
  }

  #spawn(): Promise<unknown> {
    this.#creating += 1;
    const creation = Promise.resolve()
      .then(() => this.#options.create(this.#closing.signal))
      .then(
        (worker) => {
          this.#creating -= 1;
          this.#created += 1;
          if (this.closed) return this.#terminate(worker);
          this.#watch(worker);
          this.#idle.push({ worker, since: performance.now() });
          this.#peak = Math.max(this.#peak, this.#idle.length + this.#busy.size);
          this.#dispatch();
          this.#settle();
        },
        (error: unknown) => {
          this.#creating -= 1;
          // Someone must hear about it, or the queue would wait for a worker that never comes.
          this.#waiters.shift()?.reject(error);
          this.#dispatch();
          this.#settle();
        },
      );
    this.#pending.add(creation);
    void creation.finally(() => this.#pending.delete(creation));
    return creation;
  }

  /** A worker that dies while idle leaves the pool at once; a busy one is handled by its failing task. */
  #watch(worker: W): void {
    const exited = this.#options.exited?.(worker);
    if (exited === undefined) return;
    const onExit = () => {
      if (this.closed || this.#ending.has(worker as object)) return;
      const index = this.#idle.findIndex((entry) => entry.worker === worker);
      if (index < 0) return;
      this.#idle.splice(index, 1);
      this.#crashed += 1;
      void this.#terminate(worker);
      this.#dispatch();
      this.#settle();
    };
    exited.then(onExit, onExit);
  }

  async #terminate(worker: W): Promise<void> {
    if (typeof worker === 'object' && worker !== null) this.#ending.add(worker);
    const termination = Promise.resolve()
      .then(() => this.#options.terminate(worker))
      .catch(() => {
        // Best effort: the worker is out of the pool whether or not it said goodbye.
      });
    this.#pending.add(termination);
    await termination;
    this.#pending.delete(termination);
  }

  /** After any change: note when the pool fell idle, and schedule the next shrink. */
  #settle(): void {
    if (this.closed) return;
    const hasWork = this.#busy.size > 0 || this.#waiters.length > 0 || this.#creating > 0;
    if (hasWork) this.#idleSince = undefined;
    else this.#idleSince ??= performance.now();
    this.#scheduleShrink();
  }

  #scheduleShrink(): void {
    this.#clearShrinkTimer();
    if (this.closed || this.#idle.length === 0 || this.#idle.length + this.#busy.size <= this.min) return;
    const oldest = Math.min(...this.#idle.map((entry) => entry.since));
    const delay = Math.max(0, oldest + this.idleTimeoutMs - performance.now());
    this.#shrinkTimer = setTimeout(() => {
      this.#shrinkTimer = undefined;
      this.#shrink();
    }, delay);
    this.#shrinkTimer.unref();
  }

  /** Ends workers idle for `idleTimeoutMs`, oldest first, keeping `min` alive. */
  #shrink(): void {
    const now = performance.now();
    this.#idle.sort((a, b) => a.since - b.since);
    while (this.#idle.length > 0 && this.#idle.length + this.#busy.size > this.min && now - this.#idle[0]!.since >= this.idleTimeoutMs - 1) {
      void this.#terminate(this.#idle.shift()!.worker);
    }
    this.#scheduleShrink();
  }

  #clearShrinkTimer(): void {
    if (this.#shrinkTimer === undefined) return;
    clearTimeout(this.#shrinkTimer);
    this.#shrinkTimer = undefined;
  }
}

function defaultIsWorkerFault(error: unknown): boolean {
  return !isPipelaneError(error);
}

/**
 * A signal that aborts with the first of `a` and `b` to abort. Unlike `AbortSignal.any`, it drops
 * its listener on the long-lived pool signal when the lease ends (`dispose`).
 */
function eitherSignal(a: AbortSignal | undefined, b: AbortSignal): { signal: AbortSignal; dispose(): void } {
  if (a === undefined) return { signal: b, dispose: () => {} };
  const controller = new AbortController();
  const sources = [a, b];
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  const dispose = () => sources.forEach((source) => source.removeEventListener('abort', onAbort));
  const already = sources.find((source) => source.aborted);
  if (already) controller.abort(already.reason);
  else sources.forEach((source) => source.addEventListener('abort', onAbort, { once: true }));
  return { signal: controller.signal, dispose };
}
