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

/**
 * For bounds whose lower ends are trusted and whose upper ends may be too low
 * (a packet later than assumed pulls only its upper end down): the greatest
 * lower end, and the least upper end not below it. Upper ends below a proven
 * lower end are ignored, so late packets can narrow the region but never move
 * it below a proven bound. Null for no intervals.
 */
export function trustedLowRegion(intervals: readonly Interval[]): Region | null {
  if (intervals.length === 0) return null;
  let lo = -Infinity;
  for (const i of intervals) if (i.lo > lo) lo = i.lo;
  let hi = Infinity;
  let count = 0;
  for (const i of intervals) {
    if (i.hi < lo) continue;
    count++;
    if (i.hi < hi) hi = i.hi;
  }
  return { lo, hi, count };
}
