import fc from 'fast-check';
import { LOADING_MS, SimDeck } from '../../../src/prolink/sim/deck/deck';
import type { SimTrack } from '../../../src/prolink/sim/deck/track';

const track: SimTrack = { id: 42, title: 'test', bpm: 120, beats: 100, firstBeatMs: 25, firstBeatInBar: 1, pssi: null, art: null };

function loaded(now = 0, t: SimTrack = track): SimDeck {
  const deck = new SimDeck(1, now);
  deck.load(t, now);
  return deck;
}

describe('deck model', () => {
  it('shows P1 loading (0x02) with the track for LOADING_MS after a load, also of the track it already had, unless it plays', () => {
    const deck = loaded();
    expect(deck.stateAt(0)).toMatchObject({ playState: 0x02, track: { id: 42 } });
    expect(deck.stateAt(LOADING_MS - 1).playState).toBe(0x02);
    expect(deck.stateAt(LOADING_MS).playState).toBe(0x06);
    deck.load(track, 5000);
    expect(deck.stateAt(5000 + LOADING_MS / 2)).toMatchObject({ playState: 0x02, track: { id: 42 }, beat: 0 });
    deck.play(5000 + LOADING_MS / 2);
    expect(deck.stateAt(5000 + LOADING_MS / 2 + 1).playState).toBe(0x03);
  });

  it('is parked at beat 0 after a load, then beats on the grid from play', () => {
    const deck = loaded();
    expect(deck.stateAt(500)).toMatchObject({ beat: 0, playState: 0x06, playing: false });
    deck.play(1000);
    const beats = deck.beatsBetween(1000, 3100);
    expect(beats.map((b) => [b.beat, b.at, b.beatInBar])).toEqual([
      [1, 1025, 1],
      [2, 1525, 2],
      [3, 2025, 3],
      [4, 2525, 4],
      [5, 3025, 1],
    ]);
    expect(deck.stateAt(1010)).toMatchObject({ beat: 1, playState: 0x03, playing: true, effectiveBpm: 120 });
    expect(deck.stateAt(1524.9).beat).toBe(1);
    expect(deck.stateAt(1525).beat).toBe(2);
  });

  it('numbers bars from the grid, also when beat 1 is not a downbeat', () => {
    const deck = loaded(0, { ...track, firstBeatInBar: 3 });
    deck.play(0);
    expect(deck.beatsBetween(-1, 2100).map((b) => b.beatInBar)).toEqual([3, 4, 1, 2, 3]);
  });

  it('follows a pitch step at once and a pitch ramp smoothly', () => {
    const deck = loaded();
    deck.play(0);
    deck.setPitch(10, 1025); // on beat 3
    const stepped = deck.beatsBetween(1025, 2000).map((b) => b.at);
    expect(stepped[0]).toBeCloseTo(1025 + 500 / 1.1, 3);
    expect(deck.stateAt(1500).effectiveBpm).toBeCloseTo(132, 3);
    deck.setPitch(-5, 5000, 4000);
    const ramp = deck.beatsBetween(5000, 12000);
    for (const b of ramp) expect(deck.positionAt(b.at)).toBeCloseTo(b.beat, 6);
    const gaps = ramp.slice(1).map((b, i) => b.at - (ramp[i] as { at: number }).at);
    const during = gaps.filter((_, i) => (ramp[i + 1] as { at: number }).at < 9000);
    for (let i = 1; i < during.length; i++) expect(during[i]).toBeGreaterThan(during[i - 1] as number);
    const after = deck.beatsBetween(9500, 14000);
    expect((after[1] as { at: number }).at - (after[0] as { at: number }).at).toBeCloseTo(500 / 0.95, 3);
    expect(deck.stateAt(10_000).pitchPercent).toBeCloseTo(-5, 4);
  });

  it('nudged on the jog, lands the given ms of its music ahead or behind, the pitch it reports unmoved', () => {
    const deck = loaded();
    deck.play(0);
    deck.setPitch(4, 0);
    const rate = (120 * 1.04) / 60_000; // beats per ms
    deck.nudge(30, 400, 2000);
    expect(deck.stateAt(2200)).toMatchObject({ pitchPercent: expect.closeTo(4, 3) as number, effectiveBpm: expect.closeTo(124.8, 3) as number });
    expect(deck.positionAt(2400) - deck.positionAt(1999)).toBeCloseTo(rate * (401 + 30), 6);
    expect(deck.positionAt(5000) - deck.positionAt(2400)).toBeCloseTo(rate * 2600, 6); // at the fader's pitch again
    deck.nudge(-45, 300, 6000);
    expect(deck.positionAt(7000) - deck.positionAt(6000)).toBeCloseTo(rate * (1000 - 45), 6);
    // Every beat once, each where the playhead reaches it.
    const beats = deck.beatsBetween(-1, 8000);
    expect(beats.map((b) => b.beat)).toEqual(Array.from({ length: beats.length }, (_, i) => i + 1));
    for (const b of beats) expect(deck.positionAt(b.at)).toBeCloseTo(b.beat, 6);
    // A stop lets go of the jog: it resumes at the fader's pitch.
    deck.nudge(40, 1000, 9000);
    deck.stop(9200);
    deck.play(10_000);
    expect(deck.positionAt(10_500) - deck.positionAt(10_000)).toBeCloseTo(rate * 500, 6);
  });

  it('Beat Sync takes the master tempo at once and its place in the beat over overMs, the nearer way round', () => {
    const frac = (x: number): number => x - Math.floor(x);
    const master = loaded();
    master.setPitch(2, 0);
    master.play(0); // 122.4 BPM, beat n at 25 + (n − 1) × 60000 / 122.4
    const other: SimTrack = { ...track, id: 43, bpm: 128, firstBeatMs: 0 };
    const deck = loaded(0, other);
    deck.play(130); // out of phase with the master
    const before = frac(deck.positionAt(5000)) - frac(master.positionAt(5000));
    deck.sync(master, 100, 5000);
    expect(deck.stateAt(5010)).toMatchObject({ synced: true, effectiveBpm: expect.closeTo(122.4, 3) as number, pitchPercent: expect.closeTo((122.4 / 128 - 1) * 100, 3) as number });
    // Pulled never slower than half the tempo nor faster than one and a half times it: it never stands or goes back.
    const rate = 122.4 / 60_000;
    for (let t = 5000; t < 5600; t += 10) {
      const r = (deck.positionAt(t + 10) - deck.positionAt(t)) / 10 / rate;
      expect(r).toBeGreaterThanOrEqual(0.5 - 1e-6);
      expect(r).toBeLessThanOrEqual(1.5 + 1e-6);
    }
    // Off the master's beat during the pull, on it afterwards, and at the same tempo.
    expect(Math.abs(frac(deck.positionAt(5050)) - frac(master.positionAt(5050)))).toBeGreaterThan(0.01);
    // The pull lasts 100 ms, or twice its size: at most 500 ms here (half a beat at 120 BPM).
    for (const t of [5600, 8000, 20_000]) {
      const d = frac(deck.positionAt(t)) - frac(master.positionAt(t));
      expect(Math.min(Math.abs(d), 1 - Math.abs(d))).toBeLessThan(1e-5); // the pitch at the wire's resolution: 0.005 ms
    }
    // The nearer way round: it moved less than half a beat.
    const moved = deck.positionAt(5600) - (deck.positionAt(5000) + (600 * 122.4) / 60_000);
    expect(Math.abs(moved)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(Math.abs(moved) - Math.abs(before))).toBeLessThan(1e-6); // |shift| is the phase difference, or one beat less
    // Every beat once, each where the playhead reaches it.
    const beats = deck.beatsBetween(-1, 9000);
    expect(beats.map((b) => b.beat)).toEqual(Array.from({ length: beats.length }, (_, i) => i + 1));
    for (const b of beats) expect(deck.positionAt(b.at)).toBeCloseTo(b.beat, 6);
    // Sync off keeps the tempo; a load takes sync off.
    deck.unsync(9000);
    expect(deck.stateAt(9100)).toMatchObject({ synced: false, effectiveBpm: expect.closeTo(122.4, 3) as number });
    deck.sync(master, 100, 10_000);
    deck.load(other, 11_000);
    expect(deck.stateAt(11_001).synced).toBe(false);
  });

  it('Beat Sync on a deck that does not play takes only the tempo', () => {
    const master = loaded();
    master.play(0);
    const deck = loaded(0, { ...track, id: 44, bpm: 125 });
    const parked = deck.positionAt(1000);
    deck.sync(master, 100, 1000);
    expect(deck.stateAt(2000)).toMatchObject({ synced: true, playing: false, effectiveBpm: expect.closeTo(120, 3) as number });
    expect(deck.positionAt(2000)).toBe(parked);
  });

  it('held on the platter, stands still playing (P1 playing, P2 stopped) and goes on from there when let go', () => {
    const deck = loaded();
    deck.play(0); // beat n at 25 + (n − 1) × 500
    deck.hold(800, 2100); // in beat 5, 0.15 into it
    expect(deck.stateAt(2500)).toMatchObject({ playing: true, moving: false, playState: 0x03, beat: 5 });
    expect(deck.positionAt(2800)).toBeCloseTo(deck.positionAt(2100), 9);
    expect(deck.stateAt(2950)).toMatchObject({ playing: true, moving: true });
    // Beat 6 comes 800 ms late, and every beat once.
    const beats = deck.beatsBetween(-1, 5000);
    expect(beats.map((b) => b.beat)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((beats[5] as { at: number }).at).toBeCloseTo(2525 + 800, 6);
    // A stop lets go of the platter.
    deck.hold(5000, 6000);
    deck.stop(6500);
    deck.play(7000);
    expect(deck.stateAt(7100).moving).toBe(true);
  });

  it('doubles another deck: its track, place and pitch, playing as it plays, with no loading state shown', () => {
    const source = loaded();
    source.setPitch(2, 0);
    source.play(0);
    const other: SimTrack = { ...track, id: 43, bpm: 126 };
    const copy = loaded(0, other);
    expect(copy.double(source, 3000)).toBe(true);
    expect(copy.stateAt(3000)).toMatchObject({ track: { id: 42 }, playing: true, playState: 0x03, pitchPercent: source.stateAt(3000).pitchPercent });
    expect(copy.positionAt(3000)).toBeCloseTo(source.positionAt(3000), 9);
    // In step from then on: the same beats at the same instants.
    const round = (beats: readonly { at: number; beat: number }[]): number[][] => beats.map((b) => [b.beat, Math.round(b.at * 1e6) / 1e6]);
    expect(round(copy.beatsBetween(3000, 8000))).toEqual(round(source.beatsBetween(3000, 8000)));
    expect(copy.beatsBetween(3000, 8000)).toHaveLength(10);
    // From a stopped deck: it stands where the source stands, its beat counter showing the beat (not parked).
    source.stop(9000);
    const idle = new SimDeck(2, 0);
    expect(idle.double(source, 9500)).toBe(false);
    expect(idle.stateAt(9500)).toMatchObject({ track: { id: 42 }, playing: false, playState: 0x05, beat: source.stateAt(9500).beat });
    // A source with no track changes nothing.
    const empty = new SimDeck(3, 0);
    expect(copy.double(empty, 10_000)).toBe(true);
    expect(copy.stateAt(10_000).track?.id).toBe(42);
  });

  it('jumps back: the target beat sounds at the jump and the counter goes backwards', () => {
    const deck = loaded();
    deck.play(0);
    deck.jump(3, 4100); // playhead was between beats 9 and 10
    expect(deck.stateAt(4100).beat).toBe(3);
    const beats = deck.beatsBetween(4000, 5200).map((b) => [b.beat, Math.round(b.at * 1e6) / 1e6]);
    expect(beats).toEqual([
      [9, 4025],
      [3, 4100],
      [4, 4600],
      [5, 5100],
    ]);
  });

  it('beat-jumps by whole beats both ways, keeping the place in the beat', () => {
    const deck = loaded();
    deck.play(0);
    deck.beatJump(4, 4100); // 0.15 into beat 9: now 0.15 into beat 13
    expect(deck.stateAt(4100).beat).toBe(13);
    deck.beatJump(-8, 6000); // 0.95 into beat 16: now 0.95 into beat 8
    const beats = deck.beatsBetween(4000, 7000).map((b) => [b.beat, Math.round(b.at * 1e6) / 1e6]);
    expect(beats).toEqual([
      [9, 4025],
      [14, 4525],
      [15, 5025],
      [16, 5525],
      [9, 6025],
      [10, 6525],
    ]);
  });

  it('stops at the end of its track, and says when', () => {
    const deck = loaded(0, { ...track, beats: 8 });
    deck.play(1000); // beat 1 at 1 025, beat 8 at 4 525, the end where beat 9 would be
    expect(deck.beatsBetween(0, 10_000).map((b) => b.beat)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(deck.endsBetween(0, 10_000).map((t) => Math.round(t * 1e6) / 1e6)).toEqual([5025]);
    expect(deck.playingAt(5030)).toBe(false);
    expect(deck.endsBetween(5030, 10_000)).toEqual([]);
  });

  it('loops: beats 9–12 repeat, the loop end beat never sounds, P1 says looping', () => {
    const deck = loaded();
    deck.play(0);
    deck.setLoop(9, 4, 100);
    const beats = deck.beatsBetween(4000, 9000).map((b) => b.beat);
    expect(beats).toEqual([9, 10, 11, 12, 9, 10, 11, 12, 9, 10]);
    expect(deck.stateAt(5000).playState).toBe(0x04);
    deck.exitLoop(9100);
    expect(deck.beatsBetween(9100, 11_000).map((b) => b.beat)).toEqual([12, 13, 14]);
  });

  it('stops at the end of the track', () => {
    const deck = loaded(0, { ...track, beats: 8 });
    deck.play(0);
    const beats = deck.beatsBetween(0, 60_000).map((b) => b.beat);
    expect(beats).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(deck.stateAt(10_000)).toMatchObject({ playing: false, playState: 0x11, beat: 8 });
    expect(deck.nextBeatAfter(10_000)).toBeNull();
    expect(deck.play(11_000)).toBe(false);
  });

  it('holds still while stopped and resumes where it stopped', () => {
    const deck = loaded();
    deck.play(0);
    deck.stop(1200);
    expect(deck.beatsBetween(1200, 5000)).toEqual([]);
    expect(deck.stateAt(3000)).toMatchObject({ beat: 3, playState: 0x05 });
    deck.play(5000);
    expect(deck.nextBeatAfter(5000)?.at).toBeCloseTo(5000 + (1525 - 1200), 6);
  });

  it('never counts a beat twice or loses one, whatever the commands (property)', () => {
    type Command = { at: number; kind: number; value: number };
    const command = fc.record({ at: fc.integer({ min: 0, max: 40_000 }), kind: fc.integer({ min: 0, max: 7 }), value: fc.integer({ min: 1, max: 90 }) });
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), fc.integer({ min: 60, max: 180 }), (list: Command[], bpm) => {
        const deck = loaded(0, { ...track, bpm });
        deck.play(0);
        for (const c of [...list].sort((a, b) => a.at - b.at)) {
          if (c.kind === 0) deck.stop(c.at);
          else if (c.kind === 1) deck.play(c.at);
          else if (c.kind === 2) deck.setPitch((c.value - 45) / 3, c.at, c.value % 2 === 0 ? c.value * 50 : 0);
          else if (c.kind === 3) deck.jump(c.value, c.at);
          else if (c.kind === 4) deck.setLoop(c.value, 1 + (c.value % 8), c.at);
          else if (c.kind === 5) deck.nudge(c.value - 45, 100 + c.value * 10, c.at);
          else if (c.kind === 6) deck.hold(c.value * 20, c.at);
          else deck.exitLoop(c.at);
        }
        const whole = deck.beatsBetween(-1, 60_000);
        const pieces = [-1, 7_000, 15_333.3, 30_000, 45_000, 60_000];
        const joined = pieces.slice(1).flatMap((to, i) => deck.beatsBetween(pieces[i] as number, to));
        expect(joined).toEqual(whole);
        for (let i = 1; i < whole.length; i++) expect((whole[i] as { at: number }).at).toBeGreaterThanOrEqual((whole[i - 1] as { at: number }).at);
        for (const b of whole) {
          expect(Math.abs(deck.positionAt(b.at) - b.beat) < 1e-6 || deck.stateAt(b.at).beat === b.beat).toBe(true);
        }
        for (const t of [500, 12_345, 41_000]) {
          const next = deck.nextBeatAfter(t);
          const first = deck.beatsBetween(t, 60_000)[0] ?? null;
          if (first !== null) expect(next).toEqual(first);
        }
      }),
      { numRuns: 200 },
    );
  });
});
