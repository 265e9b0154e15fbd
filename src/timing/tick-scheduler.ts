/**
 * Runs tasks at absolute times on an injected clock, through an injected
 * waiting strategy (wait-strategies.ts in production, virtual-time.ts in
 * tests). Times are absolute: a task that runs late does not push later ones,
 * so schedules built on it accumulate no drift.
 */
import type { MonotonicClock } from './clock';

export type Cancel = () => void;

export interface WaitStrategy {
  /** Calls `fire` once, as soon as the strategy can at or after clock time `at`. */
  waitUntil(at: number, fire: () => void): Cancel;
}

export interface Tick {
  /** When the task was asked to run. */
  readonly scheduledAt: number;
  /** When it did. */
  readonly firedAt: number;
}

export type Precision = 'precise' | 'coarse';

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly precision: Precision;
  readonly task: (tick: Tick) => void;
  cancelled: boolean;
}

export class TickScheduler {
  private queue: Entry[] = [];
  private seq = 0;
  private waiting: { entry: Entry; cancel: Cancel } | null = null;

  /**
   * `precise` serves tasks that must land on time (pulses); `coarse`, when
   * given, serves the rest (polling), sparing a spinning strategy.
   */
  constructor(
    readonly clock: MonotonicClock,
    private readonly precise: WaitStrategy,
    private readonly coarse: WaitStrategy = precise,
  ) {}

  now(): number {
    return this.clock.now();
  }

  /** Runs `task` at clock time `at` (at once if already past). */
  at(at: number, task: (tick: Tick) => void, precision: Precision = 'precise'): Cancel {
    const entry: Entry = { at, seq: this.seq++, precision, task, cancelled: false };
    const i = this.queue.findIndex((e) => e.at > at);
    if (i < 0) this.queue.push(entry);
    else this.queue.splice(i, 0, entry);
    this.arm();
    return () => {
      entry.cancelled = true;
      this.queue = this.queue.filter((e) => e !== entry);
      if (this.waiting?.entry === entry) {
        this.waiting.cancel();
        this.waiting = null;
        this.arm();
      }
    };
  }

  /**
   * Runs `task` at start + k × intervalMs for k = 0, 1, 2 … (each time computed
   * from `start`, never by adding up intervals). Slots already past when a run
   * returns are skipped, not run in a burst; the next run is told how many.
   */
  every(start: number, intervalMs: number, task: (tick: Tick, k: number, missed: number) => void): Cancel {
    let k = 0;
    let missed = 0;
    let stopped = false;
    const run = (tick: Tick): void => {
      task(tick, k, missed);
      if (stopped) return;
      const firstFuture = Math.floor((this.clock.now() - start) / intervalMs) + 1;
      const next = Math.max(k + 1, firstFuture);
      missed = next - k - 1;
      k = next;
      cancel = this.at(start + k * intervalMs, run);
    };
    let cancel = this.at(start, run);
    return () => {
      stopped = true;
      cancel();
    };
  }

  /** Number of tasks waiting (for tests and shutdown checks). */
  get pending(): number {
    return this.queue.length;
  }

  private arm(): void {
    const first = this.queue[0];
    if (this.waiting !== null) {
      if (this.waiting.entry === first) return;
      this.waiting.cancel();
      this.waiting = null;
    }
    if (first === undefined) return;
    const strategy = first.precision === 'precise' ? this.precise : this.coarse;
    const waiting = { entry: first, cancel: (): void => undefined };
    this.waiting = waiting;
    waiting.cancel = strategy.waitUntil(first.at, () => {
      if (this.waiting !== waiting) return;
      this.waiting = null;
      this.runDue();
    });
  }

  private runDue(): void {
    for (;;) {
      const first = this.queue[0];
      if (first === undefined) break;
      const firedAt = this.clock.now();
      if (first.at > firedAt) break;
      this.queue.shift();
      if (!first.cancelled) first.task({ scheduledAt: first.at, firedAt });
    }
    this.arm();
  }
}
