import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Z95, newcombeDifference, rateSummary, wilsonInterval } from "../../src/rules/rates.js";

/** Rounds as the papers print: 4 decimals. */
const r4 = (v: number) => Number(v.toFixed(4));

/** A count n (0 to 500) with positives from 0 to n. */
const counts = fc.integer({ min: 0, max: 500 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
const nonEmptyCounts = fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

describe("Z95", () => {
  it("is the two-sided 95% normal quantile", () => {
    expect(Z95).toBe(1.959963984540054);
  });
});

describe("wilsonInterval", () => {
  // Newcombe RG, Stat Med 1998;17:857–872, Table I, method 3 (score, no continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("matches Newcombe 1998 (single proportion) for %i/%i: %f to %f", (x, n, low, high) => {
    const w = wilsonInterval(x, n)!;
    expect(r4(w.low)).toBe(low);
    expect(r4(w.high)).toBe(high);
  });

  it("is null when n = 0", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it("is exactly 0 below at 0 positives and exactly 1 above at n positives", () => {
    for (const n of [1, 2, 7, 20, 1000, 1e9]) {
      expect(wilsonInterval(0, n)!.low).toBe(0);
      expect(wilsonInterval(n, n)!.high).toBe(1);
    }
  });

  it("keeps a tiny lower bound accurate (no cancellation)", () => {
    // x = 1: low = 2 / (n (2 + z² + z√(z² + 4(n−1)/n))) — for large n close to 1 / (n (1 + z² / 2 + z …))
    const n = 1e12;
    const low = wilsonInterval(1, n)!.low;
    const zz = Z95 * Z95;
    const expected = 2 / (n * (2 + zz + Z95 * Math.sqrt(zz + (4 * (n - 1)) / n)));
    expect(low).toBeGreaterThan(0);
    expect(Math.abs(low - expected) / expected).toBeLessThan(1e-12);
  });

  it("uses z: a 99% interval is wider", () => {
    const w95 = wilsonInterval(30, 100)!;
    const w99 = wilsonInterval(30, 100, 2.5758293035489)!;
    expect(w99.low).toBeLessThan(w95.low);
    expect(w99.high).toBeGreaterThan(w95.high);
  });

  it("rejects counts that are not integers with 0 ≤ positives ≤ n, and a z that is not positive", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0, -1)).toThrow(RangeError);
    expect(() => wilsonInterval(Number.NaN, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 0)).toThrow(RangeError);
  });

  it("holds the rate within [0, 1]", () => {
    fc.assert(
      fc.property(nonEmptyCounts, ([x, n]) => {
        const { low, high } = wilsonInterval(x, n)!;
        const p = x / n;
        return 0 <= low && low <= p && p <= high && high <= 1;
      }),
    );
  });

  it("mirrors: the interval of n − x is 1 minus the interval of x, reversed", () => {
    fc.assert(
      fc.property(nonEmptyCounts, ([x, n]) => {
        const a = wilsonInterval(x, n)!;
        const b = wilsonInterval(n - x, n)!;
        expect(b.low).toBeCloseTo(1 - a.high, 12);
        expect(b.high).toBeCloseTo(1 - a.low, 12);
      }),
    );
  });
});

