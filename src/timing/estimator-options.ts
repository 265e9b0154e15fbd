/**
 * Tuning of the beat-phase estimator (beat-grid-estimator.ts). The defaults
 * suit a wired LAN and a receive timestamp taken on an event loop that is not
 * blocked for long; raise latencyMaxMs when it is.
 */
export interface EstimatorOptions {
  /** Least possible delay from generation to `at` (ms). */
  readonly latencyMinMs: number;
  /** Greatest usual delay from generation to `at` (ms); a later packet can only narrow the estimate wrongly, never empty it. */
  readonly latencyMaxMs: number;
  /**
   * The usual delay from generation to `at` on a LAN (ms). The bounds allow
   * for anything from latencyMinMs to latencyMaxMs, so the region of possible
   * phases reaches latencyMaxMs − latencyTypicalMs past where packets with the
   * usual delay put it; the 'middle' estimate is moved back by that half
   * (and stays within the region), else beats fire that much early.
   */
  readonly latencyTypicalMs: number;
  /** How late a packet may be for a counter one behind to count as lateness, not a jump (ms). */
  readonly lateToleranceMs: number;
  /** Slack on both sides of the expected counter before a different one counts as a jump (ms). */
  readonly jumpMarginMs: number;
  /** Relative tempo error to allow for (BPM resolution, §3.4); bounds widen by this per beat. */
  readonly tempoResolution: number;
  readonly maxAgeMs: number;
  readonly maxConstraints: number;
  /** After a jump, assume it kept the phase until contradicted (see beat-grid-estimator.ts). */
  readonly quantizedJumps: boolean;
  /** After a jump, assume it landed on a beat at the instant it happened until contradicted (counter-bounds.ts). */
  readonly jumpsLandOnBeats: boolean;
  /** Which of the two the estimate follows while they disagree (its uncertainty covers both). */
  readonly preferredJumpHypothesis: 'kept' | 'landed';
  /** Three upper bounds below the estimate within this span are taken for a phase move (ms). */
  readonly recentWindowMs: number;
  /** After this long without an observation the deck counts as unheard (ms): a paused deck's grid is then null. */
  readonly staleAfterMs: number;
  /** A playing deck's grid says it is `coasting` once no observation has arrived for this long (ms: five status periods). */
  readonly coastAfterMs: number;
  /**
   * How long a playing deck's grid is extrapolated without observations (ms):
   * through a network outage the deck is assumed to play on. After that
   * `grid()` answers null.
   */
  readonly coastMs: number;
  /**
   * Where in the interval of possible phases the estimate sits: 'middle' when
   * status packets alone bound it (OPUS-QUAD), 'latest' when real beat
   * packets do (their least-delayed arrival marks the beat).
   */
  readonly phaseAnchor: 'middle' | 'latest';
}

export const DEFAULT_ESTIMATOR_OPTIONS: EstimatorOptions = {
  latencyMinMs: 0,
  latencyMaxMs: 5,
  latencyTypicalMs: 0.5,
  lateToleranceMs: 150,
  jumpMarginMs: 25,
  tempoResolution: 1e-4,
  maxAgeMs: 30_000,
  maxConstraints: 160,
  quantizedJumps: true,
  jumpsLandOnBeats: true,
  preferredJumpHypothesis: 'kept',
  recentWindowMs: 8_000,
  staleAfterMs: 2_000,
  coastAfterMs: 1_000,
  coastMs: 20_000,
  phaseAnchor: 'middle',
};

export interface EstimatorStats {
  readonly constraints: number;
  readonly jumps: number;
  readonly phaseMoves: number;
  readonly tempoSegments: number;
}
