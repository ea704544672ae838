import { describe, expect, it } from "vitest";
import { CibleError } from "../../src/errors/cible-error.js";
import { compileRules } from "../../src/rules/index.js";
import { Contact, LANGUAGE_EXAMPLE, contact, ctx } from "./fixtures.js";

const JOURNEY = `lifecycle stage:
  awareness
  evaluation if demoRequested or pricingViews > 0
  purchase   if orders >= 1
  advocacy   if referrals > 0

segment late:
  @stage >= "purchase"
`;

const GATED = `lifecycle funnel:
  lead     if pricingViews > 0
  customer if orders >= 1

lifecycle account:
  prospect
  client if orders >= 1
`;

describe("lifecycles", () => {
  const rules = compileRules(JOURNEY, Contact);
  const stage = rules.lifecycles.stage!;

  it("puts the record at the LAST stage whose condition is true", () => {
    expect(stage.stage(contact(), ctx)).toBe("awareness");
    expect(stage.stage(contact({ demoRequested: true, orders: 1 }), ctx)).toBe("purchase");
    expect(stage.stage(contact({ referrals: 2 }), ctx)).toBe("advocacy");
  });

  it("gives null when the first stage has a condition and none holds", () => {
    const gated = compileRules(GATED, Contact).lifecycles.funnel!;
    expect(gated.stage(contact(), ctx)).toBe(null);
    expect(gated.stage(contact({ pricingViews: 1 }), ctx)).toBe("lead");
    expect(gated.stages).toEqual(["lead", "customer"]);
  });

  it("never moves backward from a previous stage (string form)", () => {
    expect(stage.stage(contact(), { ...ctx, previous: "purchase" })).toBe("purchase");
    expect(stage.stage(contact({ referrals: 1 }), { ...ctx, previous: "purchase" })).toBe("advocacy");
    expect(stage.stage(contact({ demoRequested: true }), { ...ctx, previous: "awareness" })).toBe("evaluation");
  });

  it("keeps the previous stage when no stage holds now", () => {
    const gated = compileRules(GATED, Contact).lifecycles.funnel!;
    expect(gated.stage(contact(), { ...ctx, previous: "customer" })).toBe("customer");
  });

  it("takes a Record of previous stages by lifecycle name", () => {
    const both = compileRules(GATED, Contact);
    const previous = { funnel: "customer", account: "client" };
    expect(both.lifecycles.funnel!.stage(contact(), { ...ctx, previous })).toBe("customer");
    expect(both.lifecycles.account!.stage(contact(), { ...ctx, previous })).toBe("client");
    expect({ ...both.evaluate(contact(), { ...ctx, previous: { account: "client" } }).stages }).toEqual({
      funnel: null,
      account: "client",
    });
  });

  it("refuses an unknown previous stage, an unknown lifecycle and an ambiguous string", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(CibleError);
        return (e as CibleError).diagnostics[0]!.code;
      }
      return "no error";
    };
    expect(code(() => stage.stage(contact(), { ...ctx, previous: "purchased" }))).toBe("eval.unknown-stage");
    expect(code(() => stage.stage(contact(), { ...ctx, previous: { stag: "purchase" } }))).toBe("eval.unknown-lifecycle");
    const both = compileRules(GATED, Contact);
    expect(code(() => both.evaluate(contact(), { ...ctx, previous: "client" }))).toBe("eval.ambiguous-previous");
    // on one lifecycle, a string is that lifecycle's previous stage
    expect(both.lifecycles.account!.stage(contact(), { ...ctx, previous: "client" })).toBe("client");
  });

  it("lets @stage references see the monotonic stage", () => {
    const late = rules.segments.late!;
    expect(late.test(contact(), ctx)).toBe(false);
    expect(late.test(contact(), { ...ctx, previous: "purchase" })).toBe(true);
    expect(late.test(contact(), { ...ctx, previous: { stage: "advocacy" } })).toBe(true);
    expect(rules.evaluate(contact(), { ...ctx, previous: "purchase" }).segments).toEqual(["late"]);
  });

  it("compares stages by journey order in rules", () => {
    const r = compileRules(`${LANGUAGE_EXAMPLE}\nsegment engaged:\n  @stage >= "evaluation" and @stage < "retention"\n`, Contact);
    expect(r.segments.engaged!.test(contact({ pricingViews: 1 }), ctx)).toBe(true);
    expect(r.segments.engaged!.test(contact(), ctx)).toBe(false);
    expect(r.segments.engaged!.test(contact({ referrals: 1 }), ctx)).toBe(false);
  });
});
