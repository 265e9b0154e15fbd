/**
 * Who is tempo master on a rig (§6.3, §10). A request while another deck is
 * master runs as a hand-off: for `handoffMs` the old master names the new one
 * in M_h, then the new master raises F bit 5 and the old one drops it and bumps
 * its Sync_n. The real negotiation (0x26/0x27 on port 50001) is not simulated:
 * all decks of a rig share this one object, so the outcome is what players
 * show in their status packets.
 */
import type { EventSink } from './device';

export const DEFAULT_HANDOFF_MS = 300;

interface Pending {
  readonly from: number;
  readonly to: number;
  readonly at: number;
}

export interface MasterView {
  readonly isMaster: boolean;
  /** M_h: the deck taking over while this (old) master hands off; null otherwise. */
  readonly handoffTo: number | null;
  readonly syncCounter: number;
}

export class MasterControl {
  private current: number | null = null;
  private pending: Pending | null = null;
  private readonly syncCounters = new Map<number, number>();

  constructor(
    private readonly source: string,
    private readonly events: EventSink,
    private readonly handoffMs: number = DEFAULT_HANDOFF_MS,
    /** Deck number → device number, for M_h. */
    private readonly deviceOf: (deck: number) => number = (deck) => deck,
  ) {}

  /** The master deck at `now`, or null. */
  masterAt(now: number): number | null {
    this.settle(now);
    return this.current;
  }

  request(deck: number, now: number): void {
    this.settle(now);
    if (this.current === null || this.current === deck) {
      this.pending = null;
      if (this.current !== deck) this.announce(deck, now, null);
      this.current = deck;
      return;
    }
    this.pending = { from: this.current, to: deck, at: now + this.handoffMs };
  }

  viewFor(deck: number, now: number): MasterView {
    this.settle(now);
    const handingOff = this.pending !== null && this.pending.from === deck;
    return {
      isMaster: this.current === deck,
      handoffTo: handingOff && this.pending !== null ? this.deviceOf(this.pending.to) : null,
      syncCounter: this.syncCounters.get(deck) ?? 0,
    };
  }

  /** When a pending hand-off completes (Infinity when none is under way). */
  nextDue(): number {
    return this.pending?.at ?? Infinity;
  }

  /** Completes a hand-off whose time has come. */
  settle(now: number): void {
    const p = this.pending;
    if (p === null || now < p.at) return;
    this.pending = null;
    this.current = p.to;
    this.syncCounters.set(p.from, (this.syncCounters.get(p.from) ?? 0) + 1);
    this.announce(p.to, p.at, p.from);
  }

  private announce(deck: number, at: number, from: number | null): void {
    const message = from === null ? `deck ${deck} is tempo master` : `deck ${from} handed tempo master to deck ${deck}`;
    this.events({ at, source: this.source, code: 'master', message });
  }
}
