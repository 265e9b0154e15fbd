/**
 * decodePacket: one entry point for every datagram, dispatching on the
 * (port, type) pair through a table (§1.2: the same type byte means different
 * things on different ports).
 */
import { OFFSET_TYPE, PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS } from './header';
import { PacketError } from './errors';
import { u8 } from './common';
import type { Packet, PacketKind } from './packet';
import { TYPE_KEEP_ALIVE, decodeKeepAlive } from './keep-alive';
import {
  TYPE_ASSIGNMENT,
  TYPE_ASSIGNMENT_DONE,
  TYPE_ASSIGN_INTENT,
  TYPE_CLAIM_1,
  TYPE_CLAIM_2,
  TYPE_CLAIM_3,
  TYPE_CONFLICT,
  TYPE_HELLO,
  decodeAssignIntent,
  decodeAssignment,
  decodeAssignmentDone,
  decodeClaim1,
  decodeClaim2,
  decodeClaim3,
  decodeConflict,
  decodeHello,
} from './claim';
import { TYPE_BEAT, decodeBeat } from './beat';
import { TYPE_PRECISE_POSITION, decodePrecisePosition } from './precise-position';
import { TYPE_ON_AIR, decodeOnAir } from './on-air';
import { TYPE_FADER_START, decodeFaderStart } from './fader-start';
import {
  TYPE_MASTER_REQUEST,
  TYPE_MASTER_RESPONSE,
  TYPE_SYNC_CONTROL,
  decodeMasterRequest,
  decodeMasterResponse,
  decodeSyncControl,
} from './master-sync';
import { TYPE_CDJ_STATUS, decodeCdjStatus } from './cdj-status';
import { TYPE_MIXER_STATUS, decodeMixerStatus } from './mixer-status';
import { TYPE_OPUS_HELLO, TYPE_STATUS_REQUEST, decodeOpusHello, decodeStatusRequest } from './status-request';
import { TYPE_PHRASE_REQUEST, decodePhraseRequest } from './phrase-request';
import { TYPE_BINARY_CHUNK, decodeBinaryChunk } from './binary-chunk';
import { TYPE_MEDIA_QUERY, TYPE_MEDIA_RESPONSE, decodeMediaQuery, decodeMediaResponse } from './media';
import { decodeUnknown } from './unknown';

export type PacketDecoder = (buf: Buffer, port: number) => Packet | PacketError;

export interface PacketTableEntry {
  readonly port: number;
  readonly type: number;
  readonly kind: Exclude<PacketKind, 'unknown'>;
  readonly decode: PacketDecoder;
}

function entry(
  port: number,
  type: number,
  kind: Exclude<PacketKind, 'unknown'>,
  decode: PacketDecoder,
): PacketTableEntry {
  return { port, type, kind, decode };
}

/** Every (port, type) this codec interprets (§1.2). */
export const PACKET_TABLE: readonly PacketTableEntry[] = [
  entry(PORT_ANNOUNCE, TYPE_CLAIM_1, 'claim1', decodeClaim1),
  entry(PORT_ANNOUNCE, TYPE_ASSIGN_INTENT, 'assignIntent', decodeAssignIntent),
  entry(PORT_ANNOUNCE, TYPE_CLAIM_2, 'claim2', decodeClaim2),
  entry(PORT_ANNOUNCE, TYPE_ASSIGNMENT, 'assignment', decodeAssignment),
  entry(PORT_ANNOUNCE, TYPE_CLAIM_3, 'claim3', decodeClaim3),
  entry(PORT_ANNOUNCE, TYPE_ASSIGNMENT_DONE, 'assignmentDone', decodeAssignmentDone),
  entry(PORT_ANNOUNCE, TYPE_KEEP_ALIVE, 'keepAlive', decodeKeepAlive),
  entry(PORT_ANNOUNCE, TYPE_CONFLICT, 'conflict', decodeConflict),
  entry(PORT_ANNOUNCE, TYPE_HELLO, 'hello', decodeHello),
  entry(PORT_BEAT, TYPE_FADER_START, 'faderStart', decodeFaderStart),
  entry(PORT_BEAT, TYPE_ON_AIR, 'onAir', decodeOnAir),
  entry(PORT_BEAT, TYPE_PRECISE_POSITION, 'precisePosition', decodePrecisePosition),
  entry(PORT_BEAT, TYPE_MASTER_REQUEST, 'masterRequest', decodeMasterRequest),
  entry(PORT_BEAT, TYPE_MASTER_RESPONSE, 'masterResponse', decodeMasterResponse),
  entry(PORT_BEAT, TYPE_BEAT, 'beat', decodeBeat),
  entry(PORT_BEAT, TYPE_SYNC_CONTROL, 'syncControl', decodeSyncControl),
  entry(PORT_STATUS, TYPE_MEDIA_QUERY, 'mediaQuery', decodeMediaQuery),
  entry(PORT_STATUS, TYPE_MEDIA_RESPONSE, 'mediaResponse', decodeMediaResponse),
  entry(PORT_STATUS, TYPE_CDJ_STATUS, 'cdjStatus', decodeCdjStatus),
  entry(PORT_STATUS, TYPE_OPUS_HELLO, 'opusHello', decodeOpusHello),
  entry(PORT_STATUS, TYPE_STATUS_REQUEST, 'statusRequest', decodeStatusRequest),
  entry(PORT_STATUS, TYPE_MIXER_STATUS, 'mixerStatus', decodeMixerStatus),
  entry(PORT_STATUS, TYPE_PHRASE_REQUEST, 'phraseRequest', decodePhraseRequest),
  entry(PORT_STATUS, TYPE_BINARY_CHUNK, 'binaryChunk', decodeBinaryChunk),
];

type DecoderRow = readonly (PacketTableEntry | undefined)[];

function rowFor(port: number): DecoderRow {
  const row = new Array<PacketTableEntry | undefined>(256).fill(undefined);
  for (const e of PACKET_TABLE) if (e.port === port) row[e.type] = e;
  return row;
}

const ANNOUNCE_ROW = rowFor(PORT_ANNOUNCE);
const BEAT_ROW = rowFor(PORT_BEAT);
const STATUS_ROW = rowFor(PORT_STATUS);

function rowOf(port: number): DecoderRow | null {
  switch (port) {
    case PORT_ANNOUNCE:
      return ANNOUNCE_ROW;
    case PORT_BEAT:
      return BEAT_ROW;
    case PORT_STATUS:
      return STATUS_ROW;
    default:
      return null;
  }
}

/** The table entry for (port, type), or null when the pair is not interpreted. */
export function packetEntryFor(port: number, type: number): PacketTableEntry | null {
  return rowOf(port)?.[type] ?? null;
}

/**
 * Decodes one UDP payload received on `port`. Never throws: returns a Packet
 * (kind 'unknown' for pairs outside the table) or a PacketError.
 */
export function decodePacket(port: number, buf: Buffer): Packet | PacketError {
  if (buf.length <= OFFSET_TYPE) {
    return new PacketError('too-short', `datagram of ${buf.length} bytes has no type byte`, port, null, buf.length);
  }
  const known = rowOf(port)?.[u8(buf, OFFSET_TYPE)];
  return known === undefined ? decodeUnknown(buf, port) : known.decode(buf, port);
}
