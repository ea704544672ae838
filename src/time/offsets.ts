/**
 * Time-zone offsets and calendar shifts, fast and exact: the same numbers as @date-fns/tz
 * (`tzOffset`) and date-fns (`addMonths` with `{ in: tz(zone) }`), without asking `Intl` for
 * every instant.
 *
 * Why: `nextChange` evaluates a rules file at many `now` values and works out where calendar
 * cutoffs (`6 months ago` in Europe/Paris) cross a record's dates; each date-fns shift in a zone
 * formats instants with `Intl` a dozen times (20 to 100 µs), which was most of its cost.
 *
 * How: the offset of a zone is cached per UTC day. A day whose first and last millisecond have
 * the same offset is taken to have that offset throughout (the same assumption as
 * `wallClockToEpoch` and the calendar crossings of src/compile/next-change.ts: no two
 * time-zone transitions within one day that cancel out); on a day with one change (daylight
 * saving) the instant of the change is found once by bisection; a day with two is asked of
 * `tzOffset` at each instant. A calendar shift is computed on the wall
 * clock with UTC calendar arithmetic and date-fns's end-of-month clamping, and the wall-clock
 * times are turned back into instants with the steps of @date-fns/tz's TZDate setters (so a time
 * skipped or repeated by daylight saving lands where date-fns puts it). Those steps are
 * reproduced for a host whose own zone is UTC: date-fns also corrects for the host's
 * daylight-saving changes, and on some hosts lands elsewhere in rare cases (seen: Pacific/Apia in
 * the year 46991 on a host in Australia/Lord_Howe); cible's answers do not depend on the host.
 * Offsets with seconds (local mean time, before about 1900) and the ends of the `Date` range are
 * handed to date-fns itself. The property tests in test/time/offsets.test.ts compare the two.
 *
 * Imports only date-fns and @date-fns/tz.
 * @internal
 */
import { addMonths } from "date-fns";
import { tz, tzOffset } from "@date-fns/tz";

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Beyond this magnitude (three days inside the end of a `Date`), shifts go to date-fns. */
const SAFE = 8.64e15 - 3 * DAY;
/** Day entries kept per zone before its cache is emptied (a few centuries of days). */
const LIMIT = 200_000;

/**
 * Per zone: UTC day index → the day's offset in minutes; for a day on which it changes once, the
 * change (the offsets before and after, and the instant of the change), else NaN (asked of
 * `tzOffset` at each instant).
 */
const days = new Map<string, Map<number, number | Change>>();

/** A day with one offset change: `before` until `at` (excluded), `after` from it. */
interface Change {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

function dayOffset(zone: string, day: number): number | Change {
  let cache = days.get(zone);
  if (cache === undefined) {
    if (days.size >= 64) days.clear();
    cache = new Map();
    days.set(zone, cache);
  }
  let o = cache.get(day);
  if (o === undefined) {
    const start = day * DAY;
    const a = tzOffset(zone, new Date(start));
    const b = tzOffset(zone, new Date(start + DAY - 1));
    o = a === b ? a : a === a && b === b ? change(zone, start, a, b) : NaN;
    if (cache.size >= LIMIT) cache.clear();
    cache.set(day, o);
  }
  return o;
}

/**
 * The change of offset within the day `[start, start + DAY)` from `a` to `b`, found by bisection:
 * the first millisecond whose offset is not `a`. Then `[start, at)` has `a` at both ends and
 * `[at, end]` has `b` at both ends, each taken to be steady (the assumption above); when the
 * offset at `at` is not `b` (two changes that day), NaN.
 */
function change(zone: string, start: number, a: number, b: number): Change | number {
  let lo = start;
  let hi = start + DAY - 1;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (tzOffset(zone, new Date(mid)) === a) lo = mid;
    else hi = mid;
  }
  return tzOffset(zone, new Date(hi)) === b ? { at: hi, before: a, after: b } : NaN;
}

/**
 * The offset of `zone` from UTC at the instant `ms`, in minutes: the number @date-fns/tz's
 * `tzOffset(zone, new Date(ms))` gives (fractional for offsets with seconds; NaN for an unknown
 * zone or instant), cached per day.
 *
 * @param zone - an IANA time zone name
 * @param ms - epoch milliseconds
 * @returns minutes east of UTC
 *
 * @example
 * ```ts
 * zoneOffset("Europe/Paris", Date.UTC(2026, 0, 15)); // 60
 * zoneOffset("Europe/Paris", Date.UTC(2026, 6, 15)); // 120
 * ```
 */
