import { intersect, midpoint, trustedLowRegion } from '../../src/timing/phase-intervals';

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
    expect(trustedLowRegion([{ lo: -Infinity, hi: 3 }, { lo: 1, hi: Infinity }])).toEqual({ lo: 1, hi: 3, count: 2 });
  });
});

describe('interval helpers', () => {
  it('intersects (touching ends agree) and finds midpoints', () => {
    expect(intersect({ lo: 0, hi: 2 }, { lo: 1, hi: 3 })).toEqual({ lo: 1, hi: 2 });
    expect(intersect({ lo: 0, hi: 1 }, { lo: 2, hi: 3 })).toBeNull();
    expect(intersect({ lo: 0, hi: 1 }, { lo: 1, hi: 2 })).toEqual({ lo: 1, hi: 1 }); // touching ends agree
    expect(midpoint({ lo: 2, hi: 5 })).toBe(3.5);
  });
});
