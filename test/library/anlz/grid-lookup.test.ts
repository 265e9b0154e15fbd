/**
 * Grid questions asked of real grids (the players' own beat-grid.edn of Beat
 * Link Trigger's sample tracks, and Demo Track 1's PQTZ), of a grid with
 * tempo changes, and of random grids against a plain linear scan.
 */
import fc from 'fast-check';
import {
  beatAtTime,
  lastBeatIndexAtOrBefore,
  nearestBeat,
  readTrackAnalysis,
  tempoChanges,
  timeOfBeat,
} from '../../../src/library/anlz';
import { beatInBarOfBeat, positionAtTime, tempoAtTime, timeAtPosition } from '../../../src/library/anlz/grid-lookup';
import type { GridBeat } from '../../../src/library/library-track';
import { ednGrid, pyrekordboxDat } from './anlz-fixtures';

describe("grid lookups on the sample tracks' grids", () => {
  const one = ednGrid(1);

  it('time of beat n is the n-th grid time, null outside the grid', () => {
    expect(timeOfBeat(one, 1)).toBe(704);
    expect(timeOfBeat(one, 2)).toBe(1165);
    expect(timeOfBeat(one, 801)).toBe(369934);
    expect(timeOfBeat(one, 927)).toBe(428088);
    expect([timeOfBeat(one, 0), timeOfBeat(one, 928), timeOfBeat(one, 1.5)]).toEqual([null, null, null]);
  });

  it('beat at time inverts time of beat for every beat of both grids', () => {
    for (const grid of [one, ednGrid(2)]) {
      grid.forEach((b, i) => {
        expect(beatAtTime(grid, b.timeMs)).toEqual({ beat: i + 1, beatInBar: b.beatInBar, bpm: b.bpm, fraction: 0 });
      });
    }
  });

  it('gives the fraction of the beat between grid beats, and nothing outside the grid', () => {
    // Beats 1 and 2 at 704 and 1165 ms.
    expect(beatAtTime(one, 704 + 461 / 2)).toEqual({ beat: 1, beatInBar: 1, bpm: 130, fraction: 0.5 });
    expect(beatAtTime(one, 703)).toBeNull();
    expect(beatAtTime([], 1000)).toBeNull();
    // The last beat lasts one beat at 130 BPM (461.5 ms).
    expect(beatAtTime(one, 428088 + 461)?.beat).toBe(927);
    expect(beatAtTime(one, 428088 + 462)).toBeNull();
  });

  it('has one tempo, from the first beat, in each sample grid and in Demo Track 1', () => {
    expect(tempoChanges(one)).toEqual([{ beat: 1, timeMs: 704, bpm: 130 }]);
    expect(tempoChanges(ednGrid(2))).toEqual([{ beat: 1, timeMs: 105, bpm: 127 }]);
    expect(tempoChanges(readTrackAnalysis(pyrekordboxDat('demo1')).grid)).toEqual([{ beat: 1, timeMs: 25, bpm: 128 }]);
    expect(tempoChanges([])).toEqual([]);
  });
});

describe('grid lookups with tempo changes', () => {
  // Four beats at 120 BPM (500 ms), then four at 150 BPM (400 ms).
  const grid: GridBeat[] = [0, 500, 1000, 1500, 2000, 2400, 2800, 3200].map((timeMs, i) => ({
    beatInBar: (i % 4) + 1,
    timeMs,
    bpm: i < 4 ? 120 : 150,
  }));

  it('lists where the tempo changes', () => {
    expect(tempoChanges(grid)).toEqual([
      { beat: 1, timeMs: 0, bpm: 120 },
      { beat: 5, timeMs: 2000, bpm: 150 },
    ]);
  });

  it("measures the fraction against the beat's own length", () => {
    expect(beatAtTime(grid, 1750)).toEqual({ beat: 4, beatInBar: 4, bpm: 120, fraction: 0.5 });
    expect(beatAtTime(grid, 2200)).toEqual({ beat: 5, beatInBar: 1, bpm: 150, fraction: 0.5 });
    expect(beatAtTime(grid, 3599)?.beat).toBe(8);
    expect(beatAtTime(grid, 3600)).toBeNull();
  });

  it('finds the nearest beat, the earlier one on a tie', () => {
    expect(nearestBeat(grid, -50)).toEqual({ beat: 1, beatInBar: 1, offsetMs: -50 });
    expect(nearestBeat(grid, 2190)).toEqual({ beat: 5, beatInBar: 1, offsetMs: 190 });
    expect(nearestBeat(grid, 2210)).toEqual({ beat: 6, beatInBar: 2, offsetMs: -190 });
    expect(nearestBeat(grid, 2200)?.beat).toBe(5);
    expect(nearestBeat(grid, 9000)).toEqual({ beat: 8, beatInBar: 4, offsetMs: 5800 });
    expect(nearestBeat([], 0)).toBeNull();
  });
});

