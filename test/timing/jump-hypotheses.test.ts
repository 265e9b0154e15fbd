/**
 * After a jump the status packets say where the deck went, not where in the
 * beat: the estimator holds two hypotheses until an observation contradicts
 * one of them, "the jump kept the phase" (quantized cues, loops, beat jumps)
 * and "it landed on a beat at the instant it happened" (cue points and loop
 * starts sit on beats). Its uncertainty must cover the truth whichever holds.
 */
import { BeatGridEstimator, type BeatObservation, type EstimatorOptions } from '../../src/timing/beat-grid-estimator';
import type { BeatPrediction } from '../../src/timing/beat-grid';
import { seededRandom, uniform } from '../../src/timing/sim/prng';
import { SimDeck, type DeckEvent } from '../../src/timing/sim/sim-deck';
import { percentile } from './replay';
import { UNSURE_BEAT_MS } from '../../src/streams/estimated-beats';

const BPM = 126;
const PERIOD = 60_000 / BPM;

function deck(start: number, events: readonly DeckEvent[]): SimDeck {
  return new SimDeck({ at: 0, position: start, bpm: BPM, playing: true, barOffset: 1 }, events);
}

function observation(d: SimDeck, t: number): BeatObservation {
  const beat = Math.max(1, Math.floor(d.positionAt(t) + 1e-9));
  return { at: t, beat, beatInBar: ((beat - 1) % 4) + 1, effectiveBpm: BPM, playing: true };
}

/** Status times about every 200 ms (± 15 ms, seeded) in [from, to), plus any `extra` ones. */
function cadence(from: number, to: number, seed: number, extra: readonly number[] = []): number[] {
  const random = seededRandom(seed);
  const times: number[] = [...extra];
  for (let t = from + random() * 200; t < to; t += 200 + uniform(random, -15, 15)) times.push(t);
  return times.sort((a, b) => a - b);
}

interface Prediction {
  readonly beat: number;
  readonly error: number;
  readonly uncertaintyMs: number;
}

/** Feeds the statuses in order; before each true beat in [from, to), predicts it from what had arrived. */
function predictions(est: BeatGridEstimator, d: SimDeck, times: readonly number[], from: number, to: number): Prediction[] {
  const out: Prediction[] = [];
  let i = 0;
  for (let beat = d.nextBeatAfter(from); beat !== null && beat.at < to; beat = d.nextBeatAfter(beat.at)) {
    while (i < times.length && (times[i] as number) < beat.at) est.observe(observation(d, times[i++] as number));
    const p = est.predictBeat(beat.beat);
    if (p === null) throw new Error(`no prediction for beat ${beat.beat}`);
    out.push({ beat: beat.beat, error: p.at - beat.at, uncertaintyMs: p.uncertaintyMs });
  }
  return out;
}

const JUMP_AT = 20_000;

/**
 * A jump at JUMP_AT onto position `to`, pressed half-way between two beats of
 * the old grid: whatever statuses show it, the old phase lies outside the
 * instants the jump can have happened at, so the two hypotheses disagree.
 */
function midBeatJump(seed: number, to: (old: number) => number): { readonly d: SimDeck; readonly times: number[]; readonly seenAt: number } {
  // The old grid has a beat exactly half a beat before JUMP_AT.
  const start = 1.5 + ((JUMP_AT / PERIOD) % 1 === 0 ? 0 : 1 - ((JUMP_AT / PERIOD) % 1)) + (seed % 4);
  const plain = deck(start, []);
  const d = deck(start, [{ at: JUMP_AT, kind: 'jump', position: to(plain.positionAt(JUMP_AT)) }]);
  const times = cadence(0, JUMP_AT + 12_000, seed);
  return { d, times, seenAt: times.find((t) => t > JUMP_AT) as number };
}

/** A hot cue onto beat 129, not quantized: the deck lands on the beat at the instant pressed. */
const cueJump = (seed: number): ReturnType<typeof midBeatJump> => midBeatJump(seed, () => 129);
/** A beat jump 8 beats back: the phase is kept, the deck lands half-way between two beats. */
const beatJump = (seed: number): ReturnType<typeof midBeatJump> => midBeatJump(seed, (old) => old - 8);

