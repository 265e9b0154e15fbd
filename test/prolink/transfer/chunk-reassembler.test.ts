import fc from 'fast-check';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { DATA_TYPE_ART, DATA_TYPE_PSSI } from '../../../src/prolink/packets/binary-chunk';
import { songStructureFromTransfer } from '../../../src/prolink/transfer/pssi-transfer';
import type { PushResult, TransferChunk, TransferEvent } from '../../../src/prolink/transfer/types';
import { DEMO1_PHRASES } from '../phrases/anlz-fixtures';
import { capturedArtChunks, completeData, DECK1, PSSI_TAG, setup, splitIntoChunks } from './chunks';

function phraseList(data: Buffer): string {
  const s = songStructureFromTransfer(data);
  if (s instanceof PhraseError) throw new Error(s.toString());
  return s.phrases.map((p) => `${p.index}:${p.beat}:${p.kindRaw}`).join(' ');
}

function eventsOf(results: readonly PushResult[]): TransferEvent[] {
  return results.flatMap((r) => [...r.events]);
}

describe('ChunkReassembler with a real PSSI tag (§7.4)', () => {
  it('joins chunks sent in order into the exact tag', () => {
    const { r } = setup();
    const chunks = splitIntoChunks(PSSI_TAG, 50, DECK1);
    expect(chunks).toHaveLength(10);
    const results = chunks.map((c) => r.push(c));
    expect(results.slice(0, 9).map((x) => (x.status === 'pending' ? x.received : x.status))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const data = completeData(results[9] as PushResult);
    expect(data.equals(PSSI_TAG)).toBe(true);
    expect(phraseList(data)).toBe(DEMO1_PHRASES);
    expect(r.stats()).toMatchObject({ completed: 1, active: 0, bytes: 0, duplicates: 0 });
  });

  it('completes once, on the last missing index, whatever the order and duplicates (property)', () => {
    const arbitrary = fc.integer({ min: 16, max: 200 }).chain((size) => {
      const n = Math.ceil(PSSI_TAG.length / size);
      return fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }).chain((copies) => {
        const sends = copies.flatMap((m, i) => Array.from({ length: m }, () => i));
        return fc
          .shuffledSubarray(sends, { minLength: sends.length, maxLength: sends.length })
          .map((order) => ({ size, order }));
      });
    });
    fc.assert(
      fc.property(arbitrary, ({ size, order }) => {
        const { r } = setup();
        const chunks = splitIntoChunks(PSSI_TAG, size, DECK1);
        const seen = new Set<number>();
        let completedAt = -1;
        order.forEach((index, step) => {
          const result = r.push(chunks[index] as TransferChunk);
          const wasNew = !seen.has(index);
          seen.add(index);
          if (completedAt >= 0) {
            expect(result.status).toBe('duplicate');
          } else if (seen.size === chunks.length) {
            expect(completeData(result).equals(PSSI_TAG)).toBe(true);
            completedAt = step;
          } else {
            expect(result).toMatchObject({ status: 'pending', duplicate: !wasNew, received: seen.size });
          }
        });
        expect(completedAt).toBeGreaterThanOrEqual(0);
        expect(r.stats()).toMatchObject({ completed: 1, duplicates: order.length - chunks.length, active: 0 });
      }),
    );
  });

  it('recovers from 10 % loss when the lost chunks are sent again before the timeout (property)', () => {
    const chunks = splitIntoChunks(PSSI_TAG, 20, DECK1);
    expect(chunks).toHaveLength(25);
    const indices = chunks.map((_c, i) => i);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(indices, { minLength: 2, maxLength: 3 }),
        fc.shuffledSubarray(indices, { minLength: 25, maxLength: 25 }),
        (lost, order) => {
          const { r, clock } = setup({ timeoutMs: 5000 });
          for (const i of order) {
            if (lost.includes(i)) continue;
            expect(r.push(chunks[i] as TransferChunk).status).toBe('pending');
            clock.t += 10;
          }
          clock.t += 4000;
          expect(r.expire()).toEqual([]);
          expect(r.active().map((s) => s.missing)).toEqual([[...lost].sort((a, b) => a - b)]);
          const resent = lost.map((i) => r.push(chunks[i] as TransferChunk));
          expect(completeData(resent[resent.length - 1] as PushResult).equals(PSSI_TAG)).toBe(true);
        },
      ),
    );
  });

  it('reports an expired transfer with its missing indices, then completes a full re-send', () => {
    const { r, clock } = setup({ timeoutMs: 5000 });
    const chunks = splitIntoChunks(PSSI_TAG, 20, DECK1);
    const lost = [3, 13, 23];
    for (const c of chunks) if (!lost.includes(c.chunkIndex)) r.push(c);
    clock.t += 4999;
    expect(r.expire()).toEqual([]);
    clock.t += 1;
    const events = r.expire();
    expect(events).toEqual([
      {
        type: 'expired',
        transfer: {
          ...DECK1,
          chunkCount: 25,
          received: 22,
          missing: lost,
          bytes: PSSI_TAG.length - 3 * 20,
          startedAt: 1000,
          lastChunkAt: 1000,
        },
      },
    ]);
    expect(r.stats()).toMatchObject({ expired: 1, active: 0, bytes: 0 });
    const results = chunks.map((c) => r.push(c));
    expect(completeData(results[24] as PushResult).equals(PSSI_TAG)).toBe(true);
  });

  it('measures the timeout from the last new chunk and reports expiry from push too', () => {
    const { r, clock } = setup({ timeoutMs: 1000 });
    const chunks = splitIntoChunks(PSSI_TAG, 100, DECK1);
    r.push(chunks[0] as TransferChunk);
    clock.t += 900;
    r.push(chunks[1] as TransferChunk);
    clock.t += 900;
    expect(r.expire()).toEqual([]);
    r.push(chunks[1] as TransferChunk); // a duplicate does not keep the transfer alive
    clock.t += 100;
    const other = r.push({ ...(chunks[0] as TransferChunk), deck: 2 });
    expect(other.events.map((e) => [e.type, e.transfer.deck, e.transfer.missing])).toEqual([['expired', 1, [2, 3, 4]]]);
  });
});

