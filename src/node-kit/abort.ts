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
 * An AbortController that aborts when any of `sources` does (with that source's reason), and a
 * function that stops following them. Cheaper than `AbortSignal.any` per item: no weak references
 * and dependent-signal bookkeeping for the garbage collector, just a listener removed when done.
 */
export function followAborts(sources: ReadonlyArray<AbortSignal | undefined>): { controller: AbortController; unfollow(): void } {
  const controller = new AbortController();
  const followed: AbortSignal[] = [];
  const onAbort = function (this: AbortSignal) {
    controller.abort(this.reason);
  };
  for (const source of sources) {
    if (source === undefined) continue;
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    source.addEventListener('abort', onAbort, { once: true });
    followed.push(source);
  }
  return {
    controller,
    unfollow: () => {
      for (const source of followed) source.removeEventListener('abort', onAbort);
    },
  };
}