export function zoneOffset(zone: string, ms: number): number {
  if (zone === "UTC") return 0;
  if (!(ms >= -8.64e15 && ms <= 8.64e15)) return tzOffset(zone, new Date(ms));
  const o = dayOffset(zone, Math.floor(ms / DAY));
  if (typeof o === "object") return ms < o.at ? o.before : o.after;
  return o === o ? o : tzOffset(zone, new Date(ms));
}

/** The date-fns answer: `addMonths` in the zone (what {@link calendarShift} must equal). @internal */
export function calendarShiftReference(nowMs: number, months: number, zone: string): number {
  return addMonths(nowMs, months, { in: tz(zone) }).getTime();
}

/** Set by {@link wholeOffset} when an offset has seconds (the caller then asks date-fns). */
let fractional = false;

/** {@link zoneOffset}, noting an offset that is not a whole number of minutes. */
function wholeOffset(zone: string, ms: number): number {
  const o = zoneOffset(zone, ms);
  if (!Number.isInteger(o)) fractional = true;
  return o;
}

/**
 * The instant a TZDate lands on when its wall clock is set to `wall` (wall-clock fields as UTC
 * milliseconds): @date-fns/tz's `syncFromInternal` / `adjustToSystemTZ`, step for step, for
 * offsets in whole minutes on a host whose own time zone is UTC (its system-zone corrections are
 * then all zero). A wall-clock time skipped by daylight saving and one that occurs twice come out
 * as date-fns resolves them; on a steady offset it is `wall − offset`.
 */
function landing(zone: string, wall: number): number {
  const offset = wholeOffset(zone, wall);
  let t = wall - offset * MINUTE;
  const postOffset = wholeOffset(zone, t);
  if (postOffset !== offset) {
    const postDiff = offset - postOffset;
    // A skipped time already moved forward by the first step stays there.
    const gap = postOffset > offset && wholeOffset(zone, wall - postOffset * MINUTE) !== postOffset;
    if (!gap) {
      t = wall - postOffset * MINUTE;
      const offsetChange = postOffset - wholeOffset(zone, t);
      if (offsetChange !== 0 && postDiff < 0) t += offsetChange * MINUTE;
    }
  }
  // Small drifts of the wall clock (under 30 minutes) are corrected, as date-fns does.
  const drift = wall - (t + wholeOffset(zone, t) * MINUTE);
  if (drift !== 0 && Math.abs(drift) < 30 * MINUTE) t += drift;
  return t;
}

const scratch = new Date(0);

/**
 * `nowMs` shifted by a number of calendar months in `zone`, exactly as date-fns's `addMonths`
 * with `{ in: tz(zone) }` does it: the wall-clock time is kept, the day of the month is clamped to
 * the end of the target month (31 August − 6 months is 28 or 29 February), a wall-clock time
 * skipped or repeated by daylight saving is resolved as date-fns resolves it. NaN when out of the
 * range of a `Date`.
 *
 * @param nowMs - epoch milliseconds
 * @param months - a whole number of months (negative: into the past; years are twelve months)
 * @param zone - a canonical IANA time zone name
 * @returns epoch milliseconds (not clipped to the `Date` range: the caller does that)
 *
 * @example
 * ```ts
 * calendarShift(Date.UTC(2026, 7, 31, 10), -6, "Europe/Paris"); // Date.UTC(2026, 1, 28, 11)
 * ```
 */
export function calendarShift(nowMs: number, months: number, zone: string): number {
  if (months === 0 || !(nowMs >= -SAFE && nowMs <= SAFE) || !(Math.abs(months) <= 4_000_000)) {
    return calendarShiftReference(nowMs, months, zone);
  }
  fractional = false;
  const wall = nowMs + wholeOffset(zone, nowMs) * MINUTE;
  const d = scratch;
  d.setTime(wall);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  // date-fns: the last day of the target month (day 0 of the month after, same wall-clock time),
  // set in the zone and read back (where it lands may be another day: Kiritimati skipped
  // 31 December 1994).
  d.setUTCFullYear(y, m + months + 1, 0);
  const endWall = d.getTime();
  if (!(endWall >= -SAFE && endWall <= SAFE)) return calendarShiftReference(nowMs, months, zone);
  const end = landing(zone, endWall);
  d.setTime(end + wholeOffset(zone, end) * MINUTE);
  let out = end;
  if (day < d.getUTCDate()) {
    const y2 = d.getUTCFullYear();
    const m2 = d.getUTCMonth();
    d.setTime(wall);
    d.setUTCFullYear(y2, m2, day);
    out = landing(zone, d.getTime());
  }
  return fractional || out !== out ? calendarShiftReference(nowMs, months, zone) : out;
}
