/**
 * The bounds the phase estimator has learned on the grid constant `c` (the
 * deck is at beat position `c + P(t)`, tempo-track.ts), and how they age.
 *
 * Each bound was exact when learned, up to the latency model; later it can be
 * wrong by as much as the tempo bookkeeping may have drifted since, so it is
 * widened by (a) the tempo-change slack accumulated since and (b) the tempo
 * resolution times the beats played since.
 */
import { intersectInto, Interval, type MutableInterval, type Region } from './phase-intervals';

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

/** A bound whose numbers are written in place: what the estimator fills for each packet and the set copies. */
export type MutableConstraint = { -readonly [K in keyof PhaseConstraint]: PhaseConstraint[K] };

/** A region whose numbers are written in place (ConstraintSet.regionInto). */
export type MutableRegion = { -readonly [K in keyof Region]: Region[K] };

/**
 * A PhaseEstimate written in place (ConstraintSet.estimateInto), for an owner
 * that estimates with every packet: the intervals are the owner's, the flags
 * say which of them hold (false where PhaseEstimate has null), and `region`
 * is `held` where that holds, else `current`.
 */
export interface EstimateSlots {
  readonly current: MutableRegion;
  hasCurrent: boolean;
  /** Its `count` is that of the pre-jump bounds alone, before they were narrowed to `current` (not part of the estimate). */
  readonly held: MutableRegion;
  hasHeld: boolean;
}

/** Slots for estimateInto, nothing in them yet. */
export function emptyEstimate(): EstimateSlots {
  // NaN, not 0: the ends are doubles from the start (a field that first held a small integer is changed over at the first fraction).
  return { current: { lo: NaN, hi: NaN, count: 0 }, hasCurrent: false, held: { lo: NaN, hi: NaN, count: 0 }, hasHeld: false };
}

export function widening(c: PhaseConstraint, aging: Aging): number {
  return aging.slack - c.slackAt + aging.resolution * Math.abs(aging.position - c.positionAt);
}

export function widened(c: PhaseConstraint, aging: Aging): Interval {
  return widenedInto({ lo: 0, hi: 0 }, c, aging);
}

/** widened(c, aging), written into `out`. */
export function widenedInto(out: MutableInterval, c: PhaseConstraint, aging: Aging): Interval {
  const w = widening(c, aging);
  out.lo = c.lo - w;
  out.hi = c.hi + w;
  return out;
}

/** Bounds room is made for at first; doubled when full. */
const INITIAL_BOUNDS = 32;

/**
 * The bounds, oldest first. Held in columns rather than as one object per
 * bound (as TempoTrack holds its knots): a status packet adds one, which
 * would otherwise be an object kept for seconds, and every pass over the
 * bounds would load boxed numbers. The passes write widening() out inline:
 * a call the optimiser leaves in place boxes its result, once per bound.
 */
export class ConstraintSet {
  private lo: Float64Array = new Float64Array(INITIAL_BOUNDS);
  private hi: Float64Array = new Float64Array(INITIAL_BOUNDS);
  private at: Float64Array = new Float64Array(INITIAL_BOUNDS);
  private slackAt: Float64Array = new Float64Array(INITIAL_BOUNDS);
  private positionAt: Float64Array = new Float64Array(INITIAL_BOUNDS);
  /** 1: carried across a jump (PhaseConstraint.prior). */
  private prior: Uint8Array = new Uint8Array(INITIAL_BOUNDS);
  private count = 0;
  /** Reused by estimate(): callers read it at once and keep only the (fresh) intervals in it. */
  private readonly result: { current: Interval | null; region: Interval | null; held: Interval | null } = { current: null, region: null, held: null };
  /** Reused by estimate(), which copies the intervals out of it. */
  private readonly slots: EstimateSlots = emptyEstimate();

  get size(): number {
    return this.count;
  }

  get oldestAt(): number | null {
    return this.count === 0 ? null : (this.at[0] as number);
  }

