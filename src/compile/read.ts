/**
 * Reading records safely: own properties only, and the scopes of `where` clauses. Which field a
 * path names, and which scope binds it, is the checker's fact (check/facts.ts).
 * @internal
 */
import { type RunState, isProtoName } from "./run.js";
import { intern } from "./text.js";

/** A record as the compiled closures see it: a non-null object whose plain reads are own reads. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rec = any;

/**
 * One element scope of a `where` clause: the element being visited and the scope around it.
 * The root record is never a frame: closures receive it as their first argument.
 * @internal
 */
export interface Frame {
  el: unknown;
  up: Frame | undefined;
}

/** A compiled per-record function: `(record, run, frame)`; `frame` is `undefined` outside `where`. @internal */
export type Get<T> = (r: Rec, run: RunState, s: Frame | undefined) => T;

const OP = Object.prototype;
const hop = OP.hasOwnProperty;
const getProto = Object.getPrototypeOf;

/** An empty record, standing for anything that is not an object. */
const EMPTY: Rec = Object.freeze(Object.create(null));

/**
 * Makes `record` safe for the reads of {@link rootRead} (and the field sites of slots.ts): a plain
 * object (prototype `Object.prototype`) or a null-prototype object is returned as is; any other
 * object (a class instance, `Object.create(proto)`) is copied, own properties into a
 * null-prototype object, so nothing is read from its prototype chain; a non-object becomes an
 * empty record.
 * @internal
 */
export function rootOf(record: unknown): Rec {
  if (typeof record !== "object" || record === null) return EMPTY;
  const p = (record as Rec).__proto__;
  if (p === OP || (p == null && getProto(record) === null)) return record;
  const copy: Rec = Object.create(null);
  for (const k of Object.getOwnPropertyNames(record)) copy[k] = (record as Rec)[k];
  return copy;
}

const isArray = Array.isArray;
const getTime = Date.prototype.getTime;
const ownNames = Object.getOwnPropertyNames;
/** Deeper values are left out of a careful copy (no rule reads that deep; cycles are kept as cycles). */
const CAREFUL_DEPTH = 64;

/**
 * The record of {@link rootOf}, for the slow path taken when reading it threw: a copy made of
 * plain objects (null prototype), arrays, `Date`s and the other values as they are, in which every
 * value whose reading threw (a getter, a Proxy trap, a revoked Proxy) is left out, so that it
 * reads as missing: unknown. Evaluating the copy calls no user code. Own properties only, as
 * {@link rootOf} reads them; a cycle in the record is a cycle in the copy.
 *
 * Evaluators call it only after evaluating the record itself threw (tune.ts, value.ts): the
 * usual path pays for nothing but a `try`.
 * @internal
 */
export function carefulRoot(record: unknown): Rec {
  return rootOf(carefulCopy(record, 0, new Map()));
}

function carefulCopy(v: unknown, depth: number, seen: Map<object, unknown>): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (seen.has(v)) return seen.get(v);
  if (depth > CAREFUL_DEPTH) return undefined;
  try {
    if (isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      const n = v.length;
      for (let i = 0; i < n; i++) out.push(carefulItem(v, i, depth, seen));
      return out;
    }
    let t: number | undefined;
    try {
      t = getTime.call(v as Date);
    } catch {
      t = undefined; // not a Date (a Proxy around one included)
    }
    if (t !== undefined) return new Date(t);
    const out: Rec = Object.create(null);
    seen.set(v, out);
    for (const k of ownNames(v)) {
      const x = carefulItem(v, k, depth, seen);
      if (x !== undefined) out[k] = x;
    }
    return out;
  } catch {
    seen.set(v, undefined);
    return undefined;
  }
}

function carefulItem(o: object, k: string | number, depth: number, seen: Map<object, unknown>): unknown {
  try {
    return carefulCopy((o as Rec)[k], depth + 1, seen);
  } catch {
    return undefined;
  }
}

