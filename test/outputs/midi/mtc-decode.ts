/**
 * A receiver's view of MTC, written from the MTC addendum independently of
 * the encoder, so generator tests can check what a receiver would decode.
 */
import type { Timecode } from '../../../src/outputs/midi/mtc-timecode';

export interface DecodedCycle {
  /** Index in the message list of this cycle's piece 0. */
  readonly start: number;
  readonly tc: Timecode;
  readonly rateCode: number;
}

export function isQuarterFrame(bytes: readonly number[]): boolean {
  return bytes.length === 2 && bytes[0] === 0xf1;
}

export function isFullFrame(bytes: readonly number[]): boolean {
  return bytes.length === 10 && bytes[0] === 0xf0 && bytes[9] === 0xf7;
}

export function decodeFullFrame(bytes: readonly number[]): { tc: Timecode; rateCode: number } {
  const [, , , , , hh = 0, mm = 0, ss = 0, ff = 0] = bytes;
  return { tc: { hours: hh & 0x1f, minutes: mm, seconds: ss, frames: ff }, rateCode: (hh >> 5) & 0x03 };
}

/** Every run of pieces 0..7 in order, decoded. */
export function decodeCycles(messages: readonly (readonly number[])[]): DecodedCycle[] {
  const cycles: DecodedCycle[] = [];
  for (let i = 0; i + 8 <= messages.length; i++) {
    const run = messages.slice(i, i + 8);
    if (!run.every((m, k) => isQuarterFrame(m) && (m[1] ?? 0) >> 4 === k)) continue;
    const d = run.map((m) => (m[1] ?? 0) & 0x0f);
    const at = (k: number): number => d[k] ?? 0;
    cycles.push({
      start: i,
      tc: {
        frames: at(0) | ((at(1) & 0x1) << 4),
        seconds: at(2) | ((at(3) & 0x3) << 4),
        minutes: at(4) | ((at(5) & 0x3) << 4),
        hours: at(6) | ((at(7) & 0x1) << 4),
      },
      rateCode: (at(7) >> 1) & 0x3,
    });
  }
  return cycles;
}
