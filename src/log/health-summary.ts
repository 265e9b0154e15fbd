/**
 * Prints the health summary at info level once per window (10 s by
 * default), only for windows in which something was skipped or dropped.
 * The windows lie on a grid from the start, as interval(windowMs) ticks;
 * the timer is set only for the end of a window in which something was
 * counted, so a healthy bridge is not woken every window for nothing.
 */
import type { SchedulerLike } from 'rxjs';
import { Subscription } from '../rx';
import { describeHealth, HEALTH_KINDS, type HealthCounters, type HealthKind } from './health-counters';

export const HEALTH_WINDOW_MS = 10_000;

export interface HealthSummaryOptions {
  readonly scheduler: SchedulerLike;
  readonly windowMs?: number;
  readonly kinds?: Readonly<Record<string, HealthKind>>;
}

/** The end of the window of the grid (windows of `windowMs` from `start`) that `now` falls in; an instant on the grid begins a window. */
export function windowEnd(start: number, windowMs: number, now: number): number {
  return start + (Math.floor((now - start) / windowMs) + 1) * windowMs;
}

export function logHealthSummary(health: HealthCounters, info: (line: string) => void, options: HealthSummaryOptions): Subscription {
  const { scheduler } = options;
  const windowMs = options.windowMs ?? HEALTH_WINDOW_MS;
  const kinds = options.kinds ?? HEALTH_KINDS;
  const start = scheduler.now();
  const subscription = new Subscription();
  let timer: Subscription | null = null;
  const summarise = (): void => {
    timer = null;
    const line = describeHealth(health.take(), windowMs, kinds);
    if (line !== null) info(line);
  };
  const arm = (): void => {
    if (timer !== null || subscription.closed) return;
    const now = scheduler.now();
    timer = scheduler.schedule(summarise, windowEnd(start, windowMs, now) - now);
  };
  subscription.add(health.whenCounted(arm));
  subscription.add(() => timer?.unsubscribe());
  if (health.counted) arm();
  return subscription;
}
