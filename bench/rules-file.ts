/**
 * The rules-file part of the benchmark: 50 segments (many built on shared definitions through
 * `@name`), 2 scores, a lifecycle and threshold tiers, evaluated with `rules.evaluate` in one
 * pass, against the same definitions evaluated one by one.
 */
import { Contact, type Contact as ContactRecord } from "./data.js";
import { median, timeNs } from "./stats.js";

const SECTORS = ["santé", "finance", "assurances", "industrie", "commerce", "services", "énergie", "transport"];
const COUNTRIES = ["FR", "BE", "CH", "DE", "US"];
const TECH = ["X", "Salesforce", "HubSpot", "SAP", "Zoho"];

export function rulesFileSource(): string {
  const lines: string[] = [
    "segment actifs:\n  not unsubscribed and lastPurchase is set and lastPurchase < 12 months\n",
    "segment decideurs:\n  role in [\"CEO\", \"CTO\", \"CMO\", \"DG\"]\n",
  ];
  // 48 more, so 50 in all (sector × country pairs, then again with other tech names).
  for (let n = 2; n < 50; n++) {
    const s = SECTORS[n % SECTORS.length];
    const c = COUNTRIES[Math.floor(n / SECTORS.length) % COUNTRIES.length];
    const t = TECH[n % TECH.length];
    lines.push(`segment s${n}:\n  @actifs and sector = "${s}" and country = "${c}" and (tech has "${t}" or @decideurs)\n`);
  }
  lines.push(
    "score fit:\n  +20 if @decideurs\n  +10 if employees between 50 and 5000\n  +10 if revenue > 1M\n  -30 if unsubscribed\n  clamp 0 to 100\n",
    "score engagement:\n  +5 per emailClicks30d max 25\n  +15 if lastPurchase < 30 days\n  +10 if @actifs\n",
    "lifecycle stage:\n  awareness\n  evaluation if emailClicks30d > 0\n  purchase if lastPurchase is set\n  retention if @actifs and emailClicks30d >= 3\n",
    "tiers value by revenue:\n  high if >= 10M\n  medium if >= 1M\n  low otherwise\n",
  );
  return lines.join("\n");
}

type AnyRules = {
  segments: Record<string, { test(r: unknown, ctx?: unknown): boolean }>;
  scores: Record<string, { score(r: unknown, ctx?: unknown): number }>;
  lifecycles: Record<string, { stage(r: unknown, ctx?: unknown): string | null }>;
  tiers: Record<string, { tier?(r: unknown, ctx?: unknown): string | null }>;
  evaluate(r: unknown, ctx?: unknown): unknown;
};

export function benchRulesFile(
  compileRules: (source: string, schema: typeof Contact) => unknown,
  records: ContactRecord[],
  ctx: { now: Date },
  rounds: number,
) {
  const rules = compileRules(rulesFileSource(), Contact) as AnyRules;
  const segs = Object.values(rules.segments);
  const scores = Object.values(rules.scores);
  const stages = Object.values(rules.lifecycles);
  const tiers = Object.values(rules.tiers).filter((t) => typeof t.tier === "function");
  const one = () => {
    for (const r of records) rules.evaluate(r, ctx);
  };
  const separate = () => {
    for (const r of records) {
      for (const s of segs) s.test(r, ctx);
      for (const s of scores) s.score(r, ctx);
      for (const s of stages) s.stage(r, ctx);
      for (const t of tiers) t.tier!(r, ctx);
    }
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(timeNs(one) / records.length);
    b.push(timeNs(separate) / records.length);
  }
  const evaluateNsPerRecord = median(a);
  const separateNsPerRecord = median(b);
  return { segments: segs.length, evaluateNsPerRecord, separateNsPerRecord, ratio: separateNsPerRecord / evaluateNsPerRecord };
}
