/**
 * Instant doubles in lighting mode: a deck that takes another deck's place in
 * the same track, playing, at the same tempo, plays on that deck's beats. Its
 * estimate takes them as well as its own statuses, so its first seconds are
 * as sure as the other deck's grid, not learned afresh from a status or two;
 * a nudge of the double, which nothing shows, breaks no promise.
 */
import { runSimBridge, scenarioOf } from './sim-bridge';

/** Deck 1 plays from 1 s; at `doubleAt` deck 2 takes its place (onto an empty deck), then what `steps` do. */
function doubled(name: string, doubleAt: number, steps: readonly object[] = []): ReturnType<typeof scenarioOf> {
  return scenarioOf({
    name,
    rig: 'opus',
    tracks: [{ id: 811, title: 'Doubled', bpm: 126, beats: 400, firstBeatMs: 40 }],
    steps: [
      { at: 0, do: 'load', deck: 1, track: 811 },
      { at: 1000, do: 'master', deck: 1 },
      { at: 1000, do: 'play', deck: 1 },
      { at: doubleAt, do: 'double', deck: 2, from: 1 },
      ...steps,
    ],
  });
}

interface Fired {
  readonly errors: number[];
  readonly late: number;
}

/** Deck 2's beats from `from` to `to` over seeds 1–`seeds`: each true beat fired once by number; errors of those not `late`. */
async function doubleBeats(scenario: ReturnType<typeof scenarioOf>, from: number, to: number, runMs: number, seeds: number): Promise<Fired> {
  const errors: number[] = [];
  let late = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const run = await runSimBridge(scenario, { mode: 'lighting', runMs, seed });
    const truth = run.truth(2).filter((t) => t.at > from && t.at < to);
    const fired = run.beats.filter((b) => b.deck === 2 && b.at > from - 300 && b.at < to + 300);
    const numbers = fired.map((b) => b.beat).filter((n) => n !== null && n >= (truth[0]?.beat ?? 0) && n <= (truth[truth.length - 1]?.beat ?? 0));
    expect(numbers).toEqual(truth.map((t) => t.beat));
    for (const t of truth) {
      const b = fired.find((e) => e.beat === t.beat);
      const off = (b?.at ?? NaN) - t.at;
      if (off > 50) expect(`seed ${seed} beat ${t.beat} ${Math.round(off)} ms late, late ${String(b?.late)}`).toMatch(/late true$/);
      if (b?.late === true) late++;
      else errors.push(Math.abs(off));
    }
  }
  errors.sort((a, b) => a - b);
  return { errors, late };
}

const p95 = (sorted: readonly number[]): number => sorted[Math.floor(sorted.length * 0.95)] ?? NaN;

describe('estimated beats of an instant double (lighting mode)', () => {
  it('are on the source deck’s beat from its first seconds (10 seeds, 1–6 s after the double: p95 within 12 ms, 15 at most)', async () => {
    const { errors, late } = await doubleBeats(doubled('double', 9000), 10_000, 15_000, 15_500, 10);
    // From its own statuses alone: p95 21 ms, 24.6 at most, and 7 beats said `late`.
    expect(errors.length).toBeGreaterThan(100);
    expect(p95(errors)).toBeLessThanOrEqual(12);
    expect(errors[errors.length - 1]).toBeLessThanOrEqual(15);
    expect(late).toBeLessThanOrEqual(3);
  });

  it('keep what the source taught them when the double’s pitch moves (its own beats from then on, none late without saying so)', async () => {
    const { errors } = await doubleBeats(doubled('double, then pitch', 9000, [{ at: 10_000, do: 'pitch', deck: 2, percent: 4 }]), 12_000, 20_000, 20_500, 5);
    // From its own statuses alone: p95 15.3 ms.
    expect(errors.length).toBeGreaterThan(80);
    expect(p95(errors)).toBeLessThanOrEqual(10);
  });

  it('break no promise when the double is nudged off the source’s beat (nothing shows it): every beat once, none 50 ms late without saying so', async () => {
    const { errors } = await doubleBeats(doubled('double, then nudge', 9000, [{ at: 12_000, do: 'nudge', deck: 2, ms: 30, overMs: 300 }]), 10_000, 22_000, 22_500, 5);
    expect(errors.length).toBeGreaterThan(80);
  });
});
