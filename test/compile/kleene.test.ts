/**
 * Kleene's three-valued logic as properties over random records and random condition trees:
 * `not not e ≡ e`, De Morgan, truth tables of and/or, isTrue / isFalse / truth agreeing, and
 * explain / test / filter agreeing with evaluate.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { ExprNode } from "../../src/ast/nodes.js";
import { compileExpr, createRun, createSegment } from "../../src/compile/index.js";
import { checkExpression } from "../../src/check/index.js";
import type { Truth } from "../../src/compile/types.js";
import { model, prepare } from "./helpers.js";

const now = new Date("2026-11-22T00:00:00Z");
const ctx = { now };
const run = createRun(ctx, new Map());

const ATOMS = [
  'sector = "santé"',
  'sector in ["finance", "industrie"]',
  "employees > 50",
  "employees between 10 and 100",
  "lastPurchase < 6 months",
  "lastPurchase = 2026-11-01",
  'tech has "X"',
  "tech is empty",
  "unsubscribed",
  'city contains "par"',
  "employees is set",
  "any purchases where (amount > 10)",
  "all purchases where (amount > 10)",
  "count(purchases where amount > 10) >= 1",
  "revenue > budget",
].map((src) => prepare(src).body);

const SPAN = ATOMS[0]!.span;
const and = (...operands: ExprNode[]): ExprNode => ({ kind: "and", operands, span: SPAN });
const or = (...operands: ExprNode[]): ExprNode => ({ kind: "or", operands, span: SPAN });
const not = (operand: ExprNode): ExprNode => ({ kind: "not", operand, span: SPAN });

const { expr } = fc.letrec<{ expr: ExprNode }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...ATOMS),
    fc.array(tie("expr"), { minLength: 2, maxLength: 5 }).map((ops) => and(...ops)),
    fc.array(tie("expr"), { minLength: 2, maxLength: 5 }).map((ops) => or(...ops)),
    tie("expr").map(not),
  ),
}));

const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.constant(null), fc.constant(undefined), fc.constant("wrong"));
const record = fc.record(
  {
    sector: maybe(fc.constantFrom("santé", "finance", "industrie", "sante\u0301")),
    employees: maybe(fc.oneof(fc.integer({ min: 0, max: 200 }), fc.constant(Number.NaN))),
    lastPurchase: maybe(fc.date({ min: new Date("2025-01-01"), max: new Date("2027-01-01"), noInvalidDate: false })),
    tech: maybe(fc.array(fc.oneof(fc.constantFrom("X", "Y"), fc.constant(null)), { maxLength: 3 })),
    unsubscribed: maybe(fc.boolean()),
    city: maybe(fc.constantFrom("Paris", "PARIS", "Lyon", "")),
    purchases: maybe(fc.array(fc.oneof(fc.record({ amount: maybe(fc.integer({ min: 0, max: 20 })), date: fc.constant(now) }), fc.constant(null)), { maxLength: 3 })),
    revenue: maybe(fc.integer({ min: 0, max: 10 })),
    budget: maybe(fc.integer({ min: 0, max: 10 })),
  },
  { requiredKeys: [] },
);

const truth = (e: ExprNode, r: unknown): Truth => compileExpr(e, model, { facts: checkExpression(e, model).facts }).truth(r, run);
const kAnd = (a: Truth, b: Truth): Truth => (a === false || b === false ? false : a === true && b === true ? true : null);
const kOr = (a: Truth, b: Truth): Truth => (a === true || b === true ? true : a === false && b === false ? false : null);
const kNot = (a: Truth): Truth => (a === null ? null : !a);
const OPTIONS = { numRuns: 150 };

describe("Kleene laws", () => {
  it("not not e ≡ e", () => {
    fc.assert(fc.property(expr, record, (e, r) => truth(not(not(e)), r) === truth(e, r)), OPTIONS);
  });

  it("De Morgan: not (a and b) ≡ not a or not b; not (a or b) ≡ not a and not b", () => {
    fc.assert(
      fc.property(expr, expr, record, (a, b, r) => {
        return truth(not(and(a, b)), r) === truth(or(not(a), not(b)), r) && truth(not(or(a, b)), r) === truth(and(not(a), not(b)), r);
      }),
      OPTIONS,
    );
  });

  it("and / or / not follow the truth tables", () => {
    fc.assert(
      fc.property(expr, expr, record, (a, b, r) => {
        const [x, y] = [truth(a, r), truth(b, r)];
        return truth(and(a, b), r) === kAnd(x, y) && truth(or(a, b), r) === kOr(x, y) && truth(not(a), r) === kNot(x);
      }),
      OPTIONS,
    );
  });

  it("a and b true ⇒ a true and b true; a or b false ⇒ both false", () => {
    fc.assert(
      fc.property(expr, expr, record, (a, b, r) => {
        if (truth(and(a, b), r) === true && (truth(a, r) !== true || truth(b, r) !== true)) return false;
        if (truth(or(a, b), r) === false && (truth(a, r) !== false || truth(b, r) !== false)) return false;
        return true;
      }),
      OPTIONS,
    );
  });

  it("nested and/or chains (flattened when compiled) keep their meaning", () => {
    fc.assert(
      fc.property(expr, expr, expr, record, (a, b, c, r) => {
        return truth(and(and(a, b), c), r) === kAnd(kAnd(truth(a, r), truth(b, r)), truth(c, r)) &&
          truth(or(a, or(b, c)), r) === kOr(truth(a, r), kOr(truth(b, r), truth(c, r)));
      }),
      OPTIONS,
    );
  });

  it("isTrue / isFalse agree with truth, explain with evaluate, test with evaluate", () => {
    fc.assert(
      fc.property(expr, record, (e, r) => {
        const c = compileExpr(e, model, { facts: checkExpression(e, model).facts });
        const t = c.truth(r, run);
        if (c.isTrue(r, run) !== (t === true) || c.isFalse(r, run) !== (t === false)) return false;
        if (c.explain(r, run).result !== t) return false;
        const s = createSegment({ kind: "expression", version: 1, body: e, comments: [] }, "", model, checkExpression(e, model));
        return s.evaluate(r as never, ctx) === t && s.test(r as never, ctx) === (t === true) && s.explain(r as never, ctx).result === t;
      }),
      OPTIONS,
    );
  });

  it("filter keeps exactly the records test accepts, in order", () => {
    fc.assert(
      fc.property(expr, fc.array(record, { maxLength: 20 }), (e, rs) => {
        const s = createSegment({ kind: "expression", version: 1, body: e, comments: [] }, "", model, checkExpression(e, model));
        const out = s.filter(rs as never[], ctx);
        const want = rs.filter((r) => s.test(r as never, ctx));
        return out.length === want.length && out.every((x, i) => x === want[i]);
      }),
      { numRuns: 60 },
    );
  });

  it("explain children results are the operands' results", () => {
    fc.assert(
      fc.property(expr, record, (e, r) => {
        const ex = compileExpr(e, model, { facts: checkExpression(e, model).facts }).explain(r, run);
        if (e.kind === "and" || e.kind === "or") {
          return ex.children.length === e.operands.length && e.operands.every((o, i) => ex.children[i]!.result === truth(o, r));
        }
        if (e.kind === "not") return ex.children[0]!.result === truth(e.operand, r);
        return true;
      }),
      OPTIONS,
    );
  });
});

it("sanity: the arbitrary yields all three results", () => {
  const seen = new Set<Truth>();
  fc.assert(
    fc.property(expr, record, (e, r) => {
      seen.add(truth(e, r));
    }),
    { numRuns: 200 },
  );
  expect(seen).toEqual(new Set([true, false, null]));
});
