/**
 * Campaign definitions in SQL, on both real engines: `rulesToSQL` gives every definition's column
 * (segments and channels as booleans, split arms, scores, stages, tiers, quantile tiers and RFM
 * over the whole table) equal to what `rules.evaluate` / `assign` give, and `segmentToSQL` with a
 * channel selects exactly `rules.reach(segment, channel).filter(records)`.
 *
 * A fixed seed in CI; locally `CIBLE_SEED=7 CIBLE_SQL_RECORDS=3000 npx vitest run test/sql/campaign.test.ts`.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type CompiledRules, compileRules } from "../../src/index.js";
import { readSchema } from "../../src/schema/read.js";
import { rulesToSQL, segmentToSQL } from "../../src/sql.js";
import type { SQLParam } from "../../src/sql/types.js";
import { DATABASES, type Db, openAll, openClickHouse } from "./support/engines.js";
import { createTables, insertStatements, planLayout, rowsOf } from "./support/layout.js";

const SEED = Number(process.env.CIBLE_SEED ?? 20261205);
const RECORDS = Number(process.env.CIBLE_SQL_RECORDS ?? 400);
const NOW = new Date("2026-11-22T00:00:00Z");
const DAY = 86_400_000;

const Contact = z.object({
  id: z.number().int(),
  email: z.string().nullable(),
  accountId: z.number().int().nullable(),
  sector: z.enum(["santé", "finance", "industrie"]).nullable(),
  employees: z.number().nullable(),
  optinEmail: z.boolean().nullable(),
  unsubscribed: z.boolean().nullable(),
  consentDate: z.date().nullable(),
  lastPurchase: z.date().nullable(),
  purchases: z.array(z.object({ amount: z.number().nullable() })).nullable(),
});
type ContactRecord = Record<string, unknown>;

const FILE = `segment big:
  employees >= 50
segment sante:
  sector = "santé"
channel email:
  optinEmail and not unsubscribed and consentDate > 3 years ago
channel phone:
  not unsubscribed
split spring by email seed "printemps-été:2027":
  control 33.333%
  a 33.333%
  b 33.334%
split holdout by accountId:
  held 10%
  kept 90%
segment test:
  @big and @spring != "control"
segment main:
  @holdout = "kept" or @sante
score lead:
  +10 if @big
  +5 if @spring = "a"
  +1 per employees max 20
lifecycle stage:
  visitor
  customer if lastPurchase is set
tiers size by employees:
  large if >= 200
  medium if >= 50
  small otherwise
tiers potential by employees quantiles:
  top 20%
  middle 30%
  rest otherwise
tiers recent by lastPurchase quantiles:
  fresh 25%
  stale otherwise
rfm customers:
  recency lastPurchase
  frequency count(purchases)
  monetary sum(purchases.amount)
`;

const SEGMENTS = ["big", "sante", "test", "main"];
const CHANNELS = ["email", "phone"];

const maybe = <T>(a: fc.Arbitrary<T>, unknown: fc.Arbitrary<unknown> = fc.constant(null)) =>
  fc.oneof({ arbitrary: a, weight: 4 }, { arbitrary: unknown, weight: 1 });

/** Small ranges, so that quantiles and RFM meet ties. */
const recordArb = fc.record({
  email: maybe(
    fc.oneof(fc.emailAddress(), fc.constantFrom("", "santé@x.fr", "sante\u0301@x.fr", "北京@例子.cn", "a:b")),
    fc.constantFrom(null, 42, undefined),
  ),
  // Unknown integer keys: missing, NaN, fractions, ±Infinity, wrongly typed; big ones written exactly.
  accountId: maybe(
    fc.oneof(fc.integer({ min: -1000, max: 100000 }), fc.constantFrom(0, -0, 2 ** 53, 2 ** 60, 1e21)),
    fc.constantFrom(null, undefined, Number.NaN, 2.5, Infinity, -Infinity, "17"),
  ),
  sector: maybe(fc.constantFrom("santé", "finance", "industrie")),
  employees: maybe(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(50, 200, Infinity, -Infinity)), fc.constantFrom(null, Number.NaN)),
  // Unknown consent is not consent.
  optinEmail: maybe(fc.boolean()),
  unsubscribed: maybe(fc.boolean()),
  consentDate: maybe(fc.integer({ min: -2000, max: 30 }).map((d) => new Date(NOW.getTime() - d * DAY))),
  lastPurchase: maybe(fc.integer({ min: 0, max: 40 }).map((d) => new Date(NOW.getTime() - d * 30 * DAY))),
  purchases: maybe(fc.array(fc.record({ amount: maybe(fc.constantFrom(10, 100, 250, 1000)) }), { maxLength: 4 })),
});

