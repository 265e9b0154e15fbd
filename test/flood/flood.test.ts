/**
 * A show under fire, over real UDP in network namespaces: 150,000 mutated
 * real packets and spoofed status packets at full speed into the running
 * bridge while the simulated OPUS-QUAD plays. The show's events must stay as
 * the simulator's truth says, nothing false may go out, memory stays bounded
 * and the log stays short. (`npm run bench:flood` runs the 1,000,000-datagram
 * version and prints the figures.)
 */
import { describeFlood, floodFigures, type FloodFigures } from './flood-figures';
import { runFlood } from './run-flood';
import { netnsUnavailableReason } from '../support/netns';

const unavailable = netnsUnavailableReason();
const describeIf = unavailable === null ? describe : describe.skip;

describeIf('a show under a flood of mutated and spoofed packets', () => {
  let f: FloodFigures;
  beforeAll(async () => {
    const run = await runFlood({ datagrams: 150_000, distinct: 60_000, seed: 3, floodAfterMs: 6000, runMs: 30_000 });
    f = floodFigures(run);
    process.stdout.write(`${describeFlood(f)}\n`);
  }, 90_000);

  it('really flooded the bridge', () => {
    expect(f.sent).toBe(150_000);
  });

  it('fires every load, play, master change and phrase change of the show once, and nothing else', () => {
    for (const type of ['phrase.start', 'phrase.end', 'master.change', 'track.load', 'play', 'stop'] as const) {
      const t = f.score.types.get(type);
      expect({ type, missing: t?.missing, extra: t?.extra }).toEqual({ type, missing: 0, extra: 0 });
    }
    expect((f.score.types.get('phrase.start')?.matched ?? 0) + (f.score.types.get('master.change')?.matched ?? 0)).toBeGreaterThan(5);
  });

  it('fires each beat once; only the beat right after the show’s one jump may land off its instant', () => {
    const beats = f.score.types.get('beat');
    expect(beats?.matched).toBeGreaterThan(80);
    expect(f.score.repeatedBeats).toBe(0);
    expect(beats?.extra ?? 0).toBeLessThanOrEqual(1);
  });

  it('fires nothing for decks or devices that do not exist', () => {
    expect(f.impossibleDecks).toBe(0);
    expect(f.strangeDevices).toEqual([]);
  });

  it('keeps its memory and its log bounded', () => {
    expect(f.floodRssMb).toBeLessThanOrEqual(1.5 * f.idleRssMb);
    expect(f.logLinesPer10s).toBeLessThanOrEqual(20);
  });
});
