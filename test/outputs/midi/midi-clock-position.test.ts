import { nextDownbeat, nextStep, pulseIntervalMs, songPositionOf } from '../../../src/outputs/midi/midi-clock-position';

describe('deck position -> MIDI song position', () => {
  it('counts sixteenths from beat 1, bar-aligned when the grid starts mid-bar', () => {
    expect(songPositionOf(1, 1)).toBe(0);
    expect(songPositionOf(37, 1)).toBe(144); // (37 − 1) × 4
    expect(songPositionOf(37.25, 1)).toBe(145);
    expect(songPositionOf(4, 0)).toBe(16); // first downbeat at beat 4 is bar 1
    expect(songPositionOf(2, 2)).toBe(16); // first downbeat at beat 2 is bar 1
    expect(songPositionOf(37, null)).toBe(144);
  });

  it('clamps to the 14 bits SPP can carry', () => {
    expect(songPositionOf(-3, 1)).toBe(0);
    expect(songPositionOf(5000, 1)).toBe(16383);
  });

  it('finds the next downbeat and the next grid step at or after a position', () => {
    expect(nextDownbeat(37.4, 1)).toBe(41);
    expect(nextDownbeat(41, 1)).toBe(41);
    expect(nextDownbeat(37.4, 3)).toBe(39);
    expect(nextDownbeat(37.4, null)).toBe(38);
    expect(nextStep(10.26, 4)).toBe(10.5);
    expect(nextStep(10.5, 4)).toBe(10.5);
    expect(pulseIntervalMs(125)).toBe(20); // 2500 / BPM (protocol doc §10)
  });
});
