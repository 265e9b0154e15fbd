/**
 * Beat-phase estimation from coarse status packets (protocol doc §3, §10).
 *
 * The OPUS-QUAD sends no beat packets (§4); its status packets arrive about
 * every 200 ms, unaligned to the music, each carrying the beat counter (0xa0),
 * beat-in-bar (0xa6) and the effective tempo (§3.4). A packet generated at
 * `g` showing counter `n` says beat `n` had happened by `g` and beat `n + 1`
 * had not (counter 1 only that the deck had left the start of the track:
 * counter-bounds.ts). With the integrated tempo P(t) (tempo-track.ts), the
 * deck's position is `c + P(t)` for one unknown constant `c`, and each packet
 * bounds `c` to an interval about one beat wide. Packets land at all phases
 * of the beat, so the agreed region narrows to a few milliseconds within a
 * few bars.
 *
 * Latency: a packet seen at `at` was generated in [at − latencyMaxMs,
 * at − latencyMinMs]. Lateness can only loosen a lower bound (nothing arrives
 * before it is sent), so lower bounds are trusted; a packet later than
 * latencyMaxMs (a busy event loop) pulls its upper bound too low. The estimate
 * is [greatest lower bound, least upper bound not below it]
 * (phase-intervals.ts): a late packet can narrow it, never empty it or move it
 * below a proven bound.
 *
 * Real beat packets (CDJs, §4) are accepted as `source: 'packet'`: the arrival
 * is the beat, so the interval is only the latency bound wide.
 *
 * Behaviour at the edges:
 * - Tempo changes move P, not `c`: phase stays continuous. A change is placed
 *   half-way between samples and older intervals widen by the worst-case error.
 * - A counter other than the observations allow is a jump (cue, loop, beat
 *   jump); a counter that contradicts only a hypothesis drops the hypothesis.
 *   After a jump the estimate restarts from the new observations, narrowed
 *   by two hypotheses, each dropped the moment an observation contradicts it:
 *   with `quantizedJumps` "the jump kept the phase" (the old intervals
 *   shifted by the whole number of beats jumped: true for quantized cues,
 *   loops and beat jumps), and with `jumpsLandOnBeats` "the jump landed on a
 *   beat at the instant it happened" (between the previous status and the one
 *   showing it: true for cue points and loop starts, which sit on beats,
 *   counter-bounds.ts). Where they overlap the estimate takes the overlap (a
 *   quantized jump onto a beat: exact at once), but the jump may as well have
 *   landed on a beat elsewhere in the landing's span, so the uncertainty
 *   covers both until an observation decides. Where they disagree one of
 *   them is wrong: the estimate follows `preferredJumpHypothesis`, its
 *   uncertainty covers both, and a beat waits for the reading that puts it
 *   latest.
 * - The phase moved without a counter jump (a jog nudge): an observation
 *   proving a beat came earlier than the estimate allows (no latency explains
 *   that) drops the upper bounds it contradicts at once; one saying it came
 *   later may just be late, so the third within `recentWindowMs` drops the
 *   bounds learned before the first. A nudge of d ms shows only in packets
 *   landing within d of a beat, so small nudges take several seconds to heal.
 * - Paused: no beats are predicted; on play the estimate restarts. So it
 *   does when the observations name another track. Paused at its cue point
 *   (a cue sits on a beat), the deck began playing on that beat between the
 *   last status and the first that shows it playing in it: held as the
 *   landing hypothesis of a jump is, until contradicted.
 * - Counter 0 (parked before beat 1) or null: no position; tempo is kept.
 * - Tempo null or 0 while playing: no tempo, no position.
 *
 * No clock, no timers: all time comes in with the observations and queries.
 */
