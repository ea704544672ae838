/**
 * A realistic, deterministic French B2B contact base for the demo and the docs: companies with
 * INSEE headcount bands and NAF activity codes (`@socialgouv/codes-naf`), French names and e-mail
 * addresses (`@faker-js/faker`'s `fr` locale, seeded), regions and their cities, technographics,
 * contacts with roles and RGPD consent, purchases and e-mail / web events — about 20,000 contacts
 * of some 4,500 companies, dated relative to {@link DEMO_NOW}.
 *
 * Campaign fields (issue 13), drawn from a second seeded generator so that the fields above stay
 * the same record for record:
 * - `optinEmail` is null (unknown, not false) for every contact of the companies imported
 *   without consent information (a purchased file, a trade-show list): about 15% of the base;
 * - `canalPrefere` (`email`, `telephone`, `linkedin`) depends on the role (executives and sales
 *   directors pick the phone, technical roles e-mail, marketing LinkedIn; unsubscribed contacts
 *   rarely e-mail); null when never asked, more often so for imported contacts;
 * - `converti`, the outcome of the spring campaign (an opportunity opened), whose probability
 *   rises with the signals the demo's segments read: decision makers, healthcare, finance and
 *   insurance, large healthcare accounts, warmth (visits, clicks, events), a demo asked for, the
 *   pricing pages; contacts the campaign could e-mail got it unless in the holdout of
 *   examples/b2b-france.cible's `split printemps by id` (`controle` 10%, `a` 45%, `b` 45%: arm b
 *   converts more than a, a more than the holdout). Null (not known yet) for about 18%.
 *
 * Writes to examples/data/ (gitignored):
 * - contacts.ndjson: one contact per line, the fields of examples/schema.ts (dates as ISO text)
 *   plus descriptive ones (prenom, nom, email, ville, siren, codeNaf, libelleNaf);
 * - contacts.csv: the same as a CRM export would (lists as `a|b`, events and purchases as JSON
 *   cells, RFC 4180 quoting);
 * - contacts.schema.json: their JSON Schema (examples/schema.ts and the descriptive fields), for
 *   `cible … --schema`.
 *
 * Run it alone with `npx tsx examples/generate.ts [--count N] [--seed S]`; `npm run demo` runs it
 * when the data is missing. Same seed, same count: byte-identical files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Faker, fr, base } from "@faker-js/faker";
import codesNaf from "@socialgouv/codes-naf";
import { z } from "zod";
import { splitArm, splitBounds } from "../src/rules/split.js";
import { Contact } from "./schema.js";

/** The instant the demo data is dated from (and the demo's `--now`). */
export const DEMO_NOW = "2026-06-01T08:00:00Z";

export const DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "data");

type Secteur = z.infer<typeof Contact>["secteur"];
type Tranche = z.infer<typeof Contact>["tranche"];
type Region = z.infer<typeof Contact>["region"];
type Fonction = z.infer<typeof Contact>["fonction"];

/** NAF divisions (first two digits) of each sector, and the sector's weight in the base. */
const SECTEURS: { secteur: Secteur; divisions: string[]; weight: number; revenuePerHead: number }[] = [
  { secteur: "santé", divisions: ["86", "87", "88", "21", "32.5"], weight: 14, revenuePerHead: 90_000 },
  { secteur: "finance", divisions: ["64", "66"], weight: 8, revenuePerHead: 260_000 },
  { secteur: "assurances", divisions: ["65"], weight: 5, revenuePerHead: 300_000 },
  { secteur: "industrie", divisions: ["10", "20", "22", "24", "25", "26", "27", "28", "29", "30", "33"], weight: 20, revenuePerHead: 210_000 },
  { secteur: "commerce", divisions: ["45", "46", "47"], weight: 16, revenuePerHead: 240_000 },
  { secteur: "services", divisions: ["69", "70", "71", "73", "74", "78", "81", "82"], weight: 20, revenuePerHead: 110_000 },
  { secteur: "tech", divisions: ["58", "61", "62", "63"], weight: 12, revenuePerHead: 150_000 },
  { secteur: "public", divisions: ["84", "85"], weight: 5, revenuePerHead: 60_000 },
];

