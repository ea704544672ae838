import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/rules/index.js";
import { Contact, contact, ctx } from "./fixtures.js";

// Segments sharing top-level conjuncts (and references), some unknown: `evaluate` tests a shared
// conjunct once per record and must agree with each segment's own `evaluate`.
const RULES = `segment actifs:
  not unsubscribed and orders > 0

segment s1:
  @actifs and sector = "santé" and employees > 10

segment s2:
  @actifs and sector = "santé" and (role = "CEO" or employees > 100)

segment s3:
  sector = "santé" and @actifs

segment s4:
  employees > 10 and sector = "finance" and @actifs

segment s5:
  not (sector = "santé") and orders > 0

segment s6:
  sector = "finance" and employees > 10

score fit:
  +10 if @actifs
  +5 if @s1
`;

const records = () => {
  const out = [];
  for (const sector of ["santé", "finance", null] as const)
    for (const unsubscribed of [true, false, null])
      for (const employees of [5, 50, 500, null])
        for (const role of ["CEO", "Sales"] as const)
          for (const orders of [0, 2]) out.push(contact({ sector, unsubscribed, employees, role, orders }));
  return out;
};

describe("rules.evaluate with shared conjuncts", () => {
  it("agrees with each definition evaluated on its own", () => {
    const rules = compileRules(RULES, Contact);
    const names = Object.keys(rules.segments);
    for (const r of records()) {
      const e = rules.evaluate(r, ctx);
      expect(e.segments).toEqual(names.filter((n) => rules.segments[n]!.evaluate(r, ctx) === true));
      expect(e.scores.fit).toBe(rules.scores.fit!.score(r, ctx));
    }
  });

  it("recomputes after the record is changed in place, whatever the entry point", () => {
    const rules = compileRules(RULES, Contact);
    const r = contact({ sector: "santé", unsubscribed: false, orders: 1, employees: 50 });
    expect(rules.evaluate(r, ctx).segments).toEqual(["actifs", "s1", "s3"]);
    r.orders = 0;
    expect(rules.segments.s3!.test(r, ctx)).toBe(false);
    expect(rules.scores.fit!.score(r, ctx)).toBe(0);
    expect(rules.evaluate(r, ctx).segments).toEqual([]);
    r.orders = 3;
    expect(rules.scores.fit!.score(r, ctx)).toBe(15);
    expect(rules.segments.s1!.evaluate(r, ctx)).toBe(true);
    r.sector = null;
    expect(rules.segments.s1!.evaluate(r, ctx)).toBe(null);
    expect(rules.evaluate(r, ctx)).toEqual({
      segments: ["actifs"],
      scores: Object.assign(Object.create(null), { fit: 10 }),
      stages: Object.create(null),
      tiers: Object.create(null),
      reachable: Object.create(null),
      splits: Object.create(null),
    });
  });
});
