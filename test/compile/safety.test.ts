/**
 * Rules read the record's own declared fields and nothing else; no data ever makes evaluation
 * throw.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { z } from "zod";
import { readSchema } from "../../src/schema/index.js";
import { seg } from "./helpers.js";

const ctx = { now: new Date("2026-11-22T00:00:00Z") };
const proto = Object.prototype as Record<string, unknown>;

describe("prototype safety", () => {
  it("a polluted Object.prototype is not read", () => {
    const s = seg('sector = "santé"');
    const n = seg("employees > 3");
    const d = seg("lastPurchase < 6 months");
    const h = seg('tech has "X"');
    const q = seg("any purchases where (amount > 3)");
    const c = seg('hq.country = "FR"');
    try {
      proto.sector = "santé";
      proto.employees = 10;
      proto.lastPurchase = new Date("2026-11-01T00:00:00Z");
      proto.tech = ["X"];
      proto.amount = 10;
      proto.country = "FR";
      proto.purchases = [{ amount: 10, date: new Date() }];
      expect(s.evaluate({}, ctx)).toBe(null);
      expect(s.evaluate({ sector: "finance" }, ctx)).toBe(false);
      expect(s.evaluate({ sector: "santé" }, ctx)).toBe(true);
      expect(n.evaluate({}, ctx)).toBe(null);
      expect(n.evaluate({ employees: 4 }, ctx)).toBe(true);
      expect(d.evaluate({}, ctx)).toBe(null);
      expect(h.evaluate({}, ctx)).toBe(null);
      expect(q.evaluate({}, ctx)).toBe(false);
      expect(q.evaluate({ purchases: [{ date: new Date() }] }, ctx)).toBe(null);
      expect(c.evaluate({ hq: {} }, ctx)).toBe(null);
      expect(s.filter([{}, { sector: "santé" }], ctx)).toEqual([{ sector: "santé" }]);
    } finally {
      for (const k of ["sector", "employees", "lastPurchase", "tech", "amount", "country", "purchases"]) delete proto[k];
    }
    expect(s.evaluate({}, ctx)).toBe(null);
  });

  it("a polluted Object.prototype is not read by closures already optimised", () => {
    // The field sites check `Object.prototype[k]` per read: optimised code must see pollution.
    const s = seg('sector = "santé" and employees > 3 and not unsubscribed');
    const rows = Array.from({ length: 2000 }, (_, i) => ({ sector: i % 2 ? "santé" : "finance", employees: i, unsubscribed: false }));
    for (let i = 0; i < 30; i++) s.filter(rows, ctx);
    for (let i = 0; i < 20_000; i++) s.test(rows[i % rows.length]!, ctx);
    try {
      proto.sector = "santé";
      proto.unsubscribed = false;
      expect(s.evaluate({ employees: 10, unsubscribed: false }, ctx)).toBe(null);
      expect(s.evaluate({ sector: "santé", employees: 10 }, ctx)).toBe(null);
      expect(s.test({ sector: "santé", employees: 10, unsubscribed: false }, ctx)).toBe(true);
      expect(s.filter([{ employees: 10, unsubscribed: false }, { sector: "santé", employees: 10, unsubscribed: false }], ctx)).toHaveLength(1);
    } finally {
      delete proto.sector;
      delete proto.unsubscribed;
    }
    expect(s.filter(rows, ctx)).toHaveLength(998);
  });

  it("a record's own prototype is not read", () => {
    const s = seg('sector = "santé"');
    expect(s.evaluate(Object.create({ sector: "santé" }), ctx)).toBe(null);
    const own = Object.assign(Object.create({ sector: "santé" }), { sector: "finance" });
    expect(s.evaluate(own, ctx)).toBe(false);
    class Contact {
      constructor(public sector: string) {}
    }
    expect(s.evaluate(new Contact("santé") as never, ctx)).toBe(true);
    const bare = Object.assign(Object.create(null), { sector: "santé" });
    expect(s.evaluate(bare, ctx)).toBe(true);
    expect(seg('hq.country = "FR"').evaluate({ hq: Object.create({ country: "FR" }) }, ctx)).toBe(null);
    expect(seg("any purchases where (amount > 3)").evaluate({ purchases: [Object.create({ amount: 5 })] }, ctx)).toBe(null);
  });

  it("fields named like Object.prototype members read only own values", () => {
    const Weird = z.object({
      constructor: z.string().optional(),
      toString: z.string().optional(),
      ["__proto__"]: z.string().optional(),
      valueOf: z.number().optional(),
    });
    const model = readSchema(Weird);
    expect([...model.root.fields.keys()]).toContain("__proto__");
    const ctor = seg('constructor = "x"', { model });
    expect(ctor.evaluate({}, ctx)).toBe(null);
    expect(ctor.evaluate({ constructor: "x" }, ctx)).toBe(true);
    expect(seg("constructor is set", { model }).evaluate({}, ctx)).toBe(false);
    expect(seg("toString is set", { model }).evaluate({}, ctx)).toBe(false);
    expect(seg("valueOf > 1", { model }).evaluate({}, ctx)).toBe(null);
    const p = seg('`__proto__` = "x"', { model });
    expect(p.evaluate({}, ctx)).toBe(null);
    expect(p.evaluate(JSON.parse('{"__proto__": "x"}'), ctx)).toBe(true);
    expect(seg("`__proto__` is set", { model }).evaluate({}, ctx)).toBe(false);
    expect(seg("`__proto__` is set", { model }).evaluate(Object.create(null), ctx)).toBe(false);
  });
});

describe("no data makes evaluation throw", () => {
  const rules = [
    'sector = "santé" and lastPurchase < 6 months and tech has "X"',
    "employees between 10 and 20 or not unsubscribed",
    'city contains "par" or city ~= "lyon"',
    "any purchases where (amount > 10 and date < 1 year)",
    "count(purchases where amount > 5) >= 2 or sum(purchases.amount) > 100 or avg(scores) > 1",
    'any accounts where (any contacts where (role = "CEO"))',
    'hq.country = "FR" and tags has any ["vip", "new"]',
    'grade >= "B" and lastPurchase = 2026-01-01 and renewalDate within next 30 days',
    "tech is empty or purchases is empty or name is empty",
  ].map((r) => seg(r));

  it("on weird records", () => {
    const weird: unknown[] = [
      null, undefined, 0, "", "str", true, [], [1, 2], () => 1, Symbol("x"), new Date(), new Map(), Object.create(null),
      { sector: {}, employees: {}, lastPurchase: {}, tech: {}, purchases: {}, accounts: "x", hq: "x", scores: "x" },
      { tech: [{}, null, 1, [], undefined], purchases: [1, "x", null, [], { amount: "1" }], accounts: [{ contacts: "x" }, { contacts: [null, 1] }] },
      { lastPurchase: "2026-99-99", renewalDate: -1e300, grade: 4, city: Symbol("s"), name: 1n },
    ];
    for (const s of rules) {
      for (const r of weird) {
        const v = s.evaluate(r as never, ctx);
        expect([true, false, null]).toContain(v);
        expect(s.test(r as never, ctx)).toBe(v === true);
        expect(s.explain(r as never, ctx).result).toBe(v);
      }
    }
  });

  it("on arbitrary values (property)", () => {
    const keys = ["sector", "employees", "lastPurchase", "tech", "purchases", "accounts", "hq", "city", "scores", "tags", "grade", "name", "unsubscribed", "renewalDate"];
    const value = fc.anything({ maxDepth: 3, withDate: true, withMap: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true });
    const record = fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8 });
    fc.assert(
      fc.property(record, (r) => {
        for (const s of rules) {
          const v = s.evaluate(r as never, ctx);
          if (v !== true && v !== false && v !== null) return false;
          if (s.test(r as never, ctx) !== (v === true)) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
