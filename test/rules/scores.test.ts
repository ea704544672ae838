import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/rules/index.js";
import { Contact, contact, ctx, daysAgo } from "./fixtures.js";

const score = (body: string, extra = "") => {
  const rules = compileRules(`${extra}score s:\n${body}\n`, Contact);
  return rules.scores.s!;
};

describe("score rules", () => {
  it("`+5 per emailClicks30d max 25`: 3 clicks give 15, 9 give 25", () => {
    const s = score("  +5 per emailClicks30d max 25");
    expect(s.score(contact({ emailClicks30d: 3 }), ctx)).toBe(15);
    expect(s.score(contact({ emailClicks30d: 9 }), ctx)).toBe(25);
    expect(s.score(contact({ emailClicks30d: 0 }), ctx)).toBe(0);
  });

  it("`per` without max multiplies, and a negative rule's max caps how much it takes away", () => {
    expect(score("  +2 per pricingViews").score(contact({ pricingViews: 7 }), ctx)).toBe(14);
    expect(score("  -5 per pricingViews max 20").score(contact({ pricingViews: 9 }), ctx)).toBe(-20);
  });

  it("adds nothing for an unknown condition or an unknown per value", () => {
    const s = score("  +10 if employees > 50\n  +3 per emailClicks30d\n  +1 if not unsubscribed");
    expect(s.score(contact({ employees: null, emailClicks30d: null, unsubscribed: null }), ctx)).toBe(0);
    expect(s.explain(contact({ employees: null, emailClicks30d: null, unsubscribed: null }), ctx)).toEqual({
      total: 0,
      contributions: [
        { text: "+10 if employees > 50", points: 0 },
        { text: "+3 per emailClicks30d", points: 0 },
        { text: "+1 if not unsubscribed", points: 0 },
      ],
    });
    expect(s.score(contact({ employees: 60, emailClicks30d: 2 }), ctx)).toBe(17);
  });

  it("clamps the total, and explains the clamp as a contribution", () => {
    const s = score("  +80 if pricingViews > 0\n  +50 if demoRequested\n  -30 if unsubscribed\n  clamp 0 to 100");
    expect(s.score(contact({ pricingViews: 1, demoRequested: true }), ctx)).toBe(100);
    expect(s.score(contact({ unsubscribed: true }), ctx)).toBe(0);
    const e = s.explain(contact({ pricingViews: 1, demoRequested: true }), ctx);
    expect(e).toEqual({
      total: 100,
      contributions: [
        { text: "+80 if pricingViews > 0", points: 80 },
        { text: "+50 if demoRequested", points: 50 },
        { text: "-30 if unsubscribed", points: 0 },
        { text: "clamp 0 to 100", points: -30 },
      ],
    });
    expect(e.contributions.reduce((a, c) => a + c.points, 0)).toBe(e.total);
  });

  it("is not rounded", () => {
    const s = score("  +1 per revenue");
    expect(s.score(contact({ revenue: 0.125 }), ctx)).toBe(0.125);
  });

  describe("decaying points", () => {
    const s = score('  +10 per events where (type = "webinar") decaying 50% every 30 days by at');
    const ev = (type: string, at: Date | null) => ({ type, at });

    it("weighs an event half after one period, a quarter after two, 1 today", () => {
      expect(s.score(contact({ events: [ev("webinar", daysAgo(30))] }), ctx)).toBeCloseTo(5, 10);
      expect(s.score(contact({ events: [ev("webinar", daysAgo(60))] }), ctx)).toBeCloseTo(2.5, 10);
      expect(s.score(contact({ events: [ev("webinar", daysAgo(0))] }), ctx)).toBe(10);
    });

    it("is continuous, and an event in the future weighs 1", () => {
      expect(s.score(contact({ events: [ev("webinar", daysAgo(15))] }), ctx)).toBeCloseTo(10 * Math.SQRT1_2, 10);
      expect(s.score(contact({ events: [ev("webinar", daysAgo(-10))] }), ctx)).toBe(10);
    });

    it("counts only elements where the condition is true and whose date is known", () => {
      const events = [ev("webinar", daysAgo(0)), ev("salon", daysAgo(0)), ev("webinar", null), ev("webinar", daysAgo(30))];
      expect(s.score(contact({ events }), ctx)).toBeCloseTo(15, 10);
    });

    it("works without `where`, and explains with the rule's text", () => {
      const all = score("  +4 per events decaying 100% every 1 day by at");
      expect(all.score(contact({ events: [ev("x", daysAgo(0)), ev("y", daysAgo(2))] }), ctx)).toBe(4);
      expect(s.explain(contact(), ctx).contributions[0]!.text).toBe(
        '+10 per events where (type = "webinar") decaying 50% every 30 days by at',
      );
    });

    it("uses `now` from the context", () => {
      const r = contact({ events: [ev("webinar", new Date("2026-01-01T00:00:00Z"))] });
      expect(s.score(r, { now: new Date("2026-01-31T00:00:00Z") })).toBeCloseTo(5, 10);
    });
  });

  it("may reference another score, and segments may reference scores", () => {
    const rules = compileRules(
      "score fit:\n  +30 if grade >= \"B\"\n\nscore lead:\n  +1 per @fit max 20\n  +10 if @fit >= 30\n\nsegment hot:\n  @lead >= 30\n",
      Contact,
    );
    expect(rules.scores.lead!.score(contact({ grade: "A" }), ctx)).toBe(30);
    expect(rules.scores.lead!.score(contact({ grade: "C" }), ctx)).toBe(0);
    expect(rules.segments.hot!.test(contact({ grade: "B" }), ctx)).toBe(true);
    expect(rules.segments.hot!.test(contact({ grade: "C" }), ctx)).toBe(false);
  });

  it("side by side scores are independent", () => {
    const rules = compileRules("score fit:\n  +10 if employees > 5\n\nscore engagement:\n  +3 per pricingViews\n", Contact);
    const r = contact({ employees: 50, pricingViews: 2 });
    expect({ ...rules.evaluate(r, ctx).scores }).toEqual({ fit: 10, engagement: 6 });
  });

  it("takes parameters", () => {
    const s = score("  +10 if employees >= $min");
    expect(s.score(contact({ employees: 60 }), { ...ctx, params: { min: 50 } })).toBe(10);
    expect(() => s.score(contact(), ctx)).toThrow(/min/);
  });
});
