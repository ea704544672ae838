/**
 * A sum or an average of +Infinity and -Infinity is NaN: unknown in the evaluator (docs/language.md),
 * and NULL in SQL, where both engines would order NaN above every number (issue 12, item 5). In
 * array columns, child tables and paths through several lists; and a score's total of +Infinity
 * and -Infinity, which is never unknown: 0, then clamped. PGlite and DuckDB against the evaluator.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile } from "../../src/index.js";
import { compileRules } from "../../src/rules/index.js";
import { scoreToSQL, toSQL } from "../../src/sql.js";
import { loadedEngines, selectIds } from "./support/engines.js";

const Row = z.object({
  id: z.number().int(),
  a: z.number().nullable(),
  b: z.number().nullable(),
  scores: z.array(z.number()).nullable(),
  purchases: z.array(z.object({ amount: z.number().nullable() })).nullable(),
  contacts: z.array(z.object({ events: z.array(z.object({ value: z.number().nullable() })).nullable() })).nullable(),
});
type RowRecord = z.output<typeof Row>;

const I = Infinity;
const lists: (number[] | null)[] = [[I, -I], [I, -I, 3], [I, 1], [-I, 1], [1, 2, 10], [], null];
const pairs: [number | null, number | null][] = [[I, -I], [I, I], [-I, -I], [I, 2], [null, -I], [3, 4], [-I, I]];
const rows: RowRecord[] = lists.map((l, i) => ({
  id: i + 1,
  a: pairs[i]![0],
  b: pairs[i]![1],
  scores: l,
  purchases: l && l.map((amount) => ({ amount })),
  // The same values spread over two contacts.
  contacts: l && [{ events: l.slice(0, 1).map((value) => ({ value })) }, { events: l.slice(1).map((value) => ({ value })) }],
}));

const LAYOUT = {
  table: "rows",
  children: {
    purchases: { table: "purchases", foreignKey: "row_id" },
    contacts: { table: "contacts", foreignKey: "row_id", children: { events: { table: "events", foreignKey: "contact_id" } } },
  },
} as const;

const CONDITIONS = [
  "sum(scores) > 5",
  "sum(scores) <= 5",
  "avg(scores) > 5",
  "not (avg(scores) <= 5)",
  "sum(purchases.amount) > 5",
  "sum(purchases.amount) < 5",
  "avg(purchases.amount) >= 5",
  "not (sum(purchases.amount) < 5)",
  "sum(contacts.events.value) > 5",
  "avg(contacts.events.value) < 5",
  "sum(scores) > 5 or sum(purchases.amount) < 0",
];

const FILE = [
  "score both:",
  "  +1 per a",
  "  +1 per b",
  "score clamped:",
  "  +2 per a",
  "  -1 per b",
  "  +10 if a > 0",
  "  clamp 10 to 50",
  "score capped:",
  "  +1 per a max 5",
  "  +1 per b max 5",
  "score summed:",
  "  +1 per sum(scores)",
  "  -1 per a",
  "score referenced:",
  "  +1 per @both max 100",
  "  +3 per a",
].join("\n");
const rules = compileRules(FILE, Row);

describe("±Infinity sums in the evaluator", () => {
  it("a sum or an average of +Infinity and -Infinity is unknown: neither side of a comparison holds", () => {
    const ids = (rule: string) => compile(rule, Row).filter(rows).map((r) => r.id);
    expect(ids("sum(scores) > 5")).toEqual([3, 5]);
    expect(ids("sum(scores) <= 5")).toEqual([4, 6]);
    expect(ids("not (avg(scores) <= 5)")).toEqual([3]);
  });

  it("a score's total of +Infinity and -Infinity is 0, then clamped; the score is never unknown", () => {
    const s = (name: string, r: RowRecord) => rules.scores[name]!.score(r, {});
    expect(s("both", rows[0]!)).toBe(0); // +∞ + −∞
    expect(s("both", rows[3]!)).toBe(Infinity);
    expect(s("clamped", rows[1]!)).toBe(10); // +∞ − ∞ + 10: 0, clamped to 10
    expect(s("clamped", rows[5]!)).toBe(12); // 6 − 4 + 10
    expect(s("capped", rows[0]!)).toBe(0); // 5 − 5
    expect(s("summed", rows[2]!)).toBe(Infinity); // sum [∞, 1] = ∞, minus −∞
    expect(s("summed", rows[0]!)).toBe(-Infinity); // the NaN sum adds nothing
    expect(s("referenced", rows[0]!)).toBe(Infinity); // @both is 0
    const ex = rules.scores.clamped!.explain(rows[1]!, {});
    expect(ex.total).toBe(10);
    expect(ex.contributions.map((c) => c.points)).toEqual([Infinity, -Infinity, 10, 10]);
  });
});

describe("±Infinity sums in SQL, on every engine (ClickHouse in session zone America/Adak)", () => {
  const dbs = loadedEngines(Row, LAYOUT, rows, "UTC", "America/Adak");

  it("conditions over sums and averages select what the evaluator selects", async () => {
    for (const rule of CONDITIONS) {
      const want = compile(rule, Row).filter(rows).map((r) => r.id);
      for (const db of dbs) {
        const c = toSQL(rule, { ...LAYOUT, schema: Row, dialect: db.engine });
        expect(await selectIds(db, "rows", c.sql, c.params), `${db.label}: ${rule}\n${c.sql}`).toEqual(want);
      }
    }
  });

  it("scores equal the rules engine's, a total of +Infinity and -Infinity included", async () => {
    for (const name of ["both", "clamped", "capped", "summed", "referenced"]) {
      const want = rows.map((r) => rules.scores[name]!.score(r, {}));
      for (const db of dbs) {
        const s = scoreToSQL(rules, name, { ...LAYOUT, dialect: db.engine });
        const got = (await db.rows(`SELECT ${s.sql} AS s FROM "rows" ORDER BY "id"`, s.params)).map((r) => Number(r.s));
        expect(got, `${db.label} ${name}: ${s.sql}`).toEqual(want);
      }
    }
  });
});
