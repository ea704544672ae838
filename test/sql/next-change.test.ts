/**
 * `nextChangeToSQL` on the real engines (PGlite, the PostgreSQL server, DuckDB) against
 * `seg.nextChange`: the same instant for rules with one time-dependent comparison (dates of the
 * record, `ago` / `from now`, `within`, `between` two ages, duration parameters); for random
 * combinations (and / or / not, counts, sums and quantifiers over child tables), never later than
 * JavaScript's, and the rule's result constant on `[now, next_change)`. Several zones, `now`
 * values at daylight-saving changes and month ends. Calendar durations and ClickHouse are refused.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError, compile } from "../../src/index.js";
import { nextChangeToSQL } from "../../src/sql.js";
import { type Db, loadedEngines } from "./support/engines.js";

const Row = z.object({
  id: z.number().int(),
  lastPurchase: z.date().nullable(),
  renewalDate: z.date().nullable(),
  events: z.array(z.object({ type: z.string(), at: z.date() })).nullable(),
  purchases: z.array(z.object({ amount: z.number().nullable(), date: z.date() })).nullable(),
});
type RowRecord = z.output<typeof Row>;

const H = 3_600_000;
const D = 86_400_000;
const ms = (iso: string) => Date.parse(iso);
const NOWS = ["2026-03-29T00:30:00Z", "2026-10-25T00:59:59.999Z", "2026-01-31T23:30:00Z", "2028-02-29T06:00:00Z", "2026-11-22T10:30:00Z"].map(ms);
const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"];
/** Ascending. */
const DURATIONS = ["0 days", "1 hour", "90 minutes", "3 days", "2 weeks", "30 days"];
const OFFSETS = [0, H, 30 * D, 14 * D, 3 * D, 90 * 60_000, 45 * D];
const PARAMS = { age: "30 days", lead: "2 weeks" };

// Dates near every now ± every offset, to the millisecond, so that cutoffs cross them soon.
const rng = fc.tuple(fc.constantFrom(...NOWS), fc.constantFrom(...OFFSETS), fc.constantFrom(-1, 1), fc.integer({ min: -2 * H, max: 2 * H }));
const dateArb = rng.map(([n, o, s, e]) => new Date(n + s * o + e));
const recordArb = fc.record({
  lastPurchase: fc.option(dateArb, { nil: null, freq: 6 }),
  renewalDate: fc.option(dateArb, { nil: null, freq: 6 }),
  events: fc.option(fc.array(fc.record({ type: fc.constantFrom("open", "click"), at: dateArb }), { maxLength: 4 }), { nil: null, freq: 6 }),
  purchases: fc.option(fc.array(fc.record({ amount: fc.option(fc.integer({ min: 0, max: 80 }), { nil: null }), date: dateArb }), { maxLength: 4 }), { nil: null, freq: 6 }),
});
const records: RowRecord[] = fc.sample(fc.array(recordArb, { minLength: 40, maxLength: 40 }), { seed: 17, numRuns: 1 })[0]!.map((r, i) => ({ id: i + 1, ...r }));

const LAYOUT = {
  table: "rows",
  children: {
    events: { table: "events", foreignKey: "row_id" },
    purchases: { table: "purchases", foreignKey: "row_id" },
  },
} as const;
const dbs = loadedEngines(Row, LAYOUT, records);

const dur = fc.constantFrom(...DURATIONS);
const op = fc.constantFrom("<", "<=", ">", ">=");
/** Two ages, the younger first (a window that is not empty). */
const window = fc.tuple(fc.nat(DURATIONS.length - 1), fc.nat(DURATIONS.length - 1)).map(([a, b]) => `${DURATIONS[Math.min(a, b)]} and ${DURATIONS[Math.max(a, b)]}`);
/**
 * One time-dependent test of a date: each crossing of a cutoff switches it, so SQL is exact
 * (`between` with its bounds reversed, an empty window, never switches: `reversed` allows it).
 */
