/**
 * A repeating send time with a little random jitter (real players drift a few
 * milliseconds from packet to packet).
 */
import { between, type Random } from '../random';

export class Cadence {
  private next: number;

  constructor(
    private readonly intervalMs: number,
    private readonly jitterMs: number,
    private readonly random: Random,
    firstAt: number,
  ) {
    this.next = firstAt;
  }

  get nextAt(): number {
    return this.next;
  }

  /** True when a send is due at `now`; the next one is then scheduled. */
  take(now: number): boolean {
    if (now < this.next) return false;
    const jitter = this.jitterMs > 0 ? between(this.random, -this.jitterMs, this.jitterMs) : 0;
    this.next = Math.max(now, this.next) + Math.max(1, this.intervalMs + jitter);
    if (this.next <= now) this.next = now + this.intervalMs;
    return true;
  }

  /** Moves the next send to `at`. */
  reset(at: number): void {
    this.next = at;
  }
}