/** INSEE headcount bands (tranches d'effectif salarié, grouped), their range and share of the base. */
const TRANCHES: { tranche: Tranche; min: number; max: number; weight: number }[] = [
  { tranche: "1-9", min: 1, max: 9, weight: 26 },
  { tranche: "10-49", min: 10, max: 49, weight: 30 },
  { tranche: "50-249", min: 50, max: 249, weight: 24 },
  { tranche: "250-999", min: 250, max: 999, weight: 13 },
  { tranche: "1000+", min: 1000, max: 12_000, weight: 7 },
];

const REGIONS: { region: Region; weight: number; villes: string[] }[] = [
  { region: "Île-de-France", weight: 31, villes: ["Paris", "Boulogne-Billancourt", "Nanterre", "Saint-Denis", "Issy-les-Moulineaux", "Courbevoie", "Versailles", "Créteil"] },
  { region: "Auvergne-Rhône-Alpes", weight: 13, villes: ["Lyon", "Grenoble", "Saint-Étienne", "Villeurbanne", "Clermont-Ferrand", "Annecy"] },
  { region: "Nouvelle-Aquitaine", weight: 8, villes: ["Bordeaux", "Limoges", "Poitiers", "Pau", "Mérignac", "La Rochelle"] },
  { region: "Occitanie", weight: 8, villes: ["Toulouse", "Montpellier", "Nîmes", "Perpignan", "Blagnac"] },
  { region: "Hauts-de-France", weight: 7, villes: ["Lille", "Amiens", "Roubaix", "Tourcoing", "Villeneuve-d'Ascq", "Dunkerque"] },
  { region: "Grand Est", weight: 7, villes: ["Strasbourg", "Reims", "Metz", "Nancy", "Mulhouse"] },
  { region: "Provence-Alpes-Côte d'Azur", weight: 8, villes: ["Marseille", "Nice", "Aix-en-Provence", "Toulon", "Sophia Antipolis"] },
  { region: "Pays de la Loire", weight: 6, villes: ["Nantes", "Angers", "Le Mans", "Saint-Nazaire"] },
  { region: "Bretagne", weight: 5, villes: ["Rennes", "Brest", "Vannes", "Lorient", "Saint-Malo"] },
  { region: "Normandie", weight: 4, villes: ["Rouen", "Caen", "Le Havre", "Cherbourg-en-Cotentin"] },
  { region: "Autre", weight: 3, villes: ["Dijon", "Orléans", "Tours", "Besançon", "Ajaccio"] },
];

const CRMS = ["Salesforce", "HubSpot", "Pipedrive", "Sellsy", "Dynamics"] as const;
const OUTILS = ["Slack", "Microsoft 365", "Google Workspace", "Sage", "Cegid", "SAP", "Odoo", "Zendesk", "Brevo", "Mailchimp", "Pardot", "Jira", "Notion", "Qonto", "Shopify"];
const EVENEMENTS = ["webinar", "salon", "livre blanc", "visite", "démo"] as const;

/** Roles by company size: small companies are reached through their DG, large ones through specialists. */
function fonctionsFor(tranche: Tranche): { fonction: Fonction; weight: number }[] {
  const large = tranche === "250-999" || tranche === "1000+";
  const small = tranche === "1-9" || tranche === "10-49";
  return [
    { fonction: "DG", weight: small ? 35 : large ? 4 : 12 },
    { fonction: "DAF", weight: small ? 8 : 12 },
    { fonction: "DSI", weight: small ? 3 : large ? 14 : 9 },
    { fonction: "CTO", weight: small ? 4 : 8 },
    { fonction: "DRH", weight: small ? 3 : 9 },
    { fonction: "Directeur commercial", weight: small ? 12 : 12 },
    { fonction: "Marketing", weight: small ? 10 : 15 },
    { fonction: "Acheteur", weight: small ? 5 : 11 },
    { fonction: "Autre", weight: small ? 20 : 15 },
  ];
}

interface Company {
  siren: string;
  entreprise: string;
  domaine: string;
  secteur: Secteur;
  codeNaf: string;
  libelleNaf: string;
  tranche: Tranche;
  effectif: number;
  chiffreAffaires: number | null;
  region: Region;
  ville: string;
  crm: (typeof CRMS)[number] | null;
  technos: string[];
  /** How warm the account is (0–1): drives events, visits and purchases of its contacts. */
  chaleur: number;
  client: boolean;
  /** Imported without consent information (a purchased file, a trade-show list): its contacts' opt-in is unknown. */
  sansConsentement: boolean;
}

type Canal = z.infer<typeof Contact>["canalPrefere"] & string;

