/**
 * Estimated OPUS-QUAD beats through the whole stream layer, against the
 * simulator's true beats, in virtual time: the built-in club set (hand-offs,
 * pitch steps and ramps, a jump, a loop, loads) in lighting mode (status
 * packets only) and in CDJ mode (status and precise position packets).
 */
import { builtinScenario } from '../../src/prolink/sim/scenario-builtins';
import type { Scenario } from '../../src/prolink/sim/scenario';
import type { BeatEvent } from '../../src/events/bridge-event';
import { percentile, runSimBridge, scoreBeats, type SimBridgeRun } from './sim-bridge';

const RUN_MS = 182_000;

function club(): Scenario {
  const scenario = builtinScenario('club');
  if (!('steps' in scenario)) throw new Error(scenario.message);
  return scenario;
}

/** Beat numbers a deck emitted twice within `withinMs` (a repeat), or numbers skipped between consecutive beats of one stretch of play. */
function sequenceFaults(run: SimBridgeRun, deck: number): { repeated: number[]; skipped: number[] } {
  const truth = run.truth(deck);
  const beats = run.beats.filter((b): b is BeatEvent & { beat: number } => b.deck === deck && b.beat !== null);
  const repeated: number[] = [];
  const skipped: number[] = [];
  for (let i = 1; i < beats.length; i++) {
    const a = beats[i - 1] as BeatEvent & { beat: number };
    const b = beats[i] as BeatEvent & { beat: number };
    if (b.beat === a.beat) repeated.push(b.beat);
    // Within one stretch of true forward play, the next emitted number is the next one.
    const played = truth.some((t) => t.beat === a.beat + 1 && Math.abs(t.at - a.at) < 1000) && truth.some((t) => t.beat === b.beat && Math.abs(t.at - b.at) < 250);
    if (played && b.beat > a.beat + 1) skipped.push(a.beat + 1);
  }
  return { repeated, skipped };
}

describe.each([
  ['lighting', 'status packets only'],
  ['cdj', 'status and precise position packets'],
] as const)('estimated beats of the simulated OPUS-QUAD in %s mode (%s)', (mode, _inputs) => {
  let runs: SimBridgeRun[] = [];
  beforeAll(async () => {
    runs = [];
    for (const seed of [1, 2]) runs.push(await runSimBridge(club(), { mode, runMs: RUN_MS, seed }));
  });

  it('emits every beat the decks play once, in order: none skipped, none repeated, the first after play or a jump late', () => {
    for (const run of runs) {
      for (const deck of run.decks) {
        const faults = sequenceFaults(run, deck);
        expect(faults).toEqual({ repeated: [], skipped: [] });
      }
      // Each true beat is matched once, once the bridge hears the deck (the OPUS sends nothing in its
      // first seconds). From status packets alone the beat after a jump may still be off by a good part
      // of a beat (the phase is guessed anew), so a match here is the number within one beat period.
      const heard = Math.min(...run.beats.map((b) => b.at));
      const score = scoreBeats(run, { from: heard + 100, matchWithin: 1 });
      expect(score.missing).toBe(0);
      // The extra ones are predictions the deck did not play: the loop's end beat before each of
      // the four loop-backs, and at most one at the stop.
      expect(score.extra).toBeLessThanOrEqual(5);
      // Every play and jump (including each loop-back) starts with a beat that came late.
      expect(score.late).toBeGreaterThanOrEqual(7);
    }
  });
});

describe('CDJ mode: precise positions tie the beats to the playhead', () => {
  it('lands within 2.5 ms (p95) once a track has played 100 beats, through its jump and loop', async () => {
    const errors: number[] = [];
    for (const seed of [1, 2, 3]) {
      const run = await runSimBridge(club(), { mode: 'cdj', runMs: RUN_MS, seed });
      errors.push(...scoreBeats(run, { afterTrackBeats: 100 }).errors);
    }
    expect(errors.length).toBeGreaterThan(400);
    expect(percentile(errors, 95)).toBeLessThan(2.5);
    expect(percentile(errors, 50)).toBeLessThan(1);
  });
});
