/**
 * The real PostgreSQL 18 server of the run (test/support/pg-server.ts) beside PGlite: the same
 * SQL returns the same JavaScript values on both, so the differential suites assert the same
 * things on each.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, openPostgres, openPostgresServer } from "./support/engines.js";

let lite: Db;
let server: Db;
beforeAll(async () => {
  [lite, server] = await Promise.all([openPostgres(), openPostgresServer()]);
});
afterAll(async () => {
  await Promise.all([lite?.close(), server?.close()]);
});

describe("the PostgreSQL server", () => {
  it("is PostgreSQL 18, not PGlite", async () => {
    const [{ v }] = (await server.rows("SELECT current_setting('server_version_num')::int AS v")) as [{ v: number }];
    expect(Math.floor(v / 10000)).toBe(18);
    expect(server.label).toBe("postgres-server");
    expect(server.engine).toBe("postgres");
  });

  it("returns rows as PGlite does: int8, numeric, floats, dates, timestamps, json, arrays, NULL", async () => {
    const q = `SELECT 1::int2 a, 7::int4 b, 9007199254740993::int8 c, (-3)::int8 c2, count(*) n, sum(2::int8) s8,
      1.5::numeric d, 1.5::float4 e, 'Infinity'::float8 f, 'NaN'::float8 f2, true g,
      '2024-03-01'::date h, '2024-03-01 10:00:01.5'::timestamp i, '2024-03-01 10:00+05'::timestamptz j,
      '{"x":1}'::json k, '{"x":[1]}'::jsonb l, ARRAY[1,2]::int8[] m, ARRAY['a',NULL] o, ARRAY[1.5]::float8[] p,
      ARRAY['2024-01-01'::date] q, 'x'::text r, NULL::int z`;
    const [a, b] = await Promise.all([lite.rows(q), server.rows(q)]);
    expect(b).toEqual(a);
  });

  it("gives each opened Db a database of its own", async () => {
    const other = await openPostgresServer();
    try {
      await server.exec(`CREATE TABLE "mine" ("id" int)`);
      await expect(other.rows(`SELECT * FROM "mine"`)).rejects.toThrow(/does not exist/);
    } finally {
      await other.close();
    }
  });
});
