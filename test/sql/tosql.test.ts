/**
 * The SQL `toSQL` writes, per operator and per dialect (as kysely's tests state it per dialect).
 * What these conditions select is checked on the real engines by differential.test.ts.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile } from "../../src/index.js";
import { toSQL } from "../../src/sql.js";
import type { SQLCondition, ToSQLOptions } from "../../src/sql/types.js";

const Grade = z.enum(["F", "D", "C", "B", "A"]).meta({ ordered: true });
const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie"]).nullable(),
  grade: Grade.nullable(),
  employees: z.number().int().nullable(),
  revenue: z.number().nullable(),
  lastPurchase: z.date().nullable(),
  renewal: z.date().nullable(),
  tech: z.array(z.string()).nullable(),
  scores: z.array(z.number()).nullable(),
  name: z.string().nullable(),
  city: z.string().nullable(),
  unsubscribed: z.boolean().nullable(),
  hq: z.object({ country: z.string().nullable() }),
  purchases: z.array(
    z.object({ amount: z.number().nullable(), date: z.date().nullable(), events: z.array(z.object({ type: z.string() })) }),
  ),
});

const BASE = {
  schema: Contact,
  table: "contacts",
  now: "2026-11-22T00:00:00Z",
  children: {
    purchases: { table: "purchases", foreignKey: "contact_id", children: { events: { table: "events", foreignKey: "purchase_id" } } },
  },
} satisfies Omit<ToSQLOptions, "dialect">;

type Both = { postgres: SQLCondition; duckdb: SQLCondition };

function both(rule: string, extra: Partial<ToSQLOptions> = {}): Both {
  return {
    postgres: toSQL(rule, { ...BASE, ...extra, dialect: "postgres" }),
    duckdb: toSQL(rule, { ...BASE, ...extra, dialect: "duckdb" }),
  };
}

/** Same SQL in both dialects but for placeholders and type names. */
function same(pgSql: string, params: unknown[]): Both {
  const duck = pgSql
    .replace(/\$\d+/g, "?")
    .replace(/::float8/g, "::DOUBLE")
    .replace(/::text/g, "::VARCHAR")
    .replace(/::boolean/g, "::BOOLEAN")
    .replace(/::timestamptz/g, "::TIMESTAMPTZ");
  return { postgres: { sql: pgSql, params }, duckdb: { sql: duck, params } } as Both;
}

const C = `"contacts"`;
const PG_FOLD = (e: string) => `lower(regexp_replace(normalize(${e}, NFD), E'[\\u0300-\\u036f]', '', 'g'))`;
const DUCK_FOLD = (e: string) => `lower(strip_accents(${e}))`;

describe("toSQL: comparisons", () => {
  it.each([
    ["employees = 5", `${C}."employees" = $1::float8`, [5]],
    ["employees != 5", `${C}."employees" <> $1::float8`, [5]],
    ["employees < 5", `${C}."employees" < $1::float8`, [5]],
    ["employees <= 2.5k", `${C}."employees" <= $1::float8`, [2500]],
    ["employees > -3.5", `${C}."employees" > $1::float8`, [-3.5]],
    ["employees >= 1M", `${C}."employees" >= $1::float8`, [1_000_000]],
    ["5 < employees", `${C}."employees" > $1::float8`, [5]],
    ["employees > revenue", `${C}."employees" > ${C}."revenue"`, []],
    ['name = "Santé"', `${C}."name" = $1::text`, ["Santé"]],
    ['sector != "santé"', `${C}."sector" <> $1::text`, ["santé"]],
    ["unsubscribed = false", `${C}."unsubscribed" = $1::boolean`, [false]],
    ["name = city", `${C}."name" = ${C}."city"`, []],
  ] as const)("%s", (rule, sql, params) => {
    expect(both(rule)).toEqual(same(sql, [...params]));
  });

  it("ordered enums compare by declared position, the list travelling as one JSON parameter", () => {
    expect(both('grade < "B"')).toEqual({
      postgres: {
        sql: `array_position(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)), ${C}."grade") < $2::float8`,
        params: ['["F","D","C","B","A"]', 4],
      },
      duckdb: { sql: `list_position(from_json(?, '["VARCHAR"]'), ${C}."grade") < ?::DOUBLE`, params: ['["F","D","C","B","A"]', 4] },
    });
  });

  it("a boolean field alone, and negated", () => {
    expect(both("unsubscribed")).toEqual(same(`${C}."unsubscribed"`, []));
    expect(both("not unsubscribed")).toEqual(same(`NOT ${C}."unsubscribed"`, []));
  });

  it("nested objects are flattened columns; `columns` renames; the table may be schema-qualified", () => {
    expect(both("hq.country is set")).toEqual(same(`${C}."hq_country" IS NOT NULL`, []));
    expect(both("hq.country is not set", { columns: { "hq.country": "pays" }, table: "crm.contacts" })).toEqual(
      same(`"crm"."contacts"."pays" IS NULL`, []),
    );
    expect(both('name = "x"', { columns: { name: 'we"ird' } })).toEqual(same(`${C}."we""ird" = $1::text`, ["x"]));
  });
});

