import { type Diagnostic, WHOLE, error } from "./diagnostic.js";
import { formatDiagnostic } from "./frame.js";

/**
 * The one error type cible throws for bad rules, bad ASTs and bad evaluation inputs.
 * It carries every diagnostic found, not only the first; its message lists them with positions
 * (and code frames when the source is known).
 *
 * @example
 * ```ts
 * try {
 *   compile('sectr = "santé"', Contact);
 * } catch (e) {
 *   if (e instanceof CibleError) console.log(e.diagnostics[0].code); // "field.unknown"
 * }
 * ```
 */
export class CibleError extends Error {
  /** Every finding, errors first in source order, then warnings. */
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[], source?: string) {
    const list = diagnostics.length ? diagnostics : [error("internal", "Unknown error.", WHOLE)];
    super(list.map((d) => formatDiagnostic(d, source)).join("\n"));
    this.name = "CibleError";
    this.diagnostics = list;
  }

  /** A CibleError with one diagnostic that has no position in a rule (evaluation inputs). @internal */
  static of(code: string, message: string, hint?: string): CibleError {
    return new CibleError([error(code, message, WHOLE, hint)]);
  }
}
