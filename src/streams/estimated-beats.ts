/**
 * Beats for decks that send none (the OPUS-QUAD, §4). Every status packet of
 * the deck, and in CDJ mode every precise position packet (§5), refines the
 * deck's timing (DeckTiming); beats are then emitted at the predicted instants
 * on the given scheduler, so they land on the beat rather than whenever the
 * next packet happens to arrive.
 *
 * Numbering: while a deck plays forward, every beat number comes out exactly
 * once, in order. The stream keeps the number of the next beat to emit and
 * only ever moves it on by one, so a corrected estimate can neither skip a
 * number nor repeat one: a beat whose corrected instant is already past (or
 * that a status shows reached) comes out at once, flagged `late`, with `at`
 * its estimated instant. So does a beat fired at its instant whose estimate
 * is too uncertain to promise it within UNSURE_BEAT_MS (at 150 BPM the
 * status packets can land at the same two phases of the beat for a while,
 * and a jump leaves the phase open until a few packets narrow it): it may be
 * that much after the beat. A beat that waits for the later of two readings
 * of a jump (fireAt) says `late` where the wait and the estimate's
 * uncertainty together come to more than that. Only a new stretch of play
 * changes the sequence: a jump back (loop, cue) makes earlier numbers due
 * again; a jump forward by more than normal play covers between two status
 * packets skips what was jumped over; after play or a jump, the first beat
 * the deck played comes out at once, late, since the bridge hears of play up
 * to a status interval late.
 * When the bridge first hears a deck already playing, it starts with the next
 * beat after that. Play from the cue point (play state 'cued': the CUE button
 * put the deck there, maybe within the beat it was in) begins with the cue's
 * beat; play of a deck first heard paused elsewhere (a new track, an instant
 * double of a stopped deck) begins with the beat after the one it stood in.
 * A roll (a loop inside a beat: the status says the deck loops and still
 * shows the beat before the last one fired, well after that one's instant)
 * holds the beats until a status shows the deck out of it; the beat the roll
 * overtook then comes again. A move of the playhead of a few milliseconds
 * that precise positions show (the DJ nudging the jog wheel) is no new
 * stretch: the sequence goes on. A hand holding the platter (the status says
 * the deck plays, its motion byte that it stands) is a pause.
 *
 * Outages: while a playing deck goes unheard, its grid coasts (for up to the
 * estimator's coastMs) and beats go on at their predicted instants, flagged
 * `coasting`. When its packets return, numbering carries on from where the
 * coasting left it: no burst, no beat twice. A deck that jumped or stopped
 * meanwhile is taken up as any jump or stop is.
 *
 * Every packet re-plans the deck's next beat, so this runs per packet: one
 * timer per deck, moved when the plan changes (resettable-timer.ts), no
 * observable chain built and torn down. Most packets of a deck whose grid has
 * settled re-plan the same beat at the very same instant: the timer then
 * stands (with the newer prediction), rather than being set again.
 */
import type { OperatorFunction, SchedulerLike } from 'rxjs';
import { groupBy, mergeMap, Observable, Subscription } from '../rx';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import type { PrecisePosition } from '../prolink/packets/precise-position';
import { cuePointBeat, playheadMoves } from '../prolink/packets/status-names';
import type { EstimatorOptions } from '../timing/beat-grid-estimator';
import { MS_PER_MINUTE, emptySlot, type PredictionSlot } from '../timing/beat-grid';
import type { BeatObservation } from '../timing/beat-observation';
import { DeckTiming, type Stretch } from '../timing/deck-timing';
import type { BeatEvent } from '../events/bridge-event';
import type { GridBeat } from '../library/library-track';
import type { Received } from './received';
import { FastSubject } from './fast-share';
import { ResettableTimer } from './resettable-timer';
import { SHORT_OF_BEAT_AFTER_MS } from './status-staleness';

/** Beats predicted further out than this are not scheduled yet (a new packet will come first). */
const HORIZON_MS = 5_000;
/** Normal play between two status packets (~200 ms, with room for one late): a forward move within it is a correction, not a jump. */
const STATUS_GAP_MS = 250;
/**
 * A beat whose instant the deck's timing knows only to within more than this
 * (either way, ms) may fire up to that much after the beat: it says `late`,
 * though it fires at its best estimated instant.
 */
export const UNSURE_BEAT_MS = 50;
/** A synced deck takes the master's beat (alignWithMaster) only where the master's grid is this sure of it (ms). */
const ALIGN_WITHIN_MS = 50;

/**
 * A move of the playhead that precise positions show, no larger than this
 * (ms), is the DJ nudging the jog wheel (or pushing it back), not a jump:
 * beats go on in order. Below the eighth of a beat of any roll up to 174 BPM.
 */
export const NUDGE_MAX_MS = 25;
/** A beat two readings of a jump disagree about waits for the later one, but never more than this much of a beat. */
const MAX_UNSURE_DELAY_BEATS = 0.75;

export type OpusInput = Received<CdjStatus> | Received<PrecisePosition>;

