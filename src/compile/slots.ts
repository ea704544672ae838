/**
 * Reading a field of the record at a code site of its own.
 *
 * Why: V8 keeps inline caches (and optimised code) per function *literal*, not per closure, so
 * every closure a factory returns shares them. A factory `(k) => (r) => r[k]` used for `sector`,
 * `country` and `role` makes its one `r[k]` load megamorphic (measured: 5–10 ns per read instead
 * of under 1 ns, more than the whole hand-written comparison). Without code generation the only
 * way to get more load sites is to write them: {@link SITES} holds 32 identical literals, and each
 * field name gets one for itself (first come, first served), so its load sees one name and the
 * record shapes of that field only. Past 32 names, sites are shared (graceful: polymorphic, then
 * megamorphic again).
 *
 * Each site also calls the value test it is given (`t`, `f`): a field is nearly always tested by
 * the same kind of test (value-tests.ts keeps one test function per kind: every numeric comparison is one
 * range test), so that call is monomorphic and inlined, and a leaf costs one call from its parent.
 * @internal
 */
import { type Get, type Rec, inherited } from "./read.js";
import type { RunState } from "./run.js";

/** A test of a field's raw value (value-tests.ts); `run` for per-run constants and the time zone. */
export type ValueTest = (v: unknown, run: RunState) => boolean;

/** A condition's (is-true, is-false) pair of closures. */
export type Pair = readonly [t: Get<boolean>, f: Get<boolean>];

type Site = (k: string, t: ValueTest, f: ValueTest) => Pair;

/** `Object.prototype`: `v !== P[k]` proves `v` an own value (see `inherited` in read.ts). */
const P: Rec = Object.prototype;

// Identical on purpose: each literal is a separate inline cache (see above). Do not fold into a loop.
// prettier-ignore
const SITES: readonly Site[] = [
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
  (k, t, f) => [(r, run) => { const v = r[k]; return t(v !== P[k] ? v : inherited(r, k, v), run); }, (r, run) => { const v = r[k]; return f(v !== P[k] ? v : inherited(r, k, v), run); }],
];

/** Field name → its site. Bounded: names past the limit share sites by hash. */
const siteOf = new Map<string, Site>();
const MAX_NAMES = 4096;

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h >>> 0;
}

/**
 * The (is-true, is-false) pair of a condition on the record's own field `k`: `t`/`f` applied to
 * its own value. `k` must not be a property name of `Object.prototype`, the record must come from
 * `rootOf` (read.ts); the load and the pollution guard sit at the field's own site.
 * @internal
 */
export function fieldPair(k: string, t: ValueTest, f: ValueTest): Pair {
  let site = siteOf.get(k);
  if (site === undefined) {
    site = SITES[siteOf.size < SITES.length ? siteOf.size : hash(k) % SITES.length]!;
    if (siteOf.size < MAX_NAMES) siteOf.set(k, site);
  }
  return site(k, t, f);
}