describe("toSQL: logic", () => {
  it("and, or, not keep SQL's three-valued logic", () => {
    expect(both("employees > 1 and (revenue < 2 or not unsubscribed)")).toEqual(
      same(`(${C}."employees" > $1::float8 AND (${C}."revenue" < $2::float8 OR NOT ${C}."unsubscribed"))`, [1, 2]),
    );
    expect(both("not (employees > 1 or employees < 0)")).toEqual(
      same(`NOT (${C}."employees" > $1::float8 OR ${C}."employees" < $2::float8)`, [1, 0]),
    );
  });
});

describe("toSQL: dates", () => {
  // now = 2026-11-22T00:00:00Z, UTC.
  it.each([
    ["lastPurchase < 6 months", `${C}."lastPurchase" > $1::timestamptz`, ["2026-05-22T00:00:00.000Z"]],
    ["lastPurchase <= 6 months", `${C}."lastPurchase" >= $1::timestamptz`, ["2026-05-22T00:00:00.000Z"]],
    ["lastPurchase > 1 year", `${C}."lastPurchase" < $1::timestamptz`, ["2025-11-22T00:00:00.000Z"]],
    ["lastPurchase >= 30 days", `${C}."lastPurchase" <= $1::timestamptz`, ["2026-10-23T00:00:00.000Z"]],
    ["lastPurchase > 6 months ago", `${C}."lastPurchase" > $1::timestamptz`, ["2026-05-22T00:00:00.000Z"]],
    ["renewal < 60 days from now", `${C}."renewal" < $1::timestamptz`, ["2027-01-21T00:00:00.000Z"]],
    ["lastPurchase = 2024-03-01", `(${C}."lastPurchase" >= $1::timestamptz AND ${C}."lastPurchase" < $2::timestamptz)`, ["2024-03-01T00:00:00.000Z", "2024-03-02T00:00:00.000Z"]],
    ["lastPurchase != 2024-03-01", `(${C}."lastPurchase" < $1::timestamptz OR ${C}."lastPurchase" >= $2::timestamptz)`, ["2024-03-01T00:00:00.000Z", "2024-03-02T00:00:00.000Z"]],
    ["lastPurchase < 2024-03-01", `${C}."lastPurchase" < $1::timestamptz`, ["2024-03-01T00:00:00.000Z"]],
    ["lastPurchase <= 2024-03-01", `${C}."lastPurchase" < $1::timestamptz`, ["2024-03-02T00:00:00.000Z"]],
    ["lastPurchase after 2024-03-01", `${C}."lastPurchase" >= $1::timestamptz`, ["2024-03-02T00:00:00.000Z"]],
    ["lastPurchase >= 2024-03-01", `${C}."lastPurchase" >= $1::timestamptz`, ["2024-03-01T00:00:00.000Z"]],
    ["lastPurchase before 2024-03-01T10:30:00.123456Z", `${C}."lastPurchase" < $1::timestamptz`, ["2024-03-01T10:30:00.123456Z"]],
    ["lastPurchase = 2024-03-01T10:30:00+02:00", `${C}."lastPurchase" = $1::timestamptz`, ["2024-03-01T08:30:00.000Z"]],
    ["lastPurchase < renewal", `${C}."lastPurchase" < ${C}."renewal"`, []],
    ["lastPurchase between 3 months and 1 year", `(${C}."lastPurchase" >= $1::timestamptz AND ${C}."lastPurchase" <= $2::timestamptz)`, ["2025-11-22T00:00:00.000Z", "2026-08-22T00:00:00.000Z"]],
    ["lastPurchase between 2024-01-01 and 2024-12-31", `(${C}."lastPurchase" >= $1::timestamptz AND ${C}."lastPurchase" < $2::timestamptz)`, ["2024-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"]],
    ["lastPurchase within last 30 days", `(${C}."lastPurchase" >= $1::timestamptz AND ${C}."lastPurchase" <= $2::timestamptz)`, ["2026-10-23T00:00:00.000Z", "2026-11-22T00:00:00.000Z"]],
    ["renewal within next 2 weeks", `(${C}."renewal" >= $1::timestamptz AND ${C}."renewal" <= $2::timestamptz)`, ["2026-11-22T00:00:00.000Z", "2026-12-06T00:00:00.000Z"]],
  ] as const)("%s", (rule, sql, params) => {
    expect(both(rule)).toEqual(same(sql, [...params]));
  });

  it("computes cutoffs and days in the evaluation time zone (calendar months, 23-hour days)", () => {
    const opts = { now: "2026-08-31T22:15:00Z", timeZone: "Europe/Paris" };
    // 2026-09-01 00:15 in Paris − 6 months = 2026-03-01 00:15 Paris (winter time) = 2026-02-28 23:15Z.
    expect(both("lastPurchase < 6 months", opts).postgres.params).toEqual(["2026-02-28T23:15:00.000Z"]);
    expect(both("lastPurchase = 2026-03-29", opts).postgres.params).toEqual(["2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z"]);
  });

  it("`not between` negates the whole range", () => {
    expect(both("lastPurchase not between 2024-01-01 and 2024-12-31")).toEqual(
      same(`NOT (${C}."lastPurchase" >= $1::timestamptz AND ${C}."lastPurchase" < $2::timestamptz)`, [
        "2024-01-01T00:00:00.000Z",
        "2025-01-01T00:00:00.000Z",
      ]),
    );
  });
});

