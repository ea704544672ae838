/**
 * The language service's part of the benchmark (issue 15): a 200-line rules file against a
 * 40-field schema, the median time of `complete`, `hover` and `diagnostics` — what makes a
 * keystroke feel instant (targets: 2 ms, 2 ms, 20 ms).
 *
 * Each timed call gets a text it has not seen (the file with a different last comment), as after a
 * keystroke, so no answer comes from the service's one-text caches; `hover after diagnostics` is
 * the editor's usual order (it checks the text on change, then hovers over the same text, and the
 * hover reads that check's facts).
 *
 * Run alone: `npx tsx bench/language.ts` (BENCH_ROUNDS, default 7); `bench/run.ts` runs it too.
 */
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { median, timeNs } from "./stats.js";

type Service = {
  diagnostics(source: string): unknown[];
  complete(source: string, offset: number): { items: unknown[] };
  hover(source: string, offset: number): unknown;
};
type Create = (options: { schema: z.ZodType; kind: "rules"; now?: Date; timeZone?: string }) => Service;

const SECTORS = ["santé", "finance", "assurances", "industrie", "commerce", "services", "énergie", "transport"];

/** 40 fields: scalars of every type, nullable ones, ordered and unordered enums, a nested object, arrays of scalars and of objects. */
export const WideContact = z.object({
  id: z.string(),
  sector: z.enum(SECTORS as [string, ...string[]]).describe("Main sector of the company"),
  grade: z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true }),
  size: z.enum(["tpe", "pme", "eti", "ge"]).meta({ ordered: true }),
  employees: z.number().int(),
  revenue: z.number().nullable(),
  margin: z.number().nullable(),
  country: z.string(),
  region: z.string().nullable(),
  city: z.string(),
  role: z.string(),
  seniority: z.number().int(),
  createdAt: z.date(),
  lastPurchase: z.date().nullable(),
  lastVisit: z.date().nullable(),
  renewal: z.date().nullable(),
  trialEnd: z.date().nullable(),
  unsubscribed: z.boolean(),
  optinEmail: z.boolean(),
  optinSms: z.boolean(),
  demoRequested: z.boolean(),
  pricingViews: z.number().int(),
  emailClicks30d: z.number().int(),
  emailOpens30d: z.number().int(),
  referrals: z.number().int(),
  orders: z.number().int(),
  nps: z.number().nullable(),
  tech: z.array(z.string()),
  tags: z.array(z.enum(["vip", "partner", "churn-risk", "beta"])),
  languages: z.array(z.string()),
  source: z.enum(["web", "salon", "partner", "outbound"]),
  owner: z.string().nullable(),
  segmentHint: z.string().nullable(),
  website: z.string().nullable(),
  phone: z.string().nullable(),
  hq: z.object({ city: z.string(), country: z.string(), zip: z.string().nullable() }),
  purchases: z.array(z.object({ amount: z.number(), date: z.date(), product: z.string() })),
  events: z.array(z.object({ type: z.string(), at: z.date() })),
  contacts: z.array(z.object({ role: z.string(), email: z.string().nullable() })),
  score: z.number(),
});

/** A 200-line rules file over {@link WideContact}: segments, scores, a lifecycle, tiers, rfm, a channel, a split. */
export function languageRulesSource(): string {
  const lines: string[] = [];
  const push = (...ls: string[]) => lines.push(...ls);
  push("# a rules file of 200 lines for the language service benchmark", "segment actifs:", "  not unsubscribed and lastPurchase is set and lastPurchase < 12 months", "");
  let n = 0;
  while (lines.length < 120) {
    const s = SECTORS[n % SECTORS.length];
    push(
      `segment s${n}:`,
      `  @actifs and sector = "${s}" and employees between ${10 + n} and ${5000 + n}`,
      `    and (tech has "HubSpot" or any contacts where (role = "CEO" and email is set))`,
      "",
    );
    n++;
  }
  push(
    "score fit:",
    "  +20 if role in [\"CEO\", \"CTO\", \"CMO\"]",
    "  +10 if employees between 50 and 5000",
    "  +10 if revenue > 1M",
    "  +5 per emailClicks30d max 25",
    "  +10 per events where (type = \"webinar\") decaying 50% every 30 days by at",
    "  -30 if unsubscribed",
    "  clamp 0 to 100",
    "",
    "lifecycle stage:",
    "  awareness",
    "  evaluation if demoRequested or pricingViews > 0",
    "  purchase if orders >= 1",
    "  retention if orders >= 2 and lastPurchase < 12 months",
    "  advocacy if referrals > 0",
    "",
    "tiers value by sum(purchases.amount where date < 12 months):",
    "  high if >= 100k",
    "  medium if >= 20k",
    "  low otherwise",
    "",
    "tiers potential by employees quantiles:",
    "  top 20%",
    "  middle 30%",
    "  rest otherwise",
    "",
    "rfm customers:",
    "  recency lastPurchase",
    "  frequency count(purchases where date < 12 months)",
    "  monetary sum(purchases.amount where date < 12 months)",
    "",
    "channel email:",
    "  optinEmail and not unsubscribed",
    "",
    "split spring by id:",
    "  control 10%",
    "  a 45%",
    "  b 45%",
    "",
  );
  while (lines.length < 199) {
    push(`segment t${n}:`, `  @s${n % 29} and grade >= "C" and lastVisit within last ${n} days`, "");
    n++;
  }
  push("# end");
  return lines.slice(0, 200).join("\n") + "\n";
}

