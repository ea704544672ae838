/**
 * The demo's contacts (examples/schema.ts) at scale, written by DuckDB itself: one `COPY` over
 * `range(n)`, every value a function of the row number through `hash` (no random generator, no
 * row passes through Node), so 10,000,000 contacts and their ~50,000,000 events take minutes.
 *
 * Same count, same generator text, same DuckDB version: the same files. They are cached under
 * `$SCALE_DIR` (default `<tmpdir>/cible-bench-scale`) in a folder named by the count and a hash
 * of this file and DuckDB's version, and written under temporary names then renamed, so an
 * interrupted run never leaves a file that looks finished.
 *
 * Files:
 * - contacts.parquet: the fields of examples/schema.ts, dates as `TIMESTAMPTZ` (whole
 *   milliseconds, as a JavaScript `Date` holds them), `evenements` and `achats` as
 *   `LIST(STRUCT)` columns;
 * - contacts.ndjson: the same records, dates as ISO text (`…T08:00:00.000Z`), for engines without
 *   a Parquet reader;
 * - contacts.schema.json: examples/schema.ts as JSON Schema, for `cible … --schema`.
 *
 * The distributions follow examples/generate.ts loosely (weighted sectors, bands, regions and
 * roles; warmer accounts click, visit and ask for demos more; 15% of consent unknown) without its
 * companies, names or NAF codes: the rules file reads none of those. `evenements` has 0 to 10
 * elements per contact (5 on average: 50M for 10M contacts), `achats` 1 to 6 for 30% of them.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance, version } from "@duckdb/node-api";
import { z } from "zod";
import { DEMO_NOW } from "../examples/generate.js";
import { Contact } from "../examples/schema.js";

export interface ScaleData {
  readonly dir: string;
  readonly contacts: number;
  /** Elements of `evenements` over all contacts. */
  readonly events: number;
  /** Elements of `achats` over all contacts. */
  readonly purchases: number;
  readonly parquet: string;
  readonly ndjson: string;
  readonly schema: string;
  /** Bytes of each file. */
  readonly bytes: { parquet: number; ndjson: number };
  /** Milliseconds spent generating now (0 when the cache had the files). */
  readonly generatedMs: number;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A weighted choice: `CASE WHEN u < w1 THEN v1 WHEN u < w1 + w2 …`, `u` uniform in [0, 1). */
function pick(u: string, items: readonly (readonly [string, number])[]): string {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const whens = items.slice(0, -1).map(([v, w]) => {
    acc += w;
    return `WHEN ${u} < ${acc / total} THEN ${lit(v)}`;
  });
  return `CASE ${whens.join(" ")} ELSE ${lit(items[items.length - 1]![0])} END`;
}

const SECTEURS = [["santé", 14], ["finance", 8], ["assurances", 5], ["industrie", 20], ["commerce", 16], ["services", 20], ["tech", 12], ["public", 5]] as const;
const TRANCHES = [["1-9", 1, 9, 26], ["10-49", 10, 49, 30], ["50-249", 50, 249, 24], ["250-999", 250, 999, 13], ["1000+", 1000, 12_000, 7]] as const;
const REGIONS = [
  ["Île-de-France", 31], ["Auvergne-Rhône-Alpes", 13], ["Nouvelle-Aquitaine", 8], ["Occitanie", 8], ["Hauts-de-France", 7], ["Grand Est", 7],
  ["Provence-Alpes-Côte d'Azur", 8], ["Pays de la Loire", 6], ["Bretagne", 5], ["Normandie", 4], ["Autre", 3],
] as const;
const FONCTIONS = [["DG", 18], ["DAF", 10], ["DSI", 8], ["CTO", 6], ["DRH", 6], ["Directeur commercial", 12], ["Marketing", 13], ["Acheteur", 8], ["Autre", 19]] as const;
const CRMS = [["Salesforce", 30], ["HubSpot", 30], ["Pipedrive", 15], ["Sellsy", 10], ["Dynamics", 15]] as const;
const OUTILS = ["Slack", "Microsoft 365", "Google Workspace", "Sage", "Cegid", "SAP", "Odoo", "Zendesk", "Brevo", "Mailchimp", "Pardot", "Jira", "Notion", "Qonto", "Shopify"];
const EVENEMENTS = [["webinar", 30], ["salon", 12], ["livre blanc", 25], ["visite", 28], ["démo", 5]] as const;
const CANAUX = [["email", 50], ["telephone", 30], ["linkedin", 20]] as const;

