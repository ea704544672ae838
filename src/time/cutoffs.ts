/**
 * Date cutoffs shared by the JavaScript evaluator and the SQL compiler, so that both compute
 * `now − 6 months` in a time zone, the first instant of a day, and an ISO literal's instant with
 * the same code (date-fns's calendar arithmetic with @date-fns/tz for months and years, computed
 * fast by offsets.ts; milliseconds for minutes to weeks).
 *
 * Every instant is a number of epoch milliseconds; `NaN` stands for "unknown" (an invalid text, a
 * result outside the range of a `Date`). Imports only offsets.ts (date-fns and @date-fns/tz).
 * @internal
 */
import { calendarShift, zoneOffset } from "./offsets.js";

/** Units of a duration (same spelling as the AST's `DurationUnit`). */
export type CutoffUnit = "minute" | "hour" | "day" | "week" | "month" | "year";

/** The largest magnitude of a valid `Date` time value (ECMAScript: ±8.64e15 ms). */
export const MAX_TIME = 8.64e15;

/** Milliseconds of the exact units. Months and years have none: they are calendar arithmetic. */
export const UNIT_MS: Readonly<Record<Exclude<CutoffUnit, "month" | "year">, number>> = Object.freeze({
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
});

// ---------------------------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------------------------

const zoneCache = new Map<string, string | null>();

/**
 * The canonical IANA name of a time zone (`"europe/paris"` → `"Europe/Paris"`; `"Etc/UTC"`,
 * `"GMT"` → `"UTC"`), or `undefined` when the runtime does not know it.
 *
 * @param zone - an IANA time zone name
 * @returns the canonical name, or `undefined`
 *
 * @example
 * ```ts
 * canonicalTimeZone("europe/paris"); // "Europe/Paris"
 * canonicalTimeZone("Mars/Olympus"); // undefined
 * ```
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (zone === "UTC") return "UTC";
  let hit = zoneCache.get(zone);
  if (hit === undefined) {
    try {
      hit = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
      if (hit === "Etc/UTC" || hit === "Etc/GMT" || hit === "GMT" || hit === "UTC") hit = "UTC";
    } catch {
      hit = null;
    }
    if (zoneCache.size > 1000) zoneCache.clear();
    zoneCache.set(zone, hit);
  }
  return hit ?? undefined;
}

/** Offset of `zone` from UTC at instant `ms`, in milliseconds. */
function offsetMs(zone: string, ms: number): number {
  return Math.round(zoneOffset(zone, ms) * 60_000);
}

