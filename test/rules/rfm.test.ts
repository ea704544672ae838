import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/rules/index.js";
import { Contact, LANGUAGE_EXAMPLE, contact, ctx, daysAgo } from "./fixtures.js";

const rfm = compileRules(LANGUAGE_EXAMPLE, Contact).rfm.customers!;

/** A customer who last bought `age` days ago, with `count` purchases of `amount` in the last year. */
const customer = (age: number | null, count: number, amount = 100) =>
  contact({
    lastPurchase: age === null ? null : daysAgo(age),
    purchases: Array.from({ length: count }, () => ({ date: daysAgo(age ?? 500), amount })),
  });

// LANGUAGE.md §4, row by row (R 5 … 1), column F 1 … 5.
const GRID: Record<number, string[]> = {
  5: ["new customers", "potential loyalists", "potential loyalists", "champions", "champions"],
  4: ["promising", "potential loyalists", "potential loyalists", "loyal", "loyal"],
  3: ["about to sleep", "about to sleep", "need attention", "loyal", "loyal"],
  2: ["hibernating", "hibernating", "at risk", "at risk", "can't lose"],
  1: ["hibernating", "hibernating", "at risk", "at risk", "can't lose"],
};

describe("rfm", () => {
  it("names all 25 cells of the R × F grid from real scores", () => {
    const cells: [number, number][] = [];
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) cells.push([r, f]);
    // 25 distinct ages and counts: the k-th smallest age scores 5 - floor(k / 5), the k-th smallest count 1 + floor(k / 5)
    const records = cells.map(([r, f]) => customer((5 - r) * 5 + (f - 1) + 1, (f - 1) * 5 + (5 - r) + 1));
    const { scores, names } = rfm.assign(records, ctx);
    cells.forEach(([r, f], i) => {
      expect(scores[i]).toMatchObject({ r, f });
      expect(names[i]).toBe(GRID[r]![f - 1]);
    });
    expect(new Set(names).size).toBe(10);
  });

  it("reverses recency: the most recent buyer scores 5", () => {
    const records = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((age) => customer(age, 1));
    const { scores, cuts } = rfm.assign(records, ctx);
    expect(scores.map((s) => s!.r)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    // ages in days: a record scores at least 5 − k in recency when its age is <= cuts.recency[k]
    expect(cuts.recency).toEqual([2, 4, 6, 8]);
  });

  it("scores frequency and monetary by quintile, highest 5, with their cuts", () => {
    const records = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => customer(5, n, 10));
    const { scores, cuts } = rfm.assign(records, ctx);
    expect(scores.map((s) => s!.f)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(scores.map((s) => s!.m)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(cuts.frequency).toEqual([9, 7, 5, 3]);
    expect(cuts.monetary).toEqual([90, 70, 50, 30]);
    // every record bought 5 days ago: one tie, one recency score
    expect(new Set(scores.map((s) => s!.r)).size).toBe(1);
  });

  it("gives equal values the same score", () => {
    const records = [customer(1, 1), customer(1, 1), customer(1, 1), customer(30, 5), customer(60, 9)];
    const { scores } = rfm.assign(records, ctx);
    expect(scores[0]).toEqual(scores[1]);
    expect(scores[1]).toEqual(scores[2]);
  });

  it("gives no score and no name to a record that never bought, and leaves it out of the quintiles", () => {
    const records = [customer(null, 0), ...[1, 2, 3, 4, 5].map((a) => customer(a, 6 - a))];
    const { scores, names } = rfm.assign(records, ctx);
    expect(scores[0]).toBe(null);
    expect(names[0]).toBe(null);
    expect(scores.slice(1).map((s) => [s!.r, s!.f])).toEqual([
      [5, 5],
      [4, 4],
      [3, 3],
      [2, 2],
      [1, 1],
    ]);
    expect(names.slice(1)).toEqual(["champions", "loyal", "need attention", "hibernating", "hibernating"]);
  });

  it("handles an empty population", () => {
    expect(rfm.assign([], ctx)).toEqual({ scores: [], names: [], cuts: { recency: [], frequency: [], monetary: [] } });
  });

  it("reads a number recency as an age", () => {
    const r = compileRules("rfm c:\n  recency pricingViews\n  frequency orders\n  monetary revenue\n", Contact).rfm.c!;
    const { scores } = r.assign([contact({ pricingViews: 1, orders: 1, revenue: 1 }), contact({ pricingViews: 9, orders: 1, revenue: 1 })], ctx);
    expect(scores[0]!.r).toBeGreaterThan(scores[1]!.r);
  });
});
