/**
 * Outcome rates per segment and per split arm: a proportion with its Wilson score interval, its
 * lift over the whole base, and the difference between two proportions with Newcombe's hybrid
 * score interval. Pure arithmetic on counts, used by `analyze(…, { outcome })`.
 *
 * References:
 * - Wilson EB. Probable inference, the law of succession, and statistical inference. Journal of
 *   the American Statistical Association 1927;22:209–212.
 * - Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
 *   methods. Statistics in Medicine 1998;17:857–872 (the Wilson interval is its method 3).
 * - Newcombe RG. Interval estimation for the difference between independent proportions:
 *   comparison of eleven methods. Statistics in Medicine 1998;17:873–890 (the hybrid score
 *   interval is its method 10).
 *
 * @internal
 */

/** The two-sided 95% normal quantile, `Φ⁻¹(0.975)`. */
export const Z95 = 1.959963984540054;

/** A confidence interval for a proportion, within [0, 1]. */
export interface RateInterval {
  readonly low: number;
  readonly high: number;
}

/** A difference of two proportions with its confidence interval, within [−1, 1]. */
export interface RateDifference {
  /** The difference of the two proportions (arm − reference). */
  readonly diff: number;
  readonly low: number;
  readonly high: number;
}

/** The outcome of one segment or arm: see {@link rateSummary}. */
export interface RateSummary {
  /** Records in the segment or arm. */
  readonly n: number;
  /** Records among them with a positive outcome. */
  readonly positives: number;
  /** `positives / n`; null when n = 0. */
  readonly rate: number | null;
  /** Lower bound of the Wilson interval of `rate`; null when n = 0. */
  readonly low: number | null;
  /** Upper bound of the Wilson interval of `rate`; null when n = 0. */
  readonly high: number | null;
  /** `rate / baseRate`; null when n = 0, or when the base rate is null or 0. */
  readonly lift: number | null;
}

/**
 * The Wilson score interval of a proportion `positives / n`, without continuity correction
 * (Wilson 1927; method 3 of Newcombe 1998, "single proportion"): the proportions `p` that a
 * two-sided score test at level `z` would not reject,
 * `(2x + z² ± z·√(z² + 4x(n − x)/n)) / (2(n + z²))`.
 *
 * Computed without cancellation: the lower bound as `2x² / (n·(2x + z² + z·√…))`, an equal form
 * of the same root, so it is exactly 0 when `positives = 0` and accurate when it is tiny; the
 * upper bound is exactly 1 when `positives = n`. The interval always holds `positives / n`.
 *
 * @param positives - the count of positive outcomes, an integer from 0 to `n`
 * @param n - the count of records, a non-negative integer
 * @param z - the normal quantile of the level: {@link Z95} (the default) for 95%
 * @returns `{ low, high }`, or null when `n = 0` (no records: no rate to bound)
 * @throws RangeError when the counts are not integers with `0 ≤ positives ≤ n`, or `z` is not positive
 *
 * @example
 * ```ts
 * wilsonInterval(81, 263); // { low: 0.2553…, high: 0.3662… } (Newcombe 1998, Table I)
 * wilsonInterval(0, 20);   // { low: 0, high: 0.1611… }
 * wilsonInterval(0, 0);    // null
 * ```
 */
export function wilsonInterval(positives: number, n: number, z: number = Z95): RateInterval | null {
  checkCounts(positives, n, "positives", "n");
  checkZ(z);
  if (n === 0) return null;
  const x = positives;
  const zz = z * z;
  const root = z * Math.sqrt(zz + (4 * x * (n - x)) / n);
  const p = x / n;
  const low = x === 0 ? 0 : Math.min(p, (2 * x * x) / (n * (2 * x + zz + root)));
  const high = x === n ? 1 : Math.max(p, Math.min(1, (2 * x + zz + root) / (2 * (n + zz))));
  return { low, high };
}

