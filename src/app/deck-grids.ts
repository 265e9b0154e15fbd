/**
 * The beat grid of every deck, for the MIDI clock and timecode to follow.
 * OPUS-QUAD decks already have an estimator in the beat stream (adopted
 * here); other decks get one fed with their status and their real beat
 * packets. A beat packet cannot arrive before its beat, so the phase sits at
 * the latest instant the packets allow (the least-delayed one marks the
 * beat, within the LAN's minimum delay), and the allowance for late packets
 * is wide, so one a busy bridge read late cannot pull the phase.
 */
import { BeatGridEstimator, type EstimatorOptions } from '../timing/beat-grid-estimator';
import type { BeatGrid } from '../timing/beat-grid';
import type { DeckState } from '../events/deck-state';
import type { BeatEvent } from '../events/bridge-event';

const REAL_BEAT_ESTIMATOR: Partial<EstimatorOptions> = { phaseAnchor: 'latest', latencyMaxMs: 20 };

export class DeckGrids {
  private readonly estimators = new Map<number, BeatGridEstimator>();
  private readonly adopted = new Set<number>();

  /** Uses the beat stream's own estimator for this deck. */
  adopt(deck: number, estimator: BeatGridEstimator): void {
    this.estimators.set(deck, estimator);
    this.adopted.add(deck);
  }

  observeStatus(state: DeckState): void {
    if (state.deviceName === 'OPUS-QUAD' || this.adopted.has(state.deck)) return;
    this.own(state.deck).observe({ at: state.updatedAt, beat: state.beat, beatInBar: state.beatInBar, effectiveBpm: state.effectiveBpm, playing: state.playing });
  }

  observeBeat(beat: BeatEvent): void {
    if (beat.estimated || this.adopted.has(beat.deck)) return;
    this.own(beat.deck).observe({ at: beat.at, beat: beat.beat, beatInBar: beat.beatInBar, effectiveBpm: beat.effectiveBpm, playing: true, source: 'packet' });
  }

  grid(deck: number | null, at: number): BeatGrid | null {
    return deck === null ? null : (this.estimators.get(deck)?.grid(at) ?? null);
  }

  private own(deck: number): BeatGridEstimator {
    let estimator = this.estimators.get(deck);
    if (estimator === undefined) {
      estimator = new BeatGridEstimator(REAL_BEAT_ESTIMATOR);
      this.estimators.set(deck, estimator);
    }
    return estimator;
  }
}
