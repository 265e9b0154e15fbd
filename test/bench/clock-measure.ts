/**
 * Measuring recorded MIDI clock for the clock benchmark (clock.bench.ts):
 * what position a receiver gives each pulse, and percentiles.
 */
import { CONTINUE, SONG_POSITION, STOP, TIMING_CLOCK } from '../../src/outputs/midi/midi-bytes';
import type { RecordedMessage } from '../../src/outputs/midi/midi-port';

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** A number in a fixed-width column of a results table. */
export const fmt = (v: number): string => v.toFixed(3).padStart(8);

/** Every pulse with the deck position a receiver gives it (SPP, then one 1/24 beat per pulse). */
export function pulsePositions(messages: readonly RecordedMessage[]): { at: number; position: number }[] {
  const out: { at: number; position: number }[] = [];
  let base = 0;
  let k = 0;
  let running = false;
  for (const m of messages) {
    const status = m.bytes[0];
    if (status === SONG_POSITION) base = (m.bytes[1] ?? 0) | ((m.bytes[2] ?? 0) << 7);
    else if (status === CONTINUE) (running = true), (k = 0);
    else if (status === STOP) running = false;
    else if (status === TIMING_CLOCK && running) out.push({ at: m.at, position: 1 + base / 4 + k++ / 24 });
  }
  return out;
}

/** Whether a pulse position falls on a beat (every 24th pulse). */
export function onBeat(position: number): boolean {
  return Math.abs(position - Math.round(position)) < 1e-6;
}
