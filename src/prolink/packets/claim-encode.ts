/**
 * Encoders for the start-up packets of §2.2: hello 0x0a, claim stages
 * 0x00/0x02/0x04 and the conflict packet 0x08. Byte layouts are those the
 * decoders in claim.ts read.
 */
import { A_LENGTH, A_NAME, A_ONE, A_STRUCTURE, A_SUBKIND, writeHeader, writeName } from './header';
import {
  AUTO_ASSIGN,
  CLAIM_1_DEVICE_TYPE,
  CLAIM_1_LENGTH,
  CLAIM_1_MAC,
  CLAIM_1_SEQUENCE,
  CLAIM_2_AUTO,
  CLAIM_2_DEVICE,
  CLAIM_2_DEVICE_TYPE,
  CLAIM_2_IP,
  CLAIM_2_LENGTH,
  CLAIM_2_MAC,
  CLAIM_2_SEQUENCE,
  CLAIM_3_LENGTH,
  CLAIM_DEVICE,
  CLAIM_SEQUENCE,
  CONFLICT_IP,
  CONFLICT_LENGTH,
  HELLO_BYTE_25,
  HELLO_DEVICE_TYPE,
  HELLO_LENGTH,
  HELLO_LENGTH_CDJ3000,
  STRUCTURE_CDJ3000_HELLO,
  SUBKIND_UNICAST,
  TYPE_CLAIM_1,
  TYPE_CLAIM_2,
  TYPE_CLAIM_3,
  TYPE_CONFLICT,
  TYPE_HELLO,
} from './claim';
import { type DeviceType, deviceTypeByte } from './device-type';
import { type Ipv4Address, type MacAddress, byteArg, ipv4Bytes, macBytes, nameArg } from './encode';
import { STRUCTURE_CDJ, STRUCTURE_REKORDBOX, VARIANT_CDJ3000 } from './keep-alive';

/** §2.2: 0x31 = 02 when a fixed number is claimed. */
const FIXED_NUMBER = 0x02;

/** Every §2.2 packet shares the shape A header; this writes it. */
function announce(type: number, length: number, name: string, structure: number, subKind = 0x00): Buffer {
  const buf = Buffer.alloc(length);
  writeHeader(buf, type);
  buf[A_SUBKIND] = subKind;
  writeName(buf, A_NAME, nameArg(name));
  buf[A_ONE] = 0x01;
  buf[A_STRUCTURE] = structure;
  buf.writeUInt16BE(length, A_LENGTH);
  return buf;
}

type KnownDeviceType = Exclude<DeviceType, 'unknown'>;

/**
 * §1.1/§2.2: claims use structure 02, or 03 in the CDJ-3000-compatible
 * template; rekordbox sends 03 in all of its port-50000 packets.
 */
interface StructureChoice {
  readonly cdj3000Compatible?: boolean;
  readonly deviceType?: KnownDeviceType;
}

function claimStructure(options: StructureChoice): number {
  return options.cdj3000Compatible === true || options.deviceType === 'rekordbox' ? STRUCTURE_REKORDBOX : STRUCTURE_CDJ;
}

export interface HelloOptions {
  readonly name: string;
  /** Defaults to 'player'. */
  readonly deviceType?: KnownDeviceType;
  /** The 0x26-byte CDJ-3000 form: 0x21 = 04, 0x25 = 64. */
  readonly cdj3000Compatible?: boolean;
}

export function encodeHello(options: HelloOptions): Buffer {
  const cdj3000 = options.cdj3000Compatible === true;
  const buf = cdj3000
    ? announce(TYPE_HELLO, HELLO_LENGTH_CDJ3000, options.name, STRUCTURE_CDJ3000_HELLO)
    : announce(TYPE_HELLO, HELLO_LENGTH, options.name, STRUCTURE_CDJ);
  buf[HELLO_DEVICE_TYPE] = deviceTypeByte(options.deviceType ?? 'player');
  if (cdj3000) buf[HELLO_BYTE_25] = VARIANT_CDJ3000;
  return buf;
}

export interface Claim1Options {
  readonly name: string;
  /** N: 1, 2 or 3. */
  readonly sequence: number;
  readonly mac: MacAddress;
  readonly deviceType?: KnownDeviceType;
  readonly cdj3000Compatible?: boolean;
}

export function encodeClaim1(options: Claim1Options): Buffer {
  const buf = announce(TYPE_CLAIM_1, CLAIM_1_LENGTH, options.name, claimStructure(options));
  buf[CLAIM_1_SEQUENCE] = byteArg('sequence', options.sequence);
  buf[CLAIM_1_DEVICE_TYPE] = deviceTypeByte(options.deviceType ?? 'player');
  macBytes(options.mac).copy(buf, CLAIM_1_MAC);
  return buf;
}

export interface Claim2Options {
  readonly name: string;
  readonly ip: Ipv4Address;
  readonly mac: MacAddress;
  /** D being claimed (use 0 with assignmentRequest). */
  readonly device: number;
  readonly sequence: number;
  /** True: auto-assign (01); false: a fixed number (02). */
  readonly autoAssign: boolean;
  readonly deviceType?: KnownDeviceType;
  readonly cdj3000Compatible?: boolean;
  /** The unicast "please assign me" leg: sub-kind 01 at 0x0b. */
  readonly assignmentRequest?: boolean;
}

export function encodeClaim2(options: Claim2Options): Buffer {
  const subKind = options.assignmentRequest === true ? SUBKIND_UNICAST : 0x00;
  const buf = announce(TYPE_CLAIM_2, CLAIM_2_LENGTH, options.name, claimStructure(options), subKind);
  ipv4Bytes(options.ip).copy(buf, CLAIM_2_IP);
  macBytes(options.mac).copy(buf, CLAIM_2_MAC);
  buf[CLAIM_2_DEVICE] = byteArg('device', options.device);
  buf[CLAIM_2_SEQUENCE] = byteArg('sequence', options.sequence);
  buf[CLAIM_2_DEVICE_TYPE] = deviceTypeByte(options.deviceType ?? 'player');
  buf[CLAIM_2_AUTO] = options.autoAssign ? AUTO_ASSIGN : FIXED_NUMBER;
  return buf;
}

export interface Claim3Options {
  readonly name: string;
  readonly device: number;
  readonly sequence: number;
  readonly cdj3000Compatible?: boolean;
  /** Only selects the structure byte (03 for rekordbox). */
  readonly deviceType?: KnownDeviceType;
}

export function encodeClaim3(options: Claim3Options): Buffer {
  const buf = announce(TYPE_CLAIM_3, CLAIM_3_LENGTH, options.name, claimStructure(options));
  buf[CLAIM_DEVICE] = byteArg('device', options.device);
  buf[CLAIM_SEQUENCE] = byteArg('sequence', options.sequence);
  return buf;
}

export interface ConflictOptions {
  readonly name: string;
  /** The number we defend. */
  readonly device: number;
  /** Our IP. */
  readonly ip: Ipv4Address;
  readonly cdj3000Compatible?: boolean;
  /** Only selects the structure byte (03 for rekordbox). */
  readonly deviceType?: KnownDeviceType;
}

export function encodeConflict(options: ConflictOptions): Buffer {
  const buf = announce(TYPE_CONFLICT, CONFLICT_LENGTH, options.name, claimStructure(options));
  buf[CLAIM_DEVICE] = byteArg('device', options.device);
  ipv4Bytes(options.ip).copy(buf, CONFLICT_IP);
  return buf;
}