interface DeckBeats {
  readonly timing: DeckTiming;
  /** The next beat number to emit; null until known. */
  next: number | null;
  /** The stretch of play `next` follows (0: none yet), whether the deck was already playing when first heard, and the earliest instant it began. */
  stretch: number;
  firstHeard: boolean;
  since: number;
  /** The track the deck last showed; null before its first status. */
  trackId: number | null;
  /** The latest status counter while playing: beats up to it have happened. */
  counter: number | null;
  /** When the latest status came (the one that set `counter`). */
  counterAt: number;
  /** A loop the deck was seen to wrap, null when none is known. */
  loop: LearnedLoop | null;
  /** The status said the loop ended after a wrap the position packets have not shown yet: kept until they do, wrapping no more. */
  loopLeft: boolean;
  /** Grid beat numbers minus the deck's: the loop length once per wrap predicted since the grid last placed the deck. */
  shift: number;
  /** The latest status said the deck plays a loop (play state 04; not every device fills it in). */
  looping: boolean;
  /** The counter of the deck stopped at its cue point (play state 'cued'), until it plays; null otherwise. */
  cued: number | null;
  /** The counter of the deck paused elsewhere (play state 'paused'), until it plays; null otherwise. */
  pausedIn: number | null;
  /** The instant of the last beat emitted, and whether it was sure (fired on its instant, uncertain by at most UNSURE_BEAT_MS). */
  emittedAt: number;
  emittedSure: boolean;
  /** The beat a roll holds the deck in (rolled()): no beat fires until a status shows the deck out of it. */
  rollIn: number | null;
  /**
   * Beat Sync: when the first status showing the deck synced while playing
   * came (NaN while it is not), and whether the statuses of the pull onto the
   * master's beat that follows have been forgotten yet.
   */
  syncedAt: number;
  syncSettled: boolean;
  /**
   * An instant double (followDouble): the deck whose place in the track this
   * one took, while both play on in step, and the stretches of play of this
   * deck and of that one when it was seen; null when none.
   */
  doubleOf: DeckBeats | null;
  doubleStretch: number;
  sourceStretch: number;
  /** Every deck's beats, and the tempo master (EstimatedBeatsOptions.master): what Beat Sync aligns a deck with. */
  readonly rig: RigBeats;
  /** The counter of the latest status while playing, and when the first status showing it arrived. */
  sameBeat: number | null;
  sameSince: number;
  /** A status since then said the deck loops (loopedIn()). */
  loopedInSameBeat: boolean;
  /** What each status tells the deck's timing, refilled per packet: DeckTiming reads it within observe() and keeps none of it. */
  readonly observation: StatusObservation;
  /** Where the deck's grid put it (positionInto, [0]), read with every packet: before the packet was taken in, and when a beat is planned. */
  readonly positionBefore: Float64Array;
  readonly positionNow: Float64Array;
  /** Where the grid put the deck when the status with the latest counter came. */
  readonly positionCounter: Float64Array;
}

interface RigBeats {
  readonly decks: Map<number, DeckBeats>;
  master: number | null;
}

type StatusObservation = { -readonly [K in 'at' | 'beat' | 'beatInBar' | 'effectiveBpm' | 'playing' | 'trackBpm' | 'trackId' | 'cued']-?: Exclude<BeatObservation[K], undefined> };

/**
 * A loop: the deck plays `start` … `end − 1`, and where beat `end` would
 * begin it is back at `start`. Learned from a jump back that landed where
 * the beats were going (a wrap keeps the phase), and predicted from the next
 * wrap on while the status says the deck loops, or from the third when the
 * device does not say (the same wrap seen twice is a loop, one is a cue).
 */
interface LearnedLoop {
  readonly start: number;
  readonly end: number;
  /** Wraps seen in the deck's packets. */
  readonly wraps: number;
}

/** Longest loop learned (beats); a jump back farther than this is a cue or a jump. */
const MAX_LOOP_BEATS = 64;
/** Room for the estimate's error when telling where the deck was when it wrapped (beats). */
const WRAP_SLACK_BEATS = 0.1;

function predictsWraps(d: DeckBeats): boolean {
  return d.loop !== null && !d.loopLeft && (d.looping || d.loop.wraps >= 2);
}

/** beatInBar of a beat `shift` beats before one that is `inBar` in its bar. */
function shiftedInBar(inBar: number | null, shift: number): number | null {
  return inBar === null || inBar < 1 ? inBar : ((((inBar - 1 - shift) % 4) + 4) % 4) + 1;
}

/** The prediction of the deck's beat n, on a grid that still counts on through the wraps predicted, written into `out`; false where there is none. */
function predictDeckBeat(d: DeckBeats, n: number, out: PredictionSlot): boolean {
  if (!d.timing.predictBeatInto(n + d.shift, out)) return false;
  if (d.shift !== 0) {
    out.beat = n;
    out.beatInBar = shiftedInBar(out.beatInBar, d.shift);
  }
  return true;
}

