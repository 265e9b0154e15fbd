/**
 * The scenarios that ship with the simulator. Their tracks are invented (IDs,
 * titles, tempos) and get generated song structures and placeholder art, so
 * they run on any machine.
 *
 * - club: an OPUS-QUAD set. Two tracks played against each other with
 *   tempo-matched hand-offs, pitch moves (steps and ramps), a jump back and a
 *   loop, a third track loaded and mixed in, one deck loaded but idle; about
 *   three minutes, then it starts over, forever.
 * - cdj-pair: the same ideas on two CDJ-2000NXS2-like players (2 and 3) and a
 *   DJM mixer, which send real beat packets.
 */
import type { Scenario } from './scenario';
import { ScenarioError } from './scenario-error';

const club: Scenario = {
  name: 'club',
  description: 'OPUS-QUAD: two decks mixed back and forth with hand-offs, pitch moves, a jump back and a loop; repeats forever',
  rig: 'opus',
  tracks: [
    { id: 501, title: 'Warehouse Opener', bpm: 124, beats: 480, firstBeatMs: 48 },
    { id: 502, title: 'Night Drive', bpm: 126, beats: 512, firstBeatMs: 12 },
    { id: 503, title: 'Sunrise Tool', bpm: 128, beats: 448, firstBeatMs: 80, firstBeatInBar: 1 },
    { id: 504, title: 'Closing Loop', bpm: 122, beats: 384, firstBeatMs: 30 },
  ],
  steps: [
    { at: 0, do: 'load', deck: 1, track: 501 },
    { at: 0, do: 'load', deck: 2, track: 502 },
    { at: 0, do: 'load', deck: 4, track: 504 },
    { at: 1000, do: 'master', deck: 1 },
    { at: 1000, do: 'play', deck: 1 },
    { at: 20_000, do: 'pitch', deck: 2, percent: -1.59 },
    { at: 30_000, do: 'play', deck: 2 },
    { at: 60_000, do: 'master', deck: 2 },
    { at: 64_000, do: 'stop', deck: 1 },
    { at: 66_000, do: 'pitch', deck: 2, percent: 0, overMs: 8000 },
    { at: 70_000, do: 'load', deck: 1, track: 503 },
    { at: 90_000, do: 'jump', deck: 2, beat: 97 },
    { at: 100_000, do: 'pitch', deck: 1, percent: -1.56 },
    { at: 110_000, do: 'play', deck: 1 },
    { at: 130_000, do: 'master', deck: 1 },
    { at: 135_000, do: 'stop', deck: 2 },
    { at: 140_000, do: 'pitch', deck: 1, percent: 0, overMs: 10_000 },
    { at: 150_000, do: 'loop', deck: 1, beat: 81, beats: 8 },
    { at: 165_000, do: 'exitLoop', deck: 1 },
    { at: 180_000, do: 'stop', deck: 1 },
    { at: 182_000, do: 'repeat' },
  ],
  options: { zeroFlagProbability: 0.02 },
};

const cdjPair: Scenario = {
  name: 'cdj-pair',
  description: 'two CDJ-2000NXS2-like players and a DJM: hand-offs, pitch moves, a jump back and a loop, with real beat packets; repeats forever',
  rig: 'cdj-pair',
  tracks: [
    { id: 601, title: 'Deep Cut', bpm: 122, beats: 400, firstBeatMs: 35 },
    { id: 602, title: 'Roller', bpm: 125, beats: 448, firstBeatMs: 20 },
  ],
  steps: [
    { at: 0, do: 'load', deck: 2, track: 601 },
    { at: 0, do: 'load', deck: 3, track: 602 },
    { at: 1000, do: 'master', deck: 2 },
    { at: 1000, do: 'play', deck: 2 },
    { at: 25_000, do: 'pitch', deck: 3, percent: -2.4 },
    { at: 30_000, do: 'play', deck: 3 },
    { at: 50_000, do: 'master', deck: 3 },
    { at: 55_000, do: 'stop', deck: 2 },
    { at: 60_000, do: 'pitch', deck: 3, percent: 0, overMs: 6000 },
    { at: 70_000, do: 'jump', deck: 3, beat: 65 },
    { at: 80_000, do: 'loop', deck: 3, beat: 81, beats: 8 },
    { at: 90_000, do: 'exitLoop', deck: 3 },
    { at: 100_000, do: 'load', deck: 2, track: 601 },
    { at: 101_000, do: 'play', deck: 2 },
    { at: 120_000, do: 'master', deck: 2 },
    { at: 125_000, do: 'stop', deck: 3 },
    { at: 130_000, do: 'repeat' },
  ],
  options: { mixerBeats: true },
};

export const BUILTIN_SCENARIOS: ReadonlyMap<string, Scenario> = new Map([
  [club.name, club],
  [cdjPair.name, cdjPair],
]);

export const DEFAULT_SCENARIO = club.name;

export function builtinScenario(name: string): Scenario | ScenarioError {
  const found = BUILTIN_SCENARIOS.get(name);
  if (found !== undefined) return found;
  return new ScenarioError('unknown-scenario', `no built-in scenario is called "${name}" (built in: ${[...BUILTIN_SCENARIOS.keys()].join(', ')}); or give the path of a .json/.yaml scenario file`);
}
