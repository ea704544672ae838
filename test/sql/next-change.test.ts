/**
 * `nextChangeToSQL` on the real engines (PGlite, the PostgreSQL server, DuckDB) against
 * `seg.nextChange`: the same instant for rules with one time-dependent comparison (dates of the
 * record, `ago` / `from now`, `within`, `between` two ages, duration parameters; calendar months
 * and years in UTC, month ends included); for random
 * combinations (and / or / not, counts, sums and quantifiers over child tables), never later than
 * JavaScript's, and the rule's result constant on `[now, next_change)`. Several zones, `now`
 * values at daylight-saving changes and month ends. Calendar durations outside UTC and ClickHouse
 * are refused.
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
const NOWS = ["2026-03-29T00:30:00Z", "2026-10-25T00:59:59.999Z", "2026-01-31T23:30:00Z", "2028-02-29T06:00:00Z", "2026-11-22T10:30:00Z", "2026-03-31T12:00:00Z", "2026-04-30T23:00:00Z"].map(ms);
const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"];
/** Exact durations, ascending; calendar ones (UTC only). */
const EXACT = ["0 days", "1 hour", "90 minutes", "3 days", "2 weeks", "30 days"];
const CALENDAR = ["1 month", "6 months", "1 year"];
const OFFSETS = [0, H, 30 * D, 14 * D, 3 * D, 90 * 60_000, 45 * D, 28 * D, 29 * D, 31 * D, 182 * D, 183 * D, 365 * D, 366 * D];
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
// Random rows, then month ends by hand: the last day of a month at 10:00 (and 10:00:00.5), whose
// calendar cutoffs step back at each midnight of the longer month's extra days.
const MONTH_ENDS = ["2026-02-28T10:00:00Z", "2026-01-31T10:00:00.500Z", "2026-04-30T23:59:59.999Z"].map((x) => new Date(x));
const records: RowRecord[] = [
  ...fc.sample(fc.array(recordArb, { minLength: 40, maxLength: 40 }), { seed: 17, numRuns: 1 })[0]!,
  ...MONTH_ENDS.map((d) => ({ lastPurchase: d, renewalDate: d, events: [{ type: "open", at: d }], purchases: null })),
].map((r, i) => ({ id: i + 1, ...r }));

const LAYOUT = {
  table: "rows",
  children: {
    events: { table: "events", foreignKey: "row_id" },
    purchases: { table: "purchases", foreignKey: "row_id" },
  },
} as const;
const dbs = loadedEngines(Row, LAYOUT, records);

const op = fc.constantFrom("<", "<=", ">", ">=");
/** The durations of a zone: calendar ones in UTC only (refused elsewhere). */
const durationsOf = (zone: string) => (zone === "UTC" ? [...EXACT, ...CALENDAR] : EXACT);
/** Two ages, the younger first (a window that is not empty; 30 days and 1 month are not ordered). */
const windowOf = (ds: readonly string[]) => {
  const sorted = ds.filter((d) => !(d === "30 days" && ds.includes("1 month")));
  return fc.tuple(fc.nat(sorted.length - 1), fc.nat(sorted.length - 1)).map(([a, b]) => `${sorted[Math.min(a, b)]} and ${sorted[Math.max(a, b)]}`);
};
/**
 * One time-dependent test of a date: each crossing of a cutoff switches it, so SQL is exact
 * (`between` with its bounds reversed, an empty window, never switches: `reversed` allows it).
 */
const onDate = (f: string, ds: readonly string[], reversed = true) => {
  const dur = fc.constantFrom(...ds);
  return fc.oneof(
    fc.tuple(op, dur).map(([o, d]) => `${f} ${o} ${d}`),
    fc.tuple(op, dur, fc.constantFrom("ago", "from now")).map(([o, d, w]) => `${f} ${o} ${d} ${w}`),
    fc.tuple(fc.constantFrom("last", "next"), dur).map(([w, d]) => `${f} within ${w} ${d}`),
    reversed ? fc.tuple(dur, dur).map(([a, b]) => `${f} between ${a} and ${b}`) : windowOf(ds).map((w) => `${f} between ${w}`),
    fc.constantFrom(`${f} < $age`, `${f} within last $age`, `${f} > $lead from now`, `${f} >= 2026-03-29`),
  );
};
const single = (ds: readonly string[]) =>
  fc.tuple(fc.constantFrom("lastPurchase", "renewalDate"), fc.boolean()).chain(([f, neg]) => onDate(f, ds, false).map((r) => (neg ? `not (${r})` : r)));
