/**
 * Every decoded Pro DJ Link datagram is one of these, told apart by `kind`.
 * Each also carries `port`, `type` (byte 0x0a), `name` (the sender's device
 * name) and `device` (the device number as sent, or null where the family has
 * none) and `length` (datagram bytes).
 */
import type { Beat } from './beat';
import type { BinaryChunk } from './binary-chunk';
import type { CdjStatus } from './cdj-status';
import type { Assignment, AssignmentDone, AssignIntent, Claim1, Claim2, Claim3, Conflict, Hello } from './claim';
import type { FaderStart } from './fader-start';
import type { KeepAlive } from './keep-alive';
import type { MasterRequest, MasterResponse, SyncControl } from './master-sync';
import type { MediaQuery, MediaResponse } from './media';
import type { MixerStatus } from './mixer-status';
import type { OnAir } from './on-air';
import type { PhraseRequest } from './phrase-request';
import type { PrecisePosition } from './precise-position';
import type { OpusHello, StatusRequest } from './status-request';
import type { UnknownPacket } from './unknown';

export type Packet =
  // port 50000
  | KeepAlive
  | Hello
  | Claim1
  | AssignIntent
  | Claim2
  | Assignment
  | Claim3
  | AssignmentDone
  | Conflict
  // port 50001
  | Beat
  | PrecisePosition
  | OnAir
  | MasterRequest
  | MasterResponse
  | SyncControl
  | FaderStart
  // port 50002
  | CdjStatus
  | MixerStatus
  | OpusHello
  | StatusRequest
  | PhraseRequest
  | BinaryChunk
  | MediaQuery
  | MediaResponse
  // anything else
  | UnknownPacket;

export type PacketKind = Packet['kind'];

/** The packet of a given kind, e.g. `PacketOf<'beat'>`. */
export type PacketOf<K extends PacketKind> = Extract<Packet, { readonly kind: K }>;

const KINDS: Readonly<Record<PacketKind, true>> = {
  keepAlive: true,
  hello: true,
  claim1: true,
  assignIntent: true,
  claim2: true,
  assignment: true,
  claim3: true,
  assignmentDone: true,
  conflict: true,
  beat: true,
  precisePosition: true,
  onAir: true,
  masterRequest: true,
  masterResponse: true,
  syncControl: true,
  faderStart: true,
  cdjStatus: true,
  mixerStatus: true,
  opusHello: true,
  statusRequest: true,
  phraseRequest: true,
  binaryChunk: true,
  mediaQuery: true,
  mediaResponse: true,
  unknown: true,
};

/** All kinds, 'unknown' included. */
export const PACKET_KINDS: readonly PacketKind[] = Object.keys(KINDS) as PacketKind[];

export function isPacketKind(value: string): value is PacketKind {
  return Object.prototype.hasOwnProperty.call(KINDS, value);
}