/** `Date.UTC` without its mapping of years 0–99 to 1900–1999. */
function utcWall(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (y >= 100 || y < 0) return Date.UTC(y, mo, d, h, mi, s, ms);
  const date = new Date(0);
  date.setUTCFullYear(y, mo, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/**
 * The instant at which the wall clock of `zone` shows the given local time (month 0-based; day
 * and month may overflow as with `Date.UTC`). A time skipped when daylight saving starts is moved
 * forward by the gap; a time that occurs twice takes the earlier instant (Temporal's
 * "compatible" disambiguation).
 *
 * @example
 * ```ts
 * wallClockToEpoch("Europe/Paris", 2026, 0, 1); // Date.UTC(2025, 11, 31, 23)
 * ```
 */
export function wallClockToEpoch(
  zone: string,
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  ms = 0,
): number {
  const wall = utcWall(y, mo, d, h, mi, s, ms);
  if (zone === "UTC" || wall !== wall) return wall;
  const before = offsetMs(zone, wall - 86_400_000);
  const after = offsetMs(zone, wall + 86_400_000);
  if (before === after) return wall - before;
  const tBefore = wall - before;
  const tAfter = wall - after;
  const okBefore = offsetMs(zone, tBefore) === before;
  const okAfter = offsetMs(zone, tAfter) === after;
  if (okBefore && okAfter) return Math.min(tBefore, tAfter);
  if (okBefore) return tBefore;
  if (okAfter) return tAfter;
  return tBefore;
}

// ---------------------------------------------------------------------------------------------
// ISO-8601
// ---------------------------------------------------------------------------------------------

/** Parsed pieces of an ISO-8601 date or date-time. */
export interface IsoParts {
  readonly y: number;
  /** 0-based. */
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  readonly ms: number;
  /** True for `YYYY-MM-DD` alone. */
  readonly dateOnly: boolean;
  /** Offset from UTC in milliseconds, or `undefined` when the text has none (local time). */
  readonly offset: number | undefined;
}

const ISO =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

function daysInMonth(y: number, mo: number): number {
  return mo === 1 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo]!;
}

/**
 * Reads an ISO-8601 date (`2024-01-15`) or date-time (`2024-01-15T09:30`, `…:00`, `…:00.123`,
 * with `Z`, `+02:00`, `+0200`, `+02` or no offset; a space may stand for `T`). Anything else, or
 * an impossible date (`2023-02-29`, `24:00`), gives `undefined`.
 *
 * @example
 * ```ts
 * parseIso("2024-01-15")?.dateOnly; // true
 * parseIso("2023-02-29");           // undefined
 * ```
 */
export function parseIso(text: string): IsoParts | undefined {
  if (text.length > 40) return undefined;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  const d = Number(m[3]);
  if (mo < 0 || mo > 11 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (m[4] === undefined) return { y, mo, d, h: 0, mi: 0, s: 0, ms: 0, dateOnly: true, offset: undefined };
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  let offset: number | undefined;
  if (m[8] !== undefined) offset = 0;
  else if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offset = (m[9] === "-" ? -1 : 1) * (oh * 3_600_000 + om * 60_000);
  }
  return { y, mo, d, h, mi, s, ms, dateOnly: false, offset };
}

function inRange(t: number): number {
  return t >= -MAX_TIME && t <= MAX_TIME ? t : NaN;
}

/**
 * The instant an ISO-8601 text stands for in `timeZone`: a date-time with an offset is that
 * instant; one without an offset is that wall-clock time in `timeZone`; a date-only text is the
 * first instant of that day there. `NaN` for anything that is not a valid ISO-8601 date.
 *
 * @param text - an ISO-8601 date or date-time
 * @param timeZone - a canonical IANA name (see {@link canonicalTimeZone})
 * @returns epoch milliseconds, or `NaN`
 *
 * @example
 * ```ts
 * parseLiteralInstant("2024-01-15T09:30:00Z", "UTC");   // Date.UTC(2024, 0, 15, 9, 30)
 * parseLiteralInstant("2024-01-15T09:30", "Europe/Paris"); // Date.UTC(2024, 0, 15, 8, 30)
 * ```
 */
export function parseLiteralInstant(text: string, timeZone: string): number {
  const p = parseIso(text);
  if (!p) return NaN;
  let t: number;
  if (p.offset !== undefined) t = utcWall(p.y, p.mo, p.d, p.h, p.mi, p.s, 0) - p.offset + p.ms;
  else t = wallClockToEpoch(timeZone, p.y, p.mo, p.d, p.h, p.mi, p.s, 0) + p.ms;
  return inRange(t);
}

/**
 * The first instant of the day a date-only text (`2026-12-01`) names, in `timeZone`. `NaN` when
 * the text is not a valid `YYYY-MM-DD` date.
 *
 * @example
 * ```ts
 * dayStart("2026-12-01", "Europe/Paris"); // Date.UTC(2026, 10, 30, 23)
 * ```
 */
export function dayStart(dateText: string, timeZone: string): number {
  const p = parseIso(dateText);
  if (!p || !p.dateOnly) return NaN;
  return inRange(wallClockToEpoch(timeZone, p.y, p.mo, p.d));
}

/**
 * The first instant of the day after the one a date-only text names, in `timeZone`: the end
 * (excluded) of that day. A day is 23 or 25 hours long when daylight saving changes.
 *
 * @example
 * ```ts
 * nextDayStart("2026-03-29", "Europe/Paris") - dayStart("2026-03-29", "Europe/Paris"); // 23 hours
 * ```
 */
export function nextDayStart(dateText: string, timeZone: string): number {
  const p = parseIso(dateText);
  if (!p || !p.dateOnly) return NaN;
  return inRange(wallClockToEpoch(timeZone, p.y, p.mo, p.d + 1));
}

/**
 * `now` shifted by a duration: minutes to weeks exactly (`amount × unit`, a day is 24 hours),
 * months and years by calendar arithmetic in `timeZone` (date-fns: 31 August − 6 months is 28 or
 * 29 February, wall-clock time kept).
 *
 * @param nowMs - the evaluation's `now`, epoch milliseconds
 * @param amount - a non-negative integer
 * @param unit - the duration's unit
 * @param direction - `"ago"` (into the past) or `"fromNow"` (into the future)
 * @param timeZone - a canonical IANA name
 * @returns epoch milliseconds, or `NaN` when out of the `Date` range
 *
 * @example
 * ```ts
 * shiftInstant(Date.UTC(2026, 7, 31), 6, "month", "ago", "UTC"); // Date.UTC(2026, 1, 28)
 * ```
 */
export function shiftInstant(
  nowMs: number,
  amount: number,
  unit: CutoffUnit,
  direction: "ago" | "fromNow",
  timeZone: string,
): number {
  if (unit === "month" || unit === "year") {
    // date-fns's addMonths / subYears in the zone, computed without asking Intl each time (offsets.ts).
    const months = (unit === "year" ? amount * 12 : amount) * (direction === "ago" ? -1 : 1);
    return inRange(calendarShift(nowMs, months, timeZone));
  }
  const t = nowMs + (direction === "ago" ? -1 : 1) * amount * UNIT_MS[unit];
  return inRange(t);
}

/**
 * A runtime date value as epoch milliseconds, as the evaluator reads record fields: a valid
 * `Date`, an ISO-8601 string (read in `timeZone` when it has no offset; a date-only string is the
 * first instant of that day) or a finite number of milliseconds within the `Date` range. Anything
 * else is `NaN` (unknown). SQL loaders use it to store the same instant.
 *
 * @example
 * ```ts
 * toEpochMs("2024-01-15", "UTC"); // Date.UTC(2024, 0, 15)
 * toEpochMs("yesterday", "UTC");  // NaN
 * ```
 */
export function toEpochMs(v: unknown, timeZone: string): number {
  if (typeof v === "object") return v === null ? NaN : dateTime(v);
  if (typeof v === "number") return v >= -MAX_TIME && v <= MAX_TIME ? v : NaN;
  if (typeof v === "string") return parseLiteralInstant(v, timeZone);
  return NaN;
}

const getTime = Date.prototype.getTime;

/**
 * The time value of a `Date` (of any realm, or a subclass), `NaN` for any other object. Calls
 * nothing the object could intercept: no `instanceof` (a Proxy's `getPrototypeOf` trap), no
 * `Object.prototype.toString` (a `Symbol.toStringTag` getter), no `valueOf`; `getTime` reads the
 * internal time slot, and throws (caught) for an object without one, a Proxy included.
 *
 * @example
 * ```ts
 * dateTime(new Date(0));                         // 0
 * dateTime({ [Symbol.toStringTag]: "Date" });    // NaN
 * ```
 */
export function dateTime(v: object): number {
  try {
    return getTime.call(v as Date);
  } catch {
    return NaN;
  }
}
