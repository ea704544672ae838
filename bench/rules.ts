/**
 * The three benchmark rules (issue 7), each with the hand-written JavaScript predicate a
 * developer would write, and the same condition in every peer engine's language.
 * Relative dates are precomputed cutoffs for the peers (they have no calendar arithmetic),
 * which favours them: cible computes its cutoffs itself.
 */
import { subDays, subMonths } from "date-fns";
import type { Contact } from "./data.js";

export interface BenchRule {
  id: string;
  source: string;
  /** The hand-written predicate: the reference (ratio 1.0). */
  hand(cut: Cutoffs): (c: Contact) => boolean;
  jsonLogic(cut: Cutoffs): unknown;
  jexl: string;
  filtrex: string;
  cel: string;
  /** sift and mingo share MongoDB's query language. */
  mongo(cut: Cutoffs): Record<string, unknown>;
  /** json-rules-engine conditions. */
  rulesEngine(cut: Cutoffs): unknown;
}

export interface Cutoffs {
  sixMonthsAgo: Date;
  thirtyDaysAgo: Date;
}

export function cutoffs(now: Date): Cutoffs {
  return { sixMonthsAgo: subMonths(now, 6), thirtyDaysAgo: subDays(now, 30) };
}

const fact = (f: string, operator: string, value: unknown) => ({ fact: f, operator, value });

