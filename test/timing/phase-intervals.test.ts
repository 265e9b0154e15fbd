import { intersect, intersectInto, midpoint, type Interval } from '../../src/timing/phase-intervals';
import { ConstraintSet, emptyEstimate, trustedLowRegion as region, type Aging, type PhaseConstraint } from '../../src/timing/phase-constraints';

/** Bounds learned just now (no widening), none carried across a jump. */
const NOW: Aging = { position: 0, slack: 0, resolution: 1e-4 };
const fresh = (i: Interval, prior = false): PhaseConstraint => ({ ...i, at: 0, slackAt: 0, positionAt: 0, prior });
const trustedLowRegion = (intervals: readonly Interval[]): ReturnType<typeof region> => region(intervals.map((i) => fresh(i)), false, NOW);

describe('trustedLowRegion (lower ends proven, upper ends may be too low)', () => {
  it('is the plain intersection when every interval agrees', () => {
    expect(trustedLowRegion([
      { lo: 0, hi: 10 },
      { lo: 4, hi: 12 },
      { lo: 2, hi: 9 },
    ])).toEqual({ lo: 4, hi: 9, count: 3 });
  });

  it('ignores upper ends below the greatest lower end: late packets can narrow, never drag it down', () => {
    const honest = [
      { lo: 0, hi: 10 },
      { lo: 4, hi: 12 },
      { lo: 2, hi: 9 },
    ];
    // Four late packets agree on a region below 4 — more than the honest three. Still [4, 5]:
    // only the one whose upper end lies above the proven lower end narrows the region.
    const late = [...honest, { lo: -6, hi: 1 }, { lo: -5, hi: 2 }, { lo: -4, hi: 3 }, { lo: -2, hi: 5 }];
    expect(trustedLowRegion(late)).toEqual({ lo: 4, hi: 5, count: 4 });
    expect(trustedLowRegion([{ lo: 5, hi: 6 }, { lo: 0, hi: 1 }, { lo: 0.5, hi: 2 }])).toEqual({ lo: 5, hi: 6, count: 1 });
  });

  it('is null for no intervals and handles unbounded ends', () => {
    expect(trustedLowRegion([])).toBeNull();
    expect(region([fresh({ lo: 0, hi: 1 }, true)], false, NOW)).toBeNull(); // only bounds of the other kind
    expect(trustedLowRegion([{ lo: -Infinity, hi: 3 }, { lo: 1, hi: Infinity }])).toEqual({ lo: 1, hi: 3, count: 2 });
  });
});

describe('trustedLowRegion of aged bounds', () => {
  it('widens each bound by the slack and the beats played since it was learned', () => {
    const old: PhaseConstraint = { lo: 4, hi: 5, at: 0, slackAt: 0.01, positionAt: 0, prior: false };
    // Now: slack 0.03 (0.02 gained) and 100 beats on (100 × 1e-4 = 0.01): widened by 0.03 on each side.
    const r = region([old], false, { position: 100, slack: 0.03, resolution: 1e-4 });
    expect(r?.lo).toBeCloseTo(3.97, 12);
    expect(r?.hi).toBeCloseTo(5.03, 12);
    expect(r?.count).toBe(1);
  });
});

describe('interval helpers', () => {
  it('intersects (touching ends agree) and finds midpoints', () => {
    expect(intersect({ lo: 0, hi: 2 }, { lo: 1, hi: 3 })).toEqual({ lo: 1, hi: 2 });
    expect(intersect({ lo: 0, hi: 1 }, { lo: 2, hi: 3 })).toBeNull();
    expect(intersect({ lo: 0, hi: 1 }, { lo: 1, hi: 2 })).toEqual({ lo: 1, hi: 1 }); // touching ends agree
    expect(midpoint({ lo: 2, hi: 5 })).toBe(3.5);
  });

  it('intersects in place, into one of its own operands, and leaves the target as it was where they do not meet', () => {
    const a = { lo: 0, hi: 2 };
    expect(intersectInto(a, a, { lo: 1, hi: 3 })).toBe(true);
    expect(a).toEqual({ lo: 1, hi: 2 });
    expect(intersectInto(a, a, { lo: 5, hi: 6 })).toBe(false);
    expect(a).toEqual({ lo: 1, hi: 2 });
  });
});

describe('ConstraintSet.estimateInto (the estimate written in place)', () => {
  const bound = (lo: number, hi: number, prior: boolean): PhaseConstraint => ({ lo, hi, at: 0, slackAt: 0, positionAt: 0, prior });

  it('says what estimate() says, and estimate() still answers with intervals of its own', () => {
    const set = new ConstraintSet();
    set.add(bound(0.2, 0.9, false));
    set.add(bound(0.1, 0.6, true)); // a pre-jump bound agreeing with the new ones: it narrows the estimate
    const slots = emptyEstimate();
    set.estimateInto(NOW, slots);
    expect(slots).toMatchObject({ hasCurrent: true, current: { lo: 0.2, hi: 0.9, count: 1 }, hasHeld: true, held: { lo: 0.2, hi: 0.6 } });
    const { current, region: agreed, held } = set.estimate(NOW);
    expect(current).toEqual({ lo: 0.2, hi: 0.9, count: 1 });
    expect(held).toEqual({ lo: 0.2, hi: 0.6 });
    expect(agreed).toBe(held);
    set.add(bound(0.3, 0.5, false));
    set.estimate(NOW);
    expect(current).toEqual({ lo: 0.2, hi: 0.9, count: 1 }); // kept by a caller, not overwritten by the next estimate
    expect(held).toEqual({ lo: 0.2, hi: 0.6 });
  });

  it('drops the pre-jump bounds where they disagree, and says nothing where there are no bounds', () => {
    const set = new ConstraintSet();
    const slots = emptyEstimate();
    set.estimateInto(NOW, slots);
    expect(slots).toMatchObject({ hasCurrent: false, hasHeld: false });
    set.add(bound(0.2, 0.4, false));
    set.add(bound(0.6, 0.8, true));
    set.estimateInto(NOW, slots);
    expect(slots).toMatchObject({ hasCurrent: true, current: { lo: 0.2, hi: 0.4 }, hasHeld: false });
    expect(set.size).toBe(1);
  });
});

describe('ConstraintSet.keepBest (bounds that do not age)', () => {
  it('keeps the newest half and, of the older ones, the greatest lower ends and least upper ends: the region stays', () => {
    const set = new ConstraintSet();
    // 100 old bounds around 0.5, two of them tight (lo 0.49, hi 0.51), then 10 loose new ones.
    for (let i = 0; i < 100; i++) set.add({ lo: i === 37 ? 0.49 : -0.5 + i / 1000, hi: i === 61 ? 0.51 : 1.5 - i / 1000, at: i, slackAt: 0, positionAt: 0, prior: false });
    for (let i = 0; i < 10; i++) set.add({ lo: 0, hi: 1, at: 100 + i, slackAt: 0, positionAt: 0, prior: false });
    expect(set.estimate(NOW).region).toMatchObject({ lo: 0.49, hi: 0.51 });
    set.keepBest(20);
    expect(set.size).toBeLessThanOrEqual(20);
    expect(set.size).toBeGreaterThanOrEqual(10);
    expect(set.estimate(NOW).region).toMatchObject({ lo: 0.49, hi: 0.51 });
  });
});
