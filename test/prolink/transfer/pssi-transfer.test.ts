import { findPssiTag } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { parsePssiTag } from '../../../src/prolink/phrases/pssi';
import { ChunkReassembler } from '../../../src/prolink/transfer/chunk-reassembler';
import { DATA_TYPE_PSSI } from '../../../src/prolink/packets/binary-chunk';
import { pssiTagFromTransfer, songStructureFromTransfer } from '../../../src/prolink/transfer/pssi-transfer';
import type { PushResult } from '../../../src/prolink/transfer/types';
import { ANLZ, DEMO2_PHRASES, readAnlz } from '../phrases/anlz-fixtures';
import { capturedArtChunks, splitIntoChunks } from './chunks';

const TAG = ((): Buffer => {
  const lookup = findPssiTag(readAnlz(ANLZ.demo2Export));
  if (lookup instanceof PhraseError || lookup.status !== 'found') throw new Error('no PSSI tag');
  return Buffer.from(lookup.tag);
})();

function errorCode(result: unknown): string {
  if (!(result instanceof PhraseError)) throw new Error('expected a PhraseError');
  return result.code;
}

describe('PSSI out of a reassembled 0x56 transfer (§7.4)', () => {
  it('cuts the tag at its own len_tag, keeping trailing zero bytes that belong to it', () => {
    // The masked tag's last bytes are not zero, but an unmasked tag may well end in zeros,
    // which trimming would eat; len_tag keeps them.
    const local = findPssiTag(readAnlz(ANLZ.demo2Local));
    if (local instanceof PhraseError || local.status !== 'found') throw new Error('no PSSI tag');
    const plain = Buffer.from(local.tag);
    expect(plain[plain.length - 1]).toBe(0);
    const padded = Buffer.concat([plain, Buffer.alloc(100)]);
    const tag = pssiTagFromTransfer(padded);
    if (tag instanceof PhraseError) throw new Error(tag.toString());
    expect(tag.equals(plain)).toBe(true);
  });

  it('reassembles a chunked, padded tag and parses the Demo Track 2 phrases', () => {
    const r = new ChunkReassembler({ now: () => 0 });
    const sent = Buffer.concat([TAG, Buffer.alloc(37), Buffer.from([1, 2, 3])]);
    const chunks = splitIntoChunks(sent, 64, { deck: 3, dataType: DATA_TYPE_PSSI, trackId: 7 });
    let last: PushResult | null = null;
    for (const c of [...chunks].reverse()) last = r.push(c);
    if (last === null || last.status !== 'complete') throw new Error('not complete');
    const s = songStructureFromTransfer(last.data);
    if (s instanceof PhraseError) throw new Error(s.toString());
    expect(s.phrases.map((p) => `${p.index}:${p.beat}:${p.kindRaw}`).join(' ')).toBe(DEMO2_PHRASES);
    expect(s).toEqual(parsePssiTag(TAG));
    expect(s.masked).toBe(true);
  });

  it('rejects data that is not a PSSI tag or is shorter than len_tag says', () => {
    expect(errorCode(pssiTagFromTransfer(Buffer.alloc(5)))).toBe('too-short');
    const [art] = capturedArtChunks();
    if (art === undefined) throw new Error('no art chunk');
    expect(errorCode(pssiTagFromTransfer(art.payload))).toBe('bad-fourcc');
    expect(errorCode(songStructureFromTransfer(art.payload))).toBe('bad-fourcc');
    expect(errorCode(pssiTagFromTransfer(TAG.subarray(0, TAG.length - 1)))).toBe('too-short');
    const tiny = Buffer.from(TAG);
    tiny.writeUInt32BE(12, 8);
    expect(errorCode(pssiTagFromTransfer(tiny))).toBe('bad-length');
  });
});
