import { TestScheduler } from 'rxjs/testing';
import { asyncScheduler, map } from 'rxjs';
import { repairOpusFlags } from '../../src/streams/opus-flags';
import { toDeckStates } from '../../src/streams/deck-states';
import { deckEvents } from '../../src/streams/deck-events';
import { trackDevices } from '../../src/streams/devices';
import { decodeKeepAlive, encodeCdjKeepAlive, type KeepAlive } from '../../src/prolink/packets/keep-alive';
import { isPacketError } from '../../src/prolink/packets/errors';
import type { Received } from '../../src/streams/received';
import { received } from './status-bytes';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('OPUS flag repair', () => {
  it('replaces a zero flag byte with the last good one of the same deck', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('abcd', {
        a: received({ name: 'OPUS-QUAD', device: 9, trackId: 5, playing: true, master: true, onAir: true, bpm: 128, beat: 10 }, 0),
        b: received({ name: 'OPUS-QUAD', device: 9, trackId: 5, flags: 0x00, playState: 3, bpm: 128, beat: 10 }, 1),
        c: received({ name: 'OPUS-QUAD', device: 10, trackId: 6, flags: 0x00, playState: 3, bpm: 120, beat: 3 }, 2),
        d: received({ name: 'CDJ-2000nexus', device: 2, flags: 0x00, playState: 6 }, 3),
      });
      const out = input.pipe(
        repairOpusFlags(),
        map(({ packet }) => `${packet.deck}:${packet.playing ? 'P' : '-'}${packet.master ? 'M' : '-'}${packet.onAir ? 'A' : '-'}${packet.flagsZero ? 'z' : ''}`),
      );
      // Deck 1's glitch takes its previous flags (and still says its byte came zeroed: z); deck 2 has none yet
      // (play inferred from P1); a non-OPUS player's zero byte is left alone.
      expectObservable(out).toBe('abcd', { a: '1:PMA', b: '1:PMAz', c: '2:P--z', d: '2:---z' });
    });
  });

  it("takes playing from the glitch packet's own play state, not from flags sent before the DJ stopped or pressed CUE", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const playing = { name: 'OPUS-QUAD', device: 9, trackId: 5, bpm: 128, beat: 40 };
      const input = cold('abcdef', {
        a: received({ ...playing, playing: true, master: true, onAir: true }, 0),
        // CUE pressed: back on the cue point and paused; the flag byte glitches in the first packet that shows it
        b: received({ ...playing, flags: 0x00, playState: 6, beat: 33 }, 1),
        c: received({ ...playing, flags: 0x00, playState: 5, beat: 33 }, 2),
        // cue play (CUE held) says nothing plain of playing: the last good byte stands
        d: received({ ...playing, flags: 0x00, playState: 7, beat: 33 }, 3),
        e: received({ ...playing, master: true, onAir: true, beat: 33, playState: 6 }, 4),
        f: received({ ...playing, flags: 0x00, playState: 3, beat: 33 }, 5),
      });
      const out = input.pipe(
        repairOpusFlags(),
        map(({ packet }) => `${packet.playing ? 'P' : '-'}${packet.master ? 'M' : '-'}${packet.onAir ? 'A' : '-'}`),
      );
      expectObservable(out).toBe('abcdef', { a: 'PMA', b: '-MA', c: '-MA', d: 'PMA', e: '-MA', f: 'PMA' });
    });
  });
});

describe('deck events', () => {
  it('derives track load/unload, play/stop, on-air and tempo changes per deck', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 9ms b 9ms c 9ms d 9ms e 9ms f', {
        a: received({ device: 2, trackId: 0 }, 0),
        b: received({ device: 2, trackId: 873, bpm: 130, beat: 1, beatInBar: 1 }, 1),
        c: received({ device: 2, trackId: 873, bpm: 130, playing: true, onAir: true, beat: 2, beatInBar: 2 }, 2),
        d: received({ device: 3, trackId: 760, bpm: 128 }, 3),
        e: received({ device: 2, trackId: 873, bpm: 130, pitch: 1.04, playing: true, onAir: true, beat: 3 }, 4),
        f: received({ device: 2, trackId: 874, bpm: 127 }, 5),
      });
      const out = input.pipe(
        toDeckStates(),
        deckEvents(),
        map((e) => `${e.type}@${e.deck}${e.type === 'tempo' ? `=${e.effectiveBpm?.toFixed(2) ?? 'null'}` : ''}${e.type === 'track.load' ? `#${e.trackId}` : ''}`),
      );
      expectObservable(out).toBe('10ms (bc) 6ms (de) 6ms (fg) 6ms h 9ms (ijklm)', {
        b: 'track.load@2#873',
        c: 'tempo@2=130.00',
        d: 'play@2',
        e: 'onair@2',
        f: 'track.load@3#760',
        g: 'tempo@3=128.00',
        h: 'tempo@2=135.20',
        i: 'track.unload@2',
        j: 'track.load@2#874',
        k: 'stop@2',
        l: 'offair@2',
        m: 'tempo@2=127.00',
      });
    });
  });
});

describe('deck states', () => {
  it('say a deck held on the platter still plays but does not move, and fire no stop for the hold', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 9ms b 9ms c', {
        a: received({ device: 2, trackId: 873, bpm: 130, playing: true, beat: 9, beatInBar: 1 }, 0),
        b: received({ device: 2, trackId: 873, bpm: 130, playing: true, moving: false, beat: 9, beatInBar: 1 }, 1),
        c: received({ device: 2, trackId: 873, bpm: 130, playing: true, beat: 10, beatInBar: 2 }, 2),
      });
      const states = input.pipe(toDeckStates());
      expectObservable(states.pipe(map((s) => `${s.playState} playing=${s.playing} moving=${s.moving}`))).toBe('a 9ms b 9ms c', {
        a: 'playing playing=true moving=true',
        b: 'playing playing=true moving=false',
        c: 'playing playing=true moving=true',
      });
      expectObservable(states.pipe(deckEvents(), map((e) => e.type))).toBe('(lpt)', { l: 'track.load', p: 'play', t: 'tempo' });
    });
  });
});

describe('devices', () => {
  function keepAlive(device: number, name: string, ip: string, at: number): Received<KeepAlive> {
    const packet = decodeKeepAlive(encodeCdjKeepAlive({ name, device, mac: '02:00:00:00:00:01', ip }));
    if (isPacketError(packet)) throw new Error(String(packet));
    return { packet, address: ip, at };
  }

  it('reports devices appearing, changing and being lost after 10 s of silence', () => {
    scheduler().run(({ hot, expectObservable }) => {
      const input = hot('a 999ms b 999ms c', {
        a: keepAlive(9, 'OPUS-QUAD', '169.254.9.9', 0),
        b: keepAlive(9, 'OPUS-QUAD', '169.254.9.9', 1000),
        c: keepAlive(9, 'OPUS-QUAD', '169.254.9.19', 2000),
      });
      const out = trackDevices(input, asyncScheduler, { lostAfterMs: 10_000, checkEveryMs: 1000 }).pipe(
        map((c) => `${c.type}:${c.device.device}:${c.device.address}@${c.at}`),
      );
      // Seen last at 2000 ms; the check at 12000 ms finds it silent for 10 s.
      expectObservable(out, '^ 13s !').toBe('a 1999ms b 9999ms c', {
        a: 'appeared:9:169.254.9.9@0',
        b: 'changed:9:169.254.9.19@2000',
        c: 'lost:9:169.254.9.19@12000',
      });
    });
  });
});