describe('ChunkReassembler superseding (§7.4)', () => {
  it('drops an incomplete transfer when a chunk for another track arrives on the same deck and type', () => {
    const { r } = setup();
    const a = splitIntoChunks(PSSI_TAG, 50, DECK1);
    const bKey = { ...DECK1, trackId: 185 };
    const b = splitIntoChunks(PSSI_TAG, 50, bKey);
    const art = splitIntoChunks(PSSI_TAG, 50, { ...DECK1, dataType: DATA_TYPE_ART });
    const otherDeck = splitIntoChunks(PSSI_TAG, 50, { ...DECK1, deck: 2 });
    for (const c of a.slice(0, 5)) r.push(c);
    r.push(art[0] as TransferChunk);
    r.push(otherDeck[0] as TransferChunk);

    const first = r.push(b[3] as TransferChunk);
    expect(first.status).toBe('pending');
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({
      type: 'superseded',
      by: bKey,
      transfer: { ...DECK1, received: 5, missing: [5, 6, 7, 8, 9] },
    });
    const rest = b.filter((c) => c.chunkIndex !== 3).map((c) => r.push(c));
    expect(completeData(rest[rest.length - 1] as PushResult).equals(PSSI_TAG)).toBe(true);
    expect(eventsOf(rest)).toEqual([]);
    // the art transfer and deck 2 were not touched
    expect(r.active().map((s) => [s.deck, s.dataType, s.received])).toEqual([
      [1, DATA_TYPE_ART, 1],
      [2, DATA_TYPE_PSSI, 1],
    ]);
    expect(r.stats().superseded).toBe(1);
  });

  it('treats late copies of a just-completed transfer as duplicates without disturbing the next one', () => {
    const { r, clock } = setup({ completedMemoryMs: 2000 });
    const a = splitIntoChunks(PSSI_TAG, 100, DECK1);
    const b = splitIntoChunks(PSSI_TAG, 100, { ...DECK1, trackId: 185 });
    for (const c of a) r.push(c);
    r.push(b[0] as TransferChunk);
    const late = r.push(a[2] as TransferChunk);
    expect(late).toMatchObject({ status: 'duplicate', transfer: DECK1, chunkIndex: 2, events: [] });
    expect(r.active().map((s) => [s.trackId, s.received])).toEqual([[185, 1]]);
    // long after, the same track is a new transfer again
    clock.t += 2001;
    const again = r.push(a[0] as TransferChunk);
    expect(again.status).toBe('pending');
    expect(again.events.map((e) => e.type)).toEqual(['superseded']);
  });
});

