import { TestScheduler } from 'rxjs/testing';
import { from, map, mergeMap, timer, toArray, VirtualTimeScheduler, take } from 'rxjs';
import { toDeckStates } from '../../src/streams/deck-states';
import { masterChanges, masterTempo } from '../../src/streams/master';
import { realBeats } from '../../src/streams/real-beats';
import { estimatedBeats } from '../../src/streams/estimated-beats';
import type { Beat } from '../../src/prolink/packets/beat';
import type { CdjStatus } from '../../src/prolink/packets/cdj-status';
import type { Received } from '../../src/streams/received';
import type { BeatEvent } from '../../src/events/bridge-event';
import { SimDeck } from '../../src/timing/sim/sim-deck';
import { simulateStatus } from '../../src/timing/sim/status-sim';
import { received } from './status-bytes';
import { receivedBeat } from './beat-bytes';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('master', () => {
  it('follows a hand-off: the new master wins as soon as it raises its flag', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 9ms b 9ms c 9ms d 9ms e 9ms f', {
        a: received({ device: 2, trackId: 1, bpm: 126, playing: true, master: true }, 0),
        b: received({ device: 3, trackId: 2, bpm: 128, playing: true, master: true }, 10), // new master asserts
        c: received({ device: 2, trackId: 1, bpm: 126, playing: true, master: false }, 20), // old one clears
        d: received({ device: 3, trackId: 2, bpm: 128, pitch: 1.02, playing: true, master: true }, 30),
        e: received({ device: 3, trackId: 2, bpm: 128, playing: false, master: false }, 40), // drop, not yet confirmed
        f: received({ device: 3, trackId: 2, bpm: 128, playing: false, master: false }, 50), // confirmed: no master
      });
      const states = input.pipe(toDeckStates());
      expectObservable(states.pipe(masterChanges(), map((e) => `${e.previousDeck}->${e.deck}`))).toBe('a 9ms b 39ms c', {
        a: 'null->2',
        b: '2->3',
        c: '3->null',
      });
      expectObservable(states.pipe(masterTempo(), map((t) => `${t.deck}:${t.effectiveBpm?.toFixed(2) ?? '-'}`))).toBe('a 9ms b 19ms c 9ms d 9ms e', {
        a: '2:126.00',
        b: '3:128.00',
        c: '3:130.56',
        d: '3:128.00',
        e: 'null:-',
      });
    });
  });

  it('reports one hand-off when the old master\'s cleared flag arrives before the new master\'s claim', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 9ms b 9ms c 9ms d', {
        a: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: true }, 0),
        b: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: false }, 10), // deck 1 cleared
        c: received({ device: 10, name: 'OPUS-QUAD', trackId: 2, bpm: 120, playing: true, master: true }, 20), // deck 2 claims
        d: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: false }, 30),
      });
      expectObservable(input.pipe(toDeckStates(), masterChanges(), map((e) => `${e.previousDeck}->${e.deck}`))).toBe('a 19ms b', {
        a: 'null->1',
        b: '1->2',
      });
    });
  });
});

/** Player 3 plays in beat 40, stands on its cue at 41 after a CUE press (play state 06) at 850, and plays from it at 950. */
const CUED_BACK_STATUSES = {
  s: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 40, beatInBar: 4 }, 0),
  q: received({ device: 3, trackId: 112, bpm: 124, playing: false, playState: 6, beat: 41, beatInBar: 1 }, 850),
  p: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 41, beatInBar: 1 }, 950),
};

