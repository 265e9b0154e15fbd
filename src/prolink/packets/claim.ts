/**
 * Start-up and device-number negotiation on port 50000 (§2.2): hello 0x0a,
 * claim stages 0x00/0x02/0x04, the mixer's assignment legs 0x01/0x03/0x05 and
 * the conflict (defence) packet 0x08. Shape A header (§1.1).
 */
import { A_NAME, A_STRUCTURE, A_SUBKIND, PORT_ANNOUNCE } from './header';
import { checkPacket, nameAt, readIpv4, readMac, u8 } from './common';
import { type DeviceType, deviceTypeName } from './device-type';
import type { PacketError } from './errors';

export const TYPE_CLAIM_1 = 0x00;
export const TYPE_ASSIGN_INTENT = 0x01;
export const TYPE_CLAIM_2 = 0x02;
export const TYPE_ASSIGNMENT = 0x03;
export const TYPE_CLAIM_3 = 0x04;
export const TYPE_ASSIGNMENT_DONE = 0x05;
export const TYPE_CONFLICT = 0x08;
export const TYPE_HELLO = 0x0a;

/** §2.2 lengths. */
export const HELLO_LENGTH = 0x25;
export const HELLO_LENGTH_CDJ3000 = 0x26;
export const CLAIM_1_LENGTH = 0x2c;
export const ASSIGN_INTENT_LENGTH = 0x2f;
export const CLAIM_2_LENGTH = 0x32;
export const ASSIGNMENT_LENGTH = 0x27;
export const CLAIM_3_LENGTH = 0x26;
export const ASSIGNMENT_DONE_LENGTH = 0x26;
export const CONFLICT_LENGTH = 0x29;

/** §2.2 offsets. */
export const HELLO_DEVICE_TYPE = 0x24;
export const HELLO_BYTE_25 = 0x25;
export const CLAIM_1_SEQUENCE = 0x24;
export const CLAIM_1_DEVICE_TYPE = 0x25;
export const CLAIM_1_MAC = 0x26;
export const CLAIM_2_IP = 0x24;
export const CLAIM_2_MAC = 0x28;
export const CLAIM_2_DEVICE = 0x2e;
export const CLAIM_2_SEQUENCE = 0x2f;
export const CLAIM_2_DEVICE_TYPE = 0x30;
export const CLAIM_2_AUTO = 0x31;
export const ASSIGN_INTENT_IP = 0x24;
export const ASSIGN_INTENT_MAC = 0x28;
/** Stages 3, assignment, assignment-done and conflict: D at 0x24. */
export const CLAIM_DEVICE = 0x24;
export const CLAIM_SEQUENCE = 0x25;
export const CONFLICT_IP = 0x25;

/** §2.2: 0x31 = 01 auto-assign, 02 fixed number. */
export const AUTO_ASSIGN = 0x01;
/** §2.2: sub-kind 01 marks the unicast "please assign me" leg of stage 2. */
export const SUBKIND_UNICAST = 0x01;
/** §1.1: structure byte of the CDJ-3000-style hello. */
export const STRUCTURE_CDJ3000_HELLO = 0x04;

interface AnnounceBase {
  readonly port: number;
  readonly type: number;
  readonly name: string;
  /** 0x0b sub-kind (§1.1). */
  readonly subKind: number;
  /** 0x21 structure byte (§1.1). */
  readonly structure: number;
  readonly length: number;
}

export interface Hello extends AnnounceBase {
  readonly kind: 'hello';
  readonly device: null;
  readonly deviceType: DeviceType;
  readonly deviceTypeRaw: number;
  /** True for the one-byte-longer CDJ-3000 form (0x21 = 04). */
  readonly cdj3000Compatible: boolean;
}

export interface Claim1 extends AnnounceBase {
  readonly kind: 'claim1';
  readonly device: null;
  /** N, 1-3. */
  readonly sequence: number;
  readonly deviceType: DeviceType;
  readonly deviceTypeRaw: number;
  readonly mac: string;
}

export interface AssignIntent extends AnnounceBase {
  readonly kind: 'assignIntent';
  readonly device: null;
  /** The mixer's own addresses. */
  readonly ip: string;
  readonly mac: string;
}

export interface Claim2 extends AnnounceBase {
  readonly kind: 'claim2';
  /** D being claimed (00 in the unicast "please assign me" leg). */
  readonly device: number;
  readonly sequence: number;
  readonly ip: string;
  readonly mac: string;
  readonly deviceType: DeviceType;
  readonly deviceTypeRaw: number;
  readonly autoAssign: boolean;
  /** Sub-kind 01: unicast request for a mixer-assigned number. */
  readonly assignmentRequest: boolean;
}

export interface Assignment extends AnnounceBase {
  readonly kind: 'assignment';
  /** D the mixer assigns. */
  readonly device: number;
  readonly sequence: number;
}

export interface Claim3 extends AnnounceBase {
  readonly kind: 'claim3';
  readonly device: number;
  readonly sequence: number;
}

export interface AssignmentDone extends AnnounceBase {
  readonly kind: 'assignmentDone';
  readonly device: number;
}

export interface Conflict extends AnnounceBase {
  readonly kind: 'conflict';
  /** The number being defended. */
  readonly device: number;
  /**
   * IP at 0x25: the defender's per §2.2; captured CDJ replies carry the
   * address of the device they are sent to, so treat it as informational.
   */
  readonly ip: string;
}

