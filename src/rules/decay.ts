/**
 * Time decay of score points: `+N per P where (e) decaying H% every D by f`.
 * @internal
 */
import type { DurationNode, DurationUnit } from "../ast/nodes.js";

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Length of one unit in milliseconds for decay periods. Minutes to weeks are exact; a decay
 * period is a continuous rate, so months and years use their mean Gregorian length
 * (365.2425 days a year, a twelfth of it a month) rather than calendar steps.
 * @internal
 */
export const UNIT_MS: Readonly<Record<DurationUnit, number>> = Object.freeze({
  minute: MINUTE,
  hour: 60 * MINUTE,
  day: DAY,
  week: 7 * DAY,
  month: (365.2425 / 12) * DAY,
  year: 365.2425 * DAY,
});

/** The length of a decay period in milliseconds. @internal */
export function periodMs(d: Pick<DurationNode, "amount" | "unit">): number {
  return d.amount * UNIT_MS[d.unit];
}

/**
 * The weight of one event: `(1 − percent/100)^(age / period)`, continuous. An event in the future
 * (or now) weighs 1. With `percent = 100` every past event weighs 0.
 *
 * @param ageMs - now minus the event's date, in milliseconds
 * @param percent - the share lost per period, in (0, 100]
 * @param period - the period in milliseconds (> 0)
 * @internal
 */
export function decayWeight(ageMs: number, percent: number, period: number): number {
  if (!(ageMs > 0)) return 1;
  const keep = 1 - percent / 100;
  if (keep <= 0) return 0;
  return keep ** (ageMs / period);
}