const onDate = (f: string, reversed = true) =>
  fc.oneof(
    fc.tuple(op, dur).map(([o, d]) => `${f} ${o} ${d}`),
    fc.tuple(op, dur, fc.constantFrom("ago", "from now")).map(([o, d, w]) => `${f} ${o} ${d} ${w}`),
    fc.tuple(fc.constantFrom("last", "next"), dur).map(([w, d]) => `${f} within ${w} ${d}`),
    reversed ? fc.tuple(dur, dur).map(([a, b]) => `${f} between ${a} and ${b}`) : window.map((w) => `${f} between ${w}`),
    fc.constantFrom(`${f} < $age`, `${f} within last $age`, `${f} > $lead from now`, `${f} >= 2026-03-29`),
  );
const single = fc.tuple(fc.constantFrom("lastPurchase", "renewalDate"), fc.boolean()).chain(([f, neg]) => onDate(f, false).map((r) => (neg ? `not (${r})` : r)));
const atom = fc.oneof(
  fc.constantFrom("lastPurchase", "renewalDate").chain(onDate),
  fc.tuple(onDate("at"), fc.integer({ min: 0, max: 3 })).map(([w, k]) => `count(events where ${w}) >= ${k}`),
  fc.tuple(fc.constantFrom("any", "all", "none"), onDate("at")).map(([q, w]) => `${q} events where (${w})`),
  onDate("date").map((w) => `sum(purchases.amount where ${w}) > 60`),
  fc.constantFrom('any events where (type = "open")', "lastPurchase > renewalDate"),
);
const { rule } = fc.letrec<{ rule: string }>((tie) => ({
  rule: fc.oneof(
    { depthSize: "small" },
    atom,
    fc.tuple(tie("rule"), tie("rule")).map(([a, b]) => `(${a} and ${b})`),
    fc.tuple(tie("rule"), tie("rule")).map(([a, b]) => `(${a} or ${b})`),
    tie("rule").map((a) => `not (${a})`),
  ),
}));

/** Per id: next_change as epoch ms (NaN for NULL), read back through the engine's own epoch. */
async function sqlNextChange(db: Db, source: string, now: number, timeZone: string): Promise<Map<number, number>> {
  const { sql, params } = nextChangeToSQL(compile(source, Row), { dialect: db.engine as "postgres" | "duckdb", ...LAYOUT, now, timeZone, params: PARAMS });
  const epoch = db.engine === "duckdb" ? "epoch_ms(n.next_change)" : "(extract(epoch from n.next_change) * 1000)::float8";
  const rows = await db.rows(`SELECT n.id AS id, ${epoch} AS t FROM (${sql}) AS n`, params);
  return new Map(rows.map((r) => [Number(r.id), r.t === null ? NaN : Number(r.t)]));
}

const jsNextChange = (source: string, r: RowRecord, now: number, timeZone: string): number => {
  const t = compile(source, Row).nextChange(r, { now, timeZone, params: PARAMS });
  return t === null ? NaN : t.getTime();
};

