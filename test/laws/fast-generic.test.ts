/**
 * Law (issue 11): fast path ≡ generic path.
 *
 * A field of the record itself read at top level goes through the compiler's fast path
 * (src/compile/value-tests.ts applied at the record's read site, an operand with a `key`); the same field read nested goes through the
 * generic path. For random rules over a flat schema, the same rule is compiled three ways over a
 * wider schema `{ ...fields, inner: { ...fields }, box: [{ ...fields }] }`, on records
 * `{ ...r, inner: r, box: [r] }`:
 *   - as is (top-level reads: fast path),
 *   - with every field `f` rewritten `inner.f` (nested object: generic path),
 *   - as `any box where (rule)` (through a `where` scope: generic path; `any` of one element is
 *     that element's truth value, three-valued).
 * `evaluate`, `test` and `filter` must agree, before and after tuning (thousands of `test` calls
 * make the segments hot and let the tuner reorder chains), in several time zones and at several
 * `now`s, some next to a daylight-saving change.
 *
 * A fixed seed; locally `CIBLE_SEED=123 CIBLE_LAW_RUNS=300 npx vitest run test/laws`.
 */
import fc from "fast-check";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import type { ExpressionDocument } from "../../src/ast/nodes.js";
import { compile, format, parse } from "../../src/index.js";
import type { EvalContext, Segment, Truth } from "../../src/index.js";
import { recordArbitrary, ruleArbitrary } from "../../src/testing.js";

const SEED = Number(process.env.CIBLE_SEED ?? 20261112);
const RUNS = Number(process.env.CIBLE_LAW_RUNS ?? 100);
/** `test` calls that make a segment hot (the tuner samples, reorders and relinks). */
const HEAT = 3000;

const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Pacific/Chatham", "Asia/Kolkata"];
const NOWS = [
  Date.UTC(2026, 10, 22, 9, 30),
  // Europe/Paris springs forward at 2026-03-29T01:00Z: just before and just after.
  Date.UTC(2026, 2, 29, 0, 59, 59, 999),
  Date.UTC(2026, 2, 29, 1, 30),
  // America/New_York falls back at 2026-11-01T06:00Z.
  Date.UTC(2026, 10, 1, 6, 15),
  // Pacific/Chatham leaves daylight saving at 2026-04-04T14:00Z (03:45 local on 5 April).
  Date.UTC(2026, 3, 4, 14, 30),
];

const FIELDS = {
  sector: z.enum(["santé", "finance", "industrie"]).nullable(),
  grade: z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true }).optional(),
  name: z.string().nullable(),
  employees: z.number().int().nullable(),
  revenue: z.number().optional(),
  budget: z.number().optional(),
  active: z.boolean().nullable(),
  lastPurchase: z.date().nullable(),
  renewal: z.date().optional(),
  signup: z.iso.date().optional(),
  tech: z.array(z.string()).nullable(),
  scores: z.array(z.number().nullable()).optional(),
  tags: z.array(z.enum(["vip", "new", "churn"])).optional(),
};

const Flat = z.object(FIELDS);
const Wide = z.object({ ...FIELDS, inner: z.object(FIELDS).nullable(), box: z.array(z.object(FIELDS)).nullable() });

type Rec = Record<string, unknown>;

/** The rule with every field `f` read as `inner.f` (the flat schema has no arrays of objects: every name is a record field). */
function throughInner(source: string): string {
  const map = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(map);
    if (typeof n !== "object" || n === null) return n;
    const o = n as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = map(v);
    if ((o.kind === "field" || o.kind === "aggregate") && Array.isArray(o.path)) out.path = ["inner", ...(o.path as string[])];
    return out;
  };
  return format(map(parse(source)) as ExpressionDocument);
}

/** The same record, readable at top level, through `inner` and through `box`. */
const widen = (r: Rec): Rec => ({ ...r, inner: r, box: [r] });

/** Wrong runtime values the generic and fast paths must both read as unknown (or the same way). */
const ODD = [null, undefined, NaN, Infinity, -0, "", "100", "2026-03-29", "2026-03-29T02:30", new Date(NaN), "sante\u0301", [null], {}, true, 0];

function messy(base: fc.Arbitrary<Rec>): fc.Arbitrary<Rec> {
  return fc.tuple(base, fc.nat(), fc.constantFrom(...ODD)).map(([r, k, v]) => {
    const keys = Object.keys(FIELDS);
    return { ...r, [keys[k % keys.length]!]: v };
  });
}

/** A rule, and records around its boundaries (some with wrongly typed values). */
const cases = ruleArbitrary(Flat, { now: NOWS[0], maxDepth: 2 }).chain((source) => {
  let favoured: fc.Arbitrary<Rec>;
  try {
    favoured = recordArbitrary(Flat, { now: NOWS[0], segments: [compile(source, Flat)] }) as fc.Arbitrary<Rec>;
  } catch {
    favoured = recordArbitrary(Flat, { now: NOWS[0] }) as fc.Arbitrary<Rec>;
  }
  const plain = recordArbitrary(Flat, { now: NOWS[0] }) as fc.Arbitrary<Rec>;
  return fc.tuple(fc.constant(source), fc.array(fc.oneof({ arbitrary: favoured, weight: 4 }, { arbitrary: plain, weight: 1 }, { arbitrary: messy(favoured), weight: 1 }), { minLength: 20, maxLength: 40 }), fc.constantFrom(...NOWS));
});