import {
  barOffsetOf,
  beatInBar,
  BeatGrid,
  BeatGridSource,
  BeatPrediction,
  emptySlot,
  isUsableBpm,
  MS_PER_MINUTE,
  predictionOf,
  type PredictionSlot,
} from './beat-grid';
import type { BeatObservation, ObservationOutcome } from './beat-observation';
import { counterBoundInto, emptyPacketPositions, isJump, jumpShift, landingBound, packetPositionsInto, type PacketPositions } from './counter-bounds';
import { DEFAULT_ESTIMATOR_OPTIONS, type EstimatorOptions, type EstimatorStats } from './estimator-options';
import { Aging, ConstraintSet, emptyEstimate, type EstimateSlots, type MutableConstraint, PhaseConstraint, widenedInto } from './phase-constraints';
import { intersectInto, Interval, midpoint, type MutableInterval } from './phase-intervals';
import { TempoTrack, type KnownChange } from './tempo-track';
import type { GridBeat } from '../library/library-track';
import { timeAtPosition } from '../library/anlz/grid-lookup';

/** The beat grid of a track, by its ID (a library track), or null where unknown. */
export type TrackGrids = (trackId: number) => readonly GridBeat[] | null;

/** The grid's tempo where the deck is and the track tempo the status gives may differ this much (relative) before the grid is not believed. */
const GRID_TEMPO_TOLERANCE = 0.02;

export type { BeatObservation, ObservationOutcome, ObservationSource } from './beat-observation';
export { DEFAULT_ESTIMATOR_OPTIONS, type EstimatorOptions, type EstimatorStats } from './estimator-options';

const LATE_CONFLICTS_FOR_MOVE = 3;
/** Pitches this close (relative) are the same: the status carries the tempo to 0.01 BPM. */
const SAME_PITCH = 2e-4;
/** Bounds widened beyond this many beats say nothing any more. */
const USELESS_WIDTH_BEATS = 2.5;

