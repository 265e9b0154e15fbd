/**
 * The tempo master, from the master flag (F bit 5, §3.3) and the hand-off
 * byte M_h (0x9f, §6.3) of each deck.
 *
 * During a hand-off the old master names the new one in M_h, the new master
 * raises its flag, then the old one clears its own: for a moment both decks
 * claim. Claims are kept in the order they were first made (a deck that
 * repeats its flag keeps its place), and master passes only to a claim newer
 * than the master's own, from a deck that is not handing over to another.
 * So a repeated flag from the old master never takes master back from the
 * newer claimant, whatever order the two decks' packets arrive in, and a
 * master naming its successor stays master until that successor claims.
 *
 * The old master's cleared flag may also arrive before the new master's
 * claim: a master's drop only counts when its later statuses confirm it and
 * no other deck has claimed in between. Without a named successor one more
 * cleared status (about one status period, ~200 ms) confirms it; a master
 * that was handing over waits up to HANDOFF_WAIT_MS for its successor. Then,
 * with no claimant, there is no master.
 *
 * An OPUS-QUAD status whose flag byte came zeroed (§3.5, `flagByteZero`)
 * says nothing of master: its flag is the deck's last good one, which after a
 * network outage can be from before the master moved. It neither claims nor
 * drops, and while a deck's latest status is such a one, that deck may be
 * claiming unseen: the master's drop waits for it, up to HANDOFF_WAIT_MS.
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

/** How long a master that dropped its flag while handing over waits for the deck it named to claim (ms). */
export const HANDOFF_WAIT_MS = 1000;

/** A deck that names another deck in M_h is leaving the master role. */
export function isHandingOver(state: DeckState): boolean {
  return state.handingTo !== null && state.handingTo !== state.deck;
}

/** The master's drop, awaiting confirmation. */
interface Dropping {
  readonly deck: number;
  readonly since: number;
  /** The successor its last claim named, or null. */
  readonly handingTo: number | null;
}

/**
 * The latest state of each deck whose last status raised the master flag,
 * oldest claim first; a deck that repeats its claim keeps its place. A few
 * decks at most: an array searched in place, as every status is stepped
 * through it (a Map walked with iterators allocated per status).
 */
class Claims {
  private readonly states: DeckState[] = [];

  get size(): number {
    return this.states.length;
  }

  /** The claim of `deck`, or null. */
  get(deck: number): DeckState | null {
    const i = this.indexOf(deck);
    return i < 0 ? null : (this.states[i] as DeckState);
  }

  has(deck: number): boolean {
    return this.indexOf(deck) >= 0;
  }

  /** A new claim goes last; a repeated one keeps its place, with the newer state. */
  set(state: DeckState): void {
    const i = this.indexOf(state.deck);
    if (i < 0) this.states.push(state);
    else this.states[i] = state;
  }

  delete(deck: number): void {
    const states = this.states;
    const i = this.indexOf(deck);
    if (i < 0) return;
    for (let j = i + 1; j < states.length; j++) states[j - 1] = states[j] as DeckState;
    states.pop();
  }

  /**
   * The most recent claim of a deck that is not handing over, made after the
   * master's own claim (any such claim when the master holds none), or null.
   */
  newestStayingAfter(master: number | null): number | null {
    const states = this.states;
    let after = master === null || !this.has(master);
    let newest: number | null = null;
    for (let i = 0; i < states.length; i++) {
      const state = states[i] as DeckState;
      if (state.deck === master) after = true;
      else if (after && !isHandingOver(state)) newest = state.deck;
    }
    return newest;
  }

  /** The deck of the most recent claim still standing, or null. */
  newest(): number | null {
    return this.states[this.states.length - 1]?.deck ?? null;
  }

  private indexOf(deck: number): number {
    const states = this.states;
    for (let i = 0; i < states.length; i++) if ((states[i] as DeckState).deck === deck) return i;
    return -1;
  }
}

