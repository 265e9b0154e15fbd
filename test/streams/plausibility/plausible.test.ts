import { TestScheduler } from 'rxjs/testing';
import type { Observable } from 'rxjs';
import { plausibility, type Judged, type PlausibilityOptions } from '../../../src/streams/plausibility/plausible';
import type { Implausible, ImplausibleReason } from '../../../src/streams/plausibility/reasons';
import type { Received } from '../../../src/streams/received';
import { ST_DEVICE_COPY, ST_PITCH_3 } from '../../../src/streams/plausibility/rules';
import { BEAT_NEXT_BAR } from '../../../src/prolink/packets/beat';
import { ST_PLAY_STATE, ST_TRACK_DEVICE } from '../../../src/prolink/packets/cdj-status';
import { beat, CDJ_A, CDJ_B, keepAlive, OPUS, status, STRANGER } from './packets';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** What the stage says about `r`: `r` itself when believed. */
function no(r: Received, reason: ImplausibleReason): Implausible {
  const device = 'device' in r.packet && typeof r.packet.device === 'number' ? r.packet.device : null;
  return { reason, kind: r.packet.kind, device, address: r.address, at: r.at };
}

function judge(values: Record<string, Received>, marbles: string, cold: (m: string, v: Record<string, Received>) => Observable<Received>, options: PlausibilityOptions = {}): Observable<Judged> {
  return cold(marbles, values).pipe(plausibility(options));
}

