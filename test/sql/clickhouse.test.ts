/**
 * What is ClickHouse's own in `toSQL(…, { dialect: "clickhouse" })` (docs/sql.md, "ClickHouse"):
 * typed placeholders named in `params`' order, a missing array as a `<column>_missing` flag, the
 * same rows whatever the session's time zone, the shapes it refuses rather than answer wrongly, and
 * a condition reading an enclosing `where`'s element, bound by a lambda (enclosing-element.test.ts).
 * The differential suite (differential.test.ts) checks the rest against the evaluator on chdb.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError, compile } from "../../src/index.js";
import { readSchema } from "../../src/schema/index.js";
import { splitHash, splitKeyText } from "../../src/rules/split.js";
import { scoreToSQL, toSQL } from "../../src/sql.js";
import { clickhouse } from "../../src/sql/clickhouse.js";
import { type Db, openClickHouse, selectIds } from "./support/engines.js";
import { createTables, insertStatements, planLayout, rowsOf } from "./support/layout.js";

const Item = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  tags: z.array(z.string().nullable()).nullable(),
  seen: z.date().nullable(),
  orders: z.array(z.object({ amount: z.number().nullable(), city: z.string().nullable() })),
  visits: z.array(z.object({ place: z.string() })),
});
const LAYOUT = {
  table: "items",
  children: {
    orders: { table: "orders", foreignKey: "item_id" },
    visits: { table: "visits", foreignKey: "item_id" },
  },
};
const NOW = Date.UTC(2026, 0, 15, 12);

const items = [
  { id: 1, name: "Émile", tags: ["a", null], seen: new Date(Date.UTC(2026, 0, 14, 23)), orders: [{ amount: 5, city: "Lyon" }], visits: [{ place: "Lyon" }] },
  { id: 2, name: null, tags: null, seen: null, orders: [], visits: [] },
  { id: 3, name: "zoé", tags: [], seen: new Date(Date.UTC(2026, 0, 15, 0, 30)), orders: [{ amount: null, city: null }], visits: [] },
] as z.output<typeof Item>[];

/** Rules and the ids the evaluator selects (checked below too). */
const RULES = [
  "tags is set",
  "tags is not set",
  "tags is empty",
  "count(tags) = 1",
  'tags has "a"',
  'tags has any ["a", "b"]',
  "not (tags has all [\"a\"])",
  'name starts with "emi"',
  "seen = 2026-01-15",
  "seen within last 1 day",
  "any orders where (amount > 1)",
  "not (all orders where (amount > 1))",
  "orders is empty",
  "sum(orders.amount) >= 0",
  "max(orders.amount) > 1",
  "count(orders where city is not set) = 1",
];

let db: Db;

beforeAll(async () => {
  // A session zone far from UTC (UTC+14); chdb holds one session per process, so UTC is then
  // asked for per query.
  db = await openClickHouse("Pacific/Kiritimati");
  const plan = planLayout(readSchema(Item).root, LAYOUT);
  for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
  for (const s of insertStatements(plan, rowsOf(plan, items, "UTC"), db.engine)) await db.exec(s.sql, s.params);
});

afterAll(async () => {
  await db?.close();
});

