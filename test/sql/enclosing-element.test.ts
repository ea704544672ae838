/**
 * A condition on a list of objects that reads the element of an enclosing `where` over another
 * list (`any visits where (any orders where (city = place))`: `place` is the visit's), on every
 * engine. PostgreSQL and DuckDB read it with correlated subqueries; ClickHouse has none it can
 * trust, and binds such elements with lambdas over their rows as arrays (docs/sql.md,
 * "ClickHouse"). The law: for every rule of that shape, every engine selects the ids the
 * evaluator selects — array columns inside elements (a missing one's flag), lists of a bound
 * element, paths through several lists, aggregates, all three quantifiers, unknown values.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile, compileRules } from "../../src/index.js";
import { rulesToSQL, scoreToSQL, toSQL } from "../../src/sql.js";
import { loadedEngines, selectIds } from "./support/engines.js";
import { Rng } from "./support/generate.js";

// Field names differ between scopes, so that each name says which element it reads.
const Stop = z.object({ spot: z.string().nullable(), cost: z.number().nullable() });
const Visit = z.object({ place: z.string().nullable(), spent: z.number().nullable(), when: z.date().nullable(), stops: z.array(Stop).nullable() });
const Order = z.object({
  city: z.string().nullable(),
  amount: z.number().nullable(),
  labels: z.array(z.string().nullable()).nullable(),
});
const Shop = z.object({
  id: z.number().int(),
  town: z.string().nullable(),
  budget: z.number().nullable(),
  orders: z.array(Order).nullable(),
  visits: z.array(Visit).nullable(),
});
type ShopRecord = z.output<typeof Shop>;

const LAYOUT = {
  table: "shops",
  children: {
    orders: { table: "orders", foreignKey: "shop_id" },
    visits: { table: "visits", foreignKey: "shop_id", children: { stops: { table: "stops", foreignKey: "visit_id" } } },
  },
} as const;

const NOW = new Date("2026-11-22T10:00:00Z");
const CITIES = ["Lyon", "Paris", "Nantes", null] as const;
const NUMBERS = [0, 5, 10, 50, null] as const;

/** Random shops: unknown values, missing and empty lists, missing and empty label arrays, equal texts across scopes. */
function shops(rng: Rng, n: number): ShopRecord[] {
  const list = <T>(f: () => T): T[] | null => (rng.chance(0.15) ? null : Array.from({ length: rng.int(0, 3) }, f));
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    town: rng.pick(CITIES),
    budget: rng.pick(NUMBERS),
    orders: list(() => ({
      city: rng.pick(CITIES),
      amount: rng.pick(NUMBERS),
      labels: rng.chance(0.2) ? null : rng.some(CITIES, 0, 2),
    })),
    visits: list(() => ({
      place: rng.pick(CITIES),
      spent: rng.pick(NUMBERS),
      when: rng.chance(0.2) ? null : new Date(NOW.getTime() - rng.int(0, 90) * 86_400_000),
      stops: list(() => ({ spot: rng.pick(CITIES), cost: rng.pick(NUMBERS) })),
    })),
  }));
}

interface Scope {
  readonly nums: readonly string[];
  readonly texts: readonly string[];
  /** Lists of objects read from this element, with the element they hold. */
  readonly lists: readonly (readonly [string, Scope])[];
  readonly labels?: true;
}
const STOP: Scope = { nums: ["cost"], texts: ["spot"], lists: [] };
const VISIT: Scope = { nums: ["spent"], texts: ["place"], lists: [["stops", STOP]] };
const ORDER: Scope = { nums: ["amount"], texts: ["city"], lists: [], labels: true };
const ROOT: Scope = { nums: ["budget"], texts: ["town"], lists: [["orders", ORDER], ["visits", VISIT], ["visits.stops", STOP]] };

/**
 * A random condition in `scopes` (innermost first): comparisons across scopes, label tests, and,
 * `depth` levels down, quantifiers and aggregates over any visible list, whose conditions read
 * the enclosing elements.
 */
