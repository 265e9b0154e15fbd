/**
 * When one deck's beats happen, from everything the deck sends: status
 * packets (always), real beat packets (CDJs) and precise position packets
 * (CDJ-3000s, the OPUS-QUAD in CDJ mode).
 *
 * - While fresh precise positions come in and the grid constant is known (or
 *   the track's own beat grid, from the library), beats, phase and position
 *   come from the playhead (playhead-grid.ts): exact to the player's own
 *   measurement, the moment the deck starts or jumps.
 * - Otherwise from the status and beat packets alone (beat-grid-estimator.ts).
 *   Both are always fed, so either can take over at any moment.
 *
 * It also tells its consumer when forward play began afresh (a "stretch":
 * play after a stop, or a jump), the earliest instant that can have happened,
 * and the first beat number the deck played in it. From the playhead that
 * number is exact (the first beat at or after the instant the playhead left
 * its old place); from status packets it is the counter of the packet that
 * showed the start or jump (the beat the deck was in when the bridge heard of
 * it).
 *
 * No clock, no timers: all time comes in with the observations and queries.
 */
import { BeatGridEstimator } from './beat-grid-estimator';
import { beatInBar, emptySlot, MS_PER_MINUTE, predictionOf, type BeatGrid, type BeatGridSource, type BeatPrediction, type PredictionSlot } from './beat-grid';
import type { BeatObservation, ObservationOutcome } from './beat-observation';
import { DEFAULT_ESTIMATOR_OPTIONS, type EstimatorOptions, type EstimatorStats } from './estimator-options';
import { PLAYHEAD_FRESH_MS, PlayheadGrid, type GridEvidence, type TrackGridSource } from './playhead-grid';
import type { PlayheadObservation, PlayheadOutcome } from './playhead-track';

export type StretchKind =
  | 'first' // the deck was already playing when first heard (or heard again after a silence)
  | 'start' // play after a stop
  | 'jump'; // a cue, loop or beat jump while playing

export interface Stretch {
  /** Changes with every new stretch (0 before the deck was first seen playing). */
  readonly id: number;
  readonly kind: StretchKind;
  /** The earliest instant it can have begun (ms); −Infinity when unknown. */
  readonly since: number;
  /** The first beat number played in it; null while unknown. */
  readonly firstBeat: number | null;
  /** True when `firstBeat` comes from the playhead (exact), false when from a status counter. */
  readonly exact: boolean;
  /** From the playhead: it went back in the track (PlayheadSegment.wentBack). False from a status counter, which cannot tell. */
  readonly back: boolean;
}

interface StretchState {
  readonly id: number;
  readonly kind: StretchKind;
  readonly since: number;
  /** From the playhead (set to a segment id) or from a status (null). */
  readonly segment: number | null;
  /** Statuses from this instant on show the deck in the stretch (ms). */
  readonly countFrom: number;
  /** The counter of the first status showing the stretch. */
  counter: number | null;
}

/**
 * A beat this close before the instant the playhead left its old place still
 * counts as played (ms, on top of the grid's uncertainty): cue points sit on
 * beats, so the playhead usually starts right on one.
 */
const FIRST_BEAT_TOLERANCE_MS = 5;
/** Never more than this (beats): beyond it the beat was surely not played. */
const FIRST_BEAT_TOLERANCE_MAX = 0.25;

export class DeckTiming implements BeatGridSource {
  private readonly status: BeatGridEstimator;
  private readonly playhead: PlayheadGrid;
  private readonly options: EstimatorOptions;
  private state: StretchState = { id: 0, kind: 'first', since: -Infinity, segment: null, countFrom: -Infinity, counter: null };
  /** The latest status packet's arrival and counter (while playing). */
  private lastCounterAt: number | null = null;
  private lastCounterBeat: number | null = null;
  private lastStatusAt: number | null = null;
  private track: number | null | undefined = undefined;
  private latestAt = -Infinity;
  /** The deck was seen to start; the stretch begins with the first status that places it. */
  private startSeen = false;
  /** The last stretch told from a status counter (not exact). */
  private statusStretch: Stretch | null = null;
  /** Reused by predictBeat(): copied into the prediction it returns. */
  private readonly slot: PredictionSlot = emptySlot();
  /** Reused for every packet: the playhead grid copies what it keeps of it. */
  private readonly evidence: { -readonly [K in keyof GridEvidence]: GridEvidence[K] } = { at: 0, beat: null, trackBpm: null, trackId: null, source: 'status' };

  /** `trackGrid`: the beat grid of the track the deck shows, where known (a library track): precise positions then place beats on it. */
  constructor(options: Partial<EstimatorOptions> = {}, trackGrid: TrackGridSource | null = null) {
    this.options = { ...DEFAULT_ESTIMATOR_OPTIONS, ...options };
    this.status = new BeatGridEstimator(this.options, trackGrid);
    this.playhead = new PlayheadGrid(this.options, trackGrid);
  }

