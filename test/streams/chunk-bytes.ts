/** 0x56 datagrams laid out as §7.1 describes, decoded by the real codec. */
import { decodeBinaryChunk, type BinaryChunk } from '../../src/prolink/packets/binary-chunk';
import { isPacketError } from '../../src/prolink/packets/errors';
import { writeName } from '../../src/prolink/packets/header';

export function chunkBytes(deckDevice: number, dataType: number, trackId: number, index: number, count: number, payload: Buffer): Buffer {
  const buf = Buffer.alloc(0x34 + payload.length);
  Buffer.from('Qspt1WmJOL', 'latin1').copy(buf, 0);
  buf[0x0a] = 0x56;
  writeName(buf, 0x0b, 'OPUS-QUAD');
  buf[0x1f] = 0x01;
  buf[0x21] = deckDevice;
  buf.writeUInt16BE(payload.length + 0x10, 0x22);
  buf[0x25] = dataType;
  buf.writeUInt16BE(0x0001, 0x26);
  buf.writeUInt32BE(trackId, 0x28);
  buf[0x2c] = deckDevice;
  buf.writeUInt16BE(0x0100, 0x2e);
  buf.writeUInt16BE(index, 0x30);
  buf.writeUInt16BE(count, 0x32);
  payload.copy(buf, 0x34);
  return buf;
}

/** Splits data into decoded 0x56 chunks of at most `size` payload bytes. */
export function chunksOf(deckDevice: number, dataType: number, trackId: number, data: Buffer, size = 1368): BinaryChunk[] {
  const count = Math.ceil(data.length / size);
  return Array.from({ length: count }, (_, i) => {
    const decoded = decodeBinaryChunk(chunkBytes(deckDevice, dataType, trackId, i, count, data.subarray(i * size, (i + 1) * size)));
    if (isPacketError(decoded)) throw new Error(String(decoded));
    return decoded;
  });
}