export interface LanguageBench {
  lines: number;
  fields: number;
  completeNs: number;
  hoverNs: number;
  hoverAfterDiagnosticsNs: number;
  /** A field's hover on a new text (no check to read: the scan and the schema). */
  hoverFieldFreshNs: number;
  diagnosticsNs: number;
}

/** Median times of the three calls, each on a text the service has not seen. */
export function benchLanguage(create: Create, rounds: number): LanguageBench {
  const ls = create({ schema: WideContact, kind: "rules", now: new Date("2026-12-03T00:00:00Z"), timeZone: "Europe/Paris" });
  const base = languageRulesSource();
  if (ls.diagnostics(base).length > 0) throw new Error(`the benchmark file has diagnostics: ${JSON.stringify(ls.diagnostics(base).slice(0, 3))}`);
  let edit = 0;
  const fresh = () => `${base}# edit ${edit++}\n`;
  // Where an author asks: after an operator on an enum, at a line start of a score, inside a
  // quantifier, after a number on a date; hovers on a field, an operator, a duration, a reference.
  const completeAt = [base.indexOf('sector = "') + 9, base.indexOf("  -30 if"), base.indexOf("(role = ") + 1, base.indexOf("12 months") + 3];
  const hoverAt = [base.indexOf("employees between") + 3, base.indexOf(" between ") + 2, base.indexOf("12 months") + 4, base.indexOf("@actifs and") + 3];
  if (ls.complete(base, completeAt[0]!).items.length === 0) throw new Error("no completion at the first place");
  if (!ls.hover(base, hoverAt[0]!)) throw new Error("no hover at the first place");
  const perRound = 40;
  const complete: number[] = [];
  const hover: number[] = [];
  const hoverAfter: number[] = [];
  const hoverField: number[] = [];
  const diagnostics: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = fresh();
    ls.complete(t, completeAt[i % 4]!);
    ls.hover(t, hoverAt[i % 4]!);
    ls.diagnostics(fresh());
  }
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < perRound; i++) {
      const a = fresh();
      complete.push(timeNs(() => void ls.complete(a, completeAt[i % 4]!)));
      const b = fresh();
      hover.push(timeNs(() => void ls.hover(b, hoverAt[i % 4]!)));
      const c = fresh();
      diagnostics.push(timeNs(() => void ls.diagnostics(c)));
      hoverAfter.push(timeNs(() => void ls.hover(c, hoverAt[i % 4]!)));
      if (i % 4 === 0) {
        const d = fresh();
        hoverField.push(timeNs(() => void ls.hover(d, hoverAt[0]!)));
      }
    }
  }
  return {
    lines: base.split("\n").length - 1,
    fields: Object.keys(WideContact.shape).length,
    completeNs: median(complete),
    hoverNs: median(hover),
    hoverAfterDiagnosticsNs: median(hoverAfter),
    hoverFieldFreshNs: median(hoverField),
    diagnosticsNs: median(diagnostics),
  };
}

export function languageSummary(r: LanguageBench): string {
  const ms = (ns: number) => `${(ns / 1e6).toFixed(3)} ms`;
  return `Language service (a ${r.lines}-line rules file, a ${r.fields}-field schema; each call on a new text): \`complete\` ${ms(r.completeNs)}, \`hover\` ${ms(r.hoverNs)} (${ms(r.hoverAfterDiagnosticsNs)} after \`diagnostics\` of the same text, as editors ask; on a field of a text not yet checked ${ms(r.hoverFieldFreshNs)}), \`diagnostics\` ${ms(r.diagnosticsNs)} (medians; targets 2 ms, 2 ms, 20 ms).`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { createLanguageService } = await import("../src/language.js");
  const r = benchLanguage(createLanguageService as unknown as Create, Number(process.env.BENCH_ROUNDS ?? 7));
  process.stdout.write(`${languageSummary(r)}\n`);
}
