/**
 * Beat Sync in CDJ mode: the synced deck's tempo jumps to the master's and its
 * beat is pulled onto the master's within a fraction of a second. The
 * position packets show the playhead off its line, later in the track than
 * before, never back: every beat fires once, and one fired while they
 * disagree with the line says `late` when it may come 50 ms late.
 */
import { runSimBridge, scenarioOf, scoreBeats } from './sim-bridge';

const scenario = scenarioOf({
  name: 'sync in cdj mode',
  rig: 'opus',
  tracks: [
    { id: 801, title: 'Master', bpm: 126, beats: 400, firstBeatMs: 40 },
    { id: 802, title: 'Slower', bpm: 122, beats: 400, firstBeatMs: 60 },
    { id: 803, title: 'Faster', bpm: 150, beats: 400, firstBeatMs: 25 },
  ],
  steps: [
    { at: 0, do: 'load', deck: 1, track: 801 },
    { at: 0, do: 'load', deck: 2, track: 802 },
    { at: 0, do: 'load', deck: 3, track: 803 },
    { at: 8000, do: 'master', deck: 1 },
    { at: 8000, do: 'play', deck: 1 },
    { at: 12_300, do: 'play', deck: 2 },
    { at: 12_650, do: 'play', deck: 3 },
    // 122 BPM up to 126, and 150 down to 126 (−16 %), each pulled onto deck 1's beat.
    { at: 18_000, do: 'sync', deck: 2 },
    { at: 23_000, do: 'sync', deck: 3, overMs: 60 },
  ],
});

describe('estimated beats (CDJ mode) through Beat Sync', () => {
  it.each([1, 2, 3])('fires every beat of the synced decks once (seed %i)', async (seed) => {
    const run = await runSimBridge(scenario, { mode: 'cdj', runMs: 30_000, seed });
    for (const deck of [2, 3]) {
      const numbers = run.beats.filter((b) => b.deck === deck && b.at > 17_000).map((b) => b.beat);
      expect(numbers).toEqual([...new Set(numbers)]);
    }
    // A beat fired while the position packets were still off the playhead's line says `late` when it may come 50 ms late.
    for (const deck of [2, 3]) {
      const truth = run.truth(deck);
      for (const b of run.beats.filter((e) => e.deck === deck && e.at > 17_000 && e.at < 29_000)) {
        const t = truth.find((x) => x.beat === b.beat && Math.abs(x.at - b.at) < 300);
        if (t !== undefined && b.at - t.at > 50) expect(`deck ${deck} beat ${b.beat} ${Math.round(b.at - t.at)} ms off, late ${b.late}`).toMatch(/late true$/);
      }
    }
    const score = scoreBeats(run, { from: 17_000, to: 29_000 });
    expect(score.missing).toBe(0);
    expect(score.extra).toBe(0);
  });
});