export type ClaimPacket = Hello | Claim1 | AssignIntent | Claim2 | Assignment | Claim3 | AssignmentDone | Conflict;

/** The fields every announce-port packet shares (§1.1). */
function announceBase(buf: Buffer, port: number, type: number): AnnounceBase {
  return { port, type, name: nameAt(buf, A_NAME), subKind: u8(buf, A_SUBKIND), structure: u8(buf, A_STRUCTURE), length: buf.length };
}

export function decodeHello(buf: Buffer, port: number = PORT_ANNOUNCE): Hello | PacketError {
  const error = checkPacket(buf, port, TYPE_HELLO, HELLO_LENGTH, 'hello');
  if (error !== null) return error;
  const raw = u8(buf, HELLO_DEVICE_TYPE);
  const structure = u8(buf, A_STRUCTURE);
  return {
    kind: 'hello',
    ...announceBase(buf, port, TYPE_HELLO),
    device: null,
    deviceType: deviceTypeName(raw),
    deviceTypeRaw: raw,
    cdj3000Compatible: structure === STRUCTURE_CDJ3000_HELLO,
  };
}

export function decodeClaim1(buf: Buffer, port: number = PORT_ANNOUNCE): Claim1 | PacketError {
  const error = checkPacket(buf, port, TYPE_CLAIM_1, CLAIM_1_LENGTH, 'claim stage 1');
  if (error !== null) return error;
  const raw = u8(buf, CLAIM_1_DEVICE_TYPE);
  return {
    kind: 'claim1',
    ...announceBase(buf, port, TYPE_CLAIM_1),
    device: null,
    sequence: u8(buf, CLAIM_1_SEQUENCE),
    deviceType: deviceTypeName(raw),
    deviceTypeRaw: raw,
    mac: readMac(buf, CLAIM_1_MAC),
  };
}

export function decodeAssignIntent(buf: Buffer, port: number = PORT_ANNOUNCE): AssignIntent | PacketError {
  const error = checkPacket(buf, port, TYPE_ASSIGN_INTENT, ASSIGN_INTENT_MAC + 6, 'assignment intention');
  if (error !== null) return error;
  return {
    kind: 'assignIntent',
    ...announceBase(buf, port, TYPE_ASSIGN_INTENT),
    device: null,
    ip: readIpv4(buf, ASSIGN_INTENT_IP),
    mac: readMac(buf, ASSIGN_INTENT_MAC),
  };
}

export function decodeClaim2(buf: Buffer, port: number = PORT_ANNOUNCE): Claim2 | PacketError {
  const error = checkPacket(buf, port, TYPE_CLAIM_2, CLAIM_2_LENGTH, 'claim stage 2');
  if (error !== null) return error;
  const raw = u8(buf, CLAIM_2_DEVICE_TYPE);
  const subKind = u8(buf, A_SUBKIND);
  return {
    kind: 'claim2',
    ...announceBase(buf, port, TYPE_CLAIM_2),
    device: u8(buf, CLAIM_2_DEVICE),
    sequence: u8(buf, CLAIM_2_SEQUENCE),
    ip: readIpv4(buf, CLAIM_2_IP),
    mac: readMac(buf, CLAIM_2_MAC),
    deviceType: deviceTypeName(raw),
    deviceTypeRaw: raw,
    autoAssign: u8(buf, CLAIM_2_AUTO) === AUTO_ASSIGN,
    assignmentRequest: subKind === SUBKIND_UNICAST,
  };
}

export function decodeAssignment(buf: Buffer, port: number = PORT_ANNOUNCE): Assignment | PacketError {
  const error = checkPacket(buf, port, TYPE_ASSIGNMENT, CLAIM_SEQUENCE + 1, 'assignment');
  if (error !== null) return error;
  return {
    kind: 'assignment',
    ...announceBase(buf, port, TYPE_ASSIGNMENT),
    device: u8(buf, CLAIM_DEVICE),
    sequence: u8(buf, CLAIM_SEQUENCE),
  };
}

export function decodeClaim3(buf: Buffer, port: number = PORT_ANNOUNCE): Claim3 | PacketError {
  const error = checkPacket(buf, port, TYPE_CLAIM_3, CLAIM_3_LENGTH, 'claim stage 3');
  if (error !== null) return error;
  return {
    kind: 'claim3',
    ...announceBase(buf, port, TYPE_CLAIM_3),
    device: u8(buf, CLAIM_DEVICE),
    sequence: u8(buf, CLAIM_SEQUENCE),
  };
}

export function decodeAssignmentDone(buf: Buffer, port: number = PORT_ANNOUNCE): AssignmentDone | PacketError {
  const error = checkPacket(buf, port, TYPE_ASSIGNMENT_DONE, CLAIM_DEVICE + 1, 'assignment finished');
  if (error !== null) return error;
  return {
    kind: 'assignmentDone',
    ...announceBase(buf, port, TYPE_ASSIGNMENT_DONE),
    device: u8(buf, CLAIM_DEVICE),
  };
}

export function decodeConflict(buf: Buffer, port: number = PORT_ANNOUNCE): Conflict | PacketError {
  const error = checkPacket(buf, port, TYPE_CONFLICT, CONFLICT_LENGTH, 'conflict');
  if (error !== null) return error;
  return {
    kind: 'conflict',
    ...announceBase(buf, port, TYPE_CONFLICT),
    device: u8(buf, CLAIM_DEVICE),
    ip: readIpv4(buf, CONFLICT_IP),
  };
}