describe('the plausibility stage (marbles, 1 frame = 1 ms)', () => {
  it('believes a device announced by keep-alive, and refuses a status for a number no player has', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const s = status(CDJ_A, 200);
      const x = status(CDJ_A, 400, { device: 33, packetCounter: 2 });
      const values = { k, s, x };
      expectObservable(judge(values, 'k 199ms s 199ms x', cold)).toBe('k 199ms s 199ms x', { k, s, x: no(x, 'device-out-of-range') });
    });
  });

  it.each([
    ['OPUS-QUAD', 13],
    ['OPUS-QUAD', 33],
    ['CDJ-2000NXS2', 9],
    ['CDJ-2000NXS2', 21],
    ['CDJ-2000NXS2', 131],
    ['CDJ-2000NXS2', 240],
  ])('refuses a %s status from deck number %i', (name, device) => {
    scheduler().run(({ cold, expectObservable }) => {
      const x = status(STRANGER, 0, { name, device });
      expectObservable(judge({ x }, 'x', cold)).toBe('x', { x: no(x, 'device-out-of-range') });
    });
  });

  it('refuses unreadable names (bad-name)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const x = status(CDJ_A, 0, {}, (b) => b.writeUInt8(0x01, 0x0e));
      expectObservable(judge({ x }, 'x', cold)).toBe('x', { x: no(x, 'bad-name') });
    });
  });

  it('refuses a keep-alive naming another IP, a status claiming a device known elsewhere (address-mismatch)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const wrongIp = keepAlive('CDJ-2000NXS2', 3, CDJ_B, 1, (b) => b.writeUInt8(99, 0x2f));
      const spoof = status(STRANGER, 2);
      expectObservable(judge({ k, w: wrongIp, s: spoof }, 'kws', cold)).toBe('kws', { k, w: no(wrongIp, 'address-mismatch'), s: no(spoof, 'address-mismatch') });
    });
  });

  it('refuses another name or number from a known address while its device is live (identity-mismatch)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const mangled = keepAlive('C@J-2000NXS2', 2, CDJ_A, 1);
      const renumbered = keepAlive('CDJ-2000NXS2', 6, CDJ_A, 2);
      const otherDeck = status(CDJ_A, 3, { device: 3 });
      expectObservable(judge({ k, m: mangled, r: renumbered, o: otherDeck }, 'kmro', cold)).toBe('kmro', {
        k,
        m: no(mangled, 'identity-mismatch'),
        r: no(renumbered, 'identity-mismatch'),
        o: no(otherDeck, 'identity-mismatch'),
      });
    });
  });

  it('believes a device that changed its number once the old number has been quiet for a keep-alive period', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const old = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const early = keepAlive('CDJ-2000NXS2', 5, CDJ_A, 1000);
      const fresh = keepAlive('CDJ-2000NXS2', 5, CDJ_A, 1500);
      const s = status(CDJ_A, 1700, { device: 5 });
      expectObservable(judge({ o: old, e: early, f: fresh, s }, 'o 999ms e 499ms f 199ms s', cold)).toBe('o 999ms e 499ms f 199ms s', { o: old, e: no(early, 'identity-mismatch'), f: fresh, s });
    });
  });

  it('refuses a number a live device holds at another address (number-conflict)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const twin = keepAlive('CDJ-2000NXS2', 2, CDJ_B, 1);
      expectObservable(judge({ k, t: twin }, 'kt', cold)).toBe('kt', { k, t: no(twin, 'number-conflict') });
    });
  });

  it('believes a sender on its first packet only while no device has announced itself and nothing was refused', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const s1 = status(OPUS, 0, { name: 'OPUS-QUAD', device: 9 });
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 1);
      const s2 = status(STRANGER, 2, { name: 'OPUS-QUAD', device: 10 });
      expectObservable(judge({ s: s1, k, t: s2 }, 'skt', cold)).toBe('sk-', { s: s1, k });
    });
  });

  /** A status for a deck no player has, from a stranger: the network is not clean for the next 5 s. */
  const noise = (): Received => status(STRANGER, 0, { device: 131 });

  it('while the network is not clean, holds an unannounced sender until a keep-alive confirms it, and passes its packets on in order', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const n = noise();
      const s1 = status(OPUS, 1, { name: 'OPUS-QUAD', device: 9 });
      const k = keepAlive('OPUS-QUAD', 9, OPUS, 50);
      expectObservable(judge({ n, s: s1, k }, 'ns 48ms k', cold)).toBe('x- 48ms (ks)', { x: no(n, 'device-out-of-range'), k, s: s1 });
    });
  });

  it('while the network is not clean, confirms an unannounced sender by a consistent stream of its own', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const n = noise();
      const a = status(OPUS, 1, { name: 'OPUS-QUAD', device: 9, packetCounter: 10 });
      const b = status(OPUS, 201, { name: 'OPUS-QUAD', device: 9, packetCounter: 11, beat: 41 });
      expectObservable(judge({ n, a, b }, 'na 199ms b', cold)).toBe('x- 199ms (ab)', { x: no(n, 'device-out-of-range'), a, b });
    });
  });

  it('once devices have announced themselves, a consistent stream alone confirms no one: only a keep-alive does', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const a = status(OPUS, 1, { name: 'OPUS-QUAD', device: 9, packetCounter: 10 });
      const b = status(OPUS, 201, { name: 'OPUS-QUAD', device: 9, packetCounter: 11, beat: 41 });
      const o = keepAlive('OPUS-QUAD', 9, OPUS, 1500);
      expectObservable(judge({ k, a, b, o }, 'ka 199ms b 1298ms o', cold)).toBe('k- 199ms - 1298ms (oab)', { k, a, b, o });
    });
  });

  it('drops what an unconfirmed sender sent once the grace is over (unconfirmed-sender), and never confirms a flood', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const n = noise();
      const a = status(STRANGER, 1, { name: 'OPUS-QUAD', device: 10, packetCounter: 5 });
      const b = status(STRANGER, 2, { name: 'OPUS-QUAD', device: 10, packetCounter: 6 });
      const later = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 3001);
      expectObservable(judge({ n, a, b, k: later }, 'nab 2998ms k', cold)).toBe('x-- 2998ms (yzk)', { x: no(n, 'device-out-of-range'), y: no(a, 'unconfirmed-sender'), z: no(b, 'unconfirmed-sender'), k: later });
    });
  });

  it('refuses fields that contradict each other', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const playingPaused = status(CDJ_A, 200, { playState: 5 });
      const noSource = status(CDJ_A, 400, {}, (b) => b.writeUInt8(0, ST_TRACK_DEVICE));
      const unknownState = status(CDJ_A, 600, {}, (b) => b.writeUInt8(0x0f, ST_PLAY_STATE));
      const values = { k, a: playingPaused, b: noSource, c: unknownState };
      expectObservable(judge(values, 'k 199ms a 199ms b 199ms c', cold)).toBe('k 199ms a 199ms b 199ms c', {
        k,
        a: no(playingPaused, 'flags-inconsistent'),
        b: no(noSource, 'track-without-source'),
        c: no(unknownState, 'bad-field'),
      });
    });
  });

  it('enforces what a device has shown it keeps: the device number copy and the pitch copy', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const good = status(CDJ_A, 200, { packetCounter: 1 });
      const copy = status(CDJ_A, 400, { packetCounter: 2 }, (b) => b.writeUInt8(3, ST_DEVICE_COPY));
      const pitch = status(CDJ_A, 600, { packetCounter: 3 }, (b) => b.writeUInt32BE(0x100000, ST_PITCH_3));
      expectObservable(judge({ k, g: good, c: copy, p: pitch }, 'k 199ms g 199ms c 199ms p', cold)).toBe('k 199ms g 199ms c 199ms p', {
        k,
        g: good,
        c: no(copy, 'device-copy-mismatch'),
        p: no(pitch, 'pitch-copy-mismatch'),
      });
    });
  });

  it('refuses beat packets whose distances disagree with their tempo, and a second copy of the same beat', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const b1 = beat(CDJ_A, 100, 1);
      const twin = beat(CDJ_A, 110, 1, (b) => b.writeUInt8(0xfe, 0x40));
      const skewed = beat(CDJ_A, 569, 2, (b) => b.writeUInt32BE(100, BEAT_NEXT_BAR));
      const b2 = beat(CDJ_A, 570, 2);
      expectObservable(judge({ k, a: b1, t: twin, s: skewed, b: b2 }, 'k 99ms a 9ms t 458ms sb', cold)).toBe('k 99ms a 9ms t 458ms sb', {
        k,
        a: b1,
        t: no(twin, 'beat-repeat'),
        s: no(skewed, 'beat-timing'),
        b: b2,
      });
    });
  });

  it('follows the packet counter: stale and far-jumping counters are refused, a restart after silence is believed', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const at = (t: number, c: number, beatNo: number): Received => status(CDJ_A, t, { packetCounter: c, beat: beatNo });
      const s = [at(200, 100, 40), at(400, 101, 40), at(600, 102, 41), at(800, 103, 41)];
      const stale = at(1000, 101, 42);
      const jump = at(1001, 5000, 42);
      const next = at(1200, 104, 42);
      const reboot = at(5000, 3, 1);
      const values = { k, a: s[0] as Received, b: s[1] as Received, c: s[2] as Received, d: s[3] as Received, x: stale, y: jump, n: next, r: reboot };
      expectObservable(judge(values, 'k 199ms a 199ms b 199ms c 199ms d 199ms xy 198ms n 3799ms r', cold)).toBe('k 199ms a 199ms b 199ms c 199ms d 199ms xy 198ms n 3799ms r', {
        ...values,
        x: no(stale, 'counter-stale'),
        y: no(jump, 'counter-jump'),
      });
    });
  });

  it('believes a burst of a counting device\'s own packets (they waited in the socket while the process was busy)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const at = (t: number, c: number, beatNo: number): Received => status(CDJ_A, t, { packetCounter: c, beat: beatNo });
      const values = { k, a: at(200, 10, 40), b: at(400, 11, 40), c: at(600, 12, 41), d: at(800, 13, 41), e: at(1300, 14, 42), f: at(1300, 15, 42), g: at(1301, 16, 43) };
      expectObservable(judge(values, 'k 199ms a 199ms b 199ms c 199ms d 499ms (ef) g', cold)).toBe('k 199ms a 199ms b 199ms c 199ms d 499ms (ef) g', values);
    });
  });

  it('refuses a copy that differs only in its counter, right after the original (too-soon)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const s = status(CDJ_A, 200, { packetCounter: 0 });
      const copy = status(CDJ_A, 203, { packetCounter: 0 }, (b) => b.writeUInt32BE(7, 0xc8));
      expectObservable(judge({ k, s, c: copy }, 'k 199ms s 2ms c', cold)).toBe('k 199ms s 2ms c', { k, s, c: no(copy, 'too-soon') });
    });
  });

  it('refuses another track under a deck that plays on at the same beat until the next status confirms it (track-jump)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const at = (t: number, trackId: number, beatNo: number): Received => status(CDJ_A, t, { packetCounter: 0, trackId, beat: beatNo });
      const a = at(200, 77, 40);
      const flipped = at(400, 77 + 0x10000, 40);
      const b = at(600, 77, 41);
      const loaded = at(800, 78, 1);
      expectObservable(judge({ k, a, f: flipped, b, l: loaded }, 'k 199ms a 199ms f 199ms b 199ms l', cold)).toBe('k 199ms a 199ms f 199ms b 199ms l', {
        k,
        a,
        f: no(flipped, 'track-jump'),
        b,
        l: loaded,
      });
    });
  });

  it('passes exact repeats (switch mirrors, Wi-Fi) and packets no state is built from', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const s = status(CDJ_A, 200);
      const again: Received = { ...s, at: 201 };
      expectObservable(judge({ k, s, a: again }, 'k 199ms sa', cold)).toBe('k 199ms sa', { k, s, a: again });
    });
  });

  it('judges a replay on the devices\' clock: ten times faster, a status every 20 ms is a status every 200 ms', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const k = keepAlive('CDJ-2000NXS2', 2, CDJ_A, 0);
      const s = status(CDJ_A, 20, { packetCounter: 0 });
      const next = status(CDJ_A, 25, { packetCounter: 0 }, (b) => b.writeUInt32BE(7, 0xc8));
      const values = { k, s, n: next };
      expectObservable(judge(values, 'k 19ms s 4ms n', cold, { timeScale: 10 })).toBe('k 19ms s 4ms n', values);
      expectObservable(judge(values, 'k 19ms s 4ms n', cold)).toBe('k 19ms s 4ms x', { k, s, x: no(next, 'too-soon') });
    });
  });
});
