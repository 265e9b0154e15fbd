/**
 * Position events: each playing deck's position, sampled at a fixed
 * interval for rules that drive a timeline. The interval comes from outside
 * (the rules on `position`); while it is null nothing is subscribed, not even
 * the decks, so a mapping without such rules pays nothing. Where a deck is
 * comes from outside too (`sample`: the beat grids and precise positions the
 * app keeps, timing/deck-position.ts).
 *
 *   intervalMs$  ──null────────100──────────────null──
 *   decks        ──1p──────────1p──2p──1s──────────────
 *   events       ──────────────────P1─P1P2─P2─ (every 100 ms, playing decks only)
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { distinctUntilChanged, EMPTY, interval, map, merge, mergeMap, scan, switchMap } from '../rx';
import type { PositionEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { DeckPosition } from '../timing/deck-position';

/** The shortest sampling interval (50 a second per deck): a throttle below it samples at this rate. */
export const MIN_POSITION_INTERVAL_MS = 20;
/** A deck whose last status is older than this gets no position events: its packets stopped. */
export const POSITION_STALE_MS = 2000;

export interface PositionSampling {
  /** ms between samples, or null while no rule listens. */
  readonly intervalMs$: Observable<number | null>;
  /** Where a deck is at a time; null when unknown (no track, no grid, no fresh precise position). */
  readonly sample: (deck: DeckState, at: number) => DeckPosition | null;
}

const TICK = 'tick' as const;

interface Sampler {
  readonly decks: ReadonlyMap<number, DeckState>;
  readonly out: readonly PositionEvent[];
}

const NONE: readonly PositionEvent[] = [];

function samples(decks: ReadonlyMap<number, DeckState>, sample: PositionSampling['sample'], at: number): readonly PositionEvent[] {
  const out: PositionEvent[] = [];
  for (const deck of decks.values()) {
    if (!deck.playing || at - deck.updatedAt > POSITION_STALE_MS) continue;
    const p = sample(deck, at);
    if (p === null) continue;
    out.push({
      type: 'position',
      at,
      deck: deck.deck,
      positionMs: p.positionMs,
      timelineMs: p.timelineMs,
      timecode: p.timecode,
      rate: p.rate,
      beat: p.beat,
      effectiveBpm: deck.effectiveBpm,
      estimated: p.estimated,
    });
  }
  return out;
}

function sampled(decks: Observable<DeckState>, intervalMs: number, sample: PositionSampling['sample'], scheduler: SchedulerLike): Observable<PositionEvent> {
  return merge(decks, interval(Math.max(MIN_POSITION_INTERVAL_MS, intervalMs), scheduler).pipe(map(() => TICK))).pipe(
    scan<DeckState | typeof TICK, Sampler>(
      (state, input) =>
        input === TICK
          ? { decks: state.decks, out: samples(state.decks, sample, scheduler.now()) }
          : { decks: new Map(state.decks).set(input.deck, input), out: NONE },
      { decks: new Map(), out: NONE },
    ),
    mergeMap((s) => s.out),
  );
}

/** One position event per playing deck every interval, while the interval is not null. */
export function positionEvents(decks: Observable<DeckState>, sampling: PositionSampling, scheduler: SchedulerLike): Observable<PositionEvent> {
  return sampling.intervalMs$.pipe(distinctUntilChanged(), switchMap((ms) => (ms === null ? EMPTY : sampled(decks, ms, sampling.sample, scheduler))));
}