describe('real beats', () => {
  const beatPacket = (device: number, beatInBar: number, at: number): Received<Beat> => receivedBeat({ device, beatInBar }, at);

  it('numbers beat packets from the status beat counter, tolerating a status that raced a beat', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // 124 BPM: a beat every 484 ms.
      const beats = cold('300ms a 483ms b 483ms c', { a: beatPacket(3, 2, 300), b: beatPacket(3, 3, 784), c: beatPacket(3, 4, 1268) });
      const status = cold('s 349ms r', {
        s: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 41, beatInBar: 1 }, 0),
        r: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 41, beatInBar: 1 }, 350), // generated before beat 42
      });
      expectObservable(realBeats(beats, status).pipe(map((b) => `${b.deck}:${b.beat}/${b.beatInBar}${b.estimated ? '~' : ''}`))).toBe('300ms a 483ms b 483ms c', {
        a: '3:42/2',
        b: '3:43/3',
        c: '3:44/4',
      });
    });
  });

  it('numbers the first beat after play from the start of a track 1: the counter shows 1 from the moment the deck leaves the start', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const beats = cold('300ms a 483ms b', { a: beatPacket(3, 1, 300), b: beatPacket(3, 2, 784) });
      const status = cold('s 99ms p', {
        s: received({ device: 3, trackId: 112, bpm: 124, playing: false, beat: 0, beatInBar: 1 }, 0),
        p: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 1, beatInBar: 1 }, 100),
      });
      expectObservable(realBeats(beats, status).pipe(map((b) => `${b.beat}/${b.beatInBar}`))).toBe('300ms a 483ms b', { a: '1/1', b: '2/2' });
    });
  });

  it('numbers the first beat after play from the cue point as the cue\'s beat: the CUE button left the player on its first instant', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Played 41 and 42, CUE pressed within 42: back on the cue at 41 (play state 06), PLAY at 1 000.
      const beats = cold('300ms a 483ms b 215ms c 483ms d', { a: beatPacket(3, 1, 300), b: beatPacket(3, 2, 784), c: beatPacket(3, 1, 1000), d: beatPacket(3, 2, 1484) });
      const status = cold('s 849ms q 99ms p', CUED_BACK_STATUSES);
      expectObservable(realBeats(beats, status).pipe(map((b) => `${b.beat}/${b.beatInBar}`))).toBe('300ms a 483ms b 215ms c 483ms d', { a: '41/1', b: '42/2', c: '41/1', d: '42/2' });
    });
  });

  it('fills in the cue\'s beat when its packet is lost: the first packet after play is a place on in the bar from the status at the cue', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const beats = cold('300ms a 1183ms d', { a: beatPacket(3, 1, 300), d: beatPacket(3, 2, 1484) });
      const status = cold('s 849ms q 99ms p', CUED_BACK_STATUSES);
      const show = (b: BeatEvent): string => `${b.beat}/${b.beatInBar}@${Math.round(b.at)}${b.late ? ' late' : ''}`;
      expectObservable(realBeats(beats, status).pipe(map(show))).toBe('300ms a 1183ms (cd)', { a: '41/1@300', c: '41/1@1000 late', d: '42/2@1484' });
    });
  });

  it('counts on from a pause that is not at the cue point: the player stands inside the beat its counter shows', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const beats = cold('300ms a 700ms c', { a: beatPacket(3, 1, 300), c: beatPacket(3, 2, 1000) });
      const status = cold('s 499ms q', {
        s: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 40, beatInBar: 4 }, 0),
        q: received({ device: 3, trackId: 112, bpm: 124, playing: false, playState: 5, beat: 41, beatInBar: 1 }, 500),
      });
      expectObservable(realBeats(beats, status).pipe(map((b) => `${b.beat}/${b.beatInBar}`))).toBe('300ms a 700ms c', { a: '41/1', c: '42/2' });
    });
  });
});

