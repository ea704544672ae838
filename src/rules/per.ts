/**
 * `+N per x max M`: the rule's points, written once for the rules engine and the SQL compiler.
 * ±Infinity is an ordinary number (±M, or ±Infinity without `max`); NaN is unknown (0); no points
 * per anything is nothing (`+0 per x`: 0, where 0 × ∞ would be NaN).
 * @internal
 */

/** The points of `+n per x [max cap]` for a known or unknown `x` (`null`, NaN: 0). @internal */
export function perPoints(n: number, x: unknown, cap: number | undefined): number {
  if (typeof x !== "number" || x !== x || n === 0) return 0;
  const p = n * x;
  return cap === undefined ? p : Math.max(-cap, Math.min(cap, p));
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The next double after a positive finite `x`, towards +∞ (`up`) or 0. */
function step(x: number, up: boolean): number {
  f64[0] = x;
  u64[0] = up ? u64[0]! + 1n : u64[0]! - 1n;
  return f64[0]!;
}

/**
 * The largest `x` for which `n × x` is finite (`n` ≠ 0): SQL engines raise an error where
 * JavaScript's product overflows to ±Infinity, so SQL multiplies only up to it and writes
 * ±Infinity beyond.
 * @internal
 */
export function productBound(n: number): number {
  const a = Math.abs(n);
  let t = Number.MAX_VALUE / a;
  if (!Number.isFinite(t)) return Number.MAX_VALUE;
  while (!Number.isFinite(a * t)) t = step(t, false);
  while (t < Number.MAX_VALUE && Number.isFinite(a * step(t, true))) t = step(t, true);
  return t;
}
