/**
 * Dates spread around an evaluation instant `now`, so that relative rules (`lastPurchase <
 * 6 months`, `renewal within next 60 days`) meet values on both sides of their cutoffs: the
 * usual cutoffs (now − 6 months, now + 30 days…) ± 1 ms and ± 1 day, the starts of days, a
 * few years around `now`, and, unless `dbSafe`, the extremes a `Date` can hold.
 */
import * as fc from "fast-check";
import type { DurationUnit } from "../../ast/nodes.js";
import { DB_MAX, DB_MIN, ISO_MAX, ISO_MIN, MAX_TIME, dateRepr, dayBounds, resolveNow, resolveTimeZone, shift } from "../dates.js";
import { withFavour } from "./favour.js";
import { messages } from "../messages.js";

/** Constraints of {@link dateArbitrary}. */
export interface DateConstraints {
  /** The instant dates are spread around. Default: the current instant when the arbitrary is built. */
  readonly now?: Date | string | number;
  /** Time zone of calendar months and of date-only strings. Default `UTC`. */
  readonly timeZone?: string;
  /** How values are written: a `Date` (default), an ISO date-time string, an ISO date string (`YYYY-MM-DD`). */
  readonly source?: "date" | "datetime-string" | "date-string";
  /** Digits of fraction of second in date-time strings (zod `z.iso.datetime({ precision })`). */
  readonly precision?: number | null;
  /** Bounds in epoch milliseconds, inclusive (zod `z.date().min()` / `.max()`). */
  readonly min?: number;
  readonly max?: number;
  /** Only instants every database timestamp stores: years 1900 to 2200. */
  readonly dbSafe?: boolean;
  /** Instants (epoch milliseconds) to draw often, such as a rule's cutoffs ± 1 ms. */
  readonly favour?: readonly number[];
}

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

const CUTOFFS: readonly (readonly [number, DurationUnit])[] = [
  [1, "hour"], [12, "hour"], [1, "day"], [7, "day"], [30, "day"], [60, "day"], [90, "day"],
  [2, "week"], [1, "month"], [3, "month"], [6, "month"], [12, "month"], [18, "month"], [1, "year"], [2, "year"],
];

/**
 * An arbitrary of instants around `now`, written as the record holds them (`Date` or ISO text).
 *
 * @example
 * ```ts
 * fc.sample(dateArbitrary({ now: "2026-11-22T00:00:00Z" }), 2);
 * // e.g. [2026-05-21T23:59:59.999Z, 2025-02-03T11:04:10.120Z]
 * ```
 */
export function dateArbitrary(constraints: DateConstraints = {}): fc.Arbitrary<Date | string> {
  return instantArbitrary(constraints).map((ms) => dateRepr(ms, constraints.source ?? "date", resolveTimeZone(constraints.timeZone), constraints.precision ?? null)!);
}

/** The instants of {@link dateArbitrary}, as epoch milliseconds (before they are written). @internal */
export function instantArbitrary(constraints: DateConstraints = {}): fc.Arbitrary<number> {
  const now = resolveNow(constraints.now);
  const zone = resolveTimeZone(constraints.timeZone);
  const source = constraints.source ?? "date";
  const dbSafe = constraints.dbSafe === true;
  let lo = dbSafe ? DB_MIN : source === "date" ? -MAX_TIME : ISO_MIN;
  let hi = dbSafe ? DB_MAX : source === "date" ? MAX_TIME : ISO_MAX;
  if (constraints.min !== undefined) lo = Math.max(lo, constraints.min);
  if (constraints.max !== undefined) hi = Math.min(hi, constraints.max);
  if (lo > hi) throw messages.badConstraint("min", constraints.min, "a date before max: no date fits");
  const clamp = (v: number) => Math.min(hi, Math.max(lo, Math.round(v)));
  const cutoffs: number[] = [now];
  for (const [n, unit] of CUTOFFS) {
    for (const sign of [-1, 1] as const) {
      const t = shift(now, n, unit, sign, zone);
      if (t === t) cutoffs.push(t);
    }
  }
  const [todayStart, tomorrowStart] = dayBounds(now, zone);
  const days = [todayStart, tomorrowStart];
  const deltas = [-DAY, -60_000, -1, 0, 1, 60_000, DAY];
  const parts: fc.Arbitrary<number>[] = [
    fc.tuple(fc.constantFrom(...cutoffs), fc.constantFrom(...deltas)).map(([t, d]) => clamp(t + d)),
    fc.integer({ min: Math.round(-3 * YEAR), max: Math.round(YEAR) }).map((d) => clamp(now + d)),
    fc.tuple(fc.constantFrom(...days), fc.integer({ min: -400, max: 400 }), fc.constantFrom(-1, 0, 1)).map(([t, k, d]) => clamp(t + k * DAY + d)),
  ];
  const wideLo = Math.max(lo, dbSafe ? DB_MIN : 0);
  const wideHi = Math.min(hi, dbSafe ? DB_MAX : 4102444800000);
  if (wideLo <= wideHi) parts.push(fc.integer({ min: wideLo, max: wideHi }));
  if (!dbSafe) parts.push(fc.constantFrom(clamp(lo), clamp(hi), clamp(0), clamp(-1)));
  const accept = (v: number) => Number.isFinite(v) && v >= lo && v <= hi && dateRepr(v, source, zone, constraints.precision ?? null) !== undefined;
  return withFavour(fc.oneof(...parts).filter(accept), constraints.favour, accept);
}
