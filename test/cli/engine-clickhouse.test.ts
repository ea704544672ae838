/**
 * `cible eval --engine clickhouse`: the whole rules file runs inside ClickHouse (chdb, in process)
 * over the file itself, and `--out` has exactly the lines of the in-process engine — on a French
 * `;` CSV (decimal commas, day-first dates, oui/non, NFD text, blank lines), on NDJSON with a list
 * of objects (a child table), and on Parquet (flat, and with a `LIST(STRUCT)` column); the same
 * `--json` summary but for the cuts; the install hint when chdb is missing.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { setModuleLoader } from "../../src/cli/sql-engine/load.js";
import { ENGINE_RULES, HEADER, N, NOW, lines, rows } from "./engine-data.js";
import { SMALL_SCHEMA, cli, scratch } from "./helpers.js";

const tmp = scratch();
const rulesFile = tmp.file("rules.cible", ENGINE_RULES);
const schema = tmp.file("schema.json", JSON.stringify(SMALL_SCHEMA));

/** The `--json` summary without what the engines do not report alike (time, the cuts of quantile tiers and RFM). */
function strip(text: string): Record<string, unknown> {
  const j = JSON.parse(text) as Record<string, unknown> & { tiers: { cuts?: unknown }[]; rfm: { cuts?: unknown }[] };
  delete j.seconds;
  for (const t of j.tiers) delete t.cuts;
  for (const m of j.rfm) delete m.cuts;
  return j;
}

/** `eval` in process and with `--engine clickhouse`: both `--out` files' lines and both summaries. */
async function both(rules: string, data: string, extra: string[], env: Record<string, string> = {}): Promise<{ js: string[]; ch: string[]; jsSummary: string; chSummary: string }> {
  const name = `${Math.random().toString(36).slice(2)}`;
  const js = join(tmp.dir, `${name}-js.ndjson`);
  const ch = join(tmp.dir, `${name}-ch.ndjson`);
  const base = ["eval", rules, data, "--now", NOW, "--tz", "Europe/Paris", "--json", ...extra];
  const a = await cli([...base, "--out", js]);
  expect(a.code, a.stderr).toBe(0);
  const b = await cli([...base, "--out", ch, "--engine", "clickhouse"], { env });
  expect(b.code, b.stderr).toBe(0);
  return { js: lines(js), ch: lines(ch), jsSummary: a.stdout, chSummary: b.stdout };
}

afterEach(() => setModuleLoader(undefined));