describe('BeatGridEstimator: hypotheses across a jump', () => {
  it('drops a hypothesis the next status contradicts, rather than taking that status for another jump, and says how unsure it is', () => {
    const settled: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const { d, times, seenAt } = cueJump(seed);
      expect(d.positionAt(JUMP_AT + 1) % 1).toBeLessThan(0.01); // landed on beat 129
      const est = new BeatGridEstimator();
      const after = predictions(est, d, times, seenAt, JUMP_AT + 12_000);
      expect(est.stats.jumps).toBe(1);
      // The estimate follows the old phase, which is wrong here; what it reports covers the truth.
      for (const p of after) expect(Math.abs(p.error)).toBeLessThanOrEqual(p.uncertaintyMs + 1e-6);
      settled.push(...after.slice(-8).map((p) => Math.abs(p.error)));
    }
    // And it settles: 8–12 s on, within a few ms.
    expect(percentile(settled, 95)).toBeLessThan(15);
  });
  it('does not take readings that merely overlap for agreement: an unquantized cue onto a beat, with an old beat inside its span', () => {
    for (let seed = 1; seed <= 20; seed++) {
      // The old grid has a beat 60 ms after the jump; the last status before the jump leaves 100 ms before it and the
      // first after it 150 ms after: "kept the phase" (the old beat) lies inside "landed on a beat" (anywhere in between).
      const firstBeat = Math.ceil((JUMP_AT + 60) / PERIOD) + 2;
      const start = firstBeat - (JUMP_AT + 60) / PERIOD;
      const d = deck(start, [{ at: JUMP_AT, kind: 'jump', position: 129 }]);
      const times = cadence(0, JUMP_AT - 100, seed).concat([JUMP_AT - 100, JUMP_AT + 150], cadence(JUMP_AT + 350, JUMP_AT + 8000, seed + 50));
      const est = new BeatGridEstimator();
      const after = predictions(est, d, times, JUMP_AT + 151, JUMP_AT + 8000);
      expect(est.stats.jumps).toBe(1);
      // The truth (landed at the jump's instant) is 60 ms from the old phase: what is reported covers it.
      expect(Math.abs(after[0]?.error ?? 0)).toBeGreaterThan(50);
      for (const p of after) expect(Math.abs(p.error)).toBeLessThanOrEqual(p.uncertaintyMs + 1e-6);
    }
  });

  it('finds the phase at once after a loop that wraps on a beat, even when the status shows it a moment after the wrap; the uncertainty narrows as statuses rule out a cue', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const start = 1 + seededRandom(seed * 17)() * 4;
      const plain = deck(start, []);
      // Beat 73 is the loop's end: the deck goes back to 65 on its instant, and a status leaves 1 ms later.
      const wrapAt = (plain.nextBeatAfter(0) as { at: number }).at + (73 - Math.ceil(start)) * PERIOD;
      const d = deck(start, [{ at: wrapAt, kind: 'jump', position: 65 }]);
      const times = cadence(0, wrapAt - 120, seed).concat([wrapAt + 1], cadence(wrapAt + 150, wrapAt + 3000, seed + 100));
      const est = new BeatGridEstimator();
      const after = predictions(est, d, times, wrapAt + 2, wrapAt + 3000);
      const [next] = after;
      expect(est.stats.jumps).toBe(1);
      expect(next?.beat).toBe(66);
      expect(Math.abs(next?.error ?? Infinity)).toBeLessThan(10);
      // It could as well have been a cue landing on a beat anywhere since the last status before the wrap: that
      // stays in the uncertainty until the statuses after the wrap rule it out.
      // (The cue case itself is the test above.)
      expect(next?.uncertaintyMs ?? 0).toBeGreaterThan(30);
      // Beats stop saying `late` (an instant known to within UNSURE_BEAT_MS) within a few beats.
      expect(after.at(-1)?.uncertaintyMs ?? Infinity).toBeLessThan(UNSURE_BEAT_MS);
    }
  });

  it("does not take a hot cue pressed by hand again and again, the same distance back, for a loop's wraps: its uncertainty still covers the truth", () => {
    // To the statuses, a hand-pressed hot cue (quantize off) repeated every bar looks like a loop wrapping; but each press
    // is off the beat by the hand's timing, so the jump does not keep the phase, and only later statuses can show by how much.
    for (const handMs of [20, 40, 80]) {
      let predicted = 0;
      let covered = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const random = seededRandom(seed * 13);
        const start = 1 + random() * 4;
        const first = (deck(start, []).nextBeatAfter(0) as { at: number }).at + (69 - Math.ceil(start)) * PERIOD;
        const presses: DeckEvent[] = [];
        let at = first + uniform(random, -handMs, handMs);
        for (let i = 0; i < 6; i++, at += 4 * PERIOD + uniform(random, -handMs, handMs)) presses.push({ at, kind: 'jump', position: 65 });
        const d = deck(start, presses);
        const all = predictions(new BeatGridEstimator(), d, cadence(0, at + 3000, seed), first + 8 * PERIOD, at + 3000);
        predicted += all.length;
        covered += all.filter((p) => Math.abs(p.error) <= p.uncertaintyMs + 1e-9).length;
      }
      expect(covered / predicted).toBeGreaterThan(0.95);
    }
  });

  it('follows the landing when told to prefer it: right after a cue jump, within half a status period', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { d, times, seenAt } = cueJump(seed);
      const first = predictions(new BeatGridEstimator({ preferredJumpHypothesis: 'landed' }), d, times, seenAt, seenAt + 2 * PERIOD);
      expect(first.length).toBeGreaterThan(0);
      for (const p of first) expect(Math.abs(p.error)).toBeLessThanOrEqual(Math.min(p.uncertaintyMs + 1e-6, 120));
      // Following the old phase instead, the status showing the jump puts the next beat half a beat off (and says so).
      const kept = new BeatGridEstimator({ preferredJumpHypothesis: 'kept' });
      for (const t of times.filter((x) => x <= seenAt)) kept.observe(observation(d, t));
      const next = kept.nextBeatAfter(seenAt) as BeatPrediction;
      const error = next.at - (d.nextBeatAfter(seenAt) as { at: number }).at;
      expect(Math.abs(error)).toBeGreaterThan(PERIOD / 2 - 20);
      expect(Math.abs(error)).toBeLessThanOrEqual(next.uncertaintyMs);
    }
  });

  it('and the other way round after a beat jump, which keeps the phase: each preference is right for one kind of jump', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { d, times, seenAt } = beatJump(seed);
      const kept = predictions(new BeatGridEstimator({ preferredJumpHypothesis: 'kept' }), d, times, seenAt, seenAt + 2 * PERIOD);
      for (const p of kept) expect(Math.abs(p.error)).toBeLessThan(15);
      const landed = predictions(new BeatGridEstimator({ preferredJumpHypothesis: 'landed' }), d, times, seenAt, seenAt + 2 * PERIOD);
      for (const p of landed) expect(Math.abs(p.error)).toBeLessThanOrEqual(p.uncertaintyMs + 1e-6);
    }
  });

  it('without either hypothesis starts afresh: a jump off the beat grid is covered by the uncertainty', () => {
    const options: Partial<EstimatorOptions> = { quantizedJumps: false, jumpsLandOnBeats: false };
    for (let seed = 1; seed <= 20; seed++) {
      const d = deck(1 + seededRandom(seed * 13)() * 4, [{ at: 20_000, kind: 'jump', position: 150.5 }]);
      const times = cadence(0, 26_000, seed);
      const seenAt = times.find((t) => t > 20_000) as number;
      const after = predictions(new BeatGridEstimator(options), d, times, seenAt, 26_000);
      for (const p of after) expect(Math.abs(p.error)).toBeLessThanOrEqual(p.uncertaintyMs + 1e-6);
    }
  });
});

