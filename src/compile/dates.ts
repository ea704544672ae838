/**
 * Date helpers of the evaluator. The arithmetic itself (ISO-8601 reading in a time zone, calendar
 * months and years with date-fns and @date-fns/tz, exact minutes to weeks, wall-clock times) lives
 * in src/time, shared with the SQL compiler so both compute the same cutoffs; this file adds the
 * half-open intervals every date comparison is compiled to.
 *
 * Every instant is a number of epoch milliseconds; `NaN` stands for "unknown".
 * @internal
 */
import type { DurationUnit } from "../ast/nodes.js";
import {
  MAX_TIME,
  canonicalTimeZone,
  dateTime,
  dayStart,
  nextDayStart,
  parseIso,
  parseLiteralInstant,
  shiftInstant,
  toEpochMs,
  wallClockToEpoch,
} from "../time/cutoffs.js";

export { MAX_TIME, canonicalTimeZone, dateTime, parseIso, wallClockToEpoch };

/**
 * The first instant of an ISO text in `zone` (a date-only text: the start of that day; a
 * date-time without offset: that wall-clock time in `zone`), or `NaN` when it is not a valid
 * ISO-8601 date.
 * @internal
 */
export function isoToEpoch(text: string, zone: string): number {
  return parseLiteralInstant(text, zone);
}

/**
 * A runtime date value as epoch milliseconds: a valid `Date`, an ISO-8601 string (read in `zone`
 * when it has no offset) or a finite number of milliseconds within the `Date` range. Anything
 * else (invalid `Date`, `NaN`, other types, unparseable text, a Proxy) is `NaN`: unknown. Calls
 * no method, getter or trap of the value (see `dateTime`).
 * @internal
 */
export function toEpoch(v: unknown, zone: string): number {
  return toEpochMs(v, zone);
}

/**
 * `now` shifted by a duration (`sign` -1: into the past): minutes to weeks exactly, months and
 * years with calendar arithmetic in `zone`. `NaN` when out of the `Date` range.
 * @internal
 */
export function shiftEpoch(nowMs: number, amount: number, unit: DurationUnit, sign: 1 | -1, zone: string): number {
  return shiftInstant(nowMs, amount, unit, sign < 0 ? "ago" : "fromNow", zone);
}

// ---------------------------------------------------------------------------------------------
// Intervals
// ---------------------------------------------------------------------------------------------

/**
 * A date operand as a half-open interval of instants `[lo, hi)`: a day is
 * [its first instant, the next day's first instant); an instant `t` is `[t, nextUp(t))`, which
 * holds exactly `t`. Every comparison then reads the same way:
 * `< D` ⇔ `f < lo`, `<= D` ⇔ `f < hi`, `> D` ⇔ `f >= hi`, `>= D` ⇔ `f >= lo`,
 * `= D` ⇔ `lo <= f < hi`. Unknown: both `NaN`.
 * @internal
 */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The smallest double greater than `x` (for finite `x`). @internal */
export function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x > 0 ? u64[0]! + 1n : u64[0]! - 1n;
  return f64[0]!;
}

/** The interval holding exactly the instant `t`. @internal */
export function instant(t: number): Interval {
  return t === t ? { lo: t, hi: nextUp(t) } : UNKNOWN_INTERVAL;
}

/**
 * The instants `within last d` (`[now − d, now]`) or `within next d` (`[now, now + d]`) selects,
 * as a half-open interval; `shifted` is `now ∓ d`. Shared with the testing kit's solver.
 * @internal
 */
export function withinInterval(direction: "last" | "next", nowMs: number, shifted: number): Interval {
  return direction === "last" ? { lo: shifted, hi: instant(nowMs).hi } : { lo: nowMs, hi: instant(shifted).hi };
}

/** The interval of an unknown date. @internal */
export const UNKNOWN_INTERVAL: Interval = Object.freeze({ lo: NaN, hi: NaN });

/**
 * The interval an ISO text stands for in `zone`: a whole day for a date-only text, the instant
 * otherwise.
 * @internal
 */
export function isoInterval(text: string, zone: string): Interval {
  const p = parseIso(text);
  if (!p) return UNKNOWN_INTERVAL;
  if (p.dateOnly) {
    const lo = dayStart(text, zone);
    const hi = nextDayStart(text, zone);
    return lo === lo && hi === hi ? { lo, hi } : UNKNOWN_INTERVAL;
  }
  return instant(isoToEpoch(text, zone));
}
