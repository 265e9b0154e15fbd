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

/** A bound whose numbers are written in place: what the estimator fills for each packet and the set copies. */
export type MutableConstraint = { -readonly [K in keyof PhaseConstraint]: PhaseConstraint[K] };

export function widening(c: PhaseConstraint, aging: Aging): number {
  return aging.slack - c.slackAt + aging.resolution * Math.abs(aging.position - c.positionAt);
}

export function widened(c: PhaseConstraint, aging: Aging): Interval {
  const w = widening(c, aging);
  return { lo: c.lo - w, hi: c.hi + w };
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
  /** Reused by estimate() (it runs for every packet): callers read it at once and keep only the intervals in it. */
  private readonly result: { current: Interval | null; region: Interval | null; held: Interval | null } = { current: null, region: null, held: null };

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
    const current = this.region(false, aging);
    const held = current === null ? null : this.region(true, aging);
    const agreed = held === null || current === null ? null : intersect(held, current);
    if (held !== null && agreed === null) this.dropPrior();
    const result = this.result;
    result.current = current;
    result.region = agreed ?? current;
    result.held = agreed;
    return result;
  }

  /** trustedLowRegion of the bounds with the given `prior` flag, read in place. */
  region(prior: boolean, aging: Aging): Region | null {
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
    if (!any) return null;
    let hi = Infinity;
    let count = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.prior[i] !== flag) continue;
      const h = (this.hi[i] as number) + (slack - (this.slackAt[i] as number) + resolution * Math.abs(position - (this.positionAt[i] as number)));
      if (h < lo) continue;
      count++;
      if (h < hi) hi = h;
    }
    return { lo, hi, count };
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
