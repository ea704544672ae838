/**
 * `--engine duckdb`'s memory: a bounded default limit, CIBLE_DUCKDB_MEMORY and CIBLE_DUCKDB_TEMP,
 * and a run under a small limit (DuckDB spills) that writes the in-process engine's lines and
 * leaves nothing in its temporary directory.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/io.js";
import { defaultMemoryLimit, duckdbResources } from "../../src/cli/sql-engine/duckdb-memory.js";
import { lines } from "./engine-data.js";
import { cli, scratch } from "./helpers.js";

const GIB = 2 ** 30;
const mib = (size: string) => Number(/^(\d+)MiB$/.exec(size)![1]);

describe("DuckDB's memory limit", () => {
  it("the default is between 1 GiB and 2 GiB, grows with the machine, and is at most a quarter of a machine of 4 GiB or more", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 ** 44, noNaN: true }), fc.double({ min: 0, max: 2 ** 44, noNaN: true }), (a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const [s, l] = [mib(defaultMemoryLimit(small)), mib(defaultMemoryLimit(large))];
        expect(s).toBeGreaterThanOrEqual(1024);
        expect(l).toBeLessThanOrEqual(2048);
        expect(s).toBeLessThanOrEqual(l);
        if (large >= 4 * GIB) expect(l * 2 ** 20).toBeLessThanOrEqual(large / 4);
      }),
    );
    expect(defaultMemoryLimit(23 * GIB)).toBe("2048MiB");
    expect(defaultMemoryLimit(6 * GIB)).toBe("1536MiB");
  });

  it("CIBLE_DUCKDB_MEMORY (binary units, as CIBLE_CLICKHOUSE_MEMORY) and CIBLE_DUCKDB_TEMP are taken as given; anything else is exit 2 with an example", () => {
    expect(duckdbResources({ CIBLE_DUCKDB_MEMORY: "1.5GiB", CIBLE_DUCKDB_TEMP: "/data/tmp" }, 8 * GIB, "/tmp")).toEqual({ memoryLimit: "1536MiB", tempParent: "/data/tmp" });
    for (const same of ["4G", "4GB", "4GiB", "4096M", "4g"]) expect(duckdbResources({ CIBLE_DUCKDB_MEMORY: same }, 8 * GIB, "/tmp").memoryLimit, same).toBe("4096MiB");
    expect(duckdbResources({ CIBLE_DUCKDB_MEMORY: " " }, 8 * GIB, "/tmp")).toEqual({ memoryLimit: "2048MiB", tempParent: "/tmp" });
    for (const bad of ["lots", "2", "-1GB", "2GB; SET threads = 1", "GB"]) {
      let error: unknown;
      try {
        duckdbResources({ CIBLE_DUCKDB_MEMORY: bad }, 8 * GIB, "/tmp");
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(CliError);
      expect((error as CliError).hint).toMatch(/CIBLE_DUCKDB_MEMORY=4G/);
    }
  });
});

describe("cible eval --engine duckdb under a small memory limit", () => {
  const tmp = scratch();
  const rules = tmp.file(
    "r.cible",
    "segment acheteurs:\n  count(achats where montant > 100) >= 2\nsegment gros:\n  sum(achats.montant) > 400\nscore valeur:\n  +5 if count(achats where canal = \"web\") >= 2\n  +10 if effectif > 500\ntiers taille by effectif quantiles:\n  top 20%\n  reste otherwise\n",
  );
  const schema = tmp.file(
    "s.json",
    JSON.stringify({
      type: "object",
      properties: {
        id: { type: "string" },
        effectif: { type: "number" },
        achats: { type: "array", items: { type: "object", properties: { montant: { type: "number" }, date: { type: "string", format: "date-time" }, canal: { type: "string" } } } },
      },
    }),
  );

  it("spills to CIBLE_DUCKDB_TEMP, writes the in-process lines in file order, and removes its directory", async () => {
    // 60,000 records of up to 4 purchases, shuffled; the struct lacks the schema's `date` (read as NULL).
    const parquet = join(tmp.dir, "big.parquet");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run(
      `COPY (SELECT 'C' || lpad(CAST(i AS VARCHAR), 6, '0') AS id, CAST((i * 7919) % 1000 AS INTEGER) AS effectif, list_transform(range((i % 5)::BIGINT), k -> {'montant': CAST((i * 31 + k * 17) % 300 AS DOUBLE), 'canal': CASE WHEN (i + k) % 3 = 0 THEN 'web' ELSE 'salon' END}) AS achats FROM range(60000) t(i) ORDER BY hash(i)) TO '${parquet}' (FORMAT parquet, ROW_GROUP_SIZE 5000)`,
    );
    conn.closeSync();
    const base = ["eval", rules, parquet, "--schema", schema, "--now", "2026-06-01T08:00:00Z"];
    const js = join(tmp.dir, "js.ndjson");
    const duck = join(tmp.dir, "duck.ndjson");
    const a = await cli([...base, "--out", js]);
    expect(a.code, a.stderr).toBe(0);
    const temp = mkdtempSync(join(tmp.dir, "spill-"));
    const b = await cli([...base, "--out", duck, "--engine", "duckdb"], { env: { CIBLE_DUCKDB_MEMORY: "64MB", CIBLE_DUCKDB_TEMP: temp } });
    expect(b.code, b.stderr).toBe(0);
    expect(lines(js)).toHaveLength(60000);
    expect(lines(duck)).toEqual(lines(js));
    expect(readdirSync(temp)).toEqual([]);
    const bad = await cli([...base, "--engine", "duckdb"], { env: { CIBLE_DUCKDB_MEMORY: "lots" } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CIBLE_DUCKDB_MEMORY=lots: not a memory size/);
  });

  it("a Parquet file with a column named file_row_number (the row number DuckDB reads): exit 2, not a wrong order", async () => {
    const parquet = join(tmp.dir, "frn.parquet");
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const conn = await (await DuckDBInstance.create(":memory:")).connect();
    await conn.run(`COPY (SELECT 'C' || i AS id, CAST(i AS DOUBLE) AS effectif, 7 - i AS file_row_number FROM range(5) t(i)) TO '${parquet}' (FORMAT parquet)`);
    conn.closeSync();
    const r = await cli(["eval", tmp.file("frn.cible", "segment g:\n  effectif > 1\n"), parquet, "--engine", "duckdb"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/column named file_row_number/);
  });
});