/** The channel a contact prefers, by role: the phone for executives and sales, e-mail for technical roles, LinkedIn for marketing. */
function canauxFor(fonction: Fonction, desinscrit: boolean): { value: Canal; weight: number }[] {
  const phone = fonction === "DG" || fonction === "Directeur commercial" || fonction === "Acheteur";
  const tech = fonction === "DSI" || fonction === "CTO";
  const weights: Record<Canal, number> = phone
    ? { email: 35, telephone: 45, linkedin: 20 }
    : tech
      ? { email: 55, telephone: 10, linkedin: 35 }
      : fonction === "Marketing"
        ? { email: 40, telephone: 10, linkedin: 50 }
        : { email: 55, telephone: 30, linkedin: 15 };
  // Who unsubscribed from the newsletters rarely says e-mail is their channel.
  if (desinscrit) weights.email = Math.round(weights.email / 5);
  return (Object.keys(weights) as Canal[]).map((value) => ({ value, weight: weights[value] }));
}

/** The demo's A/B split (examples/b2b-france.cible, `split printemps by id`): the arm of a contact id. */
const PRINTEMPS = { seed: "printemps", arms: ["controle", "a", "b"], bounds: splitBounds([10, 45, 45]) };
const DECIDEURS: readonly Fonction[] = ["DG", "DAF", "DSI", "CTO", "Directeur commercial"];

export interface GenerateOptions {
  /** Number of contacts (default 20,000). */
  count?: number;
  seed?: number;
  /** Output folder (default examples/data). */
  dir?: string;
}