  /** Keeps the numbers of `c` (not `c`: the caller may reuse it). */
  add(c: PhaseConstraint): void {
    if (this.count === this.lo.length) this.grow();
    const i = this.count++;
    this.lo[i] = c.lo;
    this.hi[i] = c.hi;
    this.at[i] = c.at;
    this.slackAt[i] = c.slackAt;
    this.positionAt[i] = c.positionAt;
    this.prior[i] = c.prior ? 1 : 0;
  }

  clear(): void {
    this.count = 0;
  }

  /** Moves every bound by `beats` whole beats and marks it as a pre-jump hypothesis. */
  shift(beats: number): void {
    for (let i = 0; i < this.count; i++) {
      this.lo[i] = (this.lo[i] as number) + beats;
      this.hi[i] = (this.hi[i] as number) + beats;
      this.prior[i] = 1;
    }
  }

  /**
   * Drops bounds that a trusted bound contradicts: upper bounds below `lo`, or lower bounds above `hi`.
   * Compacted in place, each bound widened as a number (no interval built): this runs whenever the phase moves.
   */
  dropContradicted(trusted: Interval, aging: Aging): number {
    const before = this.count;
    const { slack, resolution, position } = aging;
    let kept = 0;
    for (let i = 0; i < before; i++) {
      const w = slack - (this.slackAt[i] as number) + resolution * Math.abs(position - (this.positionAt[i] as number));
      if ((this.hi[i] as number) + w >= trusted.lo && (this.lo[i] as number) - w <= trusted.hi) this.move(i, kept++);
    }
    this.count = kept;
    return before - kept;
  }