describe('ChunkReassembler rejections', () => {
  const base = splitIntoChunks(PSSI_TAG, 100, DECK1);
  const c0 = base[0] as TransferChunk;

  it('rejects and counts bad chunks without touching the transfer in progress', () => {
    const { r } = setup({ maxChunkCount: 64 });
    r.push(c0);
    const cases: [Partial<TransferChunk>, string][] = [
      [{ chunkCount: 6, chunkIndex: 1 }, 'count-mismatch'],
      [{ chunkIndex: 5 }, 'index-out-of-range'],
      [{ chunkIndex: 9 }, 'index-out-of-range'],
      [{ chunkCount: 0, chunkIndex: 0 }, 'count-zero'],
      [{ chunkCount: 65, chunkIndex: 1 }, 'count-too-large'],
      [{ chunkCount: 0xffff, chunkIndex: 1 }, 'count-too-large'],
      [{ truncated: true, chunkIndex: 1 }, 'truncated'],
      [{ deck: -1 }, 'bad-field'],
      [{ deck: 1.5 }, 'bad-field'],
      [{ trackId: 2 ** 32 }, 'bad-field'],
      [{ chunkIndex: Number.NaN }, 'bad-field'],
      [{ chunkCount: 0x10000 }, 'bad-field'],
      [{ dataType: 256 }, 'bad-field'],
    ];
    for (const [change, reason] of cases) {
      const result = r.push({ ...c0, ...change });
      expect(result).toMatchObject({ status: 'rejected', reason });
    }
    expect(r.stats().rejected).toEqual({
      'bad-field': 6,
      truncated: 1,
      'count-zero': 1,
      'count-too-large': 2,
      'index-out-of-range': 2,
      'count-mismatch': 1,
      'too-large': 0,
    });
    const rest = base.slice(1).map((c) => r.push(c));
    expect(completeData(rest[rest.length - 1] as PushResult).equals(PSSI_TAG)).toBe(true);
  });

  it('rejects the two captured OPUS album-art datagrams, which were cut at 160 bytes', () => {
    const { r } = setup();
    // Straight from the 0x56 decoder: its BinaryChunk is accepted as a TransferChunk.
    const chunks = capturedArtChunks();
    expect(chunks.map((c) => [c.deck, c.dataType, c.trackId, c.chunkIndex, c.chunkCount, c.truncated])).toEqual([
      [1, DATA_TYPE_ART, 414, 0, 2, true],
      [1, DATA_TYPE_ART, 414, 1, 2, true],
    ]);
    for (const c of chunks) expect(r.push(c)).toMatchObject({ status: 'rejected', reason: 'truncated' });
    expect(r.stats()).toMatchObject({ active: 0, bytes: 0, completed: 0 });
    expect(r.stats().rejected.truncated).toBe(2);

    // The same shape with whole payloads joins in index order: a JPEG starting FF D8 FF E0 … JFIF.
    const whole = chunks.map((c) => ({ ...c, truncated: false }));
    expect(r.push(whole[1] as TransferChunk).status).toBe('pending');
    const data = completeData(r.push(whole[0] as TransferChunk));
    expect(data.subarray(0, 10).toString('hex')).toBe('ffd8ffe000104a464946');
    expect(data.length).toBe(2 * (160 - 0x34));
  });
});
