/**
 * Wording of the errors compiling throws (codes documented in docs/errors.md); the clock's
 * (`eval.now`, `eval.time-zone`) are in check/clock.ts, shared with SQL.
 * @internal
 */
import { CibleError } from "../errors/cible-error.js";
import { type Span, WHOLE, error } from "../errors/diagnostic.js";

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
