import { SimDeck } from '../../src/timing/sim/sim-deck';
import { seededRandom } from '../../src/timing/sim/prng';
import { byArrival, simulateBeatPackets, simulateStatus } from '../../src/timing/sim/status-sim';

describe('SimDeck (ground truth)', () => {
  it('plays beats at the tempo and finds each crossing exactly', () => {
    const deck = new SimDeck({ at: 0, position: 1.25, bpm: 120, playing: true, barOffset: 1 });
    expect(deck.positionAt(1000)).toBeCloseTo(3.25, 12);
    expect(deck.nextBeatAfter(0)).toEqual({ beat: 2, at: expect.closeTo(375, 9) });
    expect(deck.nextBeatAfter(375.0001)?.beat).toBe(3);
  });

  it('integrates a linear ramp: 120 -> 180 BPM over 2 s covers the mean tempo', () => {
    const deck = new SimDeck({ at: 0, position: 1, bpm: 120, playing: true, barOffset: 1 }, [
      { at: 1000, kind: 'tempo', bpm: 180, overMs: 2000 },
    ]);
    expect(deck.bpmAt(2000)).toBeCloseTo(150, 9);
    expect(deck.positionAt(3000)).toBeCloseTo(1 + 2 + 5, 9); // 1 s at 120, 2 s at a mean of 150
    expect(deck.bpmAt(4000)).toBe(180);
    const beat = deck.nextBeatAfter(2500)!;
    expect(deck.positionAt(beat.at)).toBeCloseTo(beat.beat, 9);
  });

  it('jumps, pauses and resumes; no beats while paused', () => {
    const deck = new SimDeck({ at: 0, position: 1, bpm: 120, playing: true, barOffset: 1 }, [
      { at: 1000, kind: 'jump', position: 10.5 },
      { at: 2000, kind: 'pause' },
      { at: 5000, kind: 'play' },
    ]);
    expect(deck.positionAt(1250)).toBeCloseTo(11, 12);
    expect(deck.playingAt(3000)).toBe(false);
    expect(deck.positionAt(4000)).toBeCloseTo(12.5, 12);
    expect(deck.nextBeatAfter(2100)).toEqual({ beat: 13, at: expect.closeTo(5250, 9) });
    expect(deck.grid(4000)).toMatchObject({ playing: false, position: 12.5, barOffset: 1, uncertaintyMs: 0 });
  });
});

describe('simulated status and beat packets', () => {
  const deck = new SimDeck({ at: 0, position: 0.5, bpm: 127.996, playing: true, barOffset: 1 });

  it('sends one status about every 200 ms with the counter, Bb and a rounded tempo', () => {
    const obs = simulateStatus(deck, 0, 10_000, { seed: 7, outlierRate: 0 });
    expect(obs.length).toBeGreaterThan(45);
    expect(obs.length).toBeLessThan(52);
    for (let i = 1; i < obs.length; i++) {
      const gap = obs[i]!.at - obs[i - 1]!.at;
      expect(gap).toBeGreaterThan(200 - 15 - 1.5);
      expect(gap).toBeLessThan(200 + 15 + 1.5);
    }
    expect(obs.every((o) => o.effectiveBpm === 128 && o.playing)).toBe(true);
    for (const o of obs) {
      // Latency here is 0.3–1.8 ms: the counter is the one the deck showed just before arrival.
      expect(o.beat).toBeLessThanOrEqual(Math.floor(deck.positionAt(o.at - 0.3)));
      expect(o.beat).toBeGreaterThanOrEqual(Math.floor(deck.positionAt(o.at - 1.8)));
      if (o.beat! >= 1) expect(o.beatInBar).toBe(((o.beat! - 1) % 4) + 1);
      else expect(o.beatInBar).toBe(0);
    }
    expect(obs.some((o) => o.beat === 0)).toBe(true); // parked before beat 1 at the start
  });

  it('never shows a counter ahead of the truth at arrival (latency only delays)', () => {
    const obs = simulateStatus(deck, 0, 30_000, { seed: 3 });
    for (const o of obs) {
      const truth = deck.positionAt(o.at);
      expect(o.beat!).toBeLessThanOrEqual(Math.max(0, Math.floor(truth)));
    }
  });

  it('is reproducible from the seed and differs between seeds', () => {
    const a = simulateStatus(deck, 0, 5000, { seed: 11 });
    expect(simulateStatus(deck, 0, 5000, { seed: 11 })).toEqual(a);
    expect(simulateStatus(deck, 0, 5000, { seed: 12 })[0]!.at).not.toBe(a[0]!.at);
    const r = seededRandom(1);
    const values = Array.from({ length: 1000 }, r);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it('sends a beat packet just after each beat, with no counter', () => {
    const packets = simulateBeatPackets(deck, 0, 5000, { seed: 2, outlierRate: 0 });
    expect(packets.length).toBe(Math.floor(deck.positionAt(5000))); // beats 1..10 from position 0.5
    for (const p of packets) {
      const beatAt = deck.nextBeatAfter(p.at - 10)!;
      expect(p.at - beatAt.at).toBeGreaterThanOrEqual(0.3);
      expect(p.at - beatAt.at).toBeLessThan(1.8);
      expect(p.beat).toBeNull();
      expect(p.source).toBe('packet');
    }
    const merged = byArrival(packets, simulateStatus(deck, 0, 5000, { seed: 2 }));
    expect(merged.every((o, i) => i === 0 || o.at >= merged[i - 1]!.at)).toBe(true);
  });
});
