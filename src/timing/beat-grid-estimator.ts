/**
 * Beat-phase estimation from coarse status packets (protocol doc §3, §10).
 *
 * The OPUS-QUAD sends no beat packets (§4); its status packets arrive about
 * every 200 ms, unaligned to the music, each carrying the beat counter (0xa0),
 * beat-in-bar (0xa6) and the effective tempo (§3.4). A packet generated at
 * `g` showing counter `n` says beat `n` had happened by `g` and beat `n + 1`
 * had not. With the integrated tempo P(t) (tempo-track.ts), the deck's
 * position is `c + P(t)` for one unknown constant `c`, and each packet bounds
 * `c` to an interval about one beat wide. Packets land at all phases of the
 * beat, so the agreed region narrows to a few milliseconds within a few bars.
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
 * - A counter other than the one the estimate allows is a jump (cue, loop,
 *   beat jump). With `quantizedJumps`, the old intervals are shifted by the
 *   whole number of beats jumped and kept as a hypothesis ("the jump kept the
 *   phase", true for quantized cues and loops) that is dropped the moment a
 *   new observation contradicts it; otherwise the estimate restarts.
 * - The phase moved without a counter jump (a jog nudge): an observation
 *   proving a beat came earlier than the estimate allows (no latency explains
 *   that) drops the upper bounds it contradicts at once; one saying it came
 *   later may just be late, so the third within `recentWindowMs` drops the
 *   bounds learned before the first. A nudge of d ms shows only in packets
 *   landing within d of a beat, so small nudges take several seconds to heal.
 * - Paused: no beats are predicted; on play the estimate restarts.
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
  isUsableBpm,
  MS_PER_MINUTE,
} from './beat-grid';
import type { BeatObservation, ObservationOutcome } from './beat-observation';
import { DEFAULT_ESTIMATOR_OPTIONS, type EstimatorOptions, type EstimatorStats } from './estimator-options';
import { Aging, ConstraintSet, PhaseConstraint } from './phase-constraints';
import { Interval, midpoint } from './phase-intervals';
import { TempoTrack } from './tempo-track';

export type { BeatObservation, ObservationOutcome, ObservationSource } from './beat-observation';
export { DEFAULT_ESTIMATOR_OPTIONS, type EstimatorOptions, type EstimatorStats } from './estimator-options';

const LATE_CONFLICTS_FOR_MOVE = 3;
/** Bounds widened beyond this many beats say nothing any more. */
const USELESS_WIDTH_BEATS = 2.5;

export class BeatGridEstimator implements BeatGridSource {
  private readonly options: EstimatorOptions;
  private readonly tempo = new TempoTrack();
  private readonly bounds = new ConstraintSet();
  /** Agreed region of the post-jump bounds, and the estimate (with priors while they agree). */
  private current: Interval | null = null;
  private region: Interval | null = null;
  private regionP = 0;
  /** Recent observations whose upper bound fell below the estimate. */
  private lateConflicts: PhaseConstraint[] = [];
  private playing = false;
  private lastAt: number | null = null;
  private lastBpm: number | null = null;
  private pausedBeat: number | null = null;
  private barOffset: number | null = null;
  private jumps = 0;
  private phaseMoves = 0;

  constructor(options: Partial<EstimatorOptions> = {}) {
    this.options = { ...DEFAULT_ESTIMATOR_OPTIONS, ...options };
  }

