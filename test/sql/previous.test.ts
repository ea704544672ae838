/**
 * Monotonic lifecycles in SQL (`ToSQLOptions.previous`): on every real engine, each row's stage
 * equals `rules.evaluate`'s with that row's previous stage, and `@stage` references see it.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError, compileRules } from "../../src/index.js";
import { segmentToSQL, stageToSQL } from "../../src/sql.js";
import { type Db, openAll, openClickHouse } from "./support/engines.js";

const Lead = z.object({ id: z.number().int(), visits: z.number().int().nullable(), orders: z.number().int().nullable() });
type LeadRecord = z.infer<typeof Lead>;

// A first stage with a condition (no stage may hold: NULL), and one without.
const FILES = [
  `lifecycle stage:
  visitor if visits >= 1
  lead if visits >= 5
  customer if orders >= 1
segment late:
  @stage >= "lead"`,
  `lifecycle stage:
  visitor
  lead if visits >= 5
  customer if orders >= 1
segment late:
  @stage >= "lead"`,
];
const STAGES = ["visitor", "lead", "customer"];
const NOW = new Date("2026-11-22T00:00:00Z");

const rowArb = fc.record({
  visits: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
  orders: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  previous: fc.option(fc.constantFrom(...STAGES, "prospect"), { nil: null }),
});

const dbs: Db[] = [];
beforeAll(async () => {
  // ClickHouse's session zone far from UTC (UTC+13): the SQL must not depend on it.
  dbs.push(...(await openAll()), await openClickHouse("Pacific/Tongatapu"));
});
afterAll(async () => {
  for (const db of dbs) await db.close();
});

describe("stageToSQL with previous", () => {
  for (const [f, file] of FILES.entries()) {
    it(`equals rules.evaluate with each row's previous stage (file ${f + 1}), on every engine`, async () => {
      const rules = compileRules(file, Lead);
      const rows = fc.sample(fc.array(rowArb, { minLength: 60, maxLength: 60 }), { seed: 20261123 + f, numRuns: 1 })[0]!;
      const records: LeadRecord[] = rows.map((r, i) => ({ id: i + 1, visits: r.visits, orders: r.orders }));
      // What the rules engine says; it throws on a previous stage that is not a stage: SQL gives NULL.
      const want = records.map((r, i) => {
        try {
          return rules.lifecycles.stage!.stage(r, { now: NOW, previous: rows[i]!.previous ?? undefined });
        } catch (e) {
          expect(e).toBeInstanceOf(CibleError);
          return null;
        }
      });
      const wantLate = records.filter((_, i) => want[i] === "lead" || want[i] === "customer").map((r) => r.id);
      expect(new Set(want).size).toBeGreaterThan(2);
      for (const db of dbs) {
        await db.exec(`DROP TABLE IF EXISTS "leads"`);
        await db.exec(
          db.engine === "clickhouse"
            ? `CREATE TABLE "leads" ("id" Int32, "visits" Nullable(Int32), "orders" Nullable(Int32), "previous_stage" Nullable(String)) ENGINE = Memory`
            : `CREATE TABLE "leads" ("id" integer, "visits" integer, "orders" integer, "previous_stage" text)`,
        );
        for (const [i, r] of rows.entries()) {
          const v = (x: number | string | null) => (x === null ? "NULL" : typeof x === "number" ? String(x) : `'${x}'`);
          await db.exec(`INSERT INTO "leads" VALUES (${i + 1}, ${v(r.visits)}, ${v(r.orders)}, ${v(r.previous)})`);
        }
        const opts = { schema: Lead, dialect: db.engine, table: "leads", now: NOW, previous: { stage: "previous_stage" } } as const;
        const st = stageToSQL(rules, "stage", opts);
        const got = (await db.rows(`SELECT ${st.sql} AS st FROM "leads" ORDER BY "id"`, st.params)).map((r) => r.st ?? null);
        expect(got, `${db.label}: ${st.sql}`).toEqual(want);
        const late = segmentToSQL(rules, "late", opts);
        const ids = (await db.rows(`SELECT "id" FROM "leads" WHERE ${late.sql} ORDER BY "id"`, late.params)).map((r) => Number(r.id));
        expect(ids, db.engine).toEqual(wantLate);
        // Without `previous`, the computed stage (the option is what makes the difference).
        const plain = stageToSQL(rules, "stage", { ...opts, previous: undefined });
        const computed = (await db.rows(`SELECT ${plain.sql} AS st FROM "leads" ORDER BY "id"`, plain.params)).map((r) => r.st ?? null);
        expect(computed).toEqual(records.map((r) => rules.lifecycles.stage!.stage(r, { now: NOW })));
        expect(computed).not.toEqual(want);
      }
    });
  }

  it("refuses a previous column for a name that is not a lifecycle of the file", () => {
    const rules = compileRules(FILES[0]!, Lead);
    expect(() => stageToSQL(rules, "stage", { schema: Lead, dialect: "postgres", table: "leads", previous: { stages: "p" } })).toThrow(/not a lifecycle of the file/);
  });
});
