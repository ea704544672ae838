/**
 * The laws the spec states, checked over random well-typed rules and random records drawn from
 * our own testing kit (cible/testing), so the kit is exercised on every CI run too.
 *
 * - format is a fixed point, and parse∘format round-trips (up to spans);
 * - three-valued logic: `not not e ≡ e`, De Morgan, `a and b` true ⇒ `a` true, `or` dual;
 * - `explain(r).result === evaluate(r)`, and `test` is `evaluate === true`;
 * - a segment rebuilt by `fromAST` from its JSON AST gives the same results.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile, format, parse } from "../src/index.js";
import { fromAST } from "../src/runtime.js";
import { recordArbitrary, ruleArbitrary, ruleNodeArbitrary } from "../src/testing.js";
import { printExpression } from "../src/ast/printer.js";
import { AST_VERSION } from "../src/ast/nodes.js";
import { stripSpans } from "./support/strip-spans.js";

const Grade = z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true });
const Purchase = z.object({ amount: z.number().nullable(), date: z.date(), product: z.string() });
const Schema = z.object({
  sector: z.enum(["santé", "finance", "industrie"]),
  grade: Grade.nullable(),
  employees: z.number().int().nullable(),
  revenue: z.number().optional(),
  name: z.string(),
  city: z.string().nullable(),
  lastPurchase: z.date().nullable(),
  renewal: z.iso.date().optional(),
  tech: z.array(z.string()).nullable(),
  scores: z.array(z.number()),
  consent: z.boolean().nullable(),
  hq: z.object({ country: z.string(), size: z.number().nullable() }),
  purchases: z.array(Purchase).nullable(),
});

const now = new Date("2026-08-31T10:00:00Z");
const ctx = { now, timeZone: "Europe/Paris" };
const SEED = Number(process.env.CIBLE_SEED ?? 20261123);
const runs = (n: number) => ({ seed: SEED, numRuns: n });

const rule = ruleArbitrary(Schema, { now, maxDepth: 3 });
const records = fc.array(recordArbitrary(Schema, { now }), { minLength: 1, maxLength: 8 });

describe("format", () => {
  it("parse(print(ast)) is the AST, and format is a fixed point", () => {
    fc.assert(
      fc.property(ruleNodeArbitrary(Schema, { now, maxDepth: 3 }), (body) => {
        const text = printExpression({ kind: "expression", version: AST_VERSION, body, comments: [] });
        expect(stripSpans(parse(text).body)).toEqual(stripSpans(body));
        expect(format(format(text))).toBe(format(text));
      }),
      runs(300),
    );
  });

  it("round-trips rules written in other spellings (case, spacing, redundant parentheses)", () => {
    // Respell only outside quoted strings and backquoted names.
    const QUOTED = /("(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`)/;
    const respell = (text: string, upper: boolean) =>
      `( ${text
        .split(QUOTED)
        .map((part, i) =>
          i % 2 === 1
            ? part
            : (upper ? part.replace(/\b(and|or|not|in|has|any|all|none|is|set|between|contains|where)\b/g, (k) => k.toUpperCase()) : part).replace(/ /g, "  "),
        )
        .join("")} )`;
    fc.assert(
      fc.property(rule, fc.boolean(), (text, upper) => {
        const messy = respell(text, upper);
        expect(stripSpans(parse(messy).body)).toEqual(stripSpans(parse(text).body));
        expect(format(messy)).toBe(format(text));
      }),
      runs(200),
    );
  });
});

describe("three-valued logic", () => {
  const truths = (source: string, rows: unknown[]) => {
    const seg = compile(source, Schema);
    return rows.map((r) => seg.evaluate(r as never, ctx));
  };

  it("not not e ≡ e", () => {
    fc.assert(
      fc.property(rule, records, (a, rows) => {
        expect(truths(`not not (${a})`, rows)).toEqual(truths(a, rows));
      }),
      runs(150),
    );
  });

  it("De Morgan: not (a and b) ≡ not a or not b, and not (a or b) ≡ not a and not b", () => {
    fc.assert(
      fc.property(rule, rule, records, (a, b, rows) => {
        expect(truths(`not ((${a}) and (${b}))`, rows)).toEqual(truths(`not (${a}) or not (${b})`, rows));
        expect(truths(`not ((${a}) or (${b}))`, rows)).toEqual(truths(`not (${a}) and not (${b})`, rows));
      }),
      runs(100),
    );
  });

  it("a and b true ⇒ a true; a or b false ⇒ a false; and/or follow Kleene's tables", () => {
    const and3 = (x: boolean | null, y: boolean | null) => (x === false || y === false ? false : x === null || y === null ? null : true);
    const or3 = (x: boolean | null, y: boolean | null) => (x === true || y === true ? true : x === null || y === null ? null : false);
    fc.assert(
      fc.property(rule, rule, records, (a, b, rows) => {
        const ta = truths(a, rows);
        const tb = truths(b, rows);
        const tand = truths(`(${a}) and (${b})`, rows);
        const tor = truths(`(${a}) or (${b})`, rows);
        rows.forEach((_, i) => {
          expect(tand[i]).toBe(and3(ta[i]!, tb[i]!));
          expect(tor[i]).toBe(or3(ta[i]!, tb[i]!));
          if (tand[i] === true) expect(ta[i]).toBe(true);
          if (tor[i] === false) expect(ta[i]).toBe(false);
        });
      }),
      runs(100),
    );
  });
});

describe("evaluation faces agree", () => {
  it("explain(r).result === evaluate(r), test(r) === (evaluate(r) === true), filter keeps order", () => {
    fc.assert(
      fc.property(rule, records, (a, rows) => {
        const seg = compile(a, Schema);
        const kept: unknown[] = [];
        for (const r of rows) {
          const v = seg.evaluate(r as never, ctx);
          expect(seg.explain(r as never, ctx).result).toBe(v);
          expect(seg.test(r as never, ctx)).toBe(v === true);
          if (v === true) kept.push(r);
        }
        expect(seg.filter(rows as never[], ctx)).toEqual(kept);
      }),
      runs(150),
    );
  });

  it("fromAST(JSON of seg.ast) gives the same segment", () => {
    fc.assert(
      fc.property(rule, records, (a, rows) => {
        const seg = compile(a, Schema);
        const stored = fromAST(JSON.parse(JSON.stringify(seg.ast)), Schema);
        expect(stored.toString()).toBe(seg.toString());
        for (const r of rows) expect(stored.evaluate(r as never, ctx)).toBe(seg.evaluate(r as never, ctx));
      }),
      runs(100),
    );
  });
});
