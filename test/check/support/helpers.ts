/**
 * Shared fixtures of the checker's tests: schemas, `parse` (the real parser, throwing on syntax
 * errors), and a compact view of diagnostics.
 */
import { z } from "zod";
import type { ExprNode } from "../../../src/ast/nodes.js";
import { checkExpression } from "../../../src/check/check.js";
import type { CheckEnv, CheckResult } from "../../../src/check/types.js";
import type { Diagnostic } from "../../../src/errors/diagnostic.js";
import { readSchema } from "../../../src/schema/read.js";
import * as syntax from "../../../src/syntax/index.js";

/** API.md's Contact. */
export const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie"]),
  employees: z.number().int(),
  lastPurchase: z.date().nullable(),
  tech: z.array(z.string()),
  unsubscribed: z.boolean(),
});

/** A broader record: every kind of field the checker distinguishes. */
export const Account = z.object({
  sector: z.enum(["santé", "finance", "industrie"]),
  region: z.enum(["nord", "sud", "est", "ouest"]).optional(),
  grade: z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true }),
  employees: z.number().int(),
  revenue: z.number().nullable(),
  name: z.string(),
  city: z.string().optional(),
  role: z.string(),
  lastPurchase: z.date().nullable(),
  lastVisit: z.date(),
  renewalDate: z.iso.datetime(),
  createdOn: z.iso.date(),
  tech: z.array(z.string()),
  tags: z.array(z.enum(["vip", "new", "churn"])).optional(),
  scores: z.array(z.number()),
  unsubscribed: z.boolean(),
  emailConsent: z.boolean().optional(),
  demoRequested: z.boolean(),
  pricingViews: z.number(),
  orders: z.number().int(),
  referrals: z.number().int(),
  emailClicks30d: z.number().int(),
  hq: z.object({ country: z.string(), city: z.string().nullable() }),
  purchases: z.array(z.object({ amount: z.number(), date: z.date(), status: z.enum(["paid", "refunded"]), label: z.string() })),
  events: z.array(z.object({ type: z.string(), at: z.date() })),
});

/** The real parser (src/syntax); throws on syntax errors. */
export function parse(source: string): ExprNode {
  const r = syntax.parseExpression(source);
  if (r.doc) return r.doc.body;
  throw new Error(`syntax: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join("; ") || "no document"}`);
}

export function check(source: string, schema: unknown = Account, env?: CheckEnv): CheckResult {
  return checkExpression(parse(source), readSchema(schema), env);
}

export function checkReal(source: string, schema: unknown = Account, env?: CheckEnv): CheckResult {
  return checkExpression(parse(source), readSchema(schema), env);
}

/** `code@line:col-line:col`, with `+hint` when there is a hint and `!` for warnings. */
export function brief(d: Diagnostic): string {
  const { start, end } = d.span;
  return `${d.severity === "warning" ? "!" : ""}${d.code}@${start.line}:${start.column}-${end.line}:${end.column}${d.hint ? "+hint" : ""}`;
}

export function briefs(source: string, schema: unknown = Account, env?: CheckEnv): string[] {
  return check(source, schema, env).diagnostics.map(brief);
}

/** The text a diagnostic's span covers. */
export function covered(source: string, d: Diagnostic): string {
  return source.slice(d.span.start.offset, d.span.end.offset);
}

/** `line:col-line:col` of the `nth` occurrence of `text` in `source` (0-based nth). */
export function spanOf(source: string, text: string, nth = 0): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = source.indexOf(text, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(text)} (#${nth}) not in ${JSON.stringify(source)}`);
  }
  const pos = (offset: number) => {
    const before = source.slice(0, offset).split("\n");
    return `${before.length}:${before[before.length - 1]!.length + 1}`;
  };
  return `${pos(at)}-${pos(at + text.length)}`;
}

/**
 * What a test expects: a code, the text its span covers (with `#n` for the n-th occurrence),
 * whether it has a hint (default: yes), and `!` before the code for a warning.
 */
export type Expected = readonly [code: string, covers: string, hint?: boolean];

export function expected(source: string, list: readonly Expected[]): string[] {
  return list.map(([code, covers, hint = true]) => {
    const m = /^(.*)#(\d+)$/s.exec(covers);
    const text = m ? m[1]! : covers;
    const nth = m ? Number(m[2]) : 0;
    return `${code}@${spanOf(source, text, nth)}${hint ? "+hint" : ""}`;
  });
}
