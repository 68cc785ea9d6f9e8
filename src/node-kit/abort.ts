/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, rejecting early with the signal's reason when it aborts. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return untilAborted(new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.()), signal);
}

/**
 * The abort of one unit of work (a node's item): it follows outer signals, can be aborted itself (a
 * deadline), and races the work against its abort. Cheaper per item than `AbortSignal.any` plus
 * `untilAborted`: no weak references for the garbage collector, no listener on its own signal, and
 * no AbortSignal at all unless the work asks for one (most pass-through nodes never do).
 */
export class WorkAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  readonly #followed: AbortSignal[] = [];
  #rejectWork: ((reason: unknown) => void) | undefined;
  readonly #onSourceAbort = (event: Event) => this.abort((event.target as AbortSignal).reason);

  constructor(sources: ReadonlyArray<AbortSignal | undefined>) {
    for (const source of sources) {
      if (source === undefined) continue;
      if (source.aborted) {
        this.abort(source.reason);
        break;
      }
      source.addEventListener('abort', this.#onSourceAbort, { once: true });
      this.#followed.push(source);
    }
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Made on first use, already aborted if the work was. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    this.#rejectWork?.(reason);
  }

  /** Settles with `work`, or rejects with the abort reason as soon as this aborts. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.#aborted) {
      work.catch(() => {});
      return Promise.reject(this.#reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.#rejectWork = reject;
      work.then(resolve, reject);
    });
  }

  /** Stops following the outer signals (the work is over). */
  dispose(): void {
    for (const source of this.#followed) source.removeEventListener('abort', this.#onSourceAbort);
    this.#followed.length = 0;
    this.#rejectWork = undefined;
  }
}
