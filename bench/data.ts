/**
 * Seeded synthetic B2B contacts for the benchmark (issue 7's data): sector, employees, country,
 * revenue, lastPurchase (15% null), tech (0–6 names), role, emailClicks30d, unsubscribed.
 */
import { z } from "zod";

export const Contact = z.object({
  id: z.number().int(),
  sector: z.enum(["santé", "finance", "assurances", "industrie", "commerce", "services", "énergie", "transport"]),
  employees: z.number().int(),
  country: z.string(),
  revenue: z.number(),
  lastPurchase: z.date().nullable(),
  tech: z.array(z.string()),
  role: z.string(),
  emailClicks30d: z.number().int(),
  unsubscribed: z.boolean(),
});
export type Contact = z.infer<typeof Contact>;

/** Mulberry32: a small, fast, seeded PRNG so that every run sees the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECTORS = Contact.shape.sector.options;
const COUNTRIES = ["FR", "FR", "FR", "BE", "CH", "DE", "US", "ES", "IT", "LU"];
const TECH = ["X", "Salesforce", "HubSpot", "SAP", "Zoho", "Pipedrive", "Marketo", "Slack", "Notion", "Sage"];
const ROLES = ["CEO", "CTO", "CMO", "DG", "DAF", "Sales", "Marketing", "IT", "RH", "Achats"];

export const NOW = new Date("2026-11-22T09:00:00Z");

export function generateContacts(n: number, seed = 42): Contact[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const out: Contact[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const techCount = Math.floor(rnd() * 7);
    const tech: string[] = [];
    for (let t = 0; t < techCount; t++) {
      const name = pick(TECH);
      if (!tech.includes(name)) tech.push(name);
    }
    out[i] = {
      id: i,
      sector: pick(SECTORS),
      employees: Math.floor(Math.exp(rnd() * Math.log(20_000))),
      country: pick(COUNTRIES),
      revenue: Math.round(Math.exp(rnd() * Math.log(50_000_000))),
      lastPurchase: rnd() < 0.15 ? null : new Date(NOW.getTime() - Math.floor(rnd() * 3 * 365 * 86_400_000)),
      tech,
      role: pick(ROLES),
      emailClicks30d: Math.floor(rnd() * rnd() * 12),
      unsubscribed: rnd() < 0.1,
    };
  }
  return out;
}
