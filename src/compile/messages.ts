/**
 * Wording of the runtime errors the evaluator throws (codes documented in docs/errors.md).
 * @internal
 */
import { CibleError } from "../errors/cible-error.js";
import { showValue } from "../check/params.js";

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
