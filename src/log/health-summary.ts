/**
 * Prints the health summary at info level once per window (10 s by
 * default), only for windows in which something was skipped or dropped.
 */
import { interval, type SchedulerLike, type Subscription } from 'rxjs';
import { describeHealth, HEALTH_KINDS, type HealthCounters, type HealthKind } from './health-counters';

export const HEALTH_WINDOW_MS = 10_000;

export interface HealthSummaryOptions {
  readonly scheduler: SchedulerLike;
  readonly windowMs?: number;
  readonly kinds?: Readonly<Record<string, HealthKind>>;
}

export function logHealthSummary(health: HealthCounters, info: (line: string) => void, options: HealthSummaryOptions): Subscription {
  const windowMs = options.windowMs ?? HEALTH_WINDOW_MS;
  const kinds = options.kinds ?? HEALTH_KINDS;
  return interval(windowMs, options.scheduler).subscribe(() => {
    const line = describeHealth(health.take(), windowMs, kinds);
    if (line !== null) info(line);
  });
}