export class BeatGridEstimator implements BeatGridSource {
  private readonly options: EstimatorOptions;
  private readonly tempo = new TempoTrack();
  private readonly bounds = new ConstraintSet();
  /** Agreed region of the post-jump bounds, and the estimate (with the jump hypotheses while they agree). */
  private current: Interval | null = null;
  private region: Interval | null = null;
  /** Where the true phase lies as far as the hypotheses held allow: `region`, or wider while they disagree or only overlap. */
  private spread: Interval | null = null;
  /** The jump hypotheses have no phase in common: a beat waits for the reading that puts it latest. */
  private disagree = false;
  /**
   * What estimate() writes, for every packet: `current`, `region` and
   * `spread` are these (or null) until the next estimate(), rather than
   * intervals made afresh per packet. Their numbers change with the object
   * kept, so estimate() tells updatePhase() (phaseRegion).
   */
  private readonly agreed: EstimateSlots = emptyEstimate();
  /** The landing hypothesis, widened and narrowed to `current`. */
  private readonly landedSlot: MutableInterval = { lo: NaN, hi: NaN };
  /** Where the landing and held hypotheses agree. */
  private readonly bothSlot: MutableInterval = { lo: NaN, hi: NaN };
  /** Over both hypotheses, while they disagree. */
  private readonly hullSlot: MutableInterval = { lo: NaN, hi: NaN };
  /** The last jump landed on the beat its first status showed (a hypothesis, until contradicted). */
  private landing: PhaseConstraint | null = null;
  private regionP = 0;
  /**
   * Arrival times of recent observations whose upper bound fell below the
   * estimate (oldest first, `lateCount` of them). Never more than
   * LATE_CONFLICTS_FOR_MOVE: the last of those moves the phase and clears them.
   */
  private readonly lateConflicts = new Float64Array(LATE_CONFLICTS_FOR_MOVE);
  private lateCount = 0;
  private playing = false;
  private lastAt: number | null = null;
  private lastBpm: number | null = null;
  private pausedBeat: number | null = null;
  /** The beat a paused deck stood at the start of, at its cue point (null: not at its cue point). */
  private cuedBeat: number | null = null;
  private bar: number | null = null;
  /** The loaded track, when the observations tell it. */
  private track: number | null | undefined = undefined;
  private jumps = 0;
  /** Counts observations taken in: a grid built since the last one still holds. */
  private observed = 0;
  /**
   * The last grid built, for `gridAt` after `gridObserved` observations: asked
   * again for the same instant before anything new is observed (as the beat
   * planner does several times per packet), the same immutable answer serves.
   */
  private lastGrid: BeatGrid | null = null;
  private gridAt = NaN;
  private gridObserved = -1;
  private phaseMoves = 0;
  /**
   * The last status's track tempo (before pitch) and pitch, to tell a change of
   * the track's own tempo; the pitch is meaningful only while the tempo is not
   * null. Two scalars rather than an object: they change with every packet.
   */
  private lastTrackBpm: number | null = null;
  private lastPitch = 1;
  /** The positions of the packet being observed, taken once (packetPositionsInto) and read by the bound, the checks, aging() and estimate(). */
  private readonly packetP: PacketPositions = emptyPacketPositions();
  /** Reused by aging(): read by the bounds within one call, never kept. */
  private readonly agingNow: { position: number; slack: number; resolution: number } = { position: 0, slack: 0, resolution: 0 };
  /** Reused by observe(): where a beat that came early proves the phase is, read by the bounds and dropped. */
  private readonly earliest: { lo: number; hi: number } = { lo: 0, hi: Infinity };
  /** Reused by observe(): the bound this packet proves, read by the checks and copied by the bounds (a landing hypothesis is a copy too). */
  private readonly bound: MutableConstraint = { lo: 0, hi: 0, at: 0, slackAt: 0, positionAt: 0, prior: false };
  private readonly positionSlot = new Float64Array(1);
  /** A tempo-track position or instant on its way into a field (predictBeatInto, measureUncertainty), written in place. */
  private readonly tempoSlot = new Float64Array(1);
  /** The phase from phaseRegion at tempo phaseBpm (updatePhase); phaseRegion is null after estimate() changed the region. */
  private phase = 0;
  /**
   * measureUncertainty()'s answer (ms), read at once by its caller: a number
   * returned from a call that is not inlined would be a new heap object for
   * every prediction; written into a field it is written in place.
   */
  private uncertainty = 0;
  private phaseRegion: Interval | null = null;
  private phaseBpm: number | null = null;
  /** Reused by predictBeat(): copied into the prediction it returns. */
  private readonly slot: PredictionSlot = emptySlot();
  /** Reused by trackTempoChange(): read by tempo.update() in the same observe(), never kept. */
  private readonly knownChange: { at: number; withinMs: number } = { at: 0, withinMs: 0 };

  /** `trackGrids`: the beat grid of the track a deck shows, where known: beats ahead are then placed on its own beat times (its tempo changes included). */
  constructor(
    options: Partial<EstimatorOptions> = {},
    private readonly trackGrids: TrackGrids | null = null,
  ) {
    this.options = { ...DEFAULT_ESTIMATOR_OPTIONS, ...options };
  }