  /** Forgets bounds learned before `at` (compacted in place). */
  forgetBefore(at: number): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) if ((this.at[i] as number) >= at) this.move(i, kept++);
    this.count = kept;
  }

  /** Forgets bounds older than `maxAgeMs`, wider than `maxWidth` beats once aged, and beyond `maxCount`. */
  prune(now: number, aging: Aging, maxAgeMs: number, maxWidth: number, maxCount: number): void {
    const { slack, resolution, position } = aging;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const w = slack - (this.slackAt[i] as number) + resolution * Math.abs(position - (this.positionAt[i] as number));
      if (now - (this.at[i] as number) <= maxAgeMs && !((this.hi[i] as number) - (this.lo[i] as number) + 2 * w > maxWidth)) this.move(i, kept++);
    }
    const drop = kept > maxCount ? kept - maxCount : 0;
    for (let i = drop; i < kept; i++) this.move(i, i - drop);
    this.count = kept - drop;
  }

  /**
   * Keeps at most `maxCount` bounds that do not age: the newest half, and of
   * the older ones those with the greatest lower ends and the least upper
   * ends, which are what sets the region.
   */
  keepBest(maxCount: number): void {
    const count = this.count;
    if (count <= maxCount) return;
    const newest = Math.floor(maxCount / 2);
    const older = count - newest;
    const each = Math.floor((maxCount - newest) / 2);
    const indices = Array.from({ length: older }, (_, i) => i);
    const keep = new Uint8Array(older);
    for (const i of [...indices].sort((a, b) => (this.lo[b] as number) - (this.lo[a] as number)).slice(0, each)) keep[i] = 1;
    for (const i of [...indices].sort((a, b) => (this.hi[a] as number) - (this.hi[b] as number)).slice(0, maxCount - newest - each)) keep[i] = 1;
    let kept = 0;
    for (let i = 0; i < older; i++) if (keep[i] === 1) this.move(i, kept++);
    for (let i = older; i < count; i++) this.move(i, kept++);
    this.count = kept;
  }

  /** The estimate from the bounds, in an object reused by the next call (its intervals are fresh). */
  estimate(aging: Aging): PhaseEstimate {
    const slots = this.slots;
    this.estimateInto(aging, slots);
    const current = slots.hasCurrent ? { lo: slots.current.lo, hi: slots.current.hi, count: slots.current.count } : null;
    const agreed = slots.hasHeld ? { lo: slots.held.lo, hi: slots.held.hi } : null;
    const result = this.result;
    result.current = current;
    result.region = agreed ?? current;
    result.held = agreed;
    return result;
  }

  /**
   * estimate(aging), written into `out` (the phase estimator's, reused for
   * every packet: fresh intervals would be garbage by the next one). Where
   * the pre-jump bounds disagree with the others, they are dropped.
   */
  estimateInto(aging: Aging, out: EstimateSlots): void {
    const current = this.regionInto(out.current, false, aging);
    const held = current && this.regionInto(out.held, true, aging);
    const agreed = held && intersectInto(out.held, out.held, out.current);
    if (held && !agreed) this.dropPrior();
    out.hasCurrent = current;
    out.hasHeld = agreed;
  }

  /** trustedLowRegion of the bounds with the given `prior` flag, read in place. */
  region(prior: boolean, aging: Aging): Region | null {
    const out = { lo: 0, hi: 0, count: 0 };
    return this.regionInto(out, prior, aging) ? out : null;
  }

  /** region(prior, aging), written into `out`; false (and `out` left as it was) where that is null. */
  regionInto(out: MutableRegion, prior: boolean, aging: Aging): boolean {
    const flag = prior ? 1 : 0;
    const { slack, resolution, position } = aging;
    let lo = -Infinity;
    let any = false;
    for (let i = 0; i < this.count; i++) {
      if (this.prior[i] !== flag) continue;
      any = true;
      const l = (this.lo[i] as number) - (slack - (this.slackAt[i] as number) + resolution * Math.abs(position - (this.positionAt[i] as number)));
      if (l > lo) lo = l;
    }
    if (!any) return false;
    let hi = Infinity;
    let count = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.prior[i] !== flag) continue;
      const h = (this.hi[i] as number) + (slack - (this.slackAt[i] as number) + resolution * Math.abs(position - (this.positionAt[i] as number)));
      if (h < lo) continue;
      count++;
      if (h < hi) hi = h;
    }
    out.lo = lo;
    out.hi = hi;
    out.count = count;
    return true;
  }

  /** The pre-jump hypothesis is dropped: the bounds carried across the jump go. */
  private dropPrior(): void {
    let kept = 0;
    for (let i = 0; i < this.count; i++) if (this.prior[i] === 0) this.move(i, kept++);
    this.count = kept;
  }

  /** Bound `from` to place `to` (≤ from), for compacting in order. */
  private move(from: number, to: number): void {
    if (from === to) return;
    this.lo[to] = this.lo[from] as number;
    this.hi[to] = this.hi[from] as number;
    this.at[to] = this.at[from] as number;
    this.slackAt[to] = this.slackAt[from] as number;
    this.positionAt[to] = this.positionAt[from] as number;
    this.prior[to] = this.prior[from] as number;
  }

  private grow(): void {
    this.lo = grown(this.lo);
    this.hi = grown(this.hi);
    this.at = grown(this.at);
    this.slackAt = grown(this.slackAt);
    this.positionAt = grown(this.positionAt);
    const prior = new Uint8Array(this.prior.length * 2);
    prior.set(this.prior);
    this.prior = prior;
  }
}

/** A column twice as long, its values kept. */
function grown(column: Float64Array): Float64Array {
  const longer = new Float64Array(column.length * 2);
  longer.set(column);
  return longer;
}

/**
 * For bounds whose lower ends are trusted and whose upper ends may be too low
 * (a packet later than assumed pulls only its upper end down): the greatest
 * lower end, and the least upper end not below it. Upper ends below a proven
 * lower end are ignored, so late packets can narrow the region but never move
 * it below a proven bound. Null for no intervals.
 * Taken over the widened bounds with the given `prior` flag.
 */
export function trustedLowRegion(items: readonly PhaseConstraint[], prior: boolean, aging: Aging): Region | null {
  const set = new ConstraintSet();
  for (const c of items) set.add(c);
  return set.region(prior, aging);
}
