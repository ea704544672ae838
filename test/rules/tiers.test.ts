import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CompiledQuantileTiers, type CompiledThresholdTiers, compileRules } from "../../src/rules/index.js";
import { Contact, type ContactRecord, contact, ctx, daysAgo } from "./fixtures.js";

const thresholds = (src: string) => {
  const t = compileRules(src, Contact).tiers.t!;
  if (t.method !== "thresholds") throw new Error("expected threshold tiers");
  return t as CompiledThresholdTiers<ContactRecord>;
};
const quantiles = (src: string) => {
  const t = compileRules(src, Contact).tiers.t!;
  if (t.method !== "quantiles") throw new Error("expected quantile tiers");
  return t as CompiledQuantileTiers<ContactRecord>;
};

describe("threshold tiers", () => {
  const t = thresholds("tiers t by revenue:\n  high if >= 100k\n  medium if >= 20k\n  low otherwise\n");

  it("takes the first line that matches", () => {
    expect(t.tier(contact({ revenue: 250_000 }), ctx)).toBe("high");
    expect(t.tier(contact({ revenue: 100_000 }), ctx)).toBe("high");
    expect(t.tier(contact({ revenue: 20_000 }), ctx)).toBe("medium");
    expect(t.names).toEqual(["high", "medium", "low"]);
  });

  it("sends known values that match no line to otherwise, and unknown values to null", () => {
    expect(t.tier(contact({ revenue: 5 }), ctx)).toBe("low");
    expect(t.tier(contact({ revenue: -5 }), ctx)).toBe("low");
    expect(t.tier(contact({ revenue: null }), ctx)).toBe(null);
    expect(t.tier({ ...contact(), revenue: "lots" } as unknown as ContactRecord, ctx)).toBe(null);
  });

  it("handles between, equality and parameters", () => {
    const b = thresholds("tiers t by employees:\n  one if = 1\n  small if between 2 and $max\n  other otherwise\n");
    const p = { ...ctx, params: { max: 49 } };
    expect(b.tier(contact({ employees: 1 }), p)).toBe("one");
    expect(b.tier(contact({ employees: 49 }), p)).toBe("small");
    expect(b.tier(contact({ employees: 50 }), p)).toBe("other");
  });

  it("tiers by a choice, and by a reference to a score or a lifecycle", () => {
    const g = thresholds('tiers t by grade:\n  best if = "A"\n  good if >= "B"\n  rest otherwise\n');
    expect(g.tier(contact({ grade: "A" }), ctx)).toBe("best");
    expect(g.tier(contact({ grade: "B" }), ctx)).toBe("good");
    expect(g.tier(contact({ grade: "C" }), ctx)).toBe("rest");
    const rules = compileRules(
      'score lead:\n  +10 per pricingViews\n\ntiers t by @lead:\n  hot if >= 50\n  cold otherwise\n\nsegment hotLeads:\n  @t = "hot"\n',
      Contact,
    );
    const tier = rules.tiers.t as CompiledThresholdTiers<ContactRecord>;
    expect(tier.tier(contact({ pricingViews: 5 }), ctx)).toBe("hot");
    expect(rules.segments.hotLeads!.test(contact({ pricingViews: 5 }), ctx)).toBe(true);
    expect(rules.segments.hotLeads!.test(contact({ pricingViews: 4 }), ctx)).toBe(false);
  });

  it("tiers by an aggregate (sum of nothing is 0, a known value)", () => {
    const s = thresholds("tiers t by sum(purchases.amount where date < 12 months):\n  big if >= 1k\n  nothing if = 0\n  some otherwise\n");
    expect(s.tier(contact(), ctx)).toBe("nothing");
    expect(s.tier(contact({ purchases: [{ date: daysAgo(5), amount: 500 }, { date: daysAgo(900), amount: 5000 }] }), ctx)).toBe("some");
  });
});

describe("quantile tiers", () => {
  const t = quantiles("tiers t by revenue quantiles:\n  top 20%\n  middle 30%\n  rest otherwise\n");
  const recs = (values: (number | null)[]) => values.map((revenue) => contact({ revenue }));

  it("gives the first line the highest values, reports cuts, and null for unknown values", () => {
    const r = t.assign(recs([10, 20, null, 30, 40, 50, 60, 70, 80, 90, 100]), ctx);
    expect(r.tiers).toEqual(["rest", "rest", null, "rest", "rest", "rest", "middle", "middle", "middle", "top", "top"]);
    expect(r.cuts).toEqual([90, 60]);
    expect(t.names).toEqual(["top", "middle", "rest"]);
  });

  it("gives equal values the same tier", () => {
    const r = t.assign(recs([5, 5, 5, 5, 5, 1, 1, 1, 1, 1]), ctx);
    expect(new Set(r.tiers.slice(0, 5)).size).toBe(1);
    expect(new Set(r.tiers.slice(5)).size).toBe(1);
  });

  it("returns no cuts for a population with no known value", () => {
    expect(t.assign(recs([null, null]), ctx)).toEqual({ tiers: [null, null], cuts: [] });
    expect(t.assign([], ctx)).toEqual({ tiers: [], cuts: [] });
  });

  it("ranks dates (most recent first), cuts in epoch milliseconds", () => {
    const d = quantiles("tiers t by lastPurchase quantiles:\n  recent 50%\n  older otherwise\n");
    const r = d.assign([1, 2, 3, 4].map((n) => contact({ lastPurchase: daysAgo(n) })), ctx);
    expect(r.tiers).toEqual(["recent", "recent", "older", "older"]);
    expect(r.cuts).toEqual([daysAgo(2).getTime()]);
  });

  it("properties: ties share, unknown → null, first line highest, sizes close to the shares", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }), { maxLength: 60 }), (values) => {
        const { tiers, cuts } = t.assign(recs(values), ctx);
        const rank = (name: string | null) => (name === null ? -1 : t.names.indexOf(name));
        values.forEach((a, i) => {
          expect(tiers[i] === null).toBe(a === null);
          values.forEach((b, j) => {
            if (a === null || b === null) return;
            if (a === b) expect(tiers[i]).toBe(tiers[j]);
            if (a > b) expect(rank(tiers[i]!)).toBeLessThanOrEqual(rank(tiers[j]!));
          });
          if (a !== null) cuts.forEach((c, k) => expect(a >= c).toBe(rank(tiers[i]!) <= k));
        });
      }),
      { numRuns: 150 },
    );
  });

  it("property: without ties the tier sizes match the shares within about one record", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 200 }), (values) => {
        const { tiers } = t.assign(recs(values), ctx);
        const n = values.length;
        const size = (name: string) => tiers.filter((x) => x === name).length;
        expect(Math.abs(size("top") - 0.2 * n)).toBeLessThanOrEqual(1);
        expect(Math.abs(size("middle") - 0.3 * n)).toBeLessThanOrEqual(1.3);
        expect(size("top") + size("middle") + size("rest")).toBe(n);
      }),
      { numRuns: 100 },
    );
  });
});
