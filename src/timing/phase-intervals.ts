/**
 * Interval arithmetic for the phase estimator. Each observation bounds the
 * grid constant `c` (see tempo-track.ts) to an interval; the estimate is where
 * they agree, taking into account which ends can be wrong.
 */

export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

export interface Region extends Interval {
  /** How many input intervals contain the region. */
  readonly count: number;
}

export function intersect(a: Interval, b: Interval): Interval | null {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : null;
}

export function midpoint(i: Interval): number {
  return (i.lo + i.hi) / 2;
}