export interface EstimatedBeatsOptions {
  readonly estimator?: Partial<EstimatorOptions>;
  /** Called with each deck's timing, e.g. for a MIDI clock to follow. */
  readonly onEstimator?: (deck: number, timing: DeckTiming) => void;
  /** The beat grid of the track a deck shows, where known (its library track): in CDJ mode beats then follow it exactly. */
  readonly trackGrid?: DeckGridSource;
  /** The tempo master (the bridge's master$): a deck in Beat Sync plays on its beat (alignWithMaster). Without it, none is taken. */
  readonly master?: Observable<{ readonly deck: number | null }>;
}

/** The beat grid of track `trackId` on deck `deck`; null when not known (no library match, or a match for another track). */
export type DeckGridSource = (deck: number, trackId: number) => readonly GridBeat[] | null;

function isStatus(input: OpusInput): input is Received<CdjStatus> {
  return input.packet.kind === 'cdjStatus';
}

/**
 * When a beat is fired: at its estimated instant, unless two readings of a
 * jump still disagree about it (it kept the phase, or it landed on a beat).
 * Then the estimate is one of two guesses that can lie far apart, so it waits
 * for the later one: never early, only late (and it says so), and never later
 * than most of a beat after the estimate.
 */
function fireAt(p: PredictionSlot, bpm: number | null): number {
  if (p.latestAt === null || p.latestAt <= p.at) return p.at;
  const beatMs = bpm !== null && bpm > 0 ? 60_000 / bpm : 500;
  return Math.min(p.latestAt, p.at + beatMs * MAX_UNSURE_DELAY_BEATS);
}

/** Whole beats normal play can move on between two status packets (at least 1). */
function allowance(bpm: number): number {
  return Math.max(1, Math.ceil((bpm * STATUS_GAP_MS) / 60_000));
}

/**
 * The next beat to emit once a new stretch of play `s` of deck `d` is known:
 * from the beat it was to emit next, the counter the last status of the deck
 * playing before it showed (if any), and where the deck stood before it
 * played (at its cue point, or paused elsewhere).
 */
function startOf(d: DeckBeats, s: Stretch, looping: boolean, rolledIn: boolean): number | null {
  const next = d.next;
  if (s.kind === 'first' || s.firstBeat === null) return next;
  const first = s.firstBeat;
  const bpm = d.timing.bpm;
  const shown = d.counter;
  const cued = d.cued;
  // Played from the cue point (the CUE button put the deck back on it, maybe within the beat it was in):
  // the cue sits on a beat, and play begins with it, even when that number fired before.
  if (s.kind === 'start' && cued !== null && first >= cued && first - cued <= allowance(bpm ?? 0)) return cued;
  // Nothing emitted yet (a new track, an instant double of a stopped deck): a deck paused elsewhere than at its
  // cue stood inside the beat it showed, and plays on from there; the beat that began before it stood is not played.
  if (next === null) return s.kind === 'start' && !s.exact && d.pausedIn !== null && first === d.pausedIn ? first + 1 : first;
  // Play again where the deck stood, not put back on a cue: a playhead that stood just past the beat fired last
  // counts as on it (cue points sit on beats), but the deck played that beat before it stopped (or was held).
  if (s.kind === 'start' && s.exact && cued === null && first === next - 1) return next;
  // From status packets alone a move of up to a beat back is no proof: a resume inside the beat
  // emitted last shows its number again, and a jump's phase, first guessed, is corrected by a beat.
  // Unless a status had shown the deck past where it is now: then it did jump back (a beat jump). Or the deck
  // says it loops: it wrapped (a loop of a beat or less, a roll, wraps within what the estimate could be off by).
  // The playhead off its line but not back in the track (a tempo change or a jog bend the position packets caught
  // up with): the beats fired since are the ones it plays, early or late, and none comes again.
  if (s.exact && s.kind === 'jump' && !s.back && first < next) return next;
  // The deck said it looped in the beat before the one fired last, and shows it in that beat again (a roll let go
  // inside it): it wrapped there, and plays on from inside it, behind where the estimate had it. The beat fired
  // last was a prediction the roll overtook (on its instant, or late where the estimate was unsure): it comes again
  // when the deck gets there.
  if (!s.exact && s.kind === 'jump' && rolledIn && first === next - 2) return next - 1;
  const movedBack = (shown !== null && first < shown) || looping;
  if (!s.exact && first < next && first >= next - 2 && !movedBack) return next;
  // A forward move within normal play is a correction: nothing is skipped. Not when the playhead shows a
  // jump: the beats it jumped over were not played (a beat jump of one or two beats).
  if (first >= next && first - next <= allowance(bpm ?? 0) && !(s.exact && s.kind === 'jump')) return next;
  return first;
}

/**
 * A status counter at or past `beat` shows it happened, whatever the estimate
 * says (unless that is farther than normal play goes, `most` beats: then a
 * jump is still to be seen). Not while `passBefore`: the wrap of a known
 * loop predicted last is still ahead of the grid, so the numbers count the
 * loop's next pass, and a counter of the pass the deck is still in (a loop of
 * a beat or two: its last beat is at or just past the next pass's first)
 * shows nothing of it.
 */