describe("newcombeDifference", () => {
  // Newcombe RG, Stat Med 1998;17:873–890, Table II, method 10 (hybrid score, no continuity correction).
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ])("matches Newcombe 1998 (difference) for %i/%i − %i/%i: %f to %f", (x1, n1, x2, n2, low, high) => {
    const d = newcombeDifference(x1, n1, x2, n2)!;
    expect(d.diff).toBeCloseTo(x1 / n1 - x2 / n2, 15);
    expect(r4(d.low)).toBe(low);
    expect(r4(d.high)).toBe(high);
  });

  it("is arm − reference: the first pair of arguments is the arm", () => {
    const d = newcombeDifference(3, 10, 6, 10)!;
    expect(d.diff).toBeCloseTo(-0.3, 15);
  });

  it("is null when either sample is empty", () => {
    expect(newcombeDifference(0, 0, 3, 10)).toBeNull();
    expect(newcombeDifference(3, 10, 0, 0)).toBeNull();
    expect(newcombeDifference(0, 0, 0, 0)).toBeNull();
  });

  it("rejects invalid counts on either side", () => {
    expect(() => newcombeDifference(11, 10, 3, 10)).toThrow(RangeError);
    expect(() => newcombeDifference(1, 10, 3, 2)).toThrow(RangeError);
  });

  it("holds the difference within [−1, 1]", () => {
    fc.assert(
      fc.property(nonEmptyCounts, nonEmptyCounts, ([x1, n1], [x2, n2]) => {
        const { diff, low, high } = newcombeDifference(x1, n1, x2, n2)!;
        return -1 <= low && low <= diff && diff <= high && high <= 1;
      }),
    );
  });

  it("mirrors exactly when the samples swap", () => {
    fc.assert(
      fc.property(nonEmptyCounts, nonEmptyCounts, ([x1, n1], [x2, n2]) => {
        const a = newcombeDifference(x1, n1, x2, n2)!;
        const b = newcombeDifference(x2, n2, x1, n1)!;
        // `+ 0` reads −0 as 0: equal proportions give a difference of 0 both ways.
        expect(b.diff + 0).toBe(-a.diff + 0);
        expect(b.low + 0).toBe(-a.high + 0);
        expect(b.high + 0).toBe(-a.low + 0);
      }),
    );
  });

  it("is built from the two Wilson intervals as method 10 defines", () => {
    const w1 = wilsonInterval(6, 7)!;
    const w2 = wilsonInterval(2, 7)!;
    const diff = 6 / 7 - 2 / 7;
    const d = newcombeDifference(6, 7, 2, 7)!;
    expect(d.low).toBeCloseTo(diff - Math.sqrt((6 / 7 - w1.low) ** 2 + (w2.high - 2 / 7) ** 2), 15);
    expect(d.high).toBeCloseTo(diff + Math.sqrt((w1.high - 6 / 7) ** 2 + (2 / 7 - w2.low) ** 2), 15);
  });
});

describe("rateSummary", () => {
  it("gives the rate, its Wilson interval and the lift over the base", () => {
    const s = rateSummary(15, 148, 0.05);
    expect(s.n).toBe(148);
    expect(s.positives).toBe(15);
    expect(s.rate).toBe(15 / 148);
    expect(r4(s.low!)).toBe(0.0624);
    expect(r4(s.high!)).toBe(0.1605);
    expect(s.lift).toBeCloseTo(15 / 148 / 0.05, 15);
  });

  it("has no rate, interval or lift for an empty segment", () => {
    expect(rateSummary(0, 0, 0.05)).toEqual({ n: 0, positives: 0, rate: null, low: null, high: null, lift: null });
  });

  it("has no lift when the base rate is null or 0, but still a rate and interval", () => {
    for (const base of [null, 0]) {
      const s = rateSummary(0, 20, base);
      expect(s.rate).toBe(0);
      expect(s.low).toBe(0);
      expect(r4(s.high!)).toBe(0.1611);
      expect(s.lift).toBeNull();
    }
  });

  it("gives lift 1 to a segment that converts as the base does, and 0 to one with no positive", () => {
    expect(rateSummary(25, 100, 0.25).lift).toBe(1);
    expect(rateSummary(0, 100, 0.25).lift).toBe(0);
  });

  it("rejects a base rate outside [0, 1] and invalid counts", () => {
    expect(() => rateSummary(1, 10, -0.1)).toThrow(RangeError);
    expect(() => rateSummary(1, 10, 1.5)).toThrow(RangeError);
    expect(() => rateSummary(1, 10, Number.NaN)).toThrow(RangeError);
    expect(() => rateSummary(11, 10, 0.5)).toThrow(RangeError);
  });

  it("agrees with wilsonInterval for any counts", () => {
    fc.assert(
      fc.property(counts, fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1, noNaN: true })), ([x, n], base) => {
        const s = rateSummary(x, n, base);
        const w = wilsonInterval(x, n);
        expect(s.low).toBe(w?.low ?? null);
        expect(s.high).toBe(w?.high ?? null);
        expect(s.rate).toBe(n === 0 ? null : x / n);
        expect(s.lift).toBe(n === 0 || base === null || base === 0 ? null : x / n / base);
      }),
    );
  });
});
