/**
 * The meaning of each leaf on a field's value, written once: a pair of value tests (TRUE, FALSE;
 * unknown is neither) per kind of condition, with per-run constants kept in closure variables.
 * {@link atField} applies a pair where the field is loaded: at its own read site on the record
 * (slots.ts, the fast path: one call from its parent, one monomorphic load, an inlined test), or
 * to the value a reader got (a nested field, an element inside `where`). Both paths run the same
 * tests; only the load differs.
 *
 * Kinds are kept few on purpose (every numeric comparison is one range test, every date
 * comparison one half-open range per run), so that a field tested in several ways still calls
 * one test function from its site, and that call stays inlined.
 * @internal
 */
import type { CompareOp } from "../ast/nodes.js";
import { dateRange } from "../time/ranges.js";
import { type Interval, dateTime, nextUp, toEpoch } from "./dates.js";
import { PerRun } from "./operand.js";
import type { Get } from "./read.js";
import type { RunState } from "./run.js";
import { type Pair, type ValueTest, fieldPair } from "./slots.js";
import { type NfcTargets, low, mayBecome, mayNeedNfc, nfcTargets } from "./text.js";

/** The TRUE and FALSE tests of a leaf on a field's raw value. */
export type TestPair = readonly [t: ValueTest, f: ValueTest];

/** The field a leaf tests: its raw reader, and its key when it is a field of the record itself. */
export interface FieldSite {
  readonly raw: Get<unknown>;
  readonly key?: string;
}

/**
 * A leaf's tests applied where the field is loaded: at the record's own read site for `key`
 * (fast path), else on what the reader returns.
 */
export function atField(site: FieldSite, [t, f]: TestPair): Pair {
  if (site.key !== undefined) return fieldPair(site.key, t, f);
  const raw = site.raw;
  return [(r, run, s) => t(raw(r, run, s), run), (r, run, s) => f(raw(r, run, s), run)];
}

const nextDown = (x: number): number => -nextUp(-x);

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/** `lo <= v <= hi` on numbers (NaN and other types are unknown). */
function inRange(lo: number, hi: number): ValueTest {
  return (v) => typeof v === "number" && v >= lo && v <= hi;
}

/** FALSE of {@link inRange}: a number outside `[lo, hi]`. */
function outRange(lo: number, hi: number): ValueTest {
  return (v) => typeof v === "number" && (v < lo || v > hi);
}

/**
 * `field op c` on a number field, `c` finite: every operator is a closed range on doubles
 * (`v < c` ⇔ `v <= nextDown(c)`), so one test function serves them all. `undefined` for a
 * non-finite `c` (the caller's generic closures handle it).
 */
export function numTests(op: CompareOp, c: number): TestPair | undefined {
  if (!Number.isFinite(c)) return undefined;
  switch (op) {
    case "<":
      return numBetweenTests(-Infinity, nextDown(c));
    case "<=":
      return numBetweenTests(-Infinity, c);
    case ">":
      return numBetweenTests(nextUp(c), Infinity);
    case ">=":
      return numBetweenTests(c, Infinity);
    case "=":
      return numBetweenTests(c, c);
    case "!=":
      return [outRange(c, c), inRange(c, c)];
  }
}

/** `field between lo and hi` on a number field, constant bounds. */
export function numBetweenTests(lo: number, hi: number): TestPair {
  return [inRange(lo, hi), outRange(lo, hi)];
}

// ---------------------------------------------------------------------------------------------
// Text and enums
// ---------------------------------------------------------------------------------------------

/**
 * `field in [..]` (and `field = "lit"`, a list of one) on a text or enum field with fixed NFC
 * values: compared with `===` (unrolled up to four values, a `Set` beyond), and normalised only
 * for a string that may not be NFC and may become one of them (text.ts). `valid`: the enum's
 * values, to tell a valid other value (false) from an invalid one (unknown).
 */
export function strInTests(values: readonly string[], valid: ReadonlySet<string> | undefined): TestPair {
  const u = [...new Set(values)];
  const targets = nfcTargets(u);
  const set = new Set(u);
  /** FALSE once `v` is known not to be one of the values as it is. */
  const other = (v: string): boolean => {
    if (valid === undefined) return !nfcIn(v, targets, set);
    if (valid.has(v)) return true; // a valid enum value other than these
    if (!mayNeedNfc(v)) return false;
    const n = v.normalize("NFC");
    return !set.has(n) && valid.has(n);
  };
  if (u.length > 4) {
    return [
      (v) => typeof v === "string" && (set.has(v) || nfcIn(v, targets, set)),
      (v) => typeof v === "string" && !set.has(v) && other(v),
    ];
  }
  // `in []`: never TRUE; FALSE for any known value, unknown for a missing or invalid one. (The
  // padding below needs a first value: padding with `undefined` would match a missing field.)
  if (u.length === 0) return [() => false, (v) => typeof v === "string" && other(v)];
  // Padded with the first value (never `undefined`): `===` alone is then exact.
  const a = u[0]!;
  const b = u[1] ?? a;
  const c = u[2] ?? a;
  const d = u[3] ?? a;
  // The first checks of `mayBecome`, on constants of this closure (folded by V8 once inlined):
  // most strings that are not among the values are ruled out by their length or first code unit.
  const max = targets.max;
  const firsts = targets.firsts;
  if (max === 0) {
    // No string other than the values becomes one of them in NFC (text.ts, `onlyItself`).
    const exact: ValueTest = (v) => v === a || v === b || v === c || v === d;
    if (valid === undefined) return [exact, (v) => typeof v === "string" && v !== a && v !== b && v !== c && v !== d];
    return [exact, (v) => typeof v === "string" && v !== a && v !== b && v !== c && v !== d && other(v)];
  }
  const t: ValueTest = (v) =>
    v === a || v === b || v === c || v === d || (typeof v === "string" && v.length <= max && !low(firsts, v.charCodeAt(0)) && nfcIn(v, targets, set));
  if (valid === undefined) {
    // Free text: FALSE for any other string.
    return [
      t,
      (v) =>
        typeof v === "string" && v !== a && v !== b && v !== c && v !== d && (v.length > max || low(firsts, v.charCodeAt(0)) || !nfcIn(v, targets, set)),
    ];
  }
  return [t, (v) => typeof v === "string" && v !== a && v !== b && v !== c && v !== d && other(v)];
}