/** Generates the base and writes the files; returns their paths. */
export function generate(options: GenerateOptions = {}): { ndjson: string; csv: string; schema: string; count: number } {
  const count = options.count ?? 20_000;
  const dir = options.dir ?? DATA_DIR;
  const faker = new Faker({ locale: [fr, base] });
  faker.seed(options.seed ?? 2026);
  // The campaign fields (consent unknown, preferred channel, outcome) draw from their own
  // generator, so that adding them left every other field as it was.
  const extra = new Faker({ locale: [base] });
  extra.seed([options.seed ?? 2026, 13]);
  const maybe = (p: number) => extra.number.float({ min: 0, max: 1 }) < p;
  const now = Date.parse(DEMO_NOW);
  const DAY = 86_400_000;
  const threeYearsAgo = new Date(now);
  threeYearsAgo.setUTCFullYear(threeYearsAgo.getUTCFullYear() - 3);
  const iso = (t: number) => new Date(t).toISOString();
  const daysAgo = (d: number) => now - d * DAY;
  const pick = <T extends { weight: number }>(items: readonly T[]): T => {
    let r = faker.number.float({ min: 0, max: items.reduce((s, i) => s + i.weight, 0) });
    for (const i of items) if ((r -= i.weight) <= 0) return i;
    return items[items.length - 1]!;
  };
  const chance = (p: number) => faker.number.float({ min: 0, max: 1 }) < p;
  const slug = (s: string) =>
    s
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");

  const nafBySector = new Map(
    SECTEURS.map((s) => [s.secteur, codesNaf.filter((c) => /^\d\d\.\d\d[A-Z]$/.test(c.id) && s.divisions.some((d) => c.id.startsWith(d)))]),
  );

  const companies: Company[] = [];
  const contacts: Record<string, unknown>[] = [];
  let companyNo = 0;
  while (contacts.length < count) {
    const sector = pick(SECTEURS);
    const band = pick(TRANCHES);
    const place = pick(REGIONS);
    const naf = faker.helpers.arrayElement(nafBySector.get(sector.secteur)!);
    // Headcount log-uniform within the band.
    const effectif = Math.round(Math.exp(faker.number.float({ min: Math.log(band.min), max: Math.log(band.max + 0.99) })));
    const name = faker.company.name();
    const crm = chance(band.min >= 50 ? 0.75 : 0.4) ? faker.helpers.weightedArrayElement([
      { value: "Salesforce" as const, weight: band.min >= 250 ? 45 : 15 },
      { value: "HubSpot" as const, weight: 35 },
      { value: "Pipedrive" as const, weight: 15 },
      { value: "Sellsy" as const, weight: 12 },
      { value: "Dynamics" as const, weight: band.min >= 250 ? 20 : 5 },
    ]) : null;
    const technos = faker.helpers.arrayElements(OUTILS, { min: 0, max: band.min >= 250 ? 6 : 3 });
    if (crm) technos.unshift(crm);
    const company: Company = {
      siren: String(faker.number.int({ min: 300_000_000, max: 999_999_999 })),
      entreprise: name,
      domaine: `${slug(name).slice(0, 24)}.${faker.helpers.arrayElement(["fr", "fr", "fr", "com", "eu"])}`,
      secteur: sector.secteur,
      codeNaf: naf.id,
      libelleNaf: naf.label,
      tranche: band.tranche,
      effectif,
      chiffreAffaires: chance(0.85) ? Math.round((effectif * sector.revenuePerHead * faker.number.float({ min: 0.5, max: 1.6 })) / 1000) * 1000 : null,
      region: place.region,
      ville: faker.helpers.arrayElement(place.villes),
      crm,
      technos,
      chaleur: faker.number.float({ min: 0, max: 1 }) ** 1.6,
      client: false,
      sansConsentement: maybe(0.15),
    };
    company.client = chance(0.12 + 0.35 * company.chaleur);
    companies.push(company);
    companyNo++;

    // Contacts per company grow with its size: 1–3 for the smallest, up to 12 for the largest.
    const perCompany = faker.number.int({ min: 1, max: band.min >= 1000 ? 12 : band.min >= 250 ? 8 : band.min >= 50 ? 5 : 3 });
    for (let k = 0; k < perCompany && contacts.length < count; k++) contacts.push(contactOf(company, contacts.length + 1));
  }

  function contactOf(c: Company, n: number): Record<string, unknown> {
    const sexe = faker.helpers.arrayElement(["female", "male"] as const);
    const prenom = faker.person.firstName(sexe);
    const nom = faker.person.lastName();
    const email = `${slug(prenom)}.${slug(nom)}@${c.domaine}`;
    const fonction = pick(fonctionsFor(c.tranche)).fonction;
    const heat = Math.min(1, c.chaleur * faker.number.float({ min: 0.4, max: 1.5 }));

    // Consent (RGPD): opt-in with a date, some older than three years; a few unsubscribed. A
    // company imported without consent information leaves it unknown (null), never false.
    const optin = chance(0.62);
    const desinscrit = chance(optin ? 0.05 : 0.12);
    const consentedAt = optin ? daysAgo(faker.number.int({ min: 5, max: 5 * 365 })) : null;
    const optinEmail = c.sansConsentement ? null : optin;
    const dateConsentement = c.sansConsentement || consentedAt === null ? null : iso(consentedAt);

    // Events of the last year: more for warm accounts.
    const evenements = Array.from({ length: faker.number.int({ min: 0, max: Math.round(1 + heat * 7) }) }, () => ({
      type: faker.helpers.weightedArrayElement([
        { value: EVENEMENTS[0], weight: 30 },
        { value: EVENEMENTS[1], weight: 12 },
        { value: EVENEMENTS[2], weight: 25 },
        { value: EVENEMENTS[3], weight: 28 },
        { value: EVENEMENTS[4], weight: 5 },
      ]),
      at: iso(daysAgo(faker.number.int({ min: 0, max: 365 }) + faker.number.float({ min: 0, max: 1 }))),
    })).sort((a, b) => a.at.localeCompare(b.at));

    // Purchases over three years for customer accounts, sized by the company.
    const achats: { date: string; montant: number }[] = [];
    if (c.client && chance(0.7)) {
      const orders = faker.number.int({ min: 1, max: 2 + Math.round(heat * 8) });
      const ticket = 1500 * Math.sqrt(c.effectif);
      // Some customers have lapsed: nothing bought for more than a year.
      const lapsed = chance(0.2);
      for (let i = 0; i < orders; i++) {
        achats.push({
          date: iso(daysAgo(lapsed ? faker.number.int({ min: 380, max: 3 * 365 }) : faker.number.int({ min: 1, max: 3 * 365 }) ** (1 - heat * 0.35))),
          montant: Math.round(ticket * faker.number.float({ min: 0.3, max: 2.2 }) / 10) * 10,
        });
      }
      achats.sort((a, b) => a.date.localeCompare(b.date));
    }
    const lastVisit = chance(0.35 + heat * 0.55) ? daysAgo(faker.number.float({ min: 0, max: 10 + (1 - heat) * 170 })) : null;
    const emailClicks30d = desinscrit ? 0 : Math.round(faker.number.float({ min: 0, max: 1 }) ** 2 * heat * 12);
    const pagesTarifs = chance(0.15 + heat * 0.4) ? faker.number.int({ min: 1, max: 1 + Math.round(heat * 9) }) : 0;
    const demoDemandee = chance(0.03 + heat * 0.22);
    const id = `C${String(n).padStart(6, "0")}`;

    // Preferred channel: asked in forms, so more often unknown for imported contacts.
    const canalPrefere = maybe(c.sansConsentement ? 0.75 : 0.3) ? null : extra.helpers.weightedArrayElement(canauxFor(fonction, desinscrit));

    // The spring campaign's outcome: a logistic model of the signals the segments read, plus the
    // e-mail for those it could reach (the `email` channel) outside the holdout.
    const arm = PRINTEMPS.arms[splitArm(PRINTEMPS.seed, id, "text", PRINTEMPS.bounds)!]!;
    const emailable = optinEmail === true && !desinscrit && consentedAt !== null && consentedAt > threeYearsAgo.getTime();
    const large = c.tranche === "250-999" || c.tranche === "1000+";
    const logit =
      -4.4 +
      (DECIDEURS.includes(fonction) ? 0.7 : 0) +
      (c.secteur === "santé" || c.secteur === "finance" || c.secteur === "assurances" ? 0.4 : 0) +
      (c.secteur === "santé" && large ? 0.9 : 0) +
      2.2 * heat +
      (demoDemandee ? 0.9 : 0) +
      (pagesTarifs > 0 ? 0.4 : 0) +
      (emailable && arm !== "controle" ? (arm === "a" ? 0.35 : 0.7) : 0);
    const converted = maybe(1 / (1 + Math.exp(-logit)));
    const converti = maybe(0.18) ? null : converted;
    return {
      id,
      prenom,
      nom,
      email,
      entreprise: c.entreprise,
      siren: c.siren,
      codeNaf: c.codeNaf,
      libelleNaf: c.libelleNaf,
      secteur: c.secteur,
      effectif: c.effectif,
      tranche: c.tranche,
      chiffreAffaires: c.chiffreAffaires,
      region: c.region,
      ville: c.ville,
      fonction,
      technos: c.technos,
      crm: c.crm,
      emailClicks30d,
      pagesTarifs,
      demoDemandee,
      derniereVisite: lastVisit === null ? null : iso(lastVisit),
      dernierAchat: achats.length ? achats[achats.length - 1]!.date : null,
      parrainages: c.client && chance(0.08 + heat * 0.1) ? faker.number.int({ min: 1, max: 3 }) : 0,
      evenements,
      achats,
      optinEmail,
      desinscrit,
      dateConsentement,
      canalPrefere,
      converti,
    };
  }

  mkdirSync(dir, { recursive: true });
  const ndjson = join(dir, "contacts.ndjson");
  const csv = join(dir, "contacts.csv");
  const schema = join(dir, "contacts.schema.json");
  writeFileSync(ndjson, `${contacts.map((c) => JSON.stringify(c)).join("\n")}\n`);
  const columns = Object.keys(contacts[0]!);
  const cell = (v: unknown): string => {
    const text = v === null || v === undefined ? "" : Array.isArray(v) ? (v.every((x) => typeof x === "string") ? v.join("|") : JSON.stringify(v)) : String(v);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  writeFileSync(csv, `\uFEFF${[columns.join(","), ...contacts.map((c) => columns.map((k) => cell(c[k])).join(","))].join("\r\n")}\r\n`);
  writeFileSync(schema, `${JSON.stringify(contactJsonSchema(), null, 2)}\n`);
  return { ndjson, csv, schema, count: contacts.length };
}

/** The generated records: examples/schema.ts's fields and descriptive ones. */
export const DemoContact = Contact.extend({
  prenom: z.string(),
  nom: z.string(),
  email: z.string(),
  siren: z.string().meta({ description: "SIREN, 9 digits" }),
  codeNaf: z.string().meta({ description: "NAF rév. 2 code, e.g. 86.10Z" }),
  libelleNaf: z.string(),
  ville: z.string(),
});

/** The records' JSON Schema: dates as date-time text, the ordered headcount bands kept. */
export function contactJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(DemoContact, {
    unrepresentable: "any",
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  }) as Record<string, unknown>;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const started = Date.now();
  const out = generate({ count: arg("--count"), seed: arg("--seed") });
  console.log(`${out.count} contacts in ${Date.now() - started} ms:\n  ${out.ndjson}\n  ${out.csv}\n  ${out.schema}`);
}
