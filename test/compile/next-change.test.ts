/**
 * seg.nextChange: the first instant after `now` at which time alone changes a record's result.
 * Hand cases for each construct (ages, ago / from now, within, aggregates and quantifiers in
 * windows, and / or / not, unknowns, fixed dates), calendar month ends and daylight saving in
 * Europe/Paris; then the law with fast-check: constant on [now, nextChange), different at
 * nextChange, over random rules of the time-dependent fragment, records, zones and `now` values
 * near DST changes and month ends.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EvalContext, Segment } from "../../src/compile/types.js";
import { seg } from "./helpers.js";
import { DURATIONS, NOWS, OFFSETS, ZONES, offset, rule } from "../support/time-rules.js";

const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);
const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const H = 3_600_000;
const D = 86_400_000;

/** nextChange, checked against the guarantee on a few instants (just before and at the change). */
function next(s: Segment, record: Record<string, unknown>, ctx: EvalContext & { now: string | number }): string | null {
  const r = s.nextChange(record, ctx);
  const v0 = s.evaluate(record, ctx);
  if (r !== null) {
    expect(s.evaluate(record, { ...ctx, now: r.getTime() - 1 })).toBe(v0);
    expect(s.evaluate(record, { ...ctx, now: r.getTime() })).not.toBe(v0);
  }
  return iso(r);
}

describe("ages and instants", () => {
  it("lastPurchase < 6 months leaves when the purchase is exactly 6 months old", () => {
    const s = seg("lastPurchase < 6 months");
    const r = { lastPurchase: at("2026-05-22T10:00:00Z") };
    expect(next(s, r, { now: "2026-11-01T00:00:00Z" })).toBe("2026-11-22T10:00:00.000Z");
    // <=: one millisecond later
    expect(next(seg("lastPurchase <= 6 months"), r, { now: "2026-11-01T00:00:00Z" })).toBe("2026-11-22T10:00:00.001Z");
    // already out: > 6 months never returns
    expect(next(s, r, { now: "2026-12-01T00:00:00Z" })).toBe(null);
  });

  it("lastPurchase > 1 year enters; ago and from now; exact days across DST", () => {
    const r = { lastPurchase: at("2026-03-01T00:00:00Z"), renewalDate: at("2026-06-01T00:00:00Z") };
    expect(next(seg("lastPurchase > 1 year"), r, { now: "2026-06-01T00:00:00Z" })).toBe("2027-03-01T00:00:00.001Z");
    expect(next(seg("lastPurchase < 90 days ago"), r, { now: "2026-04-01T00:00:00Z" })).toBe(iso(new Date(ms("2026-03-01T00:00:00Z") + 90 * D + 1)));
    expect(next(seg("renewalDate < 60 days from now"), r, { now: "2026-01-01T00:00:00Z", timeZone: "Europe/Paris" })).toBe(iso(new Date(ms("2026-06-01T00:00:00Z") - 60 * D + 1)));
  });

  it("between two ages: enters then leaves", () => {
    const s = seg("lastPurchase between 3 months and 6 months");
    const r = { lastPurchase: at("2026-01-15T12:00:00Z") };
    expect(next(s, r, { now: "2026-02-01T00:00:00Z" })).toBe("2026-04-15T12:00:00.000Z");
    expect(next(s, r, { now: "2026-05-01T00:00:00Z" })).toBe("2026-07-15T12:00:00.001Z");
  });

  it("within last / next", () => {
    const r = { lastPurchase: at("2026-05-10T00:00:00Z"), renewalDate: at("2026-05-10T00:00:00Z") };
    expect(next(seg("lastPurchase within last 30 days"), r, { now: "2026-05-01T00:00:00Z" })).toBe("2026-05-10T00:00:00.000Z");
    expect(next(seg("lastPurchase within last 30 days"), r, { now: "2026-05-20T00:00:00Z" })).toBe("2026-06-09T00:00:00.001Z");
    expect(next(seg("renewalDate within next 7 days"), r, { now: "2026-05-01T00:00:00Z" })).toBe("2026-05-03T00:00:00.000Z");
    expect(next(seg("renewalDate within next 7 days"), r, { now: "2026-05-05T00:00:00Z" })).toBe("2026-05-10T00:00:00.001Z");
  });

  it("a date-only value is the first instant of its day in the zone", () => {
    const r = { signupDate: "2026-01-10" };
    expect(next(seg("signupDate < 30 days"), r, { now: "2026-01-20T00:00:00Z", timeZone: "Europe/Paris" })).toBe(iso(new Date(ms("2026-01-09T23:00:00Z") + 30 * D)));
  });
});

