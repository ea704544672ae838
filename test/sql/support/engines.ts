/**
 * The engines, in-process: PGlite (PostgreSQL compiled to WebAssembly), DuckDB through
 * @duckdb/node-api, ClickHouse through chdb. No server, no mock.
 */
import { PGlite } from "@electric-sql/pglite";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { SQLParam } from "../../../src/sql/types.js";
import { Session } from "chdb";
import { afterAll, beforeAll } from "vitest";
import type * as z4 from "zod/v4/core";
import { readSchema } from "../../../src/schema/index.js";
import { type Engine, type LayoutOptions, createTables, insertStatements, planLayout, rowsOf } from "./layout.js";

export interface Db {
  readonly engine: Engine;
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

export async function openDuckDB(): Promise<Db> {
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const conn: DuckDBConnection = await instance.connect();
  return {
    engine: "duckdb",
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

/**
 * ClickHouse (chdb): a Session in a temporary directory, removed on close. Parameters are the
 * ordered array `toSQL` returns, bound by name as `p1`, `p2`…; `sessionTimeZone` sets
 * `session_timezone`, which the SQL must not depend on.
 */
export async function openClickHouse(sessionTimeZone?: string): Promise<Db> {
  const session = new Session(undefined, sessionTimeZone ? { connectionArgs: [`--session_timezone=${sessionTimeZone}`] } : {});
  const run = (sql: string, params: readonly unknown[] | undefined, format: string): string => {
    const named: Record<string, unknown> = {};
    (params ?? []).forEach((v, i) => (named[`p${i + 1}`] = v));
    return session.queryBind(sql, named, format);
  };
  return {
    engine: "clickhouse",
    async exec(sql, params) {
      run(sql, params, "CSV");
    },
    async rows(sql, params) {
      const out = run(sql, params, "JSONEachRow");
      return out
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
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
 * PGlite and DuckDB, each holding `records` stored by the layout (tables created, rows inserted),
 * opened before the suite's tests and closed after them. The array fills in `beforeAll`.
 */
export function loadedEngines(schema: z4.$ZodType, layout: LayoutOptions, records: readonly unknown[], timeZone = "UTC"): Db[] {
  const dbs: Db[] = [];
  beforeAll(async () => {
    dbs.push(await openPostgres(), await openDuckDB());
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
