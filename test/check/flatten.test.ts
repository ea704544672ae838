/**
 * Paths through several lists (issue 12, item 8): aggregates, quantifiers and decaying scores
 * flatten them; the hints for such paths name forms that make sense.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { check } from "../../src/index.js";
import { checkRules } from "../../src/rules/index.js";
import { toSQL } from "../../src/sql.js";

const Account = z.object({
  employees: z.number().nullable(),
  contacts: z
    .array(
      z.object({
        role: z.string(),
        n: z.number().nullable(),
        events: z.array(z.object({ kind: z.string(), at: z.date(), value: z.number().nullable() })).nullable(),
      }),
    )
    .nullable(),
});

const errors = (source: string) => check(source, Account).diagnostics.filter((d) => d.severity === "error");

describe("paths through several lists", () => {
  it("aggregates and quantifiers over them are accepted; `where` reads the event, then the contact, then the record", () => {
    for (const source of [
      "count(contacts.events) >= 3",
      'count(contacts.events where kind = "webinar" and role = "CEO" and employees > 10) >= 1',
      "sum(contacts.events.value where at < 30 days) > 100",
      "avg(contacts.events.value) > 1 and min(contacts.events.value) >= 0 and max(contacts.events.value) < 9",
      'any contacts.events where (kind = "démo" and role = "CEO")',
      "all contacts.events where (at < 1 year)",
      'none contacts.events where (kind = "visite")',
    ]) {
      expect(errors(source), source).toEqual([]);
    }
  });

  it("what still makes no sense is refused", () => {
    expect(errors("count(contacts.events.kind) > 1").map((d) => d.code)).toEqual(["type.aggregate"]);
    expect(errors("sum(contacts.events.kind) > 1").map((d) => d.code)).toEqual(["type.aggregate"]);
    expect(errors('any contacts.events.kind where (kind = "x")').map((d) => d.code)).toEqual(["field.through-array"]);
  });

  it("a field read through a list hints at a form that fits what it names", () => {
    const hint = (source: string) => errors(source)[0]?.hint;
    expect(hint("contacts.events is set")).toBe("count them all with `count(contacts.events)`, or test them with `any contacts.events where (…)`");
    expect(hint('contacts.events.kind = "x"')).toBe("write `any contacts.events where (kind = …)`");
    expect(hint('contacts.role = "x"')).toBe("write `any contacts where (role = …)`");
    expect(hint("contacts.events.value > 1")).toBe("write `any contacts.events where (value > …)` or `sum(contacts.events.value)`");
  });

  it("a decaying score over a path through several lists is accepted: `where` and `by` read the event, then the contact", () => {
    const ok = (src: string) => checkRules(src, Account).diagnostics.filter((x) => x.severity === "error");
    expect(ok('score eng:\n  +5 per contacts.events where (kind = "webinar" and role = "CEO") decaying 50% every 30 days by at\n')).toEqual([]);
    // What still makes no sense is refused, with the checker's words.
    expect(ok("score eng:\n  +5 per contacts.events.kind decaying 50% every 30 days by at\n").map((x) => x.code)).toEqual(["field.through-array"]);
    expect(ok("score eng:\n  +5 per contacts.events decaying 50% every 30 days by kind\n").map((x) => x.code)).toEqual(["rules.decay-date"]);
    expect(ok("score eng:\n  +5 per contacts.events decaying 50% every 30 days by nope\n").map((x) => x.code)).toEqual(["field.unknown"]);
  });

  it("SQL joins the child tables, each to its parent's row", () => {
    const { sql } = toSQL('count(contacts.events where kind = "webinar" and role = "CEO") >= 2', {
      schema: Account,
      dialect: "postgres",
      table: "accounts",
      now: "2026-11-22T00:00:00Z",
      children: { contacts: { table: "contacts", foreignKey: "account_id", children: { events: { table: "events", foreignKey: "contact_id" } } } },
    });
    expect(sql).toMatch(/FROM "contacts" AS ("?\w+"?) JOIN "events" AS ("?\w+"?) ON \2\."contact_id" = \1\."id" WHERE \1\."account_id" = "accounts"\."id"/);
  });
});