/**
 * The difference between two independent proportions, `armPositives / armN −
 * referencePositives / referenceN`, with Newcombe's hybrid score interval (method 10 of Newcombe
 * 1998, "difference between independent proportions", no continuity correction). With `(l₁, u₁)`
 * and `(l₂, u₂)` the Wilson intervals ({@link wilsonInterval}) of the arm `p₁` and of the
 * reference `p₂`:
 *
 * - `low  = (p₁ − p₂) − √((p₁ − l₁)² + (u₂ − p₂)²)`
 * - `high = (p₁ − p₂) + √((u₁ − p₁)² + (p₂ − l₂)²)`
 *
 * The interval stays within [−1, 1] and always holds the difference. Swapping the two samples
 * mirrors it exactly: `diff`, `low`, `high` become `−diff`, `−high`, `−low`.
 *
 * In `analyze`, the arm is each split arm and the reference is the first arm, so `diff` reads
 * "arm − first arm".
 *
 * @param armPositives - positives in the arm (sample 1), an integer from 0 to `armN`
 * @param armN - records in the arm
 * @param referencePositives - positives in the reference (sample 2), an integer from 0 to `referenceN`
 * @param referenceN - records in the reference
 * @param z - the normal quantile of the level: {@link Z95} (the default) for 95%
 * @returns `{ diff, low, high }`, or null when either sample is empty
 * @throws RangeError when the counts are not integers with `0 ≤ positives ≤ n`, or `z` is not positive
 *
 * @example
 * ```ts
 * newcombeDifference(56, 70, 48, 80); // { diff: 0.2, low: 0.0524…, high: 0.3339… } (Newcombe 1998, Table II)
 * newcombeDifference(5, 56, 0, 29);   // { diff: 0.0892…, low: -0.0381…, high: 0.1926… }
 * newcombeDifference(3, 10, 0, 0);    // null: the reference is empty
 * ```
 */
export function newcombeDifference(
  armPositives: number,
  armN: number,
  referencePositives: number,
  referenceN: number,
  z: number = Z95,
): RateDifference | null {
  checkCounts(armPositives, armN, "armPositives", "armN");
  checkCounts(referencePositives, referenceN, "referencePositives", "referenceN");
  checkZ(z);
  if (armN === 0 || referenceN === 0) return null;
  const p1 = armPositives / armN;
  const p2 = referencePositives / referenceN;
  const w1 = wilsonInterval(armPositives, armN, z)!;
  const w2 = wilsonInterval(referencePositives, referenceN, z)!;
  const diff = p1 - p2;
  const below = Math.hypot(p1 - w1.low, w2.high - p2);
  const above = Math.hypot(w1.high - p1, p2 - w2.low);
  return { diff, low: Math.max(-1, diff - below), high: Math.min(1, diff + above) };
}

/**
 * The outcome of a segment or split arm: its count, positives, rate with its Wilson interval
 * ({@link wilsonInterval}), and its lift over the whole base.
 *
 * - `rate = positives / n`, with `low` and `high` its Wilson interval; all three are null when
 *   `n = 0` (an empty segment has no rate, and is not a rate of 0).
 * - `lift = rate / baseRate`: 1 means the segment converts as the base does. It is null when
 *   `n = 0`, when `baseRate` is null (no base), or when `baseRate` is 0 (no positive in the
 *   base: no ratio to take; with a base of 0 every segment also has rate 0).
 *
 * @param positives - positives in the segment, an integer from 0 to `n`
 * @param n - records in the segment
 * @param baseRate - the rate of the whole base, from 0 to 1, or null when unknown
 * @param z - the normal quantile of the level: {@link Z95} (the default) for 95%
 * @throws RangeError when the counts are not integers with `0 ≤ positives ≤ n`, `baseRate` is
 *   not null or a number from 0 to 1, or `z` is not positive
 *
 * @example
 * ```ts
 * rateSummary(15, 148, 0.05);
 * // { n: 148, positives: 15, rate: 0.1013…, low: 0.0624…, high: 0.1605…, lift: 2.027… }
 * rateSummary(0, 0, 0.05); // { n: 0, positives: 0, rate: null, low: null, high: null, lift: null }
 * ```
 */
export function rateSummary(positives: number, n: number, baseRate: number | null, z: number = Z95): RateSummary {
  checkCounts(positives, n, "positives", "n");
  if (baseRate !== null && !(baseRate >= 0 && baseRate <= 1)) {
    throw new RangeError(`cible: a base rate must be null or a number from 0 to 1, got ${String(baseRate)}`);
  }
  const interval = wilsonInterval(positives, n, z);
  if (interval === null) return { n, positives, rate: null, low: null, high: null, lift: null };
  const rate = positives / n;
  const lift = baseRate === null || baseRate === 0 ? null : rate / baseRate;
  return { n, positives, rate, low: interval.low, high: interval.high, lift };
}

function checkCounts(positives: number, n: number, positivesName: string, nName: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`cible: ${nName} must be a non-negative integer, got ${String(n)}`);
  }
  if (!Number.isSafeInteger(positives) || positives < 0 || positives > n) {
    throw new RangeError(`cible: ${positivesName} must be an integer from 0 to ${nName} (${n}), got ${String(positives)}`);
  }
}

function checkZ(z: number): void {
  if (!(Number.isFinite(z) && z > 0)) throw new RangeError(`cible: z must be a positive number, got ${String(z)}`);
}