  observe(o: BeatObservation): ObservationOutcome {
    this.observed++;
    if (!Number.isFinite(o.at) || (this.lastAt !== null && o.at < this.lastAt)) return 'ignored';
    const previousAt = this.lastAt;
    this.lastAt = o.at;
    this.lastBpm = isUsableBpm(o.effectiveBpm) ? o.effectiveBpm : null;
    const counter = validBeat(o.beat);
    // Another track has nothing to do with the last one's phase.
    if (o.trackId !== undefined) {
      if (this.track !== undefined && o.trackId !== this.track) this.resetPhase();
      this.track = o.trackId;
    }

    if (!o.playing) {
      this.playing = false;
      this.pausedBeat = counter;
      this.cuedBeat = o.cued === true ? counter : null;
      this.noteBar(counter, o.beatInBar);
      this.resetPhase();
      return 'paused';
    }
    const fromCue = this.playing ? null : this.cuedBeat;
    if (!this.playing) this.resetPhase();
    this.playing = true;
    this.cuedBeat = null;
    if (!isUsableBpm(o.effectiveBpm)) {
      this.resetPhase();
      return 'no-tempo';
    }
    const onBeat = this.trackTempoChange(o, previousAt);
    this.tempo.update(o.at, o.effectiveBpm, this.tempo.segments === 0 ? null : previousAt, onBeat);

    const packet = o.source === 'packet';
    const beat = packet && counter === null ? this.numberPacket(o.at, o.beatInBar) : counter;
    if (beat === null) return 'no-position';
    this.noteBar(beat, o.beatInBar);

    const positions = packetPositionsInto(this.packetP, this.tempo, this.options, o.at);
    const c = counterBoundInto(this.bound, this.tempo, positions, o.at, beat, packet);
    let outcome: ObservationOutcome = this.region === null ? 'anchored' : 'refined';
    const observed = this.current ?? this.region;
    if (this.region !== null && observed !== null && counter !== null && isJump(this.tempo, this.options, positions, o.at, beat, packet, observed)) {
      const landing = this.options.jumpsLandOnBeats && !packet && previousAt !== null ? landingBound(this.tempo, this.options, c, beat, previousAt) : null;
      this.takeJump(c, landing, this.region);
      outcome = 'jump';
    } else if (this.region === null && fromCue !== null && fromCue === beat && !packet && previousAt !== null) {
      // Played from the cue point, which this status shows it still in: it began on that beat since the last status.
      this.landing = landingBound(this.tempo, this.options, c, beat, previousAt);
    } else if (this.current !== null && c.lo > this.current.hi) {
      // The beat came earlier than the estimate allows, which no latency explains.
      const earliest = this.earliest;
      earliest.lo = c.lo;
      this.bounds.dropContradicted(earliest, this.aging());
      this.phaseMoves++;
      outcome = 'phase-moved';
    } else if (this.current !== null && c.hi < this.current.lo && this.noteLateConflict(c.at)) {
      // The beat came later than the estimate allows: late, or the phase moved back.
      outcome = 'phase-moved';
    }
    this.bounds.add(c);
    this.bounds.prune(o.at, this.aging(), this.options.maxAgeMs, USELESS_WIDTH_BEATS, this.options.maxConstraints);
    // Only knots before the oldest bound go: P at this packet (packetP) stays as it was taken.
    this.tempo.prune((this.bounds.oldestAt ?? o.at) - this.options.latencyMaxMs - this.options.lateToleranceMs);
    this.estimate();
    return outcome;
  }

  /**
   * A change of the track's own tempo (its track BPM moved, its pitch did not:
   * the beat grid's tempo changes there) happens on a beat. When exactly one
   * beat lies between the instants the previous status and this one can have
   * been sent, the change is put on that beat, to within the estimate's
   * uncertainty, instead of half-way between the two packets.
   */
  private trackTempoChange(o: BeatObservation, previousAt: number | null): KnownChange | null {
    const lastBpm = this.lastTrackBpm;
    const lastPitch = this.lastPitch;
    const trackBpm = o.trackBpm ?? null;
    const known = isUsableBpm(trackBpm) && isUsableBpm(o.effectiveBpm);
    this.lastTrackBpm = known ? trackBpm : null;
    if (known) this.lastPitch = o.effectiveBpm / trackBpm;
    const bpm = this.tempo.bpm;
    if (!known || lastBpm === null || previousAt === null || this.region === null || bpm === null || o.source === 'packet') return null;
    if (trackBpm === lastBpm || Math.abs(this.lastPitch / lastPitch - 1) > SAME_PITCH) return null;
    this.updatePhase(this.region);
    const phase = this.phase;
    const from = phase + this.tempo.position(previousAt - this.options.latencyMaxMs);
    const to = phase + this.tempo.position(o.at - this.options.latencyMinMs);
    const beat = Math.floor(to);
    if (beat <= from || beat - 1 > from) return null;
    const change = this.knownChange;
    this.measureUncertainty(o.at);
    change.withinMs = this.uncertainty + (this.options.latencyMaxMs - this.options.latencyMinMs);
    change.at = this.tempo.timeOf(beat - phase);
    return change;
  }

