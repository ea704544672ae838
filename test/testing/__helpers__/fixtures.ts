/**
 * Schemas and contexts shared by the testing-kit tests: one schema with every field type the
 * checker supports (enums, ordered enums, dates in the three shapes, nullable and optional
 * fields, arrays of scalars and of objects, nested objects).
 */
import { z } from "zod";
import { compile } from "../../../src/index.js";
import { withSchema } from "../../../src/testing.js";

export const Contact = z.object({
  id: z.string(),
  sector: z.enum(["santé", "finance", "industrie", "tech"]),
  grade: z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true }),
  employees: z.number().int(),
  revenue: z.number().nullable(),
  name: z.string().optional(),
  city: z.string().nullable(),
  optin: z.boolean(),
  unsubscribed: z.boolean(),
  consentAt: z.date().nullable(),
  lastPurchase: z.date().nullable(),
  renewal: z.iso.datetime().optional(),
  signup: z.iso.date().nullable(),
  tech: z.array(z.string()),
  tags: z.array(z.enum(["vip", "churn-risk", "partner"])).nullable(),
  scores: z.array(z.number().int()),
  account: z
    .object({
      country: z.string(),
      size: z.enum(["1-9", "10-49", "50-249", "250+"]).meta({ ordered: true }),
      hq: z.object({ city: z.string().nullable() }).optional(),
    })
    .nullable(),
  purchases: z.array(z.object({ amount: z.number(), at: z.date(), kind: z.enum(["new", "renewal", "upsell"]) })),
  events: z.array(z.object({ type: z.enum(["webinar", "salon", "demo"]), at: z.date(), score: z.number().int().nullable() })),
});
export type Contact = z.infer<typeof Contact>;

/** A fixed evaluation instant: every test is reproducible. */
export const NOW = new Date("2026-11-22T09:30:00Z");
export const ctx = { now: NOW };

/** compile + withSchema: segments the kit knows the schema of. */
export function seg(source: string) {
  return withSchema(compile(source, Contact), Contact);
}