describe('BeatGridEstimator: play from the cue point', () => {
  /**
   * Paused by CUE at 10 s (back on the cue point, beat 64), played at 14 s and
   * a bit; statuses about every 200 ms. The prediction of beat 65 right after
   * the first status that shows the deck playing.
   */
  function firstPrediction(seed: number, sayCued: boolean): Prediction {
    const playAt = 14_000 + seed * 37;
    const d = deck(60.3, [
      { at: 10_000, kind: 'pause' },
      { at: 10_000, kind: 'jump', position: 64 },
      { at: playAt, kind: 'play' },
    ]);
    const est = new BeatGridEstimator();
    for (const t of cadence(0, playAt + 1_000, seed)) {
      const playing = d.playingAt(t);
      est.observe({ ...observation(d, t), playing, cued: sayCued && !playing && t > 10_000 });
      if (t < playAt) continue;
      const p = est.predictBeat(65);
      if (p === null) throw new Error('no prediction of beat 65');
      // From beat 64's first instant at playAt, one beat on.
      return { beat: 65, error: p.at - (playAt + PERIOD), uncertaintyMs: p.uncertaintyMs };
    }
    throw new Error('never played');
  }

  it("takes it that play began on the cue's beat since the last status: the next beat is placed closer and surer, and the uncertainty covers the truth", () => {
    const cued: Prediction[] = [];
    const plain: Prediction[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      cued.push(firstPrediction(seed, true));
      plain.push(firstPrediction(seed, false));
    }
    for (const p of [...cued, ...plain]) expect(Math.abs(p.error)).toBeLessThanOrEqual(p.uncertaintyMs + 1e-6);
    const p95 = (ps: readonly Prediction[]): number => percentile(ps.map((p) => Math.abs(p.error)), 95);
    const unsure = (ps: readonly Prediction[]): number => percentile(ps.map((p) => p.uncertaintyMs), 50);
    // Counter bounds alone leave beat 64's start anywhere in the beat before the first playing status; the cue
    // puts it between that status and the one before.
    expect(p95(cued)).toBeLessThan(p95(plain));
    expect(unsure(cued)).toBeLessThan(unsure(plain) / 1.5);
  });
});