  /** A status packet, or a real beat packet (`source: 'packet'`). */
  observe(o: BeatObservation): ObservationOutcome {
    const previousAt = this.lastStatusAt;
    const wasPlaying = this.status.isPlaying;
    const outcome = this.status.observe(o);
    if (outcome === 'ignored') return outcome;
    this.lastStatusAt = o.at;
    this.latestAt = Math.max(this.latestAt, o.at);
    const evidence = this.evidence;
    evidence.at = o.at;
    evidence.beat = o.beat;
    evidence.trackBpm = o.trackBpm ?? null;
    evidence.trackId = o.trackId ?? null;
    evidence.source = o.source ?? 'status';
    this.playhead.observe(evidence);
    const counter = o.beat !== null && Number.isInteger(o.beat) && o.beat >= 1 ? o.beat : null;
    if ((o.source ?? 'status') === 'status') {
      this.lastCounterAt = o.playing ? o.at : null;
      this.lastCounterBeat = o.playing ? counter : null;
      if (this.state.counter === null && o.at >= this.state.countFrom) this.state.counter = counter;
    }
    const newTrack = o.trackId !== undefined && this.track !== undefined && o.trackId !== this.track;
    if (o.trackId !== undefined) this.track = o.trackId;
    if (!o.playing) {
      this.startSeen = false;
      return outcome;
    }
    if (!wasPlaying || newTrack) this.startSeen = true;
    if (this.playheadFresh(o.at)) {
      this.startSeen = false;
      // A new track on a deck the playhead shows moving (an instant double, a load onto a playing deck): the
      // position packets showed the move before this status named the track. Play of the new track is a stretch
      // of its own, as it is heard from status packets: the one the playhead began, told again.
      const segment = this.playhead.playhead.current;
      if (newTrack && segment !== null && segment.moving) {
        const s = this.state;
        if (s.segment === segment.id) this.begin(s.kind, s.since, s.segment, s.countFrom, s.counter);
        else this.begin('start', segment.since, segment.id, o.at, counter);
      }
      return outcome;
    }
    const placed = outcome === 'anchored' || outcome === 'refined' || outcome === 'phase-moved' || outcome === 'jump';
    const silent = previousAt === null || o.at - previousAt > this.options.staleAfterMs;
    if (this.startSeen && placed) {
      this.startSeen = false;
      this.begin(silent ? 'first' : 'start', silent ? -Infinity : previousAt, null, o.at, counter);
    } else if (outcome === 'jump') {
      this.begin('jump', previousAt ?? -Infinity, null, o.at, counter);
    }
    return outcome;
  }

  /** A precise position packet (§5). */
  observePlayhead(o: PlayheadObservation): PlayheadOutcome {
    const outcome = this.playhead.observePlayhead(o);
    if (outcome === 'ignored') return outcome;
    this.latestAt = Math.max(this.latestAt, o.at);
    const segment = this.playhead.playhead.current;
    if (outcome === 'segment' && segment !== null && segment.moving) {
      const kind: StretchKind = segment.movedBefore === null ? 'first' : segment.movedBefore ? 'jump' : 'start';
      // A start's instant is known, so a status since then shows it; a jump's only within a packet.
      const countFrom = kind === 'start' ? segment.since : o.at;
      const seen = this.lastCounterAt !== null && this.lastCounterAt >= countFrom ? this.lastCounterBeat : null;
      this.begin(kind, segment.since, segment.id, countFrom, seen);
    }
    return outcome;
  }

  get stretch(): Stretch {
    const s = this.state;
    const fromPlayhead = s.segment !== null && s.since > -Infinity && this.playhead.playhead.current?.id === s.segment;
    const position = fromPlayhead ? this.playhead.positionAt(s.since) : null;
    const bpm = this.playhead.bpm;
    if (position === null || bpm === null) {
      // Read for every packet: the same (immutable) answer again while nothing changed.
      const last = this.statusStretch;
      if (last !== null && last.id === s.id && last.kind === s.kind && last.since === s.since && last.firstBeat === s.counter) return last;
      return (this.statusStretch = { id: s.id, kind: s.kind, since: s.since, firstBeat: s.counter, exact: false, back: false });
    }
    const tolerance = Math.min(FIRST_BEAT_TOLERANCE_MAX, ((FIRST_BEAT_TOLERANCE_MS + this.playhead.uncertaintyMs) * bpm) / MS_PER_MINUTE);
    const back = this.playhead.playhead.current?.wentBack ?? false;
    return { id: s.id, kind: s.kind, since: s.since, firstBeat: Math.ceil(position - tolerance), exact: true, back };
  }

