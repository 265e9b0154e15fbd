/**
 * How a deck's beat position maps onto MIDI clock and Song Position Pointer
 * (MIDI 1.0: 24 clocks per quarter note; SPP counts "MIDI beats", i.e.
 * sixteenth notes = 6 clocks, 14 bits).
 *
 * Deck positions count beats from 1 (status 0xa0, protocol doc §3.1). The
 * song position is bar-aligned: a downbeat of bar k (bars counted from the
 * first downbeat at or after beat 1, a partial bar before it being bar 0) is
 * SPP 16·k, so a receiver counting bars from SPP sees the deck's bars. With
 * the usual grid (beat 1 is a downbeat) this is simply (beat − 1) × 4.
 */
import { BEATS_PER_BAR, mod } from '../../timing/beat-grid';
import { DATA14_MAX } from './midi-bytes';

export const PULSES_PER_BEAT = 24;
export const SIXTEENTHS_PER_BEAT = 4;
export const PULSES_PER_SIXTEENTH = PULSES_PER_BEAT / SIXTEENTHS_PER_BEAT;

/** Beats to add to (position − 1) so that downbeats land on whole bars; 0 when bars are unknown. */
export function barShift(barOffset: number | null): number {
  return barOffset === null ? 0 : mod(1 - barOffset, BEATS_PER_BAR);
}

/** Song position in beats (quarter notes) of deck position `position`. */
export function songBeats(position: number, barOffset: number | null): number {
  return position - 1 + barShift(barOffset);
}

/** The SPP value (sixteenths, clamped to 0–16383) for deck position `position`. */
export function songPositionOf(position: number, barOffset: number | null): number {
  const sixteenths = Math.round(songBeats(position, barOffset) * SIXTEENTHS_PER_BEAT);
  return Math.min(DATA14_MAX, Math.max(0, sixteenths));
}

/** The first downbeat at or after `position` (the first whole beat when bars are unknown). */
export function nextDownbeat(position: number, barOffset: number | null): number {
  const beat = Math.ceil(position - 1e-9);
  if (barOffset === null) return beat;
  return beat + mod(barOffset - beat, BEATS_PER_BAR);
}

/** The first multiple of 1/`perBeat` beat at or after `position`. */
export function nextStep(position: number, perBeat: number): number {
  return Math.ceil(position * perBeat - 1e-9) / perBeat;
}

/** Clock pulse interval at `bpm`: 60000 / (bpm × 24) = 2500 / bpm ms (protocol doc §10). */
export function pulseIntervalMs(bpm: number): number {
  return 60_000 / (bpm * PULSES_PER_BEAT);
}
