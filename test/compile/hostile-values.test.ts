/**
 * Values that run user code when checked: Proxies, getters, `Symbol.toStringTag` / `valueOf` /
 * `toString` hooks. Checking a value read from a record never calls them; any throw while
 * reading or checking a field makes that field unknown, exactly as if it were missing.
 */
import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/rules/index.js";
import { explainText } from "../../src/compile/explain.js";
import { toEpochMs } from "../../src/time/cutoffs.js";
import { seg } from "./helpers.js";
import { Contact as RulesContact, contact, daysAgo } from "../rules/fixtures.js";
import { SPEC_RULES_EXAMPLE } from "../support/language-example.js";

const ctx = { now: new Date("2026-11-22T00:00:00Z") };
const recent = new Date("2026-10-01T00:00:00Z");

const boom = (): never => {
  throw new Error("hook called");
};
const TRAPS = ["get", "set", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "defineProperty", "deleteProperty", "apply", "construct", "isExtensible", "preventExtensions", "setPrototypeOf"] as const;
/** A Proxy whose every trap throws. */
const trapAll = <T extends object>(target: T): T => new Proxy(target, Object.fromEntries(TRAPS.map((t) => [t, boom])));
/** An object whose `Symbol.toStringTag`, `valueOf` and `toString` throw. */
const hooks = (): object => ({
  get [Symbol.toStringTag](): string {
    return boom();
  },
  valueOf: boom,
  toString: boom,
  [Symbol.toPrimitive]: boom,
});
/** A record whose `field` is a getter that throws. */
const withThrowingGetter = (base: Record<string, unknown>, field: string): Record<string, unknown> => {
  const r = { ...base };
  delete r[field];
  Object.defineProperty(r, field, { get: boom, enumerable: true, configurable: true });
  return r;
};
const without = (base: Record<string, unknown>, field: string): Record<string, unknown> => {
  const r = { ...base };
  delete r[field];
  return r;
};

const base: Record<string, unknown> = {
  sector: "santé",
  city: "Paris",
  name: "Ada",
  employees: 40,
  lastPurchase: recent,
  tech: ["X", "Y"],
  tags: ["vip"],
  unsubscribed: false,
  hq: { country: "FR" },
  purchases: [{ amount: 10, date: recent }],
  events: [{ type: "visit", at: recent }],
};

/** A rule per kind of field, and the field it reads. */
const RULES: readonly [field: string, rule: string][] = [
  ["lastPurchase", "lastPurchase < 6 months"],
  ["lastPurchase", "lastPurchase within last 90 days or lastPurchase is set"],
  ["employees", "employees > 3"],
  ["employees", "employees between 1 and 100 or employees is not set"],
  ["city", 'city = "Paris"'],
  ["name", 'name contains "ad"'],
  ["sector", 'sector = "santé"'],
  ["sector", 'sector in ["santé", "finance"] and sector is set'],
  ["tech", 'tech has "X"'],
  ["tags", 'tags has any ["vip", "new"]'],
  ["tech", "tech is empty"],
  ["unsubscribed", "not unsubscribed"],
  ["hq", 'hq.country = "FR"'],
  ["purchases", "any purchases where (amount > 3 and date < 6 months)"],
  ["purchases", "sum(purchases.amount) > 3"],
  ["events", 'all events where (type = "visit")'],
];

/** Every way of reading a record, as one comparable value. */
function everything(rule: string, record: unknown): unknown {
  const s = seg(rule);
  const results: unknown[] = [];
  for (let i = 0; i < 3; i++) results.push(s.test(record as never, ctx), s.evaluate(record as never, ctx));
  results.push(s.filter([record as never, base as never], ctx).length);
  // A batch big enough for the tuner's sampling and the loop of its own.
  const rows = Array.from({ length: 1024 }, (_, i) => (i % 2 ? record : base));
  results.push(s.filter(rows as never[], ctx).length);
  for (let i = 0; i < 600; i++) s.test((i % 2 ? record : base) as never, ctx);
  results.push(s.test(record as never, ctx), s.evaluate(record as never, ctx));
  const ex = s.explain(record as never, ctx);
  results.push(ex.result, explainText(ex).replace(/\(.*\)/g, "(…)"));
  return results;
}

