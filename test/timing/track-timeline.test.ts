/**
 * The timecode position of a deck without precise positions (OPUS-QUAD in
 * lighting mode): from its beat position, through the track's own beat grid
 * where the library knows it (Demo Track 1's PQTZ: first beat at 25 ms, and a
 * grid with a tempo change), else at the status tempo from 0 ms.
 */
import { readTrackAnalysis } from '../../src/library/anlz';
import type { GridBeat } from '../../src/library/library-track';
import type { BeatGrid } from '../../src/timing/beat-grid';
import { timelineOf, trackPositionOf, type TimecodeInputs, type TimelineConfig } from '../../src/timing/track-timeline';
import { deck } from '../mapping/engine-support';
import { pyrekordboxDat } from '../library/anlz/anlz-fixtures';

const DEMO_1 = readTrackAnalysis(pyrekordboxDat('demo1')).grid;

/** The deck's beat grid at `at`: playing, at beat `position`. */
const beatGrid = (position: number, bpm: number): BeatGrid => ({ at: 1000, playing: true, position, bpm, barOffset: 1, uncertaintyMs: 1 });

function inputs(position: number, trackGrid: TimecodeInputs['trackGrid'], bpm = 128, pitch = 1): TimecodeInputs {
  return {
    deckFor: () => deck(1, { trackId: 50_001, bpm, pitch, playing: true }),
    grid: () => beatGrid(position, bpm * pitch),
    precise: () => null,
    ...(trackGrid === undefined ? {} : { trackGrid }),
  };
}

const demo = (deckNo: number, trackId: number): readonly GridBeat[] | null => (deckNo === 1 && trackId === 50_001 ? DEMO_1 : null);

describe('timecode through the library grid', () => {
  const config: TimelineConfig = { follow: 1, rate: 25, offsets: { '50001': '01:00:00:00' }, defaultOffset: 0 };

  it("puts beat n where the track's grid has it: Demo Track 1's beat 1 at 25 ms, not at 0", () => {
    const state = deck(1, { trackId: 50_001, bpm: 128, pitch: 1, playing: true });
    expect(trackPositionOf(state, inputs(1, demo), 1000)).toEqual({ ms: 25, speed: 1, precise: false, beat: 1 });
    expect(trackPositionOf(state, inputs(129, demo), 1000)?.ms).toBe(DEMO_1[128]?.timeMs);
    // Half-way between beats 129 and 130, on the grid; the old conversion is 25 ms short.
    const between = ((DEMO_1[128]?.timeMs as number) + (DEMO_1[129]?.timeMs as number)) / 2;
    expect(trackPositionOf(state, inputs(129.5, demo), 1000)?.ms).toBe(between);
    expect(trackPositionOf(state, inputs(129.5, undefined), 1000)?.ms).toBe((128.5 * 60_000) / 128);
    expect(timelineOf(config, inputs(129.5, demo, 128, 1.02), 1000)).toEqual({ positionMs: 3_600_000 + between, speed: 1.02 });
  });

  it("uses the grid only for the track it is of, and clamps before the track's start", () => {
    const other = deck(1, { trackId: 50_002, bpm: 128, pitch: 1, playing: true });
    expect(trackPositionOf(other, inputs(129.5, demo), 1000)?.ms).toBe((128.5 * 60_000) / 128);
    const state = deck(1, { trackId: 50_001, bpm: 128, pitch: 1, playing: true });
    expect(trackPositionOf(state, inputs(0.5, demo), 1000)?.ms).toBe(0);
  });

  it('follows tempo changes in the grid, where the status tempo alone would drift', () => {
    // Four beats at 120 BPM from 100 ms (500 ms each), then 150 BPM (400 ms each).
    const changing: GridBeat[] = [100, 600, 1100, 1600, 2100, 2500, 2900, 3300].map((timeMs, i) => ({ beatInBar: (i % 4) + 1, timeMs, bpm: i < 4 ? 120 : 150 }));
    const state = deck(1, { trackId: 50_001, bpm: 150, pitch: 1, playing: true });
    const at = (position: number): number | undefined => trackPositionOf(state, inputs(position, () => changing, 150), 1000)?.ms;
    expect(at(3.5)).toBe(1350);
    expect(at(6.25)).toBe(2600);
    // Past the last beat it goes on at 150 BPM; without the grid the deck's 150 BPM is taken from beat 1.
    expect(at(10)).toBe(4100);
    expect(trackPositionOf(state, inputs(6.25, undefined, 150), 1000)?.ms).toBe((5.25 * 60_000) / 150);
  });

  it('leaves a fresh precise position as it is', () => {
    const state = deck(1, { trackId: 50_001, bpm: 128, pitch: 1, playing: true });
    const withPrecise: TimecodeInputs = { ...inputs(129.5, demo), precise: () => ({ at: 990, ms: 60_000 }) };
    expect(trackPositionOf(state, withPrecise, 1000)).toEqual({ ms: 60_010, speed: 1, precise: true, beat: 129.5 });
  });
});
