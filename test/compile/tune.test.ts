/**
 * `and`/`or` chains are reordered after sampling records (src/compile/tune.ts), and rebuilt from
 * other closures: results must not change, three-valued included.
 */
import { describe, expect, it } from "vitest";
import { compileExpr, createRun } from "../../src/compile/index.js";
import { model, prepare, seg } from "./helpers.js";

const ctx = { now: new Date("2026-11-22T00:00:00Z") };

/** A small seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function records(n: number, seed: number): Record<string, unknown>[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const day = 86_400_000;
  return Array.from({ length: n }, () => {
    const r: Record<string, unknown> = {};
    // Skewed on purpose: the tuner then has something to reorder.
    if (rnd() < 0.9) r.sector = pick(["santé", "finance", "industrie", "finance", "finance", null, "sante\u0301", 42]);
    if (rnd() < 0.9) r.employees = pick([5, 50, 500, 5000, 50_000, null, NaN, "100"]);
    if (rnd() < 0.9) r.revenue = rnd() < 0.1 ? undefined : Math.round(rnd() * 5_000_000);
    if (rnd() < 0.9) r.lastPurchase = pick([null, new Date(ctx.now.getTime() - Math.floor(rnd() * 900) * day), "2026-01-15", new Date(NaN)]);
    if (rnd() < 0.9) r.tech = rnd() < 0.1 ? null : ["X", "Salesforce", "HubSpot", "SAP"].filter(() => rnd() < 0.4);
    if (rnd() < 0.9) r.unsubscribed = pick([true, false, false, false, null, "no"]);
    if (rnd() < 0.9) r.city = pick(["Paris", "Lyon", "ORLÉANS", null]);
    return r;
  });
}

const RULES = [
  'sector = "santé" and lastPurchase < 6 months and tech has "X"',
  '(sector in ["finance", "santé"] or employees >= 1000) and not unsubscribed and city in ["Paris", "Lyon"]',
  'employees between 50 and 5000 and revenue > 1M and (tech has "Salesforce" or tech has "HubSpot") and lastPurchase is set and lastPurchase > 30 days and not unsubscribed',
  'not (sector = "finance" and employees < 100) or (unsubscribed and revenue > 100000) or city ~= "orleans"',
  '(sector = "finance" or sector = "santé" or employees > 1000 or revenue < 1000 or tech has "SAP") and (not unsubscribed or city = "Paris")',
  'any purchases where (amount > 3 and category = "a") or (employees > 10 and employees < 20000 and sector != "industrie")',
];

describe("tuned chains", () => {
  for (const source of RULES) {
    it(`keeps the results of ${source}`, () => {
      const rows = records(3000, source.length);
      // Reference: a segment only ever asked about one record per `filter` call never samples.
      const ref = seg(source);
      const neg = seg(`not (${source})`);
      const want = rows.map((r) => (ref.filter([r], ctx).length ? true : neg.filter([r], ctx).length ? false : null));
      expect(want.some((x) => x === true)).toBe(true);
      expect(want.some((x) => x !== true)).toBe(true);

      const s = seg(source);
      // Enough evaluations and batches to sample, tune and relink several times.
      for (let pass = 0; pass < 3; pass++) {
        expect(rows.map((r) => s.evaluate(r, ctx))).toEqual(want);
        expect(s.filter(rows, ctx)).toEqual(rows.filter((_, i) => want[i] === true));
        expect(rows.map((r) => s.test(r, ctx))).toEqual(want.map((x) => x === true));
      }
      expect(rows.slice(0, 50).map((r) => s.explain(r, ctx).result)).toEqual(want.slice(0, 50));
    });
  }
});

describe("test functions held by the caller", () => {
  // Once hot, a segment's `test` is replaced by one with call sites of its own (tune.ts); a
  // caller may have kept the earlier one (`const { test } = seg`, `rows.filter(seg.test)`).
  for (const source of [RULES[0]!, "employees > 100"]) {
    it(`all agree, before and after tuning: ${source}`, () => {
      const rows = records(3000, 7);
      const ref = seg(source);
      const want = rows.map((r) => ref.evaluate(r, ctx) === true);
      const s = seg(source);
      const early = s.test;
      for (let pass = 0; pass < 3; pass++) expect(rows.map((r) => s.test(r, ctx))).toEqual(want);
      const late = s.test;
      // (Otherwise this test would not exercise the pooled `test` at all.)
      expect(late).not.toBe(early);
      // More calls: the rule may be relinked again, `late` is then stale but still right.
      for (let pass = 0; pass < 30; pass++) s.filter(rows, ctx);
      for (const t of [early, late, s.test]) expect(rows.map((r) => t(r, ctx))).toEqual(want);
      expect(rows.filter((r) => late(r, ctx))).toEqual(s.filter(rows, ctx));
    });
  }
});

describe("a frozen segment", () => {
  it("keeps working when the rule gets hot (test is then not replaced)", () => {
    const rows = records(3000, 11);
    const ref = seg(RULES[1]!);
    const want = rows.map((r) => ref.evaluate(r, ctx) === true);
    const s = Object.freeze(seg(RULES[1]!));
    for (let pass = 0; pass < 3; pass++) {
      expect(rows.map((r) => s.test(r, ctx))).toEqual(want);
      expect(s.filter(rows, ctx)).toEqual(rows.filter((_, i) => want[i]));
    }
  });
});

describe("the owner of a segment's condition", () => {
  // One owner (tune.ts) takes the rebuilt closures for test, evaluate and filter alike: however
  // the rule gets hot, segment.test is replaced, and every entry point keeps the results.
  const ways: [string, (s: ReturnType<typeof seg>, rows: Record<string, unknown>[]) => void][] = [
    ["filter", (s, rows) => s.filter(rows, ctx)],
    ["evaluate", (s, rows) => rows.forEach((r) => s.evaluate(r, ctx))],
    ["test", (s, rows) => rows.forEach((r) => s.test(r, ctx))],
  ];
  for (const source of [RULES[2]!, "employees > 100"]) {
    for (const [way, heat] of ways) {
      it(`picks up a relink made by ${way} in test and filter: ${source}`, () => {
        const rows = records(3000, 5);
        const ref = seg(source);
        const want = rows.map((r) => ref.evaluate(r, ctx));
        const s = seg(source);
        const early = s.test;
        for (let pass = 0; pass < 3; pass++) heat(s, rows);
        expect(s.test).not.toBe(early);
        expect(rows.map((r) => s.test(r, ctx))).toEqual(want.map((x) => x === true));
        expect(rows.map((r) => early(r, ctx))).toEqual(want.map((x) => x === true));
        expect(s.filter(rows, ctx)).toEqual(rows.filter((_, i) => want[i] === true));
        expect(rows.map((r) => s.evaluate(r, ctx))).toEqual(want);
      });
    }
  }

  it("leaves a read-only test in place once hot, and keeps its results", () => {
    const rows = records(3000, 13);
    const ref = seg(RULES[0]!);
    const want = rows.map((r) => ref.evaluate(r, ctx) === true);
    const s = seg(RULES[0]!);
    const { test } = s;
    Object.defineProperty(s, "test", { value: test, writable: false });
    for (let pass = 0; pass < 3; pass++) {
      expect(s.filter(rows, ctx)).toEqual(rows.filter((_, i) => want[i]));
      expect(rows.map((r) => s.test(r, ctx))).toEqual(want);
    }
    expect(s.test).toBe(test);
  });
});

describe("a compiled expression (compileExpr)", () => {
  it("keeps truth, isTrue and isFalse through tunings", () => {
    for (const source of RULES) {
      const rows = records(3000, source.length + 1);
      const ref = seg(source);
      const want = rows.map((r) => ref.filter([r], ctx).length > 0);
      const { body, checked } = prepare(source);
      const c = compileExpr(body, model, { facts: checked.facts });
      const run = createRun(ctx, checked.params);
      for (let pass = 0; pass < 3; pass++) {
        const truth = rows.map((r) => c.truth(r, run));
        expect(truth.map((x) => x === true)).toEqual(want);
        expect(rows.map((r) => c.isTrue(r, run))).toEqual(want);
        expect(rows.map((r) => c.isFalse(r, run))).toEqual(truth.map((x) => x === false));
      }
    }
  });
});