interface Ways {
  readonly fast: Segment<Rec>;
  readonly inner: Segment<Rec>;
  readonly box: Segment<Rec>;
}

/** Differences between the three ways on `rows` under `ctx` (empty when they agree). */
function compare(w: Ways, rows: readonly Rec[], ctx: EvalContext, when: string): string[] {
  const out: string[] = [];
  const at = `${when} tz=${ctx.timeZone} now=${new Date(ctx.now as number).toISOString()}`;
  const ev = (s: Segment<Rec>): Truth[] => rows.map((r) => s.evaluate(r, ctx));
  const ts = (s: Segment<Rec>): boolean[] => rows.map((r) => s.test(r, ctx));
  const fl = (s: Segment<Rec>): number[] => s.filter(rows, ctx).map((r) => rows.indexOf(r));
  const [ef, ei, eb] = [ev(w.fast), ev(w.inner), ev(w.box)];
  const [tf, ti, tb] = [ts(w.fast), ts(w.inner), ts(w.box)];
  const [ff, fi, fb] = [fl(w.fast), fl(w.inner), fl(w.box)];
  for (let i = 0; i < rows.length; i++) {
    if (ef[i] !== ei[i] || ef[i] !== eb[i]) out.push(`${at}: evaluate fast=${ef[i]} inner=${ei[i]} box=${eb[i]} on ${show(rows[i]!)}`);
    else if (tf[i] !== ti[i] || tf[i] !== tb[i]) out.push(`${at}: test fast=${tf[i]} inner=${ti[i]} box=${tb[i]} on ${show(rows[i]!)}`);
    if (out.length >= 3) return out;
  }
  if (JSON.stringify(ff) !== JSON.stringify(fi) || JSON.stringify(ff) !== JSON.stringify(fb)) {
    out.push(`${at}: filter fast=${JSON.stringify(ff)} inner=${JSON.stringify(fi)} box=${JSON.stringify(fb)}`);
  }
  // test and filter agree with evaluate (fast way).
  const selected = ef.flatMap((t, i) => (t === true ? [i] : []));
  if (JSON.stringify(ff) !== JSON.stringify(selected)) out.push(`${at}: fast filter ${JSON.stringify(ff)} ≠ evaluate true at ${JSON.stringify(selected)}`);
  return out;
}

function show(r: Rec): string {
  const { inner: _i, box: _b, ...own } = r;
  return JSON.stringify(own, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v === undefined ? "undefined" : v));
}

/** Calls `test` (and `filter`) enough times, on varied records and contexts, for the tuner to sample, reorder and relink. */
function heat(w: Ways, rows: readonly Rec[], contexts: readonly EvalContext[]): void {
  for (const s of [w.fast, w.inner, w.box]) {
    for (let i = 0; i < HEAT; i++) s.test(rows[(i * 7) % rows.length]!, contexts[i % contexts.length]!);
    for (let i = 0; i < 4; i++) s.filter(rows, contexts[i % contexts.length]!);
  }
}

describe(`fast path ≡ generic path (seed ${SEED}, ${RUNS} rules)`, () => {
  it("evaluate, test and filter agree for top-level, nested-object and where-scope reads, before and after tuning, in every zone", () => {
    let discriminating = 0;
    let retuned = 0;
    fc.assert(
      fc.property(cases, ([source, flatRows, now]) => {
        const rows = flatRows.map(widen);
        const ways: Ways = {
          fast: compile(source, Wide) as Segment<Rec>,
          inner: compile(throughInner(source), Wide) as Segment<Rec>,
          box: compile(`any box where (${source})`, Wide) as Segment<Rec>,
        };
        const contexts: EvalContext[] = ZONES.map((timeZone) => ({ now, timeZone }));
        const problems: string[] = [];
        for (const ctx of contexts) problems.push(...compare(ways, rows, ctx, "before tuning"));
        const early = [ways.fast.test, ways.inner.test, ways.box.test];
        heat(ways, rows, contexts);
        // A hot segment's `test` is replaced by one with call sites of its own (src/compile/tune.ts).
        if (early[0] !== ways.fast.test && early[1] !== ways.inner.test && early[2] !== ways.box.test) retuned++;
        for (const ctx of contexts) problems.push(...compare(ways, rows, ctx, "after tuning"));
        const verdicts = new Set(rows.map((r) => ways.fast.evaluate(r, contexts[0]!)));
        if (verdicts.size > 1) discriminating++;
        expect(problems.slice(0, 6).join("\n"), `${source}\n  inner: ${throughInner(source)}`).toBe("");
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The records must tell rules apart, or the law says little.
    expect(discriminating).toBeGreaterThan(RUNS / 3);
    // And the segments did get hot, or "after tuning" would test nothing new.
    expect(retuned).toBeGreaterThan(RUNS / 2);
  });

  it("the rewrite reads every field through inner (sanity of the helper)", () => {
    expect(throughInner('sector = "santé" and employees > revenue and count(tech) >= 2')).toBe(
      'inner.sector = "santé" and inner.employees > inner.revenue and count(inner.tech) >= 2',
    );
  });
});
