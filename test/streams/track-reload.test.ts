/**
 * Loading the track a deck already has: players show P1 'loading' (§3.2)
 * with the track's ID for a moment, and that is the only sign of it. The
 * real LinkInfo2 capture has one: CDJ #2 holds track 209 from the start and
 * loads it again 21.5 s in.
 */
import { TestScheduler } from 'rxjs/testing';
import { from, map, toArray, lastValueFrom } from 'rxjs';
import { toDeckStates } from '../../src/streams/deck-states';
import { deckEvents } from '../../src/streams/deck-events';
import type { CdjStatus } from '../../src/prolink/packets';
import type { Received } from '../../src/streams/received';
import { decodeCapture } from '../capture/prolink-datagrams';
import { PacketError } from '../../src/prolink/packets';
import { received } from './status-bytes';

const P1_LOADING = 0x02;
const P1_CUED = 0x06;

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('a track loaded again on its deck', () => {
  it('is one track.unload and one track.load, however long the deck shows loading', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 9ms b 9ms c 9ms d 9ms e', {
        a: received({ device: 2, trackId: 209, bpm: 126, playState: P1_CUED }, 0),
        b: received({ device: 2, trackId: 209, bpm: 126, playState: P1_LOADING }, 1),
        c: received({ device: 2, trackId: 209, bpm: 126, playState: P1_LOADING }, 2),
        d: received({ device: 2, trackId: 209, bpm: 126, playState: P1_CUED }, 3),
        e: received({ device: 2, trackId: 209, bpm: 126, playState: P1_CUED }, 4),
      });
      const out = input.pipe(
        toDeckStates(),
        deckEvents(),
        map((e) => `${e.type}${e.type === 'track.load' || e.type === 'track.unload' ? `#${e.trackId}` : ''}`),
      );
      expectObservable(out).toBe('(ab) 6ms (cd)', { a: 'track.load#209', b: 'tempo', c: 'track.unload#209', d: 'track.load#209' });
    });
  });

  it('a deck that starts out loading is one load, not two', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 9ms b', {
        a: received({ device: 2, trackId: 300, bpm: 126, playState: P1_LOADING }, 0),
        b: received({ device: 2, trackId: 300, bpm: 126, playState: P1_CUED }, 1),
      });
      const out = input.pipe(toDeckStates(), deckEvents(), map((e) => e.type));
      expectObservable(out).toBe('(ab)', { a: 'track.load', b: 'tempo' });
    });
  });

  it('in the LinkInfo2 capture: CDJ #2 loads track 209 again at 21.5 s, and tracks 873 and 211 once each', async () => {
    const statuses: Received<CdjStatus>[] = [];
    let t0: bigint | null = null;
    for (const { datagram, result } of decodeCapture('linkInfo2')) {
      if (result instanceof PacketError || result.kind !== 'cdjStatus' || datagram.timestampNs === null) continue;
      t0 ??= datagram.timestampNs;
      statuses.push({ packet: result, address: datagram.srcIp, at: Number(datagram.timestampNs - t0) / 1e6 });
    }
    const loads = await lastValueFrom(
      from(statuses).pipe(
        toDeckStates(),
        deckEvents(),
        map((e) => (e.type === 'track.load' ? `${e.deck}#${e.trackId}@${(e.at / 1000).toFixed(1)}` : null)),
        toArray(),
      ),
    );
    expect(loads.filter((l) => l !== null)).toEqual(['2#209@0.0', '3#760@0.1', '2#209@21.5', '3#873@27.9', '2#211@55.2']);
  });
});