describe("ClickHouse", () => {
  it("writes typed placeholders, named in params' order, one name for a repeated value", () => {
    const { sql, params } = toSQL('name = "x" and count(tags) > 2 and name ends with "x"', { ...LAYOUT, dialect: "clickhouse", schema: Item, now: NOW });
    expect(sql).toContain('"items"."name" = {p1:String}');
    expect(sql).toContain("{p2:Float64}");
    expect(params).toEqual(["x", 2, "x"]);
    expect(sql).toContain('"items"."tags_missing" = 1');
  });

  it("stores a missing array as [] with its flag, and selects what the evaluator selects in any session zone", async () => {
    expect(await db.rows("SELECT timezone() AS tz")).toEqual([{ tz: "Pacific/Kiritimati" }]);
    const flags = await db.rows(`SELECT "id", "tags_missing" AS m FROM "items" ORDER BY "id"`);
    expect(flags.map((r) => Number(r.m))).toEqual([0, 1, 0]);
    for (const rule of RULES) {
      const seg = compile(rule, Item);
      const ctx = { now: NOW, timeZone: "Europe/Paris" };
      const expected = seg.filter(items, ctx).map((r) => r.id);
      const { sql, params } = toSQL(seg, { ...LAYOUT, ...ctx, dialect: "clickhouse", schema: Item });
      expect({ rule, ids: await selectIds(db, "items", sql, params) }).toEqual({ rule, ids: expected });
      const utc = await db.rows(`SELECT "id" FROM "items" WHERE ${sql} ORDER BY "id" SETTINGS session_timezone = 'UTC'`, params);
      expect({ rule, ids: utc.map((r) => Number(r.id)) }).toEqual({ rule, ids: expected });
    }
  });

  it("hashes split keys as JavaScript does (LANGUAGE.md §7), text and integer keys", async () => {
    const keys = ["c0", "Zoë", "日本", "ﬁ", ""];
    for (const k of keys) {
      const [row] = await db.rows(`SELECT ${clickhouse.splitHash(`{p1:String} || ':' || {p2:String}`)} AS h`, ["spring", k]);
      expect({ k, h: Number(row!.h) }).toEqual({ k, h: splitHash("spring", k) });
    }
    expect(splitHash("spring", "c0")).toBe(4009207742);
    const text = (x: number) => (x !== x ? "nan" : Math.abs(x) === Infinity ? (x > 0 ? "inf" : "-inf") : Number.isSafeInteger(x) || !Number.isInteger(x) ? x : String(x));
    // Exact digits through Int64, then through Int256 (q · 2^k shifted) below 2^255.
    const exact = [0, -0, 42, -7, 2 ** 53, 2 ** 62, 2 ** 63, -(2 ** 63), 2 ** 63 + 2 ** 11, 2 ** 64, 1e21, -1e21, 1e23, 2 ** 128, 5.7e76, -(2 ** 254), 2 ** 255 - 2 ** 202];
    for (const x of [...exact, 1.5, Infinity, Number.NaN]) {
      const [row] = await db.rows(`SELECT ${clickhouse.splitKey("{p1:Float64}", "integer")} AS t`, [text(x)]);
      expect({ x, t: row!.t ?? null }).toEqual({ x, t: splitKeyText(x, "integer") });
    }
    // Beyond, no ClickHouse integer holds the digits: the key is unknown (docs/sql.md, "ClickHouse").
    for (const x of [2 ** 255, -(2 ** 255), 1e300, Number.MAX_VALUE]) {
      const [row] = await db.rows(`SELECT ${clickhouse.splitKey("{p1:Float64}", "integer")} AS t`, [text(x)]);
      expect({ x, t: row!.t ?? null }).toEqual({ x, t: null });
    }
  });

  it("refuses what it cannot answer exactly, with sql.unsupported naming ClickHouse", () => {
    const refused = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        if (e instanceof CibleError) return `${e.diagnostics[0]?.code}: ${e.message}`;
        throw e;
      }
      return "accepted";
    };
    const opts = { ...LAYOUT, dialect: "clickhouse" as const, schema: Item, now: NOW };
    // DateTime64 holds 1900–2299 only.
    expect(refused(() => toSQL("seen < 1850-01-01", opts))).toMatch(/^sql\.unsupported: .*ClickHouse/);
    // Rules files too: such an instant in a decaying score rule's condition.
    const decaying = (where: string) => `score s:\n  +1 if name is set\n  +2 per visits where (${where}) decaying 50% every 30 days by seen\n`;
    const Seen = z.object({ ...Item.shape, visits: z.array(z.object({ place: z.string(), seen: z.date().nullable() })) });
    const sopts = { ...opts, schema: Seen };
    expect(refused(() => scoreToSQL(decaying("seen > 2300-01-01"), "s", sopts))).toMatch(/^sql\.unsupported: .*ClickHouse/);
    expect(refused(() => scoreToSQL(decaying('place = "Lyon"'), "s", sopts))).toBe("accepted");
  });

  it("answers a condition that reads the element of an enclosing `where` over another list, without correlated subqueries", async () => {
    const opts = { ...LAYOUT, dialect: "clickhouse" as const, schema: Item, now: NOW };
    for (const rule of [
      "any visits where (any orders where (city = place))",
      "any visits where (count(orders where city = place) > 0)",
      "all orders where (none visits where (place != city))",
      "any orders where (count(visits where place = city) >= 1)",
    ]) {
      const { sql, params } = toSQL(rule, opts);
      // The enclosing element's column is read inside a lambda over the orders' rows, looked up by key.
      expect(sql).toContain("groupArray(tuple(0");
      const expected = compile(rule, Item).filter(items, { now: NOW }).map((r) => r.id);
      expect({ rule, ids: await selectIds(db, "items", sql, params) }).toEqual({ rule, ids: expected });
    }
  });
});
