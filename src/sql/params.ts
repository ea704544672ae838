/**
 * The `params` option of `toSQL`, validated and normalised exactly as the evaluator does it
 * (src/compile/run.ts): strings in NFC (and one of the enum's values), finite numbers, booleans,
 * dates (a date-only string is that whole day, anything else one instant), durations.
 * @internal
 */
import type { DurationUnit } from "../ast/nodes.js";
import type { ParamType } from "../check/types.js";
import { MAX_TIME, dayStart, nextDayStart, parseIso, toEpochMs } from "../time/cutoffs.js";
import { sqlMessages } from "./messages.js";

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

const UNITS: Record<string, DurationUnit> = {
  minute: "minute", minutes: "minute", hour: "hour", hours: "hour", day: "day", days: "day",
  week: "week", weeks: "week", month: "month", months: "month", year: "year", years: "year",
};

function nfc(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x300) return s.normalize("NFC");
  return s;
}

function readDuration(v: unknown): DurationValue | undefined {
  let amount: unknown;
  let unit: unknown;
  if (typeof v === "string") {
    const m = /^\s*(\d{1,9})\s*([a-z]+)\s*$/i.exec(v);
    if (!m) return undefined;
    amount = Number(m[1]);
    unit = m[2]!.toLowerCase();
  } else if (typeof v === "object" && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    amount = Object.hasOwn(o, "amount") ? o.amount : undefined;
    unit = Object.hasOwn(o, "unit") ? o.unit : undefined;
  } else return undefined;
  if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 0) return undefined;
  if (typeof unit !== "string" || !Object.hasOwn(UNITS, unit)) return undefined;
  return { kind: "duration", amount, unit: UNITS[unit]! };
}

function readOne(v: unknown, type: ParamType, zone: string): ParamValue | undefined {
  switch (type.kind) {
    case "string": {
      if (typeof v !== "string") return undefined;
      const s = nfc(v);
      if (type.enumValues && !type.enumValues.includes(s)) return undefined;
      return s;
    }
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? v : undefined;
    case "boolean":
      return typeof v === "boolean" ? v : undefined;
    case "date": {
      if (typeof v === "string") {
        if (!parseIso(v)) return undefined;
        const d = isoDateValue(v, zone);
        return d.lo === d.lo ? d : undefined;
      }
      const t = toEpochMs(v, zone);
      return t === t && t >= -MAX_TIME && t <= MAX_TIME ? instantValue(t) : undefined;
    }
    case "duration":
      return readDuration(v);
  }
}

/**
 * Validates every parameter the rule uses; extra ones are ignored.
 * @throws CibleError `param.missing`, `param.type`
 */
export function readParams(
  given: Readonly<Record<string, unknown>> | undefined,
  types: ReadonlyMap<string, ParamType>,
  zone: string,
): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  const bag = typeof given === "object" && given !== null ? given : undefined;
  for (const [name, type] of types) {
    const raw = bag && Object.hasOwn(bag, name) ? bag[name] : undefined;
    if (raw === undefined) throw sqlMessages.paramMissing(name, type);
    if (type.list) {
      if (!Array.isArray(raw)) throw sqlMessages.paramType(name, type, raw);
      const items: ParamValue[] = [];
      for (const item of raw as unknown[]) {
        const v = readOne(item, type, zone);
        if (v === undefined) throw sqlMessages.paramType(name, type, item);
        items.push(v);
      }
      out.set(name, items);
    } else {
      const v = readOne(raw, type, zone);
      if (v === undefined) throw sqlMessages.paramType(name, type, raw);
      out.set(name, v);
    }
  }
  return out;
}
