/**
 * Time: the seed rule at its calendar boundaries (31 August → 28/29 February), in UTC and in
 * Europe/Paris (daylight saving), date-only literals as days in a non-UTC zone, data read in the
 * evaluation time zone, exact days across DST, and cutoffs computed once per run.
 */
import { describe, expect, it, vi } from "vitest";
import { model, prepare, seg } from "./helpers.js";
import { compileExpr, isoToEpoch, wallClockToEpoch } from "../../src/compile/index.js";
import { createRun } from "../../src/compile/run.js";

const SEED = 'sector = "santé" and lastPurchase < 6 months and tech has "X"';
const at = (iso: string) => new Date(iso);
const rec = (lastPurchase: unknown) => ({ sector: "santé", lastPurchase, tech: ["X"] });

describe("the seed rule at its boundaries", () => {
  const s = seg(SEED);

  it("is true less than 6 calendar months ago, false at exactly 6 months (UTC)", () => {
    const ctx = { now: at("2026-11-22T00:00:00Z") };
    expect(s.evaluate(rec(at("2026-05-22T00:00:00Z")), ctx)).toBe(false); // exactly 6 months: age is not < 6 months
    expect(s.evaluate(rec(at("2026-05-22T00:00:00.001Z")), ctx)).toBe(true);
    expect(s.evaluate(rec(at("2026-05-21T23:59:59.999Z")), ctx)).toBe(false);
    expect(s.evaluate(rec(null), ctx)).toBe(null);
    expect(s.evaluate({ ...rec(null), sector: "finance" }, ctx)).toBe(false);
  });

  it("on 31 August the cutoff is 28 February (UTC)", () => {
    const ctx = { now: at("2026-08-31T10:00:00Z") };
    expect(s.test(rec(at("2026-02-28T10:00:00Z")), ctx)).toBe(false);
    expect(s.test(rec(at("2026-02-28T10:00:00.001Z")), ctx)).toBe(true);
    expect(s.test(rec(at("2026-03-01T00:00:00Z")), ctx)).toBe(true);
    expect(s.test(rec(at("2026-02-27T23:00:00Z")), ctx)).toBe(false);
  });

  it("on 31 August of a leap year the cutoff is 29 February", () => {
    const ctx = { now: at("2028-08-31T10:00:00Z") };
    expect(s.test(rec(at("2028-02-29T10:00:00Z")), ctx)).toBe(false);
    expect(s.test(rec(at("2028-02-29T10:00:00.001Z")), ctx)).toBe(true);
    expect(s.test(rec(at("2028-02-28T12:00:00Z")), ctx)).toBe(false);
  });

  it("in Europe/Paris, months keep the wall-clock time across daylight saving", () => {
    // 31 Aug 12:00 CEST (10:00Z) − 6 months = 28 Feb 12:00 CET = 11:00Z.
    const ctx = { now: at("2026-08-31T10:00:00Z"), timeZone: "Europe/Paris" };
    expect(s.test(rec(at("2026-02-28T11:00:00Z")), ctx)).toBe(false);
    expect(s.test(rec(at("2026-02-28T11:00:00.001Z")), ctx)).toBe(true);
    expect(s.test(rec(at("2026-02-28T10:30:00Z")), ctx)).toBe(false);
    // The same record in UTC: the cutoff is 10:00Z, so 10:30Z is within 6 months.
    expect(s.test(rec(at("2026-02-28T10:30:00Z")), { now: ctx.now })).toBe(true);
  });

  it("in Europe/Paris, the calendar day of now is the local one", () => {
    // 31 Aug 22:30Z is 1 Sept 00:30 in Paris: − 6 months = 1 March 00:30 CET = 28 Feb 23:30Z.
    const ctx = { now: at("2026-08-31T22:30:00Z"), timeZone: "Europe/Paris" };
    expect(s.test(rec(at("2026-02-28T23:30:00Z")), ctx)).toBe(false);
    expect(s.test(rec(at("2026-02-28T23:30:00.001Z")), ctx)).toBe(true);
    // In UTC: 31 Aug 22:30Z − 6 months = 28 Feb 22:30Z.
    expect(s.test(rec(at("2026-02-28T23:00:00Z")), { now: ctx.now })).toBe(true);
  });

  it("reads a date field given as a Date, an ISO string or epoch milliseconds", () => {
    const ctx = { now: at("2026-11-22T00:00:00Z") };
    for (const v of [at("2026-10-01T00:00:00Z"), "2026-10-01T00:00:00Z", "2026-10-01", Date.parse("2026-10-01T00:00:00Z"), "2026-10-01T02:00:00+02:00"]) {
      expect(s.test(rec(v), ctx)).toBe(true);
    }
    for (const v of ["2026-10-32", "yesterday", "", NaN, Infinity, 1e20, new Date(NaN), {}, [], true]) {
      expect(s.evaluate(rec(v), ctx)).toBe(null);
    }
  });
});

