/**
 * Tempo-master hand-off (0x26 request, 0x27 response) and sync control (0x2a),
 * port 50001 (§6.3).
 */
import { B_DEVICE, B_NAME, PORT_BEAT } from './header';
import { checkPacket, nameAt, u8 } from './common';
import type { PacketError } from './errors';

export const TYPE_MASTER_REQUEST = 0x26;
export const TYPE_MASTER_RESPONSE = 0x27;
export const TYPE_SYNC_CONTROL = 0x2a;

/** §6.3 lengths and offsets. */
export const MASTER_REQUEST_LENGTH = 0x28;
export const MASTER_RESPONSE_LENGTH = 0x2c;
export const SYNC_CONTROL_LENGTH = 0x2c;
/** D of the sender, repeated in the body. */
export const CONTROL_SENDER = 0x27;
/** Response: 01 = accepted. Sync control: the command. */
export const CONTROL_VALUE = 0x2b;

export const RESPONSE_ACCEPTED = 0x01;
export const SYNC_ON = 0x10;
export const SYNC_OFF = 0x20;
export const BECOME_MASTER = 0x01;

export type SyncCommand = 'syncOn' | 'syncOff' | 'becomeMaster' | 'unknown';

export interface MasterRequest {
  readonly kind: 'masterRequest';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  /** D of the would-be master (0x27). */
  readonly requester: number;
  readonly length: number;
}

export interface MasterResponse {
  readonly kind: 'masterResponse';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  /** D of the current master answering (0x27). */
  readonly responder: number;
  readonly accepted: boolean;
  readonly length: number;
}

export interface SyncControl {
  readonly kind: 'syncControl';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  /** D of the sender (0x27). */
  readonly sender: number;
  readonly command: SyncCommand;
  readonly commandRaw: number;
  readonly length: number;
}

export function decodeMasterRequest(buf: Buffer, port: number = PORT_BEAT): MasterRequest | PacketError {
  const error = checkPacket(buf, port, TYPE_MASTER_REQUEST, MASTER_REQUEST_LENGTH, 'master hand-off request');
  if (error !== null) return error;
  return {
    kind: 'masterRequest',
    port,
    type: TYPE_MASTER_REQUEST,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    requester: u8(buf, CONTROL_SENDER),
    length: buf.length,
  };
}

export function decodeMasterResponse(buf: Buffer, port: number = PORT_BEAT): MasterResponse | PacketError {
  const error = checkPacket(buf, port, TYPE_MASTER_RESPONSE, MASTER_RESPONSE_LENGTH, 'master hand-off response');
  if (error !== null) return error;
  return {
    kind: 'masterResponse',
    port,
    type: TYPE_MASTER_RESPONSE,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    responder: u8(buf, CONTROL_SENDER),
    accepted: u8(buf, CONTROL_VALUE) === RESPONSE_ACCEPTED,
    length: buf.length,
  };
}

function syncCommand(raw: number): SyncCommand {
  switch (raw) {
    case SYNC_ON:
      return 'syncOn';
    case SYNC_OFF:
      return 'syncOff';
    case BECOME_MASTER:
      return 'becomeMaster';
    default:
      return 'unknown';
  }
}

export function decodeSyncControl(buf: Buffer, port: number = PORT_BEAT): SyncControl | PacketError {
  const error = checkPacket(buf, port, TYPE_SYNC_CONTROL, SYNC_CONTROL_LENGTH, 'sync control packet');
  if (error !== null) return error;
  const raw = u8(buf, CONTROL_VALUE);
  return {
    kind: 'syncControl',
    port,
    type: TYPE_SYNC_CONTROL,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    sender: u8(buf, CONTROL_SENDER),
    command: syncCommand(raw),
    commandRaw: raw,
    length: buf.length,
  };
}
