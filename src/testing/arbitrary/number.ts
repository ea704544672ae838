/**
 * Numbers a host's records may hold: small and large, integers and decimals, the bounds of the
 * schema and, unless `dbSafe`, `-0` and the extremes of the double range.
 */
import * as fc from "fast-check";
import { withFavour } from "./favour.js";
import { messages } from "../messages.js";

/** Constraints of {@link numberArbitrary}. */
export interface NumberConstraints {
  /** Integers only (zod `.int()`). */
  readonly integer?: boolean;
  /** Bounds (zod `.min()`, `.max()`, `.positive()`…); inclusive unless said otherwise. */
  readonly min?: number;
  readonly minInclusive?: boolean;
  readonly max?: number;
  readonly maxInclusive?: boolean;
  /** zod `.multipleOf(n)` for an integer n. */
  readonly multipleOf?: number;
  /** Only numbers every SQL column type keeps: 32-bit integers, doubles within ±1e15, no `-0`. */
  readonly dbSafe?: boolean;
  /** Values to draw often (a rule's literals and their neighbours). */
  readonly favour?: readonly number[];
}

const INT32 = 2147483647;

/** True when `v` satisfies the bounds and kind of `c`. @internal */
export function numberAccepts(c: NumberConstraints, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (c.integer && !Number.isSafeInteger(v)) return false;
  if (c.min !== undefined && (c.minInclusive === false ? v <= c.min : v < c.min)) return false;
  if (c.max !== undefined && (c.maxInclusive === false ? v >= c.max : v > c.max)) return false;
  if (c.multipleOf !== undefined && v % c.multipleOf !== 0) return false;
  if (c.dbSafe && (Object.is(v, -0) || Math.abs(v) > (c.integer ? INT32 : 1e15))) return false;
  return true;
}

/**
 * An arbitrary of numbers.
 *
 * @example
 * ```ts
 * fc.sample(numberArbitrary({ integer: true, min: 0 }), 3); // e.g. [0, 49, 1203]
 * ```
 */
export function numberArbitrary(constraints: NumberConstraints = {}): fc.Arbitrary<number> {
  const c = constraints;
  const dbSafe = c.dbSafe === true;
  const integer = c.integer === true;
  const limit = dbSafe ? (integer ? INT32 : 1e15) : integer ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE;
  let lo = -limit;
  let hi = limit;
  if (c.min !== undefined) lo = Math.max(lo, c.min);
  if (c.max !== undefined) hi = Math.min(hi, c.max);
  if (integer) {
    lo = Math.ceil(lo === c.min && c.minInclusive === false ? lo + (Number.isInteger(lo) ? 1 : 0) : lo);
    hi = Math.floor(hi === c.max && c.maxInclusive === false ? hi - (Number.isInteger(hi) ? 1 : 0) : hi);
  }
  if (lo > hi) throw messages.badConstraint("min", c.min, `a bound below max (${String(c.max)}): no number fits`);
  const accept = (v: number) => numberAccepts({ ...c, dbSafe }, v);
  if (c.multipleOf !== undefined) {
    const m = c.multipleOf;
    const kLo = Math.ceil(lo / m);
    const kHi = Math.floor(hi / m);
    const base = kLo <= kHi ? fc.integer({ min: Math.max(kLo, -1e9), max: Math.min(kHi, 1e9) }).map((k) => k * m) : fc.constant(NaN);
    return withFavour(base.filter(accept), c.favour, accept);
  }
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  const parts: fc.Arbitrary<number>[] = [];
  if (integer) {
    parts.push(fc.integer({ min: clamp(-10), max: clamp(100) }));
    parts.push(fc.integer({ min: clamp(-1_000_000), max: clamp(10_000_000) }));
    parts.push(fc.integer({ min: lo, max: hi }));
    parts.push(fc.constantFrom(lo, hi, clamp(0), clamp(1), clamp(-1)));
  } else {
    parts.push(fc.integer({ min: -1000, max: 100_000 }).map((k) => clamp(k / 100)));
    parts.push(fc.integer({ min: clamp(-10), max: clamp(100) }).map(clamp));
    parts.push(
      fc.double({
        min: lo,
        max: hi,
        noNaN: true,
        noDefaultInfinity: true,
        minExcluded: c.min !== undefined && c.minInclusive === false && lo === c.min,
        maxExcluded: c.max !== undefined && c.maxInclusive === false && hi === c.max,
      }),
    );
    parts.push(fc.constantFrom(lo, hi, clamp(0), clamp(0.5), ...(dbSafe ? [] : [-0])));
  }
  const base = fc.oneof(...parts).map((v) => (dbSafe && Object.is(v, -0) ? 0 : v));
  return withFavour(base.filter(accept), c.favour, accept);
}