  observe(o: BeatObservation): ObservationOutcome {
    if (!Number.isFinite(o.at) || (this.lastAt !== null && o.at < this.lastAt)) return 'ignored';
    const previousAt = this.lastAt;
    this.lastAt = o.at;
    this.lastBpm = isUsableBpm(o.effectiveBpm) ? o.effectiveBpm : null;
    const counter = validBeat(o.beat);

    if (!o.playing) {
      this.playing = false;
      this.pausedBeat = counter;
      this.noteBar(counter, o.beatInBar);
      this.resetPhase();
      return 'paused';
    }
    if (!this.playing) this.resetPhase();
    this.playing = true;
    if (!isUsableBpm(o.effectiveBpm)) {
      this.resetPhase();
      return 'no-tempo';
    }
    this.tempo.update(o.at, o.effectiveBpm, this.tempo.segments === 0 ? null : previousAt);

    const packet = o.source === 'packet';
    const beat = packet && counter === null ? this.numberPacket(o.at, o.beatInBar) : counter;
    if (beat === null) return 'no-position';
    this.noteBar(beat, o.beatInBar);

    const c = this.constraintFor(o.at, beat, packet);
    let outcome: ObservationOutcome = this.region === null ? 'anchored' : 'refined';
    if (this.region !== null && counter !== null && this.isJump(o.at, beat, packet, this.region)) {
      this.shiftForJump(c, this.region);
      outcome = 'jump';
    } else if (this.current !== null && c.lo > this.current.hi) {
      // The beat came earlier than the estimate allows, which no latency explains.
      this.bounds.dropContradicted({ lo: c.lo, hi: Infinity }, this.aging(o.at));
      this.phaseMoves++;
      outcome = 'phase-moved';
    } else if (this.current !== null && this.noteLateConflict(c, this.current)) {
      outcome = 'phase-moved';
    }
    this.bounds.add(c);
    this.bounds.prune(o.at, this.aging(o.at), this.options.maxAgeMs, USELESS_WIDTH_BEATS, this.options.maxConstraints);
    this.tempo.prune((this.bounds.oldestAt ?? o.at) - this.options.latencyMaxMs - this.options.lateToleranceMs);
    this.estimate(o.at);
    return outcome;
  }

  /** Fractional beat position at `t` (beat n at position n); null while paused or unknown. */
  positionAt(t: number): number | null {
    if (!this.playing || this.region === null || this.tempo.segments === 0) return null;
    return this.phaseOf(this.region) + this.tempo.position(t);
  }

  predictBeat(n: number): BeatPrediction | null {
    if (!Number.isInteger(n) || !this.playing || this.region === null || this.tempo.segments === 0) return null;
    const at = this.tempo.timeOf(n - this.phaseOf(this.region));
    return { beat: n, beatInBar: beatInBar(n, this.barOffset), at, uncertaintyMs: this.uncertaintyMsAt(at) };
  }

  /** The first beat strictly after `t`; null while paused or unknown. */
  nextBeatAfter(t: number): BeatPrediction | null {
    const p = this.positionAt(t);
    return p === null ? null : this.predictBeat(Math.floor(p) + 1);
  }

  grid(at: number): BeatGrid | null {
    if (this.lastAt === null || at - this.lastAt > this.options.staleAfterMs) return null;
    if (!this.playing) {
      return { at, playing: false, position: this.pausedBeat, bpm: this.lastBpm, barOffset: this.barOffset, uncertaintyMs: null };
    }
    const position = this.positionAt(at);
    return {
      at,
      playing: true,
      position,
      bpm: this.tempo.bpm ?? this.lastBpm,
      barOffset: this.barOffset,
      uncertaintyMs: position === null ? null : this.uncertaintyMsAt(at),
    };
  }

