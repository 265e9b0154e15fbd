import { Subscription, VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { ResettableTimer } from '../../src/streams/resettable-timer';

/** Virtual time whose schedule() answers a plain Subscription, not the action: the timer cancels and schedules anew. */
function plainScheduler(virtual: VirtualTimeScheduler): SchedulerLike {
  return {
    now: () => virtual.now(),
    schedule: (work: () => void, delay?: number) => {
      const action = virtual.schedule(work, delay);
      return new Subscription(() => action.unsubscribe());
    },
  } as SchedulerLike;
}

describe('ResettableTimer', () => {
  const cases: [string, (v: VirtualTimeScheduler) => SchedulerLike][] = [
    ['an rxjs scheduler', (v) => v],
    ['a scheduler answering a plain Subscription', plainScheduler],
  ];
  it.each(cases)('on %s: runs once, at the instant it was last set for, and leaves nothing queued', (_, make) => {
    const virtual = new VirtualTimeScheduler();
    const runs: number[] = [];
    const timer = new ResettableTimer(make(virtual), () => runs.push(virtual.now()));
    virtual.schedule(() => timer.set(100), 0);
    virtual.schedule(() => timer.set(30), 10); // earlier: at 40
    virtual.schedule(() => timer.set(60), 20); // later again: at 80
    virtual.flush();
    expect(runs).toEqual([80]);
    expect(virtual.frame).toBe(80);
    expect(virtual.actions).toHaveLength(0);
    expect(timer.pending).toBe(false);
  });

  it('can set itself again while it runs, and cancel a run it was set for', () => {
    const virtual = new VirtualTimeScheduler();
    const runs: number[] = [];
    const timer: ResettableTimer = new ResettableTimer(virtual, () => {
      runs.push(virtual.now());
      if (runs.length < 3) timer.set(50);
    });
    timer.set(10);
    virtual.flush();
    expect(runs).toEqual([10, 60, 110]);
    timer.set(10);
    expect(timer.pending).toBe(true);
    timer.cancel();
    expect(timer.pending).toBe(false);
    virtual.flush();
    expect(runs).toEqual([10, 60, 110]);
    expect(virtual.actions).toHaveLength(0);
  });
});
