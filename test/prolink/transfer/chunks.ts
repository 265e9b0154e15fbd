/**
 * Test helpers: split real bytes into 0x56-style chunks, and decode the two
 * captured (truncated) OPUS-QUAD album-art datagrams with the packet decoder;
 * a reassembler on virtual time.
 */
import { DATA_TYPE_PSSI, decodeBinaryChunk, type BinaryChunk } from '../../../src/prolink/packets/binary-chunk';
import { PacketError } from '../../../src/prolink/packets/errors';
import { findPssiTag } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { ChunkReassembler, type ReassemblerOptions } from '../../../src/prolink/transfer/chunk-reassembler';
import type { PushResult, TransferChunk, TransferKey } from '../../../src/prolink/transfer/types';
import { readHexFixture } from '../../support/fixtures';
import { ANLZ, readAnlz } from '../phrases/anlz-fixtures';

export function splitIntoChunks(data: Buffer, size: number, key: TransferKey): TransferChunk[] {
  const count = Math.max(1, Math.ceil(data.length / size));
  const chunks: TransferChunk[] = [];
  for (let i = 0; i < count; i++) {
    chunks.push({
      ...key,
      chunkIndex: i,
      chunkCount: count,
      payload: data.subarray(i * size, Math.min(data.length, (i + 1) * size)),
      truncated: false,
    });
  }
  return chunks;
}

/** kyleawayan's first 160 bytes of OPUS album-art chunks 0 and 1 (PROVENANCE, last section). */
export function capturedArtChunks(): BinaryChunk[] {
  return ['art-chunk0-0x56-first160.hex', 'art-chunk1-0x56-first160.hex'].map((file) => {
    const decoded = decodeBinaryChunk(readHexFixture('kyleawayan__opus-quad-pro-dj-link-analysis', file));
    if (decoded instanceof PacketError) throw new Error(decoded.toString());
    return decoded;
  });
}

/** The masked PSSI tag of Demo Track 1 (PROVENANCE §6), 488 bytes. */
export const PSSI_TAG = ((): Buffer => {
  const lookup = findPssiTag(readAnlz(ANLZ.demo1Export));
  if (lookup instanceof PhraseError || lookup.status !== 'found') throw new Error('no PSSI tag');
  return Buffer.from(lookup.tag);
})();

export const DECK1: TransferKey = { deck: 1, dataType: DATA_TYPE_PSSI, trackId: 184 };

/** A reassembler on virtual time; `clock.t` is the current millisecond. */
export function setup(options: Partial<ReassemblerOptions> = {}): { r: ChunkReassembler; clock: { t: number } } {
  const clock = { t: 1000 };
  return { r: new ChunkReassembler({ ...options, now: () => clock.t }), clock };
}

export function completeData(result: PushResult): Buffer {
  if (result.status !== 'complete') throw new Error(`expected complete, got ${result.status}`);
  return result.data;
}
