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

interface Knot {
  /** Time the tempo `bpm` starts (ms). */
  readonly t: number;
  /** P at `t` (beats). */
  readonly p: number;
  readonly bpm: number;
}

/** When a tempo change happened, as the caller knows it: the instant, and how far off it may be (ms). */
export interface KnownChange {
  readonly at: number;
  readonly withinMs: number;
}

export class TempoTrack {
  private knots: Knot[] = [];
  private slack = 0;

  /** The latest tempo, or null before the first sample. */
  get bpm(): number | null {
    return this.knots[this.knots.length - 1]?.bpm ?? null;
  }

  /** Cumulative worst-case error (beats) the sampling of tempo changes may have put into P. */
  get slackBeats(): number {
    return this.slack;
  }

  get empty(): boolean {
    return this.knots.length === 0;
  }

  reset(): void {
    this.knots = [];
  }

  /**
   * Records tempo `bpm` (> 0) sampled at `t`. `previousAt` is the time of the
   * previous sample of the same deck, or null when this is the first.
   * `changedAt`: when the change happened, to within `withinMs`, if known.
   */
  update(t: number, bpm: number, previousAt: number | null, changedAt: KnownChange | null = null): void {
    const last = this.knots[this.knots.length - 1];
    if (last === undefined) {
      this.knots.push({ t, p: 0, bpm });
      return;
    }
    if (bpm === last.bpm) return;
    const since = previousAt === null ? t : Math.min(previousAt, t);
    const known = changedAt !== null && changedAt.at >= since && changedAt.at <= t && changedAt.withinMs < (t - since) / 2;
    const change = Math.max(last.t, known ? changedAt.at : (since + t) / 2);
    this.slack += (Math.abs(bpm - last.bpm) * (known ? changedAt.withinMs : (t - since) / 2)) / MS_PER_MINUTE;
    const knot: Knot = { t: change, p: this.position(change), bpm };
    if (change === last.t) this.knots[this.knots.length - 1] = knot;
    else this.knots.push(knot);
  }

  /** P(t). Before the first knot and after the last, extrapolates at the nearest tempo. Requires a sample. */
  position(t: number): number {
    const k = this.knotAtTime(t);
    return k.p + ((t - k.t) * k.bpm) / MS_PER_MINUTE;
  }

  /** The inverse of `position`: when P reaches `p`. Requires a sample. */
  timeOf(p: number): number {
    const k = this.knotAtPosition(p);
    return k.t + ((p - k.p) * MS_PER_MINUTE) / k.bpm;
  }

  /** Forgets knots no longer needed for times at or after `before` (always keeps one). */
  prune(before: number): void {
    let drop = 0;
    while (drop < this.knots.length - 1 && (this.knots[drop + 1] as Knot).t <= before) drop++;
    if (drop > 0) {
      this.knots.copyWithin(0, drop);
      this.knots.length -= drop;
    }
  }

  /** Number of tempo segments held (for tests and diagnostics). */
  get segments(): number {
    return this.knots.length;
  }

  private knotAtTime(t: number): Knot {
    return this.lastKnotAtOrBefore('t', t);
  }

  private knotAtPosition(p: number): Knot {
    return this.lastKnotAtOrBefore('p', p);
  }

  /** The last knot whose `key` is ≤ value, or the first knot when none is (a binary search; knots ascend in both). */
  private lastKnotAtOrBefore(key: 't' | 'p', value: number): Knot {
    const knots = this.knots;
    if (knots.length === 0) throw new RangeError('TempoTrack has no tempo sample yet');
    let lo = 0;
    let hi = knots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((knots[mid] as Knot)[key] <= value) lo = mid;
      else hi = mid - 1;
    }
    return knots[lo] as Knot;
  }
}
