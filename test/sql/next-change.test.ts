/**
 * `nextChangeToSQL` on the real engines (PGlite, the PostgreSQL server, DuckDB, ClickHouse in a
 * session zone far from UTC) against `seg.nextChange`: the same instant for rules with one
 * time-dependent comparison (dates of the record, `ago` / `from now`, `within`, `between` two
 * ages, duration parameters; calendar months and years in every zone, month ends included),
 * except where docs/time.md says SQL may answer earlier (a calendar cutoff within a day of a
 * daylight-saving change), and never later there; for random combinations (and / or / not,
 * counts, sums and quantifiers over child tables), never later than JavaScript's, and the rule's
 * result constant on `[now, next_change)`. Several zones, `now` values at daylight-saving changes
 * and month ends.
 */
import fc from "fast-check";
import { tzOffset } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile } from "../../src/index.js";
import { nextChangeToSQL } from "../../src/sql.js";
import { zoneOffset } from "../../src/sql/next-change-calendar.js";
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
const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"];
/** Exact durations, ascending; calendar ones. */
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
// Dates at local month ends and around the changes of 2026 (Paris: 29 March 01:00 UTC,
// 25 October 01:00 UTC; New York: 8 March 07:00 UTC, 1 November 06:00 UTC).
const ZONE_CASES: [string, string, string[]][] = [
  ["Europe/Paris", "2026-02-28T09:00:00Z", ["2026-03-28T10:00:00Z", "2026-03-29T00:30:00Z", "2026-03-30T12:00:00Z"]],
  ["Europe/Paris", "2026-01-31T22:59:59.999Z", ["2026-02-27T12:00:00Z", "2026-03-01T00:00:00Z"]],
  ["America/New_York", "2028-02-29T15:00:00Z", ["2028-03-28T12:00:00Z", "2029-02-27T12:00:00Z", "2028-01-29T12:00:00Z"]],
  ["Asia/Kathmandu", "2026-04-30T18:14:59Z", ["2026-05-29T00:00:00Z", "2026-03-30T00:00:00Z"]],
  ["Australia/Lord_Howe", "2026-01-31T12:00:00Z", ["2026-02-27T00:00:00Z", "2026-03-30T00:00:00Z"]],
];
const records: RowRecord[] = [
  ...fc.sample(fc.array(recordArb, { minLength: 40, maxLength: 40 }), { seed: 17, numRuns: 1 })[0]!,
  ...ZONE_CASES.map(([, d]) => ({ lastPurchase: new Date(d), renewalDate: new Date(d), events: null, purchases: null })),
  ...MONTH_ENDS.map((d) => ({ lastPurchase: d, renewalDate: d, events: [{ type: "open", at: d }], purchases: null })),
].map((r, i) => ({ id: i + 1, ...r }));

const LAYOUT = {
  table: "rows",
  children: {
    events: { table: "events", foreignKey: "row_id" },
    purchases: { table: "purchases", foreignKey: "row_id" },
  },
} as const;
// ClickHouse's session zone (+14:00) must not change any instant.
const dbs = loadedEngines(Row, LAYOUT, records, "UTC", "Pacific/Kiritimati");
const TIMEOUT = 900_000; // a hang guard: five engines, up to 50 rules each

const op = fc.constantFrom("<", "<=", ">", ">=");
const durations = [...EXACT, ...CALENDAR];
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
  fc.tuple(fc.constantFrom(...ZONES), fc.constantFrom(...NOWS)).chain(([zone, now]) => gen(durations).map((source) => [source, now, zone] as const));