describe('real beats with packets lost or raced', () => {
  // 124 BPM: a beat every 483.9 ms. The status shows counter 41 (bar place 1) at 0.
  const playing = (beat: number, at: number): Received<CdjStatus> => received({ device: 3, trackId: 112, bpm: 124, playing: true, beat, beatInBar: ((beat - 1) % 4) + 1 }, at);
  const show = (b: BeatEvent): string => `${b.beat}/${b.beatInBar}@${Math.round(b.at)}${b.estimated ? '~' : ''}${b.late ? ' late' : ''}`;

  it('fires a beat whose packet was lost, late, at its instant, when the next packet is two places on in the bar two beats later', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const beats = cold('300ms a 967ms c', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), c: receivedBeat({ device: 3, beatInBar: 4 }, 1268) });
      const status = cold('s', { s: playing(41, 0) });
      expectObservable(realBeats(beats, status).pipe(map(show))).toBe('300ms a 967ms (bc)', { a: '42/2@300', b: '43/3@784~ late', c: '44/4@1268' });
    });
  });

  it('fills in three packets lost in a row: the next one is back at the same place in the bar, four beats after the last', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Packets 43, 44 and 45 (at 784, 1268, 1752) are lost; the statuses in between show the deck playing on.
      const beats = cold('300ms a 1935ms e', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), e: receivedBeat({ device: 3, beatInBar: 2 }, 2236) });
      const status = cold('s 899ms t 799ms u', { s: playing(41, 0), t: playing(43, 900), u: playing(45, 1700) });
      expectObservable(realBeats(beats, status).pipe(map(show))).toBe('300ms a 1935ms (bcde)', {
        a: '42/2@300',
        b: '43/3@784~ late',
        c: '44/4@1268~ late',
        d: '45/1@1752~ late',
        e: '46/2@2236',
      });
    });
  });

  it('fills nothing when the same place in the bar comes back a beat later (a one-beat loop no status has shown): a jump, without a number', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const beats = cold('300ms a 483ms b', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), b: receivedBeat({ device: 3, beatInBar: 2 }, 784) });
      const status = cold('s 499ms t', { s: playing(41, 0), t: playing(42, 500) });
      expectObservable(realBeats(beats, status).pipe(map(show))).toBe('300ms a 483ms b', { a: '42/2@300', b: 'null/2@784' });
    });
  });

  it('fills nothing when the same place comes back four beats later while the statuses show the same beat (a one-beat loop whose wrap packets were lost)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const beats = cold('300ms a 1935ms e', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), e: receivedBeat({ device: 3, beatInBar: 2 }, 2236) });
      const status = cold('s 899ms t 799ms u', { s: playing(41, 0), t: playing(42, 900), u: playing(42, 1700) });
      const placeAndFlags = (b: BeatEvent): string => `${b.beatInBar}@${Math.round(b.at)}${b.late ? ' late' : ''}`;
      expectObservable(realBeats(beats, status).pipe(map(placeAndFlags))).toBe('300ms a 1935ms e', { a: '2@300', e: '2@2236' });
    });
  });

  it('keeps counting by the packets when a status one beat ahead of them arrives first (a bursty link)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Packet 43 lost; a status generated in beat 44 arrives 40 ms before packet 44 does.
      const beats = cold('300ms a 967ms c', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), c: receivedBeat({ device: 3, beatInBar: 4 }, 1268) });
      const status = cold('s 1227ms r', { s: playing(41, 0), r: playing(44, 1228) });
      expectObservable(realBeats(beats, status).pipe(map(show))).toBe('300ms a 967ms (bc)', { a: '42/2@300', b: '43/3@784~ late', c: '44/4@1268' });
    });
  });

  it('fills nothing for a pause; a jump no status has shown yet fires on time without a number', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Paused at 500 and played on: the next packet is two places on, but nothing was lost.
      const beats = cold('300ms a 1467ms c', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), c: receivedBeat({ device: 3, beatInBar: 4 }, 1768) });
      const status = cold('s 499ms p 599ms q', {
        s: playing(41, 0),
        p: received({ device: 3, trackId: 112, bpm: 124, playing: false, beat: 42, beatInBar: 2 }, 500),
        q: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 42, beatInBar: 2 }, 1100),
      });
      expectObservable(realBeats(beats, status).pipe(map(show))).toBe('300ms a 1467ms c', { a: '42/2@300', c: '43/4@1768' });
    });
    scheduler().run(({ cold, expectObservable }) => {
      // Two places on after one beat's time: a jump no status has shown yet. It fires on time, with no number;
      // the next status (the deck jumped to 73) numbers the beats after it.
      const beats = cold('300ms a 483ms c 483ms d', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), c: receivedBeat({ device: 3, beatInBar: 4 }, 784), d: receivedBeat({ device: 3, beatInBar: 1 }, 1268) });
      const status = cold('s 899ms j', { s: playing(41, 0), j: playing(72, 900) });
      expectObservable(realBeats(beats, status).pipe(map(show))).toBe('300ms a 483ms c 483ms d', { a: '42/2@300', c: 'null/4@784', d: '73/1@1268' });
    });
  });
});

