/**
 * How the kit writes dates into records (a `Date`, an ISO date-time string, an ISO date string)
 * and reads them back with the evaluator's own rules (compile/dates.ts), so that a candidate
 * instant and the value the segment sees are always the same.
 * @internal
 */
import { TZDate } from "@date-fns/tz";
import { MAX_TIME, canonicalTimeZone, shiftEpoch, toEpoch } from "../compile/dates.js";
import type { DurationUnit } from "../ast/nodes.js";
import { messages } from "./messages.js";

export { shiftEpoch, toEpoch, MAX_TIME };

/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the range of 4-digit ISO years. */
export const ISO_MIN = -62167219200000;
export const ISO_MAX = 253402300799999;

/** Years 1900 to 2200: what every database timestamp type stores. */
export const DB_MIN = -2208988800000;
export const DB_MAX = 7258118400000;

/** A date's representation in records. */
export type DateSource = "date" | "datetime-string" | "date-string";

/** `now` as epoch milliseconds; `undefined` gives the current instant. */
export function resolveNow(now: Date | string | number | undefined, name = "now"): number {
  if (now === undefined) return Date.now();
  const ms = toEpoch(now, "UTC");
  if (ms !== ms) throw messages.badConstraint(name, now instanceof Date ? "an invalid Date" : now, "a Date, an ISO-8601 string or epoch milliseconds");
  return ms;
}

/** The time zone, checked; default `UTC`. */
export function resolveTimeZone(zone: string | undefined): string {
  if (zone === undefined) return "UTC";
  const z = canonicalTimeZone(zone);
  if (!z) throw messages.badConstraint("timeZone", zone, "an IANA time zone such as \"Europe/Paris\"");
  return z;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Calendar parts of `ms` in `zone`. */
function partsIn(ms: number, zone: string): { y: number; mo: number; d: number } {
  if (zone === "UTC") {
    const d = new Date(ms);
    return { y: d.getUTCFullYear(), mo: d.getUTCMonth(), d: d.getUTCDate() };
  }
  const d = new TZDate(ms, zone);
  return { y: d.getFullYear(), mo: d.getMonth(), d: d.getDate() };
}

/** The ISO text of `ms` with `precision` digits of fraction (`null`: milliseconds; `-1`: minutes). */
function isoText(ms: number, precision: number | null): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  if (precision === null || precision === 3) return iso;
  if (precision === -1) return `${iso.slice(0, 16)}Z`;
  if (precision === 0) return `${iso.slice(0, 19)}Z`;
  if (precision < 3) return `${iso.slice(0, 20 + precision)}Z`;
  return `${iso.slice(0, 23)}${"0".repeat(precision - 3)}Z`;
}

/** The record value for instant `ms`, or `undefined` when that representation cannot hold it. */
export function dateRepr(ms: number, source: DateSource, zone: string, precision: number | null = null): Date | string | undefined {
  if (!Number.isFinite(ms) || ms < -MAX_TIME || ms > MAX_TIME) return undefined;
  if (source === "date") return new Date(ms);
  if (ms < ISO_MIN || ms > ISO_MAX) return undefined;
  if (source === "datetime-string") return isoText(ms, precision);
  const p = partsIn(ms, zone);
  if (p.y < 0 || p.y > 9999) return undefined;
  return `${pad(p.y, 4)}-${pad(p.mo + 1)}-${pad(p.d)}`;
}

/** The instant the evaluator reads from instant `ms` written as `source` (a date string: its day's start). */
export function roundTrip(ms: number, source: DateSource, zone: string, precision: number | null = null): number {
  const r = dateRepr(ms, source, zone, precision);
  return r === undefined ? NaN : toEpoch(r, zone);
}

/** `now` minus (sign −1) or plus (sign 1) a duration, as the evaluator computes it. */
export function shift(nowMs: number, amount: number, unit: DurationUnit, sign: 1 | -1, zone: string): number {
  return shiftEpoch(nowMs, amount, unit, sign, zone);
}

/** The first instant of the day holding `ms` in `zone`, and of the next day. */
export function dayBounds(ms: number, zone: string): [number, number] {
  const p = partsIn(ms, zone);
  const text = `${pad(Math.max(0, p.y), 4)}-${pad(p.mo + 1)}-${pad(p.d)}`;
  const start = toEpoch(text, zone);
  const next = shiftEpoch(start, 1, "day", 1, zone);
  // Days are calendar days: across a daylight-saving change the next day starts 23 or 25 hours later.
  const p2 = partsIn(next, zone);
  const nextText = `${pad(Math.max(0, p2.y), 4)}-${pad(p2.mo + 1)}-${pad(p2.d)}`;
  const nextStart = toEpoch(nextText, zone);
  return [start, nextStart > start ? nextStart : next];
}