describe("date-only literals are days in the evaluation time zone", () => {
  const paris = { now: at("2026-06-01T00:00:00Z"), timeZone: "Europe/Paris" };
  // 29 March 2026: daylight saving starts in Paris (a 23-hour day): [28 Mar 23:00Z, 29 Mar 22:00Z).
  it("= D is that local day", () => {
    const s = seg("lastPurchase = 2026-03-29");
    expect(s.test({ lastPurchase: at("2026-03-28T23:00:00Z") }, paris)).toBe(true);
    expect(s.test({ lastPurchase: at("2026-03-28T22:59:59.999Z") }, paris)).toBe(false);
    expect(s.test({ lastPurchase: at("2026-03-29T21:59:59.999Z") }, paris)).toBe(true);
    expect(s.test({ lastPurchase: at("2026-03-29T22:00:00Z") }, paris)).toBe(false);
    // In UTC the same literal is [29 Mar 00:00Z, 30 Mar 00:00Z).
    expect(s.test({ lastPurchase: at("2026-03-28T23:00:00Z") }, { now: paris.now })).toBe(false);
    expect(s.test({ lastPurchase: at("2026-03-29T23:00:00Z") }, { now: paris.now })).toBe(true);
  });

  it("<, <=, >, >=, != and between follow the day", () => {
    const cases: [string, string, boolean][] = [
      ["lastPurchase < 2026-03-29", "2026-03-28T22:59:59.999Z", true],
      ["lastPurchase < 2026-03-29", "2026-03-28T23:00:00Z", false],
      ["lastPurchase before 2026-03-29", "2026-03-28T23:00:00Z", false],
      ["lastPurchase <= 2026-03-29", "2026-03-29T21:59:59.999Z", true],
      ["lastPurchase <= 2026-03-29", "2026-03-29T22:00:00Z", false],
      ["lastPurchase > 2026-03-29", "2026-03-29T22:00:00Z", true],
      ["lastPurchase after 2026-03-29", "2026-03-29T21:59:59.999Z", false],
      ["lastPurchase >= 2026-03-29", "2026-03-28T23:00:00Z", true],
      ["lastPurchase >= 2026-03-29", "2026-03-28T22:59:59Z", false],
      ["lastPurchase != 2026-03-29", "2026-03-29T12:00:00Z", false],
      ["lastPurchase != 2026-03-29", "2026-03-30T12:00:00Z", true],
      ["lastPurchase between 2026-03-28 and 2026-03-29", "2026-03-27T23:00:00Z", true],
      ["lastPurchase between 2026-03-28 and 2026-03-29", "2026-03-27T22:59:59.999Z", false],
      ["lastPurchase between 2026-03-28 and 2026-03-29", "2026-03-29T21:59:59.999Z", true],
      ["lastPurchase between 2026-03-28 and 2026-03-29", "2026-03-29T22:00:00Z", false],
    ];
    for (const [source, iso, expected] of cases) {
      expect({ source, iso, got: seg(source).test({ lastPurchase: at(iso) }, paris) }).toEqual({ source, iso, got: expected });
    }
  });

  it("date-only and offset-less strings in the data are read in the zone", () => {
    const s = seg("lastPurchase = 2026-03-29");
    expect(s.test({ lastPurchase: "2026-03-29" }, paris)).toBe(true);
    expect(s.test({ lastPurchase: "2026-03-29T23:30:00" }, paris)).toBe(true); // 21:30Z
    expect(s.test({ lastPurchase: "2026-03-29T23:30:00Z" }, paris)).toBe(false); // 30 Mar 01:30 in Paris
    const t = seg("lastPurchase < 2026-03-29T12:00:00");
    expect(t.test({ lastPurchase: at("2026-03-29T09:59:59Z") }, paris)).toBe(true); // 12:00 CEST = 10:00Z
    expect(t.test({ lastPurchase: at("2026-03-29T10:00:00Z") }, paris)).toBe(false);
  });

  it("a wall-clock time skipped by daylight saving moves forward; a repeated one takes the earlier instant", () => {
    expect(new Date(wallClockToEpoch("Europe/Paris", 2026, 2, 29, 2, 30)).toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(new Date(wallClockToEpoch("Europe/Paris", 2026, 9, 25, 2, 30)).toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(new Date(isoToEpoch("2026-07-01", "America/New_York")).toISOString()).toBe("2026-07-01T04:00:00.000Z");
    expect(isoToEpoch("2026-02-29", "UTC")).toBeNaN();
    expect(isoToEpoch("2026-01-01T24:00:00Z", "UTC")).toBeNaN();
    expect(new Date(isoToEpoch("0099-01-01", "UTC")).toISOString()).toBe("0099-01-01T00:00:00.000Z");
  });
});

describe("durations", () => {
  it("days are exact across daylight saving; months are calendar months", () => {
    const ctx = { now: at("2026-03-29T12:00:00Z"), timeZone: "Europe/Paris" };
    const day = seg("lastPurchase < 1 day");
    expect(day.test({ lastPurchase: at("2026-03-28T12:00:00.001Z") }, ctx)).toBe(true);
    expect(day.test({ lastPurchase: at("2026-03-28T12:00:00Z") }, ctx)).toBe(false);
    const month = seg("lastPurchase < 1 month");
    // 15 Apr 12:00 CEST (10:00Z) − 1 month = 15 Mar 12:00 CET (11:00Z).
    const april = { now: at("2026-04-15T10:00:00Z"), timeZone: "Europe/Paris" };
    expect(month.test({ lastPurchase: at("2026-03-15T11:00:00.001Z") }, april)).toBe(true);
    expect(month.test({ lastPurchase: at("2026-03-15T11:00:00Z") }, april)).toBe(false);
    const weeks = seg("lastPurchase > 2 weeks ago");
    expect(weeks.test({ lastPurchase: at("2026-03-15T12:00:00.001Z") }, ctx)).toBe(true);
    const years = seg("lastPurchase > 1 year");
    // 29 Mar 2026 14:00 CEST − 1 year = 29 Mar 2025 14:00 CET (13:00Z): the day before that year's change.
    expect(years.test({ lastPurchase: at("2025-03-29T12:59:59Z") }, ctx)).toBe(true);
    expect(years.test({ lastPurchase: at("2025-03-29T13:00:00Z") }, ctx)).toBe(false);
    const mins = seg("lastPurchase within last 90 minutes");
    expect(mins.test({ lastPurchase: at("2026-03-29T10:30:00Z") }, ctx)).toBe(true);
    expect(mins.test({ lastPurchase: at("2026-03-29T10:29:59Z") }, ctx)).toBe(false);
    const hours = seg("renewalDate within next 12 hours");
    expect(hours.test({ renewalDate: at("2026-03-30T00:00:00Z") }, ctx)).toBe(true);
    expect(hours.test({ renewalDate: at("2026-03-30T00:00:01Z") }, ctx)).toBe(false);
  });

  it("now may be an ISO string (read in the zone when it has no offset) or epoch ms", () => {
    const s = seg("lastPurchase < 1 day");
    const r = { lastPurchase: at("2026-08-30T10:30:00Z") };
    expect(s.test(r, { now: "2026-08-31T12:00:00", timeZone: "Europe/Paris" })).toBe(true); // 10:00Z
    expect(s.test(r, { now: "2026-08-31T12:00:00Z", timeZone: "Europe/Paris" })).toBe(false);
    expect(s.test(r, { now: Date.parse("2026-08-31T10:00:00Z") })).toBe(true);
  });

  it("computes cutoffs once per run, not per record", () => {
    const run = createRun({ now: at("2026-08-31T10:00:00Z"), timeZone: "Europe/Paris" }, new Map());
    const first = run.shift(6, "month", -1);
    expect(new Date(first).toISOString()).toBe("2026-02-28T11:00:00.000Z");
    const records = Array.from({ length: 200 }, (_, i) => ({ lastPurchase: at(`2026-0${1 + (i % 9)}-15T00:00:00Z`) }));
    const prepared = prepare("lastPurchase < 6 months");
    const c = compileExpr(prepared.body, model, { facts: prepared.checked.facts });
    const spy = vi.spyOn(run, "shift");
    const n = records.filter((r) => c.isTrue(r, run)).length;
    expect(n).toBeGreaterThan(0);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(1);
    spy.mockRestore();
  });
});