const layout = { table: "contacts", children: { purchases: { table: "purchases", foreignKey: "contact_id", key: "id" } } };

let rules: CompiledRules<ContactRecord>;
let records: ContactRecord[];
const dbs: Db[] = [];

beforeAll(async () => {
  rules = compileRules(FILE, Contact) as CompiledRules<ContactRecord>;
  records = fc.sample(recordArb, { seed: SEED, numRuns: RECORDS }).map((r, i) => {
    const out: ContactRecord = { id: i + 1 };
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
    return out;
  });
  const plan = planLayout(readSchema(Contact).root, layout);
  const rows = rowsOf(plan, records, "UTC");
  // ClickHouse's session zone far from UTC (UTC−10): the SQL must not depend on it.
  dbs.push(...(await openAll()), await openClickHouse("Pacific/Honolulu"));
  for (const db of dbs) {
    for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
    for (const ins of insertStatements(plan, rows, db.engine)) await db.exec(ins.sql, ins.params);
  }
});

afterAll(async () => {
  for (const db of dbs) await db.close();
});

const opts = (db: Db) => ({ dialect: db.engine, table: "contacts", children: layout.children, now: NOW }) as const;

const truth = (v: unknown) => (v === null || v === undefined ? null : Boolean(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

describe(`campaign definitions in SQL (seed ${SEED}, ${RECORDS} records)`, () => {
  it("ClickHouse runs in a session zone far from UTC", async () => {
    const [row] = await dbs.find((d) => d.engine === "clickhouse")!.rows("SELECT timezone() AS z");
    expect(row!.z).toBe("Pacific/Honolulu");
  });

  it("the sample has unknown keys, unknown consent and every arm", () => {
    const ev = records.map((r) => rules.evaluate(r, { now: NOW }));
    for (const split of ["spring", "holdout"]) {
      const arms = new Set(ev.map((e) => e.splits[split]));
      expect([...arms].sort()).toEqual([...rules.splits[split]!.arms, null].sort());
    }
    const email = records.map((r) => rules.channels.email!.evaluate(r, { now: NOW }));
    expect(new Set(email)).toEqual(new Set([true, false, null]));
  });

  for (const { label: engine } of [...DATABASES, { label: "clickhouse" }]) {
    const dbOf = () => dbs.find((d) => d.label === engine)!;

    it(`${engine}: rulesToSQL's columns equal rules.evaluate and assign, row by row`, async () => {
      const db = dbOf();
      const { sql, params } = rulesToSQL(rules, opts(db));
      const got = await db.rows(`SELECT * FROM (${sql}) AS x ORDER BY "id"`, params);
      expect(got).toHaveLength(records.length);
      const columns = [
        "id", "big", "sante", "email", "phone", "spring", "holdout", "test", "main", "lead", "stage", "size", "potential",
        "recent", "customers", "customers_r", "customers_f", "customers_m",
      ];
      expect(Object.keys(got[0]!)).toEqual(columns);
      const potential = rules.tiers.potential!;
      if (potential.method !== "quantiles") throw new Error("quantile tiers expected");
      const pot = potential.assign(records, { now: NOW });
      const recent = rules.tiers.recent!;
      if (recent.method !== "quantiles") throw new Error("quantile tiers expected");
      const rec = recent.assign(records, { now: NOW });
      const rfm = rules.rfm.customers!.assign(records, { now: NOW });
      // Every tier, unknown values, and RFM names of most cells: the comparison means something.
      expect(new Set(pot.tiers).size).toBe(4);
      expect(new Set(rec.tiers).size).toBe(3);
      expect(new Set(rfm.names).size).toBeGreaterThan(6);
      const wrong: string[] = [];
      for (const [i, r] of records.entries()) {
        const g = got[i]!;
        const e = rules.evaluate(r, { now: NOW });
        const want: Record<string, unknown> = { id: r.id };
        for (const s of SEGMENTS) want[s] = rules.segments[s]!.evaluate(r, { now: NOW });
        for (const ch of CHANNELS) want[ch] = rules.channels[ch]!.evaluate(r, { now: NOW });
        Object.assign(want, e.splits, e.stages, e.tiers, { lead: e.scores.lead, potential: pot.tiers[i], recent: rec.tiers[i] });
        const score = rfm.scores[i];
        Object.assign(want, { customers: rfm.names[i], customers_r: score?.r ?? null, customers_f: score?.f ?? null, customers_m: score?.m ?? null });
        const have: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(g)) {
          have[k] = [...SEGMENTS, ...CHANNELS].includes(k) ? truth(v) : ["id", "lead", "customers_r", "customers_f", "customers_m"].includes(k) ? num(v) : (v ?? null);
        }
        const wanted = JSON.stringify(Object.fromEntries(columns.map((k) => [k, want[k] ?? null])));
        if (JSON.stringify(have) !== wanted) wrong.push(`${JSON.stringify(r)}\n  JS  ${wanted}\n  SQL ${JSON.stringify(have)}`);
        // `reachable` is the segments the record is in AND the channel.
        for (const ch of CHANNELS) expect(e.reachable[ch]).toEqual(SEGMENTS.filter((s) => have[s] === true && have[ch] === true));
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    });

    it(`${engine}: segmentToSQL with a channel selects rules.reach(segment, channel).filter`, async () => {
      const db = dbOf();
      const ids = async (sql: string, params: SQLParam[]) =>
        (await db.rows(`SELECT "id" FROM "contacts" WHERE ${sql} ORDER BY "id"`, params)).map((r) => Number(r.id));
      for (const ch of CHANNELS) {
        // A channel alone: its own condition.
        const own = segmentToSQL(rules, ch, opts(db));
        expect(await ids(own.sql, own.params), ch).toEqual(rules.channels[ch]!.filter(records, { now: NOW }).map((r) => r.id));
        for (const s of SEGMENTS) {
          const { sql, params } = segmentToSQL(rules, s, { ...opts(db), channel: ch });
          const want = rules.reach(s, ch).filter(records, { now: NOW }).map((r) => r.id);
          expect(await ids(sql, params), `${s} × ${ch}`).toEqual(want);
        }
      }
      // Reach is narrower than the segment where consent is false or unknown.
      const test = rules.segments.test!.filter(records, { now: NOW }).length;
      expect(rules.reach("test", "email").filter(records, { now: NOW }).length).toBeLessThan(test);
    });
  }
});

describe("split, reach and rulesToSQL: the SQL text", () => {
  const SMALL = `segment big:
  employees >= 50
channel email:
  optinEmail
split spring by email seed "x'; DROP TABLE contacts; --":
  control 10%
  a 90%
segment test:
  @big and @spring != "control"
`;
  const o = { schema: Contact, table: "contacts", now: NOW } as const;
  const C = `"contacts"`;

  it("the arm is a CASE over h compared with bound parameters; seed, bounds and arm names are parameters", () => {
    const { sql, params } = segmentToSQL(SMALL, "test", { ...o, dialect: "postgres", channel: "email" });
    expect(sql).toBe(
      `(((${C}."employees" >= $1::float8) AND (SELECT CASE WHEN "s1"."h" IS NULL THEN NULL WHEN "s1"."h" < $2::float8 THEN $3::text ELSE $4::text END` +
        ` FROM (SELECT ('x' || substr(md5($5::text || ${C}."email"), 1, 8))::bit(32)::bigint AS "h") AS "s1") <> $6::text) AND ${C}."optinEmail")`,
    );
    expect(params).toEqual([50, 429496730, "control", "a", "x'; DROP TABLE contacts; --:", "control"]);
    const duck = segmentToSQL(SMALL, "test", { ...o, dialect: "duckdb" });
    expect(duck.sql).toContain(`('0x' || substr(md5(?::VARCHAR || ${C}."email"), 1, 8))::UBIGINT`);
  });

  it("an integer key goes through splitKey; rulesToSQL without population definitions is one SELECT", () => {
    const file = `split h by accountId:\n  a 50%\n  b 50%\n`;
    const { sql, params } = rulesToSQL(file, { ...o, dialect: "duckdb", key: "id" });
    expect(sql).toMatch(/^SELECT "contacts"\."id" AS "id", \(SELECT CASE WHEN "s1"\."h" IS NULL THEN NULL WHEN "s1"\."h" < \?::DOUBLE THEN \?::VARCHAR ELSE \?::VARCHAR END FROM \(SELECT \('0x' \|\| substr\(md5\(\?::VARCHAR \|\| CASE WHEN isfinite/);
    expect(sql.endsWith(`AS "h") AS "s1") AS "h" FROM "contacts"`)).toBe(true);
    expect(params).toEqual([2147483648, "a", "b", "h:"]);
  });

  it("refuses an unknown channel, a segment name given as a channel, and clashing column names", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { diagnostics: { code: string; message: string; hint?: string }[] }).diagnostics[0]!;
      }
      throw new Error("no error");
    };
    const unknown = code(() => segmentToSQL(SMALL, "big", { ...o, dialect: "postgres", channel: "sms" }));
    expect(unknown.code).toBe("sql.definition");
    expect(unknown.hint).toBe("its channels: `email`");
    expect(code(() => segmentToSQL(SMALL, "big", { ...o, dialect: "postgres", channel: "big" })).code).toBe("sql.definition");
    // With a channel, the name must be a segment (as rules.reach).
    expect(code(() => segmentToSQL(SMALL, "email", { ...o, dialect: "postgres", channel: "email" })).code).toBe("sql.definition");
    const seg = code(() => segmentToSQL(SMALL, "nope", { ...o, dialect: "postgres" }));
    expect(seg.message).toBe("The rules file has no segment or channel named `nope`.");
    expect(seg.hint).toBe("its segments: `big`, `test`; its channels: `email`");
    const asKey = code(() => rulesToSQL(SMALL, { ...o, dialect: "postgres", key: "big" }));
    expect(asKey.code).toBe("sql.identifier");
    expect(asKey.hint).toBe("pass the key column in `key`, or rename the definition");
    expect(code(() => rulesToSQL(`rfm c:\n  recency lastPurchase\n  frequency count(purchases)\n  monetary sum(purchases.amount)\nsegment c_r:\n  employees > 1\n`, { ...o, dialect: "postgres", children: layout.children })).code).toBe("sql.identifier");
  });

  it("refuses names the database would fold into one: DuckDB ignores ASCII case, PostgreSQL keeps 63 bytes, ClickHouse neither", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { diagnostics: { code: string; message: string; hint?: string }[] }).diagnostics[0]!;
      }
      throw new Error("no error");
    };
    const cased = "segment Big:\n  employees >= 50\nsegment big:\n  employees >= 10\n";
    // PostgreSQL's quoted identifiers keep case: two columns.
    expect(rulesToSQL(cased, { ...o, dialect: "postgres" }).sql).toContain('AS "Big"');
    const folded = code(() => rulesToSQL(cased, { ...o, dialect: "duckdb" }));
    expect(folded.code).toBe("sql.identifier");
    expect(folded.message).toBe('The name "big" cannot be used as a DuckDB identifier: two columns of `rulesToSQL` would have this name (DuckDB sees "Big" and "big" as one name: it ignores case).');
    // The key folds too: a segment `ID` next to the key `id`.
    expect(code(() => rulesToSQL("segment ID:\n  employees >= 50\n", { ...o, dialect: "duckdb" })).code).toBe("sql.identifier");
    expect(rulesToSQL("segment ID:\n  employees >= 50\n", { ...o, dialect: "postgres" }).sql).toContain('AS "ID"');
    // Non-ASCII letters are not folded by DuckDB: É and é are two columns.
    expect(rulesToSQL("segment É:\n  employees >= 50\nsegment é:\n  employees >= 10\n", { ...o, dialect: "duckdb" }).sql).toContain('AS "é"');
    // Two names of 64 bytes that share their first 63: one column for PostgreSQL.
    const long = (c: string) => `a${"x".repeat(62)}${c}`;
    const cut = code(() => rulesToSQL(`segment ${long("1")}:\n  employees >= 50\nsegment ${long("2")}:\n  employees >= 10\n`, { ...o, dialect: "postgres" }));
    expect(cut.code).toBe("sql.identifier");
    expect(cut.message).toContain("it keeps only the first 63 bytes");
    // ClickHouse keeps identifiers as written: case and length tell columns apart; the key still collides.
    const ch = { ...o, dialect: "clickhouse" } as const;
    expect(rulesToSQL(cased, ch).sql).toContain('AS "Big"');
    expect(rulesToSQL("segment ID:\n  employees >= 50\n", ch).sql).toContain('AS "ID"');
    expect(rulesToSQL(`segment ${long("1")}:\n  employees >= 50\nsegment ${long("2")}:\n  employees >= 10\n`, ch).sql).toContain(`AS "${long("2")}"`);
    expect(code(() => rulesToSQL("segment id:\n  employees >= 50\n", ch)).code).toBe("sql.identifier");
  });
});