/**
 * True when `v`, a string that is none of `set`'s values as it is, is one of them in NFC.
 * A module function, not a closure: V8 then always inlines it into the hot test.
 */
function nfcIn(v: string, targets: NfcTargets, set: ReadonlySet<string>): boolean {
  return mayBecome(v, targets) && set.has(v.normalize("NFC"));
}

// ---------------------------------------------------------------------------------------------
// Booleans, arrays, presence
// ---------------------------------------------------------------------------------------------

/** `field = b` on a yes/no field (`f` alone is `f = true`, `not f` its swap). */
export function boolTests(b: boolean): TestPair {
  return [(v) => v === b, (v) => v === !b];
}

/** `field has "lit"` on an array of text (NFC only for elements that may need it). */
export function hasStrTests(c: string): TestPair {
  const targets = nfcTargets([c]);
  if (targets.max === 0) {
    // No other string becomes `c` in NFC (text.ts, `onlyItself`): a native scan is the test.
    return [(v) => Array.isArray(v) && v.includes(c), (v) => Array.isArray(v) && !v.includes(c)];
  }
  /** 1: held as is; 0: not held; -1: not as is, but an element may be `c` once in NFC. */
  const scan = (a: readonly unknown[]): number => {
    let maybe = 0;
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      if (e === c) return 1;
      if (maybe === 0 && typeof e === "string" && mayBecome(e, targets)) maybe = -1;
    }
    return maybe;
  };
  const nfcHolds = (a: readonly unknown[]): boolean => {
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      if (typeof e === "string" && mayBecome(e, targets) && e.normalize("NFC") === c) return true;
    }
    return false;
  };
  const holds = (a: readonly unknown[]): boolean => {
    const s = scan(a);
    return s === 1 || (s === -1 && nfcHolds(a));
  };
  return [(v) => Array.isArray(v) && holds(v), (v) => Array.isArray(v) && !holds(v)];
}

/** `field is set` with the field's own validity test (`valid`), `is not set` its swap. */
export function validTests(valid: ValueTest): TestPair {
  return [valid, (v, run) => !valid(v, run)];
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/**
 * A date value as epoch milliseconds, `NaN` when unknown. An object is read with `dateTime`
 * (never `instanceof`, which calls a Proxy's `getPrototypeOf` trap): measured as fast on `Date`s.
 */
export function epochOf(v: unknown, run: RunState): number {
  if (typeof v === "object") return v === null ? NaN : dateTime(v);
  return v === undefined ? NaN : toEpoch(v, run.timeZone);
}

/** A valid date (as {@link epochOf} reads it). */
export const validDate: ValueTest = (v, run) => {
  const t = epochOf(v, run);
  return t === t;
};

/**
 * `from <= field < to` on a date field, the bounds fixed for a run (`range`, computed once per
 * run and kept in closure variables). NaN bounds make both tests false: unknown.
 */
export function dateRangeTests(range: PerRun<Interval>): TestPair {
  let last: RunState | undefined;
  let from = NaN;
  let to = NaN;
  const sync = (run: RunState): void => {
    const b = range.get(run);
    from = b.lo;
    to = b.hi;
    last = run;
  };
  return [
    (v, run) => {
      if (run !== last) sync(run);
      const t = epochOf(v, run);
      return t >= from && t < to;
    },
    (v, run) => {
      if (run !== last) sync(run);
      const t = epochOf(v, run);
      return t < from || t >= to;
    },
  ];
}

/**
 * A date field against an interval fixed for the run: `< D` ⇔ `at < lo`, `<= D` ⇔ `at < hi`,
 * `> D` ⇔ `at >= hi`, `>= D` ⇔ `at >= lo`, `= D` ⇔ `lo <= at < hi`; `!=` is the swap of `=`.
 */
export function dateTests(op: CompareOp, iv: PerRun<Interval>): TestPair {
  if (op === "!=") {
    const [t, f] = dateTests("=", iv);
    return [f, t];
  }
  return dateRangeTests(new PerRun((run) => dateRange(op, iv.get(run))));
}
