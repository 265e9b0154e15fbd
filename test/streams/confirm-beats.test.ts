import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import { CONFIRM_HOLD_MS, confirmBeats, judgeHeldBeat } from '../../src/streams/confirm-beats';
import type { DeckSignal } from '../../src/streams/deck-signals';
import { deckStateOf } from '../../src/streams/deck-states';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { DeckState } from '../../src/events/deck-state';
import { lostBeat } from '../../src/streams/real-beat-count';
import { received } from './status-bytes';

const BPM = 125; // 480 ms a beat

/** `moving: false` while playing: a hand holds the platter (P1 playing, P2 stopped). */
function state(beat: number, at: number, over: { playing?: boolean; moving?: boolean; trackId?: number } = {}): DeckState {
  const playing = over.playing ?? true;
  return deckStateOf(received({ name: 'OPUS-QUAD', device: 9, trackId: over.trackId ?? 184, playing, moving: over.moving ?? playing, bpm: BPM, beat, beatInBar: ((beat - 1) % 4) + 1 }, at));
}

function beat(n: number, at: number, estimated = true): BeatEvent {
  return { type: 'beat', at, deck: 1, beat: n, beatInBar: ((n - 1) % 4) + 1, effectiveBpm: BPM, estimated, late: false, coasting: false };
}

const status = (beatNumber: number, at: number, over: { playing?: boolean; moving?: boolean; trackId?: number } = {}): DeckSignal => ({ kind: 'status', state: state(beatNumber, at, over) });
const beatSignal = (n: number, at: number, estimated = true): DeckSignal => ({ kind: 'beat', beat: beat(n, at, estimated) });

