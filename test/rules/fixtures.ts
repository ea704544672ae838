/** The schema and records of LANGUAGE.md §4, shared by the rules tests. */
import { SPEC_RFM_EXAMPLE, SPEC_RULES_EXAMPLE } from "../support/language-example.js";
import { z } from "zod";

export const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie"]).nullable(),
  role: z.enum(["CEO", "CTO", "CMO", "DG", "Sales"]),
  unsubscribed: z.boolean().nullable(),
  emailConsent: z.boolean(),
  employees: z.number().int().nullable(),
  emailClicks30d: z.number().int().nullable(),
  lastVisit: z.date().nullable(),
  events: z.array(z.object({ type: z.string(), at: z.date().nullable() })),
  demoRequested: z.boolean(),
  pricingViews: z.number().int(),
  orders: z.number().int(),
  lastPurchase: z.date().nullable(),
  referrals: z.number().int(),
  revenue: z.number().nullable(),
  grade: z.enum(["C", "B", "A"]).meta({ ordered: true }),
  city: z.string().nullable(),
  purchases: z.array(z.object({ date: z.date(), amount: z.number() })),
});

export type ContactRecord = z.infer<typeof Contact>;

export const NOW = new Date("2026-11-22T00:00:00Z");
export const ctx = { now: NOW };
export const DAY = 86_400_000;
export const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);

/** A record where nothing scores, holds or matches, with overrides. */
export function contact(over: Partial<ContactRecord> = {}): ContactRecord {
  return {
    sector: "industrie",
    role: "Sales",
    unsubscribed: false,
    emailConsent: false,
    employees: 10,
    emailClicks30d: 0,
    lastVisit: null,
    events: [],
    demoRequested: false,
    pricingViews: 0,
    orders: 0,
    lastPurchase: null,
    referrals: 0,
    revenue: null,
    grade: "C",
    city: null,
    purchases: [],
    ...over,
  };
}

/** The example rules file of LANGUAGE.md §4, verbatim, plus the rfm block shown after it. */
export const LANGUAGE_EXAMPLE = `${SPEC_RULES_EXAMPLE}\n${SPEC_RFM_EXAMPLE}`;
