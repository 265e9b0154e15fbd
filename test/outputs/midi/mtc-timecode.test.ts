import fc from 'fast-check';
import { isMidiError, type MidiError } from '../../../src/outputs/midi/midi-errors';
import { MTC_RATES, mtcRateFromCode, mtcRateInfo, isMtcRate, type MtcRate } from '../../../src/outputs/midi/mtc-rate';
import {
  formatTimecode,
  frameCountToMs,
  frameCountToTimecode,
  framesPerDay,
  msToFrameCount,
  msToTimecode,
  parseTimecode,
  timecodeToFrameCount,
  timecodeToMs,
  validateTimecode,
  type Timecode,
} from '../../../src/outputs/midi/mtc-timecode';

const tc = (hours: number, minutes: number, seconds: number, frames: number): Timecode => ({ hours, minutes, seconds, frames });

function label(ms: number, rate: MtcRate): string {
  const value = msToTimecode(ms, rate);
  if (isMidiError(value)) throw new Error(value.message);
  return formatTimecode(value, rate);
}

describe('rates', () => {
  it('has the four MTC rate codes', () => {
    expect(MTC_RATES.map((r) => mtcRateInfo(r).code)).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3, 4].map(mtcRateFromCode)).toEqual([24, 25, 29.97, 30, null]);
    expect(mtcRateInfo(29.97)).toMatchObject({ nominalFps: 30, dropFrame: true });
    expect(mtcRateInfo(29.97).realFps).toBeCloseTo(29.97002997, 8);
    expect(isMtcRate(29.97)).toBe(true);
    expect(isMtcRate(29.976)).toBe(false);
  });
});

describe('non-drop rates', () => {
  it.each([
    [24, 0, '00:00:00:00'],
    [24, 41.6, '00:00:00:00'],
    [24, 41.67, '00:00:00:01'],
    [24, 999, '00:00:00:23'],
    [24, 1000, '00:00:01:00'],
    [25, 39.9, '00:00:00:00'],
    [25, 40, '00:00:00:01'],
    [25, 3_723_160, '01:02:03:04'],
    [30, 1000 / 30, '00:00:00:01'],
    [30, 59_999, '00:00:59:29'],
    [30, 60_000, '00:01:00:00'],
    [30, 600_000, '00:10:00:00'],
  ] as const)('at %s fps, %s ms is %s', (rate, ms, expected) => {
    expect(label(ms, rate)).toBe(expected);
  });

  it.each([24, 25, 30] as const)('maps a label back to the real time its frame starts at %s fps', (rate) => {
    expect(timecodeToMs(tc(1, 2, 3, 4), rate)).toBeCloseTo(3_723_000 + (4 * 1000) / rate, 9);
    expect(timecodeToFrameCount(tc(0, 0, 1, 0), rate)).toBe(rate);
  });
});

describe('29.97 drop-frame', () => {
  const frameAt = (value: Timecode): number => timecodeToFrameCount(value, 29.97) as number;

  it('skips frames 00 and 01 at each minute except every tenth', () => {
    expect(formatTimecode(frameCountToTimecode(frameAt(tc(0, 0, 59, 29)) + 1, 29.97), 29.97)).toBe('00:01:00;02');
    expect(formatTimecode(frameCountToTimecode(frameAt(tc(0, 9, 59, 29)) + 1, 29.97), 29.97)).toBe('00:10:00;00');
    expect(formatTimecode(frameCountToTimecode(frameAt(tc(0, 10, 59, 29)) + 1, 29.97), 29.97)).toBe('00:11:00;02');
    expect(formatTimecode(frameCountToTimecode(frameAt(tc(0, 59, 59, 29)) + 1, 29.97), 29.97)).toBe('01:00:00;00');
  });

  it('counts 17982 frames in 10 minutes and 107892 in an hour', () => {
    expect(frameAt(tc(0, 0, 59, 29))).toBe(1799);
    expect(frameAt(tc(0, 1, 0, 2))).toBe(1800);
    expect(frameAt(tc(0, 10, 0, 0))).toBe(17982);
    expect(frameAt(tc(1, 0, 0, 0))).toBe(107_892);
    expect(framesPerDay(29.97)).toBe(107_892 * 24);
  });

  it('runs at real 29.97 fps: 1001/30 ms per frame', () => {
    expect(frameCountToMs(1, 29.97)).toBeCloseTo(33.3667, 4);
    expect(label(60_059.9, 29.97)).toBe('00:00:59;29');
    expect(label(60_060, 29.97)).toBe('00:01:00;02'); // frame 1800 starts at 1800 × 1001 / 30 ms
    expect(label(599_999.3, 29.97)).toBe('00:09:59;29');
    expect(label(599_999.4, 29.97)).toBe('00:10:00;00'); // frame 17982
    expect(timecodeToMs(tc(1, 0, 0, 0), 29.97)).toBeCloseTo(3_599_996.4, 6); // 3.6 ms short of an hour
  });

  it('matches an independent enumeration of every label in the first hour', () => {
    let n = 0;
    for (let m = 0; m < 60; m++) {
      for (let s = 0; s < 60; s++) {
        for (let f = 0; f < 30; f++) {
          if (s === 0 && f < 2 && m % 10 !== 0) continue;
          const got = frameCountToTimecode(n, 29.97);
          if (got.minutes !== m || got.seconds !== s || got.frames !== f || got.hours !== 0) {
            throw new Error(`frame ${n}: expected 00:${m}:${s};${f}, got ${formatTimecode(got, 29.97)}`);
          }
          n++;
        }
      }
    }
    expect(n).toBe(107_892);
  });

  it('rejects labels that do not exist', () => {
    for (const bad of [tc(0, 1, 0, 0), tc(0, 1, 0, 1), tc(5, 59, 0, 1)]) {
      const error = timecodeToFrameCount(bad, 29.97) as MidiError;
      expect(error.code).toBe('bad-timecode');
    }
    expect(validateTimecode(tc(0, 10, 0, 0), 29.97)).toBeNull();
    expect(validateTimecode(tc(0, 1, 1, 0), 29.97)).toBeNull();
    expect(validateTimecode(tc(0, 1, 0, 0), 30)).toBeNull();
  });
});

