/**
 * A decaying score over a path through several lists (issue 12, item 8): `+8 per contacts.events
 * where (…) decaying 50% every 30 days by at` weighs every event of every contact, flattened as
 * `count(contacts.events where …)` counts them; `where` reads the event, then the contact, then
 * the account. JS against hand-computed values; SQL (PGlite, DuckDB) against JS.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileRules } from "../../src/rules/index.js";
import { scoreToSQL } from "../../src/sql.js";
import { loadedEngines } from "../sql/support/engines.js";

const Event = z.object({ type: z.enum(["webinar", "visit"]).nullable(), at: z.date().nullable() });
const Contact = z.object({ role: z.enum(["CEO", "dev"]).nullable(), events: z.array(Event).nullable() });
const Account = z.object({ id: z.number().int(), tier: z.number().nullable(), contacts: z.array(Contact).nullable() });
type AccountRecord = z.output<typeof Account>;

const now = new Date("2026-11-22T10:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(now.getTime() - days * DAY);

const FILE = [
  "score eng:",
  '  +8 per contacts.events where (type = "webinar") decaying 50% every 30 days by at',
  "score ceo:",
  '  +4 per contacts.events where (type = "webinar" and role = "CEO" and tier > 1) decaying 50% every $h by at',
  "  clamp 0 to 5",
  "segment engaged:",
  "  @eng >= 10",
].join("\n");
const rules = compileRules(FILE, Account);
const params = { h: "30 days" };

const accounts: AccountRecord[] = [
  {
    id: 1,
    tier: 2,
    contacts: [
      { role: "CEO", events: [{ type: "webinar", at: ago(0) }, { type: "webinar", at: ago(30) }] },
      { role: "dev", events: [{ type: "webinar", at: ago(60) }, { type: "visit", at: ago(0) }] },
    ],
  },
  { id: 2, tier: 1, contacts: [{ role: "CEO", events: [{ type: "webinar", at: ago(30) }] }, { role: "CEO", events: null }] },
  { id: 3, tier: 3, contacts: [{ role: "CEO", events: [] }, { role: null, events: [{ type: "webinar", at: null }, { type: null, at: ago(1) }] }] },
  { id: 4, tier: null, contacts: null },
  { id: 5, tier: 5, contacts: [{ role: "CEO", events: [{ type: "webinar", at: ago(-10) }, { type: "webinar", at: ago(90) }] }] },
];

describe("decaying scores through several lists, in JavaScript", () => {
  it("weigh every event of every contact", () => {
    const eng = accounts.map((a) => rules.scores.eng!.score(a, { now }));
    // 8 × (1 + 0.5 + 0.25); 8 × 0.5; nothing; nothing; 8 × (1 + 0.125)
    expect(eng[0]).toBeCloseTo(14, 12);
    expect(eng[1]).toBeCloseTo(4, 12);
    expect(eng[2]).toBe(0);
    expect(eng[3]).toBe(0);
    expect(eng[4]).toBeCloseTo(9, 12);
  });

  it("`where` reads the event, then the contact, then the account", () => {
    const ceo = accounts.map((a) => rules.scores.ceo!.score(a, { now, params }));
    // 4 × (1 + 0.5) = 6, clamped to 5; tier 1 is not > 1; 4 × 1.125 = 4.5
    expect(ceo).toEqual([5, 0, 0, 0, 4.5]);
    expect(rules.segments.engaged!.filter(accounts, { now }).map((a) => a.id)).toEqual([1]);
    expect(rules.scores.eng!.explain(accounts[0]!, { now }).contributions[0]!.text).toBe(
      '+8 per contacts.events where (type = "webinar") decaying 50% every 30 days by at',
    );
  });

  it("a contact whose events throw when read has none; the others count", () => {
    const hostile = {
      id: 9,
      tier: 2,
      contacts: [
        {
          role: "CEO",
          get events(): never {
            throw new Error("boom");
          },
        },
        { role: "dev", events: [{ type: "webinar", at: ago(0) }] },
      ],
    } as unknown as AccountRecord;
    expect(rules.scores.eng!.score(hostile, { now })).toBe(8);
  });
});

describe("decaying scores through several lists, in SQL on both engines", () => {
  const layout = {
    table: "accounts",
    children: { contacts: { table: "contacts", foreignKey: "account_id", children: { events: { table: "events", foreignKey: "contact_id" } } } },
  } as const;
  const dbs = loadedEngines(Account, layout, accounts, "UTC", "Asia/Kathmandu");

  it("equals the rules engine", async () => {
    for (const name of ["eng", "ceo"]) {
      const want = accounts.map((a) => rules.scores[name]!.score(a, { now, params }));
      for (const db of dbs) {
        const s = scoreToSQL(rules, name, { ...layout, dialect: db.engine, now, params });
        expect(s.sql).toMatch(/JOIN "events"/);
        const got = (await db.rows(`SELECT ${s.sql} AS s FROM "accounts" ORDER BY "id"`, s.params)).map((r) => Number(r.s));
        got.forEach((v, i) => expect(v, `${db.label} ${name} id ${i + 1}: ${s.sql}`).toBeCloseTo(want[i]!, 9));
      }
    }
  });
});