describe("toSQL: ranges and lists", () => {
  it("between and not between on numbers", () => {
    expect(both("employees between 50 and 5000")).toEqual(same(`(${C}."employees" >= $1::float8 AND ${C}."employees" <= $2::float8)`, [50, 5000]));
    expect(both("employees not between 50 and revenue")).toEqual(same(`NOT (${C}."employees" >= $1::float8 AND ${C}."employees" <= ${C}."revenue")`, [50]));
  });

  it("in sends the list as one JSON text", () => {
    expect(both('sector in ["santé", "finance"]')).toEqual({
      postgres: { sql: `${C}."sector" IN (SELECT jsonb_array_elements_text($1::jsonb))`, params: ['["santé","finance"]'] },
      duckdb: { sql: `${C}."sector" IN (SELECT unnest(from_json(?, '["VARCHAR"]')))`, params: ['["santé","finance"]'] },
    });
    expect(both("employees not in [1, 2.5]")).toEqual({
      postgres: { sql: `NOT (${C}."employees" IN (SELECT jsonb_array_elements_text($1::jsonb)::float8))`, params: ["[1,2.5]"] },
      duckdb: { sql: `NOT (${C}."employees" IN (SELECT unnest(from_json(?, '["DOUBLE"]'))))`, params: ["[1,2.5]"] },
    });
  });

  it("an empty list is false, or unknown for a missing value", () => {
    expect(both("sector not in []")).toEqual(same(`NOT (CASE WHEN ${C}."sector" IS NULL THEN NULL ELSE FALSE END)`, []));
  });

  it("has, has any, has all, has none on an array column", () => {
    expect(both('tech has "X"')).toEqual({
      postgres: { sql: `${C}."tech" @> ARRAY[$1::text]`, params: ["X"] },
      duckdb: { sql: `list_contains(${C}."tech", ?::VARCHAR)`, params: ["X"] },
    });
    expect(both("scores has 5")).toEqual({
      postgres: { sql: `${C}."scores" @> ARRAY[$1::float8]`, params: [5] },
      duckdb: { sql: `list_contains(${C}."scores", ?::DOUBLE)`, params: [5] },
    });
    expect(both('tech has any ["a", "b"]')).toEqual({
      postgres: { sql: `${C}."tech" && ARRAY(SELECT jsonb_array_elements_text($1::jsonb))`, params: ['["a","b"]'] },
      duckdb: { sql: `list_has_any(${C}."tech", from_json(?, '["VARCHAR"]'))`, params: ['["a","b"]'] },
    });
    expect(both('tech has all ["a"]')).toEqual({
      postgres: { sql: `${C}."tech" @> ARRAY(SELECT jsonb_array_elements_text($1::jsonb))`, params: ['["a"]'] },
      duckdb: { sql: `list_has_all(${C}."tech", from_json(?, '["VARCHAR"]'))`, params: ['["a"]'] },
    });
    expect(both("tech has none $tags", { params: { tags: ["a"] } })).toEqual({
      postgres: { sql: `NOT (${C}."tech" && ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`, params: ['["a"]'] },
      duckdb: { sql: `NOT (list_has_any(${C}."tech", from_json(?, '["VARCHAR"]')))`, params: ['["a"]'] },
    });
  });
});