function reached(d: DeckBeats, beat: number, most: number, passBefore: boolean): boolean {
  return !passBefore && d.counter !== null && d.counter >= beat && d.counter - beat <= most;
}

/**
 * Whether the latest counter is of the pass of a known loop before the wrap
 * predicted last: the status that showed it came when the grid had the deck
 * short of where that wrap's pass reaches the counter's beat (so a status
 * that straddles the wrap, the estimate a few milliseconds early, still
 * counts for the pass it was sent in). So too for a loop of one beat, whose
 * passes show the same number: its wraps come as predicted, not with every
 * status (a roll taken for one wraps between statuses, and those wraps are
 * owed nothing).
 */
function counterBeforePredictedWrap(d: DeckBeats): boolean {
  const loop = d.loop;
  const counter = d.counter;
  if (loop === null || d.shift === 0 || counter === null || counter < loop.start || counter >= loop.end) return false;
  const length = loop.end - loop.start;
  const wrapAt = loop.end + d.shift - length;
  return d.timing.positionInto(d.counterAt, d.positionCounter) && (d.positionCounter[0] as number) < wrapAt + (counter - loop.start);
}

/**
 * Whether the deck is now, at `at`, at most NUDGE_MAX_MS from where its grid
 * had it heading (d.positionBefore, read before the packet was taken in).
 */
function nudged(d: DeckBeats, at: number): boolean {
  const bpm = d.timing.bpm;
  if (bpm === null || !(bpm > 0) || !d.timing.positionInto(at, d.positionNow)) return false;
  const movedMs = (((d.positionNow[0] as number) - (d.positionBefore[0] as number)) * MS_PER_MINUTE) / bpm;
  return Math.abs(movedMs) <= NUDGE_MAX_MS;
}

/**
 * Of the wraps of the known loop predicted so far (`shift` counts them on, a
 * loop's length each), those the grid had reached at `grid` (its own
 * numbers): the k-th comes where the loop ends, k − 1 lengths on. The last is
 * predicted as soon as the loop's last beat fires, so it may still be ahead
 * (for a loop of one beat, a whole beat ahead).
 */
function wrapsReached(d: DeckBeats, grid: number): number {
  const loop = d.loop;
  if (loop === null || d.shift === 0) return 0;
  const length = loop.end - loop.start;
  return Math.min(Math.round(d.shift / length), Math.max(0, Math.floor((grid + WRAP_SLACK_BEATS - loop.end) / length) + 1));
}

/** A new stretch of play (a start, a jump, the first heard): where the beats go on from, and what it tells of loops. */
function startStretch(d: DeckBeats, s: Stretch, input: OpusInput, hadGridBefore: boolean): void {
  d.firstHeard = s.kind === 'first';
  const loop = d.loop;
  const length = loop === null ? 0 : loop.end - loop.start;
  const grid = d.positionBefore[0] as number;
  // The wraps predicted that the grid had reached before the packet. None reached: the deck wrapped sooner than
  // the loop's end (a loop made shorter while it plays).
  const reachedWraps = hadGridBefore ? wrapsReached(d, grid) : 0;
  // A jump back into the loop after one of them is that wrap, seen: the beats since the loop's start came out
  // already, and the wraps predicted beyond it still stand.
  const wrapSeen = reachedWraps > 0 && loop !== null && s.kind === 'jump' && s.firstBeat !== null && s.firstBeat >= loop.start && s.firstBeat < loop.end;
  const looping = d.looping || (isStatus(input) && input.packet.playState === 'looping');
  // Let go of a roll in the beat it shows: a status before said the deck looped in that beat, this one says it no longer does.
  const rolledIn = !looping && isStatus(input) && loopedIn(d, input.packet.beat);
  if (!wrapSeen) d.next = startOf(d, s, looping, rolledIn);
  d.cued = null;
  d.pausedIn = null;
  d.counter = null; // it told where the deck was before
  // Where the deck was heading, in its own numbers (`shift` has not moved since the position before was read).
  // Worked out only here, as a number that may be null is a new heap object each time.
  const before = hadGridBefore ? grid - reachedWraps * length : null;
  d.loop = s.kind === 'jump' ? learnLoop(loop, reachedWraps > 0, before, s.firstBeat) : null;
  // The grid places the deck afresh, in its own numbers: only wraps still ahead of it stay counted.
  d.shift = wrapSeen ? d.shift - reachedWraps * length : 0;
  if (d.loopLeft) {
    // The loop was left before this wrap was seen: the wraps still ahead will not happen, and the loop is over.
    if (d.next !== null) d.next += d.shift;
    d.shift = 0;
    d.loop = null;
    d.loopLeft = false;
  }
}

