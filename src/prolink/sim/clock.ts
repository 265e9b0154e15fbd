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

/** Handles realClock gave out for 0 ms: they are cleared as immediates. */
const immediates = new WeakSet<object>();

/**
 * Wall-clock time from the monotonic performance timer. Timers keep the process alive.
 *
 * Each timer is a wake-up of the whole process, which costs CPU of its own
 * (idle-usage.ts measures a bridge following the simulator). So 0 ms (a
 * datagram on the LAN, an actor due now) is the next turn of the event loop,
 * not a timer a millisecond later. And a timer is never set to fire before its
 * time: Node.js counts timers in whole milliseconds of the loop's clock, so
 * one for 12.7 ms can fire before performance.now() has moved on 12.7 ms, and
 * the simulator's driver then finds nothing due and needs another wake-up (a
 * third of its runs did). Rounded up to whole milliseconds, almost every timer
 * fires once, on average half a millisecond later than before (the OPUS-QUAD's
 * own status packets wander by ±15 ms); the driver still waits again for one
 * that fires early.
 */
export const realClock: SimClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => {
    if (ms > 0) return setTimeout(callback, Math.ceil(ms));
    const immediate = setImmediate(callback);
    immediates.add(immediate);
    return immediate;
  },
  clearTimeout: (handle) => {
    if (typeof handle === 'object' && handle !== null && immediates.has(handle)) clearImmediate(handle as NodeJS.Immediate);
    else clearTimeout(handle as NodeJS.Timeout);
  },
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
