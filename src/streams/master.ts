/**
 * The tempo master, from the master flag (F bit 5, §3.3) of each deck. During
 * a hand-off (§6.3) the new master raises its flag before the old one drops
 * its own, so the newest claimant wins. Status packets of different decks
 * arrive in any order, though, so the old master's cleared flag may be seen
 * before the new master's raised one: a master's drop only counts when its
 * next status confirms it and no other deck has claimed in between (about one
 * status period, ~200 ms). Then, with no claimant, there is no master.
 */
import type { OperatorFunction } from 'rxjs';
import type { DeckState } from '../events/deck-state';
import type { MasterEvent } from '../events/bridge-event';
import { withState } from './with-state';

export interface MasterTempo {
  readonly deck: number | null;
  readonly effectiveBpm: number | null;
  readonly at: number;
}

const NO_MASTER: MasterTempo = { deck: null, effectiveBpm: null, at: 0 };

/** One subscription's view of the master, updated in place by `step`. */
class MasterTracker {
  /** Decks whose last status raised the master flag, in the order of their claims (a claim held stays in place). */
  private readonly claims = new Map<number, DeckState>();
  private master: number | null = null;
  /** The master that has dropped its flag once, awaiting confirmation. */
  private dropping: number | null = null;
  /** The master's last state (kept while its drop awaits confirmation). */
  private latest: DeckState | null = null;
  /** Replaced (never changed) when the master or its effective BPM changes. */
  tempo: MasterTempo = NO_MASTER;

  /** Takes a deck's next state; returns the master.change it causes, if any. */
  step(next: DeckState): MasterEvent | null {
    const previous = this.master;
    if (next.master) this.claims.set(next.deck, next);
    else this.claims.delete(next.deck);
    if (next.master) {
      this.master = next.deck;
      this.dropping = null;
    } else if (this.master === next.deck) {
      if (this.claims.size > 0) {
        this.master = lastKey(this.claims);
        this.dropping = null;
      } else if (this.dropping === next.deck) {
        this.master = null;
        this.dropping = null;
      } else {
        this.dropping = next.deck;
      }
    }
    const master = this.master;
    if (master === next.deck) this.latest = next;
    const masterState = master === null ? null : master === next.deck ? next : (this.claims.get(master) ?? (this.latest?.deck === master ? this.latest : null));
    const effectiveBpm = masterState?.effectiveBpm ?? null;
    if (master !== this.tempo.deck || effectiveBpm !== this.tempo.effectiveBpm) this.tempo = { deck: master, effectiveBpm, at: next.updatedAt };
    return master === previous ? null : { type: 'master.change', at: next.updatedAt, deck: master, previousDeck: previous, effectiveBpm };
  }
}

/** The most recent of the claims still standing. */
function lastKey(claims: ReadonlyMap<number, DeckState>): number | null {
  let last: number | null = null;
  for (const deck of claims.keys()) last = deck;
  return last;
}

/** master.change events. */
export function masterChanges(): OperatorFunction<DeckState, MasterEvent> {
  return withState<DeckState, MasterEvent, MasterTracker>(
    () => new MasterTracker(),
    (tracker, next, emit) => {
      const changed = tracker.step(next);
      if (changed !== null) emit(changed);
    },
  );
}

/** The master deck and its effective BPM: on the first status, then each time either changes. */
export function masterTempo(): OperatorFunction<DeckState, MasterTempo> {
  return withState<DeckState, MasterTempo, { readonly tracker: MasterTracker; emitted: MasterTempo | null }>(
    () => ({ tracker: new MasterTracker(), emitted: null }),
    (s, next, emit) => {
      s.tracker.step(next);
      if (s.tracker.tempo === s.emitted) return;
      s.emitted = s.tracker.tempo;
      emit(s.emitted);
    },
  );
}
