/**
 * Hand-specialised closures for the hottest leaves, when the subject is a field of the record
 * itself (`Operand.key`): the field is read inline with a plain `r[k]` (entry points guarantee it
 * is an own read, see `guardRoot` in read.ts) and per-run constants are kept in closure
 * variables, so one leaf is one call. Without code generation this is how a leaf gets close to a
 * hand-written predicate.
 * @internal
 */
import type { CompareOp } from "../ast/nodes.js";
import { type Interval, toEpoch } from "./dates.js";
import type { PerRun } from "./operand.js";
import type { Get, Rec } from "./read.js";
import type { RunState } from "./run.js";
import { mayBecome, mayNeedNfc, nfcTargets } from "./text.js";

type Pair = readonly [t: Get<boolean>, f: Get<boolean>];

/** `field op c` on a number field. */
export function numKey(op: CompareOp, k: string, c: number): Pair {
  const read = (r: Rec): unknown => r[k];
  switch (op) {
    case "<":
      return [
        (r) => {
          const v = read(r);
          return typeof v === "number" && v < c;
        },
        (r) => {
          const v = read(r);
          return typeof v === "number" && v >= c;
        },
      ];
    case "<=":
      return [
        (r) => {
          const v = read(r);
          return typeof v === "number" && v <= c;
        },
        (r) => {
          const v = read(r);
          return typeof v === "number" && v > c;
        },
      ];
    case ">":
      return [
        (r) => {
          const v = read(r);
          return typeof v === "number" && v > c;
        },
        (r) => {
          const v = read(r);
          return typeof v === "number" && v <= c;
        },
      ];
    case ">=":
      return [
        (r) => {
          const v = read(r);
          return typeof v === "number" && v >= c;
        },
        (r) => {
          const v = read(r);
          return typeof v === "number" && v < c;
        },
      ];
    case "=":
      return [
        (r) => read(r) === c,
        (r) => {
          const v = read(r);
          return typeof v === "number" && v !== c && v === v;
        },
      ];
    case "!=": {
      const [t, f] = numKey("=", k, c);
      return [f, t];
    }
  }
}

/** `field = "lit"` on a text or enum field (`valid`: the enum's values, to tell false from unknown). */
export function strEqKey(k: string, c: string, valid: ReadonlySet<string> | undefined): Pair {
  const targets = nfcTargets([c]);
  // A string that is not c may still be c once in NFC (c with a combining accent).
  const nfcIs = (v: string): boolean => mayBecome(v, targets) && v.normalize("NFC") === c;
  const t: Get<boolean> = (r) => {
    const v = r[k];
    return v === c || (typeof v === "string" && nfcIs(v));
  };
  const f: Get<boolean> = (r) => {
    const v = r[k];
    if (typeof v !== "string" || v === c) return false;
    if (valid === undefined) return !nfcIs(v);
    if (valid.has(v)) return true; // a valid value other than c
    if (!mayNeedNfc(v)) return false;
    const n = v.normalize("NFC");
    return n !== c && valid.has(n);
  };
  return [t, f];
}

/**
 * `field in [..]` on a text or enum field with fixed values (NFC); unrolled up to four values.
 * `valid` as for {@link strEqKey}.
 */
export function strInKey(k: string, values: readonly string[], valid: ReadonlySet<string> | undefined): Pair {
  const u = [...new Set(values)];
  const targets = nfcTargets(u);
  const set = new Set(u);
  const [a, b, c, d] = u;
  const small = u.length <= 4;
  const has = (v: string): boolean => (small ? v === a || v === b || v === c || v === d : set.has(v));
  const read = (r: Rec): unknown => r[k];
  const nfcIn = (v: string): boolean => mayBecome(v, targets) && set.has(v.normalize("NFC"));
  return [
    (r) => {
      const v = read(r);
      return typeof v === "string" && (has(v) || nfcIn(v));
    },
    (r) => {
      const v = read(r);
      if (typeof v !== "string" || has(v)) return false;
      if (valid === undefined) return !nfcIn(v);
      if (valid.has(v)) return true;
      if (!mayNeedNfc(v)) return false;
      const n = v.normalize("NFC");
      return !set.has(n) && valid.has(n);
    },
  ];
}

/** A yes/no field alone. */
export function boolKey(k: string): Pair {
  return [
    (r) => r[k] === true,
    (r) => r[k] === false,
  ];
}

/** `field has "lit"` on an array of text. */
export function hasStrKey(k: string, c: string): Pair {
  const read = (r: Rec): unknown => r[k];
  const targets = nfcTargets([c]);
  const nfcHolds = (a: readonly unknown[]): boolean => {
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      if (typeof e === "string" && mayBecome(e, targets) && e.normalize("NFC") === c) return true;
    }
    return false;
  };
  return [
    (r) => {
      const a = read(r);
      return Array.isArray(a) && (a.includes(c) || nfcHolds(a));
    },
    (r) => {
      const a = read(r);
      return Array.isArray(a) && !a.includes(c) && !nfcHolds(a);
    },
  ];
}

/**
 * A date field against an interval fixed for the run: `< D` ⇔ `at < lo`, `<= D` ⇔ `at < hi`,
 * `> D` ⇔ `at >= hi`, `>= D` ⇔ `at >= lo`, `= D` ⇔ `lo <= at < hi`.
 */
export function dateKey(op: CompareOp, k: string, iv: PerRun<Interval>): Pair {
  // The interval of the last run seen, in closure variables.
  let last: RunState | undefined;
  let lo = NaN;
  let hi = NaN;
  const sync = (run: RunState): void => {
    const b = iv.get(run);
    lo = b.lo;
    hi = b.hi;
    last = run;
  };
  const at = (r: Rec, run: RunState): number => {
    const v = r[k];
    return v instanceof Date ? v.getTime() : toEpoch(v, run.timeZone);
  };
  switch (op) {
    case "<":
      return [
        (r, run) => {
          if (run !== last) sync(run);
          return at(r, run) < lo;
        },
        (r, run) => {
          if (run !== last) sync(run);
          return at(r, run) >= lo;
        },
      ];
    case "<=":
      return [
        (r, run) => {
          if (run !== last) sync(run);
          return at(r, run) < hi;
        },
        (r, run) => {
          if (run !== last) sync(run);
          return at(r, run) >= hi;
        },
      ];
    case ">":
      return [
        (r, run) => {
          if (run !== last) sync(run);
          return at(r, run) >= hi;
        },
        (r, run) => {
          if (run !== last) sync(run);
          return at(r, run) < hi;
        },
      ];
    case ">=":
      return [
        (r, run) => {
          if (run !== last) sync(run);
          return at(r, run) >= lo;
        },
        (r, run) => {
          if (run !== last) sync(run);
          return at(r, run) < lo;
        },
      ];
    case "=":
      return [
        (r, run) => {
          if (run !== last) sync(run);
          const v = at(r, run);
          return v >= lo && v < hi;
        },
        (r, run) => {
          if (run !== last) sync(run);
          const v = at(r, run);
          return v < lo || v >= hi;
        },
      ];
    case "!=": {
      const [t, f] = dateKey("=", k, iv);
      return [f, t];
    }
  }
}
