import { TestScheduler } from 'rxjs/testing';
import { from, map, mergeMap, take, timer, VirtualTimeScheduler } from 'rxjs';
import { withState } from '../../src/streams/with-state';
import { estimatedBeats } from '../../src/streams/estimated-beats';
import type { BeatEvent } from '../../src/events/bridge-event';
import { SimDeck } from '../../src/timing/sim/sim-deck';
import { simulateStatus } from '../../src/timing/sim/status-sim';
import { received } from './status-bytes';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** Emits each multiple of ten that a running sum passes: none, one or several per input. */
const tens = withState<number, number, { sum: number }>(
  () => ({ sum: 0 }),
  (s, n, emit) => {
    const before = s.sum;
    s.sum += n;
    for (let ten = Math.floor(before / 10) + 1; ten <= Math.floor(s.sum / 10); ten++) emit(ten * 10);
  },
);

describe('withState', () => {
  it('emits zero or more values per input, with state private to each subscription', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a-b-c----|', { a: 4, b: 3, c: 25 });
      const out = input.pipe(tens);
      // Subscribed twice (the second time later): each subscription starts from its own zero.
      expectObservable(out).toBe('----(xyz)|', { x: 10, y: 20, z: 30 });
      expectObservable(out, '--^').toBe('------(xyz)|', { x: 10, y: 20, z: 30 });
    });
  });

  it('errors the output when a step throws, as scan would', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const input = cold('a-b-c|', { a: 12, b: -1, c: 30 });
      const out = input.pipe(
        withState<number, number, { seen: number }>(
          () => ({ seen: 0 }),
          (s, n, emit) => {
            if (n < 0) throw new RangeError(`negative input after ${s.seen}`);
            s.seen++;
            emit(n);
          },
        ),
      );
      expectObservable(out).toBe('a-#', { a: 12 }, new RangeError('negative input after 1'));
      expectSubscriptions(input.subscriptions).toBe('^-!');
    });
  });
});

describe('estimated beats over the life of a subscription', () => {
  function statuses(virtual: VirtualTimeScheduler, untilMs: number) {
    const deck = new SimDeck({ at: 0, position: 0.3, bpm: 120, playing: true, barOffset: 1 });
    return from(simulateStatus(deck, 0, untilMs, { seed: 4 })).pipe(
      mergeMap((o) => timer(o.at, virtual).pipe(map(() => received({ name: 'OPUS-QUAD', device: 9, trackId: 1, bpm: o.effectiveBpm, playing: true, beat: o.beat, beatInBar: o.beatInBar ?? 0 }, o.at)))),
    );
  }

  it('plans no further beat once the consumer has unsubscribed on one', () => {
    const virtual = new VirtualTimeScheduler(undefined, 1_000_000);
    const beats: BeatEvent[] = [];
    estimatedBeats(statuses(virtual, 20_000), virtual).pipe(take(6)).subscribe((b) => beats.push(b));
    virtual.flush();
    expect(beats).toHaveLength(6);
    // Nothing was left scheduled after the sixth beat (the next one is 500 ms later).
    expect(virtual.frame).toBeLessThan((beats[5]?.at ?? NaN) + 1);
  });

  it('goes on predicting (coasting) after the last status until the grid stops coasting, then completes', () => {
    const virtual = new VirtualTimeScheduler(undefined, 1_000_000);
    const beats: BeatEvent[] = [];
    let completedAt: number | null = null;
    estimatedBeats(statuses(virtual, 10_000), virtual).subscribe({ next: (b) => beats.push(b), complete: () => (completedAt = virtual.now()) });
    virtual.flush();
    const lastBeat = beats.at(-1)?.at ?? NaN;
    // Statuses end just before 10 s; beats (every 500 ms) carry on for the 20 s the grid coasts, flagged after 1 s.
    expect(lastBeat).toBeGreaterThan(29_000);
    expect(lastBeat).toBeLessThan(30_000);
    expect(completedAt).toBe(lastBeat);
    // The last status comes within a status period (~200 ms) of 10 s.
    expect(beats.filter((b) => b.at < 10_000).every((b) => !b.coasting)).toBe(true);
    expect(beats.filter((b) => b.at > 11_001).every((b) => b.coasting)).toBe(true);
    expect(beats.filter((b) => b.coasting).length).toBeGreaterThan(36); // 18.5 s of coasting beats, every 500 ms
  });
});