function condition(r: Rng, scopes: readonly Scope[], depth: number, fuel = { left: 12 }): string {
  const nums = scopes.flatMap((s) => s.nums);
  const texts = scopes.flatMap((s) => s.texts);
  const lists = scopes.flatMap((s) => s.lists);
  // `and`, `or` and `not` spend fuel, so that the rule stays small.
  const x = fuel.left-- > 0 ? r.next() : 1;
  if (depth > 0 && x < 0.45) {
    const [path, element] = r.pick(lists);
    const inner = () => condition(r, [element, ...scopes], depth - 1, fuel);
    const c = r.int(0, 6);
    if (c <= 2) return `${r.pick(["any", "all", "none"])} ${path} where (${inner()})`;
    if (c === 3) return `count(${path} where ${inner()}) ${r.pick([">=", "=", "<"])} ${r.int(0, 2)}`;
    if (c === 4 && !path.includes(".")) return `${path} is ${r.pick(["", "not "])}empty`;
    const agg = `${r.pick(["sum", "avg", "min", "max"])}(${path}.${r.pick(element.nums)}${r.chance(0.7) ? ` where ${inner()}` : ""})`;
    return `${agg} ${r.pick([">", "<=", "=", "!="])} ${r.pick([0, 5, 10, 20])}`;
  }
  if (x < 0.6) return `(${condition(r, scopes, depth, fuel)} ${r.pick(["and", "or"])} ${condition(r, scopes, depth, fuel)})`;
  if (x < 0.65) return `not (${condition(r, scopes, depth, fuel)})`;
  const labels = scopes.some((s) => s.labels);
  const c = r.int(0, labels ? 5 : 2);
  if (c === 0) return `${r.pick(nums)} ${r.pick(["<", "<=", ">", ">=", "=", "!="])} ${r.pick([...nums, "5"])}`;
  if (c === 1) return `${r.pick(texts)} ${r.pick(["=", "!="])} ${r.pick(texts)}`;
  if (c === 2) return `${r.pick(texts)} = "${r.pick(["Lyon", "Paris"])}"`;
  if (c === 3) return `labels has ${r.pick(texts)}`;
  if (c === 4) return `labels is ${r.pick(["", "not "])}${r.pick(["empty", "set"])}`;
  return `count(labels) ${r.pick([">", "="])} ${r.int(0, 1)}`;
}

/** A test of a field of `inner` against a field of `outer` of the same kind. */
function across(r: Rng, inner: Scope, outer: Scope): string {
  if (r.chance(0.5)) return `${r.pick(inner.texts)} ${r.pick(["=", "!="])} ${r.pick(outer.texts)}`;
  return `${r.pick(inner.nums)} ${r.pick(["<", "<=", ">", ">=", "=", "!="])} ${r.pick(outer.nums)}`;
}

/**
 * A construct over a list whose `where` holds a construct over another list (or the element's
 * own) that reads the first list's element, beside random conditions.
 */
function nestedRule(r: Rng): string {
  const [outerPath, outer] = r.pick(ROOT.lists);
  const others = [...outer.lists, ...ROOT.lists.filter(([p]) => p !== outerPath && !p.startsWith(`${outerPath}.`) && !outerPath.startsWith(`${p}.`))];
  const [innerPath, inner] = r.pick(others);
  const where = `(${across(r, inner, outer)} ${r.pick(["and", "or"])} ${condition(r, [inner, outer, ROOT], 1)})`;
  const c = r.int(0, 4);
  const construct =
    c <= 1
      ? `${r.pick(["any", "all", "none"])} ${innerPath} where ${where}`
      : c === 2
        ? `count(${innerPath} where ${where}) ${r.pick([">=", "=", "<"])} ${r.int(0, 2)}`
        : `${r.pick(["sum", "avg", "min", "max"])}(${innerPath}.${r.pick(inner.nums)} where ${where}) ${r.pick([">", "<=", "=", "!="])} ${r.pick([0, 5, 10, 20])}`;
  const body = r.chance(0.5) ? construct : `(${construct} ${r.pick(["and", "or"])} ${condition(r, [outer, ROOT], 1)})`;
  return `${r.pick(["any", "all", "none"])} ${outerPath} where (${body})`;
}

const records = shops(new Rng(20261203), 60);
const dbs = loadedEngines(Shop, LAYOUT, records, "UTC", "Pacific/Kiritimati");

/** How many checked rules ClickHouse answered by binding elements with lambdas (the shape under test). */
let bound = 0;

