import { SnapshotSource } from '../../src/timing/grid-snapshot';
import { TickScheduler, Tick } from '../../src/timing/tick-scheduler';
import { VirtualTime } from '../../src/timing/virtual-time';
import { blockingWait, hybridWait, timerWait, TimerFunctions } from '../../src/timing/wait-strategies';
import { seededRandom } from '../../src/timing/sim/prng';

describe('TickScheduler in virtual time', () => {
  it('runs tasks at their absolute times in order, ties in the order scheduled', () => {
    const time = new VirtualTime(100);
    const s = new TickScheduler(time, time.strategy());
    const seen: string[] = [];
    s.at(130, () => seen.push('c'));
    s.at(110, (t) => seen.push(`a@${t.firedAt}`));
    s.at(130, () => seen.push('d'));
    s.at(50, (t) => seen.push(`past@${t.firedAt}`)); // already due: runs at once
    time.runUntil(200);
    expect(seen).toEqual(['past@100', 'a@110', 'c', 'd']);
    expect(s.pending).toBe(0);
  });

  it('cancels tasks, including the one it is waiting for', () => {
    const time = new VirtualTime(0);
    const s = new TickScheduler(time, time.strategy());
    const seen: number[] = [];
    const cancelFirst = s.at(10, () => seen.push(10));
    s.at(20, () => seen.push(20));
    const cancelThird = s.at(30, () => seen.push(30));
    cancelFirst();
    cancelThird();
    time.runUntil(100);
    expect(seen).toEqual([20]);
  });

  it('keeps an absolute schedule: late runs do not push later ones (no accumulated drift)', () => {
    const time = new VirtualTime(0);
    const random = seededRandom(3);
    const s = new TickScheduler(time, time.strategy(() => random() * 0.4));
    const ticks: Tick[] = [];
    s.every(0, 20.833333333, (tick) => ticks.push(tick));
    time.runUntil(60_010);
    expect(ticks.length).toBe(2880 + 1);
    ticks.forEach((t, k) => {
      expect(t.scheduledAt).toBeCloseTo(k * 20.833333333, 6);
      expect(t.firedAt - t.scheduledAt).toBeLessThan(0.4);
    });
  });

  it('skips slots that are already past instead of bursting, and says how many', () => {
    const time = new VirtualTime(0);
    const s = new TickScheduler(time, time.strategy());
    const runs: { at: number; k: number; missed: number }[] = [];
    s.every(0, 10, (tick, k, missed) => {
      runs.push({ at: tick.firedAt, k, missed });
      if (k === 3) time.busy(47); // this run stalls its thread until t = 77
    });
    time.runUntil(200);
    expect(runs.slice(3, 6)).toEqual([
      { at: 30, k: 3, missed: 0 },
      { at: 80, k: 8, missed: 4 },
      { at: 90, k: 9, missed: 0 },
    ]);
    expect(runs.map((r) => r.at)).toEqual([0, 10, 20, 30, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]);
  });
});

/** A clock that advances a little on every read (a spinning loop reads it constantly) and timers that jump it. */
function fakeHost(lateMs: number) {
  let now = 0;
  const timeouts: { at: number; fn: () => void; id: number }[] = [];
  let id = 0;
  const requested: number[] = [];
  const clock = { now: () => (now += 0.001) };
  const timers: TimerFunctions = {
    setTimeout: (fn, ms) => {
      requested.push(ms);
      timeouts.push({ at: now + ms + lateMs, fn, id: ++id });
      return id;
    },
    clearTimeout: (handle) => {
      const i = timeouts.findIndex((t) => t.id === handle);
      if (i >= 0) timeouts.splice(i, 1);
    },
  };
  const run = (): void => {
    while (timeouts.length > 0) {
      timeouts.sort((a, b) => a.at - b.at);
      const t = timeouts.shift()!;
      now = Math.max(now, t.at);
      t.fn();
    }
  };
  return { clock, timers, run, requested, reads: () => now };
}

describe('wait strategies', () => {
  it('hybridWait sleeps until spinMs before the target, then spins to it', () => {
    const host = fakeHost(0.9); // timers fire 0.9 ms late
    const fired: number[] = [];
    hybridWait(host.clock, { spinMs: 2, timers: host.timers }).waitUntil(50, () => fired.push(host.reads()));
    host.run();
    expect(host.requested[0]).toBe(47); // floor(50 − 0 − 2)
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(50);
    expect(fired[0]).toBeLessThan(50.01);
  });

  it('hybridWait re-arms when a timer fires early, and can be cancelled', () => {
    const host = fakeHost(-5); // a timer 5 ms early
    const fired: number[] = [];
    hybridWait(host.clock, { spinMs: 1, timers: host.timers }).waitUntil(40, () => fired.push(host.reads()));
    host.run();
    expect(host.requested.length).toBeGreaterThan(1);
    expect(fired[0]).toBeGreaterThanOrEqual(40);
    const cancelled = fakeHost(0);
    const cancel = hybridWait(cancelled.clock, { timers: cancelled.timers }).waitUntil(40, () => fired.push(-1));
    cancel();
    cancelled.run();
    expect(fired).not.toContain(-1);
  });

  it('timerWait only uses a timer', () => {
    const host = fakeHost(0);
    let firedAt = -1;
    timerWait(host.clock, host.timers).waitUntil(25.2, () => (firedAt = host.reads()));
    host.run();
    expect(host.requested).toEqual([26]);
    expect(firedAt).toBeGreaterThanOrEqual(25.2);
  });
});