/** Per id: next_change as epoch ms (NaN for NULL), read back through the engine's own epoch. */
async function sqlNextChange(db: Db, source: string, now: number, timeZone: string): Promise<Map<number, number>> {
  const { sql, params } = nextChangeToSQL(compile(source, Row), { dialect: db.engine, ...LAYOUT, now, timeZone, params: PARAMS });
  const epoch =
    db.engine === "duckdb" ? "epoch_ms(n.next_change)" : db.engine === "clickhouse" ? "toUnixTimestamp64Milli(n.next_change)" : "(extract(epoch from n.next_change) * 1000)::float8";
  // A ClickHouse query has at most 50,000 syntax nodes by default; a calendar test takes ~6,000 (docs/sql.md).
  const settings = db.engine === "clickhouse" ? " SETTINGS max_ast_elements = 2000000, max_expanded_ast_elements = 2000000" : "";
  const rows = await db.rows(`SELECT n.id AS id, ${epoch} AS t FROM (${sql}) AS n${settings}`, params);
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

  it("calendar months in UTC: month ends, where the cutoff steps back at midnight and the row leaves and enters again", { timeout: TIMEOUT }, async () => {
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

  it("calendar months in a zone: month ends at local midnight, 29 February, daylight saving", { timeout: TIMEOUT }, async () => {
    const sources = ["lastPurchase < 1 month", "lastPurchase >= 1 month ago", "lastPurchase > 1 year", "renewalDate within next 1 month"];
    let exact = 0;
    // DuckDB and ClickHouse take 0.5–2 s per query here (a calendar test in a zone is ~6,000
    // ClickHouse syntax nodes), the PostgreSQL engines a few ms. The PostgreSQL engines see every
    // (case, now, source); the two slow ones one source per (case, now), in turn, so that every
    // case, every now and every source still meets every engine (CI's time budget).
    let k = 0;
    for (const [zone, date, nows] of ZONE_CASES) {
      const r = records.find((x) => x.lastPurchase?.getTime() === ms(date) && x.events === null)!;
      for (const now of nows.map(ms)) {
        const turn = k++ % sources.length;
        for (const [i, source] of sources.entries()) {
          const want = jsNextChange(source, r, now, zone);
          for (const db of dbs) {
            if ((db.engine === "duckdb" || db.engine === "clickhouse") && i !== turn) continue;
            const got = (await sqlNextChange(db, source, now, zone)).get(r.id);
            expect([db.label, zone, source, new Date(now).toISOString(), got]).toEqual([db.label, zone, source, new Date(now).toISOString(), want]);
            exact++;
          }
        }
      }
    }
    expect(exact).toBeGreaterThan(100); // 12 (case, now) × (4 sources × 2 PostgreSQL engines + 1 source × 2 slow engines)
  });

  it("one time-dependent test of a date: the same instant as seg.nextChange, on every engine", { timeout: TIMEOUT }, async () => {
    const cases = fc.sample(withZone(single), { seed: 20261203, numRuns: 40 });
    let instants = 0;
    let earlier = 0;
    for (const [source, now, zone] of cases) {
      const want = records.map((r) => jsNextChange(source, r, now, zone));
      instants += want.filter((t) => t === t).length;
      for (const db of dbs) {
        const got = await sqlNextChange(db, source, now, zone);
        const seen = records.map((r, i) => {
          const t = got.get(r.id)!;
          // Documented (docs/time.md, "In SQL"): a calendar cutoff within a day of a change of
          // offset may switch earlier in SQL; never later.
          if (t !== want[i] && t < want[i]! && t > now && nearChange(zone, [want[i]!, t, r.lastPurchase, r.renewalDate])) {
            earlier++;
            return want[i];
          }
          return t;
        });
        expect([db.label, source, new Date(now).toISOString(), zone, seen]).toEqual([db.label, source, new Date(now).toISOString(), zone, want]);
      }
    }
    expect(instants).toBeGreaterThan(100); // not only NULLs
    expect(earlier).toBeLessThan(instants / 10);
  });

  it("any combination: never later than seg.nextChange, and the result constant on [now, next_change)", { timeout: TIMEOUT }, async () => {
    // 25 random combinations × 48 rows × 5 engines (50 took ~100 s of CI on a loaded machine).
    const cases = fc.sample(withZone(ruleOf), { seed: 1703, numRuns: 25 });
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

  it("the zone offsets the SQL reads from each engine are JavaScript's, 1901 to 2299", { timeout: TIMEOUT }, async () => {
    const xs = fc.sample(fc.integer({ min: Date.UTC(1901, 0, 1), max: Date.UTC(2299, 0, 1) }), { seed: 21, numRuns: 200 });
    for (const zone of ZONES.filter((z) => z !== "UTC")) {
      const want = xs.map((x) => Math.round(tzOffset(zone, new Date(Math.floor(x / 1000) * 1000)) * 60) * 1000);
      for (const db of dbs) {
        const c = { d: { name: db.engine === "postgres" ? "postgres" : db.engine } } as unknown as Parameters<typeof zoneOffset>[0];
        const list = xs.join(", ");
        const off = zoneOffset(c, `'${zone}'`, "x");
        const sql =
          db.engine === "clickhouse"
            ? `SELECT ${off} AS o FROM (SELECT arrayJoin(arrayEnumerate(a)) AS i, a[i] AS x FROM (SELECT CAST([${list}] AS Array(Float64)) AS a)) ORDER BY i`
            : db.engine === "duckdb"
              ? `SELECT ${off} AS o FROM (SELECT unnest(a) AS x, generate_subscripts(a, 1) AS i FROM (SELECT [${list}]::DOUBLE[] AS a)) ORDER BY i`
              : `SELECT ${off} AS o FROM unnest(ARRAY[${list}]::float8[]) WITH ORDINALITY AS t(x, i) ORDER BY i`;
        const got = (await db.rows(sql)).map((r) => Number(r.o));
        expect([db.label, zone, got]).toEqual([db.label, zone, want]);
      }
    }
  });

  it("0 months is now itself, in a zone too", { timeout: TIMEOUT }, async () => {
    const now = ms("2026-10-25T00:59:59.999Z");
    for (const db of dbs) {
      const got = await sqlNextChange(db, "lastPurchase < 0 months", now, "Europe/Paris");
      for (const r of records) expect([db.label, r.id, got.get(r.id)]).toEqual([db.label, r.id, jsNextChange("lastPurchase < 0 months", r, now, "Europe/Paris")]);
    }
  });
});

/** True when the offset of `zone` changes within a day of one of `xs` (instants, dates or null). */
function nearChange(zone: string, xs: readonly (number | Date | null)[]): boolean {
  return xs.some((x) => {
    if (x === null) return false;
    const t = typeof x === "number" ? x : x.getTime();
    return t === t && tzOffset(zone, new Date(t - D)) !== tzOffset(zone, new Date(t + D));
  });
}
