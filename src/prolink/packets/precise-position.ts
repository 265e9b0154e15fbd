/**
 * Absolute (precise) position, type 0x0b on port 50001, 0x3c bytes (§5).
 * Sent by CDJ-3000s and by the OPUS-QUAD in CDJ mode, about every 30 ms.
 */
import { B_DEVICE, B_NAME, OPUS_NAME, PORT_BEAT, opusDeck } from './header';
import { checkPacket, i32, nameAt, u32, u32OrNull, u8 } from './common';
import type { PacketError } from './errors';

export const TYPE_PRECISE_POSITION = 0x0b;
export const PRECISE_POSITION_LENGTH = 0x3c;

/** §5 offsets. */
export const POS_TRACK_LENGTH = 0x24;
export const POS_PLAYHEAD = 0x28;
export const POS_PITCH = 0x2c;
export const POS_BPM = 0x38;

export interface PrecisePosition {
  readonly kind: 'precisePosition';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  /** 1-4 for OPUS-QUAD device numbers 9-12, otherwise the device number. */
  readonly deck: number;
  readonly isOpus: boolean;
  /** Whole seconds, rounded down. */
  readonly trackLengthSeconds: number;
  readonly positionMs: number;
  /** Signed int32 / 100. */
  readonly pitchPercent: number;
  /** Multiplier derived from pitchPercent, 1 = ±0 %. */
  readonly pitch: number;
  /** Raw / 10, pitch already applied; null for 0xffffffff. */
  readonly effectiveBpm: number | null;
  readonly length: number;
}

export function decodePrecisePosition(buf: Buffer, port: number = PORT_BEAT): PrecisePosition | PacketError {
  const error = checkPacket(buf, port, TYPE_PRECISE_POSITION, PRECISE_POSITION_LENGTH, 'precise position packet');
  if (error !== null) return error;
  const name = nameAt(buf, B_NAME);
  const isOpus = name === OPUS_NAME;
  const device = u8(buf, B_DEVICE);
  const percent = i32(buf, POS_PITCH) / 100;
  const bpm = u32OrNull(buf, POS_BPM);
  return {
    kind: 'precisePosition',
    port,
    type: TYPE_PRECISE_POSITION,
    name,
    device,
    deck: isOpus ? opusDeck(device) : device,
    isOpus,
    trackLengthSeconds: u32(buf, POS_TRACK_LENGTH),
    positionMs: u32(buf, POS_PLAYHEAD),
    pitchPercent: percent,
    pitch: 1 + percent / 100,
    effectiveBpm: bpm === null ? null : bpm / 10,
    length: buf.length,
  };
}
