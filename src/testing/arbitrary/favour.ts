/**
 * Mixing "boundary values first" into an arbitrary: values taken from rules (literals, their
 * neighbours, date cutoffs ± 1 ms) are drawn often, the base arbitrary the rest of the time.
 * @internal
 */
import * as fc from "fast-check";

/** `base`, with the `favour` values drawn about one time in three (shrinking towards the first favoured value). */
export function withFavour<T>(base: fc.Arbitrary<T>, favour: readonly T[] | undefined, accept?: (v: T) => boolean): fc.Arbitrary<T> {
  const kept = favour ? dedupe(accept ? favour.filter(accept) : favour) : [];
  if (kept.length === 0) return base;
  return fc.oneof({ arbitrary: fc.constantFrom(...kept), weight: 1 }, { arbitrary: base, weight: 2 });
}

function dedupe<T>(values: readonly T[]): T[] {
  const seen = new Set<unknown>();
  const out: T[] = [];
  for (const v of values) {
    const key = v instanceof Date ? `d${v.getTime()}` : typeof v === "number" && Object.is(v, -0) ? "-0" : v;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}
