import { TempoTrack } from '../../src/timing/tempo-track';

describe('TempoTrack', () => {
  it('integrates a constant tempo: 120 BPM is one beat per 500 ms', () => {
    const t = new TempoTrack();
    t.update(1000, 120, null);
    expect(t.position(1000)).toBe(0);
    expect(t.position(1500)).toBeCloseTo(1, 12);
    expect(t.position(500)).toBeCloseTo(-1, 12);
    expect(t.timeOf(3)).toBeCloseTo(2500, 9);
    expect(t.slackBeats).toBe(0);
  });

  it('places a tempo change half-way between samples and books the worst case as slack', () => {
    const t = new TempoTrack();
    t.update(0, 120, null);
    t.update(200, 120, 0);
    t.update(400, 150, 200); // changed somewhere in (200, 400]: assumed at 300
    expect(t.position(300)).toBeCloseTo(0.6, 12);
    expect(t.position(700)).toBeCloseTo(0.6 + 1, 12); // 400 ms at 150 BPM
    // Worst case: the step happened at 200 or 400, i.e. 100 ms of a 30 BPM difference.
    expect(t.slackBeats).toBeCloseTo((30 * 100) / 60000, 12);
    expect(t.timeOf(t.position(650))).toBeCloseTo(650, 9);
    expect(t.bpm).toBe(150);
  });

  it('is exact for a linear ramp sampled at its ends', () => {
    const t = new TempoTrack();
    t.update(0, 120, null);
    t.update(1000, 132, 0);
    // True integral over the ramp: mean tempo 126 for one second.
    expect(t.position(1000)).toBeCloseTo(126 / 60, 12);
  });

  it('keeps positions after pruning old segments', () => {
    const t = new TempoTrack();
    t.update(0, 100, null);
    for (let i = 1; i <= 10; i++) t.update(i * 200, 100 + i, (i - 1) * 200);
    const before = t.position(1900);
    t.prune(1500);
    expect(t.segments).toBeLessThan(11);
    expect(t.position(1900)).toBeCloseTo(before, 12);
    expect(t.timeOf(before)).toBeCloseTo(1900, 9);
  });

  it('writes positions and instants into a Float64Array as position() and timeOf() give them, on every segment', () => {
    const t = new TempoTrack();
    t.update(0, 100, null);
    for (let i = 1; i <= 10; i++) t.update(i * 200, 100 + 3 * i, (i - 1) * 200);
    const out = new Float64Array(3);
    for (let at = -300; at <= 2600; at += 37) {
      t.positionInto(at, out, 1);
      expect(out[1]).toBe(t.position(at));
      t.timeOfInto(t.position(at), out, 2);
      expect(out[2]).toBe(t.timeOf(t.position(at)));
      expect(out[2]).toBeCloseTo(at, 9);
    }
    expect(out[0]).toBe(0); // nothing written beside the index asked for
  });
});