/**
 * The own value `v = r[k]` of a record from {@link rootOf}, when `v` is `Object.prototype[k]`
 * (`undefined`, or a value that prototype pollution put there): the record's own property, or
 * `undefined`. Names that are properties of `Object.prototype` when a rule is compiled
 * (`constructor`, `toString`…) never get here: they are read with {@link ownAny}.
 *
 * Why per read and not once per call: a record holding its field is the common case and is
 * settled by `v !== OP[k]` (a load that V8 answers from its inline cache when `k` is absent from
 * `Object.prototype`); checking `Object.prototype` for enumerable properties with `for…in` cost
 * 3–8 ns per `test`, a third of a simple rule.
 * @internal
 */
export function inherited(r: Rec, k: string, v: unknown): unknown {
  return v === undefined || hop.call(r, k) ? v : undefined;
}

/** `r[k]`, own only, for a record from {@link rootOf} and a `k` that is not an `Object.prototype` name. @internal */
export function rootRead(r: Rec, k: string): unknown {
  const v = r[k];
  return v !== (OP as Rec)[k] ? v : inherited(r, k, v);
}

/** `o[k]` when `o` is an object that has `k` as an own property, else `undefined`. @internal */
export function ownAny(o: unknown, k: string): unknown {
  if (typeof o !== "object" || o === null) return undefined;
  return hop.call(o, k) ? (o as Rec)[k] : undefined;
}

/**
 * `o[k]` when `o` is an object that has `k` as an own property, else `undefined`; `k` must not
 * be a standard property name of `Object.prototype` (see {@link isProtoName}). A plain object
 * skips the own-property test unless `Object.prototype` itself carries `k` (polluted).
 * @internal
 */
export function ownSafe(o: unknown, k: string): unknown {
  if (typeof o !== "object" || o === null) return undefined;
  const v = (o as Rec)[k];
  if (v === undefined) return undefined;
  if ((o as Rec).__proto__ === OP && (OP as Rec)[k] === undefined) return v;
  return hop.call(o, k) ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Readers of resolved paths
// ---------------------------------------------------------------------------------------------

/**
 * A getter of the raw value a resolved path names (`undefined` when missing at any step).
 * Reads from the record are plain reads (see {@link rootOf}); reads from elements and nested
 * objects test for own properties.
 * @internal
 */
export function rawReader(scopeIndex: number, depth: number, path: readonly string[]): Get<unknown> {
  const keys = path.map(intern);
  const rest = keys.slice(1);
  const k0 = keys[0]!;
  const safe0 = !isProtoName(k0);
  if (scopeIndex === depth) {
    // The record itself (a plain or null-prototype object, see rootOf).
    const first: Get<unknown> = safe0 ? (r) => rootRead(r, k0) : (r) => ownAny(r, k0);
    if (rest.length === 0) return first;
    if (rest.length === 1) {
      const k1 = rest[0]!;
      return isProtoName(k1) ? (r, run, s) => ownAny(first(r, run, s), k1) : (r, run, s) => ownSafe(first(r, run, s), k1);
    }
    const safeRest = rest.map((k) => !isProtoName(k));
    return (r, run, s) => walk(first(r, run, s), rest, safeRest);
  }
  const base = frameGetter(scopeIndex);
  const safeKeys = keys.map((k) => !isProtoName(k));
  if (keys.length === 1) return safe0 ? (r, run, s) => ownSafe(base(r, run, s), k0) : (r, run, s) => ownAny(base(r, run, s), k0);
  return (r, run, s) => walk(base(r, run, s), keys, safeKeys);
}

function frameGetter(scopeIndex: number): Get<unknown> {
  switch (scopeIndex) {
    case 0:
      return (_r, _run, s) => s!.el;
    case 1:
      return (_r, _run, s) => s!.up!.el;
    default:
      return (_r, _run, s) => {
        let f = s!;
        for (let i = 0; i < scopeIndex; i++) f = f.up!;
        return f.el;
      };
  }
}

/** Follows `keys` through nested objects with own reads (`safe[i]`: key i is not an `Object.prototype` name). @internal */
export function walk(o: unknown, keys: readonly string[], safe: readonly boolean[]): unknown {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    o = safe[i] ? ownSafe(o, k) : ownAny(o, k);
    if (o === undefined) return undefined;
  }
  return o;
}
