import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import { SegmentLawError, assertDisjoint, assertEquivalent, assertImplies } from "../../src/testing.js";
import { Contact, ctx, seg } from "./__helpers__/fixtures.js";

const OPTS = { ctx, numRuns: 60, seed: 42 } as const;

function failure(f: () => void): SegmentLawError {
  try {
    f();
  } catch (e) {
    if (e instanceof SegmentLawError) return e;
    throw e;
  }
  throw new Error("expected a SegmentLawError");
}

describe("the done criterion: five lines of vitest", () => {
  it("hot leads ⊆ contacts who consented (true)", () => {
    const hot = compile('grade >= "B" and lastPurchase < 6 months and optin and not unsubscribed', Contact);
    const consented = compile("optin and not unsubscribed", Contact);
    assertImplies(hot, consented, { schema: Contact, ctx });
  });

  it("hot leads ⊆ contacts who consented (false): the report shows the record and why", () => {
    const hot = compile('grade >= "B" and lastPurchase < 6 months', Contact);
    const consented = compile("optin and not unsubscribed", Contact);
    const e = failure(() => assertImplies(hot, consented, { schema: Contact, ctx, names: ["hot leads", "consented"] }));
    expect(e.message).toContain("assertImplies failed: a record is in hot leads but not in consented.");
    expect(e.message).toContain("Record:");
    expect(e.message).toMatch(/grade: "(A|B)"/);
    expect(e.message).toContain("Why, in hot leads (true):");
    expect(e.message).toMatch(/✓ grade >= "B"/);
    expect(e.message).toMatch(/Why, in consented \((false|unknown)\):/);
    expect(e.message).toMatch(/✗ (optin|not unsubscribed)/);
    // The record in the report is the record that breaks the law.
    expect(hot.test(e.record as Contact, ctx)).toBe(true);
    expect(consented.test(e.record as Contact, ctx)).toBe(false);
    expect(e.law).toBe("implies");
  });
});

describe("assertImplies", () => {
  it("passes on true laws", () => {
    assertImplies(seg("employees >= 100"), seg("employees > 50"), OPTS);
    assertImplies(seg('sector = "santé" and tech has "Zoho"'), seg('tech has any ["Zoho", "HubSpot"]'), OPTS);
    assertImplies(seg("count(purchases where amount > 100) >= 2"), seg("any purchases where (amount > 50)"), OPTS);
    assertImplies(seg("lastPurchase within last 3 months"), seg("lastPurchase < 1 year"), OPTS);
  });

  it("catches a date in the future: `< 3 months` is not `within last 3 months`", () => {
    const e = failure(() => assertImplies(seg("lastPurchase < 3 months"), seg("lastPurchase within last 1 year"), OPTS));
    const r = e.record as { lastPurchase: Date };
    expect(r.lastPurchase.getTime()).toBeGreaterThan(ctx.now.getTime());
  });

  it("finds the counterexample a random search would miss (a needle)", () => {
    const e = failure(() => assertImplies(seg("employees = 123457"), seg("employees != 123457 or tech is empty"), OPTS));
    expect(e.message).toContain("employees: 123457");
    expect(e.foundBy.kind).toBe("construction");
  });

  it("catches three-valued surprises: a null is in neither side of a negation", () => {
    // Not (city = "Paris") does not select a record whose city is null.
    const e = failure(() => assertImplies(seg('city is set or sector = "tech"'), seg('not city = "Paris" or city = "Paris"'), OPTS));
    expect(e.message).toContain("city: null");
    expect(e.message).toMatch(/Why, in B \(unknown\):/);
    expect(e.message).toMatch(/\? city = "Paris"/);
  });

  it("reports fast-check's seed and path when the random phase finds it", () => {
    const e = failure(() => assertImplies(seg("employees > 10"), seg("employees > 20"), { ...OPTS, randomOnly: true }));
    expect(e.foundBy.kind).toBe("fast-check");
    expect(e.message).toContain("seed 42");
    expect(e.message).toMatch(/employees: (1[1-9]|20)\b/);
  });
});

describe("counterexamples show the fields the rules read, and the simplest values elsewhere", () => {
  // The simplest record of Contact: "" / 0 / false / the first enum value / [] / null / absent.
  const SIMPLEST = {
    id: "",
    sector: "santé",
    grade: "F",
    revenue: null,
    city: null,
    optin: false,
    unsubscribed: false,
    consentAt: null,
    lastPurchase: null,
    signup: null,
    tech: [],
    tags: null,
    scores: [],
    account: null,
    purchases: [],
    events: [],
  };

  it.each([
    ["by fast-check", { randomOnly: true }],
    ["by construction", {}],
  ] as const)("%s", (_how, extra) => {
    for (const seed of [1, 2, 3, 42]) {
      const e = failure(() => assertImplies(seg("employees > 10"), seg('employees > 20 or sector = "tech"'), { ...OPTS, ...extra, seed }));
      expect(e.foundBy.kind).toBe("randomOnly" in extra ? "fast-check" : "construction");
      const { employees, sector, ...rest } = e.record as Contact;
      expect(employees).toBeGreaterThan(10);
      expect(sector).not.toBe("tech");
      const { sector: _s, ...others } = SIMPLEST;
      expect(rest).toEqual(others);
    }
  });

  it("inside a nested object, only the fields read keep their values", () => {
    const e = failure(() => assertImplies(seg('account.country = "FR"'), seg('account.size >= "50-249"'), { ...OPTS, randomOnly: true }));
    const r = e.record as Contact;
    expect(r.account!.country).toBe("FR");
    expect(r.account!.hq).toBeUndefined();
    expect(r.employees).toBe(0);
    expect(r.id).toBe("");
  });
});

describe("assertDisjoint", () => {
  it("passes on disjoint segments", () => {
    assertDisjoint(seg("unsubscribed"), seg("optin and not unsubscribed"), OPTS);
    assertDisjoint(seg("lastPurchase < 6 months"), seg("lastPurchase >= 6 months"), OPTS);
    assertDisjoint(seg("count(purchases) = 0"), seg("any purchases where (amount > 0)"), OPTS);
  });

  it("throws with a record in both", () => {
    const e = failure(() => assertDisjoint(seg("employees >= 50"), seg("employees <= 50"), OPTS));
    expect(e.message).toContain("assertDisjoint failed: a record is in both A and B.");
    expect(e.message).toContain("employees: 50");
    expect(e.message).toContain("✓ employees >= 50");
    expect(e.message).toContain("✓ employees <= 50");
  });
});

describe("assertEquivalent", () => {
  it("passes on equivalent rules (three-valued laws included)", () => {
    assertEquivalent(seg("not (optin or unsubscribed)"), seg("not optin and not unsubscribed"), OPTS);
    assertEquivalent(seg("employees between 10 and 20"), seg("employees >= 10 and employees <= 20"), OPTS);
    assertEquivalent(seg("lastPurchase < 6 months"), seg("lastPurchase > 6 months ago"), OPTS);
    assertEquivalent(seg("none purchases where (amount > 5)"), seg("not any purchases where (amount > 5)"), OPTS);
    assertEquivalent(seg('sector in ["santé", "tech"]'), seg('sector = "santé" or sector = "tech"'), OPTS);
  });

  it("throws when one side selects a record the other does not", () => {
    // A null revenue is in neither `revenue > 0` nor its negation, but `revenue is not set` catches it.
    const e = failure(() => assertEquivalent(seg("not revenue > 0"), seg("revenue <= 0 or revenue is not set"), OPTS));
    expect(e.message).toContain("revenue: null");
    expect(e.message).toMatch(/a record is in B but not in A\./);
  });
});
