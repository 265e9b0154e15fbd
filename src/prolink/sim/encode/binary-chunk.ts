/**
 * OPUS-QUAD binary metadata chunk, type 0x56 on port 50002 (protocol doc
 * §7.1), and the split of a whole transfer (album art, PSSI) into chunks.
 * The header bytes whose meaning is unknown carry the values of the two
 * captured album-art chunks.
 */
import {
  BC_CHUNK_COUNT,
  BC_CHUNK_INDEX,
  BC_DATA_TYPE,
  BC_HEADER_AFTER_LENGTH,
  BC_PAYLOAD,
  BC_TRACK_ID,
  TYPE_BINARY_CHUNK,
} from '../../packets/binary-chunk';
import { EncodeError, byteArg, u32Arg } from '../../packets/encode';
import { OPUS_NAME } from '../../packets/header';
import { shapeB } from './shape-b';

/** §7.1: unknown fields, captured as 00 01 (0x26), D (0x2c), 00 (0x2d), 01 00 (0x2e). */
const BC_BYTES_26 = 0x26;
const BC_BYTES_26_VALUE = 0x0001;
const BC_SOURCE = 0x2c;
const BC_BYTES_2E = 0x2e;
const BC_BYTES_2E_VALUE = 0x0100;

/** §7.1: a full chunk carried 0x558 = 1368 payload bytes (a 1420-byte datagram). */
export const CHUNK_PAYLOAD_MAX = 0x558;
/** len_r is 16 bits and covers 0x10 header bytes plus the payload. */
const PAYLOAD_LIMIT = 0xffff - BC_HEADER_AFTER_LENGTH;

export interface BinaryChunkFields {
  /** Defaults to OPUS-QUAD. */
  readonly name?: string;
  /** D: the deck's device number, 9–12. */
  readonly device: number;
  /** §7.2: 02 album art, 0a PSSI. */
  readonly dataType: number;
  readonly trackId: number;
  readonly chunkIndex: number;
  readonly chunkCount: number;
  readonly payload: Buffer;
  /** Byte 0x2c (unknown; captured equal to D). */
  readonly source?: number;
}

export function encodeBinaryChunk(f: BinaryChunkFields): Buffer {
  if (f.payload.length > PAYLOAD_LIMIT) {
    throw new EncodeError('bad-argument', `a 0x56 chunk holds at most ${PAYLOAD_LIMIT} payload bytes, not ${f.payload.length}`);
  }
  if (!Number.isInteger(f.chunkCount) || f.chunkCount < 1 || f.chunkCount > 0xffff) {
    throw new EncodeError('bad-argument', `chunk count ${f.chunkCount} must be 1–65535`);
  }
  if (!Number.isInteger(f.chunkIndex) || f.chunkIndex < 0 || f.chunkIndex >= f.chunkCount) {
    throw new EncodeError('bad-argument', `chunk index ${f.chunkIndex} must be below the count ${f.chunkCount}`);
  }
  const buf = shapeB({ type: TYPE_BINARY_CHUNK, length: BC_PAYLOAD + f.payload.length, name: f.name ?? OPUS_NAME, device: f.device });
  buf[BC_DATA_TYPE] = byteArg('dataType', f.dataType);
  buf.writeUInt16BE(BC_BYTES_26_VALUE, BC_BYTES_26);
  buf.writeUInt32BE(u32Arg('trackId', f.trackId), BC_TRACK_ID);
  buf[BC_SOURCE] = byteArg('source', f.source ?? f.device);
  buf.writeUInt16BE(BC_BYTES_2E_VALUE, BC_BYTES_2E);
  buf.writeUInt16BE(f.chunkIndex, BC_CHUNK_INDEX);
  buf.writeUInt16BE(f.chunkCount, BC_CHUNK_COUNT);
  f.payload.copy(buf, BC_PAYLOAD);
  return buf;
}

export interface TransferFields {
  readonly name?: string;
  readonly device: number;
  readonly dataType: number;
  readonly trackId: number;
  readonly source?: number;
}

/**
 * Every 0x56 datagram of one transfer: `data` cut into chunks of at most
 * `maxPayload` bytes (the last one shorter), indices 0 … count − 1. An empty
 * transfer is one empty chunk.
 */
export function encodeTransfer(t: TransferFields, data: Buffer, maxPayload: number = CHUNK_PAYLOAD_MAX): Buffer[] {
  if (!Number.isInteger(maxPayload) || maxPayload < 1 || maxPayload > PAYLOAD_LIMIT) {
    throw new EncodeError('bad-argument', `chunk payload size ${maxPayload} must be 1–${PAYLOAD_LIMIT}`);
  }
  const count = Math.max(1, Math.ceil(data.length / maxPayload));
  const chunks: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const payload = data.subarray(i * maxPayload, Math.min(data.length, (i + 1) * maxPayload));
    chunks.push(encodeBinaryChunk({ ...t, chunkIndex: i, chunkCount: count, payload }));
  }
  return chunks;
}
