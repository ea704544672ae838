/**
 * The `params` option of `toSQL`, validated and normalised by the same code as the evaluator's
 * (src/check/params.ts); only SQL's representation of dates and durations is chosen here.
 * @internal
 */
import type { DurationUnit } from "../ast/nodes.js";
import { readParams as readParamValues } from "../check/params.js";
import type { ParamType } from "../check/types.js";
import { MAX_TIME, dayStart, nextDayStart, parseIso, toEpochMs } from "../time/cutoffs.js";

/** A date value: an instant (`lo === hi`) or a whole day `[lo, hi)`; `NaN` bounds when unknown. */
export interface DateValue {
  readonly kind: "date";
  readonly lo: number;
  readonly hi: number;
  readonly day: boolean;
}

export interface DurationValue {
  readonly kind: "duration";
  readonly amount: number;
  readonly unit: DurationUnit;
}

export type ParamValue = string | number | boolean | DateValue | DurationValue | readonly ParamValue[];

/** An instant as a {@link DateValue}. */
export function instantValue(t: number): DateValue {
  return { kind: "date", lo: t, hi: t, day: false };
}

/** The date value of an ISO text: a whole day for a date-only text, else one instant. */
export function isoDateValue(text: string, zone: string): DateValue {
  const p = parseIso(text);
  if (!p) return { kind: "date", lo: NaN, hi: NaN, day: false };
  if (p.dateOnly) return { kind: "date", lo: dayStart(text, zone), hi: nextDayStart(text, zone), day: true };
  return instantValue(toEpochMs(text, zone));
}

/**
 * Validates every parameter the rule uses; extra ones are ignored. Dates are {@link DateValue}s
 * (a date-only text is that whole day), durations carry `kind: "duration"`.
 * @throws CibleError `param.missing`, `param.type`
 */
export function readParams(
  given: Readonly<Record<string, unknown>> | undefined,
  types: ReadonlyMap<string, ParamType>,
  zone: string,
): Map<string, ParamValue> {
  return readParamValues<DateValue, DurationValue>(given, types, {
    date(v) {
      if (typeof v === "string") {
        if (!parseIso(v)) return undefined;
        const d = isoDateValue(v, zone);
        return d.lo === d.lo ? d : undefined;
      }
      const t = toEpochMs(v, zone);
      return t === t && t >= -MAX_TIME && t <= MAX_TIME ? instantValue(t) : undefined;
    },
    duration: (amount, unit) => ({ kind: "duration", amount, unit }),
  });
}
