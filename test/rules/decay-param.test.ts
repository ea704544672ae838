/**
 * A decaying score's period as a duration parameter (issue 12, item 6): `every $halfLife` parses,
 * prints, is typed a duration, gives the literal's points in JS and the same in SQL (PGlite,
 * DuckDB); a period of zero is refused at run time as `every 0 days` is by the checker.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError } from "../../src/errors/index.js";
import { checkRules, compileRules } from "../../src/rules/index.js";
import { readSchema } from "../../src/schema/index.js";
import { checkRulesDocument } from "../../src/rules/check-rules.js";
import { scoreToSQL } from "../../src/sql.js";
import { parseRules } from "../../src/syntax/index.js";
import { loadedEngines } from "../sql/support/engines.js";

const Event = z.object({ type: z.enum(["webinar", "visit"]).nullable(), at: z.date().nullable() });
const Account = z.object({ id: z.number().int(), employees: z.number().nullable(), events: z.array(Event).nullable() });
type AccountRecord = z.output<typeof Account>;

const now = new Date("2026-11-22T10:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(now.getTime() - days * DAY);

const FILE = (every: string) =>
  [
    "score eng:",
    `  +10 per events where (type = "webinar") decaying 50% every ${every} by at`,
    "  +1 per employees max 3",
  ].join("\n");

/** The parameters the score `eng` uses, as the rules layer typed them. */
function paramTypes(source: string) {
  return checkRulesDocument(parseRules(source).doc!, readSchema(Account)).plan.ownParams.get("eng");
}

const accounts: AccountRecord[] = [
  { id: 1, employees: 2, events: [{ type: "webinar", at: ago(0) }, { type: "webinar", at: ago(30) }, { type: "visit", at: ago(1) }] },
  { id: 2, employees: null, events: [{ type: "webinar", at: ago(15) }, { type: "webinar", at: ago(400) }, { type: "webinar", at: null }] },
  { id: 3, employees: 10, events: [] },
  { id: 4, employees: 1, events: null },
  { id: 5, employees: 0, events: [{ type: "webinar", at: ago(-3) }, { type: "webinar", at: ago(60) }] },
];

describe("every $param: parse and check", () => {
  it("parses and is typed a duration", () => {
    expect(checkRules(FILE("$halfLife"), Account).diagnostics).toEqual([]);
    expect(paramTypes(FILE("$halfLife"))?.get("halfLife")).toEqual({ kind: "duration", list: false });
  });

  it("a use of another type in the same rule or another rule of the score is a conflict", () => {
    const inWhere = 'score eng:\n  +10 per events where (type = $halfLife) decaying 50% every $halfLife by at\n';
    expect(checkRules(inWhere, Account).diagnostics.map((d) => d.code)).toEqual(["param.conflict"]);
    const twoRules = "score eng:\n  +1 if employees > $p\n  +10 per events decaying 50% every $p by at\n";
    const d = checkRules(twoRules, Account).diagnostics;
    expect(d.map((x) => x.code)).toEqual(["param.conflict"]);
    expect(d[0]!.message).toBe("`$p` is used in two rules of `eng`: as a duration and as a number.");
  });

  it("a date-or-duration use narrows to the duration (at < $w ago-or-age)", () => {
    const src = "score eng:\n  +10 per events where (at < $w) decaying 50% every $w by at\n";
    expect(checkRules(src, Account).diagnostics).toEqual([]);
    expect(paramTypes(src)?.get("w")).toEqual({ kind: "duration", list: false });
  });
});

describe("every $param in JavaScript", () => {
  const literal = compileRules(FILE("30 days"), Account);
  const weeks = compileRules(FILE("2 weeks"), Account);
  const param = compileRules(FILE("$halfLife"), Account);

  it("equals the literal period, given as text or as { amount, unit }", () => {
    for (const a of accounts) {
      const want = literal.scores.eng!.score(a, { now });
      expect(param.scores.eng!.score(a, { now, params: { halfLife: "30 days" } })).toBe(want);
      expect(param.scores.eng!.score(a, { now, params: { halfLife: { amount: 30, unit: "day" } } })).toBe(want);
      expect(param.scores.eng!.score(a, { now, params: { halfLife: "2 weeks" } })).toBe(weeks.scores.eng!.score(a, { now }));
    }
    // Hand-computed: 10 (today) + 5 (30 days at 50% every 30 days) + 2 per employees.
    expect(param.scores.eng!.score(accounts[0]!, { now, params: { halfLife: "30 days" } })).toBeCloseTo(17, 12);
    expect(param.scores.eng!.explain(accounts[0]!, { now, params: { halfLife: "30 days" } }).contributions[0]!.text).toBe(
      '+10 per events where (type = "webinar") decaying 50% every $halfLife by at',
    );
  });

  it("a period of zero is refused (param.type), as `every 0 days` is by the checker", () => {
    expect(checkRules(FILE("0 days"), Account).diagnostics.map((d) => d.code)).toEqual(["rules.decay-period"]);
    const run = () => param.scores.eng!.score(accounts[2]!, { now, params: { halfLife: "0 days" } });
    expect(run).toThrow(CibleError);
    expect(run).toThrow("The parameter $halfLife is the period of a decaying score: it must be a duration longer than zero, got 0 days.");
    try {
      run();
    } catch (e) {
      expect((e as CibleError).diagnostics[0]!.code).toBe("param.type");
    }
    // Not a duration at all: the usual param.type.
    expect(() => param.scores.eng!.score(accounts[0]!, { now, params: { halfLife: 30 } })).toThrow("must be a duration");
    expect(() => param.evaluate(accounts[0]!, { now, params: { halfLife: { amount: 0, unit: "week" } } })).toThrow("longer than zero");
  });
});

describe("every $param in SQL, on both engines", () => {
  const layout = { table: "accounts", children: { events: { table: "events", foreignKey: "account_id" } } } as const;
  const dbs = loadedEngines(Account, layout, accounts, "UTC", "Pacific/Chatham");

  it("equals the rules engine and the literal period", async () => {
    const param = compileRules(FILE("$halfLife"), Account);
    for (const [given, written] of [["30 days", "30 days"], [{ amount: 2, unit: "week" }, "2 weeks"], ["1 year", "1 year"]] as const) {
      const params = { halfLife: given };
      const want = accounts.map((a) => param.scores.eng!.score(a, { now, params }));
      const literal = compileRules(FILE(written), Account);
      expect(accounts.map((a) => literal.scores.eng!.score(a, { now }))).toEqual(want);
      for (const db of dbs) {
        const s = scoreToSQL(param, "eng", { ...layout, dialect: db.engine, now, params });
        const got = (await db.rows(`SELECT ${s.sql} AS s FROM "accounts" ORDER BY "id"`, s.params)).map((r) => Number(r.s));
        got.forEach((v, i) => expect(v, `${db.label} ${written} id ${i + 1}: ${s.sql}`).toBeCloseTo(want[i]!, 9));
      }
    }
  });

  it("a period of zero is refused (param.type), as in JavaScript", () => {
    const param = compileRules(FILE("$halfLife"), Account);
    for (const dialect of ["postgres", "duckdb", "clickhouse"] as const) {
      expect(() => scoreToSQL(param, "eng", { ...layout, dialect, now, params: { halfLife: "0 days" } })).toThrow(
        "The parameter $halfLife is the period of a decaying score: it must be a duration longer than zero, got 0 days.",
      );
    }
  });
});
