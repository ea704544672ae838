/**
 * Arrays of objects (child tables), quantifiers, aggregates and nested scopes.
 */
import { describe, expect, it } from "vitest";
import { seg } from "./helpers.js";

const now = new Date("2026-11-22T00:00:00Z");
const ctx = { now };
const d = (iso: string) => new Date(iso);
type Row = [record: Record<string, unknown>, expected: true | false | null];

function table(source: string, rows: Row[]) {
  it(source, () => {
    const s = seg(source);
    for (const [record, expected] of rows) {
      expect({ record, got: s.evaluate(record, ctx) }).toEqual({ record, got: expected });
      expect(s.explain(record, ctx).result).toBe(expected);
    }
  });
}

const p = (amount: unknown, date = d("2026-10-01")) => ({ amount, date });

describe("quantifiers are three-valued", () => {
  table("any purchases where (amount > 10)", [
    [{ purchases: [p(5), p(20)] }, true],
    [{ purchases: [p(5), p(null)] }, null], // false or unknown
    [{ purchases: [p(20), p(null)] }, true], // true or unknown
    [{ purchases: [p(5)] }, false],
    [{ purchases: [] }, false],
    [{}, false], // no rows
    [{ purchases: null }, false],
    [{ purchases: [null, 3, "x"] }, false], // nulls and non-objects are no rows
    [{ purchases: "oops" }, false],
  ]);
  table("all purchases where (amount > 10)", [
    [{ purchases: [p(15), p(20)] }, true],
    [{ purchases: [p(15), p(null)] }, null],
    [{ purchases: [p(5), p(null)] }, false],
    [{ purchases: [] }, true],
    [{}, true],
  ]);
  table("none purchases where (amount > 10)", [
    [{ purchases: [p(5)] }, true],
    [{ purchases: [p(5), p(null)] }, null],
    [{ purchases: [p(50), p(null)] }, false],
    [{ purchases: [] }, true],
    [{}, true],
  ]);
  table("not any purchases where (amount > 10)", [
    [{ purchases: [p(5), p(null)] }, null],
    [{ purchases: [p(50)] }, false],
    [{}, true],
  ]);
  table("any purchases where (date < 30 days)", [
    [{ purchases: [p(1, d("2026-11-01"))] }, true],
    [{ purchases: [p(1, d("2026-01-01"))] }, false],
    [{ purchases: [{ amount: 1, date: "2026-11-20" }] }, true],
  ]);
});

describe("scopes: names resolve against the element first, then outwards", () => {
  table("any purchases where (amount > employees)", [
    [{ employees: 10, purchases: [p(5), p(20)] }, true],
    [{ employees: 100, purchases: [p(5), p(20)] }, false],
    [{ purchases: [p(5)] }, null],
  ]);
  // accounts have their own `employees`: it shadows the record's.
  table("any accounts where (employees > 10)", [
    [{ employees: 1000, accounts: [{ name: "a", employees: 5 }] }, false],
    [{ employees: 1, accounts: [{ name: "a", employees: 50 }] }, true],
    [{ employees: 1000, accounts: [{ name: "a" }] }, null],
  ]);
  // Two levels: `name` is the contact's, `employees` the account's, `city` the record's.
  table('any accounts where (employees > 10 and any contacts where (role = "CEO" and name = city))', [
    [{ city: "Ann", accounts: [{ name: "x", employees: 50, contacts: [{ role: "CEO", name: "Ann" }] }] }, true],
    [{ city: "Bob", accounts: [{ name: "x", employees: 50, contacts: [{ role: "CEO", name: "Ann" }] }] }, false],
    [{ city: "Ann", accounts: [{ name: "x", employees: 5, contacts: [{ role: "CEO", name: "Ann" }] }] }, false],
    [{ city: null, accounts: [{ name: "x", employees: 50, contacts: [{ role: "CEO", name: "Ann" }] }] }, null],
    [{ city: "Ann", accounts: [{ name: "x", employees: 50, contacts: [{ role: "CTO", name: "Ann" }, { role: "CEO", name: "Ann" }] }, { name: "y" }] }, true],
    [{ city: "Ann", accounts: [{ name: "x", employees: 50 }] }, false],
  ]);
  table("any accounts where (count(contacts) >= 2)", [
    [{ accounts: [{ name: "a", contacts: [{ role: "a" }, { role: "b" }] }] }, true],
    [{ accounts: [{ name: "a", contacts: [{ role: "a" }] }, { name: "b" }] }, false],
  ]);
  table("count(accounts where count(contacts where role = name) >= 1) = 1", [
    // inside the inner where, `name` is the contact's name
    [{ accounts: [{ name: "CEO", contacts: [{ role: "CEO" }] }] }, false],
    [{ accounts: [{ name: "x", contacts: [{ role: "CEO", name: "CEO" }] }] }, true],
  ]);
});