describe('binary search against a linear scan', () => {
  const sortedTimes = fc
    .array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 60 })
    .map((t) => t.sort((a, b) => a - b));

  it('finds the last beat at or before any time', () => {
    fc.assert(
      fc.property(sortedTimes, fc.integer({ min: -10, max: 100_010 }), (times, t) => {
        const grid = times.map((timeMs) => ({ beatInBar: 1, timeMs, bpm: 120 }));
        let expected = -1;
        times.forEach((time, i) => {
          if (time <= t) expected = i;
        });
        expect(lastBeatIndexAtOrBefore(grid, t)).toBe(expected);
        const near = nearestBeat(grid, t);
        if (times.length === 0) expect(near).toBeNull();
        else expect(Math.abs(near?.offsetMs ?? Infinity)).toBe(Math.min(...times.map((time) => Math.abs(t - time))));
      }),
    );
  });
});

describe("fractional beat positions on Demo Track 1's grid (PQTZ: first beat at 25 ms, 128 BPM)", () => {
  const grid = readTrackAnalysis(pyrekordboxDat('demo1')).grid;

  it('puts beat n at position n, and half-way between beats at n + 0.5', () => {
    expect(grid).toHaveLength(368);
    grid.forEach((b, i) => expect(positionAtTime(grid, b.timeMs)).toBe(i + 1));
    // Beats 2 and 3 are stored at 494 and 963 ms (whole milliseconds near 25 + n × 468.75).
    expect([grid[1]?.timeMs, grid[2]?.timeMs]).toEqual([494, 963]);
    expect(positionAtTime(grid, (494 + 963) / 2)).toBeCloseTo(2.5, 12);
  });

  it('is off the straight 128 BPM line by the grid rounding only (under 1 ms): never by the first beat offset', () => {
    for (let ms = 0; ms <= 172_000; ms += 97.3) {
      const straight = 1 + ((ms - 25) * 128) / 60_000;
      expect(Math.abs((positionAtTime(grid, ms) as number) - straight)).toBeLessThan(1 / 468.75);
    }
    // Where the old conversion ((position − 1) × 60 000 / BPM) put beat 1 at 0 ms, the grid puts it at 25.
    expect(timeAtPosition(grid, 1)).toBe(25);
    expect(timeAtPosition(grid, 129)).toBe(60_025);
  });

  it('goes on at 128 BPM before the first beat and after the last one', () => {
    expect(positionAtTime(grid, 0)).toBeCloseTo(1 - 25 / 468.75, 12);
    expect(timeAtPosition(grid, 0)).toBeCloseTo(25 - 468.75, 12);
    const last = grid[367]?.timeMs as number;
    expect(positionAtTime(grid, last + 468.75 * 2.5)).toBeCloseTo(370.5, 12);
    expect(timeAtPosition(grid, 370.5)).toBeCloseTo(last + 468.75 * 2.5, 9);
  });

  it('inverts: the time of a position is where that position is', () => {
    for (let p = -3; p < 375; p += 0.37) expect(positionAtTime(grid, timeAtPosition(grid, p) as number)).toBeCloseTo(p, 9);
  });

  it('names the beat in the bar from the grid, counting on in fours beyond it', () => {
    expect([1, 2, 4, 5].map((n) => beatInBarOfBeat(grid, n))).toEqual([1, 2, 4, 1]);
    expect(beatInBarOfBeat(grid, 368)).toBe(4);
    expect([369, 370, 0, -1].map((n) => beatInBarOfBeat(grid, n))).toEqual([1, 2, 4, 3]);
    expect(beatInBarOfBeat(grid, 2.5)).toBeNull();
    expect(beatInBarOfBeat([], 1)).toBeNull();
  });

  it('answers null for an empty grid', () => {
    expect([positionAtTime([], 100), timeAtPosition([], 2), tempoAtTime([], 100)]).toEqual([null, null, null]);
  });
});

describe('fractional beat positions across a tempo change', () => {
  // Four beats at 120 BPM (500 ms), then four at 150 BPM (400 ms).
  const grid: GridBeat[] = [0, 500, 1000, 1500, 2000, 2400, 2800, 3200].map((timeMs, i) => ({ beatInBar: (i % 4) + 1, timeMs, bpm: i < 4 ? 120 : 150 }));

  it("measures each beat against its own length, and the tempo is the playing beat's", () => {
    expect(positionAtTime(grid, 1750)).toBe(4.5);
    expect(positionAtTime(grid, 2200)).toBe(5.5);
    expect(timeAtPosition(grid, 4.5)).toBe(1750);
    expect(timeAtPosition(grid, 5.5)).toBe(2200);
    expect([tempoAtTime(grid, -10), tempoAtTime(grid, 1999), tempoAtTime(grid, 2000)]).toEqual([120, 120, 150]);
    // After the last beat at 150 BPM, before the first at 120.
    expect(timeAtPosition(grid, 10)).toBe(4000);
    expect(positionAtTime(grid, -250)).toBe(0.5);
  });
});