describe("combinations", () => {
  const r = { lastPurchase: at("2026-05-01T00:00:00Z") };
  it("an or that never changes is null; and / not combine timelines", () => {
    expect(next(seg("lastPurchase < 30 days or lastPurchase > 20 days"), r, { now: "2026-05-02T00:00:00Z" })).toBe(null);
    expect(next(seg("lastPurchase < 30 days and lastPurchase > 20 days"), r, { now: "2026-05-02T00:00:00Z" })).toBe("2026-05-21T00:00:00.001Z");
    expect(next(seg("lastPurchase < 30 days and lastPurchase > 20 days"), r, { now: "2026-05-25T00:00:00Z" })).toBe("2026-05-31T00:00:00.000Z");
    expect(next(seg("not (lastPurchase < 30 days)"), r, { now: "2026-05-02T00:00:00Z" })).toBe("2026-05-31T00:00:00.000Z");
    expect(next(seg('sector = "finance" and lastPurchase < 30 days'), { ...r, sector: "santé" }, { now: "2026-05-02T00:00:00Z" })).toBe(null);
  });

  it("unknowns: a missing date never changes; unknown or a moving part", () => {
    expect(next(seg("lastPurchase < 30 days"), { lastPurchase: null }, { now: "2026-05-02T00:00:00Z" })).toBe(null);
    // unknown or true → true, then unknown or false → unknown
    expect(next(seg("employees > 3 or lastPurchase < 30 days"), r, { now: "2026-05-02T00:00:00Z" })).toBe("2026-05-31T00:00:00.000Z");
    expect(next(seg("employees > 3 and lastPurchase < 30 days"), r, { now: "2026-05-02T00:00:00Z" })).toBe("2026-05-31T00:00:00.000Z");
  });

  it("fixed dates (date-only and date-time literals) do not move with now", () => {
    expect(next(seg("lastPurchase < 2026-06-01"), r, { now: "2026-05-02T00:00:00Z" })).toBe(null);
    expect(next(seg("lastPurchase between 2026-01-01 and 2026-12-31T00:00:00Z"), r, { now: "2026-05-02T00:00:00Z" })).toBe(null);
    expect(next(seg('sector = "santé"'), r, { now: "2026-05-02T00:00:00Z" })).toBe(null);
  });

  it("duration parameters move; date parameters do not", () => {
    const s = seg("lastPurchase < $window");
    expect(next(s, r, { now: "2026-05-02T00:00:00Z", params: { window: "10 days" } })).toBe("2026-05-11T00:00:00.000Z");
    expect(next(s, r, { now: "2026-05-02T00:00:00Z", params: { window: "2026-06-01" } })).toBe(null);
  });
});

