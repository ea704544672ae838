/**
 * `count` over a list of scalars counts the elements of the list's type: a null element, or one
 * of another type (a number inside a list of text, a text outside an enum), is ignored, as
 * LANGUAGE.md §3 says of null elements and docs/language.md says of wrongly typed values (they are
 * unknown, like null). A loader stores such an element as NULL, so SQL counts this way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { readSchema } from "../../src/schema/index.js";
import { toSQL } from "../../src/sql.js";
import { compile } from "../../src/index.js";
import { type Db, openAll, selectIds } from "./support/engines.js";
import { createTables, insertStatements, planLayout, rowsOf } from "./support/layout.js";

const Item = z.object({
  id: z.number().int(),
  tags: z.array(z.string()).nullable(),
  scores: z.array(z.number()).nullable(),
  grades: z.array(z.enum(["A", "B"])).nullable(),
});

// Records as an application may hold them, not as the schema allows: wrongly typed elements.
const items = [
  { id: 1, tags: ["a", 42, null, "b"], scores: [1, "2", null, Number.NaN], grades: ["A", "Z", null] },
  { id: 2, tags: [42], scores: ["x"], grades: ["Z"] },
  { id: 3, tags: ["a"], scores: [3], grades: ["B"] },
  { id: 4, tags: [], scores: [], grades: [] },
] as unknown as z.output<typeof Item>[];

/** Each rule and the ids it selects: only the elements of the list's type count. */
const EXPECTED: Record<string, number[]> = {
  "count(tags) = 2": [1],
  "count(tags) = 0": [2, 4],
  "count(scores) = 1": [1, 3],
  "count(scores) = 0": [2, 4],
  "count(grades) = 1": [1, 3],
  "count(grades) = 0": [2, 4],
};

const dbs: Db[] = [];
beforeAll(async () => {
  dbs.push(...(await openAll()));
  const plan = planLayout(readSchema(Item).root, { table: "items" });
  for (const db of dbs) {
    for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
    for (const s of insertStatements(plan, rowsOf(plan, items, "UTC"), db.engine)) await db.exec(s.sql, s.params);
  }
});
afterAll(async () => {
  for (const db of dbs) await db.close();
});

describe("count over a list of scalars ignores null and wrongly typed elements", () => {
  it("in SQL (PostgreSQL, DuckDB): the loader stores them as NULL", async () => {
    for (const db of dbs) {
      for (const [rule, ids] of Object.entries(EXPECTED)) {
        const cond = toSQL(rule, { schema: Item, table: "items", dialect: db.engine });
        expect(await selectIds(db, "items", cond.sql, cond.params), `${db.label}: ${rule}\n${cond.sql}`).toEqual(ids);
      }
    }
  });

  it("in the evaluator, as SQL does and as its own `is empty` does", () => {
    for (const [rule, ids] of Object.entries(EXPECTED)) expect(compile(rule, Item).filter(items).map((i) => i.id), rule).toEqual(ids);
    for (const list of ["tags", "scores", "grades"]) {
      const ids = (rule: string) => compile(rule, Item).filter(items).map((i) => i.id);
      expect(ids(`count(${list}) = 0`), list).toEqual(ids(`${list} is empty`));
    }
  });
});
