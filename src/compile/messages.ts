/**
 * Wording of the runtime errors the evaluator throws (codes documented in docs/errors.md).
 * @internal
 */
import { CibleError } from "../errors/cible-error.js";
import { type Span, WHOLE, error } from "../errors/diagnostic.js";
import { showValue } from "../check/params.js";

/**
 * A part of a rule that compiling met without the checker's facts for it: a bug in cible (the
 * law "check accepts ⇒ compile accepts" is tested), reported as a `CibleError` at that part,
 * never as a plain `Error`.
 * @internal
 */
export function unchecked(what: string, span: Span | undefined): CibleError {
  return new CibleError([
    error(
      "compile.unchecked",
      `cible could not compile this part of the rule: ${what}.`,
      span ?? WHOLE,
      "This is a bug in cible: the checker accepted the rule. Please report it with the rule and the schema.",
    ),
  ]);
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
      `The evaluation time \`now\` is not a valid date (got ${showValue(now)}).`,
      "Pass a Date, an ISO-8601 string or epoch milliseconds.",
    ),
};
