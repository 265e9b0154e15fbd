/**
 * Virtual time for tests and simulations: a clock that only moves when told
 * to, timers on it, and a WaitStrategy that fires exactly on time (or with a
 * lateness the test chooses, to model dispatch jitter).
 */
import type { MonotonicClock } from './clock';
import type { Cancel, WaitStrategy } from './tick-scheduler';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export class VirtualTime implements MonotonicClock {
  private time: number;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** Calls `fn` when virtual time reaches `at` (timers at the same time run in the order set). */
  at(at: number, fn: () => void): Cancel {
    const timer: Timer = { at: Math.max(at, this.time), seq: this.seq++, fn, cancelled: false };
    const i = this.timers.findIndex((t) => t.at > timer.at);
    if (i < 0) this.timers.push(timer);
    else this.timers.splice(i, 0, timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** A wait strategy on this clock; `lateness()` (ms ≥ 0) is added to every wait. */
  strategy(lateness: () => number = () => 0): WaitStrategy {
    return { waitUntil: (at, fire) => this.at(at + Math.max(0, lateness()), fire) };
  }

  /** Runs every timer due up to `until` in time order (including ones set meanwhile), then stops there. */
  runUntil(until: number): void {
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.at > until) break;
      this.timers.shift();
      if (next.cancelled) continue;
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = Math.max(this.time, until);
  }

  /** The running task keeps its thread busy for `ms`: the clock moves on, timers wait for it to return. */
  busy(ms: number): void {
    this.time += Math.max(0, ms);
  }

  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }

  get pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
