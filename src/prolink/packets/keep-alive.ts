/**
 * Keep-alive, type 0x06 on port 50000 (§2.1, §2.4).
 *
 * Besides the ordinary 54-byte form, CDJ-2000NXS2 players were captured
 * sending 100- and 132-byte variants with sub-kind 0x01 at 0x0b and a table of
 * other peers after the common part. The common part is decoded; the extra
 * bytes are kept as they are.
 */
import {
  A_LENGTH,
  A_NAME,
  A_ONE,
  A_STRUCTURE,
  A_SUBKIND,
  OPUS_NAME,
  PORT_ANNOUNCE,
  writeHeader,
  writeName,
} from './header';
import { checkPacket, nameAt, readIpv4, readMac, u16, u8 } from './common';
import { DEVICE_TYPE_PLAYER, DEVICE_TYPE_REKORDBOX, type DeviceType, deviceTypeName } from './device-type';
import { type Ipv4Address, type MacAddress, byteArg, ipv4Bytes, macBytes, nameArg } from './encode';
import type { PacketError } from './errors';

export const TYPE_KEEP_ALIVE = 0x06;

/** §2.1 offsets. */
export const KA_DEVICE = 0x24;
export const KA_BYTE_25 = 0x25;
export const KA_MAC = 0x26;
export const KA_IP = 0x2c;
export const KA_PEER_COUNT = 0x30;
export const KA_BYTE_31 = 0x31;
export const KA_DEVICE_TYPE = 0x34;
export const KA_VARIANT = 0x35;
/** 0x36 = 54 bytes, the ordinary length (§2.1). */
export const KA_LENGTH = 0x36;

/** §1.1: 02 ordinary CDJ/mixer, 03 rekordbox and CDJ-3000-compatible claims. */
export const STRUCTURE_CDJ = 0x02;
export const STRUCTURE_REKORDBOX = 0x03;
/** §2.1: byte 0x35 in the CDJ-3000-compatible template. */
export const VARIANT_CDJ3000 = 0x64;
/** §2.4: rekordbox-lighting constants. */
export const LIGHTING_DEVICE = 0x17;
const LIGHTING_NAME = 'rekordbox';
const LIGHTING_BYTE_25 = 0x01;
const LIGHTING_PEER_COUNT = 0x04;
const LIGHTING_BYTE_31 = 0x01;
const LIGHTING_VARIANT = 0x08;

export interface KeepAlive {
  readonly kind: 'keepAlive';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  /** D at 0x24. */
  readonly device: number;
  readonly isOpus: boolean;
  /** 0x0b: 00 normally, 01 in the long variants that carry a peer table. */
  readonly subKind: number;
  /** 0x21 structure byte (§1.1). */
  readonly structure: number;
  /** len_p at 0x22 as sent. */
  readonly lengthField: number;
  readonly mac: string;
  readonly ip: string;
  readonly peerCount: number;
  readonly deviceType: DeviceType;
  readonly deviceTypeRaw: number;
  /** 0x25: not a reliable device type (§2.1). */
  readonly byte25: number;
  /** 0x35: 00 classic, 64 CDJ-3000 template, 08 rekordbox lighting, 20 seen from NXS2. */
  readonly variant: number;
  /** Bytes after the 54-byte common part (the peer table of the long variants), or null. */
  readonly extra: Buffer | null;
  readonly length: number;
}

export function decodeKeepAlive(buf: Buffer, port: number = PORT_ANNOUNCE): KeepAlive | PacketError {
  const error = checkPacket(buf, port, TYPE_KEEP_ALIVE, KA_LENGTH, 'keep-alive');
  if (error !== null) return error;
  const name = nameAt(buf, A_NAME);
  const deviceTypeRaw = u8(buf, KA_DEVICE_TYPE);
  return {
    kind: 'keepAlive',
    port,
    type: TYPE_KEEP_ALIVE,
    name,
    device: u8(buf, KA_DEVICE),
    isOpus: name === OPUS_NAME,
    subKind: u8(buf, A_SUBKIND),
    structure: u8(buf, A_STRUCTURE),
    lengthField: u16(buf, A_LENGTH),
    mac: readMac(buf, KA_MAC),
    ip: readIpv4(buf, KA_IP),
    peerCount: u8(buf, KA_PEER_COUNT),
    deviceType: deviceTypeName(deviceTypeRaw),
    deviceTypeRaw,
    byte25: u8(buf, KA_BYTE_25),
    variant: u8(buf, KA_VARIANT),
    extra: buf.length > KA_LENGTH ? buf.subarray(KA_LENGTH) : null,
    length: buf.length,
  };
}

