/**
 * The positions phrase tracking follows. Beat events (real, or estimated and
 * on time) lead; a status packet's beat counter moves the deck only when no
 * beat event leads it, on a jump, a new track, or when the deck starts or
 * stops playing. Estimated beats that a status did not confirm pass on as
 * such, so the tracker can tell what they would have caused. A position a
 * status gives is late: the counter says where the deck is, and it got there
 * up to a status period before (a phrase it enters was entered then).
 */
import type { OperatorFunction } from 'rxjs';
import type { PhraseInput } from './phrase-tracker';
import type { DeckSignal } from './deck-signals';
import { withState, type Emit } from './with-state';

/** A status within this long of the last beat event, and within a beat of it, is already covered by it (ms). */
const LED_WITHIN_MS = 1000;

/** Per deck; private to one subscription, updated in place. */
interface PositionSource {
  /** The last beat event's number and time, if any. */
  beat: number;
  at: number;
  led: boolean;
  trackId: number | null;
  /** Whether a status has told the track yet. */
  tracked: boolean;
  playing: boolean;
}

function step(sources: Map<number, PositionSource>, input: DeckSignal, emit: Emit<PhraseInput>): void {
  const deck = input.kind === 'status' ? input.state.deck : input.beat.deck;
  let s = sources.get(deck);
  if (s === undefined) {
    s = { beat: 0, at: 0, led: false, trackId: null, tracked: false, playing: false };
    sources.set(deck, s);
  }
  if (input.kind === 'unconfirmed') {
    if (input.beat.beat !== null) emit({ kind: 'unconfirmed', deck, beat: input.beat.beat, at: input.beat.at, reason: input.reason });
    return;
  }
  if (input.kind === 'beat') {
    const b = input.beat;
    if (b.beat === null) return;
    s.beat = b.beat;
    s.at = b.at;
    s.led = true;
    emit({ kind: 'position', deck, trackId: s.trackId, beat: b.beat, at: b.at, playing: true, estimated: b.estimated, late: b.late, coasting: b.coasting });
    return;
  }
  const d = input.state;
  const fresh = s.led && d.updatedAt - s.at < LED_WITHIN_MS && d.beat !== null && Math.abs(d.beat - s.beat) <= 1;
  const trackChanged = !s.tracked || s.trackId !== d.trackId;
  const playingChanged = s.playing !== d.playing;
  s.trackId = d.trackId;
  s.tracked = true;
  s.playing = d.playing;
  if (fresh && !trackChanged && !playingChanged) return;
  // A status that only says the deck started or stopped keeps the beat that leads it.
  const beat = fresh && !trackChanged ? s.beat : d.beat;
  // A status shows where the deck is, not when it got there: up to a status period after it did.
  emit({ kind: 'position', deck, trackId: d.trackId, beat, at: d.updatedAt, playing: d.playing, estimated: false, late: true, coasting: false });
}

export function phrasePositions(): OperatorFunction<DeckSignal, PhraseInput> {
  return withState(() => new Map<number, PositionSource>(), step);
}
