/**
 * Parameter values at evaluation: every `$name` a rule uses is checked against the type the
 * checker inferred for it, and normalised (text in NFC and one of the enum's values, finite
 * numbers, booleans, dates, durations). Shared by the evaluator (compile/) and SQL (sql/), which
 * differ only in how they represent a date and a duration: those two are passed in.
 * @internal
 */
import type { DurationUnit } from "../ast/nodes.js";
import { CibleError } from "../errors/cible-error.js";
import type { ParamType } from "./types.js";
import { nfc } from "../text/unicode.js";

/** How one side represents the values that are not plain JSON scalars. @internal */
export interface ParamReaders<D, U> {
  /** A date parameter in the side's representation, or undefined when `v` is not a valid date. */
  date(v: unknown): D | undefined;
  /** A duration parameter, already validated. */
  duration(amount: number, unit: DurationUnit): U;
}

/** A validated parameter value: a scalar, a date, a duration, or a list of them. @internal */
export type ParamValueOf<D, U> = string | number | boolean | D | U | readonly ParamValueOf<D, U>[];

/**
 * Validates every parameter the rule uses; extra ones are ignored. Lists are frozen copies.
 * @throws CibleError `param.missing`, `param.type`
 * @internal
 */
export function readParams<D, U>(
  given: Readonly<Record<string, unknown>> | undefined,
  types: ReadonlyMap<string, ParamType>,
  readers: ParamReaders<D, U>,
): Map<string, ParamValueOf<D, U>> {
  const out = new Map<string, ParamValueOf<D, U>>();
  const bag = typeof given === "object" && given !== null ? given : undefined;
  for (const [name, type] of types) {
    const raw = bag && Object.hasOwn(bag, name) ? bag[name] : undefined;
    if (raw === undefined) throw paramMissing(name, type);
    if (type.list) {
      if (!Array.isArray(raw)) throw paramType(name, type, raw);
      const items: ParamValueOf<D, U>[] = [];
      for (const item of raw as unknown[]) {
        const v = readOne(item, type, readers);
        if (v === undefined) throw paramType(name, type, item);
        items.push(v);
      }
      out.set(name, Object.freeze(items));
    } else {
      const v = readOne(raw, type, readers);
      if (v === undefined) throw paramType(name, type, raw);
      out.set(name, v);
    }
  }
  return out;
}

function readOne<D, U>(v: unknown, type: ParamType, readers: ParamReaders<D, U>): ParamValueOf<D, U> | undefined {
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
    case "date":
      return readers.date(v);
    case "duration": {
      const d = readDuration(v);
      return d && readers.duration(d.amount, d.unit);
    }
    case "dateOrDuration": {
      // Never both: a date is a Date, epoch milliseconds or an ISO-8601 text; a duration is
      // "6 months" or { amount, unit }.
      const d = readDuration(v);
      return d ? readers.duration(d.amount, d.unit) : readers.date(v);
    }
  }
}

const UNITS: Record<string, DurationUnit> = {
  minute: "minute", minutes: "minute", hour: "hour", hours: "hour", day: "day", days: "day",
  week: "week", weeks: "week", month: "month", months: "month", year: "year", years: "year",
};

/** `"6 months"` or `{ amount: 6, unit: "month" }`: a non-negative integer and a known unit. @internal */
export function readDuration(v: unknown): { amount: number; unit: DurationUnit } | undefined {
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
  return { amount, unit: UNITS[unit]! };
}

// --- Wording (codes documented in docs/errors.md) ---------------------------------------------

const DATE_WORDS = "a date (Date, ISO-8601 string or epoch milliseconds)";
const DURATION_WORDS = 'a duration (such as "6 months" or { amount: 6, unit: "month" })';

function describeParam(t: ParamType): string {
  const base =
    t.enumValues && t.enumValues.length
      ? `one of ${t.enumValues.map((v) => JSON.stringify(v)).join(", ")}`
      : t.kind === "string"
        ? "a string"
        : t.kind === "number"
          ? "a finite number"
          : t.kind === "boolean"
            ? "true or false"
            : t.kind === "date"
              ? DATE_WORDS
              : t.kind === "duration"
                ? DURATION_WORDS
                : `${DATE_WORDS} or ${DURATION_WORDS}`;
  return t.list ? `a list whose items are each ${base}` : base;
}

/** A short, safe description of a value a caller passed, for messages. @internal */
export function showValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (v instanceof Date) return "an invalid Date";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "number") return String(v);
  return `a value of type ${typeof v}`;
}

function paramMissing(name: string, t: ParamType): CibleError {
  return CibleError.of("param.missing", `The parameter $${name} has no value in \`params\`.`, `Pass ${describeParam(t)}.`);
}

function paramType(name: string, t: ParamType, got: unknown): CibleError {
  return CibleError.of("param.type", `The parameter $${name} must be ${describeParam(t)}, got ${showValue(got)}.`);
}

/**
 * Two bounds of one date range given as parameters (`f between $a and $b`), one a date and the
 * other a duration: like the literals, both dates (an interval) or both durations (an age range).
 * @internal
 */
export function paramMixedBounds(lo: string, hi: string): CibleError {
  return CibleError.of(
    "param.type",
    `The parameters $${lo} and $${hi} bound one range of dates: both must be dates (an interval) or both durations (an age range), got a date and a duration.`,
    'Pass two dates ("2026-01-01") or two durations ("3 months").',
  );
}

/**
 * The period of a decaying score given as a parameter (`every $halfLife`) is zero: as the literal
 * `every 0 days` (rules.decay-period), refused; the parameter's type alone cannot say it.
 * @internal
 */
export function paramDecayPeriod(name: string, d: { amount: number; unit: DurationUnit }): CibleError {
  return CibleError.of(
    "param.type",
    `The parameter $${name} is the period of a decaying score: it must be a duration longer than zero, got ${d.amount} ${d.unit}s.`,
    'Pass a duration such as "30 days".',
  );
}
