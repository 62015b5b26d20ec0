import { contrastRatio, noDataFill, quantizeScale, sequentialBlues, statusFills, textOn } from './colour-scales';

describe('quantizeScale', () => {
  const scale = quantizeScale(0, 100);

  it('puts values in equal-width bins, one per colour, low light and high dark', () => {
    expect(scale.bins).toHaveLength(5);
    expect(scale.bins.map((b) => [b.from, b.to])).toEqual([
      [0, 20],
      [20, 40],
      [40, 60],
      [60, 80],
      [80, 100],
    ]);
    expect(scale.fillOf(0)).toBe(sequentialBlues[0]);
    expect(scale.fillOf(19.9)).toBe(sequentialBlues[0]);
    expect(scale.fillOf(20)).toBe(sequentialBlues[1]);
    expect(scale.fillOf(100)).toBe(sequentialBlues[4]);
  });

  it('clamps values outside the domain and gives no-data for a missing value', () => {
    expect(scale.fillOf(-5)).toBe(sequentialBlues[0]);
    expect(scale.fillOf(1000)).toBe(sequentialBlues[4]);
    expect(scale.fillOf(null)).toBe(noDataFill);
    expect(scale.fillOf(undefined)).toBe(noDataFill);
    expect(scale.fillOf(Number.NaN)).toBe(noDataFill);
  });

  it('puts everything in the last bin when all values are equal', () => {
    expect(quantizeScale(7, 7).fillOf(7)).toBe(sequentialBlues[4]);
  });

  it('refuses a reversed or infinite domain, naming the bounds', () => {
    expect(() => quantizeScale(5, 1)).toThrow('got 5 and 1');
    expect(() => quantizeScale(0, Infinity)).toThrow('finite');
    expect(() => quantizeScale(0, 1, [])).toThrow('at least one colour');
  });
});

describe('contrast', () => {
  it('computes WCAG ratios (black on white is 21:1)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
  });

  it('keeps the status fills apart from white by 3:1 (non-text contrast), the neutral light', () => {
    for (const fill of [statusFills.ok, statusFills.bad, statusFills.highlight]) expect(contrastRatio(fill, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrastRatio(statusFills.neutral, '#ffffff')).toBeLessThan(1.5);
  });

  it('chooses black or white text for a fill', () => {
    expect(textOn(sequentialBlues[0])).toBe('#000000');
    expect(textOn(sequentialBlues[4])).toBe('#ffffff');
    expect(() => textOn('blue')).toThrow('not a #rrggbb colour: blue');
  });
});