describe("hostile values: checking a value calls no hook, a throw makes the field unknown", () => {
  for (const [field, rule] of RULES) {
    it(`${rule}: a Proxy, a throwing getter, hook objects read as missing`, () => {
      const missing = everything(rule, without(base, field));
      expect(everything(rule, { ...base, [field]: trapAll({}) })).toEqual(missing);
      expect(everything(rule, { ...base, [field]: trapAll([]) })).toEqual(missing);
      expect(everything(rule, { ...base, [field]: trapAll(new Date()) })).toEqual(missing);
      expect(everything(rule, withThrowingGetter(base, field))).toEqual(missing);
      expect(everything(rule, { ...base, [field]: hooks() })).toEqual(missing);
    });
  }

  it("a record that is a Proxy throwing on every trap reads as an empty record", () => {
    for (const [, rule] of RULES) expect(everything(rule, trapAll({ ...base }))).toEqual(everything(rule, {}));
  });

  it("a revoked Proxy reads as missing", () => {
    const { proxy, revoke } = Proxy.revocable([] as unknown[], {});
    revoke();
    for (const [field, rule] of RULES) expect(everything(rule, { ...base, [field]: proxy })).toEqual(everything(rule, without(base, field)));
  });

  it("inside arrays of objects: a hostile element or a throwing field of an element is missing", () => {
    const ok = { amount: 10, date: recent };
    const rules = ["any purchases where (amount > 3 and date < 6 months)", "all purchases where (amount > 3)", "count(purchases where amount > 3) >= 1", "sum(purchases.amount) > 15"];
    for (const rule of rules) {
      expect(everything(rule, { ...base, purchases: [trapAll({}), ok] })).toEqual(everything(rule, { ...base, purchases: [undefined, ok] }));
      expect(everything(rule, { ...base, purchases: [withThrowingGetter(ok, "amount"), ok] })).toEqual(
        everything(rule, { ...base, purchases: [{ date: recent }, ok] }),
      );
      expect(everything(rule, { ...base, purchases: [{ amount: 10, date: trapAll(new Date()) }, ok] })).toEqual(
        everything(rule, { ...base, purchases: [{ amount: 10 }, ok] }),
      );
      expect(everything(rule, { ...base, purchases: [{ amount: hooks(), date: hooks() }, ok] })).toEqual(
        everything(rule, { ...base, purchases: [{}, ok] }),
      );
    }
  });

  it("a throwing field does not hide the fields that can be read (Kleene)", () => {
    const s = seg('sector = "santé" or employees > 3');
    const r = withThrowingGetter({ sector: "santé" }, "employees");
    expect(s.evaluate(r as never, ctx)).toBe(true);
    expect(seg('sector = "santé" and employees > 3').evaluate(r as never, ctx)).toBe(null);
    expect(seg('sector = "finance" and employees > 3').evaluate(r as never, ctx)).toBe(false);
  });

  it("checking a date calls no trap and no hook, and a real Date still counts", () => {
    let calls = 0;
    const counting = new Proxy(new Date(recent), Object.fromEntries(TRAPS.map((t) => [t, (...a: unknown[]) => (calls++, (Reflect[t] as (...x: unknown[]) => unknown)(...a))])));
    const tagged = { get [Symbol.toStringTag]() { calls++; return "Date"; }, valueOf: () => (calls++, recent.getTime()) };
    for (const v of [counting, tagged]) {
      const s = seg("lastPurchase < 6 months");
      expect(s.evaluate({ lastPurchase: v } as never, ctx)).toBe(null);
      expect(s.test({ lastPurchase: v } as never, ctx)).toBe(false);
      expect(seg("lastPurchase is set").evaluate({ lastPurchase: v } as never, ctx)).toBe(false);
      expect(seg("any purchases where (date < 6 months)").evaluate({ purchases: [{ date: v, amount: 1 }] } as never, ctx)).toBe(null);
    }
    expect(calls).toBe(0);
    expect(toEpochMs(tagged, "UTC")).toBeNaN();
    expect(toEpochMs(counting, "UTC")).toBeNaN();
    expect(calls).toBe(0);
    class Day extends Date {}
    expect(seg("lastPurchase < 6 months").evaluate({ lastPurchase: new Day(recent) } as never, ctx)).toBe(true);
  });

  it("explainText shows hostile values without calling their hooks", () => {
    const s = seg("lastPurchase < 6 months");
    expect(explainText(s.explain({ lastPurchase: hooks() } as never, ctx))).toBe("? lastPurchase < 6 months   (lastPurchase: {…})");
    expect(explainText(s.explain({ lastPurchase: recent } as never, ctx))).toBe("✓ lastPurchase < 6 months   (lastPurchase: 2026-10-01T00:00:00.000Z)");
    expect(explainText({ text: "x", result: null, value: trapAll([]), children: [] })).toBe("? x   (unreadable)");
  });

  it("errors that do not come from the record still throw", () => {
    const s = seg("employees > $min");
    expect(() => s.evaluate(withThrowingGetter(base, "employees") as never, { ...ctx, params: {} })).toThrow();
  });

  it("rules.evaluate, scores and their explanations: a throwing field is missing", () => {
    const rules = compileRules(SPEC_RULES_EXAMPLE, RulesContact);
    const good = contact({ emailClicks30d: 12, pricingViews: 3, lastVisit: daysAgo(3), events: [{ type: "webinar", at: daysAgo(2) }, { type: "webinar", at: daysAgo(40) }] });
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [withThrowingGetter(good, "emailClicks30d"), without(good, "emailClicks30d")],
      [withThrowingGetter(good, "lastVisit"), without(good, "lastVisit")],
      [{ ...good, lastVisit: trapAll(new Date()) }, without(good, "lastVisit")],
      [{ ...good, events: trapAll([]) }, without(good, "events")],
      [{ ...good, events: [good.events![0], trapAll({})] }, { ...good, events: [good.events![0], undefined] }],
      [{ ...good, events: [{ type: "webinar", at: hooks() }, good.events![1]] }, { ...good, events: [{ type: "webinar" }, good.events![1]] }],
      [{ ...good, events: [withThrowingGetter(good.events![0]!, "at"), good.events![1]] }, { ...good, events: [{ type: "webinar" }, good.events![1]] }],
    ];
    for (const [hostile, plain] of cases) {
      expect(rules.evaluate(hostile as never, ctx)).toEqual(rules.evaluate(plain as never, ctx));
      for (const [name, sc] of Object.entries(rules.scores)) {
        expect([name, sc.score(hostile as never, ctx)]).toEqual([name, sc.score(plain as never, ctx)]);
        expect(sc.explain(hostile as never, ctx)).toEqual(sc.explain(plain as never, ctx));
      }
      for (const sg of Object.values(rules.segments)) expect(sg.explain(hostile as never, ctx)).toEqual(sg.explain(plain as never, ctx));
    }
  });
});
