/**
 * Media-slot query (0x05) and response (0x06) on port 50002 (§1.2). The
 * protocol doc lists them only by type; the field layout below follows the
 * published media-slot notes and the captured packets. Slot and track-type
 * bytes use the CDJ status coding (§3.1).
 */
import { B_DEVICE, B_LENGTH, B_NAME, B_SUBTYPE, PORT_STATUS } from './header';
import { checkPacket, nameAt, readIpv4, readUtf16be, u16, u32, u8 } from './common';
import { type SlotName, type TrackType, slotName, trackTypeName } from './status-names';
import type { PacketError } from './errors';

export const TYPE_MEDIA_QUERY = 0x05;
export const TYPE_MEDIA_RESPONSE = 0x06;

/** Query: 0x30 bytes. */
export const MEDIA_QUERY_LENGTH = 0x30;
export const MQ_IP = 0x24;
export const MQ_SLOT_DEVICE = 0x2b;
export const MQ_SLOT = 0x2f;

/** Response: 0xc0 bytes. */
export const MEDIA_RESPONSE_LENGTH = 0xc0;
export const MR_SLOT_DEVICE = 0x27;
export const MR_SLOT = 0x2b;
export const MR_NAME = 0x2c;
export const MR_NAME_BYTES = 0x40;
export const MR_DATE = 0x6c;
export const MR_DATE_BYTES = 0x18;
export const MR_TEXT = 0x84;
export const MR_TEXT_BYTES = 0x22;
export const MR_TRACK_COUNT = 0xa6;
export const MR_COLOR = 0xa8;
export const MR_TRACK_TYPE = 0xaa;
export const MR_HAS_SETTINGS = 0xab;
export const MR_PLAYLIST_COUNT = 0xae;
export const MR_TOTAL_BYTES = 0xb0;
export const MR_FREE_BYTES = 0xb8;

const TWO_TO_32 = 0x100000000;

export interface MediaQuery {
  readonly kind: 'mediaQuery';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  /** The asking device. */
  readonly device: number;
  /** Where the answer should go. */
  readonly ip: string;
  /** Dr: the device holding the slot. */
  readonly slotDevice: number;
  readonly slot: SlotName;
  readonly slotRaw: number;
  readonly length: number;
}

export interface MediaResponse {
  readonly kind: 'mediaResponse';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  readonly subtype: number;
  /** Value at 0x22 as sent (a DJM was captured sending it byte-swapped). */
  readonly lengthField: number;
  readonly slotDevice: number;
  readonly slot: SlotName;
  readonly slotRaw: number;
  /** UTF-16BE media name (as set in rekordbox). */
  readonly mediaName: string;
  /** UTF-16BE creation date text, e.g. "2020-10-10". */
  readonly createdDate: string;
  /** UTF-16BE text at 0x84 of unknown meaning ("1000", "Ver.0.00"). */
  readonly extraText: string;
  readonly trackCount: number;
  /** Byte 0xa8 (a colour code per some readers; 00 = default). */
  readonly color: number;
  readonly trackType: TrackType;
  readonly trackTypeRaw: number;
  /** Byte 0xab non-zero (settings / rekordbox data present). */
  readonly hasSettings: boolean;
  readonly playlistCount: number;
  readonly totalBytes: number;
  readonly freeBytes: number;
  readonly length: number;
}

function readU64(buf: Buffer, offset: number): number {
  return u32(buf, offset) * TWO_TO_32 + u32(buf, offset + 4);
}

export function decodeMediaQuery(buf: Buffer, port: number = PORT_STATUS): MediaQuery | PacketError {
  const error = checkPacket(buf, port, TYPE_MEDIA_QUERY, MEDIA_QUERY_LENGTH, 'media query');
  if (error !== null) return error;
  const slotRaw = u8(buf, MQ_SLOT);
  return {
    kind: 'mediaQuery',
    port,
    type: TYPE_MEDIA_QUERY,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    ip: readIpv4(buf, MQ_IP),
    slotDevice: u8(buf, MQ_SLOT_DEVICE),
    slot: slotName(slotRaw),
    slotRaw,
    length: buf.length,
  };
}

export function decodeMediaResponse(buf: Buffer, port: number = PORT_STATUS): MediaResponse | PacketError {
  const error = checkPacket(buf, port, TYPE_MEDIA_RESPONSE, MEDIA_RESPONSE_LENGTH, 'media response');
  if (error !== null) return error;
  const slotRaw = u8(buf, MR_SLOT);
  const trackTypeRaw = u8(buf, MR_TRACK_TYPE);
  return {
    kind: 'mediaResponse',
    port,
    type: TYPE_MEDIA_RESPONSE,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    subtype: u8(buf, B_SUBTYPE),
    lengthField: u16(buf, B_LENGTH),
    slotDevice: u8(buf, MR_SLOT_DEVICE),
    slot: slotName(slotRaw),
    slotRaw,
    mediaName: readUtf16be(buf, MR_NAME, MR_NAME_BYTES),
    createdDate: readUtf16be(buf, MR_DATE, MR_DATE_BYTES),
    extraText: readUtf16be(buf, MR_TEXT, MR_TEXT_BYTES),
    trackCount: u16(buf, MR_TRACK_COUNT),
    color: u8(buf, MR_COLOR),
    trackType: trackTypeName(trackTypeRaw),
    trackTypeRaw,
    hasSettings: u8(buf, MR_HAS_SETTINGS) !== 0,
    playlistCount: u16(buf, MR_PLAYLIST_COUNT),
    totalBytes: readU64(buf, MR_TOTAL_BYTES),
    freeBytes: readU64(buf, MR_FREE_BYTES),
    length: buf.length,
  };
}
