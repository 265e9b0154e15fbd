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

/** An interval whose ends are written in place (an owner reuses one for every packet). */
export type MutableInterval = { -readonly [K in keyof Interval]: Interval[K] };

export function intersect(a: Interval, b: Interval): Interval | null {
  const out = { lo: 0, hi: 0 };
  return intersectInto(out, a, b) ? out : null;
}

/** intersect(a, b), written into `out` (which may be `a` or `b`); false (and `out` left as it was) where that is null. */
export function intersectInto(out: MutableInterval, a: Interval, b: Interval): boolean {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  if (!(lo <= hi)) return false;
  out.lo = lo;
  out.hi = hi;
  return true;
}

export function midpoint(i: Interval): number {
  return (i.lo + i.hi) / 2;
}
