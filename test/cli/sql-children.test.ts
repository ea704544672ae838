/**
 * `cible sql --child` for lists of objects inside lists of objects (accounts → contacts →
 * events): the SQL the CLI prints runs on PGlite and DuckDB and selects what `filter` selects.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { compile } from "../../src/index.js";
import { readSchema } from "../../src/schema/read.js";
import { type Db, openAll, selectIds } from "../sql/support/engines.js";
import { createTables, insertStatements, planLayout, rowsOf } from "../sql/support/layout.js";
import { cli, scratch } from "./helpers.js";

const SCHEMA = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    hq: { type: "object", properties: { country: { type: "string" } }, required: ["country"] },
    contacts: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "integer" },
          role: { type: "string" },
          events: {
            type: "array",
            items: { type: "object", properties: { kind: { type: "string" }, score: { type: "number" } }, required: ["kind", "score"] },
          },
        },
        required: ["id", "role", "events"],
      },
    },
  },
  required: ["id", "name", "hq", "contacts"],
};
const Account = z.fromJSONSchema(SCHEMA as never);
const RULE = 'any contacts where (role = "cto" and any events where (kind = "demo" and score > 3))';
const RULES = `segment actifs:\n  ${RULE}\n`;

const tmp = scratch();
const schemaFile = tmp.file("accounts.schema.json", JSON.stringify(SCHEMA));
const rulesFile = tmp.file("accounts.cible", RULES);
const CHILD = ["--child", "contacts.events=events:contact_id", "--child", "contacts=contacts:account_id"];

// Every combination that matters: no contacts, a CTO without the event, the event on another role, both.
const records = [
  { id: 1, name: "a", hq: { country: "FR" }, contacts: [] },
  { id: 2, name: "b", hq: { country: "FR" }, contacts: [{ id: 10, role: "cto", events: [{ kind: "demo", score: 2 }] }] },
  { id: 3, name: "c", hq: { country: "FR" }, contacts: [{ id: 11, role: "ceo", events: [{ kind: "demo", score: 5 }] }] },
  { id: 4, name: "d", hq: { country: "FR" }, contacts: [{ id: 12, role: "ceo", events: [] }, { id: 13, role: "cto", events: [{ kind: "call", score: 9 }, { kind: "demo", score: 4 }] }] },
  { id: 5, name: "e", hq: { country: "FR" }, contacts: [{ id: 14, role: "cto", events: [] }] },
];

const dbs: Db[] = [];
beforeAll(async () => {
  dbs.push(...(await openAll()));
});
afterAll(async () => {
  for (const db of dbs) await db.close();
});

describe("cible sql --child for nested lists of objects", () => {
  it("prints SQL that selects on both engines what filter selects", async () => {
    const want = compile(RULE, Account).filter(records).map((r) => (r as { id: number }).id);
    expect(want).toEqual([4]);
    const layout = planLayout(readSchema(Account).root, {
      table: "accounts",
      children: { contacts: { table: "contacts", foreignKey: "account_id", key: "id", children: { events: { table: "events", foreignKey: "contact_id", key: "id" } } } },
    });
    for (const db of dbs) {
      const r = await cli(["sql", rulesFile, "--segment", "actifs", "--dialect", db.engine, "--schema", schemaFile, "--table", "accounts", ...CHILD, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const { sql, params } = JSON.parse(r.stdout);
      for (const stmt of createTables(layout, db.engine)) await db.exec(stmt);
      for (const ins of insertStatements(layout, rowsOf(layout, records, "UTC"), db.engine)) await db.exec(ins.sql, ins.params);
      expect(await selectIds(db, "accounts", sql, params)).toEqual(want);
    }
  });

  it("a missing nested --child: exit 2, with a --child hint that works", async () => {
    const args = ["sql", rulesFile, "--segment", "actifs", "--schema", schemaFile, "--table", "accounts", "--child", "contacts=contacts:account_id"];
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("`events` is a list of objects, stored in a child table, and no --child says which one.");
    expect(r.stderr).toContain("--child contacts.events=TABLE:FOREIGN_KEY");
    const hinted = /e\.g\. (--child \S+)/.exec(r.stderr)![1]!;
    expect(hinted).toBe("--child contacts.events=events:contact_id");
    const fixed = await cli([...args, ...hinted.split(" ")]);
    expect(fixed.code).toBe(0);
    // The outer list missing too: the hint names it from the record.
    const outer = await cli(["sql", rulesFile, "--segment", "actifs", "--schema", schemaFile, "--table", "accounts"]);
    expect(outer.code).toBe(2);
    expect(outer.stderr).toContain("e.g. --child contacts=contacts:account_id");
  });

  it("--child paths the schema does not have, or a nested one without its parent: exit 2", async () => {
    const run = (...child: string[]) => cli(["sql", rulesFile, "--segment", "actifs", "--schema", schemaFile, "--table", "accounts", ...child.flatMap((c) => ["--child", c])]);
    const noParent = await run("contacts.events=events:contact_id");
    expect(noParent.code).toBe(2);
    expect(noParent.stderr).toContain("--child contacts.events is a list inside contacts, which has no --child");
    const unknown = await run("contacts=contacts:account_id", "contacts.evts=events:contact_id");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("the schema has no field contacts.evts");
    expect(unknown.stderr).toContain("contacts, contacts.events");
    const scalar = await run("name=names:account_id");
    expect(scalar.code).toBe(2);
    expect(scalar.stderr).toContain("name is not a list of objects");
    expect((await run("hq=hq:account_id")).stderr).toContain("hq is not a list of objects");
  });

  it("a rule error stays exit 1", async () => {
    const bad = tmp.file("bad.cible", "segment s:\n  any contacts where (rol = 1)\n");
    expect((await cli(["sql", bad, "--segment", "s", "--schema", schemaFile, "--table", "accounts", ...CHILD])).code).toBe(1);
  });
});