  /**
   * With the track's beat grid: when beat `n`, ahead of the last status, comes,
   * from where the deck was at that status (`phase`) and its pitch since,
   * through the grid's own beat times, so a tempo change of the track is where
   * the grid has it, before a status shows it. Null without a grid, for a beat
   * at or before that status, or when the grid's tempo there is not the one the
   * status gives (not this track's grid, or a counter that is not the grid's).
   */
  private gridTimeOf(n: number, phase: number): number | null {
    const grids = this.trackGrids;
    const trackBpm = this.lastTrackBpm;
    const t0 = this.lastAt;
    if (grids === null || trackBpm === null || t0 === null || this.track === undefined || this.track === null) return null;
    const grid = grids(this.track);
    if (grid === null || grid.length < 2) return null;
    const x0 = phase + this.tempo.position(t0);
    if (n <= x0) return null;
    const ms0 = timeAtPosition(grid, x0);
    const msN = timeAtPosition(grid, n);
    const beatMs = timeAtPosition(grid, Math.floor(x0) + 1);
    const startMs = timeAtPosition(grid, Math.floor(x0));
    if (ms0 === null || msN === null || beatMs === null || startMs === null || beatMs <= startMs) return null;
    const gridBpm = MS_PER_MINUTE / (beatMs - startMs);
    if (Math.abs(gridBpm / trackBpm - 1) > GRID_TEMPO_TOLERANCE) return null;
    return t0 + (msN - ms0) / this.lastPitch;
  }

  /** Fractional beat position at `t` (beat n at position n); null while paused or unknown. */
  positionAt(t: number): number | null {
    const out = this.positionSlot;
    return this.positionInto(t, out) ? (out[0] as number) : null;
  }

  /** positionAt(t), written into `out[0]` (for a caller that asks with every packet: a number that may be null is a new heap object each time); false (and `out` left as it was) where that is null. */
  positionInto(t: number, out: Float64Array): boolean {
    if (!this.playing || this.region === null || this.tempo.segments === 0) return false;
    this.updatePhase(this.region);
    this.tempo.positionInto(t, out, 0);
    out[0] = this.phase + (out[0] as number);
    return true;
  }

  predictBeat(n: number): BeatPrediction | null {
    const slot = this.slot;
    return this.predictBeatInto(n, slot) ? predictionOf(slot) : null;
  }

  /** predictBeat(n), written into `out`; false (and `out` left as it was) where that is null. */
  predictBeatInto(n: number, out: PredictionSlot): boolean {
    if (!Number.isInteger(n) || !this.playing || this.region === null || this.tempo.segments === 0) return false;
    this.updatePhase(this.region);
    const phase = this.phase;
    out.beat = n;
    out.beatInBar = beatInBar(n, this.bar);
    // Without track grids the instant comes straight off the tempo track and into the slot: no number that
    // may be null on the way, which would be a new heap object for every prediction.
    if (this.trackGrids === null) {
      const at = this.tempoSlot;
      this.tempo.timeOfInto(n - phase, at, 0);
      out.at = at[0] as number;
    } else out.at = this.gridTimeOf(n, phase) ?? this.tempo.timeOf(n - phase);
    this.measureUncertainty(out.at);
    out.uncertaintyMs = this.uncertainty;
    // Readings that disagree: the earliest phase of them all puts the beat latest.
    const spread = this.spread;
    if (!this.disagree || spread === null || spread === this.region || spread.lo >= this.region.lo) out.latestAt = null;
    else out.latestAt = this.gridTimeOf(n, spread.lo) ?? this.tempo.timeOf(n - spread.lo);
    return true;
  }

  /** The first beat strictly after `t`; null while paused or unknown. */
  nextBeatAfter(t: number): BeatPrediction | null {
    const p = this.positionAt(t);
    return p === null ? null : this.predictBeat(Math.floor(p) + 1);
  }

