/**
 * Absolute (precise) position, type 0x0b on port 50001, 0x3c bytes (protocol
 * doc §5): CDJ-3000s, and the OPUS-QUAD in CDJ mode only.
 */
import {
  POS_BPM,
  POS_PITCH,
  POS_PLAYHEAD,
  POS_TRACK_LENGTH,
  PRECISE_POSITION_LENGTH,
  TYPE_PRECISE_POSITION,
} from '../../packets/precise-position';
import { u32Arg } from '../../packets/encode';
import { shapeB, writeU32OrNone } from './shape-b';

/** §5: 0x1f is 02 on this packet, not 01. */
const POSITION_ONE = 0x02;

export interface PrecisePositionFields {
  readonly name: string;
  readonly device: number;
  /** Whole seconds, rounded down. */
  readonly trackLengthSeconds: number;
  readonly positionMs: number;
  /** Signed percent; sent as percent × 100. */
  readonly pitchPercent: number;
  /** Effective BPM (pitch applied); null = ffffffff. */
  readonly effectiveBpm: number | null;
}

export function encodePrecisePosition(f: PrecisePositionFields): Buffer {
  const buf = shapeB({
    type: TYPE_PRECISE_POSITION,
    length: PRECISE_POSITION_LENGTH,
    name: f.name,
    device: f.device,
    one: POSITION_ONE,
  });
  buf.writeUInt32BE(u32Arg('trackLengthSeconds', Math.floor(f.trackLengthSeconds)), POS_TRACK_LENGTH);
  buf.writeUInt32BE(u32Arg('positionMs', Math.max(0, Math.round(f.positionMs))), POS_PLAYHEAD);
  buf.writeInt32BE(Math.round(f.pitchPercent * 100), POS_PITCH);
  writeU32OrNone(buf, POS_BPM, f.effectiveBpm === null ? null : Math.round(f.effectiveBpm * 10));
  return buf;
}
