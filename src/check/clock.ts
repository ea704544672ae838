/**
 * The evaluation's clock, read from a context: its time zone (an IANA name, canonicalised;
 * default `UTC`) and its `now` (a `Date`, an ISO-8601 string read in that zone, or epoch
 * milliseconds; default the instant of the call). One reader, with one wording of its errors, for
 * the evaluator and SQL, which must agree on both (LANGUAGE.md §3, "Time"). @internal
 */
import { CibleError } from "../errors/cible-error.js";
import { canonicalTimeZone, toEpochMs } from "../time/cutoffs.js";
import { showValue } from "./params.js";

/** A context's clock, validated. @internal */
export interface Clock {
  /** `now` in epoch milliseconds. */
  readonly nowMs: number;
  /** The canonical IANA time zone. */
  readonly timeZone: string;
}

/**
 * Reads `now` and the time zone of a context.
 *
 * @param ctx - `now` and `timeZone` as the caller gave them
 * @param nowRead - the current instant, when the caller already read the clock
 * @throws CibleError `eval.time-zone` for an unknown time zone, `eval.now` for an invalid `now`
 *
 * @example
 * ```ts
 * readClock({ now: "2026-03-31T12:00:00", timeZone: "Europe/Paris" }).nowMs; // 10:00 UTC
 * ```
 */
export function readClock(ctx: { readonly now?: unknown; readonly timeZone?: unknown } | undefined, nowRead?: number): Clock {
  const zoneIn = ctx?.timeZone;
  let timeZone = "UTC";
  if (zoneIn !== undefined) {
    const z = typeof zoneIn === "string" ? canonicalTimeZone(zoneIn) : undefined;
    if (z === undefined) {
      throw CibleError.of(
        "eval.time-zone",
        `The time zone ${JSON.stringify(String(zoneIn))} is not a known IANA time zone.`,
        'Use a name such as "UTC" or "Europe/Paris".',
      );
    }
    timeZone = z;
  }
  const nowIn = ctx?.now;
  if (nowIn === undefined) return { nowMs: nowRead ?? Date.now(), timeZone };
  const nowMs = toEpochMs(nowIn, timeZone);
  if (nowMs !== nowMs) {
    throw CibleError.of(
      "eval.now",
      `The evaluation time \`now\` is not a valid date (got ${showValue(nowIn)}).`,
      "Pass a Date, an ISO-8601 string or epoch milliseconds.",
    );
  }
  return { nowMs, timeZone };
}

/**
 * The instant and time zone an evaluation with this context uses: `now` read as the evaluator
 * and SQL read it (an ISO text without an offset is a wall-clock time in `timeZone`, a date
 * alone the start of that day there), the zone canonicalised. For hosts that log or show the
 * instant a batch was evaluated at, and for the `cible` command, which must agree with them.
 *
 * @param ctx - `now` (Date, ISO-8601 text or epoch milliseconds; default: this instant) and `timeZone` (default `UTC`)
 * @returns `now` as a `Date`, and the canonical IANA time zone
 * @throws CibleError `eval.time-zone`, `eval.now`
 *
 * @example
 * ```ts
 * resolveClock({ now: "2026-03-31T12:00:00", timeZone: "europe/paris" });
 * // { now: 2026-03-31T10:00:00.000Z, timeZone: "Europe/Paris" }
 * ```
 */
export function resolveClock(ctx?: { readonly now?: Date | string | number; readonly timeZone?: string }): { now: Date; timeZone: string } {
  const c = readClock(ctx);
  return { now: new Date(c.nowMs), timeZone: c.timeZone };
}
