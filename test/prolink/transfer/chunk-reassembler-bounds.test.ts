import fc from 'fast-check';
import { DATA_TYPE_PSSI } from '../../../src/prolink/packets/binary-chunk';
import type { TransferChunk } from '../../../src/prolink/transfer/types';
import { completeData, DECK1, PSSI_TAG, setup, splitIntoChunks } from './chunks';

describe('ChunkReassembler memory bounds', () => {
  it('copies payloads, so reuse of the socket buffer cannot corrupt a transfer', () => {
    const { r } = setup();
    const socket = Buffer.from(PSSI_TAG);
    const chunks = splitIntoChunks(socket, 100, DECK1);
    for (const c of chunks.slice(0, 4)) r.push(c);
    socket.fill(0xaa, 0, 400);
    const last = chunks[4] as TransferChunk;
    expect(completeData(r.push(last)).subarray(0, 400).equals(PSSI_TAG.subarray(0, 400))).toBe(true);
  });

  it('evicts the least recently active transfer beyond maxTransfers', () => {
    const { r, clock } = setup({ maxTransfers: 2 });
    const decks = [1, 2, 3].map((deck) => splitIntoChunks(PSSI_TAG, 100, { ...DECK1, deck }));
    r.push(decks[0]?.[0] as TransferChunk);
    clock.t += 1;
    r.push(decks[1]?.[0] as TransferChunk);
    clock.t += 1;
    r.push(decks[0]?.[1] as TransferChunk); // deck 1 is now the more recent one
    clock.t += 1;
    const third = r.push(decks[2]?.[0] as TransferChunk);
    expect(third.events).toEqual([
      expect.objectContaining({
        type: 'evicted',
        cause: 'max-transfers',
        transfer: expect.objectContaining({ deck: 2 }),
      }),
    ]);
    expect(r.active().map((s) => s.deck)).toEqual([1, 3]);
    expect(r.stats()).toMatchObject({ evicted: 1, active: 2 });
  });

  it('evicts other transfers to stay under maxTotalBytes and rejects a transfer too big alone', () => {
    const { r, clock } = setup({ maxTotalBytes: 250 });
    const d1 = splitIntoChunks(PSSI_TAG, 100, DECK1);
    const d2 = splitIntoChunks(PSSI_TAG, 100, { ...DECK1, deck: 2 });
    r.push(d1[0] as TransferChunk);
    clock.t += 1;
    r.push(d1[1] as TransferChunk);
    clock.t += 1;
    const second = r.push(d2[0] as TransferChunk);
    expect(second.events).toEqual([
      expect.objectContaining({
        type: 'evicted',
        cause: 'max-bytes',
        transfer: expect.objectContaining({ deck: 1, bytes: 200 }),
      }),
    ]);
    expect(r.stats().bytes).toBe(100);
    r.push(d2[1] as TransferChunk);
    const overflow = r.push(d2[2] as TransferChunk);
    expect(overflow).toMatchObject({ status: 'rejected', reason: 'too-large' });
    expect(overflow.events).toEqual([
      expect.objectContaining({
        type: 'evicted',
        cause: 'max-bytes',
        transfer: expect.objectContaining({ deck: 2, missing: [2, 3, 4] }),
      }),
    ]);
    expect(r.stats()).toMatchObject({ active: 0, bytes: 0, evicted: 2 });
  });

  it('keeps bytes and active counts consistent through random traffic (property)', () => {
    const pool = [1, 2, 3, 4].flatMap((deck) =>
      [184, 185].flatMap((trackId) => splitIntoChunks(PSSI_TAG, 64, { deck, dataType: DATA_TYPE_PSSI, trackId })),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: pool.length - 1 }), fc.nat({ max: 3000 })), { maxLength: 200 }),
        (steps) => {
          const { r, clock } = setup({ maxTransfers: 3, maxTotalBytes: 1500, timeoutMs: 5000 });
          for (const [i, dt] of steps) {
            clock.t += dt;
            const result = r.push(pool[i] as TransferChunk);
            if (result.status === 'complete') expect(result.data.equals(PSSI_TAG)).toBe(true);
            const active = r.active();
            const stats = r.stats();
            expect(stats.active).toBe(active.length);
            expect(stats.bytes).toBe(active.reduce((sum, s) => sum + s.bytes, 0));
            expect(stats.bytes).toBeLessThanOrEqual(1500);
            expect(active.length).toBeLessThanOrEqual(3);
          }
        },
      ),
    );
  });
});
