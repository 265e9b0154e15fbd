import { PlayheadTrack, type PlayheadObservation } from '../../src/timing/playhead-track';

/** Packets every 30 ms from `from` to `to`, the playhead at `ms(t)`, arriving 0.5 ms after. */
function packets(from: number, to: number, ms: (t: number) => number, pitch = 1): PlayheadObservation[] {
  const out: PlayheadObservation[] = [];
  for (let t = from; t < to; t += 30) out.push({ at: t + 0.5, ms: Math.round(ms(t)), pitch });
  return out;
}

function feed(track: PlayheadTrack, list: readonly PlayheadObservation[]): string[] {
  return list.map((o) => track.observe(o));
}

describe('PlayheadTrack', () => {
  it('follows a playing deck to within the rounding of its packets', () => {
    const track = new PlayheadTrack();
    feed(track, packets(0, 3000, (t) => 10_000 + t * 1.02, 1.02));
    const segment = track.current;
    expect(segment?.moving).toBe(true);
    expect(segment?.since).toBe(-Infinity); // already playing when first heard
    for (const t of [2900, 2950.25, 3100]) expect(Math.abs((track.msAt(t) as number) - (10_000 + (t - 0.5) * 1.02))).toBeLessThan(0.6);
    expect(Math.abs((track.timeOfMs(13_570) as number) - (0.5 + 3570 / 1.02))).toBeLessThan(0.6);
  });

  it('passes over a single packet a busy receiver read late, without starting a segment', () => {
    const track = new PlayheadTrack();
    const list = packets(0, 1500, (t) => 5000 + t);
    const late = list.map((o, i) => (i === 20 ? { ...o, at: o.at + 40 } : o)).sort((a, b) => a.at - b.at);
    const outcomes = feed(track, late);
    expect(outcomes.filter((o) => o === 'segment')).toHaveLength(1); // the first one
    expect(outcomes).toContain('held');
    expect(Math.abs((track.msAt(1490) as number) - (5000 + 1489.5))).toBeLessThan(0.6);
  });

  it('reads the playhead from its least delayed packets, not the typical one, when a busy receiver reads many of them late', () => {
    const track = new PlayheadTrack();
    // Two packets in three read 1–3 ms late (a loaded machine): the median packet is a millisecond or more behind.
    const list = packets(0, 3000, (t) => 20_000 + t).map((o, i) => (i % 3 === 0 ? o : { ...o, at: o.at + 1 + (i % 5) / 2 }));
    expect(feed(track, list).filter((o) => o === 'segment')).toHaveLength(1);
    for (const t of [2990, 3010.5]) expect(Math.abs((track.msAt(t) as number) - (20_000 + t))).toBeLessThan(1);
    expect(Math.abs((track.msAt(2990) as number) - (20_000 + 2989.5))).toBeLessThan(0.6);
  });

  it('knows when a stopped deck started: where the moving line leaves the stopped position', () => {
    const track = new PlayheadTrack();
    // Stopped at 16 000 ms until 1 013, then playing at +3 %.
    const ms = (t: number): number => (t < 1013 ? 16_000 : 16_000 + (t - 1013) * 1.03);
    const outcomes = feed(track, packets(0, 2000, ms, 1.03));
    expect(outcomes.filter((o) => o === 'segment')).toHaveLength(2);
    const segment = track.current;
    expect(segment?.moving).toBe(true);
    expect(segment?.movedBefore).toBe(false);
    expect(Math.abs((segment?.since ?? NaN) - 1013.5)).toBeLessThan(1.5);
  });

  it('sees a jump one packet after the first packet showing it, with `since` the last packet before it', () => {
    const track = new PlayheadTrack();
    const ms = (t: number): number => (t < 1000 ? 40_000 + t : 90_000 + (t - 1000));
    const list = packets(0, 1200, ms);
    const outcomes = feed(track, list);
    const firstAfter = list.findIndex((o) => o.at > 1000);
    expect(outcomes[firstAfter]).toBe('held');
    expect(outcomes[firstAfter + 1]).toBe('segment');
    const segment = track.current;
    expect(segment?.moving).toBe(true);
    expect(segment?.movedBefore).toBe(true);
    expect(segment?.since).toBe(list[firstAfter - 1]?.at);
    expect(Math.abs((track.msAt(1150) as number) - (90_000 + 149.5))).toBeLessThan(0.6);
  });

  it('tells a jump back in the track from a move off the line that leaves the playhead later in it', () => {
    const back = new PlayheadTrack();
    feed(back, packets(0, 1200, (t) => (t < 1000 ? 40_000 + t : 40_500 + (t - 1000)))); // a cue 500 ms back
    expect(back.current).toMatchObject({ movedBefore: true, wentBack: true });
    // Beat Sync: the tempo steps 16 % down between two packets and a jog pull slows the playhead to half speed
    // for 200 ms: off the old line by far more than it fits, yet always later in the track.
    const slowed = new PlayheadTrack();
    const ms = (t: number): number => (t < 1000 ? 40_000 + t : t < 1200 ? 41_000 + (t - 1000) * 0.42 : 41_084 + (t - 1200) * 0.84);
    const outcomes = feed(slowed, packets(0, 1600, ms, 1).map((o) => (o.at > 1000 ? { ...o, pitch: 0.84 } : o)));
    expect(outcomes.filter((o) => o === 'segment').length).toBeGreaterThan(1);
    expect(slowed.current).toMatchObject({ moving: true, movedBefore: true, wentBack: false });
    const forward = new PlayheadTrack();
    feed(forward, packets(0, 1200, (t) => (t < 1000 ? 40_000 + t : 90_000 + (t - 1000))));
    expect(forward.current?.wentBack).toBe(false);
  });

  it('stops: no time for any playhead position while stopped', () => {
    const track = new PlayheadTrack();
    const ms = (t: number): number => (t < 600 ? 1000 + t : 1600);
    feed(track, packets(0, 1200, ms));
    expect(track.current?.moving).toBe(false);
    expect(track.msAt(5000)).toBe(1600);
    expect(track.timeOfMs(2000)).toBeNull();
  });

  it('follows pitch changes within a segment', () => {
    const track = new PlayheadTrack();
    // +0 % until 1 000, then +8 %: the playhead speeds up without a jump.
    const ms = (t: number): number => (t < 1000 ? t : 1000 + (t - 1000) * 1.08);
    const list = packets(0, 2000, ms).map((o) => ({ ...o, pitch: o.at - 0.5 < 1000 ? 1 : 1.08 }));
    const outcomes = feed(track, list);
    expect(outcomes.filter((o) => o === 'segment')).toHaveLength(1);
    expect(Math.abs((track.msAt(1990.5) as number) - ms(1990))).toBeLessThan(1.5);
  });

  it('ignores packets out of order and unusable values', () => {
    const track = new PlayheadTrack();
    expect(track.observe({ at: 10, ms: 100, pitch: 1 })).toBe('held');
    expect(track.observe({ at: 5, ms: 95, pitch: 1 })).toBe('ignored');
    expect(track.observe({ at: 40, ms: Number.NaN, pitch: 1 })).toBe('ignored');
    expect(track.observe({ at: 40, ms: 130, pitch: -1 })).toBe('ignored');
    expect(track.current).toBeNull();
  });
});
