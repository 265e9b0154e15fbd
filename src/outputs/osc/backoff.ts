/**
 * The wait before the next connection attempt: `initialMs`, doubling after
 * every attempt up to `maxMs`. Only `reset()` brings it back to the start; a
 * target calls it once a connection has proven healthy, not merely opened, so
 * a peer that accepts and closes at once is retried less and less often.
 */
export class Backoff {
  private current: number;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {
    this.current = Math.min(initialMs, maxMs);
  }

  /** The wait to use now; the one after it is twice as long (capped). */
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return delay;
  }

  /** The wait `next()` would return, without moving on. */
  peek(): number {
    return this.current;
  }

  reset(): void {
    this.current = Math.min(this.initialMs, this.maxMs);
  }
}
