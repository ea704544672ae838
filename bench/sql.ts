/**
 * `npx tsx bench/sql.ts`: one segment over 1M rows in DuckDB (in process, @duckdb/node-api,
 * through `toSQL`) against `segment.filter` over the same records in JavaScript. A script, not a
 * test. Reports ratios (DuckDB time / filter time): these machines are shared and noisy. Checks
 * that both select the same ids before timing anything.
 *
 * Environment: BENCH_N (rows, default 1,000,000), BENCH_ROUNDS (default 5), BENCH_THREADS
 * (DuckDB threads, default 2). Writes bench/results/sql-<date>.json.
 *
 * At scale — the whole demo rules file over millions of contacts, in-process against DuckDB and
 * ClickHouse, through the CLI — is bench/scale.ts (`npm run bench:scale`, minutes to an hour):
 * run here after this bench when SCALE_CONTACTS is set (`SCALE_CONTACTS=1000000 npx tsx
 * bench/sql.ts`; needs `npm run build` first). docs/scale.md has its results.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance, version } from "@duckdb/node-api";
import { compile } from "../src/index.js";
import { toSQL } from "../src/sql.js";
import { Contact, NOW, generateContacts } from "./data.js";
import { median, timeNs, timeNsAsync } from "./stats.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const THREADS = process.env.BENCH_THREADS ?? "2";
const ROOT = resolve(import.meta.dirname, "..");
const log = (s = "") => process.stdout.write(`${s}\n`);

const SEGMENTS = {
  typical: 'sector = "santé" and lastPurchase < 6 months and tech has "X"',
  text: 'role in ["CEO", "CTO", "DG"] and country ~= "fr" and not unsubscribed and emailClicks30d >= 2',
  wide: 'employees between 50 and 5000 and (revenue > 1M or tech has any ["Salesforce", "HubSpot"]) and lastPurchase within last 1 year',
} as const;

async function main(): Promise<void> {
  log(`bench/sql.ts: ${N.toLocaleString("en")} rows, ${ROUNDS} rounds, DuckDB ${version()} with ${THREADS} threads`);
  let t0 = Date.now();
  const records = generateContacts(N);
  log(`generated in ${Date.now() - t0} ms`);

  const instance = await DuckDBInstance.create(":memory:", { threads: THREADS });
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE contacts (id DOUBLE, sector VARCHAR, employees DOUBLE, country VARCHAR, revenue DOUBLE,
    "lastPurchase" TIMESTAMPTZ, tech VARCHAR[], role VARCHAR, "emailClicks30d" DOUBLE, unsubscribed BOOLEAN)`);
  // Load through a newline-delimited JSON file: DuckDB's read_json is far faster than appending
  // row by row. Text in NFC and dates as instants, as docs/sql.md asks of a loader.
  t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "cible-bench-"));
  const file = join(dir, "contacts.jsonl");
  const fd = openSync(file, "w");
  for (let i = 0; i < records.length; i += 50_000) {
    const chunk = records.slice(i, i + 50_000).map((r) =>
      JSON.stringify({ ...r, sector: r.sector.normalize("NFC"), lastPurchase: r.lastPurchase?.toISOString() ?? null }),
    );
    writeSync(fd, `${chunk.join("\n")}\n`);
  }
  closeSync(fd);
  await conn.run(`INSERT INTO contacts SELECT * FROM read_json('${file.replace(/'/g, "''")}', format = 'newline_delimited',
    columns = {id: 'DOUBLE', sector: 'VARCHAR', employees: 'DOUBLE', country: 'VARCHAR', revenue: 'DOUBLE',
      lastPurchase: 'TIMESTAMPTZ', tech: 'VARCHAR[]', role: 'VARCHAR', emailClicks30d: 'DOUBLE', unsubscribed: 'BOOLEAN'})`);
  rmSync(dir, { recursive: true, force: true });
  const loadMs = Date.now() - t0;
  log(`loaded into DuckDB in ${loadMs} ms\n`);

  const results: Record<string, unknown>[] = [];
  for (const [name, source] of Object.entries(SEGMENTS)) {
    const seg = compile(source, Contact);
    const ctx = { now: NOW };
    const { sql, params } = toSQL(seg, { schema: Contact, dialect: "duckdb", table: "contacts", now: NOW });
    const idsSql = `SELECT id FROM contacts WHERE ${sql} ORDER BY id`;
    const countSql = `SELECT count(*) AS n FROM contacts WHERE ${sql}`;

    // Same answer first.
    const expected = seg.filter(records, ctx).map((r) => r.id);
    const got = (await conn.runAndReadAll(idsSql, params)).getColumnsJS()[0] as number[];
    const same = got.length === expected.length && got.every((id, i) => id === expected[i]);
    if (!same) throw new Error(`${name}: DuckDB selected ${got.length} rows, filter ${expected.length}`);

    const filterNs: number[] = [];
    const countNs: number[] = [];
    const idsNs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      filterNs.push(timeNs(() => void seg.filter(records, ctx)));
      countNs.push(await timeNsAsync(async () => void (await conn.runAndReadAll(countSql, params))));
      idsNs.push(await timeNsAsync(async () => void (await conn.runAndReadAll(idsSql.replace(" ORDER BY id", ""), params))));
    }
    const f = median(filterNs) / 1e6;
    const c = median(countNs) / 1e6;
    const i = median(idsNs) / 1e6;
    log(`${name}: ${source}`);
    log(`  matches ${expected.length.toLocaleString("en")} / ${N.toLocaleString("en")}`);
    log(`  filter (JS)          ${f.toFixed(1)} ms`);
    log(`  DuckDB count(*)      ${c.toFixed(1)} ms   ratio ${(c / f).toFixed(2)}× of filter`);
    log(`  DuckDB SELECT id     ${i.toFixed(1)} ms   ratio ${(i / f).toFixed(2)}× of filter\n`);
    results.push({
      name,
      segment: source,
      sql,
      matches: expected.length,
      filterMs: +f.toFixed(2),
      duckdbCountMs: +c.toFixed(2),
      duckdbSelectIdsMs: +i.toFixed(2),
      ratioCount: +(c / f).toFixed(3),
      ratioSelectIds: +(i / f).toFixed(3),
    });
  }
  conn.closeSync();
  instance.closeSync();

  const date = new Date().toISOString().slice(0, 10);
  const out = {
    date,
    rows: N,
    rounds: ROUNDS,
    node: process.version,
    duckdb: version(),
    duckdbThreads: Number(THREADS),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    loadMs,
    note: "ratio = DuckDB median time / segment.filter median time over the same rows (below 1: DuckDB faster)",
    results,
  };
  mkdirSync(resolve(ROOT, "bench/results"), { recursive: true });
  writeFileSync(resolve(ROOT, `bench/results/sql-${date}.json`), `${JSON.stringify(out, null, 2)}\n`);
  log(`wrote bench/results/sql-${date}.json`);
}

await main();
if (process.env.SCALE_CONTACTS) {
  log("");
  await (await import("./scale.js")).runScale();
}