describe('real beats: a count put right by a status', () => {
  const status = (beat: number, at: number, playing = true): Received<CdjStatus> =>
    received({ device: 3, trackId: 112, bpm: 124, playing, beat, beatInBar: beat === 0 ? 0 : ((beat - 1) % 4) + 1 }, at);
  const show = (b: BeatEvent): string => `${b.beat}/${b.beatInBar}@${Math.round(b.at)}${b.estimated ? '~' : ''}${b.late ? ' late' : ''}`;

  it('numbers the beat a jump landed on from the status inside it, so a packet lost after it is still filled in', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Jump at 784 (two places on after one beat: unnumbered); the status at 960 shows the deck in 72; packet 73 (at 1268) is lost.
      const beats = cold('300ms a 483ms c 967ms e', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), c: receivedBeat({ device: 3, beatInBar: 4 }, 784), e: receivedBeat({ device: 3, beatInBar: 2 }, 1752) });
      const statuses = cold('s 959ms j', { s: status(41, 0), j: status(72, 960) });
      expectObservable(realBeats(beats, statuses).pipe(map(show))).toBe('300ms a 483ms c 967ms (de)', { a: '42/2@300', c: 'null/4@784', d: '73/1@1268~ late', e: '74/2@1752' });
    });
  });

  it('fires a jump that follows a lost packet without a number, though a status showed the lost beat', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Packet 43 (at 784) is lost, the status at 900 shows 43; at 1100 the player, 1.65 beats on, is first in the bar
      // where the count (44) says fourth: a jump the next status will place.
      const beats = cold('300ms a 799ms j', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), j: receivedBeat({ device: 3, beatInBar: 1 }, 1100) });
      const statuses = cold('s 899ms t', { s: status(41, 0), t: status(43, 900) });
      expectObservable(realBeats(beats, statuses).pipe(map(show))).toBe('300ms a 799ms j', { a: '42/2@300', j: 'null/1@1100' });
    });
  });

  it('fills in the beat whose packet was lost just before a jump, when a status showed the player in it well after its instant', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Packet 43 (at 784) is lost; the status at 960, 176 ms after its instant, shows the player in 43; at 1100 the player,
      // 1.65 beats on, is first in the bar where the count (44) says fourth: a jump. Beat 43 fires there, late, at its instant.
      const beats = cold('300ms a 799ms j', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), j: receivedBeat({ device: 3, beatInBar: 1 }, 1100) });
      const statuses = cold('s 959ms t', { s: status(41, 0), t: status(43, 960) });
      expectObservable(realBeats(beats, statuses).pipe(map(show))).toBe('300ms a 799ms (bj)', { a: '42/2@300', b: '43/3@784~ late', j: 'null/1@1100' });
    });
  });

  it('does not fill in a beat a status showed while its packet was only late (Wi-Fi): the packet counts it, once', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Packet 43 is held back 280 ms (Wi-Fi), overtaken by the status at 960 that shows 43; the packets go on from there.
      const beats = cold('300ms a 763ms b 419ms c', {
        a: receivedBeat({ device: 3, beatInBar: 2 }, 300),
        b: receivedBeat({ device: 3, beatInBar: 3 }, 1064),
        c: receivedBeat({ device: 3, beatInBar: 4 }, 1484),
      });
      const statuses = cold('s 959ms t', { s: status(41, 0), t: status(43, 960) });
      expectObservable(realBeats(beats, statuses).pipe(map(show))).toBe('300ms a 763ms b 419ms c', { a: '42/2@300', b: '43/3@1064', c: '44/4@1484' });
    });
  });

  it('fills in the beat whose packet was lost just before the player stopped, once the status shows it stopped in that beat', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Packet 43 (at 784) is lost; the status at 900 shows the player in 43, the one at 1000 shows it stopped there.
      const beats = cold('300ms a', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300) });
      const statuses = cold('s 899ms t 99ms u', { s: status(41, 0), t: status(43, 900), u: status(43, 1000, false) });
      expectObservable(realBeats(beats, statuses).pipe(map(show))).toBe('300ms a 699ms b', { a: '42/2@300', b: '43/3@784~ late' });
    });
  });

  it('fires a beat filled in at a stop once, when its own packet arrives after the status that showed the stop (Wi-Fi)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Packet 43 is held back 300 ms (a broadcast waiting for the access point's beacon); the statuses overtake it.
      const beats = cold('300ms a 783ms b', { a: receivedBeat({ device: 3, beatInBar: 2 }, 300), b: receivedBeat({ device: 3, beatInBar: 3 }, 1084) });
      const statuses = cold('s 899ms t 99ms u', { s: status(41, 0), t: status(43, 900), u: status(43, 1000, false) });
      expectObservable(realBeats(beats, statuses).pipe(map(show))).toBe('300ms a 699ms b', { a: '42/2@300', b: '43/3@784~ late' });
    });
  });

  it('fills in beat 1 when its packet is lost: the first packet after play is a place on in the bar from the status that showed 1', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // Parked at the start, playing from 40 (the status shows 1, first in the bar): beat 1's packet (at 50) is lost.
      const beats = cold('534ms b 483ms c', { b: receivedBeat({ device: 3, beatInBar: 2 }, 534), c: receivedBeat({ device: 3, beatInBar: 3 }, 1018) });
      const statuses = cold('p 39ms s', { p: status(0, 0, false), s: status(1, 40) });
      expectObservable(realBeats(beats, statuses).pipe(map(show))).toBe('534ms (ab) 480ms c', { a: '1/1@50~ late', b: '2/2@534', c: '3/3@1018' });
    });
  });

  it('takes the status over the packets\' count when the count fell a beat behind', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // As above, but the status that showed 1 gave no place in the bar: packet 2 is counted as 1. The status at 700
      // (in beat 2, second in the bar, as packet 2 was) shows 2: from then on the status holds.
      const beats = cold('534ms b 483ms c 483ms d', { b: receivedBeat({ device: 3, beatInBar: 2 }, 534), c: receivedBeat({ device: 3, beatInBar: 3 }, 1018), d: receivedBeat({ device: 3, beatInBar: 4 }, 1502) });
      const noPlace = received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 1, beatInBar: 0 }, 40);
      const statuses = cold('p 39ms s 659ms t', { p: status(0, 0, false), s: noPlace, t: status(2, 700) });
      expectObservable(realBeats(beats, statuses).pipe(map(show))).toBe('534ms b 483ms c 483ms d', { b: '1/2@534', c: '3/3@1018', d: '4/4@1502' });
    });
  });
});

