/**
 * Beats from precise positions on the track's own beat grid (a library
 * track's PQTZ): Demo Track 1 of a real export (first beat 25 ms, 128 BPM),
 * played by a simulated deck, and a grid with a tempo change.
 */
import { readTrackAnalysis } from '../../src/library/anlz';
import type { GridBeat } from '../../src/library/library-track';
import { DeckTiming } from '../../src/timing/deck-timing';
import { DEFAULT_ESTIMATOR_OPTIONS } from '../../src/timing/estimator-options';
import { PlayheadGrid } from '../../src/timing/playhead-grid';
import { SimDeck, type DeckEvent } from '../../src/timing/sim/sim-deck';
import { simulatePlayhead, simulateStatus } from '../../src/timing/sim/status-sim';
import { pyrekordboxDat } from '../library/anlz/anlz-fixtures';
import { predictionErrors, type Observation } from './prediction-errors';

const DEMO_1 = readTrackAnalysis(pyrekordboxDat('demo1')).grid;
const TRACK_BPM = 128;
const FIRST_BEAT_MS = 25;
const TRACK_ID = 7;


function observations(deck: SimDeck, from: number, to: number, seed: number): Observation[] {
  const status = simulateStatus(deck, from, to, { seed }).map((o) => ({ ...o, trackBpm: TRACK_BPM, trackId: TRACK_ID }));
  const playhead = simulatePlayhead(deck, from, to, { seed, trackBpm: TRACK_BPM, firstBeatMs: FIRST_BEAT_MS });
  return [...status.map((o): Observation => ({ kind: 'status', o })), ...playhead.map((o): Observation => ({ kind: 'playhead', o }))].sort((a, b) => a.o.at - b.o.at);
}

/** Prediction errors, each beat predicted from what arrived up to half a beat (at 128 BPM) before it. */
const errors = (deck: SimDeck, list: readonly Observation[], from: number, to: number, timing: DeckTiming): number[] => predictionErrors(deck, list, from, to, timing, 234);

const demoGrid = (trackId: number): readonly GridBeat[] | null => (trackId === TRACK_ID ? DEMO_1 : null);

describe("DeckTiming on the track's own grid (Demo Track 1)", () => {
  // Beats are off by the grid's and the packets' whole milliseconds and the network jitter (1.5 ms) only.
  it('places every beat to within 2 ms from the first beats on, where the learned constant still guesses', () => {
    for (const seed of [1, 2, 3]) {
      // Heard from 2 s after the deck started at beat 1.3.
      const deck = new SimDeck({ at: 0, position: 1.3, bpm: TRACK_BPM, playing: true, barOffset: 1 });
      const list = observations(deck, 2000, 20_000, seed);
      const withGrid = errors(deck, list, 2600, 20_000, new DeckTiming({}, demoGrid));
      const learned = errors(deck, list, 2600, 20_000, new DeckTiming());
      expect(Math.max(...withGrid)).toBeLessThan(2);
      expect(Math.max(...learned.slice(0, 4))).toBeGreaterThan(2);
    }
  });

  it('places the beats after a jump exactly, names the beat it landed on, and follows a pitch change', () => {
    const events: DeckEvent[] = [
      { at: 10_000, kind: 'jump', position: 225 },
      { at: 14_000, kind: 'tempo', bpm: TRACK_BPM * 1.04, overMs: 0 },
    ];
    const deck = new SimDeck({ at: 0, position: 1.3, bpm: TRACK_BPM, playing: true, barOffset: 1 }, events);
    const list = observations(deck, 0, 24_000, 4);
    const timing = new DeckTiming({}, demoGrid);
    errors(deck, list, 0, 9_900, timing);
    const afterJump = errors(deck, list, 10_000, 13_900, timing);
    expect(timing.stretch).toMatchObject({ kind: 'jump', firstBeat: 225, exact: true });
    expect(Math.max(...afterJump.slice(1))).toBeLessThan(2);
    expect(Math.max(...errors(deck, list, 14_300, 24_000, timing))).toBeLessThan(2);
    expect(timing.bpm).toBeCloseTo(TRACK_BPM * 1.04, 6);
  });

  it("counts the bar on the grid's beats", () => {
    const deck = new SimDeck({ at: 0, position: 40.2, bpm: TRACK_BPM, playing: true, barOffset: 1 });
    const timing = new DeckTiming({}, demoGrid);
    errors(deck, observations(deck, 0, 3000, 5), 0, 3000, timing);
    for (const n of [49, 50, 51, 52, 53]) expect(timing.predictBeat(n)?.beatInBar).toBe(DEMO_1[n - 1]?.beatInBar);
  });

  it('ignores the grid while the deck shows another track: the learned constant places the beats, as without one', () => {
    const deck = new SimDeck({ at: 0, position: 1.3, bpm: TRACK_BPM, playing: true, barOffset: 1 });
    const list = observations(deck, 2000, 12_000, 6);
    const other = errors(deck, list, 2600, 12_000, new DeckTiming({}, (trackId) => (trackId === TRACK_ID + 1 ? DEMO_1 : null)));
    expect(other).toEqual(errors(deck, list, 2600, 12_000, new DeckTiming()));
  });
});

describe('PlayheadGrid on a grid with a tempo change', () => {
  // Four beats at 120 BPM (500 ms), then four at 150 BPM (400 ms), from 1 000 ms into the track.
  const grid: GridBeat[] = [1000, 1500, 2000, 2500, 3000, 3400, 3800, 4200].map((timeMs, i) => ({ beatInBar: (i % 4) + 1, timeMs, bpm: i < 4 ? 120 : 150 }));

  /** The deck plays at +10 % from 0 ms into the track at t = 10 000; packets every 30 ms. */
  function playing(until: number): PlayheadGrid {
    const g = new PlayheadGrid(DEFAULT_ESTIMATOR_OPTIONS, (trackId) => (trackId === 3 ? grid : null));
    g.observe({ at: 9_990, beat: null, trackBpm: 120, trackId: 3, source: 'status' });
    for (let t = 10_000; t <= until; t += 30) g.observePlayhead({ at: t, ms: Math.round((t - 10_000) * 1.1), pitch: 1.1 });
    return g;
  }

  it("follows the grid's tempo: positions, beat instants and BPM × pitch", () => {
    const early = playing(12_000);
    expect(early.ready(12_000)).toBe(true);
    expect(early.positionAt(10_000 + 1750 / 1.1)).toBeCloseTo(2.5, 6);
    expect(early.bpm).toBeCloseTo(120 * 1.1, 6);
    expect(early.timeOf(6)).toBeCloseTo(10_000 + 3400 / 1.1, 6);
    expect(early.timeOf(6.5)).toBeCloseTo(10_000 + 3600 / 1.1, 6);
    const late = playing(13_300);
    expect(late.positionAt(10_000 + 3200 / 1.1)).toBeCloseTo(5.5, 6);
    expect(late.bpm).toBeCloseTo(150 * 1.1, 6);
    expect(late.fromTrackGrid).toBe(true);
  });

  it('is not ready without fresh positions, nor for a track it has no grid of', () => {
    const g = playing(12_000);
    expect(g.ready(12_000 + 300)).toBe(false);
    g.observe({ at: 12_010, beat: null, trackBpm: 120, trackId: 4, source: 'status' });
    expect(g.fromTrackGrid).toBe(false);
    expect(g.ready(12_010)).toBe(false);
  });
});
