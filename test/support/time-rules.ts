/**
 * Random time-dependent rules, instants and zones for the next-change laws (expressions in
 * test/compile/next-change.test.ts, rules files in test/rules/next-change.test.ts), over the
 * schema of test/compile/helpers.ts.
 */
import fc from "fast-check";

const H = 3_600_000;
const D = 86_400_000;
const ms = (iso: string) => Date.parse(iso);

export const DURATIONS = ["0 days", "1 hour", "30 days", "2 weeks", "1 month", "6 months", "1 year", "90 minutes"];
const dur = fc.constantFrom(...DURATIONS);
const op = fc.constantFrom("<", "<=", ">", ">=");
/** A time-dependent comparison on a date `f` (a field of the record or of an element). */
const onDate = (f: string) =>
  fc.oneof(
    fc.tuple(op, dur).map(([o, d]) => `${f} ${o} ${d}`),
    fc.tuple(op, dur, fc.constantFrom("ago", "from now")).map(([o, d, w]) => `${f} ${o} ${d} ${w}`),
    fc.tuple(fc.constantFrom("last", "next"), dur).map(([w, d]) => `${f} within ${w} ${d}`),
    fc.tuple(dur, dur).map(([a, b]) => `${f} between ${a} and ${b}`),
    fc.constantFrom(`${f} < 2026-03-29`, `${f} >= 2026-10-25T01:30:00`, `${f} < $age`, `${f} within last $age`, `${f} > $lead from now`),
  );
const atom = fc.oneof(
  fc.constantFrom("lastPurchase", "renewalDate", "signupDate").chain(onDate),
  fc.tuple(onDate("at"), fc.integer({ min: 0, max: 3 })).map(([w, k]) => `count(events where ${w}) >= ${k}`),
  fc.tuple(fc.constantFrom("any", "all", "none"), onDate("at")).map(([q, w]) => `${q} events where (${w})`),
  fc.tuple(onDate("date")).map(([w]) => `sum(purchases.amount where ${w}) > 60`),
  fc.constantFrom('sector = "santé"', "employees > 10"),
);
export const { rule } = fc.letrec<{ rule: string }>((tie) => ({
  rule: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    fc.tuple(tie("rule"), tie("rule")).map(([a, b]) => `(${a} and ${b})`),
    fc.tuple(tie("rule"), tie("rule")).map(([a, b]) => `(${a} or ${b})`),
    tie("rule").map((a) => `not (${a})`),
  ),
}));

export const NOWS = [
  "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z",
  "2026-03-31T12:00:00Z", "2026-01-31T23:30:00Z", "2028-02-29T06:00:00Z", "2026-11-01T06:30:00Z",
  "2026-08-31T22:00:00Z",
].map(ms);
export const ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"];
/** Offsets from now that land near the rule's cutoffs. */
export const OFFSETS = [0, H, 30 * D, 14 * D, 31 * D, 28 * D, 182 * D, 183 * D, 365 * D, 366 * D, 90 * 60_000, 3 * D];
export const offset = fc.tuple(fc.constantFrom(...OFFSETS), fc.constantFrom(-1, 1), fc.integer({ min: -2 * H, max: 2 * H })).map(([o, s, e]) => s * o + e);