  /**
   * The grid at `at`. A playing deck's grid is extrapolated for up to coastMs
   * after the last observation, on the assumption that the deck plays on
   * unheard, flagged `coasting` after coastAfterMs; a paused deck's is kept
   * for staleAfterMs. After that, null.
   */
  grid(at: number): BeatGrid | null {
    if (this.lastAt === null || !this.hasGrid(at)) return null;
    if (this.gridObserved === this.observed && Object.is(this.gridAt, at)) return this.lastGrid;
    this.gridAt = at;
    this.gridObserved = this.observed;
    return (this.lastGrid = this.buildGrid(at, this.lastAt));
  }

  /** The grid at `at`, built afresh (`lastAt`: the last observation's arrival). */
  private buildGrid(at: number, lastAt: number): BeatGrid {
    const silentFor = at - lastAt;
    if (!this.playing) {
      return { at, playing: false, position: this.pausedBeat, bpm: this.lastBpm, barOffset: this.bar, uncertaintyMs: null };
    }
    const position = this.positionAt(at);
    const bpm = this.tempo.bpm ?? this.lastBpm;
    let uncertaintyMs: number | null = null;
    if (position !== null) {
      this.measureUncertainty(at);
      uncertaintyMs = this.uncertainty;
    }
    // Two literals rather than a spread of `{ coasting: true }`: this runs several times per packet.
    return silentFor > this.options.coastAfterMs
      ? { at, playing: true, position, bpm, barOffset: this.bar, uncertaintyMs, coasting: true }
      : { at, playing: true, position, bpm, barOffset: this.bar, uncertaintyMs };
  }

  /** Whether grid(at) is not null, without building it. */
  hasGrid(at: number): boolean {
    if (this.lastAt === null) return false;
    const silentFor = at - this.lastAt;
    return !(silentFor > this.options.staleAfterMs && !(this.playing && silentFor <= this.options.coastMs));
  }

  /** grid(at)'s tempo while it says the deck plays; null when there is no grid, the deck is paused or the tempo is unknown. Without building the grid. */
  playingBpmAt(at: number): number | null {
    if (!this.playing || !this.hasGrid(at)) return null;
    return this.tempo.bpm ?? this.lastBpm;
  }

  /** Whether grid(at) says `coasting`, without building it. */
  coastingAt(at: number): boolean {
    return this.playing && this.lastAt !== null && this.hasGrid(at) && at - this.lastAt > this.options.coastAfterMs;
  }

