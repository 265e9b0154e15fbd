/**
 * Runs the simulator's actors (the scenario runner and the devices) on a
 * clock: one timer at a time, set for the earliest nextDue(); when it fires,
 * every actor is polled in order at the same instant and what they return is
 * sent. Datagrams received in between go to the devices at once.
 */
import type { SimClock } from './clock';
import type { Outgoing } from './devices/device';

export interface Actor {
  nextDue(): number;
  poll(now: number): readonly Outgoing[];
}

/** Rounds of polling at one instant before the driver waits a millisecond (a safety net). */
const MAX_ROUNDS = 16;
const BACKOFF_MS = 1;

export class Driver {
  private timer: unknown = null;
  private timerAt = Infinity;
  private lastRunAt = -Infinity;
  private stopped = false;

  constructor(
    private readonly clock: SimClock,
    private readonly actors: readonly Actor[],
    private readonly send: (actor: Actor, out: readonly Outgoing[]) => void,
  ) {}

  start(): void {
    this.reschedule(this.clock.now());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Hands work to the actors outside the timer (a received datagram), then re-arms. */
  act(work: (now: number) => void): void {
    if (this.stopped) return;
    const now = this.clock.now();
    work(now);
    this.reschedule(now);
  }

  private run(): void {
    this.timer = null;
    this.timerAt = Infinity;
    if (this.stopped) return;
    const now = this.clock.now();
    for (let round = 0; round < MAX_ROUNDS && this.earliest() <= now; round++) {
      for (const actor of this.actors) {
        const out = actor.poll(now);
        if (out.length > 0) this.send(actor, out);
      }
    }
    this.lastRunAt = now;
    this.reschedule(now);
  }

  private earliest(): number {
    let due = Infinity;
    for (const actor of this.actors) due = Math.min(due, actor.nextDue());
    return due;
  }

  private reschedule(now: number): void {
    if (this.stopped) return;
    let due = this.earliest();
    // Still due right after polling at this very instant: wait a little rather than spin.
    if (due <= now && this.lastRunAt === now) due = now + BACKOFF_MS;
    if (due === this.timerAt && this.timer !== null) return;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = due;
    if (due === Infinity) return;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, due - now));
  }
}
