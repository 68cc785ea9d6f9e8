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
  /** Terminate every worker once the pool has been idle this long (default 120 s). */
  idleTimeoutMs?: number;
  /**
   * Whether an error thrown by a task means the worker itself is broken and must be replaced.
   * Default: every error except a PipelaneError (a typed error about the caller's input).
   */
  isWorkerFault?(error: unknown): boolean;
  /** Runs once when the pool closes, after every worker has been terminated (temp files, caches). */
  onClose?(): Promise<void> | void;
}

export interface WorkerLease {
  /** Milliseconds the caller waited for a worker (queue + worker creation). */
  readonly queueWaitMs: number;
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
  max: number;
}

interface Waiter<W> {
  resolve(worker: W): void;
  reject(reason: unknown): void;
}

const defaultIdleTimeoutMs = 120_000;

/**
 * A small pool of heavy workers (OCR engines, local models). Workers are made lazily up to `max`;
 * callers beyond that wait in a FIFO queue. Each result goes back to its own caller because a worker
 * serves one `use` at a time. A worker whose task failed for an infrastructure reason, or whose task
 * was abandoned by an abort (it may still be busy), is terminated and a fresh one made on demand.
 */
export class WorkerPool<W> {
  readonly name: string;
  readonly max: number;
  readonly idleTimeoutMs: number;
  readonly #options: WorkerPoolOptions<W>;
  readonly #idle: W[] = [];
  readonly #busy = new Set<W>();
  readonly #waiters: Waiter<W>[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();
  #creating = 0;
  #created = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: WorkerPoolOptions<W>) {
    const max = options.max ?? Math.max(1, os.availableParallelism());
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`WorkerPool ${options.name}: max must be a positive integer, got ${max}`);
    this.name = options.name;
    this.max = max;
    this.idleTimeoutMs = options.idleTimeoutMs ?? defaultIdleTimeoutMs;
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
      max: this.max,
    };
  }

  /**
   * Runs `task` on a worker of its own. Rejects with `signal.reason` when the signal aborts while
   * waiting or while the task runs (the worker is then replaced, since its work cannot be taken back).
   */
  async use<T>(task: (worker: W, lease: WorkerLease) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const { signal: leaseSignal, dispose } = eitherSignal(signal, this.#closing.signal);
    try {
      const started = performance.now();
      const worker = await this.#acquire(leaseSignal);
      const lease: WorkerLease = { queueWaitMs: performance.now() - started, signal: leaseSignal };
      let broken = false;
      try {
        return await untilAborted(task(worker, lease), leaseSignal);
      } catch (error) {
        broken = leaseSignal.aborted || (this.#options.isWorkerFault ?? defaultIsWorkerFault)(error);
        throw error;
      } finally {
        this.#release(worker, broken);
      }
    } finally {
      dispose();
    }
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
    this.#clearIdleTimer();
    this.#closing.abort(reason);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
    const workers = [...this.#idle.splice(0), ...this.#busy];
    this.#busy.clear();
    await Promise.allSettled([...workers.map((worker) => this.#terminate(worker)), ...this.#pending]);
    await this.#options.onClose?.();
  }

  #acquire(signal: AbortSignal): Promise<W> {
    if (signal.aborted) return Promise.reject(signal.reason);
    this.#clearIdleTimer();
    return new Promise<W>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal.reason);
        this.#maybeStartIdleTimer();
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
    if (!this.#busy.delete(worker)) return; // already terminated by close()
    if (broken || this.closed) void this.#terminate(worker);
    else this.#idle.push(worker);
    this.#dispatch();
    this.#maybeStartIdleTimer();
  }

  /** Hands idle workers to waiters (oldest first), then makes workers for the waiters still unserved. */
  #dispatch(): void {
    if (this.closed) return;
    while (this.#waiters.length > 0 && this.#idle.length > 0) {
      const worker = this.#idle.pop()!;
      this.#busy.add(worker);
      this.#waiters.shift()!.resolve(worker);
    }
    while (this.#waiters.length > this.#creating && this.#idle.length + this.#busy.size + this.#creating < this.max) {
      this.#spawn();
    }
  }

  #spawn(): void {
    this.#creating += 1;
    const creation = Promise.resolve()
      .then(() => this.#options.create(this.#closing.signal))
      .then(
        (worker) => {
          this.#creating -= 1;
          this.#created += 1;
          if (this.closed) return this.#terminate(worker);
          this.#idle.push(worker);
          this.#dispatch();
          this.#maybeStartIdleTimer();
        },
        (error: unknown) => {
          this.#creating -= 1;
          // Someone must hear about it, or the queue would wait for a worker that never comes.
          this.#waiters.shift()?.reject(error);
          this.#dispatch();
          this.#maybeStartIdleTimer();
        },
      );
    this.#pending.add(creation);
    void creation.finally(() => this.#pending.delete(creation));
  }

  async #terminate(worker: W): Promise<void> {
    const termination = Promise.resolve()
      .then(() => this.#options.terminate(worker))
      .catch(() => {
        // Best effort: the worker is out of the pool whether or not it said goodbye.
      });
    this.#pending.add(termination);
    await termination;
    this.#pending.delete(termination);
  }

  #maybeStartIdleTimer(): void {
    if (this.closed || this.#idleTimer !== undefined) return;
    if (this.#busy.size > 0 || this.#waiters.length > 0 || this.#creating > 0 || this.#idle.length === 0) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      for (const worker of this.#idle.splice(0)) void this.#terminate(worker);
    }, this.idleTimeoutMs);
    this.#idleTimer.unref();
  }

  #clearIdleTimer(): void {
    if (this.#idleTimer === undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
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

