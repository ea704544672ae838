/**
 * Ordered enums whose values look like integers (INSEE headcount bands, "tranches d'effectif"):
 * zod 4 gives "11", "12", "21"… back first, so only `.meta({ ordered: [...] })` keeps their
 * order. The evaluator and both engines must select the same bands, in the declared order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { check, compile } from "../../src/index.js";
import { readSchema } from "../../src/schema/index.js";
import { toSQL } from "../../src/sql.js";
import { DATABASES, type Db, openAll, selectIds } from "./support/engines.js";
import { createTables, insertStatements, planLayout, rowsOf } from "./support/layout.js";

const INSEE = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"];
const Account = z.object({ id: z.number().int(), tranche: z.enum(INSEE).meta({ ordered: INSEE }) });
type AccountRecord = z.output<typeof Account>;

// 500 accounts, every band about as often, in a scrambled sequence.
const accounts: AccountRecord[] = Array.from({ length: 500 }, (_, i) => ({ id: i + 1, tranche: INSEE[(i * 7) % INSEE.length]! }));
const from = (band: string) => accounts.filter((a) => INSEE.indexOf(a.tranche) >= INSEE.indexOf(band)).map((a) => a.id);

const dbs: Db[] = [];

beforeAll(async () => {
  dbs.push(...(await openAll()));
  const plan = planLayout(readSchema(Account).root, { table: "accounts" });
  for (const db of dbs) {
    for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
    for (const s of insertStatements(plan, rowsOf(plan, accounts, "UTC"), db.engine)) await db.exec(s.sql, s.params);
  }
});

afterAll(async () => {
  for (const db of dbs) await db.close();
});

describe("INSEE bands with .meta({ ordered: [...] })", () => {
  it('tranche >= "21" selects exactly the bands from "21" up, in JavaScript', () => {
    const picked = compile('tranche >= "21"', Account).filter(accounts);
    expect(new Set(picked.map((a) => a.tranche))).toEqual(new Set(["21", "22", "31", "32", "41", "42", "51", "52", "53"]));
    expect(picked.map((a) => a.id)).toEqual(from("21"));
    expect(compile('tranche < "11"', Account).filter(accounts).every((a) => ["NN", "00", "01", "02", "03"].includes(a.tranche))).toBe(true);
  });

  it.each(DATABASES.map((d) => d.label))("SQL selects what the evaluator selects (%s)", async (label) => {
    const db = dbs.find((d) => d.label === label)!;
    const dialect = db.engine;
    for (const rule of ['tranche >= "21"', 'tranche < "11"', 'tranche > "03" and tranche <= "32"', "tranche >= $t"]) {
      const ctx = { params: { t: "01" } };
      const seg = compile(rule, Account);
      const cond = toSQL(seg, { table: "accounts", dialect, ...ctx });
      expect(await selectIds(db, "accounts", cond.sql, cond.params), `${rule}\n${cond.sql}`).toEqual(seg.filter(accounts, ctx).map((a) => a.id));
    }
    const cond = toSQL('tranche >= "21"', { schema: Account, table: "accounts", dialect });
    expect(await selectIds(db, "accounts", cond.sql, cond.params)).toEqual(from("21"));
  });

  it("without the list, check refuses the ordering; ordered: true alone warns too", () => {
    const lost = check('tranche >= "21"', z.object({ tranche: z.enum(INSEE) }));
    expect(lost.ok).toBe(false);
    expect(lost.diagnostics.map((d) => [d.code, d.span.start.offset, d.span.end.offset])).toEqual([["enum.order-lost", 0, 15]]);
    const declared = check('tranche >= "21"', z.object({ tranche: z.enum(INSEE).meta({ ordered: true }) }));
    expect(declared.ok).toBe(false);
    expect(declared.diagnostics.map((d) => [d.code, d.severity, d.span.start.offset, d.span.end.offset])).toEqual([
      ["enum.order-ignored", "warning", 0, 7],
      ["enum.order-lost", "error", 0, 15],
    ]);
  });
});
