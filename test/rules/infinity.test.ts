/**
 * ±Infinity is an ordinary number everywhere (LANGUAGE: "a number other than NaN, ±Infinity
 * included"): `per x max M` gives ±M, quantile tiers and RFM put it at the ends; NaN (a sum of
 * +∞ and −∞) is unknown. The same in SQL, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { compileRules } from "../../src/rules/index.js";
import { rankByShares } from "../../src/rules/quantiles.js";
import { scoreToSQL } from "../../src/sql.js";
import { type Db, openAll } from "../sql/support/engines.js";

const Row = z.object({ id: z.number().int(), x: z.number().nullable(), lastPurchase: z.date().nullable(), amounts: z.array(z.number()).optional() });
const ctx = { now: new Date("2026-11-22T00:00:00Z") };
const FILE = [
  "score capped:",
  "  +5 per x max 25",
  "score negative:",
  "  -5 per x max 20",
  "score uncapped:",
  "  +2 per x",
  "score zero:",
  "  +0 per x max 10",
  "score summed:",
  "  +1 per sum(amounts) max 7",
  "tiers halves by x quantiles:",
  "  top 50%",
  "  bottom otherwise",
  "rfm customers:",
  "  recency lastPurchase",
  "  frequency x",
  "  monetary x",
].join("\n");
const rules = compileRules(FILE, Row);

describe("±Infinity in scores", () => {
  it("`per x max M` gives ±M for ±Infinity, as for 1e308; without max, ±Infinity", () => {
    const s = (name: string, x: number | null) => rules.scores[name]!.score({ id: 1, x, lastPurchase: null }, ctx);
    expect(s("capped", 1e308)).toBe(25);
    expect(s("capped", Infinity)).toBe(25);
    expect(s("capped", -Infinity)).toBe(-25);
    expect(s("negative", Infinity)).toBe(-20);
    expect(s("negative", -Infinity)).toBe(20);
    expect(s("uncapped", Infinity)).toBe(Infinity);
    expect(s("uncapped", -Infinity)).toBe(-Infinity);
    expect(s("zero", Infinity)).toBe(0);
    expect(s("capped", NaN)).toBe(0);
    expect(s("capped", null)).toBe(0);
  });

  it("a sum of +Infinity and -Infinity is unknown and adds nothing", () => {
    const s = (amounts: number[]) => rules.scores.summed!.score({ id: 1, x: null, lastPurchase: null, amounts }, ctx);
    expect(s([Infinity, -Infinity])).toBe(0);
    expect(s([Infinity, 1])).toBe(7);
    expect(s([-Infinity, 1])).toBe(-7);
  });
});

describe("±Infinity in quantile tiers and RFM", () => {
  it("quantile tiers put +Infinity first and -Infinity last", () => {
    const records = [1, 2, 3, Infinity, -Infinity].map((x, i) => ({ id: i, x, lastPurchase: null }));
    expect((rules.tiers.halves as unknown as { assign(r: unknown[], c: unknown): unknown }).assign(records, ctx)).toEqual({ tiers: ["bottom", "top", "top", "top", "bottom"], cuts: [2] });
    const r = rankByShares([Infinity, -Infinity, NaN, null, 0], [50, 50]);
    expect([r.lineOf(Infinity), r.lineOf(-Infinity), r.lineOf(NaN), r.lineOf(0), r.known]).toEqual([0, 1, null, 0, 3]);
  });

  it("RFM: an infinite frequency or monetary scores 5, -Infinity 1", () => {
    const at = new Date("2026-11-01T00:00:00Z");
    const records = [Infinity, 1, 2, 3, -Infinity].map((x, i) => ({ id: i, x, lastPurchase: at }));
    const { scores } = rules.rfm.customers!.assign(records, ctx);
    expect(scores.map((s) => s?.f)).toEqual([5, 2, 3, 4, 1]);
    expect(scores.map((s) => s?.m)).toEqual([5, 2, 3, 4, 1]);
  });
});

describe("±Infinity in SQL scores, on both engines", () => {
  const dbs: Db[] = [];
  beforeAll(async () => {
    dbs.push(...(await openAll()));
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  it("equals the rules engine: ±M for ±Infinity, ±Infinity without max, 0 for NULL and NaN", async () => {
    const xs = [1e308, Infinity, -Infinity, null, 3, NaN];
    const records = xs.map((x, i) => ({ id: i + 1, x, lastPurchase: null }));
    const lit = (x: number | null) => (x === null ? "NULL" : Number.isFinite(x) ? String(x) : `'${x}'`);
    for (const db of dbs) {
      const float = db.engine === "postgres" ? "float8" : "DOUBLE";
      await db.exec(`DROP TABLE IF EXISTS "rows"`);
      await db.exec(`CREATE TABLE "rows" ("id" integer, "x" ${float}, "lastPurchase" ${db.engine === "postgres" ? "timestamptz" : "TIMESTAMPTZ"})`);
      for (const r of records) await db.exec(`INSERT INTO "rows" VALUES (${r.id}, CAST(${lit(r.x)} AS ${float}), NULL)`);
      for (const name of ["capped", "negative", "uncapped", "zero"]) {
        const want = records.map((r) => rules.scores[name]!.score(r, ctx));
        const s = scoreToSQL(rules, name, { schema: Row, dialect: db.engine, table: "rows", now: ctx.now });
        const got = (await db.rows(`SELECT ${s.sql} AS s FROM "rows" ORDER BY "id"`, s.params)).map((r) => Number(r.s));
        expect(got, `${db.label} ${name}: ${s.sql}`).toEqual(want);
      }
    }
  });
});
