/**
 * `cible eval --engine duckdb`: the whole rules file runs inside DuckDB over the file itself, and
 * `--out` has exactly the lines of the in-process engine — on a French `;` CSV (decimal commas,
 * day-first dates, oui/non, NFD text), on NDJSON, on Parquet, and, in child processes whose heap is
 * capped at 256 MB, on a file larger than that heap (through ClickHouse as well: the file is generated once).
 */
import { execFile } from "node:child_process";
import { createWriteStream, statSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ENGINE_RULES, HEADER, N, NOW, lines, row, rows } from "./engine-data.js";
import { ROOT, SMALL_SCHEMA, cli, scratch } from "./helpers.js";

const tmp = scratch();
const rulesFile = tmp.file("rules.cible", ENGINE_RULES);
const schema = tmp.file("schema.json", JSON.stringify(SMALL_SCHEMA));

async function both(data: string, extra: string[] = [], withSchema = true): Promise<{ js: string[]; duck: string[] }> {
  const js = join(tmp.dir, "js.ndjson");
  const duck = join(tmp.dir, "duck.ndjson");
  const base = ["eval", rulesFile, data, ...(withSchema ? ["--schema", schema] : []), "--now", NOW, "--tz", "Europe/Paris", ...extra];
  const a = await cli([...base, "--out", js]);
  expect(a.code, a.stderr).toBe(0);
  const b = await cli([...base, "--out", duck, "--engine", "duckdb"]);
  expect(b.stderr).toBe(a.stderr);
  expect(b.code, b.stderr).toBe(0);
  return { js: lines(js), duck: lines(duck) };
}

