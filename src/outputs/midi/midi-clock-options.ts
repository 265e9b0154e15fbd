/**
 * Settings and counters of the MIDI clock (midi-clock.ts, where each setting's
 * effect is described).
 */
import type { MidiError } from './midi-errors';

export type TransportMode = 'follow' | 'always';

export interface MidiClockOptions {
  readonly mode: TransportMode;
  /** Largest relative change of one pulse interval from nominal when correcting a small phase error. */
  readonly maxNudge: number;
  /** Largest relative change of one pulse interval when correcting a phase error above fastAboveBeats. */
  readonly fastNudge: number;
  /** Phase errors of the source above this (beats) are corrected at up to fastNudge (midi-clock-slew.ts). */
  readonly fastAboveBeats: number;
  /** While correcting a large error, each pulse removes 1/fastPulses of what is left. */
  readonly fastPulses: number;
  /** Phase errors above this (beats) re-anchor instead of being nudged away. */
  readonly jumpBeats: number;
  /** Lock (and start) only once the source's phase is known to within this (beats)… */
  readonly lockUncertaintyBeats: number;
  /** …or once the deck has played this long (ms). */
  readonly startAfterMs: number;
  /** Follow mode: Stop after this long without a source or tempo (ms). */
  readonly holdoverMs: number;
  /** Tempo for free-running before any tempo was seen. */
  readonly defaultBpm: number;
  /** How often a stopped clock looks at the source (ms). */
  readonly pollMs: number;
  /** A jump by whole bars with the phase kept does not reposition the receiver. */
  readonly barJumpsKeepRunning: boolean;
  readonly onError: (error: MidiError) => void;
}

export const DEFAULT_MIDI_CLOCK_OPTIONS: MidiClockOptions = {
  mode: 'follow',
  maxNudge: 0.02,
  fastNudge: 0.1,
  fastAboveBeats: 1 / 8,
  fastPulses: 6,
  jumpBeats: 0.25,
  lockUncertaintyBeats: 0.125,
  startAfterMs: 4000,
  holdoverMs: 2000,
  defaultBpm: 120,
  pollMs: 10,
  barJumpsKeepRunning: true,
  onError: () => undefined,
};

export interface MidiClockStats {
  readonly pulses: number;
  readonly starts: number;
  readonly stops: number;
  readonly repositions: number;
  readonly realigns: number;
  readonly barShifts: number;
  /** Large phase errors corrected at up to fastNudge. */
  readonly fastCorrections: number;
  /** Largest delay between a pulse's scheduled and actual time (ms). */
  readonly maxLatenessMs: number;
}