function observe(d: DeckBeats, input: OpusInput): void {
  // Where the deck was heading, in its own numbers: tells a loop's wrap from a cue.
  const hadGridBefore = d.timing.positionInto(input.at, d.positionBefore);
  // A hand holding the platter stops the playhead while the player still says it plays: for the beats, a pause.
  const playing = isStatus(input) && playheadMoves(input.packet);
  let newTrack = false;
  let phaseMoved = false;
  if (isStatus(input)) {
    const p = input.packet;
    // Not at the deck's first status: two decks first heard playing the same track may be in step, or not.
    newTrack = d.trackId !== null && p.trackId !== d.trackId;
    if (d.trackId !== null && p.trackId !== d.trackId) {
      d.next = null;
      d.firstHeard = false;
      d.loop = null;
      d.loopLeft = false;
      d.cued = null;
      d.pausedIn = null;
      d.rollIn = null;
    }
    d.trackId = p.trackId;
    const o = d.observation;
    o.at = input.at;
    o.beat = p.beat;
    o.beatInBar = p.beatInBar;
    o.effectiveBpm = p.effectiveBpm;
    o.playing = playing;
    o.trackBpm = p.bpm;
    o.trackId = p.trackId;
    o.cued = cuePointBeat(p) !== null;
    phaseMoved = d.timing.observe(o) === 'phase-moved';
  } else {
    d.timing.observePlayhead({ at: input.at, ms: input.packet.positionMs, pitch: input.packet.pitch });
  }
  const s = d.timing.stretch;
  if (s.id !== d.stretch && (s.kind === 'first' || s.firstBeat !== null)) {
    d.stretch = s.id;
    d.since = s.since;
    // A move of the playhead by a few milliseconds is the DJ nudging the jog wheel (or the grid corrected): the
    // deck plays on through the same beats, the next one stays the next one, none again and none skipped.
    if (!(s.kind === 'jump' && s.exact && hadGridBefore && nudged(d, input.at))) startStretch(d, s, input, hadGridBefore);
  }
  if (isStatus(input)) {
    const p = input.packet;
    d.counter = playing && p.beat !== null && p.beat >= 1 ? p.beat : null;
    d.counterAt = input.at;
    if (!p.playing) {
      d.cued = cuePointBeat(p);
      d.pausedIn = p.playState === 'paused' && p.beat !== null && p.beat >= 1 ? p.beat : null;
    }
    const stoppedIn = !playing && p.beat !== null && p.beat >= 1 ? p.beat : null;
    if (stoppedIn !== null && d.next !== null && d.next > stoppedIn + 1 && d.next - stoppedIn - 1 <= allowance(d.timing.bpm ?? 0) && d.timing.playingBpmAt(input.at) === null) {
      // Stopped short of beats already predicted (the stop was heard after them): the deck never played
      // them, so they come again when it plays on and reaches them. (With precise positions, once they
      // too show the stop: until then the playhead's grid still plays on, and would fire them at once.)
      d.next = stoppedIn + 1;
    }
    const wasLooping = d.looping;
    d.looping = p.playState === 'looping';
    if (!playing || p.beat !== d.sameBeat) {
      d.sameBeat = playing ? p.beat : null;
      d.sameSince = input.at;
      d.loopedInSameBeat = false;
    } else if (wasLooping && !d.looping && stuckLongerThanABeat(d, input.at)) {
      // Let go of a roll (a loop inside this beat, seen longer than a beat): the deck plays on from somewhere inside
      // it, so its place in the beat moved. The estimate starts again from this status on.
      d.timing.forgetPhaseBefore(input.at);
    }
    if (playing && d.looping) d.loopedInSameBeat = true;
    followSync(d, p.sync && playing, input.at);
    if (d.syncSettled && !Number.isNaN(d.syncedAt) && !p.bpmSyncOnly) alignWithMaster(d, p.deck, input.at);
    followDouble(d, newTrack && playing && p.trackId !== 0, phaseMoved, input.at);
    if (d.rollIn !== null && (!playing || p.beat !== d.rollIn)) d.rollIn = null;
    if (rolled(d, input, playing)) {
      // The beat fired after this one was a prediction the roll overtook: it comes again when the deck gets there.
      d.rollIn = p.beat;
      d.next = (p.beat as number) + 1;
    }
    const pastEnd = d.loop !== null && d.counter !== null && d.counter >= d.loop.end;
    if (pastEnd && d.shift > 0 && d.next !== null) {
      // A wrap predicted that did not happen (the DJ left the loop): the deck's numbers are the grid's again.
      d.next += d.shift;
      d.shift = 0;
    }
    // Out of the loop: the status says it ended, or the deck played past its end. The grid places the deck in its
    // own numbers again: the statuses it follows show no wrap.
    if (d.loop !== null && !d.loopLeft && ((wasLooping && !d.looping) || !playing || pastEnd)) {
      const reachedWraps = hadGridBefore ? wrapsReached(d, d.positionBefore[0] as number) : 0;
      if (!pastEnd && playing && d.shift > 0 && d.next !== null && reachedWraps > 0 && d.timing.precise(input.at)) {
        // Left after a wrap the position packets have not shown yet (they show a jump a packet or two late): the
        // loop stays known until they do, wrapping no more (startStretch ends it).
        d.loopLeft = true;
      } else {
        // Left while it plays: the wraps predicted that the grid had not reached will not happen.
        if (!pastEnd && playing && d.shift > 0 && d.next !== null) d.next += d.shift - reachedWraps * (d.loop.end - d.loop.start);
        d.loop = null;
        d.shift = 0;
      }
    }
  }
}