interface KeepAliveFields {
  readonly name: string;
  readonly structure: number;
  readonly device: number;
  readonly byte25: number;
  readonly mac: MacAddress;
  readonly ip: Ipv4Address;
  readonly peerCount: number;
  readonly byte31: number;
  readonly deviceType: number;
  readonly variant: number;
}

function writeKeepAlive(f: KeepAliveFields): Buffer {
  const buf = Buffer.alloc(KA_LENGTH);
  writeHeader(buf, TYPE_KEEP_ALIVE);
  writeName(buf, A_NAME, nameArg(f.name));
  buf[A_ONE] = 0x01;
  buf[A_STRUCTURE] = f.structure;
  buf.writeUInt16BE(KA_LENGTH, A_LENGTH);
  buf[KA_DEVICE] = byteArg('device', f.device);
  buf[KA_BYTE_25] = byteArg('byte25', f.byte25);
  macBytes(f.mac).copy(buf, KA_MAC);
  ipv4Bytes(f.ip).copy(buf, KA_IP);
  buf[KA_PEER_COUNT] = byteArg('peerCount', f.peerCount);
  buf[KA_BYTE_31] = f.byte31;
  buf[KA_DEVICE_TYPE] = f.deviceType;
  buf[KA_VARIANT] = f.variant;
  return buf;
}

export interface LightingKeepAliveOptions {
  readonly mac: MacAddress;
  readonly ip: Ipv4Address;
  /** Defaults to 0x17 (23), the number rekordbox uses (§2.3). */
  readonly device?: number;
}

/** The exact rekordbox PRO DJ LINK Lighting keep-alive (§2.4). */
export function encodeLightingKeepAlive(options: LightingKeepAliveOptions): Buffer {
  return writeKeepAlive({
    name: LIGHTING_NAME,
    structure: STRUCTURE_REKORDBOX,
    device: options.device ?? LIGHTING_DEVICE,
    byte25: LIGHTING_BYTE_25,
    mac: options.mac,
    ip: options.ip,
    peerCount: LIGHTING_PEER_COUNT,
    byte31: LIGHTING_BYTE_31,
    deviceType: DEVICE_TYPE_REKORDBOX,
    variant: LIGHTING_VARIANT,
  });
}

export interface CdjKeepAliveOptions {
  readonly name: string;
  readonly device: number;
  readonly mac: MacAddress;
  readonly ip: Ipv4Address;
  /** Devices seen including ourselves (§2.1); defaults to 1. */
  readonly peerCount?: number;
  /** Writes 0x64 at 0x35, the CDJ-3000-compatible template (§2.1). */
  readonly cdj3000Compatible?: boolean;
  /** Byte 0x25, 01 by default; real CDJs send 01 or 02 (§2.1). */
  readonly byte25?: number;
}

/** An ordinary player keep-alive (§2.1). */
export function encodeCdjKeepAlive(options: CdjKeepAliveOptions): Buffer {
  return writeKeepAlive({
    name: options.name,
    structure: STRUCTURE_CDJ,
    device: options.device,
    byte25: options.byte25 ?? DEVICE_TYPE_PLAYER,
    mac: options.mac,
    ip: options.ip,
    peerCount: options.peerCount ?? 1,
    byte31: 0x00,
    deviceType: DEVICE_TYPE_PLAYER,
    variant: options.cdj3000Compatible === true ? VARIANT_CDJ3000 : 0x00,
  });
}