/** The SELECT producing `n` contacts, in id order. */
export function contactsSQL(n: number): string {
  const now = `TIMESTAMPTZ ${lit(DEMO_NOW.replace("T", " ").replace("Z", "+00"))}`;
  // An instant `days` days before now, to the millisecond.
  const ago = (days: string) => `(${now} - to_microseconds(CAST(floor((${days}) * 86400000) AS BIGINT) * 1000))`;
  const u = (salt: number) => `u(i, ${salt})`;
  const band = (field: (t: (typeof TRANCHES)[number]) => string) => {
    let acc = 0;
    const total = TRANCHES.reduce((s, t) => s + t[3], 0);
    return `CASE ${TRANCHES.map((t) => {
      acc += t[3];
      return `WHEN ${u(3)} < ${acc / total} THEN ${field(t)}`;
    }).join(" ")} END`;
  };
  const base = `SELECT i,
      ${u(1)} * ${u(1)} AS heat,
      ${band((t) => `CAST(${t[1]} + floor(${u(4)} * ${t[2] - t[1] + 1}) AS INTEGER)`)} AS effectif,
      ${band((t) => lit(t[0]))} AS tranche,
      ${u(30)} < 0.3 AS client,
      ${u(60)} < 0.15 AS sans_consentement,
      ${u(61)} < 0.62 AS optin,
      CASE WHEN ${u(45)} < 0.45 THEN NULL ELSE ${pick(u(46), CRMS)} END AS crm
    FROM range(${n}) AS t(i)`;
  const desinscrit = `(${u(62)} < CASE WHEN optin THEN 0.05 ELSE 0.12 END)`;
  const achats = `CASE WHEN client THEN list_transform(range(1 + CAST(hash(i, 31) % 6 AS BIGINT)), k -> {'date': ${ago(`1 + u2(i, k, 32) * 1094`)}, 'montant': round(1500 * sqrt(effectif) * (0.3 + 1.9 * u2(i, k, 33)) / 10) * 10}) ELSE [] END`;
  return `SELECT
      'C' || lpad(CAST(i AS VARCHAR), 8, '0') AS id,
      'Entreprise ' || CAST(i // 4 AS VARCHAR) AS entreprise,
      ${pick(u(2), SECTEURS)} AS secteur,
      effectif,
      tranche,
      CASE WHEN ${u(5)} < 0.2 THEN NULL ELSE round(effectif * (60000 + 240000 * ${u(6)}) / 1000) * 1000 END AS "chiffreAffaires",
      ${pick(u(7), REGIONS)} AS region,
      ${pick(u(8), FONCTIONS)} AS fonction,
      CASE WHEN crm IS NULL THEN list_filter(${`[${OUTILS.map(lit).join(", ")}]`}, (t, j) -> u2(i, j, 50) < 0.25)
        ELSE list_prepend(crm, list_filter(${`[${OUTILS.map(lit).join(", ")}]`}, (t, j) -> u2(i, j, 50) < 0.25)) END AS technos,
      crm,
      CASE WHEN ${desinscrit} THEN 0 ELSE CAST(round(${u(9)} * ${u(9)} * heat * 12) AS INTEGER) END AS "emailClicks30d",
      CASE WHEN ${u(10)} < 0.15 + heat * 0.4 THEN CAST(1 + floor(${u(11)} * (1 + round(heat * 9))) AS INTEGER) ELSE 0 END AS "pagesTarifs",
      ${u(12)} < 0.03 + heat * 0.22 AS "demoDemandee",
      CASE WHEN ${u(13)} < 0.35 + heat * 0.55 THEN ${ago(`${u(14)} * (10 + (1 - heat) * 170)`)} END AS "derniereVisite",
      list_max(list_transform(achats, a -> a.date)) AS "dernierAchat",
      CASE WHEN client AND ${u(15)} < 0.08 + heat * 0.1 THEN CAST(1 + hash(i, 16) % 3 AS INTEGER) ELSE 0 END AS parrainages,
      list_transform(range(CAST(hash(i, 20) % 11 AS BIGINT)), k -> {'type': ${pick("u2(i, k, 21)", EVENEMENTS)}, 'at': ${ago("u2(i, k, 22) * 365")}}) AS evenements,
      achats,
      CASE WHEN sans_consentement THEN NULL ELSE optin END AS "optinEmail",
      ${desinscrit} AS desinscrit,
      CASE WHEN optin AND NOT sans_consentement THEN ${ago(`5 + ${u(63)} * 1820`)} END AS "dateConsentement",
      CASE WHEN ${u(64)} < CASE WHEN sans_consentement THEN 0.75 ELSE 0.3 END THEN NULL ELSE ${pick(u(65), CANAUX)} END AS "canalPrefere",
      CASE WHEN ${u(66)} < 0.18 THEN NULL ELSE ${u(67)} < 0.04 + 0.3 * heat END AS converti
    FROM (SELECT *, ${achats} AS achats FROM (${base}))
    ORDER BY i`;
}