/** Whether a status said the deck looped while it showed `beat`, the counter the statuses since have shown too. */
function loopedIn(d: DeckBeats, beat: number | null): boolean {
  return d.loopedInSameBeat && beat !== null && beat === d.sameBeat;
}

/** The latest counter has shown for longer than a beat and a status period (so the deck did not play through it). */
function stuckLongerThanABeat(d: DeckBeats, at: number): boolean {
  const bpm = d.timing.bpm;
  return bpm !== null && bpm > 0 && at - d.sameSince > 60_000 / bpm + STATUS_GAP_MS;
}

/**
 * A status of the deck still in the beat before the last one fired,
 * SHORT_OF_BEAT_AFTER_MS or more after that one's instant (which was sure), saying
 * the deck loops, or that it looped earlier in this same beat: the deck
 * wrapped inside that beat (a roll, perhaps let go since: it plays on from
 * inside the beat, behind where the estimate had it). Not for a loop already
 * known (its wraps are predicted). A status a beat behind that says nothing
 * of a loop is no proof: a busy host can hold one back that long.
 */
function rolled(d: DeckBeats, input: Received<CdjStatus>, playing: boolean): boolean {
  const p = input.packet;
  if (!playing || d.rollIn !== null || d.loop !== null || d.shift !== 0 || p.beat === null || d.next === null) return false;
  if (!d.looping && !loopedIn(d, p.beat)) return false;
  return p.beat === d.next - 2 && d.emittedSure && input.at - d.emittedAt >= SHORT_OF_BEAT_AFTER_MS;
}

/**
 * Beat Sync pulls a deck onto the master's beat, within a beat of the press
 * (§3.3: the flag shows it; the pull shows in no field): its place in the
 * beat moves, so what the statuses before told of it no longer holds, nor
 * what those of the pull tell. Both are forgotten: at the first status
 * showing sync, and again a beat later. The beats the estimate then
 * places from a status or two are unsure, and say `late`.
 */
function followSync(d: DeckBeats, synced: boolean, at: number): void {
  if (!synced) {
    d.syncedAt = NaN;
    d.syncSettled = true;
    return;
  }
  if (Number.isNaN(d.syncedAt)) {
    d.syncedAt = at;
    d.syncSettled = false;
    d.timing.forgetPhaseBefore(at);
    return;
  }
  const bpm = d.timing.bpm;
  if (!d.syncSettled && bpm !== null && bpm > 0 && at - d.syncedAt > MS_PER_MINUTE / bpm) {
    d.syncSettled = true;
    d.timing.forgetPhaseBefore(d.syncedAt + MS_PER_MINUTE / bpm);
  }
}

/**
 * A deck in Beat Sync (not BPM sync only, §3.3) plays on the master's beat:
 * where the master's grid places its latest beat to within ALIGN_WITHIN_MS,
 * a beat of this deck came then too (status packets alone; with precise
 * positions the playhead says more).
 */
function alignWithMaster(d: DeckBeats, deck: number, at: number): void {
  const master = d.rig.master;
  const m = master === null || master === deck ? undefined : d.rig.decks.get(master);
  if (m !== undefined) takeBeatOf(d, m, at);
}

/** Where `source`'s grid places its latest beat to within ALIGN_WITHIN_MS, a beat of `d` came then too (status packets alone). */
function takeBeatOf(d: DeckBeats, source: DeckBeats, at: number): void {
  const bpm = d.timing.bpm;
  if (bpm === null || !(bpm > 0) || d.timing.precise(at) || !source.timing.hasGrid(at)) return;
  const beat = source.timing.nextBeatAfter(at - MS_PER_MINUTE / bpm);
  if (beat === null || beat.uncertaintyMs > ALIGN_WITHIN_MS || beat.at > at) return;
  d.timing.observeBeatAt(beat.at, beat.uncertaintyMs);
}

/** Two effective tempos this close are one (the status's BPM has two decimals). */
const SAME_TEMPO = 1e-4;

function sameTempo(a: number | null, b: number | null): boolean {
  return a !== null && b !== null && a > 0 && Math.abs(a / b - 1) <= SAME_TEMPO;
}