  get bpm(): number | null {
    return this.playing ? this.tempo.bpm : this.lastBpm;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  get stats(): EstimatorStats {
    return { constraints: this.bounds.size, jumps: this.jumps, phaseMoves: this.phaseMoves, tempoSegments: this.tempo.segments };
  }

  private aging(now: number): Aging {
    return { position: this.tempo.position(now), slack: this.tempo.slackBeats, resolution: this.options.tempoResolution };
  }

  /**
   * The phase taken from the agreed region: its middle, or with 'latest' its
   * lower end, the latest beat time the observations allow. That end is set
   * by the least-delayed beat packet, so on a LAN it sits within the minimum
   * network delay of the true beat, while the middle lies half the unused
   * latency allowance early.
   */
  private phaseOf(region: Interval): number {
    return this.options.phaseAnchor === 'latest' ? region.lo : midpoint(region);
  }

  private uncertaintyMsAt(t: number): number {
    const bpm = this.tempo.bpm;
    if (this.region === null || bpm === null) return Infinity;
    const beats =
      (this.region.hi - this.region.lo) / 2 +
      this.options.tempoResolution * Math.abs(this.tempo.position(t) - this.regionP);
    return (beats * MS_PER_MINUTE) / bpm;
  }

  private resetPhase(): void {
    this.bounds.clear();
    this.current = this.region = null;
    this.lateConflicts = [];
    this.tempo.reset();
  }

  private noteBar(beat: number | null, inBar: number | null): void {
    const offset = barOffsetOf(beat, inBar);
    if (offset !== null) this.barOffset = offset;
  }

  /** A beat packet carries no counter: number it from the estimate, else as if in bar 1. */
  private numberPacket(at: number, inBar: number | null): number {
    if (this.region !== null) {
      const lag = (this.options.latencyMinMs + this.options.latencyMaxMs) / 2;
      return Math.round(this.phaseOf(this.region) + this.tempo.position(at - lag));
    }
    return inBar !== null && inBar >= 1 && inBar <= 4 ? inBar : 1;
  }

  private constraintFor(at: number, beat: number, packet: boolean): PhaseConstraint {
    const earliest = this.tempo.position(at - this.options.latencyMaxMs);
    const latest = this.tempo.position(at - this.options.latencyMinMs);
    return {
      lo: beat - latest,
      hi: packet ? beat - earliest : beat + 1 - earliest,
      at,
      slackAt: this.tempo.slackBeats,
      positionAt: this.tempo.position(at),
      prior: false,
    };
  }

  /**
   * Whether counter `beat` is impossible for the current estimate. A counter one
   * behind is lateness, not a jump, when a packet up to lateToleranceMs late
   * explains it; its upper bound, below the proven lower one, is then ignored.
   */
  private isJump(at: number, beat: number, packet: boolean, region: Interval): boolean {
    const { latencyMinMs, latencyMaxMs, lateToleranceMs, jumpMarginMs } = this.options;
    const margin = (jumpMarginMs * (this.tempo.bpm ?? 0)) / MS_PER_MINUTE;
    const toCounter = packet ? Math.round : Math.floor;
    const lo = toCounter(region.lo + this.tempo.position(at - latencyMaxMs) - margin);
    const hi = toCounter(region.hi + this.tempo.position(at - latencyMinMs) + margin);
    if (beat >= lo && beat <= hi) return false;
    if (beat !== lo - 1) return true;
    return beat < toCounter(region.lo + this.tempo.position(at - latencyMaxMs - lateToleranceMs));
  }

  /** Shifts the bounds by the whole beats jumped (the shift that best fits `c`) and holds them as a hypothesis. */
  private shiftForJump(c: Interval, region: Interval): void {
    this.jumps++;
    let k = Math.round(midpoint(c) - midpoint(region));
    let overlap = -Infinity;
    for (let j = Math.ceil(c.lo - region.hi); j <= Math.floor(c.hi - region.lo); j++) {
      const o = Math.min(c.hi, region.hi + j) - Math.max(c.lo, region.lo + j);
      if (o > overlap) {
        overlap = o;
        k = j;
      }
    }
    if (this.options.quantizedJumps) {
      this.bounds.shift(k);
      this.region = { lo: region.lo + k, hi: region.hi + k };
    } else {
      this.bounds.clear();
      this.region = null;
    }
    this.current = null;
  }

  /**
   * Upper bounds below the estimate come from late packets, or from the phase
   * having moved back. The third within recentWindowMs is taken for a move:
   * the bounds learned before the first of them are dropped.
   */
  private noteLateConflict(c: PhaseConstraint, current: Interval): boolean {
    if (c.hi >= current.lo) return false;
    this.lateConflicts = this.lateConflicts.filter((x) => c.at - x.at <= this.options.recentWindowMs);
    this.lateConflicts.push(c);
    const first = this.lateConflicts[0] as PhaseConstraint;
    if (this.lateConflicts.length < LATE_CONFLICTS_FOR_MOVE) return false;
    this.bounds.forgetBefore(first.at);
    this.lateConflicts = [];
    this.phaseMoves++;
    return true;
  }

  private estimate(now: number): void {
    const { current, region } = this.bounds.estimate(this.aging(now));
    this.current = current;
    this.region = region;
    this.regionP = this.tempo.position(now);
  }
}

/** A counter value that names a beat: a positive integer (0 = parked before beat 1, §3.1). */
function validBeat(beat: number | null): number | null {
  return beat !== null && Number.isInteger(beat) && beat >= 1 ? beat : null;
}
