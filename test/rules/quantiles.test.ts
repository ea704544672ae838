import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignShares } from "../../src/rules/quantiles.js";

const value = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(null));

describe("assignShares (quantile tiers)", () => {
  it("splits ten distinct values 20 / 30 / 50, highest first, and reports the cuts", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const { lines, cuts } = assignShares(values, [20, 30, 50]);
    expect(lines).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 0, 0]);
    // a value is in line j or better exactly when it is >= cuts[j]
    expect(cuts).toEqual([9, 6]);
  });

  it("gives unknown values no line and ignores them in the shares", () => {
    const { lines } = assignShares([null, 10, Number.NaN, 20, null, 30, 40, 50], [20, 80]);
    expect(lines).toEqual([null, 1, null, 1, null, 1, 1, 0]);
  });

  it("gives the highest values the first line and the lowest the last, however many share them", () => {
    // five records, top 20% would be one record, but the two best are equal
    expect(assignShares([5, 5, 3, 2, 1], [20, 80])).toEqual({ lines: [0, 0, 1, 1, 1], cuts: [5] });
    // most records share the lowest value: they get the last line
    expect(assignShares([1, 1, 1, 1, 1, 1, 2, 3], [20, 30, 50]).lines).toEqual([2, 2, 2, 2, 2, 2, 0, 0]);
    // a group in the middle stands by the records it beats among those with other values
    expect(assignShares([1, 5, 5, 5, 5, 9], [20, 30, 50]).lines).toEqual([2, 1, 1, 1, 1, 0]);
  });

  it("puts a lone value, or a population of equal values, in the first line", () => {
    expect(assignShares([7], [20, 80])).toEqual({ lines: [0], cuts: [7] });
    expect(assignShares([3, 3, null], [50, 50])).toEqual({ lines: [0, 0, null], cuts: [3] });
  });

  it("spreads a small population over the lines", () => {
    expect(assignShares([10, 20, 30], [20, 20, 20, 20, 20]).lines).toEqual([4, 2, 0]);
  });

  it("returns no cuts when no value is known", () => {
    expect(assignShares([null, null], [50, 50])).toEqual({ lines: [null, null], cuts: [] });
    expect(assignShares([], [50, 50])).toEqual({ lines: [], cuts: [] });
  });

  it("properties: ties share a line, unknown → null, first line highest, cuts separate lines", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.constantFrom([20, 30, 50], [10, 90], [25, 25, 25, 25], [100]), (values, shares) => {
        const { lines, cuts } = assignShares(values, shares);
        const known = values.filter((v) => v !== null);
        values.forEach((v, i) => expect(lines[i] === null).toBe(v === null));
        for (let i = 0; i < values.length; i++) {
          for (let j = 0; j < values.length; j++) {
            const a = values[i];
            const b = values[j];
            if (a === null || b === null || a === undefined || b === undefined) continue;
            if (a === b) expect(lines[i]).toBe(lines[j]);
            if (a > b) expect(lines[i]!).toBeLessThanOrEqual(lines[j]!);
          }
        }
        expect(cuts.length).toBe(known.length ? shares.length - 1 : 0);
        if (known.length) {
          const max = Math.max(...(known as number[]));
          const min = Math.min(...(known as number[]));
          values.forEach((v, i) => {
            if (v === max) expect(lines[i]).toBe(0);
            if (v === min && min !== max) expect(lines[i]).toBe(shares.length - 1);
          });
        }
        values.forEach((v, i) => {
          if (v === null) return;
          cuts.forEach((c, j) => expect(v >= c).toBe(lines[i]! <= j));
        });
      }),
      { numRuns: 200 },
    );
  });

  it("property: without ties, the k-th lowest of n stands at k / (n − 1) and line sizes follow the shares", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 80 }), (values) => {
        const shares = [20, 30, 50];
        const { lines } = assignShares(values, shares);
        const n = values.length;
        const sorted = [...values].sort((a, b) => a - b);
        values.forEach((v, i) => {
          const k = sorted.indexOf(v);
          const expected = k * 100 >= 80 * (n - 1) ? 0 : k * 100 >= 50 * (n - 1) ? 1 : 2;
          expect(lines[i]).toBe(expected);
        });
        const sizes = [0, 1, 2].map((j) => lines.filter((l) => l === j).length);
        sizes.forEach((s, j) => expect(Math.abs(s - (shares[j]! * n) / 100)).toBeLessThanOrEqual(1.5));
      }),
      { numRuns: 200 },
    );
  });
});
