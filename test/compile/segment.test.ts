/**
 * The segment API (test / evaluate / filter / explain / toString), explanations, values for the
 * rules engine, and `@name` references.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { model, prepare, seg } from "./helpers.js";
import {
  type RefBinding,
  compileCollection,
  compileExpr,
  compileValue,
  createRun,
  explainText,
} from "../../src/compile/index.js";
import { printExpression } from "../../src/ast/printer.js";
import type { RefType } from "../../src/check/types.js";

const now = new Date("2026-11-22T00:00:00Z");
const ctx = { now };
const SEED = 'sector = "santé" and lastPurchase < 6 months and tech has "X"';

afterEach(() => vi.restoreAllMocks());

describe("segment", () => {
  it("keeps source, ast and canonical text", () => {
    const src = 'SECTOR = "santé"  AND (employees>=50)'.replace("SECTOR", "sector");
    const s = seg(src);
    expect(s.source).toBe(src);
    expect(s.ast.kind).toBe("expression");
    expect(s.toString()).toBe(printExpression(s.ast));
    expect(s.toString()).toBe('sector = "santé" and employees >= 50');
  });

  it("filter returns the matching records, in order, as the same objects", () => {
    const s = seg("employees > 10");
    const records = [{ employees: 20 }, { employees: 5 }, {}, { employees: 30 }, null];
    const out = s.filter(records as never[], ctx);
    expect(out).toEqual([{ employees: 20 }, { employees: 30 }]);
    expect(out[0]).toBe(records[0]);
    expect(out).toEqual(records.filter((r) => s.test(r as never, ctx)));
  });

  it("filter reads now once for the whole batch", () => {
    const s = seg("lastPurchase < 6 months and renewalDate < 30 days from now");
    const records = Array.from({ length: 500 }, (_, i) => ({ lastPurchase: new Date(Date.now() - i * 86_400_000), renewalDate: new Date() }));
    const spy = vi.spyOn(Date, "now");
    const out = s.filter(records);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(out.length).toBeGreaterThan(100);
    spy.mockRestore();
    const later = vi.spyOn(Date, "now");
    s.filter(records, ctx);
    expect(later).not.toHaveBeenCalled();
  });

  it("test in a loop gives the same results as evaluate", () => {
    const s = seg(SEED);
    const records = [
      { sector: "santé", lastPurchase: new Date("2026-10-01"), tech: ["X"] },
      { sector: "santé", lastPurchase: null, tech: ["X"] },
      { sector: "finance", lastPurchase: new Date("2026-10-01"), tech: ["X"] },
    ];
    expect(records.map((r) => s.test(r, ctx))).toEqual([true, false, false]);
    expect(records.map((r) => s.evaluate(r, ctx))).toEqual([true, null, false]);
    // A different now in the same loop is honoured (the run is not reused blindly).
    expect(s.test(records[0]!, { now: new Date("2028-01-01T00:00:00Z") })).toBe(false);
    expect(s.test(records[0]!, ctx)).toBe(true);
  });
});

describe("explain", () => {
  it("gives every sub-expression its result and the value it read", () => {
    const s = seg(SEED);
    const r = { sector: "santé", lastPurchase: null, tech: ["X", "Y"] };
    const e = s.explain(r, ctx);
    expect(e.result).toBe(null);
    expect(e.result).toBe(s.evaluate(r, ctx));
    expect(e.text).toBe(SEED);
    expect(e.children.map((c) => [c.text, c.result, c.subject, c.value])).toEqual([
      ['sector = "santé"', true, "sector", "santé"],
      ["lastPurchase < 6 months", null, "lastPurchase", null],
      ['tech has "X"', true, "tech", ["X", "Y"]],
    ]);
    expect(explainText(e)).toBe(
      [
        '? sector = "santé" and lastPurchase < 6 months and tech has "X"',
        '  ✓ sector = "santé"   (sector: "santé")',
        "  ? lastPurchase < 6 months   (lastPurchase: null)",
        '  ✓ tech has "X"   (tech: ["X", "Y"])',
      ].join("\n"),
    );
  });

  it("keeps the structure of not, or and quantifiers", () => {
    const s = seg('not (sector = "santé" or employees > 10) and any purchases where (amount > 5)');
    const r = { sector: "finance", employees: 3, purchases: [{ amount: 1, date: now }, { amount: 9, date: now }] };
    const e = s.explain(r, ctx);
    expect(e.result).toBe(true);
    const text = explainText(e);
    expect(text).toBe(
      [
        '✓ not (sector = "santé" or employees > 10) and any purchases where (amount > 5)',
        '  ✓ not (sector = "santé" or employees > 10)',
        '    ✗ sector = "santé" or employees > 10',
        '      ✗ sector = "santé"   (sector: "finance")',
        "      ✗ employees > 10   (employees: 3)",
        "  ✓ any purchases where (amount > 5)   (purchases: [{…}, {…}])",
        "    ✗ purchases[0]",
        "      ✗ amount > 5   (amount: 1)",
        "    ✓ purchases[1]",
        "      ✓ amount > 5   (amount: 9)",
      ].join("\n"),
    );
  });

  it("shows missing values, dates and aggregates", () => {
    const s = seg("employees > 1 or lastPurchase > 2026-01-01 or count(purchases) > 1");
    const e = s.explain({ lastPurchase: new Date("2026-02-01T00:00:00Z") }, ctx);
    expect(explainText(e).split("\n")).toEqual([
      "✓ employees > 1 or lastPurchase > 2026-01-01 or count(purchases) > 1",
      "  ? employees > 1   (employees: not set)",
      "  ✓ lastPurchase > 2026-01-01   (lastPurchase: 2026-02-01T00:00:00.000Z)",
      "  ✗ count(purchases) > 1   (count(purchases): 0)",
    ]);
  });
});

describe("internal API for the rules engine", () => {
  it("compileExpr: truth, isTrue, isFalse agree", () => {
    const { body, checked } = prepare("employees > $n");
    const c = compileExpr(body, model, { facts: checked.facts });
    const run = createRun({ now, params: { n: 5 } }, checked.params);
    for (const [r, t] of [[{ employees: 10 }, true], [{ employees: 1 }, false], [{}, null]] as const) {
      expect(c.truth(r, run)).toBe(t);
      expect(c.isTrue(r, run)).toBe(t === true);
      expect(c.isFalse(r, run)).toBe(t === false);
      expect(c.explain(r, run).result).toBe(t);
    }
  });

  it("compileValue: numbers, strings, booleans, dates as epoch ms, null for unknown", () => {
    const run = createRun({ now, timeZone: "Europe/Paris" }, new Map());
    const v = (src: string, r: unknown) => {
      const { body: parsed, checked } = prepare(`${src} is set`);
      if (parsed.kind !== "isSet") throw new Error("unexpected");
      return compileValue(parsed.subject, model, { facts: checked.facts })(r, run);
    };
    expect(v("employees", { employees: 5 })).toBe(5);
    expect(v("employees", { employees: NaN })).toBe(null);
    expect(v("employees", {})).toBe(null);
    expect(v("sector", { sector: "sante\u0301" })).toBe("santé");
    expect(v("sector", { sector: "autre" })).toBe(null);
    expect(v("unsubscribed", { unsubscribed: false })).toBe(false);
    expect(v("lastPurchase", { lastPurchase: new Date("2026-01-01T00:00:00Z") })).toBe(Date.parse("2026-01-01T00:00:00Z"));
    expect(v("lastPurchase", { lastPurchase: "2026-01-01" })).toBe(Date.parse("2025-12-31T23:00:00Z"));
    expect(v("lastPurchase", { lastPurchase: "nope" })).toBe(null);
    expect(v("hq.country", { hq: { country: "FR" } })).toBe("FR");
    const { body: agg, checked: aggChecked } = prepare("sum(purchases.amount where date < 12 months) > 0");
    if (agg.kind !== "compare") throw new Error("unexpected");
    const sum = compileValue(agg.left, model, { facts: aggChecked.facts });
    expect(sum({ purchases: [{ amount: 5, date: now }, { amount: 7, date: new Date("2020-01-01") }] }, run)).toBe(5);
    expect(sum({}, run)).toBe(0);
    const { body: avg, checked: avgChecked } = prepare("avg(purchases.amount) > 0");
    if (avg.kind !== "compare") throw new Error("unexpected");
    expect(compileValue(avg.left, model, { facts: avgChecked.facts })({}, run)).toBe(null);
  });

  it("compileCollection visits the elements whose where is true, with a value in the element's scope", () => {
    // `at is set` only gets `at` checked in the element's scope; the walk uses the first operand.
    const { body, checked } = prepare('any events where (type = "webinar" and at is set)');
    if (body.kind !== "quantifier" || body.where.kind !== "and") throw new Error("unexpected");
    const [where, atIsSet] = body.where.operands;
    if (atIsSet?.kind !== "isSet" || !where) throw new Error("unexpected");
    const coll = compileCollection(body.collection, model, { facts: checked.facts, where, value: atIsSet.subject });
    const run = createRun({ now }, new Map());
    const seen: unknown[] = [];
    coll.forEach(
      { events: [{ type: "webinar", at: new Date(1000) }, { type: "demo", at: new Date(2000) }, null, { type: "webinar", at: "bad" }] },
      run,
      (value) => seen.push(value),
    );
    expect(seen).toEqual([1000, null]);
    coll.forEach({}, run, () => {
      throw new Error("no elements expected");
    });
  });

  it("references: segments, scores, lifecycle stages by order, tiers by equality", () => {
    const types = new Map<string, RefType>([
      ["big", { kind: "segment" }],
      ["lead", { kind: "score" }],
      ["stage", { kind: "lifecycle", stages: ["awareness", "evaluation", "purchase"] }],
      ["value", { kind: "tiers", names: ["high", "low"] }],
    ]);
    const refs = new Map<string, RefBinding>(
      [...types].map(([name, type]) => [name, { type, read: (r: unknown) => (r as Record<string, never>)[`@${name}`] ?? null }]),
    );
    const env = { refs: types };
    const s = (src: string) => seg(src, { env, refs });
    expect(s("@big").evaluate({ "@big": true }, ctx)).toBe(true);
    expect(s("@big").evaluate({ "@big": null }, ctx)).toBe(null);
    expect(s("not @big").evaluate({ "@big": false }, ctx)).toBe(true);
    expect(s("@lead >= 50").evaluate({ "@lead": 60 }, ctx)).toBe(true);
    expect(s("@lead >= 50").evaluate({ "@lead": 40 }, ctx)).toBe(false);
    expect(s('@stage >= "evaluation"').evaluate({ "@stage": "purchase" }, ctx)).toBe(true);
    expect(s('@stage >= "evaluation"').evaluate({ "@stage": "awareness" }, ctx)).toBe(false);
    expect(s('@stage >= "evaluation"').evaluate({ "@stage": null }, ctx)).toBe(null);
    expect(s('@value = "high"').evaluate({ "@value": "high" }, ctx)).toBe(true);
    expect(s('@value = "high"').evaluate({ "@value": "low" }, ctx)).toBe(false);
    expect(s('@value = "high"').evaluate({ "@value": null }, ctx)).toBe(null);
    // Inside a where, a reference still reads the record, not the element.
    expect(s("any purchases where (@big)").evaluate({ "@big": true, purchases: [{ amount: 1, date: now }] }, ctx)).toBe(true);
    expect(explainText(s("@lead >= 50").explain({ "@lead": 60 }, ctx))).toBe("✓ @lead >= 50   (@lead: 60)");
  });

  it("RunState.memo keeps one map per record", () => {
    const run = createRun({ now }, new Map());
    const a = {};
    const m = run.memo.for(a);
    m.set("x", 1);
    expect(run.memo.for(a).get("x")).toBe(1);
    expect(run.memo.for({}).get("x")).toBe(undefined);
    expect(run.memo.for(a).get("x")).toBe(undefined);
  });
});
