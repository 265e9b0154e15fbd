/**
 * MIDI Time Code messages (MTC addendum to MIDI 1.0).
 *
 * Quarter frame: F1 0nnndddd, piece n = 0..7 carrying one nibble d:
 *   0 frames low nibble    1 frames high bit (bit 4)
 *   2 seconds low nibble   3 seconds high bits (bits 4–5)
 *   4 minutes low nibble   5 minutes high bits (bits 4–5)
 *   6 hours low nibble     7 0rrh: rate code rr, hours bit 4 in h
 *
 * Convention (what receivers expect when running forward): the eight pieces
 * of one cycle all describe the frame at which piece 0 is sent. Piece k goes
 * out k quarter frames after that frame starts, so a cycle spans two frames
 * and the next cycle describes the frame two later. A receiver that has just
 * read piece 7 is therefore 1¾ frames past the time it decoded and adds two
 * frames when piece 0 of the next cycle arrives.
 *
 * Full frame (a locate, sent on jumps and when stopped):
 *   F0 7F 7F 01 01 hh mm ss ff F7   with hh = 0rrhhhhh (rate code in bits 5–6).
 */
import { MTC_QUARTER_FRAME, SYSEX, SYSEX_END, type MidiMessage } from './midi-bytes';
import { MidiError } from './midi-errors';
import { mtcRateInfo, type MtcRate } from './mtc-rate';
import { validateTimecode, type Timecode } from './mtc-timecode';

export const QUARTER_FRAME_PIECES = 8;
/** Frames one full quarter-frame cycle spans. */
export const FRAMES_PER_CYCLE = 2;

// Full-frame SysEx header: real-time universal (7F), all-call device (7F), MTC (01), full message (01).
export const SYSEX_REALTIME = 0x7f;
export const SYSEX_ALL_CALL = 0x7f;
export const SUB_ID_MTC = 0x01;
export const SUB_ID_FULL_FRAME = 0x01;
/** Bit position of the rate code in the full-frame hours byte (0rrhhhhh). */
const FULL_FRAME_RATE_SHIFT = 5;
/** Bit position of the rate code in the piece-7 nibble (0rrh). */
const PIECE7_RATE_SHIFT = 1;
const PIECE_SHIFT = 4;
const NIBBLE = 0x0f;

/** The data nibble of one piece for an already validated timecode. */
function pieceNibble(piece: number, tc: Timecode, rateCode: number): number {
  switch (piece) {
    case 0: return tc.frames & NIBBLE;
    case 1: return (tc.frames >> 4) & 0x01;
    case 2: return tc.seconds & NIBBLE;
    case 3: return (tc.seconds >> 4) & 0x03;
    case 4: return tc.minutes & NIBBLE;
    case 5: return (tc.minutes >> 4) & 0x03;
    case 6: return tc.hours & NIBBLE;
    default: return (rateCode << PIECE7_RATE_SHIFT) | ((tc.hours >> 4) & 0x01);
  }
}

/**
 * Encoders without validation, for labels that are valid by construction
 * (frameCountToTimecode output). Anything else goes through the checked
 * builders below.
 */
export function encodeQuarterFrame(piece: number, tc: Timecode, rate: MtcRate): MidiMessage {
  return [MTC_QUARTER_FRAME, (piece << PIECE_SHIFT) | pieceNibble(piece, tc, mtcRateInfo(rate).code)];
}

export function encodeFullFrame(tc: Timecode, rate: MtcRate): MidiMessage {
  const hoursByte = (mtcRateInfo(rate).code << FULL_FRAME_RATE_SHIFT) | tc.hours;
  return [SYSEX, SYSEX_REALTIME, SYSEX_ALL_CALL, SUB_ID_MTC, SUB_ID_FULL_FRAME, hoursByte, tc.minutes, tc.seconds, tc.frames, SYSEX_END];
}

/** One quarter-frame message, piece 0–7 of the cycle describing tc. */
export function quarterFrame(piece: number, tc: Timecode, rate: MtcRate): MidiMessage | MidiError {
  if (!Number.isInteger(piece) || piece < 0 || piece >= QUARTER_FRAME_PIECES) {
    return new MidiError('out-of-range', `quarter-frame piece must be an integer from 0 to 7, got ${piece}`);
  }
  return validateTimecode(tc, rate) ?? encodeQuarterFrame(piece, tc, rate);
}

/** The whole eight-piece cycle describing tc, piece 0 first. */
export function quarterFrameCycle(tc: Timecode, rate: MtcRate): readonly MidiMessage[] | MidiError {
  return validateTimecode(tc, rate) ?? Array.from({ length: QUARTER_FRAME_PIECES }, (_, piece) => encodeQuarterFrame(piece, tc, rate));
}

/** The full-frame SysEx locating receivers at tc. */
export function fullFrame(tc: Timecode, rate: MtcRate): MidiMessage | MidiError {
  return validateTimecode(tc, rate) ?? encodeFullFrame(tc, rate);
}
