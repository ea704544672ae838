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
  /**
   * When the passage of time alone may change the record's result: the earliest instant after
   * `ctx.now` at which `evaluate(record, { ...ctx, now: t })` differs from its value at `ctx.now`,
   * or `null` when no passage of time can change it (no relative date in the rule, only fixed
   * dates, or parts whose changes cancel out: `createdAt < 30 days or createdAt > 20 days`).
   *
   * Guarantee: for every `t` in `[ctx.now, nextChange)` the result equals the result at
   * `ctx.now`. The instant is exact (the result does change there) for ages, `ago` / `from now`,
   * `within`, counts, sums and quantifiers over elements in windows, and `and` / `or` / `not` of
   * those, three-valued; the rare cases where it may be earlier are listed in docs/time.md
   * ("When membership changes by time alone"). Whole milliseconds; calendar months and years,
   * time zones and daylight saving follow the evaluator's own arithmetic. On the segments,
   * channels and reach of a rules file it follows the `@references` (scores, stages, other
   * segments) and decaying scores' crossings (docs/time.md, "Rules files").
   *
   * @throws CibleError `eval.next-change-decay` on a rules file's segment that depends on a
   *   decaying score read other than against a number, or with decaying rules of both signs
   *
   * @example
   * ```ts
   * const seg = compile("lastPurchase < 6 months", Contact);
   * seg.nextChange({ lastPurchase: new Date("2026-05-22T10:00:00Z") }, { now: "2026-11-01T00:00:00Z" });
   * // 2026-11-22T10:00:00.000Z: from then on the purchase is 6 months old (or more)
   * ```
   */
  nextChange(record: T, ctx?: EvalContext): Date | null;
  /** Canonical text, equal to `format(source)`. */
  toString(): string;
}