function label(s: DeckSignal): string {
  if (s.kind === 'status') return `status ${s.state.beat}`;
  if (s.kind === 'beat') return `beat ${s.beat.beat}@${s.beat.at}${'confirmed' in s.beat ? ' confirmed' : ''}`;
  return `unconfirmed(${s.reason}) ${s.beat.beat}`;
}

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('estimated beats held for the deck to confirm them (rules with confirm: true)', () => {
  it('lets a beat through, at its predicted instant, when the next status shows the deck there: late by up to one status period', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('s 99ms b 99ms t', { s: status(40, 0), b: beatSignal(41, 100), t: status(41, 200) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 199ms (bt)', { s: 'status 40', b: 'beat 41@100 confirmed', t: 'status 41' });
    });
  });

  it('drops a predicted beat the deck never plays: it jumped', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('s 99ms b 99ms t', { s: status(84, 0), b: beatSignal(85, 100), t: status(229, 200) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 199ms (ut)', { s: 'status 84', u: 'unconfirmed(jump) 85', t: 'status 229' });
    });
  });

  it('drops held beats when the beat stream goes back below them (a roll the deck wrapped in): later statuses past them confirm only what came after', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // 41 predicted; the status still shows 40 (a roll on 40); the stream fires 40 again, late; the deck then gets to 41.
      const again: DeckSignal = { kind: 'beat', beat: { ...beat(40, 300), late: true } };
      const input = cold('s 99ms b 99ms t 99ms a 99ms c 99ms u', { s: status(40, 0), b: beatSignal(41, 100), t: status(40, 200), a: again, c: beatSignal(41, 500), u: status(41, 600) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 199ms t 99ms x 199ms (eyu)', {
        s: 'status 40',
        t: 'status 40',
        x: 'unconfirmed(jump) 41',
        e: 'beat 40@300 confirmed',
        y: 'beat 41@500 confirmed',
        u: 'status 41',
      });
    });
  });

  it.each([false, true])('takes a beat fired again while the deck is still in the beat a late status let through for the same arrival (a roll let go just after the beat it overtook; the first fired late: %s)', (firstLate) => {
    scheduler().run(({ cold, expectObservable }) => {
      // 41 predicted for 100; statuses still show 40 at 200 and at 400 (300 ms after it: the deck got there later);
      // the status at 600 shows 41 and lets it through. The beat stream fires 41 again, late, at 700 (it had taken
      // 41 for overtaken): the status at 800 still shows 41, so that is the arrival already let through.
      // The same when the first was fired late (an estimate still unsure of where the deck was in the beat).
      const again: DeckSignal = { kind: 'beat', beat: { ...beat(41, 590), late: true } };
      const input = cold('s 99ms b 99ms t 199ms w 199ms c 99ms a 99ms u 199ms n', {
        s: status(40, 0),
        b: firstLate ? ({ kind: 'beat', beat: { ...beat(41, 100), late: true } } satisfies DeckSignal) : beatSignal(41, 100),
        t: status(40, 200),
        w: status(40, 400),
        c: status(41, 600),
        a: again,
        u: status(41, 800),
        n: beatSignal(42, 1000),
      });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 199ms t 199ms w 199ms (ec) 96ms r 99ms u 199ms -', {
        s: 'status 40',
        t: 'status 40',
        w: 'status 40',
        e: 'beat 41@100 confirmed',
        c: 'status 41',
        r: 'unconfirmed(repeat) 41',
        u: 'status 41',
      });
    });
  });

  it('holds a beat fired again as any other when the status that let the first through came in time (a loop of one beat wrapping)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('s 99ms b 99ms c 399ms a 99ms u', { s: status(40, 0), b: beatSignal(41, 100), c: status(41, 200), a: beatSignal(41, 600), u: status(41, 700) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 199ms (ec) 496ms (fu)', {
        s: 'status 40',
        e: 'beat 41@100 confirmed',
        c: 'status 41',
        f: 'beat 41@600 confirmed',
        u: 'status 41',
      });
    });
  });

  it('drops one when the deck stopped before it, or changed track', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const stopped = cold('s 99ms b 99ms t', { s: status(40, 0), b: beatSignal(41, 100), t: status(40, 200, { playing: false }) });
      expectObservable(stopped.pipe(confirmBeats(), map(label))).toBe('s 199ms (ut)', { s: 'status 40', u: 'unconfirmed(stopped) 41', t: 'status 40' });
      const loaded = cold('s 99ms b 99ms t', { s: status(40, 0), b: beatSignal(41, 100), t: status(1, 200, { trackId: 185 }) });
      expectObservable(loaded.pipe(confirmBeats(), map(label))).toBe('s 199ms (ut)', { s: 'status 40', u: 'unconfirmed(track) 41', t: 'status 1' });
    });
  });

  it('lets one through when the deck played it and stopped in it before the next status: the counter shows the beat', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('s 99ms b 99ms t', { s: status(40, 0), b: beatSignal(41, 100), t: status(41, 200, { playing: false }) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 199ms (bt)', { s: 'status 40', b: 'beat 41@100 confirmed', t: 'status 41' });
    });
  });

  it('waits at a loop\'s wrap when the next status still shows the loop\'s last beat (sent just before the wrap)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // An 8-beat loop 65-72: beat 72 at 100, the wrap to 65 predicted at 580; the status at 600 was sent before the wrap.
      const input = cold('s 99ms a 479ms b 19ms t 199ms u', { s: status(71, 0), a: beatSignal(72, 100), b: beatSignal(65, 580), t: status(72, 600), u: status(65, 800) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 599ms (at) 196ms (bu)', {
        s: 'status 71',
        a: 'beat 72@100 confirmed',
        t: 'status 72',
        b: 'beat 65@580 confirmed',
        u: 'status 65',
      });
    });
  });

  it('lets a lost CDJ beat through at once: filled in from the player\'s later packets, it comes confirmed', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const filled: DeckSignal = { kind: 'beat', beat: lostBeat(1, 100, 41, 1, BPM) };
      // Without the fill's own word it would wait for the status at 300 and be dropped there: the deck jumped.
      const input = cold('s 99ms b 199ms t', { s: status(40, 0), b: filled, t: status(229, 300) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 99ms b 199ms t', { s: 'status 40', b: 'beat 41@100 confirmed', t: 'status 229' });
    });
  });

  it('waits for the next status when one arrives a beat short (sent just before the beat), and keeps later beats behind it', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('s 99ms b 9ms t 189ms u', { s: status(40, 0), b: beatSignal(41, 100), t: status(40, 110), u: status(41, 310) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 99ms - 9ms t 189ms (bu)', { s: 'status 40', t: 'status 40', b: 'beat 41@100 confirmed', u: 'status 41' });
    });
  });

  it('confirms several held beats with one late status, and lets real beat packets through at once', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('s 99ms a 479ms b 99ms r 99ms t', { s: status(40, 0), a: beatSignal(41, 100), b: beatSignal(42, 580), r: beatSignal(7, 680, false), t: status(42, 780) });
      expectObservable(input.pipe(confirmBeats(), map(label))).toBe('s 679ms r 99ms (abt)', {
        s: 'status 40',
        r: 'beat 7@680 confirmed',
        a: 'beat 41@100 confirmed',
        b: 'beat 42@580 confirmed',
        t: 'status 42',
      });
    });
  });
});

describe('judging a held beat against a status', () => {
  const b = beat(41, 1000);
  it.each([
    ['at the beat', state(41, 1100), 'confirmed'],
    ['a beat on, soon after', state(42, 1100), 'confirmed'],
    ['two beats on, too soon for that', state(43, 1100), 'jump'],
    ['two beats on, after a beat period', state(43, 1500), 'confirmed'],
    ['a beat short, soon after', state(40, 1100), 'wait'],
    ['a beat short, a beat period later', state(40, 1480), 'jump'],
    ['far back (a loop)', state(9, 1100), 'jump'],
    ['stopped before it', state(40, 1100, { playing: false }), 'stopped'],
    ['stopped in it, after playing it', state(41, 1100, { playing: false }), 'confirmed'],
    ['held on the platter before it (still playing, standing)', state(40, 1100, { moving: false }), 'stopped'],
    ['held on the platter in it, after playing it', state(41, 1100, { moving: false }), 'confirmed'],
    ['another track', state(41, 1100, { trackId: 9 }), 'track'],
    ['after an outage', state(41 + 6, 1000 + CONFIRM_HOLD_MS + 1), 'expired'],
  ])('%s', (_what, s, verdict) => {
    expect(judgeHeldBeat(b, 184, s)).toBe(verdict);
  });
});
