/**
 * Law (issue 11): check accepts ⇒ every backend accepts.
 *
 * For every rule that `check(source, schema)` accepts (no error-severity diagnostic): `compile`,
 * `fromAST` (cible/runtime, on `seg.ast`), `seg.evaluate` and `seg.explain` (with parameters of
 * the inferred types) succeed; `toSQL` succeeds for every dialect or refuses with a CibleError whose
 * first diagnostic points into the rule; `matchingRecord` gives a record the segment selects or
 * throws `testing.no-witness`. No plain Error (TypeError, RangeError…) ever escapes.
 * Where compile and toSQL both succeed, PGlite and DuckDB select exactly the records `filter` does.
 *
 * Inputs: random rules of `ruleArbitrary` over two schemas (nested objects, child tables, ordered
 * enums, nullable dates, arrays of strings), and a hand-written table of rules with parameters,
 * durations, ordered enums and nested quantifiers.
 *
 * A fixed seed; locally `CIBLE_SEED=123 CIBLE_LAW_RUNS=500 npx vitest run test/laws`.
 */
import fc from "fast-check";
import { z } from "zod";
import type * as z4 from "zod/v4/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CibleError, check, compile } from "../../src/index.js";
import type { EvalContext } from "../../src/index.js";
import { readSchema } from "../../src/schema/index.js";
import { toSQL } from "../../src/sql.js";
import type { SQLDialectName } from "../../src/sql/types.js";
import { recordArbitrary, ruleArbitrary } from "../../src/testing.js";
import { DIALECTS, type SqlLayout, describeThrown, refusalProblem, runBackends } from "../support/backends.js";
import { paramsFor } from "../support/params.js";
import { type Db, openClickHouse, openDuckDB, openPostgres, selectIds } from "../sql/support/engines.js";
import { createTables, insertStatements, planLayout, rowsOf } from "../sql/support/layout.js";

const SEED = Number(process.env.CIBLE_SEED ?? 20261111);
const RUNS = Number(process.env.CIBLE_LAW_RUNS ?? 40);

const NOW = Date.UTC(2026, 10, 22, 9, 30);
const NOWS = [NOW, Date.UTC(2026, 2, 29, 0, 30), Date.UTC(2026, 7, 31, 22, 15)];
const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Pacific/Chatham"];

// ---------------------------------------------------------------------------------------------
// Schemas and their SQL layouts
// ---------------------------------------------------------------------------------------------

const Tranche = z.enum(["TPE", "PME", "ETI", "GE"]).meta({ ordered: true });

const Shop = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  employees: z.number().int().nullable(),
  revenue: z.number().nullable(),
  tranche: Tranche.nullable(),
  lastPurchase: z.date().nullable(),
  active: z.boolean().nullable(),
  tags: z.array(z.string()).nullable(),
  hq: z.object({ country: z.string().nullable(), founded: z.date().nullable(), size: Tranche.nullable() }).nullable(),
  purchases: z
    .array(
      z.object({
        amount: z.number().nullable(),
        date: z.date().nullable(),
        channel: z.enum(["web", "store", "phone"]).nullable(),
        items: z.array(z.object({ sku: z.string(), qty: z.number().int().nullable() })).nullable(),
      }),
    )
    .nullable(),
});

const SHOP_LAYOUT: SqlLayout = {
  table: "shops",
  children: {
    purchases: {
      table: "purchases",
      foreignKey: "shop_id",
      key: "id",
      children: { items: { table: "items", foreignKey: "purchase_id", key: "id" } },
    },
  },
};

const Stage = z.enum(["lead", "prospect", "client", "ambassador"]).meta({ ordered: true });

const Org = z.object({
  id: z.number().int(),
  label: z.string(),
  score: z.number().nullable(),
  stage: Stage,
  renewal: z.date().nullable().optional(),
  flags: z.array(z.string()).optional(),
  address: z
    .object({ city: z.string().nullable(), geo: z.object({ zone: z.enum(["nord", "sud", "est", "ouest"]).nullable() }) })
    .nullable(),
  contacts: z
    .array(
      z.object({
        name: z.string(),
        seniority: z.enum(["junior", "confirmé", "senior"]).meta({ ordered: true }).nullable(),
        optIn: z.boolean().nullable(),
        events: z
          .array(z.object({ kind: z.enum(["webinar", "démo", "visite"]), at: z.date().nullable(), value: z.number().nullable() }))
          .nullable(),
      }),
    )
    .nullable(),
});

