import { performance } from 'node:perf_hooks';
import { WorkAbort } from '../node-kit/abort.js';
import { isAbortError, PipelaneError } from '../node-kit/errors.js';

export interface MicroBatcherOptions<In, Out> {
  /** Shown in errors and stats. */
  name: string;
  /** Most inputs in one call of `run` (a caller's larger request is cut into pieces of this size). */
  maxBatch: number;
  /** How long the first input of a batch waits for others before the batch goes anyway. */
  maxWaitMs: number;
  /** Batches in flight at once (default 1: the next batch forms while this one runs). */
  concurrency?: number;
  /** One call for a whole batch: must return one output per input, in order. */
  run(inputs: In[], signal: AbortSignal): Promise<Out[]>;
  /**
   * Whether a failed batch of several callers is split: each caller's part is run again alone, so an
   * input that breaks the model fails only the caller that sent it. Default: every error but an
   * abort. Return false for errors that are the same for every caller (the model cannot load, the
   * key is refused, the service is down) — those go to every caller in the batch at once.
   */
  isolate?(error: unknown): boolean;
  /** Workers behind `run`, for stats (a pool's worker count); default 1. */
  workers?(): number;
  /** Runs once when the batcher closes (release what it holds). */
  onClose?(): Promise<void> | void;
}

export interface BatchedResult<Out> {
  /** One output per input, in the caller's order. */
  outputs: Out[];
  /** Longest time one of the caller's pieces waited before its batch started. */
  queueWaitMs: number;
  /** Inputs in the largest batch the caller's pieces rode in (its own and other callers'). */
  batchSize: number;
  /** Calls of `run` the caller's inputs took part in. */
  batches: number;
  /** Callers (pieces of other requests included) sharing the largest of those batches. */
  sharedWith: number;
}

export interface MicroBatcherStats {
  name: string;
  /** Inputs waiting for a batch. */
  queued: number;
  /** Batches running now. */
  inFlight: number;
  /** Batches run so far, and the inputs they held. */
  batches: number;
  inputs: number;
  /** Failed batches split into one call per caller. */
  splits: number;
  /** Workers behind the batcher (a pool's live workers). */
  workers: number;
  maxBatch: number;
  maxWaitMs: number;
}

interface PieceResult<Out> {
  outputs: Out[];
  waitMs: number;
  batchSize: number;
  sharedWith: number;
}

/** One caller's piece: up to maxBatch of its inputs. */
interface Piece<In, Out> {
  inputs: In[];
  queuedAt: number;
  settled: boolean;
  resolve(result: PieceResult<Out>): void;
  reject(reason: unknown): void;
}

/**
 * Gathers small embedding (or any batchable) calls from concurrent callers into one model call of at
 * most `maxBatch` inputs, sent when it is full or `maxWaitMs` after its first input arrived, and hands
 * each caller back exactly its own outputs (by position, never by content). A caller whose signal
 * aborts while queued leaves the queue; one whose batch is already running gets its abort at once
 * and the batch goes on for the others. A failed batch of several callers is split (see `isolate`).
 */
export class MicroBatcher<In, Out> {
  readonly name: string;
  readonly maxBatch: number;
  readonly maxWaitMs: number;
  readonly concurrency: number;
  readonly #options: MicroBatcherOptions<In, Out>;
  readonly #queue: Piece<In, Out>[] = [];
  readonly #closing = new AbortController();
  #queuedInputs = 0;
  #inFlight = 0;
  #batches = 0;
  #inputs = 0;
  #splits = 0;
  #timer: NodeJS.Timeout | undefined;
  #idleSince: number | undefined = performance.now();
  #closed: Promise<void> | undefined;

