/**
 * Reachability of threshold tier lines over numbers: a line whose values are all taken by the
 * lines above it can never match (`medium if >= 20k` above `high if >= 100k`).
 * @internal
 */
import type { CompareOp } from "../ast/nodes.js";

/** An interval of the real line; bounds may be infinite. @internal */
export interface Interval {
  readonly lo: number;
  readonly loOpen: boolean;
  readonly hi: number;
  readonly hiOpen: boolean;
}

const ALL: Interval = { lo: -Infinity, loOpen: true, hi: Infinity, hiOpen: true };

/** The numbers a test `v op x` (or `between lo and hi`) accepts, as a union of intervals. @internal */
export function testIntervals(
  test: { op: CompareOp; value: number } | { op: "between"; low: number; high: number },
): Interval[] {
  if (test.op === "between") {
    return test.low <= test.high ? [{ lo: test.low, loOpen: false, hi: test.high, hiOpen: false }] : [];
  }
  const x = test.value;
  switch (test.op) {
    case "=":
      return [{ lo: x, loOpen: false, hi: x, hiOpen: false }];
    case "!=":
      return [
        { lo: -Infinity, loOpen: true, hi: x, hiOpen: true },
        { lo: x, loOpen: true, hi: Infinity, hiOpen: true },
      ];
    case "<":
      return [{ lo: -Infinity, loOpen: true, hi: x, hiOpen: true }];
    case "<=":
      return [{ lo: -Infinity, loOpen: true, hi: x, hiOpen: false }];
    case ">":
      return [{ lo: x, loOpen: true, hi: Infinity, hiOpen: true }];
    case ">=":
      return [{ lo: x, loOpen: false, hi: Infinity, hiOpen: true }];
  }
}

/** Merges intervals into disjoint, sorted ones (touching intervals that share a point join). @internal */
export function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.lo - b.lo || Number(a.loOpen) - Number(b.loOpen));
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && (iv.lo < last.hi || (iv.lo === last.hi && !(iv.loOpen && last.hiOpen)))) {
      if (iv.hi > last.hi || (iv.hi === last.hi && !iv.hiOpen && last.hiOpen)) {
        out[out.length - 1] = { lo: last.lo, loOpen: last.loOpen, hi: iv.hi, hiOpen: iv.hiOpen };
      }
    } else {
      out.push(iv);
    }
  }
  return out;
}

function contains(outer: Interval, inner: Interval): boolean {
  const loOk = outer.lo < inner.lo || (outer.lo === inner.lo && (!outer.loOpen || inner.loOpen));
  const hiOk = outer.hi > inner.hi || (outer.hi === inner.hi && (!outer.hiOpen || inner.hiOpen));
  return loOk && hiOk;
}

/** True when every number of `inner` is in `covered` (a merged union). @internal */
export function covers(covered: readonly Interval[], inner: readonly Interval[]): boolean {
  return inner.every((iv) => covered.some((c) => contains(c, iv)));
}

/** True when a merged union holds every finite number. @internal */
export function coversAll(covered: readonly Interval[]): boolean {
  return covers(covered, [ALL]);
}
