/**
 * One timer on a SchedulerLike, set again and again for a new instant (a
 * deck's next beat, re-planned with every status packet), without a new
 * scheduled action each time.
 *
 * RxJS schedulers return the SchedulerAction itself from schedule(), and an
 * action's own schedule() moves it: asyncScheduler keeps the AsyncAction and
 * sets its Node timer again (reused outright when the delay is the same); the
 * virtual-time schedulers make a new action themselves and leave the old one
 * queued as a no-op, which is cancelled here, as it would have been before.
 * That is done while the action waits or runs. An action that has run and
 * finished is not moved but replaced, as a fresh schedule() would be: a
 * virtual-time action re-used then would keep its old place among actions due
 * at the same instant. A scheduler that returns some other Subscription gets
 * a cancel and a new schedule.
 */
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

function isAction(s: Subscription): s is SchedulerAction<void> {
  return typeof (s as Partial<SchedulerAction<void>>).schedule === 'function';
}

export class ResettableTimer {
  private action: Subscription | null = null;
  private waiting = false;
  private running = false;
  /** Made once: what every schedule (and reschedule) runs. */
  private readonly run = (): void => {
    this.waiting = false;
    this.running = true;
    try {
      this.work();
    } finally {
      this.running = false;
    }
  };

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly work: () => void,
  ) {}

  /** Set for a run `delay` ms from now (the run it was set for before, if any, will not happen). */
  set(delay: number): void {
    const action = this.action;
    const live = this.waiting || this.running;
    this.waiting = true;
    if (action !== null && live && !action.closed && isAction(action)) {
      const moved = action.schedule(undefined, delay);
      if (moved !== action) {
        // Another action took over (virtual time): the old one, left waiting as a no-op, goes, but not its successor.
        action.remove(moved);
        action.unsubscribe();
      }
      this.action = moved;
      return;
    }
    action?.unsubscribe();
    this.action = this.scheduler.schedule(this.run, delay);
  }

  /** Whether a run is due (set and not run yet). */
  get pending(): boolean {
    return this.waiting;
  }

  /** The run it was set for (if any) will not happen. */
  cancel(): void {
    this.waiting = false;
    this.action?.unsubscribe();
    this.action = null;
  }
}
