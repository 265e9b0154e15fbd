/**
 * The rekordbox-lighting handshake on port 50002 (§2.5): the 0x10 "hello" a
 * player (the OPUS-QUAD in lighting mode) sends to a rekordbox peer, and the
 * 0x11 answer that makes it start streaming status.
 */
import { B_DEVICE, B_LENGTH, B_NAME, B_ONE, B_SUBTYPE, BODY, PORT_STATUS, writeHeader, writeName } from './header';
import { checkPacket, nameAt, readUtf16be, u8, writeUtf16be } from './common';
import { byteArg, nameArg } from './encode';
import { LIGHTING_DEVICE } from './keep-alive';
import type { PacketError } from './errors';

export const TYPE_OPUS_HELLO = 0x10;
export const TYPE_STATUS_REQUEST = 0x11;

/** §2.5: the 0x10 packet is the 36-byte header alone. */
export const OPUS_HELLO_LENGTH = BODY;
/** §2.5: 0x128 = 296 bytes. */
export const STATUS_REQUEST_LENGTH = 0x128;
export const SR_DEVICE = 0x24;
export const SR_BYTE_25 = 0x25;
export const SR_HOST_NAME = 0x28;
export const SR_HOST_NAME_BYTES = STATUS_REQUEST_LENGTH - SR_HOST_NAME;
const SR_SUBTYPE = 0x01;

export interface OpusHello {
  readonly kind: 'opusHello';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  readonly length: number;
}

export interface StatusRequest {
  readonly kind: 'statusRequest';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  /** D at 0x21. */
  readonly device: number;
  /** Copy at 0x24. */
  readonly deviceCopy: number;
  /** UTF-16BE host name from 0x28 (not validated by the OPUS-QUAD). */
  readonly hostName: string;
  readonly length: number;
}

export function decodeOpusHello(buf: Buffer, port: number = PORT_STATUS): OpusHello | PacketError {
  const error = checkPacket(buf, port, TYPE_OPUS_HELLO, B_DEVICE + 1, 'lighting hello');
  if (error !== null) return error;
  return {
    kind: 'opusHello',
    port,
    type: TYPE_OPUS_HELLO,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    length: buf.length,
  };
}

export function decodeStatusRequest(buf: Buffer, port: number = PORT_STATUS): StatusRequest | PacketError {
  const error = checkPacket(buf, port, TYPE_STATUS_REQUEST, SR_HOST_NAME, 'status request');
  if (error !== null) return error;
  return {
    kind: 'statusRequest',
    port,
    type: TYPE_STATUS_REQUEST,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    deviceCopy: u8(buf, SR_DEVICE),
    hostName: readUtf16be(buf, SR_HOST_NAME, SR_HOST_NAME_BYTES),
    length: buf.length,
  };
}

export interface StatusRequestOptions {
  /** Host/computer name, sent as UTF-16BE (ASCII recommended, §2.5). */
  readonly hostName: string;
  /** Defaults to 0x17. */
  readonly device?: number;
  /** Defaults to "rekordbox". */
  readonly name?: string;
}

/** The 296-byte 0x11 packet of §2.5. */
export function encodeStatusRequest(options: StatusRequestOptions): Buffer {
  const device = byteArg('device', options.device ?? LIGHTING_DEVICE);
  const buf = Buffer.alloc(STATUS_REQUEST_LENGTH);
  writeHeader(buf, TYPE_STATUS_REQUEST);
  writeName(buf, B_NAME, nameArg(options.name ?? 'rekordbox'));
  buf[B_ONE] = 0x01;
  buf[B_SUBTYPE] = SR_SUBTYPE;
  buf[B_DEVICE] = device;
  buf.writeUInt16BE(STATUS_REQUEST_LENGTH - BODY, B_LENGTH);
  buf[SR_DEVICE] = device;
  buf[SR_BYTE_25] = 0x01;
  writeUtf16be(buf, SR_HOST_NAME, options.hostName, SR_HOST_NAME_BYTES);
  return buf;
}
