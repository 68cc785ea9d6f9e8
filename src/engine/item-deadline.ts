/**
 * The per-item time limit of a node. Time spent waiting for a full downstream queue is the
 * consumer's slowness, not this node's, so the clock stops while an emit is blocked. One timer per
 * item: when it fires, the time spent blocked is added back and the timer set again for the rest,
 * so an emit costs two clock reads instead of a timer cleared and set.
 */
export class ItemDeadline {
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();
  private excludedMs = 0;
  private blockedSince = 0;
  private blockedEmits = 0;
  private firedWhileBlocked = false;
  private cleared = false;

  constructor(
    private readonly limitMs: number,
    private readonly onExpire: () => void,
  ) {
    this.timer = setTimeout(this.check, Math.max(0, limitMs));
  }

  /** Wraps a downstream push so that its wait does not count against the limit. */
  async excluding<T>(wait: Promise<T>): Promise<T> {
    if (this.blockedEmits++ === 0) this.blockedSince = Date.now();
    try {
      return await wait;
    } finally {
      if (--this.blockedEmits === 0) {
        this.excludedMs += Date.now() - this.blockedSince;
        if (this.firedWhileBlocked) {
          this.firedWhileBlocked = false;
          this.check();
        }
      }
    }
  }

  clear(): void {
    this.cleared = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly check = (): void => {
    this.timer = undefined;
    if (this.cleared) return;
    if (this.blockedEmits > 0) {
      this.firedWhileBlocked = true;
      return;
    }
    const remainingMs = this.limitMs - (Date.now() - this.startedAt - this.excludedMs);
    if (remainingMs <= 0) this.onExpire();
    else this.timer = setTimeout(this.check, remainingMs);
  };
}