/** One subscription's view of the master, updated in place by `step`. */
class MasterTracker {
  private readonly claims = new Claims();
  /** Decks whose latest status came with its flag byte zeroed (a handful of deck numbers). */
  private readonly unknown: number[] = [];
  private master: number | null = null;
  private dropping: Dropping | null = null;
  /** The master's last state (kept while its drop awaits confirmation). */
  private latest: DeckState | null = null;
  /** Replaced (never changed) when the master or its effective BPM changes; only kept with `followsTempo`. */
  tempo: MasterTempo = NO_MASTER;

  /** `followsTempo`: keeps `tempo` (master changes alone need not: the master's BPM changes with most of its statuses). */
  constructor(private readonly followsTempo: boolean) {}

  /** Takes a deck's next state; returns the master.change it causes, if any. */
  step(next: DeckState): MasterEvent | null {
    const previous = this.master;
    if (next.flagByteZero === true) this.markUnknown(next.deck);
    else this.claim(next);
    const master = this.master;
    if (master === next.deck) this.latest = next;
    const masterState = master === null ? null : master === next.deck ? next : (this.claims.get(master) ?? (this.latest?.deck === master ? this.latest : null));
    // The master's tempo is read where it is used, not into a local first: a number that may be null is a new heap object each time.
    if (this.followsTempo) {
      const tempo = this.tempo;
      const changed = master !== tempo.deck || (masterState === null ? tempo.effectiveBpm !== null : masterState.effectiveBpm !== tempo.effectiveBpm);
      if (changed) this.tempo = { deck: master, effectiveBpm: masterState === null ? null : masterState.effectiveBpm, at: next.updatedAt };
    }
    if (master === previous) return null;
    return { type: 'master.change', at: next.updatedAt, deck: master, previousDeck: previous, effectiveBpm: masterState === null ? null : masterState.effectiveBpm };
  }

  /** A status whose master flag is known: it claims or withdraws, and master moves as the claims say. */
  private claim(next: DeckState): void {
    this.forgetUnknown(next.deck);
    if (next.master) this.claims.set(next);
    else this.claims.delete(next.deck);
    const successor = this.claims.newestStayingAfter(this.master);
    if (successor !== null) {
      this.master = successor;
      this.dropping = null;
    } else if (this.master !== null && this.claims.has(this.master)) {
      // The master holds its claim (perhaps naming a successor that has not claimed yet): it stays.
      this.dropping = null;
    } else if (this.claims.size > 0) {
      this.master = this.claims.newest();
      this.dropping = null;
    } else if (this.master === next.deck) {
      this.drop(next);
    }
  }

  /** The master's status shows its flag cleared and no deck claims. */
  private drop(next: DeckState): void {
    const d = this.dropping;
    if (d === null || d.deck !== next.deck) {
      const last = this.latest?.deck === next.deck ? this.latest : null;
      this.dropping = { deck: next.deck, since: next.updatedAt, handingTo: last !== null && isHandingOver(last) ? last.handingTo : null };
      return;
    }
    // A named successor, or a deck whose flag was last unreadable, may be claiming: wait for it a while.
    if ((d.handingTo !== null || this.unknown.length > 0) && next.updatedAt - d.since < HANDOFF_WAIT_MS) return;
    this.master = null;
    this.dropping = null;
  }

  private markUnknown(deck: number): void {
    if (!this.unknown.includes(deck)) this.unknown.push(deck);
  }

  private forgetUnknown(deck: number): void {
    const i = this.unknown.indexOf(deck);
    if (i >= 0) this.unknown.splice(i, 1);
  }
}

/** master.change events. */
export function masterChanges(): OperatorFunction<DeckState, MasterEvent> {
  return withState<DeckState, MasterEvent, MasterTracker>(
    () => new MasterTracker(false),
    (tracker, next, emit) => {
      const changed = tracker.step(next);
      if (changed !== null) emit(changed);
    },
  );
}

/** The master deck and its effective BPM: on the first status, then each time either changes. */
export function masterTempo(): OperatorFunction<DeckState, MasterTempo> {
  return withState<DeckState, MasterTempo, { readonly tracker: MasterTracker; emitted: MasterTempo | null }>(
    () => ({ tracker: new MasterTracker(true), emitted: null }),
    (s, next, emit) => {
      s.tracker.step(next);
      if (s.tracker.tempo === s.emitted) return;
      s.emitted = s.tracker.tempo;
      emit(s.emitted);
    },
  );
}
