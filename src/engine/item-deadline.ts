/**
 * The per-item time limit of a node. Time spent waiting for a full downstream queue is the
 * consumer's slowness, not this node's, so the clock stops while an emit is blocked.
 */
export class ItemDeadline {
  private timer: NodeJS.Timeout | undefined;
  private remainingMs: number;
  private resumedAt = Date.now();
  private blockedEmits = 0;

  constructor(
    limitMs: number,
    private readonly onExpire: () => void,
  ) {
    this.remainingMs = limitMs;
    this.arm();
  }

  /** Wraps a downstream push so that its wait does not count against the limit. */
  async excluding<T>(wait: Promise<T>): Promise<T> {
    if (this.blockedEmits++ === 0) this.pause();
    try {
      return await wait;
    } finally {
      if (--this.blockedEmits === 0) this.arm();
    }
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pause(): void {
    if (this.timer === undefined) return;
    this.clear();
    this.remainingMs -= Date.now() - this.resumedAt;
  }

  private arm(): void {
    this.resumedAt = Date.now();
    this.timer = setTimeout(this.onExpire, Math.max(0, this.remainingMs));
  }
}
