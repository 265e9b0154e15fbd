import { BeatGridEstimator, BeatObservation } from '../../src/timing/beat-grid-estimator';
import { SimDeck } from '../../src/timing/sim/sim-deck';

export interface ReplayResult {
  /** Predicted minus true beat time (ms), for each true beat measured. */
  readonly errors: number[];
  /** Beats whose true time lay inside the predicted ± uncertainty. */
  readonly covered: number;
  /** Beats with no prediction at all. */
  readonly missing: number;
}

/**
 * Feeds `observations` to `estimator` in arrival order and, for every true beat
 * the deck plays in [from, to), compares the prediction made just before the
 * beat (from everything that had arrived by then) with the truth.
 */
export function replay(
  estimator: BeatGridEstimator,
  deck: SimDeck,
  observations: readonly BeatObservation[],
  from: number,
  to: number,
): ReplayResult {
  const errors: number[] = [];
  let covered = 0;
  let missing = 0;
  let i = 0;
  for (let beat = deck.nextBeatAfter(from); beat !== null && beat.at < to; beat = deck.nextBeatAfter(beat.at)) {
    while (i < observations.length && (observations[i] as BeatObservation).at < beat.at) {
      estimator.observe(observations[i] as BeatObservation);
      i++;
    }
    const predicted = estimator.predictBeat(beat.beat);
    if (predicted === null) {
      missing++;
      continue;
    }
    const error = predicted.at - beat.at;
    errors.push(error);
    if (Math.abs(error) <= predicted.uncertaintyMs + 1e-9) covered++;
  }
  return { errors, covered, missing };
}

export function feedUntil(estimator: BeatGridEstimator, observations: readonly BeatObservation[], until: number): void {
  for (const o of observations) if (o.at < until) estimator.observe(o);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const abs = (values: readonly number[]): number[] => values.map((v) => Math.abs(v));