describe("toSQL: text", () => {
  it.each([
    ["contains", 'name contains "Santé"', (h: string, n: string) => `strpos(${h}, ${n}) > 0`, (h: string, n: string) => `contains(${h}, ${n})`],
    ["starts with", 'name starts with "Santé"', (h: string, n: string) => `starts_with(${h}, ${n})`, (h: string, n: string) => `starts_with(${h}, ${n})`],
    ["ends with", 'name ends with "Santé"', (h: string, n: string) => `right(${h}, length(${n})) = ${n}`, (h: string, n: string) => `ends_with(${h}, ${n})`],
    ["~=", 'name ~= "Santé"', (h: string, n: string) => `${h} = ${n}`, (h: string, n: string) => `${h} = ${n}`],
  ] as const)("%s folds the column in SQL and the literal in JavaScript", (_op, rule, pg, duck) => {
    expect(both(rule)).toEqual({
      postgres: { sql: pg(PG_FOLD(`${C}."name"`), "$1::text"), params: ["sante"] },
      duckdb: { sql: duck(DUCK_FOLD(`${C}."name"`), "?::VARCHAR"), params: ["sante"] },
    });
  });

  it("negated forms, a `%` kept literal, a field on the right", () => {
    expect(both('name not contains "100%_"').postgres).toEqual({ sql: `NOT (strpos(${PG_FOLD(`${C}."name"`)}, $1::text) > 0)`, params: ["100%_"] });
    expect(both("name not ~= city").duckdb).toEqual({ sql: `NOT (${DUCK_FOLD(`${C}."name"`)} = ${DUCK_FOLD(`${C}."city"`)})`, params: [] });
  });
});

describe("toSQL: presence and emptiness", () => {
  it.each([
    ["revenue is set", `${C}."revenue" IS NOT NULL`],
    ["revenue is not set", `${C}."revenue" IS NULL`],
    ['name is empty', `${C}."name" = ''`],
    ['name is not empty', `${C}."name" <> ''`],
    ["purchases is empty", `NOT EXISTS (SELECT 1 FROM "purchases" AS "_c1" WHERE "_c1"."contact_id" = ${C}."id")`],
    ["purchases is not empty", `EXISTS (SELECT 1 FROM "purchases" AS "_c1" WHERE "_c1"."contact_id" = ${C}."id")`],
  ] as const)("%s", (rule, sql) => {
    expect(both(rule)).toEqual(same(sql, []));
  });

  it("an array column is empty when it holds no non-null element; NULL stays unknown", () => {
    expect(both("tech is empty")).toEqual({
      postgres: { sql: `cardinality(array_remove(${C}."tech", NULL)) = 0`, params: [] },
      duckdb: { sql: `list_count(${C}."tech") = 0`, params: [] },
    });
  });
});