describe("aggregates", () => {
  table("count(purchases) = 0", [
    [{}, true],
    [{ purchases: null }, true],
    [{ purchases: [] }, true],
    [{ purchases: [null] }, true],
    [{ purchases: [p(1)] }, false],
  ]);
  table("count(purchases where amount > 10) = 1", [
    [{ purchases: [p(5), p(20), p(null)] }, true], // counts elements where the condition is TRUE
    [{ purchases: [p(null)] }, false],
  ]);
  table("sum(purchases.amount) = 30", [
    [{ purchases: [p(10), p(20), p(null), p("5"), p(NaN)] }, true], // nulls and bad values skipped
    [{}, false], // sum of nothing is 0
  ]);
  table("sum(purchases.amount) = 0", [[{}, true], [{ purchases: [p(null)] }, true]]);
  table("avg(purchases.amount) = 15", [
    [{ purchases: [p(10), p(20), p(null)] }, true],
    [{ purchases: [] }, null], // avg of nothing is unknown
    [{ purchases: [p(null)] }, null],
  ]);
  table("min(purchases.amount) = 10", [[{ purchases: [p(20), p(10)] }, true], [{}, null]]);
  table("max(purchases.amount) = 20", [[{ purchases: [p(20), p(10)] }, true], [{ purchases: [] }, null]]);
  table("sum(purchases.amount where date < 12 months) >= 100", [
    [{ purchases: [p(60), p(60), p(500, d("2020-01-01"))] }, true],
    [{ purchases: [p(60), p(500, d("2020-01-01"))] }, false],
  ]);
  table("count(purchases where amount > budget) >= 1", [
    [{ budget: 10, purchases: [p(20)] }, true],
    [{ budget: 100, purchases: [p(20)] }, false],
    [{ purchases: [p(20)] }, false], // unknown conditions are not counted
  ]);
  // arrays of scalars: a column, missing is unknown
  table("count(tech) = 2", [[{ tech: ["a", null, "b"] }, true], [{ tech: [] }, false], [{ tech: null }, null], [{}, null]]);
  table("sum(scores) = 3", [[{ scores: [1, null, 2] }, true], [{ scores: [] }, false], [{}, null]]);
  table("avg(scores) = 2", [[{ scores: [1, null, 3] }, true], [{ scores: [null] }, null], [{}, null]]);
  table("max(scores) > 2", [[{ scores: [1, 3] }, true], [{ scores: [] }, null]]);
  table("count(purchases) > count(tech)", [[{ purchases: [p(1), p(2)], tech: ["a"] }, true], [{ purchases: [p(1)] }, null]]);
});

describe("paths through several lists are flattened (issue 12, item 8)", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  const rec = {
    employees: 10,
    accounts: [
      { name: "A", employees: 5, contacts: [{ role: "CEO", name: "x" }, { role: "CTO" }, null] },
      null,
      { name: "B", contacts: null },
      { name: "C", employees: 50, contacts: [{ role: "CEO" }] },
    ],
  };
  const v = (source: string, r: Record<string, unknown> = rec): unknown => seg(source).evaluate(r, { now });

  it("count, sum and friends run over every element of every element", () => {
    expect(v("count(accounts.contacts) = 3")).toBe(true); // null elements skipped
    expect(v('count(accounts.contacts where role = "CEO") = 2')).toBe(true);
    expect(v("count(accounts.contacts) = 0", {})).toBe(true);
    expect(v("count(accounts.contacts) = 0", { accounts: [{ name: "A" }] })).toBe(true);
  });

  it("inside `where`, names resolve against the last element, then the enclosing one, then the record", () => {
    // `employees`: the account's (contacts have none), then the record's.
    expect(v("count(accounts.contacts where employees > 10) = 1")).toBe(true);
    expect(v('count(accounts.contacts where name = "x") = 1')).toBe(true);
  });

  it("quantifiers: the same truth as nested quantifiers", () => {
    for (const q of ["any", "all", "none"] as const) {
      for (const cond of ['role = "CEO"', 'role = "CEO" or name = "x"', "employees > 10", 'role != "RH"']) {
        const flat = `${q} accounts.contacts where (${cond})`;
        const nested = q === "none" ? `not (any accounts where (any contacts where (${cond})))` : `${q} accounts where (${q} contacts where (${cond}))`;
        for (const r of [rec, {}, { accounts: [{ name: "A", contacts: [] }] }, { accounts: [{ name: "A", contacts: [{ role: "CEO" }, { role: null }] }] }]) {
          expect(v(flat, r), `${flat} on ${JSON.stringify(r)}`).toBe(v(nested, r));
        }
      }
    }
    const e = seg('any accounts.contacts where (role = "CTO")').explain(rec, { now });
    expect(e.result).toBe(true);
    expect(e.children.length).toBe(3);
  });
});
