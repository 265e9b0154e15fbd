/**
 * ArtTimeCode (OpCode OpTimeCode, 0x9700): one timecode label per packet,
 * as the Art-Net 4 specification (Artistic Licence, "ArtTimeCode – Packet
 * Definition") lays it out, 19 bytes:
 *
 *   0  ID        8  "Art-Net" and a zero byte
 *   8  OpCode    2  0x9700, low byte first
 *   10 ProtVerHi 1  0
 *   11 ProtVerLo 1  14 (the only protocol version in use)
 *   12 Filler1   1  0
 *   13 StreamId  1  0 = the master stream (Filler2 before Art-Net 4)
 *   14 Frames    1  0–29 (0–23 at 24 fps, 0–24 at 25 fps)
 *   15 Seconds   1  0–59
 *   16 Minutes   1  0–59
 *   17 Hours     1  0–23
 *   18 Type      1  0 Film (24), 1 EBU (25), 2 DF (29.97), 3 SMPTE (30)
 *
 * Pure: labels in, bytes out. The labels come from the same timecode math as
 * MIDI timecode (outputs/midi/mtc-timecode.ts), drop-frame numbering
 * included.
 */
import type { MtcRate } from '../midi/mtc-rate';
import { validateTimecode, type Timecode } from '../midi/mtc-timecode';
import { ArtNetError } from './artnet-errors';

/** The eight ID bytes every Art-Net packet starts with. */
export const ARTNET_ID = 'Art-Net\u0000';
export const OP_TIME_CODE = 0x9700;
export const ARTNET_PROTOCOL_VERSION = 14;
/** The UDP port Art-Net uses (0x1936). */
export const ARTNET_PORT = 6454;

export const OFFSET_ID = 0;
export const OFFSET_OPCODE = 8;
export const OFFSET_PROT_VER_HI = 10;
export const OFFSET_PROT_VER_LO = 11;
export const OFFSET_FILLER1 = 12;
export const OFFSET_STREAM_ID = 13;
export const OFFSET_FRAMES = 14;
export const OFFSET_SECONDS = 15;
export const OFFSET_MINUTES = 16;
export const OFFSET_HOURS = 17;
export const OFFSET_TYPE = 18;
export const ART_TIME_CODE_LENGTH = 19;

/** The Type byte for each rate, from the specification's table. */
export const ART_TIME_CODE_TYPE: Readonly<Record<MtcRate, 0 | 1 | 2 | 3>> = {
  24: 0, // Film
  25: 1, // EBU
  29.97: 2, // DF
  30: 3, // SMPTE
};

/** The StreamId of the master timecode stream. */
export const MASTER_STREAM = 0;

/** Bytes for a label already known to be valid at its rate (frameCountToTimecode output). */
export function encodeArtTimeCodeUnchecked(tc: Timecode, rate: MtcRate, streamId = MASTER_STREAM): Buffer {
  const packet = Buffer.alloc(ART_TIME_CODE_LENGTH);
  packet.write(ARTNET_ID, OFFSET_ID, 'latin1');
  packet.writeUInt16LE(OP_TIME_CODE, OFFSET_OPCODE);
  packet.writeUInt8(ARTNET_PROTOCOL_VERSION >> 8, OFFSET_PROT_VER_HI);
  packet.writeUInt8(ARTNET_PROTOCOL_VERSION & 0xff, OFFSET_PROT_VER_LO);
  packet.writeUInt8(0, OFFSET_FILLER1);
  packet.writeUInt8(streamId & 0xff, OFFSET_STREAM_ID);
  packet.writeUInt8(tc.frames, OFFSET_FRAMES);
  packet.writeUInt8(tc.seconds, OFFSET_SECONDS);
  packet.writeUInt8(tc.minutes, OFFSET_MINUTES);
  packet.writeUInt8(tc.hours, OFFSET_HOURS);
  packet.writeUInt8(ART_TIME_CODE_TYPE[rate], OFFSET_TYPE);
  return packet;
}

/** The ArtTimeCode packet for a label, or an error when the label cannot exist at this rate. */
export function encodeArtTimeCode(tc: Timecode, rate: MtcRate, streamId = MASTER_STREAM): Buffer | ArtNetError {
  const bad = validateTimecode(tc, rate);
  if (bad !== null) return new ArtNetError('bad-timecode', bad.message);
  if (!Number.isInteger(streamId) || streamId < 0 || streamId > 0xff) {
    return new ArtNetError('bad-timecode', `an Art-Net timecode stream id must be an integer from 0 to 255, got ${streamId}`);
  }
  return encodeArtTimeCodeUnchecked(tc, rate, streamId);
}
