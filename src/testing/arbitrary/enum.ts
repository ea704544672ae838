/** Values of an enum (or of a union of number / boolean literals). */
import * as fc from "fast-check";
import { withFavour } from "./favour.js";

/** Constraints of {@link enumArbitrary}. */
export interface EnumConstraints<T> {
  /** The declared values, in order (at least one). */
  readonly values: readonly T[];
  /** Values to draw often. */
  readonly favour?: readonly T[];
}

/**
 * An arbitrary of one declared value, shrinking towards the first.
 *
 * @example
 * ```ts
 * fc.sample(enumArbitrary({ values: ["F", "D", "C", "B", "A"] }), 2); // e.g. ["C", "F"]
 * ```
 */
export function enumArbitrary<T>(constraints: EnumConstraints<T>): fc.Arbitrary<T> {
  const values = constraints.values;
  const base = fc.constantFrom(...values);
  return withFavour(base, constraints.favour, (v) => values.includes(v));
}
