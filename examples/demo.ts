/**
 * `npm run demo`: a small tour of cible over an embedded sample of French B2B contacts.
 * Prints which contacts match three example rules, and why (explain), then what a rules author
 * sees when a rule has mistakes.
 */
import { z } from "zod";
import { CibleError, check, compile, explainText, formatDiagnostic } from "../src/index.js";

const Contact = z.object({
  name: z.string(),
  sector: z.enum(["santé", "finance", "industrie", "commerce"]),
  role: z.string(),
  employees: z.number().int(),
  country: z.string(),
  lastPurchase: z.date().nullable(),
  tech: z.array(z.string()),
  emailClicks30d: z.number().int(),
  unsubscribed: z.boolean(),
});
type Contact = z.infer<typeof Contact>;

const now = new Date("2026-11-22T09:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

const contacts: Contact[] = [
  { name: "Camille Martin (Clinique du Parc)", sector: "santé", role: "CEO", employees: 240, country: "FR", lastPurchase: daysAgo(40), tech: ["X", "HubSpot"], emailClicks30d: 5, unsubscribed: false },
  { name: "Louis Bernard (Banque Rhône)", sector: "finance", role: "CTO", employees: 5200, country: "FR", lastPurchase: daysAgo(400), tech: ["Salesforce"], emailClicks30d: 1, unsubscribed: false },
  { name: "Chloé Petit (Santé Plus)", sector: "santé", role: "CMO", employees: 60, country: "BE", lastPurchase: null, tech: ["X"], emailClicks30d: 0, unsubscribed: false },
  { name: "Hugo Durand (Usines Loire)", sector: "industrie", role: "DG", employees: 1200, country: "FR", lastPurchase: daysAgo(10), tech: ["SAP", "X"], emailClicks30d: 7, unsubscribed: true },
  { name: "Inès Moreau (Pharma Sud)", sector: "santé", role: "CTO", employees: 800, country: "CH", lastPurchase: daysAgo(170), tech: ["HubSpot"], emailClicks30d: 3, unsubscribed: false },
];

const rules = [
  'sector = "santé" and lastPurchase < 6 months and tech has "X"',
  '(sector = "finance" or employees >= 1000) and not unsubscribed',
  'tech has any ["HubSpot", "Salesforce"] and emailClicks30d >= 3',
];

const line = (s = "") => console.log(s);
for (const source of rules) {
  const seg = compile(source, Contact);
  const matched = seg.filter(contacts, { now });
  line(`Rule: ${seg.toString()}`);
  line(`  ${matched.length} of ${contacts.length} contacts match: ${matched.map((c) => c.name).join(", ") || "none"}`);
  const first = contacts[0]!;
  line(`  Why for ${first.name}:`);
  line(explainText(seg.explain(first, { now })).replace(/^/gm, "    "));
  line();
}

const mistaken = 'sectr = "santé" and lastPurchase = 6 months and sector = "sante"';
line(`A rule with mistakes: ${mistaken}`);
for (const d of check(mistaken, Contact).diagnostics) line(formatDiagnostic(d, mistaken).replace(/^/gm, "  "));
try {
  compile(mistaken, Contact);
} catch (e) {
  if (e instanceof CibleError) line(`\ncompile() throws a CibleError with ${e.diagnostics.length} diagnostics.`);
}