describe('estimated beats for the OPUS-QUAD', () => {
  function runEstimate(seed: number, bpm: number): number[] {
    const deck = new SimDeck({ at: 0, position: 1 + (seed % 7) / 7, bpm, playing: true, barOffset: 1 });
    const observations = simulateStatus(deck, 0, 30_000, { seed });
    const virtual = new VirtualTimeScheduler(undefined, 1_000_000);
    const statuses = from(observations).pipe(
      mergeMap((o) =>
        timer(o.at, virtual).pipe(
          map(() => received({ name: 'OPUS-QUAD', device: 9, trackId: 7, bpm: o.effectiveBpm, playing: o.playing, beat: o.beat, beatInBar: o.beatInBar ?? 0 }, o.at)),
        ),
      ),
    );
    const emitted: BeatEvent[] = [];
    estimatedBeats(statuses, virtual).pipe(take(200)).subscribe((b) => emitted.push(b));
    virtual.flush();
    const eightBars = (32 * 60_000) / bpm;
    return emitted
      .filter((b) => b.at > eightBars && b.beat !== null)
      .map((b) => {
        const truth = deck.nextBeatAfter(b.at - 0.5 * (60_000 / bpm));
        expect(truth?.beat).toBe(b.beat);
        return Math.abs(b.at - (truth?.at ?? NaN));
      });
  }

  it('lands within 10 ms (p95) of the true beat after 8 bars, at several tempos and seeds', () => {
    const errors = [1, 2, 3, 4, 5].flatMap((seed) => [...runEstimate(seed, 128), ...runEstimate(seed + 10, 174), ...runEstimate(seed + 20, 95.5)]);
    errors.sort((a, b) => a - b);
    const p95 = errors[Math.floor(errors.length * 0.95)] ?? Infinity;
    expect(errors.length).toBeGreaterThan(500);
    expect(p95).toBeLessThan(10);
  });

  it('emits each beat once, in order, flagged as estimated', () => {
    const deck = new SimDeck({ at: 0, position: 0.3, bpm: 120, playing: true, barOffset: 1 });
    const virtual = new VirtualTimeScheduler(undefined, 1_000_000);
    const statuses = from(simulateStatus(deck, 0, 10_000, { seed: 9 })).pipe(
      mergeMap((o) => timer(o.at, virtual).pipe(map(() => received({ name: 'OPUS-QUAD', device: 10, trackId: 1, bpm: o.effectiveBpm, playing: true, beat: o.beat, beatInBar: o.beatInBar ?? 0 }, o.at)))),
    );
    let beats: BeatEvent[] = [];
    estimatedBeats(statuses, virtual).pipe(take(15), toArray()).subscribe((b) => (beats = b));
    virtual.flush();
    const numbers = beats.map((b) => b.beat);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).toEqual([...numbers].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(beats.every((b) => b.estimated && b.deck === 2)).toBe(true);
    expect(beats.map((b) => b.beatInBar).slice(0, 8)).toEqual(
      beats.slice(0, 8).map((b) => ((((b.beat ?? 0) - 1) % 4) + 4) % 4 + 1),
    );
  });
});

