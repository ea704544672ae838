import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalTimeZone,
  dayStart,
  nextDayStart,
  parseIso,
  parseLiteralInstant,
  shiftInstant,
  toEpochMs,
} from "../../src/time/cutoffs.js";

const H = 3_600_000;

describe("time/cutoffs", () => {
  it("canonicalises time zones", () => {
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    expect(canonicalTimeZone("Etc/UTC")).toBe("UTC");
    expect(canonicalTimeZone("europe/paris")).toBe("Europe/Paris");
    expect(canonicalTimeZone("Mars/Olympus")).toBeUndefined();
  });

  it("reads ISO-8601 and refuses impossible dates", () => {
    expect(parseIso("2024-02-29")?.dateOnly).toBe(true);
    expect(parseIso("2023-02-29")).toBeUndefined();
    expect(parseIso("2024-01-15T24:00")).toBeUndefined();
    expect(parseLiteralInstant("2024-01-15T09:30:00Z", "Europe/Paris")).toBe(Date.UTC(2024, 0, 15, 9, 30));
    expect(parseLiteralInstant("2024-01-15T09:30", "Europe/Paris")).toBe(Date.UTC(2024, 0, 15, 8, 30));
    expect(parseLiteralInstant("2024-01-15T09:30:00.5+0200", "UTC")).toBe(Date.UTC(2024, 0, 15, 7, 30, 0, 500));
    expect(parseLiteralInstant("nope", "UTC")).toBeNaN();
  });

  it("gives day bounds in the evaluation time zone, 23 or 25 hours across daylight saving", () => {
    expect(dayStart("2026-12-01", "UTC")).toBe(Date.UTC(2026, 11, 1));
    expect(dayStart("2026-12-01", "Europe/Paris")).toBe(Date.UTC(2026, 10, 30, 23));
    expect(nextDayStart("2026-03-29", "Europe/Paris") - dayStart("2026-03-29", "Europe/Paris")).toBe(23 * H);
    expect(nextDayStart("2026-10-25", "Europe/Paris") - dayStart("2026-10-25", "Europe/Paris")).toBe(25 * H);
    expect(dayStart("2026-12-01T00:00", "UTC")).toBeNaN();
  });

  it("shifts months by the calendar and days exactly", () => {
    expect(shiftInstant(Date.UTC(2026, 7, 31), 6, "month", "ago", "UTC")).toBe(Date.UTC(2026, 1, 28));
    expect(shiftInstant(Date.UTC(2024, 1, 29), 1, "year", "fromNow", "UTC")).toBe(Date.UTC(2025, 1, 28));
    // A day is 24 hours, also across daylight saving.
    const now = Date.UTC(2026, 2, 30, 12);
    expect(now - shiftInstant(now, 1, "day", "ago", "Europe/Paris")).toBe(24 * H);
    // A month keeps the wall-clock time in the zone: 12:00 UTC = 14:00 Paris (summer) → 13:00 Paris (winter) = 12:00 UTC.
    expect(shiftInstant(Date.UTC(2026, 3, 15, 12), 3, "month", "ago", "Europe/Paris")).toBe(Date.UTC(2026, 0, 15, 13));
    expect(shiftInstant(8e15, 10_000_000, "week", "fromNow", "UTC")).toBeNaN();
  });

  it("reads runtime date values as the evaluator does", () => {
    expect(toEpochMs(new Date(5), "UTC")).toBe(5);
    expect(toEpochMs(5, "UTC")).toBe(5);
    expect(toEpochMs("2024-01-15", "Europe/Paris")).toBe(Date.UTC(2024, 0, 14, 23));
    expect(toEpochMs(NaN, "UTC")).toBeNaN();
    expect(toEpochMs(new Date(NaN), "UTC")).toBeNaN();
    expect(toEpochMs({}, "UTC")).toBeNaN();
  });

  it("agrees with the evaluator's date arithmetic (while src/compile keeps its own copy)", async () => {
    const path = "../../src/compile/dates.js";
    let dates: Record<string, (...a: never[]) => unknown> | undefined;
    try {
      dates = (await import(/* @vite-ignore */ path)) as typeof dates;
    } catch {
      return; // compile now imports src/time: nothing to compare
    }
    const shiftEpoch = dates!.shiftEpoch as unknown as (n: number, a: number, u: string, s: 1 | -1, z: string) => number;
    const isoToEpoch = dates!.isoToEpoch as unknown as (t: string, z: string) => number;
    if (typeof shiftEpoch !== "function" || typeof isoToEpoch !== "function") return;
    const zones = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"];
    const units = ["minute", "hour", "day", "week", "month", "year"] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(...units),
        fc.boolean(),
        fc.constantFrom(...zones),
        (now, amount, unit, ago, zone) => {
          const mine = shiftInstant(now, amount, unit, ago ? "ago" : "fromNow", zone);
          const theirs = shiftEpoch(now, amount, unit, ago ? -1 : 1, zone);
          expect(mine).toBe(theirs);
          const text = new Date(now).toISOString().slice(0, 10);
          expect(dayStart(text, zone)).toBe(isoToEpoch(text, zone));
          const local = new Date(now).toISOString().slice(0, 16);
          expect(parseLiteralInstant(local, zone)).toBe(isoToEpoch(local, zone));
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });
});
