/**
 * Ranking a population of numbers into lines by share — the rule quantile tiers and RFM quintiles
 * follow, as docs/rules.md ("Quantile tiers: exactly how") states it — on typed arrays, so that
 * `eval` and `report` need 8 bytes per record and value instead of the records (the library's
 * `assign(records)` takes the records). test/cli checks it against the library's `assign`.
 *
 * Over the `n` known values (finite numbers; NaN stands for unknown): a value's standing is
 * `below / (below + above)` counting only the other, different values (1 when there are none);
 * line `j` needs a standing of at least the total share of the lines after it; a value takes the
 * first line it qualifies for. `cuts[j]` is the lowest value in line `j` or a better one.
 */

/** Shares of rounding such as 33.3 + 33.3 are not exact in binary (same allowance as the library). */
const EPSILON = 1e-9;

export interface Ranking {
  /** The line of a value (0 = best), or null when it is unknown (NaN, ±Infinity). */
  lineOf(v: number): number | null;
  /** One boundary per pair of consecutive lines, highest first; `[]` when no value is known. */
  readonly cuts: number[];
  /** Number of known values. */
  readonly known: number;
}

/**
 * @param values - the population (only the first `length` are read); NaN for unknown
 * @param shares - percent share of each line, best first, adding up to 100
 */
export function rankByShares(values: Float64Array, length: number, shares: readonly number[]): Ranking {
  let n = 0;
  for (let i = 0; i < length; i++) if (Number.isFinite(values[i]!)) n++;
  const sorted = new Float64Array(n);
  for (let i = 0, k = 0; i < length; i++) if (Number.isFinite(values[i]!)) sorted[k++] = values[i]!;
  sorted.sort();
  const after: number[] = [];
  let rest = 100;
  for (const share of shares) {
    rest -= share;
    after.push(Math.max(0, rest));
  }
  const lineOf = (v: number): number | null => {
    if (!Number.isFinite(v)) return null;
    const below = lowerBound(sorted, v);
    const above = n - upperBound(sorted, v);
    const others = below + above;
    for (let j = 0; j < shares.length - 1; j++) {
      if (others === 0 || below * 100 >= after[j]! * others - EPSILON * others) return j;
    }
    return shares.length - 1;
  };
  const cuts: number[] = [];
  if (n > 0) {
    const distinct: number[] = [];
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
    const lines = distinct.map((v) => lineOf(v)!);
    for (let j = 0; j < shares.length - 1; j++) {
      // Lines do not increase with the value: the first distinct value whose line is j or better.
      let lo = 0;
      let hi = distinct.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (lines[mid]! <= j) hi = mid;
        else lo = mid + 1;
      }
      cuts.push(distinct[lo]!);
    }
  }
  return { lineOf, cuts, known: n };
}

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