describe("aggregates and quantifiers in windows", () => {
  const events = ["2026-04-01", "2026-04-10", "2026-04-20", "2026-04-25"].map((d) => ({ type: "visit", at: at(`${d}T00:00:00Z`) }));
  it("count(events where at < 30 days) >= 3 changes when the third newest leaves the window", () => {
    const s = seg("count(events where at < 30 days) >= 3");
    expect(next(s, { events }, { now: "2026-04-26T00:00:00Z" })).toBe("2026-05-10T00:00:00.000Z");
    // not yet 3 in the window: enters with the third
    expect(next(s, { events: events.slice(0, 2) }, { now: "2026-04-11T00:00:00Z" })).toBe(null);
    // a future date has a negative age: it is in the window already
    expect(next(s, { events: events.slice(0, 3) }, { now: "2026-04-11T00:00:00Z" })).toBe("2026-05-01T00:00:00.000Z");
    expect(next(s, { events: events.slice(0, 2) }, { now: "2026-03-01T00:00:00Z" })).toBe(null);
  });

  it("any / all / none over elements; sums", () => {
    expect(next(seg('any events where (type = "visit" and at within last 7 days)'), { events }, { now: "2026-04-26T00:00:00Z" })).toBe("2026-05-02T00:00:00.001Z");
    expect(next(seg("all events where (at < 60 days)"), { events }, { now: "2026-04-26T00:00:00Z" })).toBe("2026-05-31T00:00:00.000Z");
    const purchases = [{ amount: 50, date: at("2026-04-01T00:00:00Z") }, { amount: 70, date: at("2026-04-20T00:00:00Z") }];
    expect(next(seg("sum(purchases.amount where date < 30 days) > 100"), { purchases }, { now: "2026-04-21T00:00:00Z" })).toBe("2026-05-01T00:00:00.000Z");
  });
});

describe("calendar months: month ends and daylight saving", () => {
  it("28 February is left and re-entered around 31 March (1 month ago clamps to 28 February 00:00)", () => {
    const s = seg("lastPurchase < 1 month");
    const r = { lastPurchase: at("2026-02-28T12:00:00Z") };
    // leaves on 28 March at 12:00, re-enters at 29 March 00:00 (29 March − 1 month = 28 February 00:00)
    expect(next(s, r, { now: "2026-03-20T00:00:00Z" })).toBe("2026-03-28T12:00:00.000Z");
    expect(next(s, r, { now: "2026-03-28T12:00:00Z" })).toBe("2026-03-29T00:00:00.000Z");
    expect(next(s, r, { now: "2026-03-29T00:00:00Z" })).toBe("2026-03-29T12:00:00.000Z");
    expect(next(s, r, { now: "2026-03-31T12:00:00Z" })).toBe(null);
  });

  it("28 to 31 January + 1 month (from now) are all 28 February: entered and left each day", () => {
    const s = seg("renewalDate < 1 month from now");
    expect(next(s, { renewalDate: at("2026-03-01T00:00:00Z") }, { now: "2026-01-20T00:00:00Z" })).toBe("2026-02-01T00:00:00.001Z");
    const r = { renewalDate: at("2026-02-28T12:00:00Z") };
    expect(next(s, r, { now: "2026-01-20T00:00:00Z" })).toBe("2026-01-28T12:00:00.001Z");
    expect(next(s, r, { now: "2026-01-28T13:00:00Z" })).toBe("2026-01-29T00:00:00.000Z");
    expect(next(s, r, { now: "2026-01-29T13:00:00Z" })).toBe("2026-01-30T00:00:00.000Z");
    expect(next(s, r, { now: "2026-01-31T13:00:00Z" })).toBe(null);
  });

  it("Europe/Paris: the cutoff steps back an hour when summer time ends; the record leaves and re-enters", () => {
    const s = seg("lastPurchase < 6 months");
    const ctx = { timeZone: "Europe/Paris" };
    // now = 2026-10-25 02:30 CEST (00:30Z): cutoff 2026-04-25 02:30 CEST = 00:30Z.
    const r = { lastPurchase: at("2026-04-25T00:45:00Z") };
    expect(next(s, r, { ...ctx, now: "2026-10-25T00:30:00Z" })).toBe("2026-10-25T00:45:00.000Z");
    // at 01:00Z the clock shows 02:00 CET again: the cutoff is back at 00:00Z, the record re-enters
    expect(next(s, r, { ...ctx, now: "2026-10-25T00:45:00Z" })).toBe("2026-10-25T01:00:00.000Z");
    expect(next(s, r, { ...ctx, now: "2026-10-25T01:00:00Z" })).toBe("2026-10-25T01:45:00.000Z");
    expect(next(s, r, { ...ctx, now: "2026-10-25T01:45:00Z" })).toBe(null);
  });

  it("Europe/Paris: spring forward (a wall-clock hour that does not exist)", () => {
    const s = seg("lastPurchase > 1 year");
    const r = { lastPurchase: at("2025-03-29T01:30:00Z") };
    const got = next(s, r, { timeZone: "Europe/Paris", now: "2026-03-01T00:00:00Z" });
    expect(got).not.toBe(null);
  });
});

