/**
 * How far the MIDI clock may stretch or shrink one pulse interval to bring
 * its pulses back onto the followed grid (the phase controller of
 * midi-clock.ts). Pure: no clock, no port.
 *
 * Small errors (the normal case: estimate refinements, a tempo step placed a
 * few milliseconds off, lateness of a pulse) are corrected at once when that
 * fits within ±maxNudge (2 %) of the nominal interval, otherwise by ±maxNudge
 * per pulse. The tempo itself is fed forward: the nominal interval is always
 * the source's current tempo, so a tempo step changes the interval at once and
 * only the phase is corrected here.
 *
 * Large errors that the source made (over fastAboveBeats: a master hand-off
 * between decks a little apart, an estimate that moved, a phase nudge) are
 * corrected proportionally: each pulse removes 1/fastPulses of what is left,
 * at most ±fastNudge (10 %) of the nominal interval. The interval changes only
 * once, to the bounded rate, then eases back as the error shrinks; once the
 * proportional step falls to ±maxNudge the small-error rule takes over, so
 * the rate never jumps on the way back.
 *
 * A lag the clock caused itself (its thread stalled, so a pulse was held back
 * to keep half an interval's spacing) is not the source's doing: the receiver
 * already saw a long interval, and it is nudged away within ±maxNudge.
 */

export interface SlewLimits {
  /** Largest relative change of one interval for small errors. */
  readonly maxNudge: number;
  /** Largest relative change of one interval for large errors of the source. */
  readonly fastNudge: number;
  /** Errors of the source above this (beats) are corrected at up to fastNudge. */
  readonly fastAboveBeats: number;
  /** In fast correction each pulse removes 1/fastPulses of the error left. */
  readonly fastPulses: number;
}

export interface SlewState {
  /** Correcting a large error. */
  readonly fast: boolean;
  /** How far behind (beats) the clock put itself by holding back a pulse after a stall. */
  readonly ownLagBeats: number;
}

export const STEADY: SlewState = { fast: false, ownLagBeats: 0 };

export interface Slewed {
  /** The interval to the next pulse (ms). */
  readonly interval: number;
  readonly state: SlewState;
  /** Whether this interval began a fast correction. */
  readonly startedFast: boolean;
}

/**
 * The next interval, given the one that would land the next pulse exactly on
 * the grid (`wanted`, ms), the nominal interval at the source's tempo, and the
 * phase error (beats; positive when the clock is behind the source).
 */
export function slewInterval(wanted: number, nominal: number, errorBeats: number, state: SlewState, limits: SlewLimits): Slewed {
  const behind = Math.max(0, errorBeats);
  const ownLagBeats = Math.min(state.ownLagBeats, behind);
  const sourceError = errorBeats > 0 ? behind - ownLagBeats : -errorBeats;
  const startedFast = !state.fast && sourceError > limits.fastAboveBeats;
  const correction = wanted - nominal;
  const small = limits.maxNudge * nominal;
  if (state.fast || startedFast) {
    const step = correction / limits.fastPulses;
    if (Math.abs(step) > small) {
      const fast = limits.fastNudge * nominal;
      return { interval: nominal + clamp(step, fast), state: { fast: true, ownLagBeats }, startedFast };
    }
  }
  return { interval: nominal + clamp(correction, small), state: { fast: false, ownLagBeats }, startedFast: false };
}

/** The state after the clock held a pulse back by `heldMs` (a stall) at `bpm`. */
export function heldBack(state: SlewState, heldMs: number, bpm: number): SlewState {
  return { fast: state.fast, ownLagBeats: state.ownLagBeats + (Math.max(0, heldMs) * bpm) / 60_000 };
}

function clamp(value: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, value));
}
