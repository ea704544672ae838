/**
 * The in-process Parquet reader: DuckDB's `read_parquet` (@duckdb/node-api, loaded only for a
 * `.parquet` file), streamed chunk by chunk (about 2,048 rows at a time) and turned into plain
 * records, as an NDJSON line would give them: numbers (integers, decimals, floats; NaN as null),
 * text, booleans, lists, lists of objects (`LIST(STRUCT)`), and dates as ISO text — a
 * `TIMESTAMP WITH TIME ZONE` as its instant (`…Z`), a `TIMESTAMP` or `DATE` without zone as
 * zone-less text that the rules read in `--tz`, as the SQL engines do. The file is never loaded whole.
 */
import type { DuckDBValue } from "@duckdb/node-api";
import { CliError, EXIT } from "./io.js";
import { loadEnginePackage } from "./sql-engine/load.js";

type DuckDB = typeof import("@duckdb/node-api");

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** ISO text of epoch milliseconds: with `Z` for an instant, without for a zone-less time. */
const iso = (ms: number, zoned: boolean) => {
  if (!Number.isFinite(ms)) return null;
  const text = new Date(ms).toISOString();
  return zoned ? text : text.slice(0, -1);
};

/** A DuckDB value as the JSON-like value a record holds. */
function plain(v: DuckDBValue, duck: DuckDB): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isNaN(v) ? null : v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof duck.DuckDBTimestampTZValue) return iso(Number(v.micros / 1000n), true);
  if (v instanceof duck.DuckDBTimestampValue) return iso(Number(v.micros / 1000n), false);
  if (v instanceof duck.DuckDBTimestampMillisecondsValue) return iso(Number(v.millis), false);
  if (v instanceof duck.DuckDBTimestampSecondsValue) return iso(Number(v.seconds) * 1000, false);
  if (v instanceof duck.DuckDBTimestampNanosecondsValue) return iso(Number(v.nanos / 1_000_000n), false);
  if (v instanceof duck.DuckDBDateValue) return iso(v.days * 86_400_000, true)?.slice(0, 10) ?? null;
  if (v instanceof duck.DuckDBDecimalValue) return v.toDouble();
  if (v instanceof duck.DuckDBListValue || v instanceof duck.DuckDBArrayValue) return v.items.map((x) => plain(x, duck));
  if (v instanceof duck.DuckDBStructValue) return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, plain(x, duck)]));
  // MAP, BLOB, UUID, intervals…: their text, which a rule reads as text (or unknown for another type).
  return String(v);
}

/**
 * The records of a Parquet file, in file order, streamed.
 *
 * @example
 * ```ts
 * for await (const record of parquetRecords("/data/contacts.parquet", "contacts.parquet")) evaluate(record);
 * ```
 */
export async function* parquetRecords(path: string, name: string): AsyncGenerator<Record<string, unknown>> {
  const duck = await loadEnginePackage<DuckDB>("duckdb", "the in-process Parquet reader");
  const db = await duck.DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  try {
    const result = await conn.stream(`SELECT * FROM read_parquet(${lit(path)})`).catch((e: Error) => {
      throw new CliError(`cannot read ${name} as Parquet: ${e.message}`, EXIT.failure);
    });
    const names = result.columnNames();
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRowObjects(names)) {
        const record: Record<string, unknown> = {};
        for (const k of names) record[k] = plain(row[k]!, duck);
        yield record;
      }
    }
  } finally {
    conn.closeSync();
  }
}
