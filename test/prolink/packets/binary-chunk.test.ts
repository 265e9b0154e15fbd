import { decodeBinaryChunk, type BinaryChunk } from '../../../src/prolink/packets/binary-chunk';
import { PacketError } from '../../../src/prolink/packets/errors';
import { readHexFixture } from '../../support/fixtures';

const KYLE = 'kyleawayan__opus-quad-pro-dj-link-analysis';
/** First 160 bytes of two real OPUS-QUAD album-art chunks (PROVENANCE, kyleawayan section). */
const CHUNK0 = readHexFixture(KYLE, 'art-chunk0-0x56-first160.hex');
const CHUNK1 = readHexFixture(KYLE, 'art-chunk1-0x56-first160.hex');
const JFIF = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46];

function chunk(bytes: Buffer): BinaryChunk {
  const result = decodeBinaryChunk(bytes);
  if (result instanceof PacketError) throw new Error(result.toString());
  return result;
}

describe('OPUS 0x56 binary chunk (§7.1)', () => {
  it('reads the header of the truncated captures and flags them truncated', () => {
    const first = chunk(CHUNK0);
    expect(first).toMatchObject({ deck: 1, dataType: 2, trackId: 414, chunkIndex: 0, chunkCount: 2, truncated: true });
    expect(first.declaredPayloadLength).toBe(1368);
    expect(first.payload.length).toBe(160 - 0x34);
    expect([...first.payload.subarray(0, JFIF.length)]).toEqual(JFIF);
    const second = chunk(CHUNK1);
    expect(second).toMatchObject({ chunkIndex: 1, chunkCount: 2, declaredPayloadLength: 1248, truncated: true });
  });

  it('gives the payload as a view into the datagram, not a copy', () => {
    const first = chunk(CHUNK0);
    expect(first.payload.buffer).toBe(CHUNK0.buffer);
    expect(first.payload.byteOffset).toBe(CHUNK0.byteOffset + 0x34);
  });

  it('is complete when the datagram has all len_r bytes (1420-byte full chunk)', () => {
    const full = Buffer.concat([CHUNK0, Buffer.alloc(1420 - CHUNK0.length, 0x5a)]);
    const c = chunk(full);
    expect(c).toMatchObject({ truncated: false, declaredPayloadLength: 1368, length: 1420 });
    expect(c.payload.length).toBe(1368);
  });

  it('drops bytes beyond len_r (trailing padding) from the payload', () => {
    const padded = Buffer.concat([CHUNK1, Buffer.alloc(1300 - CHUNK1.length + 16)]);
    const c = chunk(padded);
    expect(c.truncated).toBe(false);
    expect(c.payload.length).toBe(1248);
  });

  it('reads the 16-bit chunk index and count (§7.1: not just the low bytes)', () => {
    const big = Buffer.from(CHUNK0);
    big.writeUInt16BE(0x0102, 0x30);
    big.writeUInt16BE(0x0203, 0x32);
    expect(chunk(big)).toMatchObject({ chunkIndex: 0x102, chunkCount: 0x203 });
  });

  it('rejects a len_r smaller than its own header', () => {
    const bad = Buffer.from(CHUNK0);
    bad.writeUInt16BE(0x000f, 0x22);
    const result = decodeBinaryChunk(bad);
    expect(result).toBeInstanceOf(PacketError);
    expect(result).toMatchObject({ code: 'bad-length', type: 0x56, length: 160 });
    bad.writeUInt16BE(0x0010, 0x22);
    expect(chunk(bad)).toMatchObject({ declaredPayloadLength: 0, truncated: false });
    expect(chunk(bad).payload.length).toBe(0);
  });

  it('needs the header up to 0x34', () => {
    expect(decodeBinaryChunk(CHUNK0.subarray(0, 0x33))).toMatchObject({ code: 'too-short' });
    expect(chunk(CHUNK0.subarray(0, 0x34))).toMatchObject({ truncated: true, chunkCount: 2 });
  });
});