describe("cible eval --engine duckdb", () => {
  it("a French `;` CSV: the same --out lines as the in-process engine", async () => {
    const data = tmp.file("contacts.csv", `${HEADER}\r\n${rows.map((r) => r.csv).join("\r\n")}\r\n`);
    const { js, duck } = await both(data);
    expect(js).toHaveLength(N);
    expect(duck).toEqual(js);
    // With the schema inferred from the file, and the header mapped with --map.
    const inferred = await both(tmp.file("mapped.csv", `${HEADER.replace("dernierAchat", "Date du dernier achat")}\r\n${rows.map((r) => r.csv).join("\r\n")}\r\n`), ["--map", "Date du dernier achat=dernierAchat"]);
    expect(inferred.duck).toEqual(js);
    const guessed = await both(data, [], false);
    expect(guessed.duck).toEqual(guessed.js);
  });

  it("NDJSON: the same --out lines, and --channel the same subset", async () => {
    const data = tmp.file("contacts.ndjson", `${rows.map((r) => JSON.stringify(r.json)).join("\n")}\n`);
    const { js, duck } = await both(data);
    expect(js).toHaveLength(N);
    expect(duck).toEqual(js);
    const reached = await both(data, ["--channel", "email"]);
    expect(reached.js.length).toBeLessThan(N);
    expect(reached.duck).toEqual(reached.js);
  });

  it("spaces around cells, blank lines, numeric ids and a cell that does not read: as the CSV reader", async () => {
    const rules = tmp.file("sp.cible", 'segment g:\n  effectif > 10\nsegment d:\n  nom = "Dupont"\nsegment r:\n  vu within last 30 days\n');
    const data = tmp.file("sp.csv", "id;effectif;nom;vu\n1; 300 ;  Dupont ;01/05/2026\n\n2;5;\"  X  \";31/02/2026\n\n3;beaucoup;Dupont; 2026-05-20 \n");
    const js = join(tmp.dir, "sp-js.ndjson");
    const duck = join(tmp.dir, "sp-duck.ndjson");
    const sp = tmp.file("sp.json", JSON.stringify({ type: "object", properties: { id: { type: "integer" }, effectif: { type: "number" }, nom: { type: "string" }, vu: { type: "string", format: "date-time" } } }));
    const a = await cli(["eval", rules, data, "--schema", sp, "--now", NOW, "--out", js]);
    const b = await cli(["eval", rules, data, "--schema", sp, "--now", NOW, "--out", duck, "--engine", "duckdb"]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(lines(js)).toHaveLength(3);
    expect(lines(duck)).toEqual(lines(js));
  });

  it("Parquet (dates as DATE, lists as VARCHAR[]): the lines the in-process engine writes for the same records in NDJSON", async () => {
    const ndjson = tmp.file("same.ndjson", `${rows.map((r) => JSON.stringify(r.json)).join("\n")}\n`);
    const parquet = join(tmp.dir, "contacts.parquet");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT id, entreprise, secteur, CAST(effectif AS INTEGER) AS effectif, ca, technos, optin, CAST(dernierAchat AS DATE) AS dernierAchat FROM read_json('${ndjson}', format = 'newline_delimited', columns = {id: 'VARCHAR', entreprise: 'VARCHAR', secteur: 'VARCHAR', effectif: 'DOUBLE', ca: 'DOUBLE', technos: 'VARCHAR[]', optin: 'BOOLEAN', dernierAchat: 'VARCHAR'})) TO '${parquet}' (FORMAT parquet)`,
    );
    conn.closeSync();
    const base = ["eval", rulesFile, "--schema", schema, "--now", NOW, "--tz", "Europe/Paris"];
    const js = join(tmp.dir, "pq-js.ndjson");
    const duck = join(tmp.dir, "pq-duck.ndjson");
    expect((await cli([...base.slice(0, 2), ndjson, ...base.slice(2), "--out", js])).code).toBe(0);
    const b = await cli([...base.slice(0, 2), parquet, ...base.slice(2), "--out", duck, "--engine", "duckdb"]);
    expect(b.code, b.stderr).toBe(0);
    expect(lines(duck)).toEqual(lines(js));
    // In process (the Parquet reader streams the file through @duckdb/node-api): the same lines.
    const inProcess = join(tmp.dir, "pq-inprocess.ndjson");
    const c = await cli([...base.slice(0, 2), parquet, ...base.slice(2), "--out", inProcess]);
    expect(c.code, c.stderr).toBe(0);
    expect(lines(inProcess)).toEqual(lines(js));
    // Without --schema: one inferred from the first records, said on stderr.
    const inferred = await cli(["eval", rulesFile, parquet, "--now", NOW, "--tz", "Europe/Paris", "--engine", "duckdb", "--out", join(tmp.dir, "pq-inferred.ndjson")]);
    expect(inferred.code, inferred.stderr).toBe(0);
    expect(inferred.stderr).toContain("no --schema");
  });

  it("an NDJSON line DuckDB cannot read: exit 2 with a message, not an internal error", async () => {
    const bad = tmp.file("bad.ndjson", `${JSON.stringify(rows[0]!.json)}\nnot json\n`);
    const r = await cli(["eval", rulesFile, bad, "--schema", schema, "--engine", "duckdb", "--out", join(tmp.dir, "bad-out.ndjson")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("DuckDB cannot run the rules over");
    expect(r.stderr).not.toContain("internal error");
  });

  it("without @duckdb/node-api: exit 2 with the install hint", async () => {
    // A resolve hook that hides the package, in a child process.
    const hook = tmp.file("hide-duckdb.mjs", `export async function resolve(specifier, context, next) {\n  if (specifier === "@duckdb/node-api") throw Object.assign(new Error("Cannot find package '@duckdb/node-api'"), { code: "ERR_MODULE_NOT_FOUND" });\n  return next(specifier, context);\n}\n`);
    const register = tmp.file("register.mjs", `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hook}`)});\n`);
    const data = tmp.file("hidden.csv", `${HEADER}\n${rows[0]!.csv}\n`);
    const r = await promisify(execFile)(process.execPath, ["--import", register, "--import", "tsx", join(ROOT, "src/cli.ts"), "eval", rulesFile, data, "--schema", schema, "--engine", "duckdb"], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--engine duckdb needs the package @duckdb/node-api, which is not installed");
    expect(r.stderr).toContain("npm install @duckdb/node-api");
  }, 60_000);

  it("the same summary (--json) as the in-process engine, but for time and the cuts of quantile tiers and RFM", async () => {
    const data = tmp.file("summary.csv", `${HEADER}\n${rows.map((r) => r.csv).join("\n")}\n`);
    const base = ["eval", rulesFile, data, "--schema", schema, "--now", NOW, "--json"];
    const strip = (text: string) => {
      const j = JSON.parse(text) as Record<string, unknown> & { tiers: { cuts?: unknown }[]; rfm: { cuts?: unknown }[] };
      delete j.seconds;
      for (const t of j.tiers) delete t.cuts;
      for (const m of j.rfm) delete m.cuts;
      return j;
    };
    const a = await cli(base);
    const b = await cli([...base, "--engine", "duckdb"]);
    expect(b.code, b.stderr).toBe(0);
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
  });

  it("NDJSON with a list of objects: one child table unnested from the file, the same lines", async () => {
    const achatsSchema = tmp.file("achats.json", JSON.stringify({
      type: "object",
      properties: {
        id: { type: "string" },
        effectif: { type: "number" },
        achats: { type: "array", items: { type: "object", properties: { montant: { type: "number" }, date: { type: "string", format: "date-time" }, canal: { type: "string", enum: ["web", "magasin"] } } } },
      },
    }));
    const achatsRules = tmp.file(
      "achats.cible",
      `segment acheteurs:\n  count(achats) >= 2\n\nsegment webRecent:\n  any achats where (canal = "web" and date within last 90 days)\n\nscore valeur:\n  +1 per sum(achats.montant) max 50\n  +10 if @webRecent\n\nrfm clients:\n  recency effectif\n  frequency count(achats)\n  monetary sum(achats.montant)\n\ntiers gros by sum(achats.montant) quantiles:\n  haut 30%\n  bas otherwise\n`,
    );
    const records = Array.from({ length: 80 }, (_, i) => ({
      id: `r${i}`,
      effectif: i,
      ...(i % 9 === 0 ? {} : { achats: i % 11 === 0 ? "pas une liste" : Array.from({ length: i % 4 }, (_, k) => ({ montant: i % 13 === k ? null : ((i * 7 + k * 3) % 50) + 0.25, date: k === 2 && i % 5 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + ((i * 17 + k * 29) % 150) * 86_400_000).toISOString(), canal: (i + k) % 3 === 0 ? "web" : "magasin" })) }),
    }));
    const data = tmp.file("achats.ndjson", `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const base = ["eval", achatsRules, data, "--schema", achatsSchema, "--now", NOW, "--json"];
    const js = join(tmp.dir, "achats-js.ndjson");
    const duck = join(tmp.dir, "achats-duck.ndjson");
    const a = await cli([...base, "--out", js]);
    expect(a.code, a.stderr).toBe(0);
    const b = await cli([...base, "--out", duck, "--engine", "duckdb"]);
    expect(b.code, b.stderr).toBe(0);
    expect(lines(duck)).toEqual(lines(js));
    expect(lines(js).filter((l) => l.includes('"webRecent"')).length).toBeGreaterThan(3);
    expect(lines(js).filter((l) => l.includes('"acheteurs"')).length).toBeGreaterThan(10);
    const strip = (text: string) => {
      const j = JSON.parse(text) as Record<string, unknown> & { tiers: { cuts?: unknown }[]; rfm: { cuts?: unknown }[] };
      delete j.seconds;
      for (const t of j.tiers) delete t.cuts;
      for (const m of j.rfm) delete m.cuts;
      return j;
    };
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
    // The same records in Parquet, the list as LIST(STRUCT) with naive TIMESTAMP dates (read in --tz, UTC here).
    const parquet = join(tmp.dir, "achats.parquet");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run(
      `COPY (SELECT id ->> '$' AS id, CAST(effectif AS DOUBLE) AS effectif, list_transform(TRY_CAST(achats AS JSON[]), e -> {'montant': CAST(e ->> 'montant' AS DOUBLE), 'date': CAST(CAST(e ->> 'date' AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP), 'canal': e ->> 'canal'}) AS achats FROM read_json('${data}', format = 'newline_delimited', columns = {id: 'JSON', effectif: 'JSON', achats: 'JSON'})) TO '${parquet}' (FORMAT parquet)`,
    );
    conn.closeSync();
    const pq = join(tmp.dir, "achats-pq.ndjson");
    const c = await cli(["eval", achatsRules, parquet, "--schema", achatsSchema, "--now", NOW, "--out", pq, "--engine", "duckdb"]);
    expect(c.code, c.stderr).toBe(0);
    expect(lines(pq)).toEqual(lines(js));
    // And with TIMESTAMPTZ dates in the elements.
    const conn2 = await (await DuckDBInstance.create(":memory:")).connect();
    const tz = join(tmp.dir, "achats-tz.parquet");
    await conn2.run(
      `COPY (SELECT id ->> '$' AS id, CAST(effectif AS DOUBLE) AS effectif, list_transform(TRY_CAST(achats AS JSON[]), e -> {'montant': CAST(e ->> 'montant' AS DOUBLE), 'date': CAST(e ->> 'date' AS TIMESTAMPTZ), 'canal': e ->> 'canal'}) AS achats FROM read_json('${data}', format = 'newline_delimited', columns = {id: 'JSON', effectif: 'JSON', achats: 'JSON'})) TO '${tz}' (FORMAT parquet)`,
    );
    conn2.closeSync();
    const pqtz = join(tmp.dir, "achats-pqtz.ndjson");
    const d = await cli(["eval", achatsRules, tz, "--schema", achatsSchema, "--now", NOW, "--out", pqtz, "--engine", "duckdb"]);
    expect(d.code, d.stderr).toBe(0);
    expect(lines(pqtz)).toEqual(lines(js));
  });

  it("refuses nested data, standard input and an unknown engine (exit 2)", async () => {
    const nested = tmp.file("nested.json", JSON.stringify({ type: "object", properties: { id: { type: "string" }, achats: { type: "array", items: { type: "object", properties: { montant: { type: "number" } } } } } }));
    const data = tmp.file("nested.csv", `id,achats\na,"[{""montant"": 1}]"\n`);
    const r = await cli(["eval", tmp.file("n.cible", "segment gros:\n  sum(achats.montant) > 10\n"), data, "--schema", nested, "--engine", "duckdb"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--engine duckdb needs flat data for now: the field achats is a list of objects");
    const hq = tmp.file("hq.json", JSON.stringify({ type: "object", properties: { id: { type: "string" }, hq: { type: "object", properties: { pays: { type: "string" } } } } }));
    const withObject = await cli(["eval", tmp.file("hq.cible", 'segment fr:\n  hq.pays = "FR"\n'), tmp.file("hq.ndjson", '{"id":"a","hq":{"pays":"FR"}}\n'), "--schema", hq, "--engine", "duckdb"]);
    expect(withObject.code).toBe(2);
    expect(withObject.stderr).toContain("the field hq is an object");
    const s = await cli(["eval", rulesFile, "-", "--schema", schema, "--engine", "duckdb"], { stdin: "{}\n" });
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("--engine duckdb reads a file, not standard input");
    expect((await cli(["eval", rulesFile, data, "--engine", "sqlite"])).code).toBe(2);
  });

  // The issue's done-when: a file larger than the Node heap limit goes through DuckDB and
  // ClickHouse, each in a child process capped at 256 MB of heap, with the lines of the in-process engine (checked on the
  // head of the file, run in-process: --out lines depend on the record alone).
  it("a CSV larger than a 256 MB heap, in a child process with --max-old-space-size=256, through DuckDB and ClickHouse", async () => {
    const big = join(tmp.dir, "big.csv");
    const file = createWriteStream(big);
    // Long company names: the file passes the heap by its bytes, with few records to evaluate
    // (about 130,000), which keeps the test short.
    const pad = "x".repeat(2000);
    const lineOf = (i: number) => {
      const r = row(i);
      return r.csv.replace(`"Entreprise ${i}; SA"`, `"Entreprise ${i}; SA ${pad}"`);
    };
    const started = Date.now();
    file.write(`${HEADER}\n`);
    let n = 0;
    let size = 0;
    while (size <= 272 * 1024 * 1024) {
      const chunk: string[] = [];
      for (let k = 0; k < 10_000; k++) chunk.push(lineOf(++n));
      const text = `${chunk.join("\n")}\n`;
      size += Buffer.byteLength(text);
      if (!file.write(text)) await once(file, "drain");
    }
    file.end();
    await once(file, "close");
    expect(statSync(big).size).toBeGreaterThan(256 * 1024 * 1024);
    const generated = Date.now();
    // The head of the file, in-process.
    const HEAD = 2000;
    const head = tmp.file("head.csv", `${HEADER}\n${Array.from({ length: HEAD }, (_, i) => lineOf(i + 1)).join("\n")}\n`);
    const headOut = join(tmp.dir, "head.ndjson");
    const a = await cli(["eval", rulesFile, head, "--schema", schema, "--now", NOW, "--tz", "Europe/Paris", "--out", headOut]);
    expect(a.code, a.stderr).toBe(0);
    const expected = lines(headOut);
    const run = promisify(execFile);
    const { createInterface } = await import("node:readline");
    const { createReadStream, rmSync } = await import("node:fs");
    // The same generated file through each engine (generating it is most of the test's time), both at once.
    const times = await Promise.all(
      ["duckdb", "clickhouse"].map(async (engine) => {
        const out = join(tmp.dir, `big-${engine}.ndjson`);
        const before = Date.now();
        const child = await run(process.execPath, ["--max-old-space-size=256", "--import", "tsx", join(ROOT, "src/cli.ts"), "eval", rulesFile, big, "--schema", schema, "--now", NOW, "--tz", "Europe/Paris", "--engine", engine, "--out", out, "--json"], {
          cwd: ROOT,
          env: { ...process.env, NO_COLOR: "1" },
          maxBuffer: 16 * 1024 * 1024,
        });
        const took = `--engine ${engine} in ${((Date.now() - before) / 1000).toFixed(1)} s`;
        expect(JSON.parse(child.stdout).records).toBe(n);
        // Read only the first lines of the big output, and count the others without keeping them.
        let count = 0;
        const first: string[] = [];
        for await (const line of createInterface({ input: createReadStream(out) })) {
          if (count < HEAD) first.push(line);
          count++;
        }
        expect(count).toBe(n);
        expect(first).toEqual(expected);
        rmSync(out);
        return took;
      }),
    );
    console.log(`large file: ${n} records, ${(size / 1024 / 1024).toFixed(0)} MB, generated in ${((generated - started) / 1000).toFixed(1)} s, ${times.join(", ")}`);
  }, 540_000);
});
