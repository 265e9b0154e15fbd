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
import type { GridBeat } from '../../src/library/library-track';

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
  // A hair after the beat, so the deck's list of beats has the beat itself before the change.
  for (const [beat, bpm] of CHANGES) events.push({ at: beatAt(new SimDeck(START, events), beat) + 1e-6, kind: 'tempo', bpm });
  return new SimDeck(START, events);
}

const p95 = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)] ?? Infinity;

const TRACK_ID = 7;

/** The track's own beat grid, as its analysis file would have it: beat 1 at 0 ms, each beat as long as its tempo says (pitch 0). */
function trackGrid(): GridBeat[] {
  const grid: GridBeat[] = [];
  let timeMs = 0;
  for (let beat = 1; beat <= 400; beat++) {
    const bpm = [...CHANGES].reverse().find(([from]) => beat >= from)?.[1] ?? START.bpm;
    grid.push({ beatInBar: ((beat - 1) % 4) + 1, timeMs, bpm });
    timeMs += 60_000 / bpm;
  }
  return grid;
}

type Knowing = 'nothing' | 'track tempo' | 'grid';

/**
 * Errors of the beats from 4 before to 16 after each change, each predicted from what had arrived `aheadMs`
 * before it (half a beat by default; a look-ahead rule's lead asks further ahead), the status packets carrying
 * the track BPM (at pitch 0) or not, the track's grid known or not.
 */
function errorsAroundChanges(seed: number, knowing: Knowing, aheadMs = 240): number[] {
  const deck = deckWithGridTempoChanges();
  const list: Observation[] = simulateStatus(deck, 0, 120_000, { seed }).map((o) => ({
    kind: 'status',
    o: knowing === 'nothing' ? o : { ...o, trackBpm: o.effectiveBpm, trackId: TRACK_ID },
  }));
  const beats: number[] = [];
  for (let b = deck.nextBeatAfter(0); b !== null && b.at <= 100_000; b = deck.nextBeatAfter(b.at)) beats.push(b.beat);
  const grid = trackGrid();
  const timing = new DeckTiming({}, knowing === 'grid' ? (id) => (id === TRACK_ID ? grid : null) : null);
  const errors = predictionErrors(deck, list, 0, 100_000, timing, aheadMs);
  return errors.filter((_, i) => CHANGES.some(([beat]) => (beats[i] as number) >= beat - 4 && (beats[i] as number) < beat + 16));
}

describe('a change of the track’s own tempo (status packets, lighting mode)', () => {
  it('is put on the beat it happens on: the beats after it keep their phase', () => {
    const seeds = [1, 2, 3, 4, 5, 6];
    const withTrackBpm = seeds.flatMap((s) => errorsAroundChanges(s, 'track tempo'));
    const without = seeds.flatMap((s) => errorsAroundChanges(s, 'nothing'));
    process.stdout.write(
      `beats around a grid tempo change, p95 / max: ${p95(withTrackBpm).toFixed(2)} / ${Math.max(...withTrackBpm).toFixed(2)} ms on the beat, ` +
        `${p95(without).toFixed(2)} / ${Math.max(...without).toFixed(2)} ms half-way between packets\n`,
    );
    expect(withTrackBpm.every(Number.isFinite)).toBe(true);
    expect(p95(withTrackBpm)).toBeLessThan(p95(without));
    expect(Math.max(...withTrackBpm)).toBeLessThan(Math.max(...without));
  });

  it("with the track's beat grid (the library), beats after a change are placed on the grid's own beat times before a status shows it (predicted a second ahead)", () => {
    const seeds = [1, 2, 3, 4, 5, 6];
    const grid = seeds.flatMap((s) => errorsAroundChanges(s, 'grid', 1000));
    const onBeat = seeds.flatMap((s) => errorsAroundChanges(s, 'track tempo', 1000));
    process.stdout.write(`beats around a grid tempo change with the track's grid, p95 / max: ${p95(grid).toFixed(2)} / ${Math.max(...grid).toFixed(2)} ms (status packets alone: ${p95(onBeat).toFixed(2)} / ${Math.max(...onBeat).toFixed(2)})\n`);
    expect(grid.every(Number.isFinite)).toBe(true);
    expect(p95(grid)).toBeLessThan(p95(onBeat));
    expect(Math.max(...grid)).toBeLessThan(Math.max(...onBeat));
  });
});