describe("nextChangeToSQL", () => {
  it("hand cases: the instant of seg.nextChange, NULL when time cannot change the row", async () => {
    const now = ms("2026-11-22T10:30:00Z");
    const cases = ["lastPurchase < 30 days", "lastPurchase <= 30 days", "renewalDate within next 2 weeks", "count(events where at within last 3 days) >= 1", "lastPurchase >= 2026-03-29"];
    for (const db of dbs) {
      for (const source of cases) {
        const got = await sqlNextChange(db, source, now, "Europe/Paris");
        for (const r of records) expect([db.label, source, r.id, got.get(r.id)]).toEqual([db.label, source, r.id, jsNextChange(source, r, now, "Europe/Paris")]);
      }
    }
    // A fixed date never moves: no instant at all.
    expect([...(await sqlNextChange(dbs[0]!, "lastPurchase >= 2026-03-29", now, "UTC")).values()].every((t) => t !== t)).toBe(true);
  });

  it("one time-dependent test of a date: the same instant as seg.nextChange, on every engine", async () => {
    const cases = fc.sample(fc.tuple(single, fc.constantFrom(...NOWS), fc.constantFrom(...ZONES)), { seed: 20261203, numRuns: 30 });
    let instants = 0;
    for (const [source, now, zone] of cases) {
      const want = records.map((r) => jsNextChange(source, r, now, zone));
      instants += want.filter((t) => t === t).length;
      for (const db of dbs) {
        const got = await sqlNextChange(db, source, now, zone);
        expect([db.label, source, new Date(now).toISOString(), zone, records.map((r) => got.get(r.id))]).toEqual([db.label, source, new Date(now).toISOString(), zone, want]);
      }
    }
    expect(instants).toBeGreaterThan(100); // not only NULLs
  });

  it("any combination: never later than seg.nextChange, and the result constant on [now, next_change)", async () => {
    const cases = fc.sample(fc.tuple(rule, fc.constantFrom(...NOWS), fc.constantFrom(...ZONES)), { seed: 1703, numRuns: 40 });
    let earlier = 0;
    let equal = 0;
    for (const [source, now, zone] of cases) {
      const seg = compile(source, Row);
      const ctx = { timeZone: zone, params: PARAMS };
      const results = await Promise.all(dbs.map((db) => sqlNextChange(db, source, now, zone)));
      for (const r of records) {
        const js = jsNextChange(source, r, now, zone);
        const sqls = results.map((m) => m.get(r.id)!);
        // Every engine gives the same instant.
        for (const t of sqls) expect(Object.is(t, sqls[0]) || t === sqls[0]).toBe(true);
        const t = sqls[0]!;
        if (t !== t) {
          expect([source, r.id, js]).toEqual([source, r.id, NaN]); // NULL only where JavaScript says null
          continue;
        }
        expect(t).toBeGreaterThan(now);
        if (js === js) expect(t).toBeLessThanOrEqual(js);
        if (t === js) equal++;
        else earlier++;
        const v0 = seg.evaluate(r, { ...ctx, now });
        for (const at of [t - 1, now + Math.floor((t - now) / 2), now + Math.floor((t - now) / 7)]) {
          expect([source, r.id, at, seg.evaluate(r, { ...ctx, now: at })]).toEqual([source, r.id, at, v0]);
        }
      }
    }
    // The suite reaches both outcomes (a combination where SQL is earlier, and exact ones).
    expect(equal).toBeGreaterThan(0);
    expect(earlier).toBeGreaterThan(0);
  });

  it("createdAt < 30 days or createdAt > 20 days: JavaScript never changes, SQL answers the first crossing", async () => {
    const source = "lastPurchase < 30 days or lastPurchase > 20 days";
    const now = ms("2026-11-22T10:30:00Z");
    const r = records.find((x) => x.lastPurchase !== null && x.lastPurchase.getTime() > now - 20 * D && x.lastPurchase.getTime() < now)!;
    expect(jsNextChange(source, r, now, "UTC")).toBeNaN();
    const got = await sqlNextChange(dbs[0]!, source, now, "UTC");
    expect(got.get(r.id)).toBe(r.lastPurchase!.getTime() + 20 * D + 1);
  });

  it("refuses calendar durations and ClickHouse, with a position and a hint", () => {
    const refused = (source: string, dialect: "postgres" | "clickhouse" = "postgres") => {
      try {
        nextChangeToSQL(compile(source, Row), { dialect, ...LAYOUT, now: NOWS[0]! });
      } catch (e) {
        expect(e).toBeInstanceOf(CibleError);
        const d = (e as CibleError).diagnostics[0]!;
        expect(d.code).toBe("sql.unsupported");
        return d;
      }
      throw new Error(`accepted: ${source}`);
    };
    const m = refused("renewalDate is set and lastPurchase < 6 months");
    expect(m.span.start.offset).toBe(23);
    expect(m.hint).toMatch(/days/);
    expect(refused("lastPurchase within last 1 year").message).toMatch(/calendar/);
    expect(refused("lastPurchase < 3 days", "clickhouse").hint).toMatch(/PostgreSQL or DuckDB/);
  });
});
