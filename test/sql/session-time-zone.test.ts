/**
 * Whatever the database session's time zone (`TimeZone` in PostgreSQL, DuckDB's `TimeZone`,
 * ICU being built in to @duckdb/node-api), a condition selects the same rows: cutoffs and day
 * boundaries come from the `timeZone` option, never from the server's setting (issue 14).
 * Sessions far from UTC (Pacific/Kiritimati, UTC+14; America/Adak, UTC−10 with DST) on PGlite,
 * the PostgreSQL 18 server and DuckDB, for time-sensitive rules evaluated in Europe/Paris.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import { readSchema } from "../../src/schema/index.js";
import { toSQL } from "../../src/sql.js";
import { type Db, openAll, selectIds } from "./support/engines.js";
import { Account, type AccountRecord, LAYOUT, NOWS, Rng, RuleGen, accounts } from "./support/generate.js";
import { createTables, insertStatements, planLayout, rowsOf } from "./support/layout.js";

const SEED = Number(process.env.CIBLE_SEED ?? 20261122);
const RANDOM_RULES = 20;
const SESSION_ZONES = ["UTC", "Pacific/Kiritimati", "America/Adak"];
const TIME_ZONES = ["Europe/Paris"];

/** Rules whose rows depend on where days, months and cutoffs fall. */
const FIXED = [
  "lastPurchase within last 7 days",
  "lastPurchase < 6 months",
  "lastPurchase > 6 months",
  "lastPurchase < 1 month",
  "lastPurchase before 3 days ago",
  "lastPurchase after 1 month ago",
  "lastPurchase >= 2026-03-29",
  "lastPurchase < 2026-11-22",
  "lastPurchase after 2026-08-31",
  "lastPurchase before 2025-10-26",
  "lastPurchase >= 2026-03-29T01:30",
  "renewal within next 60 days",
  "renewal < 60 days from now",
  "renewal before 2 months from now",
  "any purchases where (date within last 1 year)",
  "any contacts where (any events where (at >= 2026-03-29 and at < 6 months))",
];

let records: AccountRecord[];
let rules: string[];
const dbs: Db[] = [];

beforeAll(async () => {
  records = accounts(new Rng(SEED), 120, false);
  // Random rules that touch a date, from the differential suite's generator.
  const gen = new RuleGen(new Rng(SEED ^ 0x7a));
  const random: string[] = [];
  for (let i = 0; i < 2000 && random.length < RANDOM_RULES; i++) {
    const r = gen.rule();
    if (Object.keys(r.params).length === 0 && /lastPurchase|renewal|visits|\bat\b|\bdate\b|\bago\b|\bwithin\b/.test(r.source)) random.push(r.source);
  }
  rules = [...FIXED, ...random];
  dbs.push(...(await openAll()));
  const plan = planLayout(readSchema(Account).root, LAYOUT);
  for (const db of dbs) {
    // Loaded in a UTC session; the rows hold instants.
    for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
    for (const s of insertStatements(plan, rowsOf(plan, records, "UTC"), db.engine)) await db.exec(s.sql, s.params);
  }
});

afterAll(async () => {
  for (const db of dbs) await db.close();
});

describe("the session time zone does not change what a condition selects", () => {
  it("has time-sensitive rules that select some rows and not all", () => {
    expect(rules.length).toBe(FIXED.length + RANDOM_RULES);
    const partial = rules.filter((rule) => {
      const n = compile(rule, Account).filter(records, { now: NOWS[0], timeZone: "Europe/Paris" }).length;
      return n > 0 && n < records.length;
    });
    expect(partial.length).toBeGreaterThan(rules.length / 2);
  });

  for (const session of SESSION_ZONES) {
    it(`TimeZone = '${session}': the same ids as JavaScript, on every engine`, async () => {
      const failures: string[] = [];
      for (const db of dbs) {
        await db.exec(`SET TimeZone = '${session}'`);
        const [{ tz }] = (await db.rows("SELECT current_setting('TimeZone') AS tz")) as [{ tz: string }];
        expect(tz, db.label).toBe(session === "UTC" && db.engine === "postgres" ? tz : session);
        try {
          for (const source of rules) {
            const seg = compile(source, Account);
            for (const now of NOWS) {
              for (const timeZone of TIME_ZONES) {
                const expected = seg.filter(records, { now, timeZone }).map((r) => r.id);
                const { sql, params } = toSQL(seg, { ...LAYOUT, now, timeZone, dialect: db.engine, schema: Account });
                const got = await selectIds(db, "accounts", sql, params).catch((e: Error) => e.message);
                if (JSON.stringify(got) !== JSON.stringify(expected)) {
                  failures.push(`${db.label} session ${session} now=${new Date(now).toISOString()} tz=${timeZone}\n  rule: ${source}\n  sql: ${sql}\n  values: ${JSON.stringify(params)}\n  got ${JSON.stringify(got)}\n  expected ${JSON.stringify(expected)}`);
                }
              }
            }
            if (failures.length >= 6) break;
          }
        } finally {
          await db.exec(`SET TimeZone = 'UTC'`);
        }
      }
      expect(failures.join("\n\n")).toBe("");
    });
  }

  it("the session zone does change what the databases make of text without an offset (the test can fail)", async () => {
    for (const db of dbs) {
      await db.exec(`SET TimeZone = 'Pacific/Kiritimati'`);
      const cast = db.engine === "postgres" ? "'2026-03-29 00:00'::timestamptz" : "CAST('2026-03-29 00:00' AS TIMESTAMPTZ)";
      const [{ e }] = (await db.rows(`SELECT extract(epoch FROM ${cast}) AS e`)) as [{ e: unknown }];
      await db.exec(`SET TimeZone = 'UTC'`);
      expect(Number(e), db.label).toBe(Date.UTC(2026, 2, 28, 10) / 1000);
    }
  });
});
