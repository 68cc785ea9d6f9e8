/**
 * A bounded async queue between two nodes. `push` waits while the queue is full (backpressure);
 * the consumer iterates until every producer has called `producerDone`. An abort wakes everyone.
 */
export class Channel<T> {
  private readonly items: T[] = [];
  private readonly waitingPushers: Array<() => void> = [];
  private readonly waitingPullers: Array<() => void> = [];
  private openProducers: number;

  constructor(
    private readonly capacity: number,
    producers: number,
    private readonly signal: AbortSignal,
  ) {
    this.openProducers = producers;
    signal.addEventListener('abort', () => this.wakeAll(), { once: true });
  }

  get size(): number {
    return this.items.length;
  }

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity) {
      this.throwIfAborted();
      await new Promise<void>((resolve) => this.waitingPushers.push(resolve));
    }
    this.throwIfAborted();
    this.items.push(item);
    this.wakePuller();
  }

  producerDone(): void {
    this.openProducers -= 1;
    if (this.openProducers <= 0) for (const puller of this.waitingPullers.splice(0)) puller();
  }

  /** Next item, or `undefined` when all producers are done and the queue is drained. */
  async pull(): Promise<T | undefined> {
    for (;;) {
      this.throwIfAborted();
      if (this.items.length > 0) {
        const item = this.items.shift() as T;
        this.waitingPushers.shift()?.();
        return item;
      }
      if (this.openProducers <= 0) return undefined;
      await new Promise<void>((resolve) => this.waitingPullers.push(resolve));
    }
  }

  private wakePuller(): void {
    this.waitingPullers.shift()?.();
  }

  private wakeAll(): void {
    for (const puller of this.waitingPullers.splice(0)) puller();
    for (const pusher of this.waitingPushers.splice(0)) pusher();
  }

  private throwIfAborted(): void {
    this.signal.throwIfAborted();
  }
}
