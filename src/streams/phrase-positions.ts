/**
 * The positions phrase tracking follows. Beat events (real, or estimated and
 * on time) lead; a status packet's beat counter moves the deck only when no
 * beat event leads it, on a jump, a new track, or when the deck starts or
 * stops playing. Estimated beats that a status did not confirm pass on as
 * such, so the tracker can tell what they would have caused. A position a
 * status gives is late: the counter says where the deck is, and it got there
 * up to a status period before (a phrase it enters was entered then).
 * A status the deck sent just before a loop wrap the beat stream predicted
 * moves nothing either (status-staleness.ts): it would enter the phrase at
 * the loop's start a second time. A beat event that comes again after a
 * status showed the deck still a beat short of it, well after its instant,
 * says so (`overtook`): the first was a prediction the deck had not reached
 * (a roll in the beat before), and the tracker undoes what it entered.
 *
 * Positions are messages to the tracker that follows, read while they are
 * handed over and not kept: one object per subscription is rewritten for each
 * (one handed over while another is still being delivered gets its own).
 */
import type { OperatorFunction } from 'rxjs';
import { cuePointBeat } from '../prolink/packets/status-names';
import type { PhraseInput } from './phrase-tracker';
import type { DeckSignal } from './deck-signals';
import { withState, type Emit } from './with-state';
import { followBeat, ledByBeat, noBeatLead, sentBeforeWrap, SHORT_OF_BEAT_AFTER_MS, type BeatLead } from './status-staleness';

/** Per deck; private to one subscription, updated in place. */
interface PositionSource {
  /** The beat events so far: the last one, a recent wrap. */
  lead: BeatLead;
  trackId: number | null;
  /** Whether a status has told the track yet. */
  tracked: boolean;
  playing: boolean;
  /** The latest status showed the deck stopped at its cue point. */
  cued: boolean;
  /** The last position handed over came from a beat event (no status moved the deck since). */
  fromBeat: boolean;
  /**
   * Since the last beat event, a status showed the deck playing still in the beat before it, SHORT_OF_BEAT_AFTER_MS or more
   * after its instant: the deck had not got there yet (a roll in the beat before overtook the prediction).
   */
  shortOfLead: boolean;
}

type Position = { -readonly [K in keyof Extract<PhraseInput, { kind: 'position' }>]: Extract<PhraseInput, { kind: 'position' }>[K] };

/** One subscription's decks, and the position object it hands over while no delivery is under way. */
interface Positions {
  readonly sources: Map<number, PositionSource>;
  spare: Position | null;
}

/** Hands over the position of `deck` (beat `beat` at `at`…), in the spare object when there is one. */
function emitPosition(
  state: Positions,
  emit: Emit<PhraseInput>,
  deck: number,
  trackId: number | null,
  beat: number | null,
  at: number,
  playing: boolean,
  estimated: boolean,
  late: boolean,
  coasting: boolean,
  cued = false,
  again = false,
  overtook = false,
): void {
  const p = state.spare ?? { kind: 'position', deck, trackId, beat, at, playing, estimated, late, coasting, cued, again, overtook };
  state.spare = null;
  p.deck = deck;
  p.trackId = trackId;
  p.beat = beat;
  p.at = at;
  p.playing = playing;
  p.estimated = estimated;
  p.late = late;
  p.coasting = coasting;
  p.cued = cued;
  p.again = again;
  p.overtook = overtook;
  emit(p);
  state.spare = p;
}

function step(state: Positions, input: DeckSignal, emit: Emit<PhraseInput>): void {
  const sources = state.sources;
  const deck = input.kind === 'status' ? input.state.deck : input.beat.deck;
  let s = sources.get(deck);
  if (s === undefined) {
    s = { lead: noBeatLead(), trackId: null, tracked: false, playing: false, cued: false, fromBeat: false, shortOfLead: false };
    sources.set(deck, s);
  }
  if (input.kind === 'unconfirmed') {
    if (input.beat.beat !== null) emit({ kind: 'unconfirmed', deck, beat: input.beat.beat, at: input.beat.at, reason: input.reason });
    return;
  }
  if (input.kind === 'beat') {
    const b = input.beat;
    if (b.beat === null) return;
    // Beat events come once per beat the deck plays: the same number again, with no status between them that moved
    // the deck, is the deck back on that beat (a loop of one beat wrapped).
    const again = s.fromBeat && s.lead.beat === b.beat;
    const overtook = again && s.shortOfLead;
    s.shortOfLead = false;
    s.fromBeat = true;
    followBeat(s.lead, b.beat, b.at);
    emitPosition(state, emit, deck, s.trackId, b.beat, b.at, true, b.estimated, b.late, b.coasting, false, again, overtook);
    return;
  }
  const d = input.state;
  if (d.playing && d.beat !== null && s.lead.beat !== null && d.beat === s.lead.beat - 1 && d.updatedAt - s.lead.at >= SHORT_OF_BEAT_AFTER_MS) s.shortOfLead = true;
  const fresh = ledByBeat(s.lead, d);
  const trackChanged = !s.tracked || s.trackId !== d.trackId;
  const playingChanged = s.playing !== d.playing;
  // The CUE button puts a stopped deck back on its cue point (play state 'cued'), maybe within the beat it was in.
  const cued = cuePointBeat(d) !== null;
  const cuedChanged = s.cued !== cued;
  s.trackId = d.trackId;
  s.tracked = true;
  s.playing = d.playing;
  s.cued = cued;
  if (trackChanged) s.lead.wrappedFrom = null;
  if (!trackChanged && !playingChanged && !cuedChanged && (fresh || sentBeforeWrap(s.lead, d))) return;
  // A status that only says the deck started or stopped keeps the beat that leads it; one at the cue point shows where that is,
  // and no beat event leads the deck from there (one fired before the CUE press may be a beat it never reached).
  const beat = fresh && !trackChanged && !cued ? s.lead.beat : d.beat;
  if (cued) s.lead.beat = null;
  // A status shows where the deck is, not when it got there: up to a status period after it did.
  s.fromBeat = false;
  emitPosition(state, emit, deck, d.trackId, beat, d.updatedAt, d.playing, false, true, false, cued);
}

export function phrasePositions(): OperatorFunction<DeckSignal, PhraseInput> {
  return withState((): Positions => ({ sources: new Map(), spare: null }), step);
}
