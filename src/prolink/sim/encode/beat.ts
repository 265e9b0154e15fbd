/**
 * Beat packet, type 0x28 on port 50001, 0x60 bytes (protocol doc §4), as a
 * player broadcasts it on every beat while playing. Timing fields are
 * milliseconds at 0 % pitch; null stands for ffffffff (past the end of the track).
 */
import {
  BEAT_BPM,
  BEAT_EIGHTH_BEAT,
  BEAT_FOURTH_BEAT,
  BEAT_IN_BAR,
  BEAT_LENGTH,
  BEAT_NEXT_BAR,
  BEAT_NEXT_BEAT,
  BEAT_PITCH,
  BEAT_SECOND_BAR,
  BEAT_SECOND_BEAT,
  TYPE_BEAT,
} from '../../packets/beat';
import { byteArg } from '../../packets/encode';
import { pitchRaw, shapeB, writeBpm, writeU32OrNone } from './shape-b';

/** §4: 24 bytes of ff after the timing fields, and D repeated in the last byte. */
const BEAT_FILLER = 0x3c;
const BEAT_FILLER_END = BEAT_PITCH;
const BEAT_DEVICE_COPY = 0x5f;

export interface BeatFields {
  readonly name: string;
  readonly device: number;
  readonly nextBeat: number | null;
  readonly secondBeat: number | null;
  readonly nextBar: number | null;
  readonly fourthBeat: number | null;
  readonly secondBar: number | null;
  readonly eighthBeat: number | null;
  /** Effective pitch in percent. */
  readonly pitchPercent: number;
  /** Track BPM; null = ffff. */
  readonly bpm: number | null;
  /** 1–4 (meaningless from a mixer). */
  readonly beatInBar: number;
}

export function encodeBeat(f: BeatFields): Buffer {
  const buf = shapeB({ type: TYPE_BEAT, length: BEAT_LENGTH, name: f.name, device: f.device });
  writeU32OrNone(buf, BEAT_NEXT_BEAT, f.nextBeat);
  writeU32OrNone(buf, BEAT_SECOND_BEAT, f.secondBeat);
  writeU32OrNone(buf, BEAT_NEXT_BAR, f.nextBar);
  writeU32OrNone(buf, BEAT_FOURTH_BEAT, f.fourthBeat);
  writeU32OrNone(buf, BEAT_SECOND_BAR, f.secondBar);
  writeU32OrNone(buf, BEAT_EIGHTH_BEAT, f.eighthBeat);
  buf.fill(0xff, BEAT_FILLER, BEAT_FILLER_END);
  buf.writeUInt32BE(pitchRaw(f.pitchPercent), BEAT_PITCH);
  writeBpm(buf, BEAT_BPM, f.bpm);
  buf[BEAT_IN_BAR] = byteArg('beatInBar', f.beatInBar);
  buf[BEAT_DEVICE_COPY] = f.device;
  return buf;
}
