import { settleSources, looksMidWrite, SETTLE_MAX_MS, SETTLE_QUIET_MS } from '../../src/mapping/settle-sources';
import type { ReadSources } from '../../src/mapping/load-mapping';
import { MappingError } from '../../src/mapping/mapping-error';

/** Timers on a virtual clock: each setTimeout runs at once, moving the clock forward. */
function virtualTimers(): { now: () => number; setTimeout: (callback: () => void, ms: number) => unknown; waits: number[] } {
  let time = 0;
  const waits: number[] = [];
  return {
    now: () => time,
    setTimeout: (callback, ms) => {
      waits.push(ms);
      time += ms;
      queueMicrotask(callback);
      return null;
    },
    waits,
  };
}

const text = (t: string): ReadSources => ({ sources: [{ file: 'show.yaml', text: t }], errors: [] });

describe('settling a file that is being written', () => {
  it('reads again after a quiet period until two reads agree, and returns the settled read', async () => {
    const timers = virtualTimers();
    const reads = [text('rules:\n  - on: be'), text('rules: [] # done\n'), text('rules: [] # done\n')];
    let calls = 0;
    const settled = await settleSources(async () => reads[Math.min(calls++, reads.length - 1)] ?? text(''), text(''), { timers });
    expect(settled).toEqual({ read: text('rules: [] # done\n'), settled: true });
    expect(calls).toBe(3);
    expect(timers.waits).toEqual([SETTLE_QUIET_MS, SETTLE_QUIET_MS, SETTLE_QUIET_MS]);
  });

  it('gives up at the cap with the last read when the files keep changing', async () => {
    const timers = virtualTimers();
    let calls = 0;
    const settled = await settleSources(async () => text(`# save ${++calls}\nrules: []\n`), text(''), { timers });
    expect(settled.settled).toBe(false);
    expect(settled.read).toEqual(text(`# save ${calls}\nrules: []\n`));
    expect(timers.now()).toBeGreaterThanOrEqual(SETTLE_MAX_MS);
    expect(timers.now()).toBeLessThan(SETTLE_MAX_MS + SETTLE_QUIET_MS);
  });

  it('stops waiting when abandoned (a newer save, or the bridge stopping)', async () => {
    const timers = virtualTimers();
    let calls = 0;
    const settled = await settleSources(async () => text(String(++calls)), text(''), { timers, abandoned: () => true });
    expect(settled).toEqual({ read: text(''), settled: false });
    expect(calls).toBe(0);
  });

  it('waits out only what a half-written file produces', () => {
    const error = (code: MappingError['code']): MappingError => new MappingError(code, 'show.yaml', 1, 1, '', 'x');
    expect(['empty', 'yaml', 'unreadable', 'emptied'].map((c) => looksMidWrite([error(c as MappingError['code'])]))).toEqual([true, true, true, true]);
    expect(['schema', 'reference', 'expression', 'duplicate'].map((c) => looksMidWrite([error(c as MappingError['code'])]))).toEqual([false, false, false, false]);
  });
});