describe('real beats delivered twice', () => {
  it('counts a beat packet that arrives again within half a beat (a switch or Wi-Fi copy) once; a one-beat loop a beat later fires again', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      // 124 BPM: a beat every 484 ms. `c` is a copy of `b` 4 ms later; `d` repeats b's content a whole beat later (a one-beat loop).
      const beats = cold('100ms a 483ms b 3ms c 483ms d', {
        a: receivedBeat({ device: 3, beatInBar: 2 }, 100),
        b: receivedBeat({ device: 3, beatInBar: 3 }, 584),
        c: receivedBeat({ device: 3, beatInBar: 3 }, 588),
        d: receivedBeat({ device: 3, beatInBar: 3 }, 1072),
      });
      const status = cold('s', { s: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 41, beatInBar: 1 }, 0) });
      expectObservable(realBeats(beats, status).pipe(map((b) => `${b.beat}/${b.beatInBar}`))).toBe('100ms a 483ms b 487ms d', { a: '42/2', b: '43/3', d: '44/3' });
    });
    // With the player's statuses arriving, the loop's repeat shows by its place in the bar: it fires on time,
    // its number (43 again) left to the next status.
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const beats = cold('100ms a 483ms b 487ms d', {
        a: receivedBeat({ device: 3, beatInBar: 2 }, 100),
        b: receivedBeat({ device: 3, beatInBar: 3 }, 584),
        d: receivedBeat({ device: 3, beatInBar: 3 }, 1072),
      });
      const status = cold('s 599ms t', {
        s: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 41, beatInBar: 1 }, 0),
        t: received({ device: 3, trackId: 112, bpm: 124, playing: true, beat: 43, beatInBar: 3 }, 600),
      });
      expectObservable(realBeats(beats, status).pipe(map((b) => `${b.beat}/${b.beatInBar}`))).toBe('100ms a 483ms b 487ms d', { a: '42/2', b: '43/3', d: 'null/3' });
    });
  });
});