describe("toSQL: child tables", () => {
  const rows = (inner: string, fk = `"_c1"."contact_id" = ${C}."id"`) =>
    `(SELECT CASE ${inner} WHEN TRUE THEN 2 WHEN FALSE THEN 0 ELSE 1 END AS k FROM "purchases" AS "_c1" WHERE ${fk}) AS "_q2"`;

  it("quantifiers stay three-valued", () => {
    expect(both("any purchases where (amount > 100)")).toEqual(
      same(`(SELECT CASE max("_q2".k) WHEN 2 THEN TRUE WHEN 1 THEN NULL ELSE FALSE END FROM ${rows(`"_c1"."amount" > $1::float8`)})`, [100]),
    );
    expect(both("all purchases where (amount > 100)")).toEqual(
      same(`(SELECT CASE min("_q2".k) WHEN 0 THEN FALSE WHEN 1 THEN NULL ELSE TRUE END FROM ${rows(`"_c1"."amount" > $1::float8`)})`, [100]),
    );
    expect(both("none purchases where (amount > 100)")).toEqual(
      same(`NOT (SELECT CASE max("_q2".k) WHEN 2 THEN TRUE WHEN 1 THEN NULL ELSE FALSE END FROM ${rows(`"_c1"."amount" > $1::float8`)})`, [100]),
    );
  });

  it("inside `where`, names resolve against the element first, then the record", () => {
    const { postgres } = both("any purchases where (amount > employees)");
    expect(postgres.sql).toContain(`"_c1"."amount" > ${C}."employees"`);
  });

  it("nested child tables are correlated to their parent row", () => {
    const { duckdb } = both('any purchases where (any events where (type = "webinar"))');
    expect(duckdb.sql).toContain(`FROM "events" AS "_c2" WHERE "_c2"."purchase_id" = "_c1"."id"`);
    expect(duckdb.params).toEqual(["webinar"]);
  });

  it("aggregates: count and sum of nothing are 0, avg/min/max of nothing unknown", () => {
    const from = `FROM "purchases" AS "_c1" WHERE "_c1"."contact_id" = ${C}."id"`;
    expect(both("count(purchases) > 2")).toEqual(same(`(SELECT count(*) ${from}) > $1::float8`, [2]));
    expect(both("count(purchases where amount > 10) >= 2")).toEqual(
      same(`(SELECT count(*) ${from} AND ("_c1"."amount" > $1::float8)) >= $2::float8`, [10, 2]),
    );
    expect(both("sum(purchases.amount where date < 12 months) >= 100k")).toEqual(
      same(`(SELECT NULLIF(coalesce(sum("_c1"."amount"), 0), 'NaN'::float8) ${from} AND ("_c1"."date" > $1::timestamptz)) >= $2::float8`, [
        "2025-11-22T00:00:00.000Z",
        100_000,
      ]),
    );
    // A sum or an average of +Infinity and -Infinity (NaN) is unknown, as in the evaluator.
    expect(both("avg(purchases.amount) > 3")).toEqual(same(`(SELECT NULLIF(avg("_c1"."amount"), 'NaN'::float8) ${from}) > $1::float8`, [3]));
    for (const fn of ["min", "max"]) {
      expect(both(`${fn}(purchases.amount) > 3`)).toEqual(same(`(SELECT ${fn}("_c1"."amount") ${from}) > $1::float8`, [3]));
    }
  });

  it("aggregates over an array column: NULL array unknown, null elements skipped", () => {
    expect(both("count(scores) > 1")).toEqual({
      postgres: { sql: `cardinality(array_remove(${C}."scores", NULL)) > $1::float8`, params: [1] },
      duckdb: { sql: `list_count(${C}."scores") > ?::DOUBLE`, params: [1] },
    });
    expect(both("sum(scores) > 1")).toEqual({
      postgres: {
        sql: `CASE WHEN ${C}."scores" IS NULL THEN NULL ELSE NULLIF(coalesce((SELECT sum(e) FROM unnest(${C}."scores") AS e), 0), 'NaN'::float8) END > $1::float8`,
        params: [1],
      },
      duckdb: { sql: `CASE WHEN ${C}."scores" IS NULL THEN NULL ELSE NULLIF(coalesce(list_sum(${C}."scores"), 0), 'NaN'::DOUBLE) END > ?::DOUBLE`, params: [1] },
    });
    expect(both("avg(scores) > 1").duckdb.sql).toBe(`NULLIF(list_avg(${C}."scores"), 'NaN'::DOUBLE) > ?::DOUBLE`);
    expect(both("max(scores) < 1").duckdb.sql).toBe(`list_max(${C}."scores") < ?::DOUBLE`);
  });

  it("`key` names the parent's column the foreign key refers to", () => {
    const { postgres } = both("purchases is empty", { children: { purchases: { table: "achats", foreignKey: "client", key: "uid" } } });
    expect(postgres.sql).toBe(`NOT EXISTS (SELECT 1 FROM "achats" AS "_c1" WHERE "_c1"."client" = ${C}."uid")`);
  });
});

