/** The schema and records of LANGUAGE.md §4, shared by the rules tests. */
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

/** The example rules file of LANGUAGE.md §4, verbatim (plus the rfm block shown after it). */
export const LANGUAGE_EXAMPLE = `# segments
segment decideursSante:
  sector = "santé" and role in ["CEO", "CTO", "DG"]

segment cibleEmail:
  @decideursSante and not unsubscribed and emailConsent

# lead score: points per rule; 'per' multiplies by a number, 'max' caps one rule
score lead:
  +20 if role in ["CEO", "CTO", "CMO"]
  +10 if employees between 50 and 5000
  +5 per emailClicks30d max 25
  +15 if lastVisit < 7 days
  -30 if unsubscribed
  +10 per events where (type = "webinar") decaying 50% every 30 days by at
  clamp 0 to 100

# lifecycle: stages in journey order; a record is at the LAST stage whose condition holds
lifecycle stage:
  awareness
  evaluation if demoRequested or pricingViews > 0
  purchase   if orders >= 1
  retention  if orders >= 2 and lastPurchase < 12 months
  advocacy   if referrals > 0

# value tiers by thresholds, first match wins, or by share of a population
tiers value by sum(purchases.amount where date < 12 months):
  high   if >= 100k
  medium if >= 20k
  low    otherwise

tiers potential by employees quantiles:
  top    20%
  middle 30%
  rest   otherwise

rfm customers:
  recency   lastPurchase
  frequency count(purchases where date < 12 months)
  monetary  sum(purchases.amount where date < 12 months)
`;