export const RULES: BenchRule[] = [
  {
    id: "R1",
    source: 'sector = "santé" and lastPurchase < 6 months and tech has "X"',
    hand: (cut) => {
      const t = cut.sixMonthsAgo.getTime();
      return (c) => c.sector === "santé" && c.lastPurchase !== null && c.lastPurchase.getTime() > t && c.tech.includes("X");
    },
    jsonLogic: (cut) => ({
      and: [
        { "==": [{ var: "sector" }, "santé"] },
        { "!=": [{ var: "lastPurchase" }, null] },
        { ">": [{ var: "lastPurchaseMs" }, cut.sixMonthsAgo.getTime()] },
        { in: ["X", { var: "tech" }] },
      ],
    }),
    jexl: 'sector == "santé" && lastPurchaseMs != null && lastPurchaseMs > sixMonthsAgo && "X" in tech',
    filtrex: 'sector == "santé" and hasPurchase and lastPurchaseMs > sixMonthsAgo and "X" in tech',
    cel: 'c.sector == "santé" && c.hasPurchase && c.lastPurchaseMs > sixMonthsAgo && "X" in c.tech',
    mongo: (cut) => ({ sector: "santé", lastPurchase: { $gt: cut.sixMonthsAgo }, tech: "X" }),
    rulesEngine: (cut) => ({
      all: [
        fact("sector", "equal", "santé"),
        fact("lastPurchaseMs", "greaterThan", cut.sixMonthsAgo.getTime()),
        fact("tech", "contains", "X"),
      ],
    }),
  },
  {
    id: "R2",
    source:
      '(sector in ["finance", "assurances", "santé"] or employees >= 1000) and country in ["FR", "BE", "CH"] and not unsubscribed and role in ["CEO", "CTO", "CMO"]',
    hand: () => (c) =>
      (c.sector === "finance" || c.sector === "assurances" || c.sector === "santé" || c.employees >= 1000) &&
      (c.country === "FR" || c.country === "BE" || c.country === "CH") &&
      !c.unsubscribed &&
      (c.role === "CEO" || c.role === "CTO" || c.role === "CMO"),
    jsonLogic: () => ({
      and: [
        { or: [{ in: [{ var: "sector" }, ["finance", "assurances", "santé"]] }, { ">=": [{ var: "employees" }, 1000] }] },
        { in: [{ var: "country" }, ["FR", "BE", "CH"]] },
        { "!": { var: "unsubscribed" } },
        { in: [{ var: "role" }, ["CEO", "CTO", "CMO"]] },
      ],
    }),
    jexl: '(sector in ["finance", "assurances", "santé"] || employees >= 1000) && country in ["FR", "BE", "CH"] && !unsubscribed && role in ["CEO", "CTO", "CMO"]',
    filtrex: '(sector in ("finance", "assurances", "santé") or employees >= 1000) and country in ("FR", "BE", "CH") and not unsubscribed and role in ("CEO", "CTO", "CMO")',
    cel: '(c.sector in ["finance", "assurances", "santé"] || c.employees >= 1000.0) && c.country in ["FR", "BE", "CH"] && !c.unsubscribed && c.role in ["CEO", "CTO", "CMO"]',
    mongo: () => ({
      $or: [{ sector: { $in: ["finance", "assurances", "santé"] } }, { employees: { $gte: 1000 } }],
      country: { $in: ["FR", "BE", "CH"] },
      unsubscribed: false,
      role: { $in: ["CEO", "CTO", "CMO"] },
    }),
    rulesEngine: () => ({
      all: [
        { any: [fact("sector", "in", ["finance", "assurances", "santé"]), fact("employees", "greaterThanInclusive", 1000)] },
        fact("country", "in", ["FR", "BE", "CH"]),
        fact("unsubscribed", "equal", false),
        fact("role", "in", ["CEO", "CTO", "CMO"]),
      ],
    }),
  },
  {
    id: "R3",
    source:
      'employees between 50 and 5000 and revenue > 1M and (tech has "Salesforce" or tech has "HubSpot") and emailClicks30d >= 3 and lastPurchase is set and lastPurchase > 30 days and country != "US" and not unsubscribed',
    hand: (cut) => {
      const t = cut.thirtyDaysAgo.getTime();
      return (c) =>
        c.employees >= 50 &&
        c.employees <= 5000 &&
        c.revenue > 1_000_000 &&
        (c.tech.includes("Salesforce") || c.tech.includes("HubSpot")) &&
        c.emailClicks30d >= 3 &&
        c.lastPurchase !== null &&
        c.lastPurchase.getTime() < t &&
        c.country !== "US" &&
        !c.unsubscribed;
    },
    jsonLogic: (cut) => ({
      and: [
        { "<=": [50, { var: "employees" }, 5000] },
        { ">": [{ var: "revenue" }, 1_000_000] },
        { or: [{ in: ["Salesforce", { var: "tech" }] }, { in: ["HubSpot", { var: "tech" }] }] },
        { ">=": [{ var: "emailClicks30d" }, 3] },
        { "!=": [{ var: "lastPurchase" }, null] },
        { "<": [{ var: "lastPurchaseMs" }, cut.thirtyDaysAgo.getTime()] },
        { "!=": [{ var: "country" }, "US"] },
        { "!": { var: "unsubscribed" } },
      ],
    }),
    jexl: 'employees >= 50 && employees <= 5000 && revenue > 1000000 && ("Salesforce" in tech || "HubSpot" in tech) && emailClicks30d >= 3 && lastPurchaseMs != null && lastPurchaseMs < thirtyDaysAgo && country != "US" && !unsubscribed',
    filtrex: 'employees >= 50 and employees <= 5000 and revenue > 1000000 and ("Salesforce" in tech or "HubSpot" in tech) and emailClicks30d >= 3 and hasPurchase and lastPurchaseMs < thirtyDaysAgo and country != "US" and not unsubscribed',
    cel: 'c.employees >= 50.0 && c.employees <= 5000.0 && c.revenue > 1000000.0 && ("Salesforce" in c.tech || "HubSpot" in c.tech) && c.emailClicks30d >= 3.0 && c.hasPurchase && c.lastPurchaseMs < thirtyDaysAgo && c.country != "US" && !c.unsubscribed',
    mongo: (cut) => ({
      employees: { $gte: 50, $lte: 5000 },
      revenue: { $gt: 1_000_000 },
      tech: { $in: ["Salesforce", "HubSpot"] },
      emailClicks30d: { $gte: 3 },
      lastPurchase: { $ne: null, $lt: cut.thirtyDaysAgo },
      country: { $ne: "US" },
      unsubscribed: false,
    }),
    rulesEngine: (cut) => ({
      all: [
        fact("employees", "greaterThanInclusive", 50),
        fact("employees", "lessThanInclusive", 5000),
        fact("revenue", "greaterThan", 1_000_000),
        { any: [fact("tech", "contains", "Salesforce"), fact("tech", "contains", "HubSpot")] },
        fact("emailClicks30d", "greaterThanInclusive", 3),
        fact("hasPurchase", "equal", true),
        fact("lastPurchaseMs", "lessThan", cut.thirtyDaysAgo.getTime()),
        fact("country", "notEqual", "US"),
        fact("unsubscribed", "equal", false),
      ],
    }),
  },
];
