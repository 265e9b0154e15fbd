/**
 * Estimated beats held until the deck confirms them, for rules with
 * `confirm: true`. An estimated beat is a prediction: the deck may jump,
 * loop or stop before it plays it. Each one waits for the deck's next status
 * packet: when that shows the deck on the same track at the beat or a little
 * past it (as far as the time since the beat allows), the beat is let
 * through, still at its predicted instant, also when the deck has stopped
 * there since (it played the beat, then stopped in it); a status still in
 * the beat before it (sent just before the beat; at a loop's wrap, the loop's
 * last beat) lets it wait for the next one; anything else drops it, with the
 * reason. A late estimated beat numbered at or below beats still held (the
 * beat stream went back: the deck wrapped inside a beat, was cued back) drops
 * those: the deck went back before it played them, whatever later statuses
 * show. A beat that statuses still showed the deck short of well after its
 * instant (lateToleranceMs: the deck got there later, or went back behind
 * it: a roll let go inside the beat before) is let through when a status
 * shows the deck there. The beat stream fires that number again when the
 * deck gets there (estimated-beats.ts), on time or late: while the statuses
 * still show the deck in that beat, that is the same arrival, and it is
 * dropped as a repeat. Real beat packets and status packets pass at once:
 * they are the deck's own word. So do the beats of a CDJ whose packets were
 * lost, which its later packets showed (real-beat-count.ts): they come
 * confirmed.
 *
 * A confirmed beat is late by up to one status period (~200 ms).
 */
import type { OperatorFunction } from 'rxjs';
import type { BeatEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { UnconfirmedReason } from './phrase-tracker';
import type { DeckSignal } from './deck-signals';
import { withState, type Emit } from './with-state';
import { SHORT_OF_BEAT_AFTER_MS } from './status-staleness';

/** A beat that has waited this long for a status (an outage) is dropped as expired (ms). */
export const CONFIRM_HOLD_MS = 2000;

/** A beat the deck confirmed: what rules with `confirm: true` see (`event.confirmed` is true). */
export type ConfirmedBeat = BeatEvent & { readonly confirmed: true };

export type Verdict = 'confirmed' | 'wait' | UnconfirmedReason;

interface Held {
  readonly beat: BeatEvent;
  /** The deck's track when the beat was predicted. */
  readonly trackId: number | null;
  /** The number of the deck's beat before it (through a loop's wrap, the loop's last beat). */
  readonly previous: number | null;
  /** A status still showed the beat before it SHORT_OF_BEAT_AFTER_MS or more after its instant: the deck got there later than predicted. */
  reachedLate: boolean;
}

/** One deck's held beats, oldest first; private to one subscription, updated in place. */
interface DeckHold {
  trackId: number | null;
  /** The number of the deck's latest beat. */
  lastBeat: number | null;
  /** A beat reached late (Held.reachedLate) that a status confirmed, while the statuses since show the deck in it; null when none. */
  confirmedLate: number | null;
  readonly held: Held[];
}

/**
 * What a status says of a beat predicted for the track `trackId`. A status
 * still in the beat before it (sent just before the beat) says nothing yet:
 * that is the beat numbered one less, or `previous`, the deck's beat before
 * it (at a loop's wrap, the loop's last beat).
 */
export function judgeHeldBeat(beat: BeatEvent, trackId: number | null, status: DeckState, previous: number | null = null): Verdict {
  const age = Math.max(0, status.updatedAt - beat.at);
  if (age > CONFIRM_HOLD_MS) return 'expired';
  if (status.trackId !== trackId) return 'track';
  // A hand holding the platter stops the deck as a pause does (`moving`), though the player says it plays.
  if (beat.beat === null) return status.moving ? 'confirmed' : 'stopped';
  if (status.beat === null) return status.moving ? 'jump' : 'stopped';
  const bpm = beat.effectiveBpm ?? status.effectiveBpm;
  const beatMs = bpm === null || bpm <= 0 ? Infinity : 60_000 / bpm;
  // The deck may have played a few more beats since, at most as many as the time allows. A deck that stopped
  // there played them before it stopped: its counter shows the beat it stands in.
  const ahead = 1 + Math.floor(age / beatMs);
  if (status.beat >= beat.beat && status.beat <= beat.beat + ahead) return 'confirmed';
  if (!status.moving) return 'stopped';
  if ((status.beat === beat.beat - 1 || status.beat === previous) && age < beatMs) return 'wait';
  return 'jump';
}

export function isConfirmedBeat(beat: BeatEvent): beat is ConfirmedBeat {
  return 'confirmed' in beat && beat.confirmed === true;
}

function confirmed(beat: BeatEvent): ConfirmedBeat {
  return { ...beat, confirmed: true };
}

function step(decks: Map<number, DeckHold>, input: DeckSignal, emit: Emit<DeckSignal>): void {
  if (input.kind === 'unconfirmed') {
    emit(input);
    return;
  }
  const deck = input.kind === 'status' ? input.state.deck : input.beat.deck;
  let d = decks.get(deck);
  if (d === undefined) {
    d = { trackId: null, lastBeat: null, confirmedLate: null, held: [] };
    decks.set(deck, d);
  }
  if (input.kind === 'beat') {
    const beat = input.beat;
    const previous = d.lastBeat;
    d.lastBeat = beat.beat;
    if (beat.estimated && beat.beat !== null && beat.beat === d.confirmedLate) {
      // Fired again while the deck is still in the beat a status let through: the same arrival.
      emit({ kind: 'unconfirmed', beat, reason: 'repeat' });
      return;
    }
    if (beat.estimated && beat.late && beat.beat !== null) dropFrom(d, beat.beat, emit);
    if (isConfirmedBeat(beat)) emit(input);
    else if (beat.estimated) d.held.push({ beat, trackId: d.trackId, previous, reachedLate: false });
    else emit({ kind: 'beat', beat: confirmed(beat) });
    return;
  }
  const status = input.state;
  // Oldest first; a beat that waits keeps the later ones waiting too.
  let done = 0;
  if (d.confirmedLate !== null && status.beat !== d.confirmedLate) d.confirmedLate = null;
  for (const h of d.held) {
    const verdict = judgeHeldBeat(h.beat, h.trackId, status, h.previous);
    if (verdict === 'wait') {
      if (status.updatedAt - h.beat.at >= SHORT_OF_BEAT_AFTER_MS) h.reachedLate = true;
      break;
    }
    done++;
    if (verdict === 'confirmed' && h.reachedLate && status.beat === h.beat.beat) d.confirmedLate = h.beat.beat;
    if (verdict === 'confirmed') emit({ kind: 'beat', beat: confirmed(h.beat) });
    else emit({ kind: 'unconfirmed', beat: h.beat, reason: verdict });
  }
  d.held.splice(0, done);
  d.trackId = status.trackId;
  emit(input);
}

/** Drops, as a jump, the held beats numbered `from` or higher (the newest are at the end). */
function dropFrom(d: DeckHold, from: number, emit: Emit<DeckSignal>): void {
  let keep = d.held.length;
  while (keep > 0) {
    const n = (d.held[keep - 1] as Held).beat.beat;
    if (n === null || n < from) break;
    keep--;
  }
  for (const h of d.held.splice(keep)) emit({ kind: 'unconfirmed', beat: h.beat, reason: 'jump' });
}

/** Lets real beats and statuses through, and estimated beats once a status of their deck confirms them (before that status). */
export function confirmBeats(): OperatorFunction<DeckSignal, DeckSignal> {
  return withState(() => new Map<number, DeckHold>(), step);
}