const ORG_LAYOUT: SqlLayout = {
  table: "orgs",
  columns: { "address.geo.zone": "zone" },
  children: {
    contacts: {
      table: "org_contacts",
      foreignKey: "org_id",
      key: "id",
      children: { events: { table: "org_events", foreignKey: "contact_id", key: "id" } },
    },
  },
};

const SCHEMAS: readonly { name: string; schema: z4.$ZodType; layout: SqlLayout }[] = [
  { name: "Shop", schema: Shop, layout: SHOP_LAYOUT },
  { name: "Org", schema: Org, layout: ORG_LAYOUT },
];

// ---------------------------------------------------------------------------------------------
// (a) Random rules
// ---------------------------------------------------------------------------------------------

/** A record with one field replaced by anything at all: wrong types must stay unknown, never throw. */
function messy(base: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(base, fc.nat(), fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom(NaN, new Date(NaN), "2026-13-45", [null], {}, -0, Infinity)))
    .map(([r, k, v]) => {
      const keys = Object.keys(r);
      if (keys.length === 0) return r;
      return { ...r, [keys[k % keys.length]!]: v };
    });
}

describe(`check accepts ⇒ every backend accepts: random rules (seed ${SEED}, ${RUNS} runs per schema)`, () => {
  for (const { name, schema, layout } of SCHEMAS) {
    it(`over ${name}`, () => {
      const records = fc.array(
        fc.oneof(recordArbitrary(schema, { now: NOW, maxArrayLength: 3 }) as fc.Arbitrary<Record<string, unknown>>, messy(recordArbitrary(schema, { now: NOW, maxArrayLength: 2 }) as fc.Arbitrary<Record<string, unknown>>)),
        { minLength: 1, maxLength: 5 },
      );
      let accepted = 0;
      fc.assert(
        fc.property(ruleArbitrary(schema, { now: NOW }), records, fc.constantFrom(...NOWS), fc.constantFrom(...ZONES), (source, rs, now, timeZone) => {
          if (!check(source, schema).ok) return; // the law says nothing about refused rules
          accepted++;
          const ctx: EvalContext = { now, timeZone };
          const { violations } = runBackends(source, schema, ctx, rs, layout, { seed: SEED });
          expect(violations.join("\n"), `${source}\n  tz=${timeZone} now=${new Date(now).toISOString()}`).toBe("");
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // ruleArbitrary promises well-typed rules: the law must not be vacuous.
      expect(accepted).toBeGreaterThan(RUNS / 2);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// (b) Hand-written cases, with the agreement of every backend on data
// ---------------------------------------------------------------------------------------------

interface Case {
  readonly source: string;
  /** `check` must refuse it (an error-severity diagnostic). */
  readonly mustRefuse?: boolean;
  /** `toSQL` must express it (no refusal) for every dialect, and the engines must agree with `filter`. */
  readonly sql?: boolean;
}

/**
 * Cases that passed `check` with no diagnostic but broke a backend (issue 11): a parameter as the
 * subject of an operator. SQL now reads the checker's facts and expresses every one of them.
 */
const BROKEN_BEFORE: readonly Case[] = [
  { source: "$a between $b and 3", sql: true },
  { source: "$a < 6 months", sql: true },
  // `<` on text is refused for fields (`name < "b"`: type.operator): check must refuse it for a text parameter too.
  { source: '$a < "b"', mustRefuse: true },
  // Found by this file: the same family (a parameter as the subject of an operator).
  { source: "$a not between 1 and $b", sql: true },
  { source: "$a > 1 year", sql: true },
  { source: "$a between 3 months and 6 months", sql: true },
  { source: "$d within last 30 days", sql: true },
  { source: "$a in [1, 2, 3]", sql: true },
  { source: '$s in ["a", "b"]', sql: true },
  { source: '$s contains "x"', sql: true },
  { source: '$s ~= "B"', sql: true },
  { source: "tranche >= $t", sql: true },
  // The same family, beyond the list.
  { source: '$s contains name', sql: true },
  { source: '$ts has "a"', sql: true },
  { source: '$ts has any ["a", "x"]', sql: true },
  { source: "$d <= 2026-01-15", sql: true },
  { source: "6 months > $d", sql: true },
  { source: "$d between 2026-01-01 and $q", sql: true },
  { source: "not ($d within next 30 days)", sql: true },
  // Two list parameters typed by each other and a field (`$ts has any $us` alone: param.untyped).
  { source: "$ts has any $us and tags has any $us", sql: true },
  { source: "$ts has any $us", mustRefuse: true },
];

const CASES: readonly Case[] = [
  // parameters alone
  { source: "$a = 3" },
  { source: "$a" },
  { source: "not $a or active" },
  { source: "$a between 1 and 3" },
  { source: "$d < 6 months ago" },
  { source: "$d > 30 days from now" },
  { source: "$d before 2026-01-01" },
  { source: "$a is set" },
  { source: "$a = $b" },
  { source: "$x in $xs" },
  { source: "$a > $b" },
  // parameters with fields
  { source: "employees between $lo and $hi" },
  { source: "employees > $n and revenue <= $m" },
  { source: "$n < employees" },
  { source: "employees = $n or $n = 0" },
  { source: "name in $names" },
  { source: "employees not in $ns" },
  { source: "tags has $t" },
  { source: "tags has any $ts" },
  { source: "tags has all $ts" },
  { source: "lastPurchase < $d" },
  { source: "lastPurchase after $d" },
  { source: "lastPurchase between $p and $q" },
  { source: "lastPurchase not between $p and $q" },
  { source: "lastPurchase between $p and 6 months" },
  { source: "lastPurchase between 1 month and $q" },
  { source: "lastPurchase between $p and 2026-06-01" },
  { source: "hq.founded < $d" },
  // durations and instants
  { source: "lastPurchase < 6 months" },
  { source: "lastPurchase between 3 months and 1 year" },
  { source: "lastPurchase within next 60 days or lastPurchase > 2 years" },
  { source: "hq.founded before 10 years ago" },
  // duration parameters (issue 12, item 6): where only a duration fits, and where the value decides
  { source: "lastPurchase within last $w", sql: true },
  { source: "lastPurchase within next $w or lastPurchase > $w ago", sql: true },
  { source: "hq.founded < $w from now", sql: true },
  { source: "lastPurchase >= $p and lastPurchase not between $a and $b", sql: true },
  { source: "$p > lastPurchase", sql: true },
  { source: "any purchases where (date within last $w and date < $p)", sql: true },
  { source: "$d within last $w", sql: true },
  // ordered enums
  { source: "tranche >= $t" },
  { source: "$t <= tranche" },
  { source: "tranche in $ts" },
  { source: 'hq.size < $t and tranche > "TPE"' },
  { source: "tranche between $lo and $hi" },
  { source: "tranche > hq.size" },
  // aggregates and nested quantifiers
  { source: "$n > count(purchases)" },
  { source: "count(purchases where amount > $min) >= $n" },
  { source: "sum(purchases.amount where date < 12 months) > $m" },
  { source: "max(purchases.amount where channel = $c) between $lo and $hi" },
  { source: "any purchases where (any items where (sku = $s))" },
  { source: "any purchases where (any items where (qty > $q and sku != $s))" },
  { source: "all purchases where (amount >= $min and channel = $c)" },
  { source: "none purchases where (date within last 30 days and amount > $n)" },
  { source: "any purchases where (count(items where qty > $q) >= 2 and date > $d)" },
  { source: "any purchases where (all items where (qty >= $q) and employees > $n)" },
  // paths through several lists, flattened (issue 12, item 8)
  { source: "count(purchases.items) >= 2", sql: true },
  { source: "sum(purchases.items.qty where qty > $q) > 1", sql: true },
  { source: 'max(purchases.items.qty where channel = "web") between 1 and 5', sql: true },
  { source: "any purchases.items where (sku = $s or amount > $m)", sql: true },
  { source: "all purchases.items where (qty >= 1)", sql: true },
  { source: "none purchases.items where (qty > $q and employees > $n)", sql: true },
  { source: "count(purchases.items where qty > 1) < count(purchases)", sql: true },
];

const VARIANTS = 3;
const HAND_ZONES = ["UTC", "Europe/Paris"];
const DB_RECORDS = 40;

let shopRecords: Record<string, unknown>[];
const dbs: Partial<Record<SQLDialectName, Db>> = {};
/** How to open an engine for a dialect: add one beside each new dialect. */
const ENGINES: Record<SQLDialectName, () => Promise<Db>> = { postgres: openPostgres, duckdb: openDuckDB, clickhouse: () => openClickHouse() };

beforeAll(async () => {
  shopRecords = fc
    .sample(recordArbitrary(Shop, { dbSafe: true, now: NOW, maxArrayLength: 3 }), { seed: SEED, numRuns: DB_RECORDS })
    .map((r, i) => ({ ...r, id: i + 1 }));
  const plan = planLayout(readSchema(Shop).root, SHOP_LAYOUT);
  for (const dialect of DIALECTS) {
    const db = await ENGINES[dialect]();
    dbs[dialect] = db;
    for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
    for (const s of insertStatements(plan, rowsOf(plan, shopRecords, "UTC"), db.engine)) await db.exec(s.sql, s.params);
  }
});

afterAll(async () => {
  for (const db of Object.values(dbs)) await db?.close();
});

/** Every violation of the law, and every disagreement between backends, for one hand-written case. */
async function handCase(c: Case): Promise<string[]> {
  const out: string[] = [];
  const report = check(c.source, Shop);
  if (c.mustRefuse && report.ok) out.push("check accepts it, but it must refuse it (an error-severity diagnostic)");
  if (c.sql && !report.ok) out.push(`check refuses a case SQL must express: ${report.diagnostics.map((d) => d.code).join(", ")}`);
  if (!report.ok) {
    // Refused by check: every backend refuses too, with a CibleError pointing into the rule.
    try {
      compile(c.source, Shop);
      out.push("check refuses it but compile accepts it");
    } catch (e) {
      const why = refusalProblem(e, c.source);
      if (why) out.push(`compile: ${why}`);
    }
    for (const dialect of DIALECTS) {
      try {
        toSQL(c.source, { ...SHOP_LAYOUT, dialect, schema: Shop, now: NOW });
        out.push(`check refuses it but toSQL ${dialect} accepts it`);
      } catch (e) {
        const why = refusalProblem(e, c.source);
        if (why) out.push(`toSQL ${dialect}: ${why}`);
      }
    }
    return out;
  }
  for (let variant = 0; variant < VARIANTS; variant++) {
    for (const timeZone of HAND_ZONES) {
      const params = paramsFor(c.source, Shop, variant, NOW);
      const ctx: EvalContext = { now: NOW, timeZone, params };
      const where = `params ${JSON.stringify(params)} tz=${timeZone}`;
      const run = runBackends(c.source, Shop, ctx, shopRecords.slice(0, 12), SHOP_LAYOUT, {
        witness: variant === 0 && timeZone === "UTC",
        seed: SEED,
        sqlMustSucceed: c.sql === true,
      });
      out.push(...run.violations.map((v) => `${v} [${where}]`));
      if (!run.seg) return out;
      let expected: number[];
      try {
        expected = run.seg.filter(shopRecords, ctx).map((r) => r.id as number);
      } catch (e) {
        out.push(`filter threw ${describeThrown(e)} [${where}]`);
        return out;
      }
      for (const dialect of DIALECTS) {
        const cond = run.sql[dialect];
        if (!cond) continue;
        let got: number[] | string;
        try {
          got = await selectIds(dbs[dialect]!, SHOP_LAYOUT.table, cond.sql, cond.params);
        } catch (e) {
          got = `database error: ${(e as Error).message.split("\n")[0]}`;
        }
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          out.push(`${dialect} selects ${JSON.stringify(got)}, filter ${JSON.stringify(expected)} [${where}] sql: ${cond.sql}`);
        }
      }
      if (out.length) return out;
    }
  }
  return out;
}

describe("check accepts ⇒ every backend accepts: cases that broke a backend (issue 11), now expressed in SQL", () => {
  for (const c of BROKEN_BEFORE) {
    it(c.source, async () => {
      expect((await handCase(c)).join("\n")).toBe("");
    });
  }
});

describe("check accepts ⇒ every backend accepts, and agrees on data: hand-written cases", () => {
  for (const c of CASES) {
    it(c.source, async () => {
      expect((await handCase(c)).join("\n")).toBe("");
    });
  }

  it("the data discriminates: some records in, some out, for a plain rule", () => {
    const n = compile("employees > 10", Shop).filter(shopRecords as never[], { now: NOW }).length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(DB_RECORDS);
  });

  it("a refusal is a CibleError, never a plain Error (sanity of the helper)", () => {
    expect(() => compile("nope = 1", Shop)).toThrow(CibleError);
  });
});
