import { describe, expect, it } from "vitest";
import { checkRules, compileRules } from "../../src/rules/index.js";
import { Contact, LANGUAGE_EXAMPLE, contact, ctx, daysAgo } from "./fixtures.js";

describe("the example file of LANGUAGE.md §4", () => {
  const rules = compileRules(LANGUAGE_EXAMPLE, Contact);

  it("checks clean and exposes every definition by kind", () => {
    const report = checkRules(LANGUAGE_EXAMPLE, Contact);
    expect(report.ok).toBe(true);
    // `unsubscribed` is nullable here, so the checker's lint warns about `not unsubscribed`
    expect(report.diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column])).toEqual([["lint.nullable-negation", 6, 27]]);
    expect(rules.warnings.map((d) => d.code)).toEqual(["lint.nullable-negation"]);
    expect(Object.keys(rules.segments)).toEqual(["decideursSante", "cibleEmail"]);
    expect(Object.keys(rules.scores)).toEqual(["lead"]);
    expect(Object.keys(rules.lifecycles)).toEqual(["stage"]);
    expect(Object.keys(rules.tiers)).toEqual(["value", "potential"]);
    expect(rules.tiers.value!.method).toBe("thresholds");
    expect(rules.tiers.potential!.method).toBe("quantiles");
    expect(Object.keys(rules.rfm)).toEqual(["customers"]);
    expect(rules.lifecycles.stage!.stages).toEqual(["awareness", "evaluation", "purchase", "retention", "advocacy"]);
  });

  it("segments reference segments", () => {
    const dg = contact({ sector: "santé", role: "DG", emailConsent: true });
    expect(rules.segments.decideursSante!.test(dg, ctx)).toBe(true);
    expect(rules.segments.cibleEmail!.test(dg, ctx)).toBe(true);
    expect(rules.segments.cibleEmail!.test({ ...dg, unsubscribed: true }, ctx)).toBe(false);
    // unknown (unsubscribed not set) is not selected
    expect(rules.segments.cibleEmail!.evaluate({ ...dg, unsubscribed: null }, ctx)).toBe(null);
    expect(rules.segments.cibleEmail!.filter([dg, contact()], ctx)).toEqual([dg]);
  });

  it("scores the lead, clamped to 0..100", () => {
    const hot = contact({
      role: "CEO",
      employees: 200,
      emailClicks30d: 9,
      lastVisit: daysAgo(1),
      events: [{ type: "webinar", at: daysAgo(0) }, { type: "webinar", at: daysAgo(30) }],
    });
    // 20 + 10 + 25 + 15 + 10 + 5 = 85
    expect(rules.scores.lead!.score(hot, ctx)).toBeCloseTo(85, 10);
    const cold = contact({ unsubscribed: true });
    expect(rules.scores.lead!.score(cold, ctx)).toBe(0); // -30 clamped to 0
  });

  it("puts a record at the last stage that holds", () => {
    expect(rules.lifecycles.stage!.stage(contact(), ctx)).toBe("awareness");
    expect(rules.lifecycles.stage!.stage(contact({ pricingViews: 2 }), ctx)).toBe("evaluation");
    expect(rules.lifecycles.stage!.stage(contact({ orders: 2, lastPurchase: daysAgo(400) }), ctx)).toBe("purchase");
    expect(rules.lifecycles.stage!.stage(contact({ orders: 2, lastPurchase: daysAgo(40) }), ctx)).toBe("retention");
    // advocacy holds even though earlier stages do not
    expect(rules.lifecycles.stage!.stage(contact({ referrals: 1 }), ctx)).toBe("advocacy");
  });

  it("tiers by value and by share", () => {
    const buys = (amounts: number[]) => contact({ purchases: amounts.map((amount) => ({ date: daysAgo(10), amount })) });
    const value = rules.tiers.value!;
    if (value.method !== "thresholds") throw new Error("expected thresholds");
    expect(value.tier(buys([60_000, 40_000]), ctx)).toBe("high");
    expect(value.tier(buys([20_000]), ctx)).toBe("medium");
    expect(value.tier(buys([]), ctx)).toBe("low"); // sum of nothing is 0: known
    const potential = rules.tiers.potential!;
    if (potential.method !== "quantiles") throw new Error("expected quantiles");
    const records = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((employees) => contact({ employees }));
    expect(potential.assign(records, ctx)).toEqual({
      tiers: ["rest", "rest", "rest", "rest", "rest", "middle", "middle", "middle", "top", "top"],
      cuts: [9, 6],
    });
  });

  it("evaluates everything in one pass", () => {
    const r = contact({ sector: "santé", role: "CTO", emailConsent: true, orders: 1, purchases: [{ date: daysAgo(3), amount: 25_000 }] });
    const out = rules.evaluate(r, ctx);
    expect(out.segments).toEqual(["decideursSante", "cibleEmail"]);
    expect({ ...out.scores }).toEqual({ lead: 20 });
    expect({ ...out.stages }).toEqual({ stage: "purchase" });
    expect({ ...out.tiers }).toEqual({ value: "medium" }); // threshold tiers only
  });

  it("prints back to canonical text", () => {
    expect(String(rules)).toContain("segment decideursSante:");
    expect(rules.segments.cibleEmail!.toString()).toBe("@decideursSante and not unsubscribed and emailConsent");
    expect(rules.segments.cibleEmail!.source).toBe("@decideursSante and not unsubscribed and emailConsent");
  });
});