  /** The deck's place in the beat may have moved before `at` (a roll let go): the status estimate forgets what it learned before (BeatGridEstimator.forgetPhaseBefore). */
  forgetPhaseBefore(at: number): void {
    this.status.forgetPhaseBefore(at);
  }

  /** A beat of the deck came at `beatAt`, to within `withinMs`, as another source knows (BeatGridEstimator.observeBeatAt): for the status estimate. */
  observeBeatAt(beatAt: number, withinMs: number): boolean {
    return this.status.observeBeatAt(beatAt, withinMs);
  }

  /** Whether beats come from the playhead at `at` (fresh precise positions and a known grid). */
  precise(at: number = this.latestAt): boolean {
    return this.playhead.ready(at);
  }

  /** Fractional beat position at `t` (beat n at position n); null while paused or unknown. */
  positionAt(t: number): number | null {
    if (!this.precise()) return this.status.positionAt(t);
    return this.playhead.moving ? this.playhead.positionAt(t) : null;
  }

  /** positionAt(t), written into `out[0]`; false (and `out` left as it was) where that is null. From status packets without a new heap object. */
  positionInto(t: number, out: Float64Array): boolean {
    if (!this.precise()) return this.status.positionInto(t, out);
    const p = this.playhead.moving ? this.playhead.positionAt(t) : null;
    if (p === null) return false;
    out[0] = p;
    return true;
  }

  predictBeat(n: number): BeatPrediction | null {
    if (!this.precise()) return this.status.predictBeat(n);
    const slot = this.slot;
    return this.predictBeatInto(n, slot) ? predictionOf(slot) : null;
  }

  /** predictBeat(n), written into `out` (for a caller that predicts with every packet); false (and `out` left as it was) where that is null. */
  predictBeatInto(n: number, out: PredictionSlot): boolean {
    if (!this.precise()) return this.status.predictBeatInto(n, out);
    if (!Number.isInteger(n)) return false;
    const at = this.playhead.timeOf(n);
    if (at === null) return false;
    out.beat = n;
    out.beatInBar = this.playhead.beatInBarOf(n) ?? beatInBar(n, this.status.barOffset);
    out.at = at;
    // A packet off the line leaves the beat in doubt by that much, until the next one says whether the playhead moved.
    out.uncertaintyMs = this.playhead.uncertaintyMs + this.playhead.disagreementMs;
    out.latestAt = null;
    return true;
  }

  /** The first beat strictly after `t`; null while paused or unknown. */
  nextBeatAfter(t: number): BeatPrediction | null {
    const p = this.positionAt(t);
    return p === null ? null : this.predictBeat(Math.floor(p) + 1);
  }

  grid(at: number): BeatGrid | null {
    if (!this.playhead.ready(at)) return this.status.grid(at);
    const moving = this.playhead.moving;
    return {
      at,
      playing: moving,
      position: this.playhead.positionAt(at),
      bpm: this.playhead.bpm ?? this.status.bpm,
      barOffset: this.status.barOffset,
      uncertaintyMs: this.playhead.uncertaintyMs,
    };
  }

  /** Whether grid(at) is not null, without building it. */
  hasGrid(at: number): boolean {
    return this.playhead.ready(at) || this.status.hasGrid(at);
  }

  /** grid(at)'s tempo while it says the deck plays; null when there is no grid, the deck is not playing or the tempo is unknown. Without building the grid. */
  playingBpmAt(at: number): number | null {
    if (!this.playhead.ready(at)) return this.status.playingBpmAt(at);
    return this.playhead.moving ? (this.playhead.bpm ?? this.status.bpm) : null;
  }

  /** Whether grid(at) says `coasting`, without building it. */
  coastingAt(at: number): boolean {
    return !this.playhead.ready(at) && this.status.coastingAt(at);
  }

  get bpm(): number | null {
    return this.precise() ? (this.playhead.bpm ?? this.status.bpm) : this.status.bpm;
  }

  get isPlaying(): boolean {
    return this.precise() ? this.playhead.moving : this.status.isPlaying;
  }

  get stats(): EstimatorStats & { readonly playheadMoves: number } {
    return { ...this.status.stats, playheadMoves: this.playhead.phaseMoves };
  }

  private playheadFresh(at: number): boolean {
    const last = this.playhead.playhead.lastFittedAt;
    return last !== null && at - last <= PLAYHEAD_FRESH_MS;
  }

  private begin(kind: StretchKind, since: number, segment: number | null, countFrom: number, counter: number | null): void {
    this.state = { id: this.state.id + 1, kind, since, segment, countFrom, counter };
  }
}
