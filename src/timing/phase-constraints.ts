/**
 * The bounds the phase estimator has learned on the grid constant `c` (the
 * deck is at beat position `c + P(t)`, tempo-track.ts), and how they age.
 *
 * Each bound was exact when learned, up to the latency model; later it can be
 * wrong by as much as the tempo bookkeeping may have drifted since, so it is
 * widened by (a) the tempo-change slack accumulated since and (b) the tempo
 * resolution times the beats played since.
 */
import { intersect, Interval, type Region } from './phase-intervals';

export interface PhaseConstraint extends Interval {
  /** Arrival time of the observation (ms). */
  readonly at: number;
  /** Tempo slack (beats) and P(at) when it was learned. */
  readonly slackAt: number;
  readonly positionAt: number;
  /** Carried across a jump on the hypothesis that the jump kept the phase. */
  readonly prior: boolean;
}

/** The state of the tempo bookkeeping at the instant bounds are evaluated. */
export interface Aging {
  /** P now. */
  readonly position: number;
  /** Tempo slack now. */
  readonly slack: number;
  /** Relative tempo error allowed per beat. */
  readonly resolution: number;
}

export interface PhaseEstimate {
  /** Where the bounds learned since the last jump agree. */
  readonly current: Interval | null;
  /** The estimate: `current`, narrowed by the pre-jump bounds while they agree with it. */
  readonly region: Interval | null;
  /** Where the pre-jump bounds agree with `current` (null when there are none, or they disagreed and were dropped). */
  readonly held: Interval | null;
}

export function widening(c: PhaseConstraint, aging: Aging): number {
  return aging.slack - c.slackAt + aging.resolution * Math.abs(aging.position - c.positionAt);
}

export function widened(c: PhaseConstraint, aging: Aging): Interval {
  const w = widening(c, aging);
  return { lo: c.lo - w, hi: c.hi + w };
}

export class ConstraintSet {
  private items: PhaseConstraint[] = [];
  /** Reused by estimate() (it runs for every packet): callers read it at once and keep only the intervals in it. */
  private readonly result: { current: Interval | null; region: Interval | null; held: Interval | null } = { current: null, region: null, held: null };

  get size(): number {
    return this.items.length;
  }

  get oldestAt(): number | null {
    return this.items[0]?.at ?? null;
  }

  add(c: PhaseConstraint): void {
    this.items.push(c);
  }

  clear(): void {
    // An empty set stays as it is (cleared with every status of a deck whose track BPM moves, when nothing was learned).
    if (this.items.length > 0) this.items = [];
  }

  /** Moves every bound by `beats` whole beats and marks it as a pre-jump hypothesis. */
  shift(beats: number): void {
    this.items = this.items.map((c) => ({ ...c, lo: c.lo + beats, hi: c.hi + beats, prior: true }));
  }

  /**
   * Drops bounds that a trusted bound contradicts: upper bounds below `lo`, or lower bounds above `hi`.
   * Compacted in place, each bound widened as a number (no interval built): this runs whenever the phase moves.
   */
  dropContradicted(trusted: Interval, aging: Aging): number {
    const items = this.items;
    let kept = 0;
    for (let i = 0; i < items.length; i++) {
      const c = items[i] as PhaseConstraint;
      const w = widening(c, aging);
      if (c.hi + w >= trusted.lo && c.lo - w <= trusted.hi) items[kept++] = c;
    }
    const dropped = items.length - kept;
    if (dropped > 0) items.length = kept;
    return dropped;
  }

  /** Forgets bounds learned before `at` (compacted in place). */
  forgetBefore(at: number): void {
    const items = this.items;
    let kept = 0;
    for (let i = 0; i < items.length; i++) {
      const c = items[i] as PhaseConstraint;
      if (c.at >= at) items[kept++] = c;
    }
    if (kept < items.length) items.length = kept;
  }

  /** Forgets bounds older than `maxAgeMs`, wider than `maxWidth` beats once aged, and beyond `maxCount`. */
  prune(now: number, aging: Aging, maxAgeMs: number, maxWidth: number, maxCount: number): void {
    const items = this.items;
    let kept = 0;
    for (let i = 0; i < items.length; i++) {
      const c = items[i] as PhaseConstraint;
      if (now - c.at <= maxAgeMs && !(c.hi - c.lo + 2 * widening(c, aging) > maxWidth)) items[kept++] = c;
    }
    const drop = kept > maxCount ? kept - maxCount : 0;
    if (drop > 0) items.copyWithin(0, drop, kept);
    // Most packets drop nothing: setting the length anyway is a call into the runtime per packet.
    if (items.length !== kept - drop) items.length = kept - drop;
  }

  /**
   * Keeps at most `maxCount` bounds that do not age: the newest half, and of
   * the older ones those with the greatest lower ends and the least upper
   * ends, which are what sets the region.
   */
  keepBest(maxCount: number): void {
    const items = this.items;
    if (items.length <= maxCount) return;
    const newest = Math.floor(maxCount / 2);
    const older = items.slice(0, items.length - newest);
    const each = Math.floor((maxCount - newest) / 2);
    const keep = new Set<PhaseConstraint>([
      ...[...older].sort((a, b) => b.lo - a.lo).slice(0, each),
      ...[...older].sort((a, b) => a.hi - b.hi).slice(0, maxCount - newest - each),
    ]);
    this.items = [...older.filter((c) => keep.has(c)), ...items.slice(items.length - newest)];
  }

  /** The estimate from the bounds, in an object reused by the next call (its intervals are fresh). */
  estimate(aging: Aging): PhaseEstimate {
    const current = trustedLowRegion(this.items, false, aging);
    const held = current === null ? null : trustedLowRegion(this.items, true, aging);
    const agreed = held === null || current === null ? null : intersect(held, current);
    if (held !== null && agreed === null) this.items = this.items.filter((c) => !c.prior);
    const result = this.result;
    result.current = current;
    result.region = agreed ?? current;
    result.held = agreed;
    return result;
  }
}

/**
 * For bounds whose lower ends are trusted and whose upper ends may be too low
 * (a packet later than assumed pulls only its upper end down): the greatest
 * lower end, and the least upper end not below it. Upper ends below a proven
 * lower end are ignored, so late packets can narrow the region but never move
 * it below a proven bound. Null for no intervals.
 * Taken over the widened bounds with the given `prior` flag, read in place
 * (no intervals are built: this runs for every packet).
 */
export function trustedLowRegion(items: readonly PhaseConstraint[], prior: boolean, aging: Aging): Region | null {
  let lo = -Infinity;
  let any = false;
  for (let i = 0; i < items.length; i++) {
    const c = items[i] as PhaseConstraint;
    if (c.prior !== prior) continue;
    any = true;
    const l = c.lo - widening(c, aging);
    if (l > lo) lo = l;
  }
  if (!any) return null;
  let hi = Infinity;
  let count = 0;
  for (let i = 0; i < items.length; i++) {
    const c = items[i] as PhaseConstraint;
    if (c.prior !== prior) continue;
    const h = c.hi + widening(c, aging);
    if (h < lo) continue;
    count++;
    if (h < hi) hi = h;
  }
  return { lo, hi, count };
}
