/**
 * Channels on-air, type 0x03 on port 50001 (§6.2), sent by mixers.
 * Four-channel form: flags at 0x24-0x27. Six-channel form (0x35 bytes, subtype
 * 03): flags 5 and 6 at 0x2d/0x2e. Captured DJM-2000nexus packets carry
 * subtype 02 in the four-channel form, so the form is told by length/subtype 03.
 */
import { B_DEVICE, B_NAME, B_SUBTYPE, PORT_BEAT } from './header';
import { checkPacket, nameAt, u8 } from './common';
import type { PacketError } from './errors';

export const TYPE_ON_AIR = 0x03;
/** §6.2: flag offsets F1-F4, F5-F6. */
export const ON_AIR_FLAGS_1_4 = 0x24;
export const ON_AIR_FLAG_5 = 0x2d;
export const ON_AIR_FLAG_6 = 0x2e;
/** §6.2 lengths: 0x2d (four channels), 0x35 (six channels). */
export const ON_AIR_LENGTH_4 = 0x2d;
export const ON_AIR_LENGTH_6 = 0x35;
export const ON_AIR_SUBTYPE_6 = 0x03;
/** The decoder needs the four flags only. */
const ON_AIR_MIN_LENGTH = ON_AIR_FLAGS_1_4 + 4;

export interface OnAir {
  readonly kind: 'onAir';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  readonly subtype: number;
  readonly channelCount: 4 | 6;
  /** Channel 1 first; true when the flag byte is non-zero (01 = on air). */
  readonly onAir: readonly boolean[];
  readonly length: number;
}

export function decodeOnAir(buf: Buffer, port: number = PORT_BEAT): OnAir | PacketError {
  const error = checkPacket(buf, port, TYPE_ON_AIR, ON_AIR_MIN_LENGTH, 'channels on-air packet');
  if (error !== null) return error;
  const subtype = u8(buf, B_SUBTYPE);
  const six = buf.length > ON_AIR_FLAG_6 && (subtype === ON_AIR_SUBTYPE_6 || buf.length >= ON_AIR_LENGTH_6);
  const onAir = [
    u8(buf, ON_AIR_FLAGS_1_4) !== 0,
    u8(buf, ON_AIR_FLAGS_1_4 + 1) !== 0,
    u8(buf, ON_AIR_FLAGS_1_4 + 2) !== 0,
    u8(buf, ON_AIR_FLAGS_1_4 + 3) !== 0,
  ];
  if (six) onAir.push(u8(buf, ON_AIR_FLAG_5) !== 0, u8(buf, ON_AIR_FLAG_6) !== 0);
  return {
    kind: 'onAir',
    port,
    type: TYPE_ON_AIR,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    subtype,
    channelCount: six ? 6 : 4,
    onAir,
    length: buf.length,
  };
}
