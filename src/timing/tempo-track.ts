/**
 * The integral of a deck's tempo over time: P(t), in beats, up to an unknown
 * constant. The beat position of the deck is `c + P(t)` for one constant `c`
 * the phase estimator has to find; because P carries every tempo change, a
 * constraint on `c` learned before a pitch ramp stays valid after it.
 *
 * The tempo is only sampled (one status packet per ~200 ms, §3 / §10), so a
 * change seen at `t` happened somewhere since the previous sample. It is
 * placed half-way between the two samples (exact for a linear ramp, off by at
 * most half the gap for a step), and that worst case is added to `slackBeats`
 * so the estimator can loosen older constraints by exactly that much. When the
 * caller knows better (a change of the track's own tempo happens on a beat),
 * it gives the instant and how far off it may be.
 */
import { MS_PER_MINUTE } from './beat-grid';

/** When a tempo change happened, as the caller knows it: the instant, and how far off it may be (ms). */
export interface KnownChange {
  readonly at: number;
  readonly withinMs: number;
}

/** Knots room is made for at first; doubled when full (a busy pitch fader adds one per status). */
const INITIAL_KNOTS = 16;

/**
 * P(t) as knots: from time `t[i]` (ms) the tempo is `bpm[i]`, and P at `t[i]`
 * is `p[i]` (beats). Held in columns rather than as one object per knot: a
 * tempo change per status packet would otherwise allocate one each, and
 * every P read would load boxed numbers. Both `t` and `p` ascend.
 */
export class TempoTrack {
  private t: Float64Array = new Float64Array(INITIAL_KNOTS);
  private p: Float64Array = new Float64Array(INITIAL_KNOTS);
  private tempo: Float64Array = new Float64Array(INITIAL_KNOTS);
  private count = 0;
  private slack = 0;
  /**
   * The latest tempo (the last knot's), or null before the first sample: the
   * number given to update(), kept as it came. Read several times per packet
   * and per beat: a number taken from the column and returned as `number |
   * null` would be boxed afresh on every read.
   */
  private latest: number | null = null;

  /** The latest tempo, or null before the first sample. */
  get bpm(): number | null {
    return this.latest;
  }

  /** Cumulative worst-case error (beats) the sampling of tempo changes may have put into P. */
  get slackBeats(): number {
    return this.slack;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  reset(): void {
    this.count = 0;
    this.latest = null;
  }

  /**
   * Records tempo `bpm` (> 0) sampled at `t`. `previousAt` is the time of the
   * previous sample of the same deck, or null when this is the first.
   * `changedAt`: when the change happened, to within `withinMs`, if known.
   */
  update(t: number, bpm: number, previousAt: number | null, changedAt: KnownChange | null = null): void {
    const last = this.count - 1;
    if (last < 0) {
      this.append(t, 0, bpm);
      return;
    }
    const lastT = this.t[last] as number;
    const lastBpm = this.tempo[last] as number;
    if (bpm === lastBpm) return;
    const since = previousAt === null ? t : Math.min(previousAt, t);
    const known = changedAt !== null && changedAt.at >= since && changedAt.at <= t && changedAt.withinMs < (t - since) / 2;
    const change = Math.max(lastT, known ? changedAt.at : (since + t) / 2);
    this.slack += (Math.abs(bpm - lastBpm) * (known ? changedAt.withinMs : (t - since) / 2)) / MS_PER_MINUTE;
    const p = this.position(change);
    if (change === lastT) {
      this.p[last] = p;
      this.tempo[last] = bpm;
      this.latest = bpm;
    } else {
      this.append(change, p, bpm);
    }
  }

  /** P(t). Before the first knot and after the last, extrapolates at the nearest tempo. Requires a sample. */
  position(t: number): number {
    const i = this.lastAtOrBefore(this.t, t);
    return (this.p[i] as number) + ((t - (this.t[i] as number)) * (this.tempo[i] as number)) / MS_PER_MINUTE;
  }

  /**
   * position(t), written into `out[index]`: for callers that ask with every
   * packet. A number returned from a call the optimiser leaves in place is a
   * new heap object each time; an element of a Float64Array is written in place.
   */
  positionInto(t: number, out: Float64Array, index: number): void {
    const i = this.lastAtOrBefore(this.t, t);
    out[index] = (this.p[i] as number) + ((t - (this.t[i] as number)) * (this.tempo[i] as number)) / MS_PER_MINUTE;
  }

  /** timeOf(p), written into `out[index]` (as positionInto). */
  timeOfInto(p: number, out: Float64Array, index: number): void {
    const i = this.lastAtOrBefore(this.p, p);
    out[index] = (this.t[i] as number) + ((p - (this.p[i] as number)) * MS_PER_MINUTE) / (this.tempo[i] as number);
  }

  /** The inverse of `position`: when P reaches `p`. Requires a sample. */
  timeOf(p: number): number {
    const i = this.lastAtOrBefore(this.p, p);
    return (this.t[i] as number) + ((p - (this.p[i] as number)) * MS_PER_MINUTE) / (this.tempo[i] as number);
  }

  /** Forgets knots no longer needed for times at or after `before` (always keeps one). */
  prune(before: number): void {
    let drop = 0;
    while (drop < this.count - 1 && (this.t[drop + 1] as number) <= before) drop++;
    if (drop > 0) {
      this.t.copyWithin(0, drop, this.count);
      this.p.copyWithin(0, drop, this.count);
      this.tempo.copyWithin(0, drop, this.count);
      this.count -= drop;
    }
  }

  /** Number of tempo segments held (for tests and diagnostics). */
  get segments(): number {
    return this.count;
  }

  private append(t: number, p: number, bpm: number): void {
    if (this.count === this.t.length) {
      this.t = grown(this.t);
      this.p = grown(this.p);
      this.tempo = grown(this.tempo);
    }
    this.t[this.count] = t;
    this.p[this.count] = p;
    this.tempo[this.count] = bpm;
    this.latest = bpm;
    this.count++;
  }

  /** The last knot whose `column` value is ≤ value, or the first knot when none is (a binary search; both columns ascend). */
  private lastAtOrBefore(column: Float64Array, value: number): number {
    if (this.count === 0) throw new RangeError('TempoTrack has no tempo sample yet');
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((column[mid] as number) <= value) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** A column twice as long, its values kept. */
function grown(column: Float64Array): Float64Array {
  const longer = new Float64Array(column.length * 2);
  longer.set(column);
  return longer;
}
