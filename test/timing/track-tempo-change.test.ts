/**
 * A track whose own beat grid changes tempo (a live recording, an edit): the
 * status packets' track BPM moves while the pitch stays, and the change
 * happens on a beat. The estimator puts it on that beat instead of half-way
 * between two status packets, so the beats after the change keep their phase.
 */
import { DeckTiming } from '../../src/timing/deck-timing';
import { SimDeck, type DeckEvent, type DeckStart } from '../../src/timing/sim/sim-deck';
import { simulateStatus } from '../../src/timing/sim/status-sim';
import { predictionErrors, type Observation } from './prediction-errors';

const START: DeckStart = { at: 0, position: 1.2, bpm: 124, playing: true, barOffset: 1 };

/** The grid's tempo steps at beats 97 (to 126 BPM) and 161 (to 121.5 BPM): tempo events at the instants the deck reaches them. */
const CHANGES: readonly (readonly [number, number])[] = [
  [97, 126],
  [161, 121.5],
];

function beatAt(deck: SimDeck, beat: number): number {
  for (let b = deck.nextBeatAfter(0); b !== null; b = deck.nextBeatAfter(b.at)) if (b.beat === beat) return b.at;
  throw new Error(`the deck never reaches beat ${beat}`);
}

function deckWithGridTempoChanges(): SimDeck {
  const events: DeckEvent[] = [];
  for (const [beat, bpm] of CHANGES) events.push({ at: beatAt(new SimDeck(START, events), beat), kind: 'tempo', bpm });
  return new SimDeck(START, events);
}

const p95 = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? Infinity;

/** Errors of the beats from 4 before to 16 after each change, the status packets carrying the track BPM (at pitch 0) or not. */
function errorsAroundChanges(seed: number, withTrackBpm: boolean): number[] {
  const deck = deckWithGridTempoChanges();
  const list: Observation[] = simulateStatus(deck, 0, 120_000, { seed }).map((o) => ({
    kind: 'status',
    o: withTrackBpm ? { ...o, trackBpm: o.effectiveBpm } : o,
  }));
  const beats: number[] = [];
  for (let b = deck.nextBeatAfter(0); b !== null && b.at <= 100_000; b = deck.nextBeatAfter(b.at)) beats.push(b.beat);
  const errors = predictionErrors(deck, list, 0, 100_000, new DeckTiming(), 240);
  return errors.filter((_, i) => CHANGES.some(([beat]) => (beats[i] as number) >= beat - 4 && (beats[i] as number) < beat + 16));
}

describe('a change of the track’s own tempo (status packets, lighting mode)', () => {
  it('is put on the beat it happens on: the beats after it keep their phase', () => {
    const seeds = [1, 2, 3, 4, 5, 6];
    const withTrackBpm = seeds.flatMap((s) => errorsAroundChanges(s, true));
    const without = seeds.flatMap((s) => errorsAroundChanges(s, false));
    process.stdout.write(
      `beats around a grid tempo change, p95 / max: ${p95(withTrackBpm).toFixed(2)} / ${Math.max(...withTrackBpm).toFixed(2)} ms on the beat, ` +
        `${p95(without).toFixed(2)} / ${Math.max(...without).toFixed(2)} ms half-way between packets\n`,
    );
    expect(withTrackBpm.every(Number.isFinite)).toBe(true);
    expect(p95(withTrackBpm)).toBeLessThan(p95(without));
    expect(Math.max(...withTrackBpm)).toBeLessThan(Math.max(...without));
  });
});