describe('every rate', () => {
  it.each(MTC_RATES)('round-trips frame counts, labels and ms over a whole day at %s', (rate) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: framesPerDay(rate) - 1 }), (n) => {
        const value = frameCountToTimecode(n, rate);
        expect(validateTimecode(value, rate)).toBeNull();
        expect(timecodeToFrameCount(value, rate)).toBe(n);
        expect(msToFrameCount(frameCountToMs(n, rate), rate)).toBe(n);
        expect(msToFrameCount(frameCountToMs(n + 1, rate) - 0.001, rate)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it.each(MTC_RATES)('wraps hours at 24 in both directions at %s', (rate) => {
    const day = framesPerDay(rate);
    const dayMs = frameCountToMs(day, rate);
    expect(frameCountToTimecode(day, rate)).toEqual(tc(0, 0, 0, 0));
    expect(frameCountToTimecode(day - 1, rate)).toEqual(tc(23, 59, 59, mtcRateInfo(rate).nominalFps - 1));
    expect(frameCountToTimecode(-1, rate)).toEqual(tc(23, 59, 59, mtcRateInfo(rate).nominalFps - 1));
    expect(msToTimecode(dayMs + frameCountToMs(mtcRateInfo(rate).nominalFps, rate) + 0.5, rate)).toEqual(tc(0, 0, 1, 0));
  });

  it('refuses a position that is not a number', () => {
    expect((msToTimecode(Number.NaN, 25) as MidiError).code).toBe('out-of-range');
    expect((msToTimecode(Infinity, 25) as MidiError).code).toBe('out-of-range');
  });

  it.each([
    [tc(24, 0, 0, 0), 'hours'],
    [tc(0, 60, 0, 0), 'minutes'],
    [tc(0, 0, 60, 0), 'seconds'],
    [tc(0, 0, 0, 25), 'frames'],
    [tc(0, 0, 0, 1.5), 'frames'],
  ])('rejects %o at 25 fps', (value, field) => {
    const error = validateTimecode(value, 25);
    expect(error?.code).toBe('out-of-range');
    expect(error?.message).toContain(field);
  });
});

describe('text', () => {
  it('formats with ; for drop-frame', () => {
    expect(formatTimecode(tc(1, 2, 3, 4), 25)).toBe('01:02:03:04');
    expect(formatTimecode(tc(1, 2, 3, 4), 29.97)).toBe('01:02:03;04');
  });

  it('parses and checks against the rate', () => {
    expect(parseTimecode('01:02:03:04', 25)).toEqual(tc(1, 2, 3, 4));
    expect(parseTimecode('1:02:03;04', 29.97)).toEqual(tc(1, 2, 3, 4));
    expect((parseTimecode('00:01:00;00', 29.97) as MidiError).code).toBe('bad-timecode');
    expect((parseTimecode('00:00:00:24', 24) as MidiError).code).toBe('out-of-range');
    expect((parseTimecode('1:2:3:4', 25) as MidiError).code).toBe('bad-timecode');
  });
});