/**
 * Instant doubles: a deck whose status shows a new track already playing
 * (`appeared`), at the beat where another deck plays that track (a counter
 * apart at most: the two decks' statuses come at different moments), at the
 * same tempo, took that deck's place in the track. While both play on at
 * that tempo, with no new stretch of play on either (a jump, a stop, a hold),
 * it plays on the other deck's beats: as for a synced deck, its estimate
 * takes that deck's latest beat with each status. With its own statuses
 * alone, a doubled deck would learn its place in the beat afresh, from
 * packets that can keep landing on the same few phases of the beat for a
 * while. A deck nudged by hand leaves the other's beat with nothing to show
 * it but its own statuses: the first that contradicts the estimate
 * (`phase-moved`, as after any nudge) ends the double's following.
 */
function followDouble(d: DeckBeats, appeared: boolean, phaseMoved: boolean, at: number): void {
  if (appeared) {
    d.doubleOf = null;
    for (const s of d.rig.decks.values()) {
      if (s === d || s.trackId !== d.trackId || s.counter === null || d.counter === null || at - s.counterAt > STATUS_GAP_MS) continue;
      if (Math.abs(s.counter - d.counter) > 1 || !sameTempo(d.timing.bpm, s.timing.playingBpmAt(at))) continue;
      d.doubleOf = s;
      d.doubleStretch = d.stretch;
      d.sourceStretch = s.stretch;
      break;
    }
  }
  const s = d.doubleOf;
  if (s === null) return;
  const inStep =
    !phaseMoved &&
    d.counter !== null && d.stretch === d.doubleStretch && s.stretch === d.sourceStretch && s.trackId === d.trackId && sameTempo(d.timing.bpm, s.timing.playingBpmAt(at));
  if (inStep) takeBeatOf(d, s, at);
  else d.doubleOf = null;
}

/**
 * After a jump to `first` from where the deck was heading (`before`, its
 * fractional position then): the loop that explains it as a wrap, or null.
 * A wrap lands on the loop's start where the loop's end beat would have
 * begun, keeping the phase: the deck was `end − start` beats (and the part
 * of a beat it has played since) ahead of where it is now.
 */
function learnLoop(known: LearnedLoop | null, predicted: boolean, before: number | null, first: number | null): LearnedLoop | null {
  if (before === null || first === null) return null;
  if (known !== null && predicted && first >= known.start && first < known.end && before >= known.start && before < known.end) {
    return { ...known, wraps: known.wraps + 1 }; // a wrap that was predicted, now seen
  }
  const length = Math.floor(before - first + WRAP_SLACK_BEATS);
  if (length < 1 || length > MAX_LOOP_BEATS) return null;
  const end = first + length;
  const again = known !== null && known.start === first && known.end === end;
  return { start: first, end, wraps: again ? known.wraps + 1 : 1 };
}

/**
 * One deck: each packet refines its timing and re-plans its next beat; each
 * beat, when due, is emitted and the one after it planned. Planning stops
 * when nothing can be predicted; the next packet starts it again. The output
 * completes once the input has and no beat is planned.
 */
