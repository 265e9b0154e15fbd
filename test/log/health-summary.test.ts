import { VirtualTimeScheduler } from 'rxjs';
import { HealthCounters, describeHealth, MAX_REASONS } from '../../src/log/health-counters';
import { logHealthSummary } from '../../src/log/health-summary';

/** Runs every action of `scheduler` due up to virtual time `to`. */
function advanceTo(scheduler: VirtualTimeScheduler, to: number): void {
  scheduler.maxFrames = to;
  scheduler.flush();
}

describe('health counters', () => {
  it('describes a window in one line: totals per kind, grouped by what happened to them, and the top reasons', () => {
    const health = new HealthCounters();
    health.add('malformed', 'too-short', 9001);
    health.add('malformed', 'bad-magic', 2915);
    health.add('implausible', 'device-out-of-range', 1500);
    health.add('implausible', 'unknown-sender', 800);
    expect(describeHealth(health.take(), 10_000)).toBe(
      'skipped 11,916 malformed and 2,300 implausible packets in the last 10 s (top reasons: too-short 9,001, bad-magic 2,915, device-out-of-range 1,500)',
    );
    health.add('dropped', 'qlab: past its deadline', 40);
    health.add('malformed', 'too-short');
    expect(describeHealth(health.take(), 10_000)).toBe('skipped 1 malformed packet and dropped 40 target messages in the last 10 s (top reasons: qlab: past its deadline 40, too-short 1)');
  });

  it('says nothing for a quiet window, and keeps totals across windows', () => {
    const health = new HealthCounters();
    expect(describeHealth(health.take(), 10_000)).toBeNull();
    health.add('malformed', 'too-short', 0);
    expect(describeHealth(health.take(), 10_000)).toBeNull();
    health.add('malformed', 'too-short', 3);
    health.take();
    health.add('malformed', 'bad-length', 2);
    expect(health.total('malformed')).toBe(5);
  });

  it('stays bounded when every count names a new reason', () => {
    const health = new HealthCounters();
    for (let i = 0; i < 1000; i++) health.add('implausible', `reason ${i}`);
    const snapshot = health.take();
    const reasons = snapshot.get('implausible');
    expect(reasons?.size).toBe(MAX_REASONS + 1);
    expect(reasons?.get('other')).toBe(1000 - MAX_REASONS);
  });
});

describe('health summary', () => {
  it('prints once per 10 s window with that window’s totals, and not at all in a quiet window', () => {
    const scheduler = new VirtualTimeScheduler();
    const health = new HealthCounters();
    const lines: { at: number; line: string }[] = [];
    const subscription = logHealthSummary(health, (line) => lines.push({ at: scheduler.now(), line }), { scheduler });

    // 0–10 s: a flood of malformed packets; 10–20 s: quiet; 20–30 s: a few implausible ones.
    for (let t = 0; t < 10_000; t += 1) scheduler.schedule(() => health.add('malformed', t % 4 === 0 ? 'bad-magic' : 'too-short'), t);
    for (let t = 20_500; t < 21_000; t += 100) scheduler.schedule(() => health.add('implausible', 'unknown-sender'), t);
    advanceTo(scheduler, 40_000);
    subscription.unsubscribe();

    expect(lines).toEqual([
      { at: 10_000, line: 'skipped 10,000 malformed packets in the last 10 s (top reasons: too-short 7,500, bad-magic 2,500)' },
      { at: 30_000, line: 'skipped 5 implausible packets in the last 10 s (top reasons: unknown-sender 5)' },
    ]);
  });
});

describe('health summary timer', () => {
  it('sets no timer while nothing is counted, and one for the end of a window in which something was', () => {
    const scheduler = new VirtualTimeScheduler();
    const health = new HealthCounters();
    const lines: { at: number; line: string }[] = [];
    const subscription = logHealthSummary(health, (line) => lines.push({ at: scheduler.now(), line }), { scheduler });
    /** The virtual instants the scheduler has actions for. */
    const timers = (): number[] => scheduler.actions.map((a) => a.delay);
    const seen: number[][] = [];
    scheduler.schedule(() => {
      seen.push(timers());
      health.add('malformed', 'too-short');
      health.add('malformed', 'too-short');
      seen.push(timers());
    }, 35_000);
    // Counted on the grid itself: that instant begins a window.
    scheduler.schedule(() => {
      seen.push(timers());
      health.add('implausible', 'unknown-sender');
      seen.push(timers());
    }, 60_000);
    advanceTo(scheduler, 100_000);
    subscription.unsubscribe();
    expect(seen).toEqual([[60_000], [40_000, 60_000], [], [70_000]]);
    expect(lines).toEqual([
      { at: 40_000, line: 'skipped 2 malformed packets in the last 10 s (top reasons: too-short 2)' },
      { at: 70_000, line: 'skipped 1 implausible packet in the last 10 s (top reasons: unknown-sender 1)' },
    ]);
    health.add('implausible', 'unknown-sender');
    expect(scheduler.actions).toHaveLength(0);
  });

  it('prints what was counted before it started at the end of its first window', () => {
    const scheduler = new VirtualTimeScheduler();
    const health = new HealthCounters();
    health.add('dropped', 'show: refused', 3);
    const lines: string[] = [];
    const subscription = logHealthSummary(health, (line) => lines.push(`${scheduler.now()} ${line}`), { scheduler });
    advanceTo(scheduler, 30_000);
    subscription.unsubscribe();
    expect(lines).toEqual(['10000 dropped 3 target messages in the last 10 s (top reasons: show: refused 3)']);
  });
});