const ruleOf = (ds: readonly string[]) => {
  const atom = fc.oneof(
    fc.constantFrom("lastPurchase", "renewalDate").chain((f) => onDate(f, ds)),
    fc.tuple(onDate("at", ds), fc.integer({ min: 0, max: 3 })).map(([w, k]) => `count(events where ${w}) >= ${k}`),
    fc.tuple(fc.constantFrom("any", "all", "none"), onDate("at", ds)).map(([q, w]) => `${q} events where (${w})`),
    onDate("date", ds).map((w) => `sum(purchases.amount where ${w}) > 60`),
    fc.constantFrom('any events where (type = "open")', "lastPurchase > renewalDate"),
  );
  return fc.letrec<{ rule: string }>((tie) => ({
    rule: fc.oneof(
      { depthSize: "small" },
      atom,
      fc.tuple(tie("rule"), tie("rule")).map(([a, b]) => `(${a} and ${b})`),
      fc.tuple(tie("rule"), tie("rule")).map(([a, b]) => `(${a} or ${b})`),
      tie("rule").map((a) => `not (${a})`),
    ),
  })).rule;
};
/** A zone, a now, and a rule from `gen` with the zone's durations. */
const withZone = (gen: (ds: readonly string[]) => fc.Arbitrary<string>) =>
  fc.tuple(fc.constantFrom(...ZONES), fc.constantFrom(...NOWS)).chain(([zone, now]) => gen(durationsOf(zone)).map((source) => [source, now, zone] as const));

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

  it("calendar months in UTC: month ends, where the cutoff steps back at midnight and the row leaves and enters again", async () => {
    const r = records.find((x) => x.lastPurchase?.toISOString() === "2026-02-28T10:00:00.000Z")!;
    const nows = ["2026-03-28T11:00:00Z", "2026-03-29T00:00:00Z", "2026-03-30T12:00:00Z", "2026-02-27T00:00:00Z", "2026-03-31T10:00:00Z"].map(ms);
    // lastPurchase < 1 month is lastPurchase > now − 1 month: from 28 March 10:00 out; at 29 March
    // 00:00 the cutoff is 28 February 00:00 again: in, until 10:00; and so on until 1 April.
    expect(jsNextChange("lastPurchase < 1 month", r, nows[0]!, "UTC")).toBe(ms("2026-03-29T00:00:00Z"));
    for (const db of dbs) {
      for (const source of ["lastPurchase < 1 month", "lastPurchase >= 1 month ago", "renewalDate within next 1 month", "lastPurchase > 1 year", "count(events where at within last 6 months) >= 1"]) {
        for (const now of nows) {
          const got = await sqlNextChange(db, source, now, "UTC");
          for (const x of records.slice(-MONTH_ENDS.length)) expect([db.label, source, now, x.id, got.get(x.id)]).toEqual([db.label, source, now, x.id, jsNextChange(source, x, now, "UTC")]);
        }
      }
    }
  });

  it("one time-dependent test of a date: the same instant as seg.nextChange, on every engine", async () => {
    const cases = fc.sample(withZone(single), { seed: 20261203, numRuns: 40 });
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
    const cases = fc.sample(withZone(ruleOf), { seed: 1703, numRuns: 50 });
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
    const r = records.find((x) => x.lastPurchase !== null)!;
    const now = r.lastPurchase!.getTime() + 10 * D;
    expect(jsNextChange(source, r, now, "UTC")).toBeNaN();
    const got = await sqlNextChange(dbs[0]!, source, now, "UTC");
    expect(got.get(r.id)).toBe(r.lastPurchase!.getTime() + 20 * D + 1);
  });

  it("refuses calendar durations and ClickHouse, with a position and a hint", () => {
    const refused = (source: string, dialect: "postgres" | "clickhouse" = "postgres") => {
      try {
        nextChangeToSQL(compile(source, Row), { dialect, ...LAYOUT, now: NOWS[0]!, timeZone: "Europe/Paris" });
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
