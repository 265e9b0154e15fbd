/**
 * OPUS-QUAD binary metadata chunk, type 0x56 on port 50002 (§7.1). One chunk
 * of an album-art or PSSI transfer; datagrams reach 1420 bytes.
 */
import { B_DEVICE, B_LENGTH, B_NAME, BODY, OPUS_NAME, PORT_STATUS, opusDeck } from './header';
import { badLength, checkPacket, nameAt, u16, u32, u8 } from './common';
import type { PacketError } from './errors';

export const TYPE_BINARY_CHUNK = 0x56;

/** §7.1 offsets. */
export const BC_DATA_TYPE = 0x25;
export const BC_TRACK_ID = 0x28;
export const BC_CHUNK_INDEX = 0x30;
export const BC_CHUNK_COUNT = 0x32;
export const BC_PAYLOAD = 0x34;
/** §7.1: payload length = len_r - 0x10. */
export const BC_HEADER_AFTER_LENGTH = BC_PAYLOAD - BODY;

/** §7.2 data types. */
export const DATA_TYPE_TRACK_CHANGE = 0x01;
export const DATA_TYPE_ART = 0x02;
export const DATA_TYPE_PSSI = 0x0a;

export interface BinaryChunk {
  readonly kind: 'binaryChunk';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  /** D at 0x21 (9-12 on the OPUS-QUAD). */
  readonly device: number;
  readonly deck: number;
  /** §7.2: 02 album art (JPEG), 0a PSSI, 01/04/06 not understood. */
  readonly dataType: number;
  readonly trackId: number;
  /** 0-based. */
  readonly chunkIndex: number;
  /** Total number of chunks. */
  readonly chunkCount: number;
  /** len_r - 0x10: what the sender says the payload holds. */
  readonly declaredPayloadLength: number;
  /** The payload bytes present (a view into the datagram, not a copy). */
  readonly payload: Buffer;
  /** The datagram is shorter than len_r says (payload.length < declaredPayloadLength). */
  readonly truncated: boolean;
  readonly length: number;
}

export function decodeBinaryChunk(buf: Buffer, port: number = PORT_STATUS): BinaryChunk | PacketError {
  const error = checkPacket(buf, port, TYPE_BINARY_CHUNK, BC_PAYLOAD, 'binary chunk');
  if (error !== null) return error;
  const lenR = u16(buf, B_LENGTH);
  if (lenR < BC_HEADER_AFTER_LENGTH) {
    return badLength(buf, port, `binary chunk len_r 0x${lenR.toString(16)} is shorter than its own header (0x10)`);
  }
  const declaredEnd = BODY + lenR;
  const end = Math.min(buf.length, declaredEnd);
  const name = nameAt(buf, B_NAME);
  const device = u8(buf, B_DEVICE);
  return {
    kind: 'binaryChunk',
    port,
    type: TYPE_BINARY_CHUNK,
    name,
    device,
    deck: name === OPUS_NAME ? opusDeck(device) : device,
    dataType: u8(buf, BC_DATA_TYPE),
    trackId: u32(buf, BC_TRACK_ID),
    chunkIndex: u16(buf, BC_CHUNK_INDEX),
    chunkCount: u16(buf, BC_CHUNK_COUNT),
    declaredPayloadLength: lenR - BC_HEADER_AFTER_LENGTH,
    payload: buf.subarray(BC_PAYLOAD, end),
    truncated: buf.length < declaredEnd,
    length: buf.length,
  };
}
