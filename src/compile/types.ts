/**
 * Public shapes of evaluation: the context every evaluation takes, the explanation tree, and the
 * compiled segment. Kept free of implementation so that `cible` and `cible/runtime` share them.
 */
import type { ExpressionDocument } from "../ast/nodes.js";

/**
 * What one evaluation needs besides the record.
 *
 * - `now`: the instant relative dates count from (default: the instant the call starts, the same
 *   for every record of a `filter`). A `Date`, an ISO-8601 string or epoch milliseconds.
 * - `timeZone`: an IANA name (default `"UTC"`); governs calendar months and years and date-only
 *   literals and data.
 * - `params`: values for `$name` parameters.
 * - `previous`: a lifecycle's previous stage (rules files).
 */
export interface EvalContext {
  now?: Date | string | number;
  timeZone?: string;
  params?: Record<string, unknown>;
  previous?: string | Record<string, string>;
}

/** Three-valued result: `null` is unknown (a missing or wrongly typed value was involved). */
export type Truth = true | false | null;

/**
 * Why a rule gave its result on one record: one node per sub-expression, with its canonical
 * text, its three-valued result and the value it read from the record.
 */
export interface Explanation {
  text: string;
  result: Truth;
  value?: unknown;
  /**
   * The canonical text of what `value` was read from (`sector`, `count(purchases)`, `@lead`),
   * present when `value` is; `explainText` prints it as `(sector: "santé")`.
   */
  subject?: string;
  children: Explanation[];
}

/**
 * A compiled rule over records of type `T`. Build one with `compile` (from text) or `fromAST`
 * (from a stored AST).
 */
export interface Segment<T = Record<string, unknown>> {
  /** The source text (for `fromAST`, the canonical text of the AST). */
  readonly source: string;
  /** The JSON AST (serialisable, versioned). */
  readonly ast: ExpressionDocument;
  /** True only when the rule is TRUE for the record (unknown counts as not selected). */
  test(record: T, ctx?: EvalContext): boolean;
  /** The three-valued result: `true`, `false` or `null` (unknown). */
  evaluate(record: T, ctx?: EvalContext): Truth;
  /** The records for which `test` is true, in order; `now` is read once for the whole batch. */
  filter(records: readonly T[], ctx?: EvalContext): T[];
  /** The explanation tree of the rule on one record. */
  explain(record: T, ctx?: EvalContext): Explanation;
  /** Canonical text, equal to `format(source)`. */
  toString(): string;
}
