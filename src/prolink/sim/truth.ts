/**
 * The ground truth of a simulated run, for tests and for judging the bridge:
 * each deck's exact beat times and playhead, who is master, and the log of
 * notable events (bounded, oldest dropped first).
 */
import type { SimDeck, TrueBeat } from './deck/deck';
import type { SimEvent } from './devices/device';
import type { SimRig } from './devices/rig';

export const DEFAULT_EVENT_LOG = 5000;

export class SimTruth {
  private readonly log: SimEvent[] = [];

  constructor(
    readonly rig: SimRig,
    private readonly maxEvents: number = DEFAULT_EVENT_LOG,
  ) {}

  /** Notable events so far, oldest first. */
  get events(): readonly SimEvent[] {
    return this.log;
  }

  record(event: SimEvent): void {
    this.log.push(event);
    if (this.log.length > this.maxEvents) this.log.splice(0, this.log.length - this.maxEvents);
  }

  /** A deck by the number the bridge sees (1–4 on the OPUS-QUAD, player numbers on CDJs), or null. */
  deck(deck: number): SimDeck | null {
    return this.rig.decks.get(deck) ?? null;
  }

  /** The exact times the deck's playhead reached each beat, from < time ≤ to. */
  beats(deck: number, from: number, to: number): readonly TrueBeat[] {
    return this.deck(deck)?.beatsBetween(from, to) ?? [];
  }

  masterAt(now: number): number | null {
    return this.rig.master.masterAt(now);
  }
}
