/**
 * Time for the simulator. Everything in it reads the time and sets timers
 * through a SimClock, so tests run on a VirtualClock (time moves only when the
 * test says so) and `npm start` or the `simulate` command run on realClock.
 * The shape matches the Timers interface the outputs use.
 */
import { performance } from 'node:perf_hooks';

export interface SimClock {
  /** Milliseconds; only differences matter. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Wall-clock time from the monotonic performance timer. Timers keep the process alive. */
export const realClock: SimClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.max(0, ms)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** A clock that stands still until advance() or runUntil() moves it. */
export class VirtualClock implements SimClock {
  private time: number;
  private nextId = 1;
  private pending: PendingTimer[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Timers waiting to fire. */
  get scheduled(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way in time order. */
  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }

  /** Moves time to `end`, firing every timer due up to and including it. */
  runUntil(end: number): void {
    for (;;) {
      let due: PendingTimer | null = null;
      for (const p of this.pending) {
        if (p.at <= end && (due === null || p.at < due.at || (p.at === due.at && p.id < due.id))) due = p;
      }
      if (due === null) break;
      const fired = due;
      this.pending = this.pending.filter((p) => p !== fired);
      this.time = Math.max(this.time, fired.at);
      fired.callback();
    }
    this.time = Math.max(this.time, end);
  }
}