describe('SnapshotSource', () => {
  it('extrapolates the last published grid at its tempo, and forgets it on null', () => {
    const s = new SnapshotSource();
    expect(s.grid(0)).toBeNull();
    s.publish({ at: 1000, playing: true, position: 10, bpm: 120, barOffset: 1, uncertaintyMs: 2 });
    expect(s.grid(1250)).toEqual({ at: 1250, playing: true, position: 10.5, bpm: 120, barOffset: 1, uncertaintyMs: 2 });
    s.publish({ at: 2000, playing: false, position: 12, bpm: 120, barOffset: 1, uncertaintyMs: null });
    expect(s.grid(3000)!.position).toBe(12);
    s.publish(null);
    expect(s.grid(3000)).toBeNull();
  });
});

describe('hybridWait when the target is nearly due', () => {
  it('spins right after the caller returns instead of waiting for a timer', async () => {
    let now = 0;
    const clock = { now: () => (now += 0.001) };
    const timers: TimerFunctions = { setTimeout: () => { throw new Error('no timer expected'); }, clearTimeout: () => undefined };
    const fired: number[] = [];
    hybridWait(clock, { spinMs: 2, timers }).waitUntil(1.5, () => fired.push(now));
    expect(fired).toHaveLength(0); // not inside the caller
    await Promise.resolve();
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(1.5);
  });
});

describe('blockingWait (clock thread)', () => {
  it('lets pending messages run first, blocks until spinMs before the target, then spins to it', () => {
    let now = 0;
    const clock = { now: () => (now += 0.0005) };
    const deferred: (() => void)[] = [];
    const blocks: number[] = [];
    const strategy = blockingWait(clock, {
      spinMs: 0.3,
      defer: (fn) => deferred.push(fn),
      block: (ms) => {
        blocks.push(ms);
        now += ms + 0.1; // the kernel wakes us 0.1 ms late: still inside the spin margin
      },
    });
    const fired: number[] = [];
    strategy.waitUntil(20, () => fired.push(now));
    expect(fired).toHaveLength(0);
    deferred.shift()!();
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toBeCloseTo(20 - 0.3, 2);
    expect(fired[0]).toBeGreaterThanOrEqual(20);
    expect(fired[0]).toBeLessThan(20.01);
  });

  /** A clock thread whose kernel wakes each block `lateBy()` ms late; runs one wait per call. */
  function lateWaker(options: { readonly spinMs?: number; readonly maxSpinMs?: number; readonly marginHalfLife?: number }) {
    let now = 0;
    let late = 0;
    const blockedUntil: number[] = [];
    const strategy = blockingWait(
      { now: () => (now += 0.0005) },
      {
        ...options,
        defer: (fn) => fn(),
        block: (ms) => {
          now += ms;
          blockedUntil.push(now);
          now += late;
        },
      },
    );
    return {
      strategy,
      blockedUntil,
      /** Waits for `at`, the kernel waking `lateBy` ms late; when the tick fired. */
      wait(at: number, lateBy: number): number {
        late = lateBy;
        let fired = NaN;
        strategy.waitUntil(at, () => (fired = now));
        return fired;
      },
    };
  }

  it('widens its spin margin after a late wake, so the next ticks stay on time', () => {
    const t = lateWaker({ spinMs: 0.3 });
    expect(t.strategy.marginMs).toBe(0.3);
    t.wait(20, 0.8); // woke 0.5 ms past the target: this tick is late
    expect(t.strategy.marginMs).toBeCloseTo(0.9, 2); // 0.8 ms lateness + 0.1 ms guard
    const fired = t.wait(40, 0.8);
    expect(t.blockedUntil[1]).toBeCloseTo(40 - 0.9, 2);
    expect(fired).toBeGreaterThanOrEqual(40);
    expect(fired).toBeLessThan(40.01); // the same wake lateness no longer delays the tick
  });

  it('shrinks the margin back to spinMs while wakes are punctual, halving the lateness every marginHalfLife waits', () => {
    const t = lateWaker({ spinMs: 0.3, marginHalfLife: 10 });
    t.wait(20, 1.0);
    expect(t.strategy.marginMs).toBeCloseTo(1.1, 2);
    for (let i = 1; i <= 10; i++) t.wait(20 + 20 * i, 0);
    expect(t.strategy.marginMs).toBeCloseTo(0.5 + 0.1, 2);
    for (let i = 11; i <= 60; i++) t.wait(20 + 20 * i, 0);
    expect(t.strategy.marginMs).toBe(0.3);
  });

  it('never spins longer than maxSpinMs, however late a wake was', () => {
    const t = lateWaker({ spinMs: 0.3, maxSpinMs: 1.5 });
    t.wait(20, 6);
    expect(t.strategy.marginMs).toBe(1.5);
    t.wait(40, 0);
    expect(t.blockedUntil[1]).toBeCloseTo(40 - 1.5, 2);
  });

  it('does nothing once cancelled', () => {
    const deferred: (() => void)[] = [];
    const strategy = blockingWait({ now: () => 0 }, { defer: (fn) => deferred.push(fn), block: () => undefined });
    let fired = false;
    strategy.waitUntil(5, () => (fired = true))();
    deferred.shift()!();
    expect(fired).toBe(false);
  });
});
