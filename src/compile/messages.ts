/**
 * Wording of the runtime errors the evaluator throws (codes documented in docs/errors.md).
 * @internal
 */
import { CibleError } from "../errors/cible-error.js";
import type { ParamType } from "../check/types.js";

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
              ? "a date (Date, ISO-8601 string or epoch milliseconds)"
              : 'a duration (such as "6 months" or { amount: 6, unit: "month" })';
  return t.list ? `a list whose items are each ${base}` : base;
}

function show(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (v instanceof Date) return "an invalid Date";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "number") return String(v);
  return `a value of type ${typeof v}`;
}

/** @internal */
export const messages = {
  timeZone: (zone: unknown) =>
    CibleError.of(
      "eval.time-zone",
      `The time zone ${JSON.stringify(String(zone))} is not a known IANA time zone.`,
      'Use a name such as "UTC" or "Europe/Paris".',
    ),
  now: (now: unknown) =>
    CibleError.of(
      "eval.now",
      `The evaluation time \`now\` is not a valid date (got ${show(now)}).`,
      "Pass a Date, an ISO-8601 string or epoch milliseconds.",
    ),
  paramMissing: (name: string, t: ParamType) =>
    CibleError.of("param.missing", `The parameter $${name} has no value in \`params\`.`, `Pass ${describeParam(t)}.`),
  paramType: (name: string, t: ParamType, got: unknown) =>
    CibleError.of(
      "param.type",
      `The parameter $${name} must be ${describeParam(t)}, got ${show(got)}.`,
    ),
};
