/**
 * The position stream: one event per playing deck per interval, none for a
 * stopped deck or a deck whose packets stopped, and no subscription at all
 * while no rule asks for positions.
 */
import { TestScheduler } from 'rxjs/testing';
import { positionEvents, POSITION_STALE_MS } from '../../src/streams/position-events';
import type { DeckState } from '../../src/events/deck-state';
import type { PositionEvent } from '../../src/events/bridge-event';
import { deckPositionAt } from '../../src/timing/deck-position';
import type { BeatGrid } from '../../src/timing/beat-grid';
import { deck } from '../mapping/engine-support';

/** Every deck plays at 120 BPM with beat 1 at t = 0: the grid puts it (t / 500) beats in. */
const GRID: BeatGrid = { at: 0, playing: true, position: 1, bpm: 120, barOffset: 1, uncertaintyMs: 2 };
const sample = (state: DeckState, at: number) =>
  deckPositionAt({ rate: 25, offsets: {}, defaultOffset: 0 }, { grid: () => GRID, precise: () => null }, state, at);

function event(n: number, at: number): PositionEvent {
  const frames = Math.floor(at / 40);
  return {
    type: 'position',
    at,
    deck: n,
    positionMs: at,
    timelineMs: at,
    timecode: `00:00:${String(Math.floor(frames / 25)).padStart(2, '0')}:${String(frames % 25).padStart(2, '0')}`,
    rate: 25,
    beat: 1 + at / 500,
    effectiveBpm: 120,
    estimated: true,
  };
}

const playing = (n: number, at: number): DeckState => deck(n, { bpm: 120, effectiveBpm: 120, updatedAt: at });
const stopped = (n: number, at: number): DeckState => deck(n, { bpm: 120, effectiveBpm: 120, playing: false, playState: 'paused', updatedAt: at });

describe('positionEvents', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('samples each playing deck every interval, and nothing for a stopped deck', () => {
    ts.run(({ cold, hot, expectObservable }) => {
      // Deck 1 plays from 1 ms and deck 2 is stopped; deck 2 starts at 150; deck 1 stops at 250.
      const decks = hot<DeckState>('-a 148ms b 99ms c', { a: playing(1, 0), b: playing(2, 150), c: stopped(1, 250) });
      const intervalMs$ = cold<number | null>('a', { a: 100 });
      expectObservable(positionEvents(decks, { intervalMs$, sample }, ts), '^ 349ms !').toBe('100ms a 99ms (bc) 96ms d', {
        a: event(1, 100),
        b: event(1, 200),
        c: event(2, 200),
        d: event(2, 300),
      });
    });
  });

  it('emits nothing while every deck is stopped', () => {
    ts.run(({ cold, hot, expectObservable }) => {
      const decks = hot<DeckState>('-a 98ms b', { a: stopped(1, 0), b: stopped(2, 100) });
      expectObservable(positionEvents(decks, { intervalMs$: cold('a', { a: 40 }), sample }, ts), '^ 999ms !').toBe('');
    });
  });

  it('stops sampling a deck whose status stopped coming', () => {
    ts.run(({ cold, hot, expectObservable }) => {
      const decks = hot<DeckState>('-a', { a: playing(1, 0) });
      expect(POSITION_STALE_MS).toBe(2000);
      expectObservable(positionEvents(decks, { intervalMs$: cold('a', { a: 1000 }), sample }, ts), '^ 4999ms !').toBe('1000ms a 999ms b', {
        a: event(1, 1000),
        b: event(1, 2000),
      });
    });
  });

  it('subscribes to nothing while the interval is null, and follows a new interval without repeating samples', () => {
    ts.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      // A status at 350 ms: subscribed from 300 ms only, the stream sees it.
      const decks = hot<DeckState>('350ms a', { a: playing(1, 0) });
      // No rule on position until 300 ms; sampled every 100 ms until 500, the same 100 ms again (a reload with the same rules: no restart) until 700, then no rule again.
      const intervalMs$ = cold<number | null>('a 299ms b 199ms c 199ms d', { a: null, b: 100, c: 100, d: null });
      expectObservable(positionEvents(decks, { intervalMs$, sample }, ts), '^ 999ms !').toBe('400ms a 99ms b 99ms c', {
        a: event(1, 400),
        b: event(1, 500),
        c: event(1, 600),
      });
      expectSubscriptions(decks.subscriptions).toBe('300ms ^ 399ms !');
    });
  });
});
