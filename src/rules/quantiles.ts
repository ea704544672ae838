/**
 * Population tiers by share ("quantiles"), used by quantile tiers and by RFM's quintiles.
 *
 * The rule, over the `n` records whose value is known, lines ordered best first with shares
 * `p_1 … p_k` percent (adding up to 100):
 *
 * - A record's **standing** is the share of the records with a *different* known value that have
 *   a lower one: `below / (below + above)`, from 0 (the lowest value) to 1 (the highest). When
 *   every known value is equal, the standing is 1. Without ties it is SQL's `PERCENT_RANK`
 *   (`rank / (n − 1)`); with ties, equal records do not count, so the highest values always stand
 *   at 1 and the lowest at 0, however many records share them.
 * - Let `B_j` be the total share of the lines after line `j` (`B_k = 0`). A record goes to the
 *   first line `j` whose `B_j` its standing reaches: `standing >= B_j / 100`.
 * - So equal values always share a line; a higher value never gets a later line; the highest
 *   value always gets the first line and (with two values or more) the lowest always gets the
 *   last; without ties each line holds its share of the records to within about one record.
 * - `cuts[j]` (one per boundary, `k − 1` of them, highest first) is the lowest known value in
 *   line `j` or a better one: a value is in line `j` or better exactly when it is `>= cuts[j]`.
 *   With no known value there are no cuts (`[]`).
 * - Unknown values (null, NaN) get no line and do not count. ±Infinity are numbers: +∞ stands
 *   highest (first line), −∞ lowest (last line), as any highest or lowest value.
 *
 * @internal
 */

/** The result of {@link assignShares}. @internal */
export interface ShareAssignment {
  /** For each input value, the index of its line (0 = best), or null when the value is unknown. */
  readonly lines: (number | null)[];
  /** `lines.length − 1` boundary values, highest first; `[]` when no value is known. */
  readonly cuts: number[];
}

/** A population ranked by shares: place any value in its line, and the cut values used. */
export interface ShareRanking {
  /** The line of a value (0 = best), or null when it is unknown (null, NaN). */
  lineOf(value: number | null): number | null;
  /** One boundary per pair of consecutive lines, highest first; `[]` when no value is known. */
  readonly cuts: number[];
  /** How many values of the population are known. */
  readonly known: number;
}

// Shares like 33.3 + 33.3 are not exact in binary: allow a hair of rounding below a boundary.
/** @internal */
export const SHARE_EPSILON = 1e-9;
const EPSILON = SHARE_EPSILON;

/**
 * What each line needs: `after[j]`, the share (percent) of the lines after line `j`. A known
 * value goes to the first line `j < k − 1` with `others === 0 || below * 100 >= after[j] * others
 * − SHARE_EPSILON * others` (`below`, `others` as in the module comment), else to the last line;
 * SQL (src/sql/rules.ts) writes the same test with the same doubles.
 * @internal
 */
export function shareNeeds(shares: readonly number[]): number[] {
  const after: number[] = [];
  let rest = 100;
  for (const share of shares) {
    rest -= share;
    after.push(Math.max(0, rest));
  }
  return after;
}

/**
 * The names and shares of quantile tier lines, best first: the lines with a share, then
 * `otherwise` (if any) with what they leave (never below 0).
 * @internal
 */
export function quantileLines(lines: readonly { readonly name: string; readonly percent?: number }[]): { names: string[]; shares: number[] } {
  const named = lines.filter((l) => l.percent !== undefined);
  const otherwise = lines.find((l) => l.percent === undefined);
  const given = named.reduce((s, l) => s + l.percent!, 0);
  return {
    names: [...named.map((l) => l.name), ...(otherwise ? [otherwise.name] : [])],
    shares: [...named.map((l) => l.percent!), ...(otherwise ? [Math.max(0, 100 - given)] : [])],
  };
}

/**
 * Ranks a population by shares, as quantile tiers and RFM quintiles do (the exact rule is in
 * docs/rules.md, "Quantile tiers: exactly how"), without keeping the records: a tool that
 * streams millions of records keeps one number each (a `Float64Array`, NaN for unknown), ranks
 * them once, then places each value with `lineOf`.
 *
 * @param values - the population: one number per record, null or NaN when unknown
 * @param shares - the percent share of each line, best first, adding up to 100
 * @returns `lineOf(value)` and the `cuts` (`value >= cuts[j]` means line `j` or better)
 *
 * @example
 * ```ts
 * const ranking = rankByShares(Float64Array.from([5, 1, 9, 7, NaN]), [20, 30, 50]);
 * ranking.lineOf(9);   // 0: the highest value takes the first line
 * ranking.lineOf(NaN); // null: unknown values get no line
 * ranking.cuts;        // [9, 7]
 * ```
 */
export function rankByShares(values: ArrayLike<number | null>, shares: readonly number[]): ShareRanking {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (isKnown(values[i])) n++;
  const known = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) {
    const v = values[i];
    if (isKnown(v)) known[k++] = v;
  }
  known.sort(); // typed arrays sort numerically
  // after[j]: the share (percent) of the lines after line j, the standing line j needs.
  const after = shareNeeds(shares);
  const lineOfKnown = (v: number): number => {
    const below = countBelow(known, v);
    const above = n - countBelowOrEqual(known, v);
    const others = below + above;
    for (let j = 0; j < shares.length - 1; j++) {
      // standing >= after / 100, in integers where the shares are integers
      if (others === 0 || below * 100 >= after[j]! * others - EPSILON * others) return j;
    }
    return shares.length - 1;
  };
  // cuts[j]: the lowest distinct value whose line is j or better (the highest value always is).
  const cuts: number[] = [];
  if (n > 0) {
    const distinct: number[] = [];
    for (let i = 0; i < n; i++) if (i === 0 || known[i] !== known[i - 1]) distinct.push(known[i]!);
    const lineOfDistinct = distinct.map(lineOfKnown);
    for (let j = 0; j < shares.length - 1; j++) {
      let lo = 0;
      let hi = distinct.length - 1;
      // lines are non-increasing with the value: find the first distinct value with line <= j
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (lineOfDistinct[mid]! <= j) hi = mid;
        else lo = mid + 1;
      }
      cuts.push(distinct[lo]!);
    }
  }
  return { lineOf: (v) => (n > 0 && isKnown(v) ? lineOfKnown(v) : null), cuts, known: n };
}

/**
 * Assigns lines by share over a population (see the module comment for the exact rule).
 *
 * @param values - one number per record, null when unknown (NaN counts as unknown, ±Infinity as numbers)
 * @param shares - the percent share of each line, best first, adding up to 100
 * @internal
 */
export function assignShares(values: readonly (number | null)[], shares: readonly number[]): ShareAssignment {
  const ranking = rankByShares(values, shares);
  return { lines: values.map((v) => ranking.lineOf(v)), cuts: ranking.cuts };
}

const isKnown = (v: number | null | undefined): v is number => typeof v === "number" && v === v;

/** Number of elements of the ascending array strictly lower than v (binary search). */
function countBelow(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of elements of the ascending array lower than or equal to v. */
function countBelowOrEqual(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
