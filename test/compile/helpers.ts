/**
 * Test helpers: compile a rule through the real pipeline (parser, checker) into a segment, and
 * a schema that exercises every type.
 */
import { z } from "zod";
import { parseExpression } from "../../src/syntax/index.js";
import { checkExpression } from "../../src/check/index.js";
import { readSchema } from "../../src/schema/index.js";
import type { SchemaModel } from "../../src/schema/model.js";
import { type CompileEnv, createSegment } from "../../src/compile/index.js";
import type { Segment } from "../../src/compile/types.js";
import type { ExprNode } from "../../src/ast/nodes.js";
import type { CheckEnv, CheckResult } from "../../src/check/types.js";

export const Grade = z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true });

export const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie"]).nullable(),
  name: z.string().optional(),
  city: z.string().nullable(),
  employees: z.number().int().nullable(),
  revenue: z.number().optional(),
  budget: z.number().optional(),
  lastPurchase: z.date().nullable(),
  renewalDate: z.date().optional(),
  signupDate: z.iso.date().optional(),
  tech: z.array(z.string()).nullable(),
  scores: z.array(z.number().nullable()).optional(),
  tags: z.array(z.enum(["vip", "new", "churn"])).optional(),
  unsubscribed: z.boolean().nullable(),
  emailConsent: z.boolean().optional(),
  grade: Grade.optional(),
  hq: z.object({ country: z.string().nullable(), city: z.string().optional() }).optional(),
  purchases: z
    .array(z.object({ amount: z.number().nullable(), date: z.date(), category: z.string().optional() }))
    .optional(),
  accounts: z
    .array(
      z.object({
        name: z.string(),
        employees: z.number().optional(),
        contacts: z.array(z.object({ role: z.string(), name: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  events: z.array(z.object({ type: z.string(), at: z.date(), name: z.string().optional() })).nullable(),
});

export const model: SchemaModel = readSchema(Contact);

/** Parses and checks `source`; throws with the diagnostics on any error. */
export function prepare(source: string, env?: CheckEnv, m: SchemaModel = model): { body: ExprNode; checked: CheckResult; doc: NonNullable<ReturnType<typeof parseExpression>["doc"]> } {
  const parsed = parseExpression(source);
  const errs = parsed.diagnostics.filter((d) => d.severity === "error");
  if (!parsed.doc || errs.length) throw new Error(`syntax: ${source}: ${JSON.stringify(errs.map((d) => [d.code, d.message]))}`);
  const checked = checkExpression(parsed.doc.body, m, env);
  const cerrs = checked.diagnostics.filter((d) => d.severity === "error");
  if (cerrs.length) throw new Error(`check: ${source}: ${JSON.stringify(cerrs.map((d) => [d.code, d.message]))}`);
  return { body: parsed.doc.body, checked, doc: parsed.doc };
}

/** Compiles `source` against the test schema into a segment. */
export function seg<T = Record<string, unknown>>(source: string, options?: Pick<CompileEnv, "refs"> & { env?: CheckEnv; model?: SchemaModel }): Segment<T> {
  const m = options?.model ?? model;
  const { doc, checked } = prepare(source, options?.env, m);
  return createSegment<T>(doc, source, m, checked, options);
}