describe("cible eval --engine clickhouse", () => {
  it("French CSV (`;`, decimal commas, dd/mm/yyyy, oui/non, NFD, blank lines): the same lines and summary; --channel the same subset", async () => {
    const data = tmp.file("contacts.csv", `${HEADER}\n${rows.map((r, i) => (i % 17 === 5 ? `\n${r.csv}` : r.csv)).join("\n")}\n`);
    const r = await both(rulesFile, data, ["--schema", schema]);
    expect(r.js).toHaveLength(N);
    expect(r.ch).toEqual(r.js);
    expect(strip(r.chSummary)).toEqual(strip(r.jsSummary));
    const reached = await both(rulesFile, data, ["--schema", schema, "--channel", "email"]);
    expect(reached.js.length).toBeLessThan(N);
    expect(reached.ch).toEqual(reached.js);
    // Three records per query (CIBLE_CLICKHOUSE_BATCH): the same lines, in file order, and the same
    // summary (the quantile tiers and RFM ranked over every record, not per batch).
    const batched = await both(rulesFile, data, ["--schema", schema], { CIBLE_CLICKHOUSE_BATCH: "3" });
    expect(batched.ch).toEqual(r.js);
    expect(strip(batched.chSummary)).toEqual(strip(r.jsSummary));
  });

  it("cells that do not read, spaces around cells, numeric ids: as the CSV reader", async () => {
    const rules = tmp.file("sp.cible", 'segment g:\n  effectif > 10\nsegment d:\n  nom = "Dupont"\nsegment r:\n  vu within last 30 days\nsegment t:\n  tags has "b"\n');
    const data = tmp.file("sp.csv", 'id;effectif;nom;vu;tags\n1; 300 ;  Dupont ;01/05/2026;a|b\n\n2;5;"  X  ";31/02/2026;\n\n3;beaucoup;Dupont; 2026-05-20 ;"[1,""b""]"\n4;1 500,5;Émile;2026-05-20T10:00:00+02:00;"a;;b"\n5;;;;[oops\n');
    const sp = tmp.file("sp.json", JSON.stringify({ type: "object", properties: { id: { type: "integer" }, effectif: { type: "number" }, nom: { type: "string" }, vu: { type: "string", format: "date-time" }, tags: { type: "array", items: { type: "string" } } } }));
    const r = await both(rules, data, ["--schema", sp]);
    expect(r.js).toHaveLength(5);
    expect(r.ch).toEqual(r.js);
  });

  it("NDJSON with a list of objects (a child table), and the same records in Parquet (LIST(STRUCT)): the same lines", async () => {
    const achatsSchema = tmp.file("achats.json", JSON.stringify({
      type: "object",
      properties: {
        id: { type: "string" },
        effectif: { type: "number" },
        tags: { type: "array", items: { type: "string" } },
        achats: { type: "array", items: { type: "object", properties: { montant: { type: "number" }, date: { type: "string", format: "date-time" }, canal: { type: "string", enum: ["web", "magasin"] } } } },
      },
    }));
    const achatsRules = tmp.file(
      "achats.cible",
      `segment acheteurs:\n  count(achats) >= 2\n\nsegment webRecent:\n  any achats where (canal = "web" and date within last 90 days)\n\nsegment tagged:\n  tags has "vip"\n\nscore valeur:\n  +1 per sum(achats.montant) max 50\n  +10 if @webRecent\n\nrfm clients:\n  recency effectif\n  frequency count(achats)\n  monetary sum(achats.montant)\n\ntiers gros by sum(achats.montant) quantiles:\n  haut 30%\n  bas otherwise\n`,
    );
    const records = Array.from({ length: 80 }, (_, i) => ({
      id: `r${i}`,
      effectif: i % 10 === 3 ? "beaucoup" : i,
      ...(i % 8 === 1 ? {} : { tags: i % 6 === 0 ? "vip" : ["vip", "x", null].slice(0, i % 4) }),
      ...(i % 9 === 0 ? {} : { achats: i % 11 === 0 ? "pas une liste" : Array.from({ length: i % 4 }, (_, k) => ({ montant: i % 13 === k ? null : ((i * 7 + k * 3) % 50) + 0.25, date: k === 2 && i % 5 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + ((i * 17 + k * 29) % 150) * 86_400_000).toISOString(), canal: (i + k) % 3 === 0 ? "web" : "magasin" })) }),
    }));
    const data = tmp.file("achats.ndjson", `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const r = await both(achatsRules, data, ["--schema", achatsSchema]);
    expect(r.ch).toEqual(r.js);
    expect(r.js.filter((l) => l.includes('"webRecent"')).length).toBeGreaterThan(3);
    expect(r.js.filter((l) => l.includes('"tagged"')).length).toBeGreaterThan(3);
    expect(strip(r.chSummary)).toEqual(strip(r.jsSummary));

    // The same records in Parquet (written by DuckDB), the list as LIST(STRUCT) with TIMESTAMPTZ dates.
    const parquet = join(tmp.dir, "achats.parquet");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run(
      `COPY (SELECT id ->> '$' AS id, TRY_CAST(effectif AS DOUBLE) AS effectif, CASE WHEN json_type(tags) = 'ARRAY' THEN CAST(tags AS VARCHAR[]) END AS tags, list_transform(TRY_CAST(achats AS JSON[]), e -> {'montant': CAST(e ->> 'montant' AS DOUBLE), 'date': CAST(e ->> 'date' AS TIMESTAMPTZ), 'canal': e ->> 'canal'}) AS achats FROM read_json('${data}', format = 'newline_delimited', columns = {id: 'JSON', effectif: 'JSON', tags: 'JSON', achats: 'JSON'})) TO '${parquet}' (FORMAT parquet)`,
    );
    conn.closeSync();
    const inParquet = await both(achatsRules, parquet, ["--schema", achatsSchema]);
    expect(inParquet.ch).toEqual(inParquet.js);
    // Batches of 7 records: each batch's child rows, aggregates and quantifiers are its own, the
    // ranks (RFM, quantile tiers) the whole file's.
    for (const file of [data, parquet]) {
      const batched = await both(achatsRules, file, ["--schema", achatsSchema], { CIBLE_CLICKHOUSE_BATCH: "7" });
      expect(batched.ch).toEqual(batched.js);
      expect(strip(batched.chSummary)).toEqual(strip(batched.jsSummary));
    }
    // A list that is not a list (`"pas une liste"`, a bare "vip") is missing in NDJSON, NULL in
    // Parquet: both engines read the Parquet file alike, and like the NDJSON lines for the others.
    expect(inParquet.js.length).toBe(r.js.length);
  });

  it("Parquet with dates as DATE and lists as VARCHAR[]: the lines of the NDJSON records, in process and in ClickHouse", async () => {
    const ndjson = tmp.file("same.ndjson", `${rows.map((r) => JSON.stringify(r.json)).join("\n")}\n`);
    const parquet = join(tmp.dir, "contacts.parquet");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run(
      `COPY (SELECT id, entreprise, secteur, CAST(effectif AS INTEGER) AS effectif, ca, technos, optin, CAST(dernierAchat AS DATE) AS dernierAchat FROM read_json('${ndjson}', format = 'newline_delimited', columns = {id: 'VARCHAR', entreprise: 'VARCHAR', secteur: 'VARCHAR', effectif: 'DOUBLE', ca: 'DOUBLE', technos: 'VARCHAR[]', optin: 'BOOLEAN', dernierAchat: 'VARCHAR'})) TO '${parquet}' (FORMAT parquet)`,
    );
    conn.closeSync();
    const fromNdjson = await both(rulesFile, ndjson, ["--schema", schema]);
    const fromParquet = await both(rulesFile, parquet, ["--schema", schema]);
    expect(fromParquet.js).toEqual(fromNdjson.js);
    expect(fromParquet.ch).toEqual(fromNdjson.js);
  });

  it("without chdb (or @duckdb/node-api): exit 2 with the install hint", async () => {
    const data = tmp.file("hidden.csv", `${HEADER}\n${rows[0]!.csv}\n`);
    const hide = (name: string) =>
      setModuleLoader(async (s) => {
        if (s === name) throw Object.assign(new Error(`Cannot find package '${s}' imported from cible`), { code: "ERR_MODULE_NOT_FOUND" });
        return import(s);
      });
    hide("chdb");
    const r = await cli(["eval", rulesFile, data, "--schema", schema, "--engine", "clickhouse"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--engine clickhouse needs the package chdb, which is not installed");
    expect(r.stderr).toContain("npm install chdb");
    hide("@duckdb/node-api");
    const d = await cli(["eval", rulesFile, data, "--schema", schema, "--engine", "duckdb"]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain("npm install @duckdb/node-api");
    // The in-process Parquet reader needs @duckdb/node-api too.
    const p = await cli(["eval", rulesFile, tmp.file("x.parquet", "PAR1"), "--schema", schema]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain("the in-process Parquet reader needs the package @duckdb/node-api, which is not installed");
    // Installed but not loadable (another platform's build): said, not reported as missing.
    setModuleLoader(async () => {
      throw new Error("invalid ELF header");
    });
    const broken = await cli(["eval", rulesFile, data, "--schema", schema, "--engine", "clickhouse"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("--engine clickhouse cannot load the package chdb: invalid ELF header");
  });

  it("a memory cap or batch size that does not read: exit 2 with the variable and a hint", async () => {
    const data = tmp.file("mem.csv", `${HEADER}\n${rows[0]!.csv}\n`);
    for (const [env, said] of [[{ CIBLE_CLICKHOUSE_MEMORY: "lots" }, "CIBLE_CLICKHOUSE_MEMORY=lots"], [{ CIBLE_CLICKHOUSE_MEMORY: "100M" }, "at least 256M"], [{ CIBLE_CLICKHOUSE_BATCH: "0" }, "CIBLE_CLICKHOUSE_BATCH=0"]] as const) {
      const r = await cli(["eval", rulesFile, data, "--schema", schema, "--engine", "clickhouse"], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(said);
      expect(r.stderr).toContain("hint:");
    }
  });

  it("a line ClickHouse cannot read, a file that is not Parquet: exit 2 with a message, not an internal error", async () => {
    const bad = tmp.file("bad.ndjson", `${JSON.stringify(rows[0]!.json)}\nnot json\n`);
    const r = await cli(["eval", rulesFile, bad, "--schema", schema, "--engine", "clickhouse", "--out", join(tmp.dir, "bad-out.ndjson")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ClickHouse cannot");
    expect(r.stderr).not.toContain("internal error");
    // A file that is not Parquet: exit 2 in process and in ClickHouse.
    const notParquet = tmp.file("not.parquet", "PAR1xx");
    const a = await cli(["eval", rulesFile, notParquet, "--schema", schema]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("cannot read");
    expect(a.stderr).toContain("as Parquet");
    const b = await cli(["eval", rulesFile, notParquet, "--schema", schema, "--engine", "clickhouse"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("ClickHouse cannot read");
  });
});
