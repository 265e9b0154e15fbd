/**
 * Mixer status, type 0x29 on port 50002, 0x38 bytes (§6.1). rekordbox sends
 * the same type with subtype 01, and then 0x22 holds len_p instead of len_r.
 */
import { B_DEVICE, B_LENGTH, B_NAME, B_SUBTYPE, PORT_STATUS } from './header';
import { NO_HANDOFF, bpmOrNull, checkPacket, nameAt, pitchMultiplier, pitchPercent, u16, u32, u8 } from './common';
import { FLAG_MASTER, FLAG_PLAYING, FLAG_SYNC } from './cdj-status';
import type { PacketError } from './errors';

export const TYPE_MIXER_STATUS = 0x29;
export const MIXER_STATUS_LENGTH = 0x38;

/** §6.1 offsets. */
export const MX_FLAGS = 0x27;
export const MX_PITCH = 0x28;
export const MX_BPM = 0x2e;
export const MX_MASTER_HANDOFF = 0x36;
export const MX_BEAT_IN_BAR = 0x37;
/** §1.1: subtype 01 (rekordbox) carries len_p at 0x22. */
export const SUBTYPE_LENGTH_IS_PACKET = 0x01;

export interface MixerStatus {
  readonly kind: 'mixerStatus';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  readonly subtype: number;
  /** Value at 0x22 as sent. */
  readonly lengthField: number;
  /** True for subtype 01, where lengthField is len_p rather than len_r. */
  readonly lengthIsPacketLength: boolean;
  /** Raw F (0x27): f0 master, d0 not master, rekordbox c0. */
  readonly flags: number;
  readonly playing: boolean;
  readonly master: boolean;
  readonly sync: boolean;
  readonly pitch: number;
  readonly pitchPercent: number;
  /** Only meaningful while an analysed source plays; null for 0xffff. */
  readonly bpm: number | null;
  readonly effectiveBpm: number | null;
  /** M_h: 00 while no master exists, the incoming master's number, null for 0xff. */
  readonly masterHandoff: number | null;
  /** Not aligned with the master's downbeat (§6.1). */
  readonly beatInBar: number;
  readonly length: number;
}

export function decodeMixerStatus(buf: Buffer, port: number = PORT_STATUS): MixerStatus | PacketError {
  const error = checkPacket(buf, port, TYPE_MIXER_STATUS, MIXER_STATUS_LENGTH, 'mixer status packet');
  if (error !== null) return error;
  const subtype = u8(buf, B_SUBTYPE);
  const flags = u8(buf, MX_FLAGS);
  const rawPitch = u32(buf, MX_PITCH);
  const pitch = pitchMultiplier(rawPitch);
  const bpm = bpmOrNull(u16(buf, MX_BPM));
  const handoff = u8(buf, MX_MASTER_HANDOFF);
  return {
    kind: 'mixerStatus',
    port,
    type: TYPE_MIXER_STATUS,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    subtype,
    lengthField: u16(buf, B_LENGTH),
    lengthIsPacketLength: subtype === SUBTYPE_LENGTH_IS_PACKET,
    flags,
    playing: (flags & FLAG_PLAYING) !== 0,
    master: (flags & FLAG_MASTER) !== 0,
    sync: (flags & FLAG_SYNC) !== 0,
    pitch,
    pitchPercent: pitchPercent(rawPitch),
    bpm,
    effectiveBpm: bpm === null ? null : bpm * pitch,
    masterHandoff: handoff === NO_HANDOFF ? null : handoff,
    beatInBar: u8(buf, MX_BEAT_IN_BAR),
    length: buf.length,
  };
}
