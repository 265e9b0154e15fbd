/**
 * The shared vocabulary of the timing layer: a deck's beat grid as seen at one
 * instant, and predictions of single beats.
 *
 * Positions are measured in beats on the deck's own beat counter (status byte
 * 0xa0, protocol doc §3.1): beat `n` happens when the position reaches exactly
 * `n`, so position 37.5 is half-way between beats 37 and 38. Times are
 * milliseconds on one monotonic clock, supplied from outside.
 */

/** Every rekordbox grid is 4/4 (Bb counts 1–4, §3.1 and §4). */
export const BEATS_PER_BAR = 4;

export const MS_PER_MINUTE = 60_000;

/** A grid linearised at `at`: enough for a consumer to extrapolate at the current tempo. */
export interface BeatGrid {
  /** The instant this view describes (ms). */
  readonly at: number;
  /** False while the deck is paused or cued; no beats happen then. */
  readonly playing: boolean;
  /** Fractional beat position at `at`; null when the position is unknown. */
  readonly position: number | null;
  /** Effective tempo (track BPM × pitch, §3.4 / §10); null when unknown. */
  readonly bpm: number | null;
  /** Beats `n` with `n ≡ barOffset (mod 4)` are downbeats; null when unknown. */
  readonly barOffset: number | null;
  /** Half-width of the interval the true beat phase lies in (ms); null when no phase is known. */
  readonly uncertaintyMs: number | null;
  /** True when extrapolated past the deck's last packet for longer than it normally goes unheard (an outage). */
  readonly coasting?: boolean;
}

/** Anything a clock can follow: an estimator, a real-beat tracker, a simulated deck. */
export interface BeatGridSource {
  /** The grid as seen at `at`, or null when the source knows nothing (no deck, master lost). */
  grid(at: number): BeatGrid | null;
}

export interface BeatPrediction {
  /** Beat counter value of the predicted beat. */
  readonly beat: number;
  /** 1–4, or null when the bar phase is unknown. */
  readonly beatInBar: number | null;
  /** Predicted time of the beat (ms). */
  readonly at: number;
  /** Half-width of the interval the true beat time lies in (ms). */
  readonly uncertaintyMs: number;
  /**
   * While two readings of a jump disagree (it kept the phase, or it landed on
   * a beat), the instant of the beat under the reading that puts it latest;
   * absent when the readings agree.
   */
  readonly latestAt?: number;
}

/**
 * A BeatPrediction written in place, for a caller that predicts with every
 * packet into objects of its own (predictBeatInto); `latestAt` null where a
 * BeatPrediction has none.
 */
export interface PredictionSlot {
  beat: number;
  beatInBar: number | null;
  at: number;
  uncertaintyMs: number;
  latestAt: number | null;
}

export function emptySlot(): PredictionSlot {
  return { beat: 0, beatInBar: null, at: 0, uncertaintyMs: 0, latestAt: null };
}

/** The slot's prediction as a BeatPrediction of its own. */
export function predictionOf(slot: PredictionSlot): BeatPrediction {
  const p = { beat: slot.beat, beatInBar: slot.beatInBar, at: slot.at, uncertaintyMs: slot.uncertaintyMs };
  return slot.latestAt === null ? p : { ...p, latestAt: slot.latestAt };
}

/** Euclidean modulo: always in [0, m). */
export function mod(value: number, m: number): number {
  const r = value % m;
  return r < 0 ? r + m : r;
}

export function beatPeriodMs(bpm: number): number {
  return MS_PER_MINUTE / bpm;
}

export function isUsableBpm(bpm: number | null): bpm is number {
  return bpm !== null && Number.isFinite(bpm) && bpm > 0;
}

/** 1–4 for beat `beat`, given the grid's bar offset; null when the bar phase is unknown. */
export function beatInBar(beat: number, barOffset: number | null): number | null {
  if (barOffset === null) return null;
  return mod(beat - barOffset, BEATS_PER_BAR) + 1;
}

/** The bar offset implied by "beat `beat` is beat `inBar` (1–4) of its bar", or null if either is unknown. */
export function barOffsetOf(beat: number | null, inBar: number | null): number | null {
  if (beat === null || inBar === null || !Number.isInteger(beat) || beat < 1) return null;
  if (!Number.isInteger(inBar) || inBar < 1 || inBar > BEATS_PER_BAR) return null;
  return mod(beat - (inBar - 1), BEATS_PER_BAR);
}

/** Position at time `t`, extrapolated at the grid's tempo; null when unknown. */
export function gridPositionAt(grid: BeatGrid, t: number): number | null {
  if (grid.position === null) return null;
  if (!grid.playing) return grid.position;
  if (!isUsableBpm(grid.bpm)) return null;
  return grid.position + ((t - grid.at) * grid.bpm) / MS_PER_MINUTE;
}

/** When the grid reaches `position`, extrapolated at its tempo; null when unknown or not moving. */
export function gridTimeOf(grid: BeatGrid, position: number): number | null {
  if (grid.position === null || !grid.playing || !isUsableBpm(grid.bpm)) return null;
  return grid.at + ((position - grid.position) * MS_PER_MINUTE) / grid.bpm;
}
