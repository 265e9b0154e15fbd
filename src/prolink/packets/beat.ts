/**
 * Beat packet, type 0x28 on port 50001, 0x60 bytes (§4). Its arrival is the
 * beat; the timing fields are milliseconds at 0 % pitch.
 */
import { B_DEVICE, B_NAME, PORT_BEAT } from './header';
import { bpmOrNull, checkPacket, nameAt, pitchMultiplier, pitchPercent, u16, u32, u32OrNull, u8 } from './common';
import type { PacketError } from './errors';

export const TYPE_BEAT = 0x28;
export const BEAT_LENGTH = 0x60;

/** §4 offsets. */
export const BEAT_NEXT_BEAT = 0x24;
export const BEAT_SECOND_BEAT = 0x28;
export const BEAT_NEXT_BAR = 0x2c;
export const BEAT_FOURTH_BEAT = 0x30;
export const BEAT_SECOND_BAR = 0x34;
export const BEAT_EIGHTH_BEAT = 0x38;
export const BEAT_PITCH = 0x54;
export const BEAT_BPM = 0x5a;
export const BEAT_IN_BAR = 0x5c;
/** §4: device numbers from 33 up are mixers; their beat-in-bar means nothing. */
export const FIRST_MIXER_DEVICE = 0x21;

export interface Beat {
  readonly kind: 'beat';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  readonly fromMixer: boolean;
  /** Track BPM (raw / 100), null for 0xffff. */
  readonly bpm: number | null;
  /** Pitch multiplier, 1 = ±0 %. */
  readonly pitch: number;
  readonly pitchPercent: number;
  readonly effectiveBpm: number | null;
  readonly beatInBar: number;
  /** Milliseconds at 0 % pitch; null (0xffffffff) when past the end of the track. */
  readonly nextBeat: number | null;
  readonly secondBeat: number | null;
  readonly nextBar: number | null;
  readonly fourthBeat: number | null;
  readonly secondBar: number | null;
  readonly eighthBeat: number | null;
  readonly length: number;
}

export function decodeBeat(buf: Buffer, port: number = PORT_BEAT): Beat | PacketError {
  const error = checkPacket(buf, port, TYPE_BEAT, BEAT_LENGTH, 'beat packet');
  if (error !== null) return error;
  const device = u8(buf, B_DEVICE);
  const rawPitch = u32(buf, BEAT_PITCH);
  const bpm = bpmOrNull(u16(buf, BEAT_BPM));
  const pitch = pitchMultiplier(rawPitch);
  return {
    kind: 'beat',
    port,
    type: TYPE_BEAT,
    name: nameAt(buf, B_NAME),
    device,
    fromMixer: device >= FIRST_MIXER_DEVICE,
    bpm,
    pitch,
    pitchPercent: pitchPercent(rawPitch),
    effectiveBpm: bpm === null ? null : bpm * pitch,
    beatInBar: u8(buf, BEAT_IN_BAR),
    nextBeat: u32OrNull(buf, BEAT_NEXT_BEAT),
    secondBeat: u32OrNull(buf, BEAT_SECOND_BEAT),
    nextBar: u32OrNull(buf, BEAT_NEXT_BAR),
    fourthBeat: u32OrNull(buf, BEAT_FOURTH_BEAT),
    secondBar: u32OrNull(buf, BEAT_SECOND_BAR),
    eighthBeat: u32OrNull(buf, BEAT_EIGHTH_BEAT),
    length: buf.length,
  };
}
