/**
 * The hottest leaves, when the subject is a field of the record itself (`Operand.key`): a value
 * test per kind of condition, applied at the field's own read site (slots.ts), with per-run
 * constants kept in closure variables. Without code generation this is how a leaf gets close to a
 * hand-written comparison: one call from its parent, one monomorphic load, an inlined test.
 *
 * Kinds are kept few on purpose (every numeric comparison is one range test, every date
 * comparison one half-open range per run), so that a field tested in several ways still calls
 * one test function from its site, and that call stays inlined.
 * @internal
 */
import type { CompareOp } from "../ast/nodes.js";
import { type Interval, nextUp, toEpoch } from "./dates.js";
import { PerRun } from "./operand.js";
import type { RunState } from "./run.js";
import { type Pair, type ValueTest, fieldPair } from "./slots.js";
import { type NfcTargets, low, mayBecome, mayNeedNfc, nfcTargets } from "./text.js";

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
export function numKey(op: CompareOp, k: string, c: number): Pair | undefined {
  if (!Number.isFinite(c)) return undefined;
  switch (op) {
    case "<":
      return numBetweenKey(k, -Infinity, nextDown(c));
    case "<=":
      return numBetweenKey(k, -Infinity, c);
    case ">":
      return numBetweenKey(k, nextUp(c), Infinity);
    case ">=":
      return numBetweenKey(k, c, Infinity);
    case "=":
      return numBetweenKey(k, c, c);
    case "!=":
      return fieldPair(k, outRange(c, c), inRange(c, c));
  }
}

/** `field between lo and hi` on a number field, constant bounds. */
export function numBetweenKey(k: string, lo: number, hi: number): Pair {
  return fieldPair(k, inRange(lo, hi), outRange(lo, hi));
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
export function strInKey(k: string, values: readonly string[], valid: ReadonlySet<string> | undefined): Pair {
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
    return fieldPair(
      k,
      (v) => typeof v === "string" && (set.has(v) || nfcIn(v, targets, set)),
      (v) => typeof v === "string" && !set.has(v) && other(v),
    );
  }
  // `in []`: never TRUE; FALSE for any known value, unknown for a missing or invalid one. (The
  // padding below needs a first value: padding with `undefined` would match a missing field.)
  if (u.length === 0) return fieldPair(k, () => false, (v) => typeof v === "string" && other(v));
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
    if (valid === undefined) return fieldPair(k, exact, (v) => typeof v === "string" && v !== a && v !== b && v !== c && v !== d);
    return fieldPair(k, exact, (v) => typeof v === "string" && v !== a && v !== b && v !== c && v !== d && other(v));
  }
  const t: ValueTest = (v) =>
    v === a || v === b || v === c || v === d || (typeof v === "string" && v.length <= max && !low(firsts, v.charCodeAt(0)) && nfcIn(v, targets, set));
  if (valid === undefined) {
    // Free text: FALSE for any other string.
    return fieldPair(k, t, (v) =>
      typeof v === "string" && v !== a && v !== b && v !== c && v !== d && (v.length > max || low(firsts, v.charCodeAt(0)) || !nfcIn(v, targets, set)),
    );
  }
  return fieldPair(k, t, (v) => typeof v === "string" && v !== a && v !== b && v !== c && v !== d && other(v));
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
export function boolKey(k: string, b: boolean): Pair {
  return fieldPair(
    k,
    (v) => v === b,
    (v) => v === !b,
  );
}

/** `field has "lit"` on an array of text (NFC only for elements that may need it). */
export function hasStrKey(k: string, c: string): Pair {
  const targets = nfcTargets([c]);
  if (targets.max === 0) {
    // No other string becomes `c` in NFC (text.ts, `onlyItself`): a native scan is the test.
    return fieldPair(
      k,
      (v) => Array.isArray(v) && v.includes(c),
      (v) => Array.isArray(v) && !v.includes(c),
    );
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
  return fieldPair(
    k,
    (v) => Array.isArray(v) && holds(v),
    (v) => Array.isArray(v) && !holds(v),
  );
}

/** `field is set` with the field's own validity test (`valid`), `is not set` its swap. */
export function validKey(k: string, valid: ValueTest): Pair {
  return fieldPair(k, valid, (v, run) => !valid(v, run));
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

/** A date value as epoch milliseconds, `NaN` when unknown; a `Date` is read without a call. */
export function epochOf(v: unknown, run: RunState): number {
  if (v instanceof Date) return v.getTime();
  return v === null || v === undefined ? NaN : toEpoch(v, run.timeZone);
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
export function dateRangeKey(k: string, range: PerRun<Interval>): Pair {
  let last: RunState | undefined;
  let from = NaN;
  let to = NaN;
  const sync = (run: RunState): void => {
    const b = range.get(run);
    from = b.lo;
    to = b.hi;
    last = run;
  };
  return fieldPair(
    k,
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
  );
}

/** The range `field op D` selects, `D` an interval `[lo, hi)` (a day, or one instant); also read by the testing kit's solver. */
export function rangeOf(op: Exclude<CompareOp, "!=">, b: Interval): Interval {
  switch (op) {
    case "<":
      return { lo: -Infinity, hi: b.lo };
    case "<=":
      return { lo: -Infinity, hi: b.hi };
    case ">":
      return { lo: b.hi, hi: Infinity };
    case ">=":
      return { lo: b.lo, hi: Infinity };
    case "=":
      return b;
  }
}

/**
 * A date field against an interval fixed for the run: `< D` ⇔ `at < lo`, `<= D` ⇔ `at < hi`,
 * `> D` ⇔ `at >= hi`, `>= D` ⇔ `at >= lo`, `= D` ⇔ `lo <= at < hi`; `!=` is the swap of `=`.
 */
export function dateKey(op: CompareOp, k: string, iv: PerRun<Interval>): Pair {
  if (op === "!=") {
    const [t, f] = dateKey("=", k, iv);
    return [f, t];
  }
  return dateRangeKey(k, new PerRun((run) => rangeOf(op, iv.get(run))));
}
