import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RFM_GRID, type Quintile, quintiles, recencyQuintiles, rfmSegmentName } from "../../src/rules/rfm.js";

// LANGUAGE.md §4, written out cell by cell: [R, F, name]
const CELLS: [Quintile, Quintile, string][] = [
  [5, 1, "new customers"], [5, 2, "potential loyalists"], [5, 3, "potential loyalists"], [5, 4, "champions"], [5, 5, "champions"],
  [4, 1, "promising"], [4, 2, "potential loyalists"], [4, 3, "potential loyalists"], [4, 4, "loyal"], [4, 5, "loyal"],
  [3, 1, "about to sleep"], [3, 2, "about to sleep"], [3, 3, "need attention"], [3, 4, "loyal"], [3, 5, "loyal"],
  [2, 1, "hibernating"], [2, 2, "hibernating"], [2, 3, "at risk"], [2, 4, "at risk"], [2, 5, "can't lose"],
  [1, 1, "hibernating"], [1, 2, "hibernating"], [1, 3, "at risk"], [1, 4, "at risk"], [1, 5, "can't lose"],
];

describe("the R × F grid", () => {
  it.each(CELLS)("R %i, F %i is %s", (r, f, name) => {
    expect(rfmSegmentName(r, f)).toBe(name);
  });

  it("has exactly 25 cells, each with one name", () => {
    expect(RFM_GRID.length).toBe(5);
    for (const row of RFM_GRID) expect(row.length).toBe(5);
    expect(new Set(CELLS.map(([r, f]) => `${r}${f}`)).size).toBe(25);
  });
});

describe("quintiles", () => {
  it("scores ten distinct values two per quintile, highest 5", () => {
    const { scores, cuts } = quintiles([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(scores).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(cuts).toEqual([9, 7, 5, 3]);
  });

  it("gives equal values the same score (a big group of one-time buyers scores 1)", () => {
    const { scores } = quintiles([1, 1, 1, 1, 1, 1, 2, 3, 4, 5]);
    expect(scores.slice(0, 6)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(scores.slice(6)).toEqual([4, 4, 5, 5]);
  });

  it("reverses recency: the smallest age scores 5, cuts are ages", () => {
    const { scores, cuts } = recencyQuintiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null]);
    expect(scores).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1, null]);
    // a record scores at least 5 − k when its age is <= cuts[k]
    expect(cuts).toEqual([2, 4, 6, 8]);
  });

  it("property: scores are 1–5, monotonic, ties equal", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }), { maxLength: 50 }), (ages) => {
        const { scores } = recencyQuintiles(ages);
        ages.forEach((a, i) => {
          expect(scores[i] === null).toBe(a === null);
          ages.forEach((b, j) => {
            if (a === null || b === null) return;
            if (a === b) expect(scores[i]).toBe(scores[j]);
            if (a < b) expect(scores[i]!).toBeGreaterThanOrEqual(scores[j]!);
          });
        });
      }),
      { numRuns: 100 },
    );
  });
});