async function check(rule: string): Promise<string[]> {
  const seg = compile(rule, Shop);
  const expected = seg.filter(records, { now: NOW }).map((r) => r.id);
  const failures: string[] = [];
  for (const db of dbs) {
    const { sql, params } = toSQL(seg, { ...LAYOUT, dialect: db.engine, now: NOW });
    if (db.engine === "clickhouse" && sql.includes('_row"')) bound++;
    let got: number[] | string;
    try {
      got = await selectIds(db, "shops", sql, params);
    } catch (e) {
      got = `error: ${(e as Error).message.slice(0, 400)}`;
    }
    if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${db.label}: ${rule}\n  got ${JSON.stringify(got)}\n  expected ${JSON.stringify(expected)}\n  ${sql}`);
  }
  return failures;
}

describe("a condition reading the element of an enclosing `where`, on every engine", () => {
  it("runs on the four databases, ClickHouse in a session zone far from UTC", async () => {
    expect(dbs.map((d) => d.label)).toEqual(["pglite", "postgres-server", "duckdb", "clickhouse"]);
    expect(await dbs[3]!.rows("SELECT timezone() AS tz")).toEqual([{ tz: "Pacific/Kiritimati" }]);
  });

  it.each([
    "any visits where (any orders where (city = place))",
    "all visits where (any orders where (city = place))",
    "none orders where (any visits where (spent > amount))",
    "any visits where (count(orders where city = place) >= 2)",
    "any visits where (sum(orders.amount where amount > spent) > 10)",
    "any orders where (avg(visits.spent where spent < amount) > 1)",
    "any orders where (min(visits.stops.cost where cost < amount) = 0)",
    // The lists of a bound element: its own rows looked up by its key.
    "any orders where (any visits where (place = city and any stops where (spot = city)))",
    "any orders where (any visits where (place = city and stops is not empty))",
    "any orders where (any visits where (spent >= amount and max(stops.cost) > 5))",
    // Through several lists; an array column of a bound element, its missing flag included.
    "any visits.stops where (any orders where (labels has spot))",
    "any visits where (any orders where (labels is not set and city = place))",
    "any visits where (all orders where (count(labels) > 0 or city = place))",
    "count(visits.stops where any orders where (city = spot)) > 1",
    // Three levels, each reading the one above.
    "any orders where (any visits where (place = city and any stops where (cost > spent and spot != city)))",
  ])("%s", async (rule) => {
    expect((await check(rule)).join("\n\n")).toBe("");
  });

  it("law: every engine selects the evaluator's ids, for random rules of that shape", async () => {
    const runs = Number(process.env.CIBLE_SQL_RULES ?? 120);
    let discriminating = 0;
    bound = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const rule = nestedRule(new Rng(seed));
        const n = compile(rule, Shop).filter(records, { now: NOW }).length;
        if (n > 0 && n < records.length) discriminating++;
        expect((await check(rule)).join("\n\n")).toBe("");
      }),
      { seed: 20261203, numRuns: runs },
    );
    // Rules that select some shops and not others, not only all-or-nothing ones; most of them
    // bind an enclosing element on ClickHouse.
    expect(discriminating).toBeGreaterThan(10);
    console.log(`${bound} rules bound elements with lambdas on ClickHouse, ${discriminating} discriminating`);
    expect(bound).toBeGreaterThan(runs / 2);
  }, 300_000);

  it("in rules files: a decaying score rule's `where` and a segment read an enclosing element", async () => {
    const file = [
      "score s:",
      "  +3 per visits where (any orders where (city = place)) decaying 50% every 30 days by when",
      "  +1 per count(visits where count(orders where amount >= spent) > 1)",
      "segment a:",
      "  any orders where (any visits where (spent > amount))",
    ].join("\n");
    const rules = compileRules(file, Shop);
    const evaluated = records.map((r) => rules.evaluate(r, { now: NOW }));
    for (const db of dbs) {
      const opts = { ...LAYOUT, dialect: db.engine, now: NOW, schema: Shop };
      const s = scoreToSQL(rules, "s", opts);
      const scores = (await db.rows(`SELECT "id", ${s.sql} AS s FROM "shops" ORDER BY "id"`, s.params)).map((row) => Number(row.s));
      scores.forEach((v, i) => expect(v, `${db.label} id ${i + 1}`).toBeCloseTo(evaluated[i]!.scores.s!, 9));
      const all = rulesToSQL(rules, { ...opts, key: "id" });
      const rows = await db.rows(`SELECT * FROM (${all.sql}) AS x ORDER BY "id"`, all.params);
      expect(rows.map((row) => row.a === true || row.a === 1), db.label).toEqual(evaluated.map((e) => e.segments.includes("a")));
    }
  });
});