/** The same rows with dates as ISO text, for NDJSON. */
function ndjsonSQL(parquet: string): string {
  const iso = (x: string) => `strftime(${x} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ')`;
  return `SELECT * REPLACE (
      ${iso('"derniereVisite"')} AS "derniereVisite",
      ${iso('"dernierAchat"')} AS "dernierAchat",
      ${iso('"dateConsentement"')} AS "dateConsentement",
      list_transform(evenements, e -> {'type': e.type, 'at': ${iso("e.at")}}) AS evenements,
      list_transform(achats, a -> {'date': ${iso("a.date")}, 'montant': a.montant}) AS achats)
    FROM read_parquet(${lit(parquet)})`;
}

/** examples/schema.ts as JSON Schema (dates as date-time text), as examples/generate.ts writes it. */
function schemaJson(): string {
  const schema = z.toJSONSchema(Contact, {
    unrepresentable: "any",
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The folder of the files for `n` contacts: the count and a hash of the generator and DuckDB's version. */
export function scaleDir(n: number): string {
  const stamp = createHash("sha256").update(readFileSync(import.meta.filename)).update(version()).digest("hex").slice(0, 12);
  return join(process.env.SCALE_DIR ?? join(tmpdir(), "cible-bench-scale"), `${n}-${stamp}`);
}

/**
 * The files for `n` contacts, generated when the cache does not have them.
 *
 * @example
 * const data = await scaleData(1_000_000, { ndjson: true });
 * // data.parquet, data.ndjson, data.schema; data.events ≈ 5,000,000
 */
export async function scaleData(n: number, options: { ndjson?: boolean; threads?: number } = {}): Promise<ScaleData> {
  const dir = scaleDir(n);
  mkdirSync(dir, { recursive: true });
  const parquet = join(dir, "contacts.parquet");
  const ndjson = join(dir, "contacts.ndjson");
  const schema = join(dir, "contacts.schema.json");
  const counts = join(dir, "counts.json");
  const started = Date.now();
  let generated = false;
  const db = await DuckDBInstance.create(":memory:", { threads: String(options.threads ?? 2) });
  const conn = await db.connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    // Uniform in [0, 1) from the row number (and an element's index) and a salt per value.
    await conn.run("CREATE MACRO u(i, s) AS CAST(hash(i, s) % 1000000007 AS DOUBLE) / 1000000007");
    await conn.run("CREATE MACRO u2(i, k, s) AS CAST(hash(i, k, s) % 1000000007 AS DOUBLE) / 1000000007");
    if (!existsSync(parquet)) {
      const temp = `${parquet}.${process.pid}.tmp`;
      await conn.run(`COPY (${contactsSQL(n)}) TO ${lit(temp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
      renameSync(temp, parquet);
      rmSync(counts, { force: true });
      generated = true;
    }
    if (options.ndjson && !existsSync(ndjson)) {
      const temp = `${ndjson}.${process.pid}.tmp`;
      await conn.run(`COPY (${ndjsonSQL(parquet)}) TO ${lit(temp)} (FORMAT json)`);
      renameSync(temp, ndjson);
      generated = true;
    }
    if (!existsSync(schema)) writeFileSync(schema, schemaJson());
    if (!existsSync(counts)) {
      const r = await conn.runAndReadAll(`SELECT count(*) AS contacts, sum(len(evenements)) AS events, sum(len(achats)) AS purchases FROM read_parquet(${lit(parquet)})`);
      const row = r.getRowObjectsJS()[0]!;
      writeFileSync(counts, JSON.stringify({ contacts: Number(row.contacts), events: Number(row.events), purchases: Number(row.purchases) }));
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  const c = JSON.parse(readFileSync(counts, "utf8")) as { contacts: number; events: number; purchases: number };
  return {
    dir,
    ...c,
    parquet,
    ndjson,
    schema,
    bytes: { parquet: statSync(parquet).size, ndjson: existsSync(ndjson) ? statSync(ndjson).size : 0 },
    generatedMs: generated ? Date.now() - started : 0,
  };
}

if (process.argv[1] === import.meta.filename) {
  const n = Number(process.argv[2] ?? 100_000);
  const data = await scaleData(n, { ndjson: true });
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
}
