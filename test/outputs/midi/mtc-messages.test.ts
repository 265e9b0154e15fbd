import type { MidiError } from '../../../src/outputs/midi/midi-errors';
import { fullFrame, quarterFrame, quarterFrameCycle } from '../../../src/outputs/midi/mtc-messages';
import { MTC_RATES, mtcRateInfo } from '../../../src/outputs/midi/mtc-rate';
import { frameCountToTimecode, type Timecode } from '../../../src/outputs/midi/mtc-timecode';
import { decodeCycles, decodeFullFrame } from './mtc-decode';

const tc = (hours: number, minutes: number, seconds: number, frames: number): Timecode => ({ hours, minutes, seconds, frames });

describe('quarter frames', () => {
  // 01:37:52:16 → frames 0x10, seconds 0x34, minutes 0x25, hours 0x01.
  it.each([
    [24, 0x70],
    [25, 0x72],
    [29.97, 0x74],
    [30, 0x76],
  ] as const)('encodes 01:37:52:16 at %s fps as eight exact messages', (rate, piece7) => {
    expect(quarterFrameCycle(tc(1, 37, 52, 16), rate)).toEqual([
      [0xf1, 0x00],
      [0xf1, 0x11],
      [0xf1, 0x24],
      [0xf1, 0x33],
      [0xf1, 0x45],
      [0xf1, 0x52],
      [0xf1, 0x61],
      [0xf1, piece7],
    ]);
  });

  it.each([
    [24, 23, 0x71],
    [25, 24, 0x73],
    [29.97, 29, 0x75],
    [30, 29, 0x77],
  ] as const)('puts hours bit 4 into piece 7 at %s fps (23:59:59:%s)', (rate, lastFrame, piece7) => {
    expect(quarterFrameCycle(tc(23, 59, 59, lastFrame), rate)).toEqual([
      [0xf1, 0x00 | (lastFrame & 0x0f)],
      [0xf1, 0x10 | (lastFrame >> 4)],
      [0xf1, 0x2b],
      [0xf1, 0x33],
      [0xf1, 0x4b],
      [0xf1, 0x53],
      [0xf1, 0x67],
      [0xf1, piece7],
    ]);
  });

  it('builds single pieces and rejects bad ones', () => {
    expect(quarterFrame(3, tc(0, 0, 59, 0), 25)).toEqual([0xf1, 0x33]);
    expect((quarterFrame(8, tc(0, 0, 0, 0), 25) as MidiError).code).toBe('out-of-range');
    expect((quarterFrame(0, tc(0, 0, 0, 30), 30) as MidiError).code).toBe('out-of-range');
    expect((quarterFrameCycle(tc(0, 2, 0, 1), 29.97) as MidiError).code).toBe('bad-timecode');
  });

  it.each(MTC_RATES)('decodes back to the same label for many frames at %s fps', (rate) => {
    for (let n = 0; n < 200_000; n += 997) {
      const value = frameCountToTimecode(n * 7, rate);
      const [cycle] = decodeCycles(quarterFrameCycle(value, rate) as number[][]);
      expect(cycle?.tc).toEqual(value);
      expect(cycle?.rateCode).toBe(mtcRateInfo(rate).code);
    }
  });
});

describe('full frame', () => {
  it.each([
    [24, 0x01],
    [25, 0x21],
    [29.97, 0x41],
    [30, 0x61],
  ] as const)('encodes 01:37:52:16 at %s fps with the rate in the hours byte', (rate, hh) => {
    expect(fullFrame(tc(1, 37, 52, 16), rate)).toEqual([0xf0, 0x7f, 0x7f, 0x01, 0x01, hh, 0x25, 0x34, 0x10, 0xf7]);
  });

  it('carries 23 hours and the rate without overlap', () => {
    const bytes = fullFrame(tc(23, 59, 59, 29), 30) as number[];
    expect(bytes).toEqual([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x77, 59, 59, 29, 0xf7]);
    expect(decodeFullFrame(bytes)).toEqual({ tc: tc(23, 59, 59, 29), rateCode: 3 });
  });

  it('rejects labels that cannot exist', () => {
    expect((fullFrame(tc(0, 1, 0, 0), 29.97) as MidiError).code).toBe('bad-timecode');
    expect((fullFrame(tc(24, 0, 0, 0), 25) as MidiError).code).toBe('out-of-range');
  });
});
