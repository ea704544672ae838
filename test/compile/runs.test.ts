/**
 * Runs are reused while the context says the same thing (compile/run.ts): cutoffs are kept, but
 * nothing computed for a record survives into the next call, which may see it changed in place.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileRules } from "../../src/index.js";
import { seg } from "./helpers.js";

describe("reused runs", () => {
  it("a record changed in place between two calls is read again (references)", () => {
    const S = z.object({ unsubscribed: z.boolean(), employees: z.number() });
    const rules = compileRules("segment b:\n  not unsubscribed\n\nsegment a:\n  @b and employees > 1\n\nscore s:\n  +10 if @b\n", S);
    const ctx = { now: new Date("2026-11-22T00:00:00Z") };
    const r = { unsubscribed: false, employees: 5 };
    expect(rules.segments.a!.test(r, ctx)).toBe(true);
    expect(rules.scores.s!.score(r, ctx)).toBe(10);
    expect(rules.evaluate(r, ctx).segments).toEqual(["b", "a"]);
    r.unsubscribed = true;
    expect(rules.segments.a!.test(r, ctx)).toBe(false);
    expect(rules.scores.s!.score(r, ctx)).toBe(0);
    expect(rules.evaluate(r, ctx).segments).toEqual([]);
  });

  it("a changed context is seen: now set in place, another time zone, another parameter value", () => {
    const s = seg("lastPurchase > 30 days and employees > $n");
    const now = new Date("2026-11-22T00:00:00Z");
    const ctx: { now: Date; timeZone?: string; params: Record<string, unknown> } = { now, params: { n: 10 } };
    const r = { lastPurchase: new Date("2026-10-01T00:00:00Z"), employees: 20 };
    expect(s.test(r, ctx)).toBe(true);
    now.setTime(Date.parse("2026-10-15T00:00:00Z"));
    expect(s.test(r, ctx)).toBe(false);
    now.setTime(Date.parse("2026-11-22T00:00:00Z"));
    ctx.params.n = 30;
    expect(s.test(r, ctx)).toBe(false);
    ctx.params.n = 10;
    ctx.timeZone = "Nowhere/Atlantis";
    expect(() => s.test(r, ctx)).toThrow();
    expect(() => s.test(r, ctx)).toThrow();
    delete ctx.timeZone;
    expect(s.test(r, ctx)).toBe(true);
  });

  it("with a previous object (one per record): its changes in place, and those of now, zone and parameters, are seen", () => {
    const S = z.object({ lastPurchase: z.date().nullable(), employees: z.number() });
    const rules = compileRules(
      "lifecycle stage:\n  lead\n  buyer if lastPurchase within last $days\n\nsegment big:\n  employees > $n\n",
      S,
    );
    const now = new Date("2026-11-22T00:00:00Z");
    const previous: Record<string, string> = {};
    const ctx: { now: Date; timeZone?: string; params: Record<string, unknown>; previous: Record<string, string> } = { now, params: { n: 10, days: "30 days" }, previous };
    const r = { lastPurchase: new Date("2026-11-01T00:00:00Z"), employees: 20 };
    expect(rules.evaluate(r, ctx).stages.stage).toBe("buyer");
    now.setTime(Date.parse("2027-06-01T00:00:00Z")); // the purchase is old: back to lead…
    expect(rules.evaluate(r, ctx).stages.stage).toBe("lead");
    previous.stage = "buyer"; // …unless the previous stage, set in place, says buyer
    expect(rules.evaluate(r, ctx).stages.stage).toBe("buyer");
    expect(rules.evaluate(r, { ...ctx, previous: {} }).stages.stage).toBe("lead");
    ctx.params.n = 30;
    expect(rules.evaluate(r, ctx).segments).toEqual([]);
    ctx.params.n = 10;
    expect(rules.evaluate(r, ctx).segments).toEqual(["big"]);
    ctx.timeZone = "Nowhere/Atlantis";
    expect(() => rules.evaluate(r, ctx)).toThrow();
    expect(() => rules.evaluate(r, ctx)).toThrow();
    delete ctx.timeZone;
    expect(rules.evaluate(r, ctx).segments).toEqual(["big"]);
  });
});
