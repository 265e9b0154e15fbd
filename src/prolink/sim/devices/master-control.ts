/**
 * Who is tempo master on a rig (§6.3, §10). A request while another deck is
 * master runs as a hand-off, in the order §6.3 gives: for `handoffMs` the old
 * master names the new one in M_h; then the new master raises F bit 5 while
 * the old one still holds its own (and M_h) for `overlapMs`, so for a moment
 * both status streams claim master; then the old one drops its flag, clears
 * M_h and bumps its Sync_n. The truth's master change is the instant the new
 * master raises its flag. The real negotiation (0x26/0x27 on port 50001) is
 * not simulated: all decks of a rig share this one object, so the outcome is
 * what players show in their status packets.
 */
import type { EventSink } from './device';

export const DEFAULT_HANDOFF_MS = 300;
/** How long the old master keeps its flag after the new one raised its own. */
export const DEFAULT_OVERLAP_MS = 250;

interface Pending {
  readonly from: number;
  readonly to: number;
  readonly at: number;
}

/** An old master still raising its flag after the hand-off, until `until`. */
interface Leaving {
  readonly deck: number;
  readonly to: number;
  readonly until: number;
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
  private leaving: Leaving | null = null;
  private readonly syncCounters = new Map<number, number>();

  constructor(
    private readonly source: string,
    private readonly events: EventSink,
    private readonly handoffMs: number = DEFAULT_HANDOFF_MS,
    /** Deck number → device number, for M_h. */
    private readonly deviceOf: (deck: number) => number = (deck) => deck,
    private readonly overlapMs: number = DEFAULT_OVERLAP_MS,
  ) {}

  /** The master deck at `now`, or null. */
  masterAt(now: number): number | null {
    this.settle(now);
    return this.current;
  }

  request(deck: number, now: number): void {
    this.settle(now);
    this.finishLeaving(Infinity);
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
    const leaving = this.leaving !== null && this.leaving.deck === deck ? this.leaving : null;
    const handingTo = this.pending !== null && this.pending.from === deck ? this.pending.to : (leaving?.to ?? null);
    return {
      isMaster: this.current === deck || leaving !== null,
      handoffTo: handingTo === null ? null : this.deviceOf(handingTo),
      syncCounter: this.syncCounters.get(deck) ?? 0,
    };
  }

  /** When a pending hand-off or an old master's overlap ends (Infinity when neither is under way). */
  nextDue(): number {
    return Math.min(this.pending?.at ?? Infinity, this.leaving?.until ?? Infinity);
  }

  /** Completes a hand-off whose time has come, and ends the old master's overlap when it is over. */
  settle(now: number): void {
    const p = this.pending;
    if (p !== null && now >= p.at) {
      this.pending = null;
      this.current = p.to;
      this.leaving = { deck: p.from, to: p.to, until: p.at + this.overlapMs };
      this.announce(p.to, p.at, p.from);
    }
    this.finishLeaving(now);
  }

  /** The old master drops its flag and M_h and bumps its Sync_n once its overlap is over (at once with Infinity). */
  private finishLeaving(now: number): void {
    const l = this.leaving;
    if (l === null || (now !== Infinity && now < l.until)) return;
    this.leaving = null;
    this.syncCounters.set(l.deck, (this.syncCounters.get(l.deck) ?? 0) + 1);
  }

  private announce(deck: number, at: number, from: number | null): void {
    const message = from === null ? `deck ${deck} is tempo master` : `deck ${from} handed tempo master to deck ${deck}`;
    this.events({ at, source: this.source, code: 'master', message, deck, previousDeck: from });
  }
}
