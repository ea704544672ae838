// date-fns resolves wall-clock times with the host's own zone in the loop (TZDate's
// adjustToSystemTZ); calendarShift reproduces it for a host in UTC, the reference condition.
process.env.TZ = "UTC";

import fc from "fast-check";
import { tzOffset } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import { calendarShift, calendarShiftReference, zoneOffset } from "../../src/time/offsets.js";
import { shiftInstant } from "../../src/time/cutoffs.js";

const H = 3_600_000;
const DAY = 86_400_000;

/**
 * Zones with something to trip over: daylight saving in both hemispheres and at midnight
 * (Sao Paulo, Havana), 30-minute DST (Lord_Howe), negative DST (Dublin), 2-hour DST (Troll),
 * several changes a year (Casablanca, Gaza), skipped days (Apia 2011, Kiritimati 1994),
 * offsets with seconds before 1900 or so (Singapore, Paris LMT), odd offsets (Kathmandu, Chatham).
 */
const ZONES = [
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "America/Sao_Paulo",
  "America/Havana",
  "Australia/Lord_Howe",
  "Europe/Dublin",
  "Antarctica/Troll",
  "Africa/Casablanca",
  "Asia/Gaza",
  "Pacific/Apia",
  "Pacific/Kiritimati",
  "Asia/Singapore",
  "Asia/Kathmandu",
  "Pacific/Chatham",
  "Europe/Moscow",
];

/** Offset changes of a zone between two years, to the millisecond (found with tzOffset itself). */
function transitions(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  const off = (t: number) => tzOffset(zone, new Date(t));
  const step = 2 * DAY;
  let a = Date.UTC(from, 0, 1);
  let oa = off(a);
  for (let b = a + step; b < Date.UTC(to, 0, 1); a = b, oa = off(a), b += step) {
    if (off(b) === oa) continue;
    let lo = a;
    let hi = b;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (off(mid) === oa) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

const CHANGES: readonly (readonly [string, number])[] = ZONES.flatMap((z) =>
  [...transitions(z, 1890, 1905), ...transitions(z, 1916, 1950), ...transitions(z, 1990, 2040)].map((t) => [z, t] as const),
);

const zone = fc.constantFrom(...ZONES);
const months = fc.oneof(fc.integer({ min: -36, max: 36 }), fc.integer({ min: -3_300_000, max: 3_300_000 }));
/** Instants of the last century and the next, and anywhere in the range of a Date. */
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
);
/** Around an offset change: to the millisecond, to the hour, to a few days. */
const nearChange = fc
  .tuple(fc.constantFrom(...CHANGES), fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -3 * H, max: 3 * H }), fc.integer({ min: -3 * DAY, max: 3 * DAY })))
  .map(([[z, t], jitter]) => ({ zone: z, t: t + jitter }));
/** The last days of a month (and the first of the next), at any time of day, in a zone. */
const monthEnd = fc
  .record({ y: fc.integer({ min: 1600, max: 2400 }), m: fc.integer({ min: 0, max: 11 }), back: fc.integer({ min: -1, max: 3 }), ms: fc.integer({ min: 0, max: DAY - 1 }), zone })
  .map(({ y, m, back, ms, zone }) => ({ zone, t: Date.UTC(y, m + 1, -back) + ms - zoneOffset(zone, Date.UTC(y, m + 1, -back)) * 60_000 }));

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (a !== a && b !== b);
}

describe("time/offsets", () => {
  it("reads the offsets tzOffset reads, also at the millisecond of a change", () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(zone, instant).map(([zone, t]) => ({ zone, t })), nearChange), ({ zone, t }) => {
        expect(zoneOffset(zone, t)).toBe(tzOffset(zone, new Date(t)));
      }),
      { numRuns: 3000, seed: 17 },
    );
    for (const [z, t] of CHANGES) {
      expect(zoneOffset(z, t - 1)).toBe(tzOffset(z, new Date(t - 1)));
      expect(zoneOffset(z, t)).toBe(tzOffset(z, new Date(t)));
    }
    expect(zoneOffset("Europe/Paris", Date.UTC(2026, 0, 15))).toBe(60);
    expect(zoneOffset("Europe/Paris", Date.UTC(2026, 6, 15))).toBe(120);
    expect(zoneOffset("Europe/Paris", NaN)).toBeNaN();
  });

  it("shifts by calendar months as date-fns does: random instants, far years, huge amounts", () => {
    fc.assert(
      fc.property(instant, months, zone, (t, n, z) => {
        expect(same(calendarShift(t, n, z), calendarShiftReference(t, n, z))).toBe(true);
      }),
      { numRuns: 3000, seed: 21 },
    );
  });

  it("shifts as date-fns does from, and onto, a daylight-saving change or a skipped day", () => {
    fc.assert(
      fc.property(nearChange, months, fc.boolean(), ({ zone, t }, n, onto) => {
        // `onto`: a `now` whose shift lands near the change (where gaps and overlaps are resolved).
        const now = onto ? calendarShiftReference(t, -n, zone) : t;
        expect(same(calendarShift(now, n, zone), calendarShiftReference(now, n, zone))).toBe(true);
      }),
      { numRuns: 6000, seed: 22 },
    );
  });

  it("shifts as date-fns does at month ends (clamping to 28, 29, 30 or 31)", () => {
    fc.assert(
      fc.property(monthEnd, months, ({ zone, t }, n) => {
        expect(same(calendarShift(t, n, zone), calendarShiftReference(t, n, zone))).toBe(true);
      }),
      { numRuns: 3000, seed: 23 },
    );
  });

  it("knows the examples of the docs", () => {
    expect(calendarShift(Date.UTC(2026, 7, 31, 10), -6, "Europe/Paris")).toBe(Date.UTC(2026, 1, 28, 11));
    // Kiritimati skipped 31 December 1994: date-fns's end of that month lands on 1 January.
    const kiritimati = Date.UTC(1999, 7, 27, 20, 47, 48, 1);
    expect(calendarShift(kiritimati, -56, "Pacific/Kiritimati")).toBe(calendarShiftReference(kiritimati, -56, "Pacific/Kiritimati"));
    // Spring forward in Paris: 02:30 on 29 March 2026 does not exist.
    const before = Date.UTC(2026, 1, 28, 1, 30); // 02:30 in Paris, a month before
    expect(calendarShift(before, 1, "Europe/Paris")).toBe(calendarShiftReference(before, 1, "Europe/Paris"));
  });

  it("is what shiftInstant computes for months and years", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 1000 }), fc.constantFrom("month" as const, "year" as const), fc.boolean(), zone, (t, amount, unit, ago, z) => {
        const n = (unit === "year" ? amount * 12 : amount) * (ago ? -1 : 1);
        const ref = calendarShiftReference(t, n, z);
        const expected = ref >= -8.64e15 && ref <= 8.64e15 ? ref : NaN;
        expect(same(shiftInstant(t, amount, unit, ago ? "ago" : "fromNow", z), expected)).toBe(true);
      }),
      { numRuns: 1000, seed: 24 },
    );
  });
});
