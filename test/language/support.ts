/** A schema and helpers shared by the language service tests. */
import { z } from "zod";
import { createLanguageService } from "../../src/language.js";

export const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie"]).describe("The company's main sector"),
  grade: z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true }),
  employees: z.number().int(),
  revenue: z.number().nullable(),
  lastPurchase: z.date().nullable(),
  renewal: z.date(),
  tech: z.array(z.string()),
  tags: z.array(z.enum(["vip", "partner"])),
  unsubscribed: z.boolean(),
  optinEmail: z.boolean(),
  id: z.string(),
  hq: z.object({ city: z.string().describe("City of the head office"), country: z.string() }).nullable(),
  contacts: z.array(z.object({ role: z.string(), email: z.string().nullable(), events: z.array(z.object({ type: z.string(), at: z.date() })) })),
  purchases: z.array(z.object({ amount: z.number(), date: z.date() })),
  score: z.number(),
});

export const NOW = "2026-03-31T12:00:00Z";
export const expr = createLanguageService({ schema: Contact, kind: "expression", params: { minEmployees: "number" }, now: NOW, timeZone: "Europe/Paris" });
export const rules = createLanguageService({ schema: Contact, kind: "rules", now: NOW });

/** Splits `"sector = |"` into the text and the offset of `|`. */
export function at(marked: string): [string, number] {
  const i = marked.indexOf("|");
  return [marked.slice(0, i) + marked.slice(i + 1), i];
}

/** The labels completion offers at the `|` of `marked`. */
export function labels(ls: typeof expr, marked: string): string[] {
  const [text, offset] = at(marked);
  return ls.complete(text, offset).items.map((i) => i.label);
}

/** The text a completion item leaves. */
export function applied(ls: typeof expr, marked: string, label: string): string {
  const [text, offset] = at(marked);
  const r = ls.complete(text, offset);
  const item = r.items.find((i) => i.label === label);
  if (!item) throw new Error(`no item ${label} in ${r.items.map((i) => i.label).join(", ")}`);
  return text.slice(0, r.from) + (item.insertText ?? item.label) + text.slice(r.to);
}

export const RULES = `# a rules file with every kind of definition
segment sante:
  sector = "santé" and employees >= 50

score lead:
  +20 if @sante
  +5 per employees max 25
  +10 per purchases where (amount > 100) decaying 50% every 30 days by date
  clamp 0 to 100

lifecycle stage:
  awareness
  purchase if lastPurchase is set

tiers value by revenue:
  high if >= 100k
  low otherwise

tiers potential by employees quantiles:
  top 20%
  rest otherwise

rfm customers:
  recency lastPurchase
  frequency count(purchases where date < 12 months)
  monetary sum(purchases.amount where date < 12 months)

channel email:
  optinEmail and not unsubscribed

split spring by id:
  control 10%
  a 90%
`;