function predictBeats(d: DeckBeats, deck: number, scheduler: SchedulerLike): OperatorFunction<OpusInput, BeatEvent> {
  return (inputs) =>
    new Observable<BeatEvent>((subscriber) => {
      /** Set for the beat `planned`, at `plannedAt`, while one is planned; moved, not replaced, when the plan changes. */
      const timer = new ResettableTimer(scheduler, () => onTime());
      /**
       * Predictions are written into two slots rather than made per packet:
       * `candidate` is the one due() works on, and takes the place of
       * `planned` (valid while `hasPlanned`) when it becomes the plan.
       */
      let planned = emptySlot();
      let candidate = emptySlot();
      let hasPlanned = false;
      /** The instant the timer is set for; in an object field, written in place (a closure's `let` boxes every new instant). */
      const timerAt = { plannedAt: NaN };
      let inputsDone = false;
      const cancel = (): void => {
        timer.cancel();
        hasPlanned = false;
      };
      /** `coasting`: the deck's grid is coasting now. */
      const emit = (p: PredictionSlot, at: number, late: boolean, coasting: boolean): void => {
        d.next = p.beat + 1;
        d.emittedAt = p.at;
        d.emittedSure = !late && !coasting;
        if (d.loop !== null && d.next === d.loop.end && predictsWraps(d)) {
          // The loop wraps: its start comes where its end would have. The grid counts on; the numbers go back.
          d.next = d.loop.start;
          d.shift += d.loop.end - d.loop.start;
          d.counter = null;
        }
        subscriber.next({ type: 'beat', at, deck, beat: p.beat, beatInBar: p.beatInBar, effectiveBpm: d.timing.bpm, estimated: true, late, coasting });
      };
      const plan = (): void => {
        if (subscriber.closed) return; // e.g. unsubscribed by a consumer of the beat just emitted
        const now = scheduler.now();
        if (!due(now)) {
          cancel();
          if (inputsDone) subscriber.complete();
          return;
        }
        const next = candidate;
        candidate = planned;
        planned = next;
        hasPlanned = true;
        const at = fireAt(next, d.timing.bpm);
        // The same instant as the timer is set for (a later one always: due returns only what fires after now): it stands, with the newer prediction.
        if (timer.pending && at === timerAt.plannedAt) return;
        timerAt.plannedAt = at;
        timer.set(Math.max(0, at - now));
      };
      /** Emits what is already due (late); true when `candidate` then holds the next beat to schedule. */
      const due = (now: number): boolean => {
        // What the deck's grid now says (the tempo while it plays), asked without building the grid.
        const bpm = d.timing.playingBpmAt(now);
        // Held in a roll: the deck wraps inside a beat, and the next comes when a status shows it there.
        if (bpm === null || d.rollIn !== null) return false;
        const most = allowance(bpm);
        // First heard playing: beats start with the next one. Otherwise the stretch names its first beat.
        if (d.next === null && d.firstHeard) d.next = d.timing.nextBeatAfter(now)?.beat ?? null;
        const beatNow = d.timing.positionInto(now, d.positionNow) ? Math.floor(d.positionNow[0] as number) - d.shift : null;
        const passBefore = counterBeforePredictedWrap(d);
        // Far behind the deck (it moved on while unheard, or jumped): go on from the beat it is in. Not while its
        // latest status shows it no further than that beat (the estimate ran on through a roll that held it).
        if (d.next !== null && beatNow !== null && beatNow - d.next > most && !(d.counter !== null && d.counter <= d.next)) {
          d.next = beatNow;
        }
        for (let i = 0; d.next !== null && !subscriber.closed; i++) {
          const p = candidate;
          if (!predictDeckBeat(d, d.next, p)) return false;
          // A beat past the end of the grid's coasting is not planned: the deck is not heard of by then.
          const firesAt = fireAt(p, bpm);
          if ((firesAt > now && !reached(d, p.beat, most, passBefore)) || i > most + 1) return firesAt > now && p.at - now <= HORIZON_MS && d.timing.hasGrid(p.at);
          emit(p, Math.min(now, Math.max(p.at, d.since)), true, d.timing.coastingAt(now));
        }
        return false;
      };
      const onTime = (): void => {
        if (!hasPlanned) return;
        hasPlanned = false;
        const p = planned;
        try {
          // A deck unheard for longer than its grid coasts has no beats any more.
          const now = scheduler.now();
          // Late where the beat may have come more than UNSURE_BEAT_MS before now: its estimate unsure by that much, or a
          // wait for the later reading of a jump (fireAt) on top of what the estimate is unsure of.
          if (d.timing.hasGrid(now)) emit(p, p.at, now - p.at + p.uncertaintyMs > UNSURE_BEAT_MS, d.timing.coastingAt(now));
          plan();
        } catch (error: unknown) {
          subscriber.error(error);
        }
      };
      const subscription = inputs.subscribe({
        next: (input) => {
          // The beat planned stays set while the input is taken in: plan() keeps it if it still fires at the same instant, else replaces it.
          try {
            observe(d, input);
            plan();
          } catch (error: unknown) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          inputsDone = true;
          if (!timer.pending) subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        cancel();
      };
    });
}

/** Estimated beats from OPUS-QUAD status packets, and precise position packets where it sends them (CDJ mode). */
export function estimatedBeats(inputs: Observable<OpusInput>, scheduler: SchedulerLike, options: EstimatedBeatsOptions = {}): Observable<BeatEvent> {
  // Each subscription its own decks, and the master as the master tracker has it.
  return new Observable<BeatEvent>((subscriber) => {
    const rig: RigBeats = { decks: new Map(), master: null };
    const subscription = options.master?.subscribe((m) => (rig.master = m.deck)) ?? new Subscription();
    const beats = inputs.pipe(
      groupBy((input) => input.packet.deck, { connector: () => new FastSubject<OpusInput>() }),
      mergeMap((deckInputs) => {
        const deck = deckInputs.key;
        const trackGrid = options.trackGrid;
        const timing = new DeckTiming(options.estimator, trackGrid === undefined ? null : (trackId) => trackGrid(deck, trackId));
        const observation: StatusObservation = { at: 0, beat: null, beatInBar: null, effectiveBpm: null, playing: false, trackBpm: null, trackId: 0, cued: false };
        const d: DeckBeats = { timing, next: null, stretch: 0, firstHeard: false, since: -Infinity, trackId: null, counter: null, counterAt: -Infinity, loop: null, loopLeft: false, shift: 0, looping: false, cued: null, pausedIn: null, emittedAt: NaN, emittedSure: false, rollIn: null, syncedAt: NaN, syncSettled: true, doubleOf: null, doubleStretch: 0, sourceStretch: 0, rig, sameBeat: null, sameSince: -Infinity, loopedInSameBeat: false, observation, positionBefore: new Float64Array(1), positionNow: new Float64Array(1), positionCounter: new Float64Array(1) };
        rig.decks.set(deck, d);
        options.onEstimator?.(deck, d.timing);
        return deckInputs.pipe(predictBeats(d, deck, scheduler));
      }),
    );
    subscription.add(beats.subscribe(subscriber));
    return subscription;
  });
}