  constructor(options: MicroBatcherOptions<In, Out>) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError(`MicroBatcher ${options.name}: maxBatch must be a positive integer`);
    if (!(options.maxWaitMs >= 0)) throw new RangeError(`MicroBatcher ${options.name}: maxWaitMs must be ≥ 0`);
    this.name = options.name;
    this.maxBatch = options.maxBatch;
    this.maxWaitMs = options.maxWaitMs;
    this.concurrency = options.concurrency ?? 1;
    this.#options = options;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  idleSince(): number | undefined {
    return this.#idleSince;
  }

  /** Workers behind the batcher now. */
  workers(): number {
    return this.#options.workers?.() ?? 1;
  }

  stats(): MicroBatcherStats {
    return {
      name: this.name,
      queued: this.#queuedInputs,
      inFlight: this.#inFlight,
      batches: this.#batches,
      inputs: this.#inputs,
      splits: this.#splits,
      workers: this.workers(),
      maxBatch: this.maxBatch,
      maxWaitMs: this.maxWaitMs,
    };
  }

  /** Queues `inputs` (in pieces of at most maxBatch) and resolves with exactly their outputs, in order. */
  async submit(inputs: readonly In[], signal?: AbortSignal): Promise<BatchedResult<Out>> {
    if (this.closed) throw this.#closedError();
    signal?.throwIfAborted();
    if (inputs.length === 0) return { outputs: [], queueWaitMs: 0, batchSize: 0, batches: 0, sharedWith: 0 };
    const pieces: Piece<In, Out>[] = [];
    const results: Promise<PieceResult<Out>>[] = [];
    for (let start = 0; start < inputs.length; start += this.maxBatch) {
      results.push(new Promise((resolve, reject) => pieces.push(this.#enqueue(inputs.slice(start, start + this.maxBatch), resolve, reject))));
    }
    // One listener for the whole request, however many pieces it was cut into.
    const onAbort = () => pieces.forEach((piece) => this.#abandon(piece, signal!.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled: PromiseSettledResult<PieceResult<Out>>[];
    try {
      settled = await Promise.allSettled(results);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const done = settled.map((result) => (result as PromiseFulfilledResult<PieceResult<Out>>).value);
    const largest = done.reduce((best, result) => (result.batchSize > best.batchSize ? result : best));
    return {
      outputs: done.flatMap((result) => result.outputs),
      queueWaitMs: Math.max(...done.map((result) => result.waitMs)),
      batchSize: largest.batchSize,
      batches: done.length,
      sharedWith: largest.sharedWith,
    };
  }

  /**
   * Rejects what is queued with MODEL_POOL_CLOSED and aborts the signal given to batches in flight
   * (their callers get the abort's MODEL_POOL_CLOSED). The hub closes a batcher only once it is idle,
   * or when the process shuts its models down.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#clearTimer();
      const reason = this.#closedError();
      for (const piece of this.#queue.splice(0)) this.#settle(piece, () => piece.reject(reason));
      this.#queuedInputs = 0;
      this.#closing.abort(reason);
      await this.#options.onClose?.();
    })();
    return this.#closed;
  }

  #enqueue(inputs: In[], resolve: Piece<In, Out>['resolve'], reject: Piece<In, Out>['reject']): Piece<In, Out> {
    const piece: Piece<In, Out> = { inputs, queuedAt: performance.now(), settled: false, resolve, reject };
    this.#queue.push(piece);
    this.#queuedInputs += inputs.length;
    this.#idleSince = undefined;
    this.#pump();
    return piece;
  }

  /** A caller gave up: a queued piece leaves the queue; one in a running batch is released at once. */
  #abandon(piece: Piece<In, Out>, reason: unknown): void {
    const index = this.#queue.indexOf(piece);
    if (index >= 0) {
      this.#queue.splice(index, 1);
      this.#queuedInputs -= piece.inputs.length;
      this.#noteIdle();
    }
    this.#settle(piece, () => piece.reject(reason));
  }

  /** Starts batches while there is room: a full one at once, a partial one when its first input has waited maxWaitMs. */
  #pump(): void {
    if (this.closed) return;
    while (this.#inFlight < this.concurrency && this.#queue.length > 0) {
      const oldest = this.#queue[0]!;
      const waited = performance.now() - oldest.queuedAt;
      if (this.#queuedInputs < this.maxBatch && waited < this.maxWaitMs - 0.5) {
        this.#armTimer(this.maxWaitMs - waited);
        return;
      }
      this.#clearTimer();
      void this.#runBatch(this.#take());
    }
  }

  /** Whole pieces, oldest first, up to maxBatch inputs (a piece is never larger than maxBatch). */
  #take(): Piece<In, Out>[] {
    const batch: Piece<In, Out>[] = [];
    let size = 0;
    while (this.#queue.length > 0 && size + this.#queue[0]!.inputs.length <= this.maxBatch) {
      const piece = this.#queue.shift()!;
      size += piece.inputs.length;
      batch.push(piece);
    }
    this.#queuedInputs -= size;
    return batch;
  }

  async #runBatch(batch: Piece<In, Out>[]): Promise<void> {
    this.#inFlight += 1;
    const started = performance.now();
    const inputs = batch.flatMap((piece) => piece.inputs);
    this.#batches += 1;
    this.#inputs += inputs.length;
    try {
      const outputs = await this.#call(inputs);
      let offset = 0;
      for (const piece of batch) {
        const own = outputs.slice(offset, offset + piece.inputs.length);
        offset += piece.inputs.length;
        this.#settle(piece, () => piece.resolve({ outputs: own, waitMs: started - piece.queuedAt, batchSize: inputs.length, sharedWith: batch.length }));
      }
    } catch (error) {
      const waiting = batch.filter((piece) => !piece.settled);
      const isolate = this.#options.isolate ?? ((reason: unknown) => !isAbortError(reason));
      if (waiting.length > 1 && !this.closed && isolate(error)) {
        this.#splits += 1;
        for (const piece of waiting) await this.#runAlone(piece, started);
      } else {
        for (const piece of waiting) this.#settle(piece, () => piece.reject(error));
      }
    } finally {
      this.#inFlight -= 1;
      this.#noteIdle();
      this.#pump();
    }
  }

  /** The piece's own call after its shared batch failed; its outcome goes to it alone. */
  async #runAlone(piece: Piece<In, Out>, started: number): Promise<void> {
    if (piece.settled) return;
    this.#batches += 1;
    this.#inputs += piece.inputs.length;
    try {
      const outputs = await this.#call(piece.inputs);
      this.#settle(piece, () => piece.resolve({ outputs, waitMs: started - piece.queuedAt, batchSize: piece.inputs.length, sharedWith: 1 }));
    } catch (error) {
      this.#settle(piece, () => piece.reject(error));
    }
  }

  async #call(inputs: In[]): Promise<Out[]> {
    // A signal per call, not the batcher's own: SDKs (openai) leave a listener on the signal they
    // are given, which on a long-lived one would pile up for as long as the model stays loaded.
    const call = new WorkAbort([this.#closing.signal]);
    let outputs: Out[];
    try {
      outputs = await this.#options.run(inputs, call.signal);
    } finally {
      call.dispose();
    }
    if (!Array.isArray(outputs) || outputs.length !== inputs.length) {
      throw new PipelaneError('MODEL_BATCH_INVALID', `${this.name} returned ${Array.isArray(outputs) ? outputs.length : 'no'} results for a batch of ${inputs.length} inputs.`, {
        hint: 'The model or service answered with the wrong number of results; check that it is the kind of model the node expects.',
        retryable: true,
      });
    }
    return outputs;
  }

  #settle(piece: Piece<In, Out>, action: () => void): void {
    if (piece.settled) return;
    piece.settled = true;
    action();
  }

  #noteIdle(): void {
    if (this.#inFlight === 0 && this.#queue.length === 0) this.#idleSince ??= performance.now();
  }

  #armTimer(delayMs: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, Math.max(0, delayMs));
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #closedError(): PipelaneError {
    return new PipelaneError('MODEL_POOL_CLOSED', `Model batcher ${this.name} was shut down.`, {
      hint: 'The process is stopping or the model was unloaded; run the pipeline again.',
      retryable: true,
    });
  }
}

