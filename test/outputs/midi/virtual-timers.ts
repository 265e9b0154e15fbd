import type { Timers } from '../../../src/outputs/reporter';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** Timers on a virtual clock: time moves only when a test calls advance(). */
export class VirtualTimers implements Timers {
  private time = 0;
  private nextId = 1;
  private pending: Pending[] = [];

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

  get scheduled(): number {
    return this.pending.length;
  }

  /** Runs every timer due up to now + ms in time order, moving the clock to each. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}