  get bpm(): number | null {
    return this.playing ? this.tempo.bpm : this.lastBpm;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  /** Beats n with n ≡ barOffset (mod 4) are downbeats; null when unknown. */
  get barOffset(): number | null {
    return this.bar;
  }

  get stats(): EstimatorStats {
    return { constraints: this.bounds.size, jumps: this.jumps, phaseMoves: this.phaseMoves, tempoSegments: this.tempo.segments };
  }

  /** The bookkeeping's state at the arrival of the packet being observed, in a reused object: callers hand it to the bounds and drop it. */
  private aging(): Aging {
    const aging = this.agingNow;
    aging.position = this.packetP.arrival;
    aging.slack = this.tempo.slackBeats;
    aging.resolution = this.options.tempoResolution;
    return aging;
  }

  /**
   * The phase taken from the agreed region: its middle, or with 'latest' its
   * lower end, the latest beat time the observations allow. That end is set
   * by the least-delayed beat packet, so on a LAN it sits within the minimum
   * network delay of the true beat, while the middle lies half the unused
   * latency allowance early.
   *
   * The middle is taken as if packets had the usual delay (latencyTypicalMs):
   * each status bounds the phase from below with its delay taken as the
   * least possible and from above with it taken as the greatest, so the
   * region's upper end lies the unused allowance past the usual packets'
   * bound, and its plain middle half of that early (2.25 ms with the
   * defaults).
   *
   * Written into the field `phase` rather than returned: it is asked for
   * several times per packet and per beat, always of the same region at the
   * same tempo, so it is taken once (updatePhase) and then read from the
   * field by the callers (a number a method returns is boxed each time, where
   * the optimiser does not inline the call).
   */
  private takePhase(region: Interval, bpm: number | null): void {
    if (this.options.phaseAnchor === 'latest') {
      this.phase = region.lo;
      return;
    }
    const { latencyMinMs, latencyMaxMs, latencyTypicalMs } = this.options;
    const lagMs = (latencyMinMs + latencyMaxMs) / 2 - latencyTypicalMs;
    this.phase = bpm === null || lagMs === 0 ? midpoint(region) : Math.max(region.lo, Math.min(region.hi, midpoint(region) - (lagMs * bpm) / MS_PER_MINUTE));
  }

  /** Puts the phase from `region` at the tempo now in the field `phase` (takePhase), unless it is there already. */
  private updatePhase(region: Interval): void {
    const bpm = this.tempo.bpm;
    if (region === this.phaseRegion && bpm === this.phaseBpm) return;
    this.phaseRegion = region;
    this.phaseBpm = bpm;
    this.takePhase(region, bpm);
  }

  /**
   * How far the true beat may lie from the predicted one: half the region the
   * phase lies in, plus how far the estimate sits off its middle (while jump
   * hypotheses disagree), plus the tempo error accumulated since (ms, into
   * `uncertainty`; Infinity while there is no phase or tempo).
   */
  private measureUncertainty(t: number): void {
    const bpm = this.tempo.bpm;
    if (this.region === null || bpm === null) {
      this.uncertainty = Infinity;
      return;
    }
    const spread = this.spread ?? this.region;
    this.updatePhase(this.region);
    const at = this.tempoSlot;
    this.tempo.positionInto(t, at, 0);
    const beats =
      (spread.hi - spread.lo) / 2 +
      Math.abs(this.phase - midpoint(spread)) +
      this.options.tempoResolution * Math.abs((at[0] as number) - this.regionP);
    this.uncertainty = (beats * MS_PER_MINUTE) / bpm;
  }

  private resetPhase(): void {
    this.bounds.clear();
    this.current = this.region = this.spread = null;
    this.disagree = false;
    this.landing = null;
    this.lateCount = 0;
    this.tempo.reset();
  }

  private noteBar(beat: number | null, inBar: number | null): void {
    const offset = barOffsetOf(beat, inBar);
    if (offset !== null) this.bar = offset;
  }

  /**
   * The deck's place in the beat may have moved before `at` without a counter
   * jump (a roll let go: the deck plays on from inside the roll's loop):
   * what the observations before `at` said of the phase no longer holds. The
   * estimate starts again from those at or after it.
   */
  forgetPhaseBefore(at: number): void {
    this.bounds.forgetBefore(at);
    this.landing = null;
    this.lateCount = 0;
    this.estimate();
  }

  /**
   * What another source knows of this deck's beats: a beat of it came at
   * `beatAt`, to within `withinMs` (Beat Sync: the deck is on the master's
   * beat, and the master's grid says when that one came). Taken as one more
   * bound, learned now, on the beat the estimate puts there; not taken while
   * the deck does not play, before the estimate has a region, or where the
   * region allows two beats there (or none). Returns whether it was taken.
   */
  observeBeatAt(beatAt: number, withinMs: number): boolean {
    const region = this.region;
    const at = this.lastAt;
    if (!this.playing || region === null || at === null || this.tempo.empty || !(withinMs >= 0) || !Number.isFinite(beatAt)) return false;
    const early = this.tempo.position(beatAt - withinMs);
    const late = this.tempo.position(beatAt + withinMs);
    // The beat numbers n whose bound [n − late, n − early] meets the region: exactly one, or none taken.
    const first = Math.ceil(region.lo + early);
    if (first !== Math.floor(region.hi + late)) return false;
    const c = this.bound;
    c.lo = first - late;
    c.hi = first - early;
    c.at = at;
    c.slackAt = this.tempo.slackBeats;
    c.positionAt = this.tempo.position(at);
    c.prior = false;
    this.bounds.add(c);
    this.bounds.prune(at, this.aging(), this.options.maxAgeMs, USELESS_WIDTH_BEATS, this.options.maxConstraints);
    this.estimate();
    return true;
  }

  /** A beat packet carries no counter: number it from the estimate, else as if in bar 1. */
  private numberPacket(at: number, inBar: number | null): number {
    if (this.region !== null) {
      const lag = (this.options.latencyMinMs + this.options.latencyMaxMs) / 2;
      this.updatePhase(this.region);
      return Math.round(this.phase + this.tempo.position(at - lag));
    }
    return inBar !== null && inBar >= 1 && inBar <= 4 ? inBar : 1;
  }

  /**
   * A jump: the old bounds are shifted by the whole beats jumped and held as
   * the hypothesis that it kept the phase (or dropped), next to the one that
   * it landed on a beat. Of the shifts `c` allows, one the landing agrees
   * with is taken.
   */
  private takeJump(c: Interval, landing: PhaseConstraint | null, region: Interval): void {
    this.jumps++;
    const k = jumpShift(c, region, landing);
    if (this.options.quantizedJumps) this.bounds.shift(k);
    else this.bounds.clear();
    this.landing = landing;
    this.current = null;
  }

  /**
   * An upper bound learned at `at` fell below the estimate: from a late
   * packet, or from the phase having moved back. The third within
   * recentWindowMs is taken for a move: the bounds learned before the first
   * of them are dropped. (The caller compares: nearly every packet agrees,
   * and the comparison made here, in a call of its own, boxed both numbers
   * for every packet.)
   */
  private noteLateConflict(at: number): boolean {
    // Compacted in place: the ones older than the window go.
    const times = this.lateConflicts;
    let kept = 0;
    for (let i = 0; i < this.lateCount; i++) {
      const t = times[i] as number;
      if (at - t <= this.options.recentWindowMs) times[kept++] = t;
    }
    times[kept] = at;
    this.lateCount = kept + 1;
    if (this.lateCount < LATE_CONFLICTS_FOR_MOVE) return false;
    this.bounds.forgetBefore(times[0] as number);
    this.lateCount = 0;
    this.phaseMoves++;
    return true;
  }

  /**
   * The region from the bounds, narrowed by the jump hypotheses that the
   * observations since the jump do not contradict (a contradicted one is
   * dropped). Two that disagree: the preferred one, with `spread` over both.
   * At the arrival of the packet being observed.
   */
  private estimate(): void {
    const aging = this.aging();
    const agreed = this.agreed;
    this.bounds.estimateInto(aging, agreed);
    const current = agreed.hasCurrent ? agreed.current : null;
    const held = agreed.hasHeld ? agreed.held : null;
    const landing = this.landing;
    const landed = landing !== null && current !== null && intersectInto(this.landedSlot, widenedInto(this.landedSlot, landing, aging), current) ? this.landedSlot : null;
    if (landed === null) this.landing = null;
    this.current = current;
    this.region = this.spread = held ?? current;
    this.disagree = false;
    if (held !== null && landed !== null) {
      const both = intersectInto(this.bothSlot, held, landed) ? this.bothSlot : null;
      this.region = both ?? (this.options.preferredJumpHypothesis === 'landed' ? landed : held);
      this.disagree = both === null;
      // Overlapping readings are a quantized jump onto a beat (the overlap, exact at once), or a jump that landed
      // on a beat somewhere else in the landing's span: the uncertainty covers both until an observation decides.
      const hull = this.hullSlot;
      hull.lo = Math.min(held.lo, landed.lo);
      hull.hi = Math.max(held.hi, landed.hi);
      this.spread = hull;
    } else if (landed !== null) {
      this.region = this.spread = landed;
    }
    this.regionP = this.packetP.arrival;
    // The region's numbers changed, perhaps in the same object: the phase is taken afresh.
    this.phaseRegion = null;
  }
}

/** A counter value that names a beat: a positive integer (0 = parked before beat 1, §3.1). */
function validBeat(beat: number | null): number | null {
  return beat !== null && Number.isInteger(beat) && beat >= 1 ? beat : null;
}
