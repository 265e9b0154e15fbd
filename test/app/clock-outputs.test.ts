import { ClockOutputs, clockSetup, type ClockThreadLike } from '../../src/app/clock-outputs';
import type { ClockThreadReport, ClockThreadSetup } from '../../src/outputs/midi/midi-clock-thread';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { RateLimitedReporter, type OutputReport } from '../../src/outputs/reporter';
import { VirtualClock } from '../../src/prolink/sim/clock';
import type { TargetConfig } from '../../src/mapping/schema';

/** A clock thread whose port reports the test sends through `report`. */
class ReportingThread implements ClockThreadLike {
  starts = 0;
  constructor(readonly report: (r: ClockThreadReport) => void) {}
  start(): Promise<MidiError | null> {
    this.starts++;
    return Promise.resolve(null);
  }
  publish(): void {}
  stop(): Promise<null> {
    return Promise.resolve(null);
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('MIDI clock outputs: port reports from the clock thread', () => {
  const targets = new Map<string, TargetConfig>([
    ['desk', { midi: { port: '/MagicQ/' } }],
    ['soft', { midi: { virtual: 'bridge' } }],
  ]);

  it('names the clock port after the target port for the thread\'s reports', () => {
    expect(clockSetup({ to: 'desk', follow: 'master', run: 'follow-play' }, targets.get('desk')!)?.port.name).toBe('/MagicQ/');
    expect(clockSetup({ to: 'soft', follow: 'master', run: 'follow-play' }, targets.get('soft')!)?.port.name).toBe('bridge clock');
  });

  it('logs outages and returns at their level, keeps the thread running, and reports the next outage at once', async () => {
    const clock = new VirtualClock(0);
    const reports: OutputReport[] = [];
    const threads: ReportingThread[] = [];
    const outputs = new ClockOutputs({
      reporter: new RateLimitedReporter((r) => reports.push(r), () => clock.now()),
      timers: clock,
      now: () => clock.now(),
      gridFor: () => null,
      createThread: (_setup: ClockThreadSetup, report) => {
        const t = new ReportingThread(report);
        threads.push(t);
        return t;
      },
    });
    await outputs.apply([{ to: 'desk', follow: 'master', run: 'follow-play' }], targets);
    await flush();
    const thread = threads[0]!;
    const gone = { level: 'error', code: 'send-failed', message: 'MIDI output "/MagicQ/" stopped taking messages; retrying every 2 s', cause: null } as const;
    thread.report(gone);
    clock.advance(1000);
    thread.report({ level: 'info', code: 'port-resumed', message: 'MIDI output "/MagicQ/" is back; 96 messages were dropped while it was closed', cause: null });
    clock.advance(1000);
    thread.report(gone); // unplugged again 2 s after the first outage: still news
    thread.report(new MidiError('out-of-range', 'song position 20000 is beyond what SPP can carry')); // a clock error: a warning
    expect(reports.map((r) => [r.level, r.target, r.code])).toEqual([
      ['error', 'desk', 'send-failed'],
      ['info', 'desk', 'port-resumed'],
      ['error', 'desk', 'send-failed'],
      ['warn', 'desk', 'out-of-range'],
    ]);
    expect(reports[1]?.message).toBe('clock 1 → desk: MIDI output "/MagicQ/" is back; 96 messages were dropped while it was closed');
    clock.advance(20_000);
    await flush();
    expect(threads).toHaveLength(1); // the thread retries its port itself: never restarted
    expect(thread.starts).toBe(1);
    await outputs.stop();
  });
});

describe('MIDI clock outputs: publishing', () => {
  it('reads neither the clock nor a grid on each status while the mapping has no clock', async () => {
    let reads = 0;
    const grids: number[] = [];
    const published: unknown[] = [];
    const outputs = new ClockOutputs({
      reporter: new RateLimitedReporter(() => undefined, () => 0),
      timers: new VirtualClock(0),
      now: () => ++reads,
      gridFor: (_follow, at) => (grids.push(at), null),
      createThread: () => ({ start: () => Promise.resolve(null), publish: (g) => published.push(g), stop: () => Promise.resolve(null) }),
    });
    outputs.publish();
    expect([reads, grids]).toEqual([0, []]);
    await outputs.apply([{ to: 'desk', follow: 'master', run: 'follow-play' }], new Map<string, TargetConfig>([['desk', { midi: { port: 'desk' } }]]));
    outputs.publish();
    expect([reads, grids, published]).toEqual([1, [1], [null]]);
    await outputs.stop();
    outputs.publish();
    expect(reads).toBe(1);
  });
});