describe("toSQL: parameters and inputs", () => {
  it("binds $params from the `params` option, validated as the evaluator does", () => {
    expect(both("employees > $min and name contains $q", { params: { min: 50, q: "ÉCOLE", extra: 1 } })).toEqual({
      postgres: { sql: `(${C}."employees" > $1::float8 AND strpos(${PG_FOLD(`${C}."name"`)}, $2::text) > 0)`, params: [50, "ecole"] },
      duckdb: { sql: `(${C}."employees" > ?::DOUBLE AND contains(${DUCK_FOLD(`${C}."name"`)}, ?::VARCHAR))`, params: [50, "ecole"] },
    });
  });

  it("PostgreSQL reuses one placeholder for a value written twice; DuckDB repeats the value", () => {
    const { postgres, duckdb } = both('name ends with "x"');
    expect(postgres.params).toEqual(["x"]);
    expect(duckdb.params).toEqual(["x"]);
    expect(postgres.sql.match(/\$1/g)).toHaveLength(2);
  });

  it("numbers beyond 2^53 travel as text, cast in SQL (DuckDB would bind them as BIGINT)", () => {
    expect(both("employees > $big", { params: { big: 1e21 } }).duckdb).toEqual({ sql: `${C}."employees" > ?::DOUBLE`, params: ["1e+21"] });
    expect(both("employees > $big", { params: { big: 2 ** 53 - 1 } }).duckdb.params).toEqual([2 ** 53 - 1]);
  });

  it("accepts a compiled segment, its JSON AST, or source text alike", () => {
    const seg = compile("employees > 5", Contact);
    const opts = { ...BASE, dialect: "postgres" } as const;
    const expected = toSQL("employees > 5", opts);
    expect(toSQL(seg, opts)).toEqual(expected);
    expect(toSQL(JSON.parse(JSON.stringify(seg.ast)), opts)).toEqual(expected);
  });

  it("params are primitives only", () => {
    const { postgres, duckdb } = both(
      'sector in ["santé"] and lastPurchase < 6 months and unsubscribed = true and employees > 1 and grade >= "C"',
    );
    for (const p of [...postgres.params, ...duckdb.params]) expect(["string", "number", "boolean"]).toContain(typeof p);
  });
});

describe("scoreToSQL, stageToSQL, segmentToSQL", () => {
  const Lead = z.object({
    role: z.string().nullable(),
    clicks: z.number().nullable(),
    orders: z.number().nullable(),
    unsubscribed: z.boolean().nullable(),
  });
  const FILE = [
    "segment boss:",
    '  role = "CEO"',
    "score lead:",
    "  +20 if @boss",
    "  +5 per clicks max 25",
    "  -30 if unsubscribed",
    "  clamp 0 to 100",
    "lifecycle stage:",
    "  awareness",
    "  purchase if orders >= 1",
    "  advocate if @lead >= 50",
    "segment hot:",
    '  @stage >= "purchase" and not @boss',
  ].join("\n");
  const opts = { schema: Lead, table: "leads", now: "2026-11-22T00:00:00Z" } as const;
  const L = `"leads"`;

  it("a score is a clamped sum; `per … max` a bounded product (±Infinity past the overflow bound); unknown values add nothing", async () => {
    const { scoreToSQL } = await import("../../src/sql.js");
    expect(scoreToSQL(FILE, "lead", { ...opts, dialect: "postgres" })).toEqual({
      sql:
        `LEAST(GREATEST((CASE WHEN (${L}."role" = $1::text) THEN $2::float8 ELSE 0 END` +
        ` + CASE WHEN NULLIF(${L}."clicks", 'NaN'::float8) IS NULL THEN 0 ELSE LEAST(GREATEST(CASE WHEN ${L}."clicks" > $3::float8` +
        ` THEN 'Infinity'::float8 WHEN ${L}."clicks" < $4::float8 THEN '-Infinity'::float8 ELSE $5::float8 * ${L}."clicks" END, $6::float8), $7::float8) END` +
        ` + CASE WHEN ${L}."unsubscribed" THEN $8::float8 ELSE 0 END), $9::float8), $10::float8)`,
      params: ["CEO", 20, "3.5953862697246315e+307", "-3.5953862697246315e+307", 5, -25, 25, -30, 0, 100],
    });
  });

  it("a lifecycle is a CASE from the last stage down; references are written out", async () => {
    const { stageToSQL, segmentToSQL } = await import("../../src/sql.js");
    const { sql, params } = stageToSQL(FILE, "stage", { ...opts, dialect: "duckdb" });
    expect(sql.startsWith("CASE WHEN LEAST(GREATEST(")).toBe(true);
    expect(sql.endsWith(`THEN ?::VARCHAR WHEN ${L}."orders" >= ?::DOUBLE THEN ?::VARCHAR ELSE ?::VARCHAR END`)).toBe(true);
    expect(params.slice(-4)).toEqual(["advocate", 1, "purchase", "awareness"]);
    const hot = segmentToSQL(FILE, "hot", { ...opts, dialect: "postgres" });
    expect(hot.sql).toMatch(/^\(array_position\(ARRAY\(SELECT jsonb_array_elements_text\(\$\d+::jsonb\)\), CASE WHEN /);
    expect(hot.params[0]).toBe('["awareness","purchase","advocate"]');
  });
});
