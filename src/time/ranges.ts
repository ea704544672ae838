/**
 * What a date comparison means, written once: the half-open range of instants `[lo, hi)` that
 * `f op D` selects, `D` being a day (its first instant, the next day's first instant) or one
 * instant `t` (`[t, nextUp(t))`). The evaluator's fast and generic paths test a date against this
 * range, and SQL writes the same bounds for a day. Imports nothing of ours.
 * @internal
 */

/** The comparison operators that select one range (`!=` selects the complement of `=`). */
export type RangeOp = "=" | "<" | "<=" | ">" | ">=";

/** A half-open range of instants `[lo, hi)`, in epoch milliseconds; `-Infinity`/`Infinity` when open. */
export interface InstantRange {
  readonly lo: number;
  readonly hi: number;
}

/**
 * The instants `f op D` selects, for `D = [lo, hi)`: `< D` ⇔ `f < lo`, `<= D` ⇔ `f < hi`,
 * `> D` ⇔ `f >= hi`, `>= D` ⇔ `f >= lo`, `= D` ⇔ `lo <= f < hi`.
 *
 * @example
 * ```ts
 * dateRange("<=", { lo: dayStart, hi: nextDayStart }); // { lo: -Infinity, hi: nextDayStart }
 * ```
 */
export function dateRange(op: RangeOp, d: InstantRange): InstantRange {
  switch (op) {
    case "<":
      return { lo: -Infinity, hi: d.lo };
    case "<=":
      return { lo: -Infinity, hi: d.hi };
    case ">":
      return { lo: d.hi, hi: Infinity };
    case ">=":
      return { lo: d.lo, hi: Infinity };
    case "=":
      return d;
  }
}
