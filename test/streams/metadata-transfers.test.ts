import * as path from 'node:path';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { metadataTransfers, type MetadataOutput, type TrackLoaded } from '../../src/streams/metadata-transfers';
import type { BinaryChunk } from '../../src/prolink/packets/binary-chunk';
import { findPssiTag } from '../../src/prolink/phrases/anlz-file';
import type { Received } from '../../src/streams/received';
import { readFixture } from '../support/fixtures';
import { chunksOf } from './chunk-bytes';

function demoTrack1Tag(): Buffer {
  const file = readFixture(...path.join('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks', 'PIONEER', 'USBANLZ', 'P016', '0000875E', 'ANLZ0000.EXT').split(path.sep));
  const found = findPssiTag(file);
  if (!('status' in found) || found.status !== 'found') throw new Error('no PSSI in fixture');
  return found.tag;
}

function harness(options = {}): {
  virtual: VirtualTimeScheduler;
  chunks: Subject<Received<BinaryChunk>>;
  loads: Subject<TrackLoaded>;
  out: MetadataOutput[];
  at: (ms: number, fn: () => void) => void;
} {
  const virtual = new VirtualTimeScheduler(undefined, 60_000);
  const chunks = new Subject<Received<BinaryChunk>>();
  const loads = new Subject<TrackLoaded>();
  const out: MetadataOutput[] = [];
  metadataTransfers(chunks, loads, virtual, { retryAfterMs: 1000, maxAttempts: 3, checkEveryMs: 100, ...options }).subscribe((o) => out.push(o));
  const at = (ms: number, fn: () => void): void => {
    virtual.schedule(fn, ms);
  };
  return { virtual, chunks, loads, out, at };
}

const received = (packet: BinaryChunk, at: number): Received<BinaryChunk> => ({ packet, address: '169.254.9.9', at });

describe('phrase and art transfers', () => {
  const tag = demoTrack1Tag();
  // Pad like a datagram stream may, to check the tag's own length is used.
  const pssiChunks = chunksOf(9, 0x0a, 184, Buffer.concat([tag, Buffer.alloc(7)]), 64);

  it('requests PSSI on load, re-requests after a lost chunk, and parses the completed transfer', () => {
    const h = harness();
    h.at(0, () => h.loads.next({ deck: 1, deckDevice: 9, trackId: 184 }));
    // First answer loses chunk 3.
    h.at(50, () => pssiChunks.forEach((c, i) => i !== 3 && h.chunks.next(received(c, 50))));
    // The re-sent answer arrives complete, in reverse order, with a duplicate.
    h.at(1300, () => [...pssiChunks].reverse().concat(pssiChunks[0] as BinaryChunk).forEach((c) => h.chunks.next(received(c, 1300))));
    h.virtual.flush();
    const requests = h.out.filter((o) => o.kind === 'request');
    expect(requests.map((r) => r.kind === 'request' && [r.deckDevice, r.trackId, r.attempt])).toEqual([
      [9, 184, 1],
      [9, 184, 2],
    ]);
    const structures = h.out.filter((o) => o.kind === 'structure');
    expect(structures).toHaveLength(1);
    const s = structures[0];
    if (s?.kind !== 'structure') throw new Error('no structure');
    expect([s.deck, s.trackId, s.structure.phrases.length, s.structure.endBeat, s.structure.mood]).toEqual([1, 184, 19, 353, 'mid']);
    expect(pssiChunks).toHaveLength(Math.ceil((tag.length + 7) / 64));
  });

  it('gives up after the last attempt and says so once', () => {
    const h = harness();
    h.at(0, () => h.loads.next({ deck: 2, deckDevice: 10, trackId: 7 }));
    h.virtual.flush();
    expect(h.out.map((o) => o.kind)).toEqual(['request', 'request', 'request', 'failed']);
    const failed = h.out.at(-1);
    expect(failed?.kind === 'failed' && failed.message).toBe('no complete phrase data for track 7 on deck 2 after 3 requests');
  });

  it('delivers album art that arrives unprompted', () => {
    const h = harness();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 0x55), Buffer.from([0xff, 0xd9])]);
    h.at(10, () => chunksOf(11, 0x02, 414, jpeg).forEach((c) => h.chunks.next(received(c, 10))));
    h.virtual.flush();
    const art = h.out.filter((o) => o.kind === 'artwork');
    expect(art).toHaveLength(1);
    expect(art[0]?.kind === 'artwork' && [art[0].deck, art[0].trackId, art[0].jpeg.equals(jpeg)]).toEqual([3, 414, true]);
  });
});