// ---------------------------------------------------------------------------------------------
// The law
// ---------------------------------------------------------------------------------------------

describe("the law: constant on [now, nextChange), different at nextChange", () => {
  it("random rules, records, zones and instants near DST changes and month ends", () => {
    const segs = new Map<string, Segment>();
    const compiled = (r: string) => segs.get(r) ?? (segs.set(r, seg(r)), segs.get(r)!);
    const arb = fc.record({
      rule,
      now: fc.constantFrom(...NOWS),
      zone: fc.constantFrom(...ZONES),
      age: fc.constantFrom(...DURATIONS),
      lead: fc.constantFrom(...DURATIONS),
      lp: fc.option(offset, { nil: null }),
      rd: fc.option(offset, { nil: undefined }),
      sd: fc.option(offset, { nil: undefined }),
      ev: fc.array(offset, { maxLength: 4 }),
      pu: fc.array(fc.tuple(offset, fc.constantFrom(20, 50)), { maxLength: 3 }),
      probes: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const s = compiled(a.rule);
        const ctx = { now: a.now, timeZone: a.zone, params: { age: a.age, lead: a.lead } };
        const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
        const record = {
          sector: "santé",
          employees: null,
          lastPurchase: a.lp === null ? null : new Date(a.now + a.lp),
          ...(a.rd === undefined ? {} : { renewalDate: new Date(a.now + a.rd) }),
          ...(a.sd === undefined ? {} : { signupDate: dayOf(a.now + a.sd) }),
          events: a.ev.map((o) => ({ type: "visit", at: new Date(a.now + o) })),
          purchases: a.pu.map(([o, amount]) => ({ amount, date: new Date(a.now + o) })),
        };
        const v0 = s.evaluate(record, ctx);
        const r = s.nextChange(record, ctx);
        const end = r === null ? a.now + 800 * D : r.getTime();
        // Probes: just before the end, random instants, and the instants where some cutoff
        // (approximately) meets one of the record's dates, ±1 ms.
        const probes = [end - 1, ...a.probes.map((p) => a.now + Math.floor(p * (end - a.now)))];
        const dates = [a.lp, a.rd, a.sd, ...a.ev, ...a.pu.map((p) => p[0])].filter((x): x is number => typeof x === "number");
        for (const d of dates) for (const o of OFFSETS) for (const e of [-H - 1, -1, 0, 1, H]) probes.push(a.now + d + o + e, a.now + d - o + e);
        for (const t of probes) {
          if (t < a.now || t >= end) continue;
          const v = s.evaluate(record, { ...ctx, now: t });
          if (v !== v0) throw new Error(`${a.rule} ${JSON.stringify(record)} ${a.zone} now=${new Date(a.now).toISOString()}: ${v0} at now, ${v} at ${new Date(t).toISOString()} < nextChange ${iso(r)}`);
        }
        if (r !== null) expect(s.evaluate(record, { ...ctx, now: r.getTime() })).not.toBe(v0);
      }),
      { numRuns: Number(process.env.NC_RUNS ?? 300) },
    );
  });
});
