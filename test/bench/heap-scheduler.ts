/**
 * Virtual time for the allocation bench, costing per schedule about what the
 * bridge's scheduler does in production, so the bench does not charge the
 * code under test for the ruler.
 *
 * Production runs on asyncScheduler: a schedule is one AsyncAction and a
 * Node timer, and an action that schedules itself again (`this.schedule()`,
 * as rxjs's own timers do, or a holder of the action) is the same object.
 * rxjs's VirtualTimeScheduler is not: every schedule pushes onto an array and
 * sorts it (V8's sort allocates a work copy, hundreds of bytes with a few
 * actions queued), and a reschedule makes a new action. Here actions wait in
 * a binary heap (no sort, no copy), ordered as VirtualTimeScheduler orders
 * them (by instant, then by when they were scheduled), and `schedule()` on an
 * action, queued or running, moves that same object.
 */
import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

type Work<T> = (this: SchedulerAction<T>, state?: T) => void;

/** What the heap knows of an action. */
interface Queued {
  /** When it runs, and the order it was scheduled in (ties run first come, first served). */
  due: number;
  seq: number;
  /** Its place in the heap; −1 while not queued. */
  slot: number;
  execute(): void;
}

class HeapAction<T> extends Subscription implements SchedulerAction<T>, Queued {
  due = 0;
  seq = 0;
  slot = -1;
  private state: T | undefined = undefined;

  constructor(
    private readonly scheduler: HeapScheduler,
    private readonly work: Work<T>,
  ) {
    super();
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.scheduler.enqueue(this, delay);
    return this;
  }

  /** Runs the work; an action that threw is unsubscribed, as rxjs does. */
  execute(): void {
    if (this.closed) return;
    try {
      this.work(this.state);
    } catch (error: unknown) {
      this.unsubscribe();
      throw error;
    }
  }

  override unsubscribe(): void {
    if (this.closed) return;
    this.scheduler.dequeue(this);
    super.unsubscribe();
  }
}

export class HeapScheduler implements SchedulerLike {
  private time = 0;
  private seq = 0;
  private readonly heap: Queued[] = [];

  now(): number {
    return this.time;
  }

  schedule<T>(work: Work<T>, delay = 0, state?: T): Subscription {
    return new HeapAction<T>(this, work).schedule(state, delay);
  }

  /** Runs every action in time order, including those scheduled meanwhile, until none is left. */
  flush(): void {
    for (;;) {
      const first = this.heap[0];
      if (first === undefined) return;
      this.dequeue(first);
      this.time = Math.max(this.time, first.due);
      first.execute();
    }
  }

  /** Queues `action` (again) `delay` ms from now. */
  enqueue(action: Queued, delay: number): void {
    action.due = this.time + Math.max(0, delay);
    action.seq = this.seq++;
    if (action.slot < 0) {
      action.slot = this.heap.length;
      this.heap.push(action);
      this.up(action.slot);
    } else if (!this.up(action.slot)) {
      this.down(action.slot);
    }
  }

  dequeue(action: Queued): void {
    const i = action.slot;
    if (i < 0) return;
    action.slot = -1;
    const last = this.heap.pop() as Queued;
    if (last === action) return;
    this.heap[i] = last;
    last.slot = i;
    if (!this.up(i)) this.down(i);
  }

  private before(a: Queued, b: Queued): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private place(action: Queued, i: number): void {
    this.heap[i] = action;
    action.slot = i;
  }

  /** Moves the action at `i` up while it runs before its parent; whether it moved. */
  private up(i: number): boolean {
    const heap = this.heap;
    const action = heap[i] as Queued;
    let at = i;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = heap[parent] as Queued;
      if (!this.before(action, above)) break;
      this.place(above, at);
      at = parent;
    }
    this.place(action, at);
    return at !== i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const action = heap[i] as Queued;
    let at = i;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && this.before(heap[right] as Queued, heap[left] as Queued) ? right : left;
      const below = heap[child] as Queued;
      if (!this.before(below, action)) break;
      this.place(below, at);
      at = child;
    }
    this.place(action, at);
  }
}
