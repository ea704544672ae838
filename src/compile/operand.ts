/**
 * Operands: every value node compiled to a typed reader. Representations (per record):
 * numbers as `number` with `NaN` for unknown; text as an NFC `string` (for an enum, lifecycle or
 * tiers value: only a valid one) or `undefined`; booleans as `boolean` or `undefined`; dates as
 * epoch milliseconds with `NaN` for unknown, or, for values fixed for a run (literals, instants,
 * parameters), as a half-open {@link Interval}.
 * @internal
 */
import type {
  AggregateNode,
  DateNode,
  DurationNode,
  FieldNode,
  InstantNode,
  ListNode,
  LiteralNode,
  ExprNode,
  ParamNode,
  RefNode,
  ValueKind,
  ValueNode,
} from "../ast/nodes.js";
import { printNode } from "../ast/printer.js";
import { type AggregateFact, type CheckedType, type Facts, type FieldFact, type ValueFact, lastArray, rowScopes } from "../check/facts.js";
import type { RefType } from "../check/types.js";
import type { FieldType, ObjectType } from "../schema/model.js";
import { type Interval, instant, parseIso, toEpoch } from "./dates.js";
import { unchecked } from "./messages.js";
import { type Frame, type Get, type Rec, rawReader, walk } from "./read.js";
import { type DurationValue, type ParamValue, type RunState, isProtoName } from "./run.js";
import { intern, mayNeedNfc, nfc } from "./text.js";
import type { Tuner } from "./tune.js";

// ---------------------------------------------------------------------------------------------
// Compile context
// ---------------------------------------------------------------------------------------------

/**
 * How compiled code reads `@name`: the reference's type (from check/types.ts) and a reader.
 * `read` receives the record being evaluated (never an element of a `where`) and the run; it
 * returns, by type: segment → `true | false | null` (null: unknown); score → a number; lifecycle →
 * the stage name or `null`; tiers → the tier name or `null`. Anything else reads as unknown.
 */
export interface RefBinding {
  readonly type: RefType;
  read(record: unknown, run: RunState): boolean | number | string | null;
}

/** What the compile functions need besides the node and the schema model. */
export interface CompileEnv {
  /** What the checker resolved for every node (`CheckResult.facts`): types, paths, splits. */
  readonly facts: Facts;
  /** Bindings of the `@name` references the expression may use (rules files). */
  readonly refs?: ReadonlyMap<string, RefBinding>;
}

/** Compile-time state: the scopes (element types of enclosing `where`, innermost first, then the record). @internal */
export interface Cx {
  readonly scopes: readonly ObjectType[];
  readonly refs: ReadonlyMap<string, RefBinding> | undefined;
  /** The checker's facts: every operand's type and path is read there, never worked out again. */
  readonly facts: Facts;
  /** Where `and`/`or` chains outside `where` clauses register to be reordered (tune.ts). */
  readonly tuner?: Tuner;
  /** Compiles a condition in these scopes (set by expr.ts, to keep the two modules apart). */
  readonly bool: (node: ExprNode, cx: Cx) => { readonly t: Get<boolean>; readonly f: Get<boolean> };
}

/** The number of element scopes around the current position. @internal */
export const depthOf = (cx: Cx): number => cx.scopes.length - 1;

// ---------------------------------------------------------------------------------------------
// Per-run constants
// ---------------------------------------------------------------------------------------------

/**
 * A value computed once per run and kept until the next run comes by (closures compare the run
 * by identity, one comparison per record).
 * @internal
 */
export class PerRun<T> {
  private run: RunState | undefined = undefined;
  private value: T | undefined = undefined;
  constructor(private readonly compute: (run: RunState) => T) {}
  get(run: RunState): T {
    if (run !== this.run) {
      this.value = this.compute(run);
      this.run = run;
    }
    return this.value as T;
  }
}

// ---------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------

/** Valid values and order of a text operand. @internal */
export interface StrInfo {
  /** The valid values (enum values, stage or tier names); absent for free text. */
  readonly values?: ReadonlySet<string>;
  /** Declared order (ordered enum, lifecycle stages); absent when unordered. */
  readonly order?: ReadonlyMap<string, number>;
}

interface Base {
  /** The node it was compiled from (absent for stand-ins): its canonical text is {@link textOf}. */
  readonly node?: ValueNode;
  /** What the operand read from the record, for explanations; absent when it reads nothing. */
  readonly show?: Get<unknown>;
  /** Rough cost of one read, to run cheap tests first in `and`/`or`. */
  readonly cost: number;
  /**
   * Set for a field of the record itself named by one segment that is not a property name of
   * `Object.prototype`: hot closures then read `r[key]` inline (see value-tests.ts).
   */
  readonly key?: string;
  /** For a field: its raw value, the one the leaves' value tests read (value-tests.ts). */
  readonly raw?: Get<unknown>;
}

/** @internal */
export interface NumOp extends Base {
  readonly cat: "num";
  /** The number, `NaN` when unknown. */
  readonly get: Get<number>;
  readonly konst?: number;
}
/** @internal */
export interface StrOp extends Base {
  readonly cat: "str";
  /** The NFC value (valid for its enum, if any), or `undefined`. */
  readonly get: Get<string | undefined>;
  readonly konst?: string;
  readonly info: StrInfo;
}
/** @internal */
export interface BoolOp extends Base {
  readonly cat: "bool";
  readonly get: Get<boolean | undefined>;
  readonly konst?: boolean;
}
/** A date read per record (`at`, epoch ms, NaN unknown) or fixed for a run (`iv`). @internal */
export interface DateOp extends Base {
  readonly cat: "date";
  readonly at?: Get<number>;
  readonly iv?: PerRun<Interval>;
}
/** @internal */
export interface DurOp extends Base {
  readonly cat: "dur";
  readonly dur: PerRun<DurationValue>;
}
/**
 * A parameter ordered against a date (checked type `dateOrDuration`): per run, a date (an
 * interval) or a duration (an age), as its value decides. @internal
 */
export interface WhenOp extends Base {
  readonly cat: "when";
  readonly v: PerRun<Interval | DurationValue>;
}
/** True when a date-or-duration value is a duration. @internal */
export function isDuration(v: Interval | DurationValue): v is DurationValue {
  return "unit" in v;
}
/** A list written in the rule, or a list parameter (its items typed as the checker inferred). @internal */
export interface ListOp extends Base {
  readonly cat: "list";
  readonly items?: readonly LiteralNode[];
  readonly param?: string;
  readonly item?: CheckedType;
}
/** An array field. @internal */
export interface ArrOp extends Base {
  readonly cat: "arr";
  readonly raw: Get<unknown>;
  readonly element: FieldType;
}
/** An object field (only `is set` applies). @internal */
export interface ObjOp extends Base {
  readonly cat: "obj";
  readonly raw: Get<unknown>;
}
/** @internal */
export type Operand = NumOp | StrOp | BoolOp | DateOp | DurOp | WhenOp | ListOp | ArrOp | ObjOp;

/** The canonical text of an operand (printed on demand: explanations and internal errors only). @internal */
export function textOf(o: Operand): string {
  return o.node ? printNode(o.node) : "";
}

/** True when the operand is the same for every record of a run. @internal */
export function isFixed(o: Operand): boolean {
  return o.show === undefined;
}

/** A node the checker left without the facts compiling needs (a bug: check accepts ⇒ compile accepts). */
function fail(what: string, node?: { readonly span: ValueNode["span"] }): never {
  throw unchecked(what, node?.span);
}

/** The checker's fact of a value node. @internal */
export function factOf(node: ValueNode, cx: Cx): ValueFact {
  return cx.facts.value(node) ?? fail(`${printNode(node)} has no checked type`, node);
}

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

/** An enum's (or stage list's) info. @internal */
export function strInfo(values: readonly string[] | undefined, ordered: boolean): StrInfo {
  if (!values) return {};
  const norm = values.map((v) => intern(nfc(v)));
  return ordered ? { values: new Set(norm), order: new Map(norm.map((v, i) => [v, i])) } : { values: new Set(norm) };
}

/** The NFC form of a raw value if it is a (valid) string, else `undefined`. @internal */
export function strGetter(raw: Get<unknown>, values: ReadonlySet<string> | undefined): Get<string | undefined> {
  if (!values) {
    return (r, run, s) => {
      const v = raw(r, run, s);
      return typeof v === "string" ? (mayNeedNfc(v) ? v.normalize("NFC") : v) : undefined;
    };
  }
  return (r, run, s) => {
    const v = raw(r, run, s);
    if (typeof v !== "string") return undefined;
    if (values.has(v)) return v;
    if (!mayNeedNfc(v)) return undefined;
    const n = v.normalize("NFC");
    return values.has(n) ? n : undefined;
  };
}

/** The typed operand of a raw value of a field type. @internal */
export function typedField(type: FieldType, raw: Get<unknown>, node: ValueNode | undefined, key?: string): Operand {
  const show = raw;
  switch (type.kind) {
    case "number":
      return {
        cat: "num",
        node,
        show,
        key,
        raw,
        cost: 1,
        get: (r, run, s) => {
          const v = raw(r, run, s);
          return typeof v === "number" ? v : NaN;
        },
      };
    case "string":
      return { cat: "str", node, show, key, cost: 1, raw, info: {}, get: strGetter(raw, undefined) };
    case "enum": {
      const info = strInfo(type.values, type.ordered);
      return { cat: "str", node, show, key, cost: 1, raw, info, get: strGetter(raw, info.values) };
    }
    case "boolean":
      return {
        cat: "bool",
        node,
        show,
        key,
        raw,
        cost: 1,
        get: (r, run, s) => {
          const v = raw(r, run, s);
          return typeof v === "boolean" ? v : undefined;
        },
      };
    case "date":
      return {
        cat: "date",
        node,
        show,
        key,
        raw,
        // A `Date` is an object of its own (one more memory load) and dates need per-run cutoffs.
        cost: 2,
        at: (r, run, s) => toEpoch(raw(r, run, s), run.timeZone),
      };
    case "array":
      return { cat: "arr", node, show, key, cost: 2, raw, element: type.element };
    case "object":
      return { cat: "obj", node, show, key, cost: 1, raw };
  }
}

/** The reader of a resolved field path, from where the node stands. @internal */
export function fieldReader(f: FieldFact): Get<unknown> {
  return rawReader(f.scope, f.depth, f.names);
}

function field(n: FieldNode, cx: Cx): Operand {
  const f = factOf(n, cx).field ?? fail(`${printNode(n)} is not a resolved field`, n);
  const names = f.names;
  // A field of the record itself, one name deep: hot closures read it inline (value-tests.ts).
  const key = f.scope === f.depth && names.length === 1 && !isProtoName(names[0]!) ? intern(names[0]!) : undefined;
  return typedField(f.type, fieldReader(f), n, key);
}

// ---------------------------------------------------------------------------------------------
// Literals and fixed values
// ---------------------------------------------------------------------------------------------

function constNum(value: number, node: ValueNode): NumOp {
  return { cat: "num", node, cost: 0, konst: value, get: () => value };
}

function constStr(value: string, node: ValueNode, info: StrInfo = {}): StrOp {
  const v = intern(nfc(value));
  return { cat: "str", node, cost: 0, konst: v, info, get: () => v };
}

function constBool(value: boolean, node: ValueNode): BoolOp {
  return { cat: "bool", node, cost: 0, konst: value, get: () => value };
}

/** The interval of a date literal: fixed when it has an offset, else read in each run's time zone. @internal */
export function dateLiteral(n: Pick<DateNode, "text">): PerRun<Interval> {
  const p = parseIso(n.text);
  if (p && !p.dateOnly && p.offset !== undefined) {
    const iv = instant(toEpoch(n.text, "UTC"));
    return new PerRun(() => iv);
  }
  return new PerRun((run) => run.isoInterval(n.text));
}

/** The interval of `now` shifted by a duration. @internal */
export function shifted(d: PerRun<DurationValue>, sign: 1 | -1): PerRun<Interval> {
  return new PerRun((run) => {
    const v = d.get(run);
    return instant(run.shift(v.amount, v.unit, sign));
  });
}

/** The duration of a `within` or an instant: a literal, or a duration parameter, per run. @internal */
export function durationOf(n: DurationNode | ParamNode): PerRun<DurationValue> {
  if (n.kind === "param") return paramReader<DurationValue>(n.name, n);
  const d = Object.freeze({ amount: n.amount, unit: n.unit });
  return new PerRun(() => d);
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

function paramReader<T extends ParamValue>(name: string, node: ParamNode): PerRun<T> {
  return new PerRun((run) => {
    const v = run.params.get(name);
    if (v === undefined) fail(`parameter $${name} was not validated by createRun`, node);
    return v as T;
  });
}

/** A parameter, typed as the checker inferred it where it stands. */
function param(n: ParamNode, cx: Cx): Operand {
  return paramOperand(n, factOf(n, cx).type);
}

function paramOperand(n: ParamNode, t: CheckedType): Operand {
  const name = n.name;
  switch (t.kind) {
    case "number": {
      const p = paramReader<number>(name, n);
      return { cat: "num", node: n, cost: 0, get: (_r, run) => p.get(run) };
    }
    case "string":
    case "enum": {
      const p = paramReader<string>(name, n);
      const info = t.kind === "enum" ? strInfo(t.values, t.ordered) : {};
      return { cat: "str", node: n, cost: 0, info, get: (_r, run) => p.get(run) };
    }
    case "boolean": {
      const p = paramReader<boolean>(name, n);
      return { cat: "bool", node: n, cost: 0, get: (_r, run) => p.get(run) };
    }
    case "date":
      return { cat: "date", node: n, cost: 0, iv: paramReader<Interval>(name, n) };
    case "duration":
      return { cat: "dur", node: n, cost: 0, dur: paramReader<DurationValue>(name, n) };
    case "dateOrDuration":
      return { cat: "when", node: n, cost: 0, v: paramReader<Interval | DurationValue>(name, n) };
    case "list":
      return { cat: "list", node: n, cost: 0, param: name, ...(t.item ? { item: t.item } : {}) };
    default:
      fail(`parameter $${name} of type ${t.kind}`, n);
  }
}

/** A stand-in operand of an array's element type, to type values against. @internal */
export function elementLike(t: FieldType): Operand {
  return typedField(t, () => undefined, undefined);
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

function ref(n: RefNode, cx: Cx): Operand {
  const b = cx.refs?.get(n.name);
  if (!b) fail(`no binding for @${n.name}`, n);
  const show: Get<unknown> = (r, run) => b.read(r, run);
  switch (b.type.kind) {
    case "segment":
      return {
        cat: "bool",
        node: n,
        show,
        cost: 5,
        get: (r, run) => {
          const v = b.read(r, run);
          return typeof v === "boolean" ? v : undefined;
        },
      };
    case "score":
      return {
        cat: "num",
        node: n,
        show,
        cost: 5,
        get: (r, run) => {
          const v = b.read(r, run);
          return typeof v === "number" ? v : NaN;
        },
      };
    case "lifecycle":
    case "tiers":
    case "split": {
      const t = b.type;
      const info = t.kind === "lifecycle" ? strInfo(t.stages, true) : strInfo(t.kind === "tiers" ? t.names : t.arms, false);
      const values = info.values!;
      return {
        cat: "str",
        node: n,
        show,
        cost: 5,
        info,
        get: (r, run) => {
          const v = b.read(r, run);
          if (typeof v !== "string") return undefined;
          const s = nfc(v);
          return values.has(s) ? s : undefined;
        },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Aggregates
// ---------------------------------------------------------------------------------------------

/** The collection of an aggregate, as the checker split its path. @internal */
export function splitCollection(
  n: AggregateNode,
  cx: Cx,
): { raw: Get<unknown>; element: FieldType; rest: readonly string[]; restType: FieldType | undefined; fact: AggregateFact } {
  const a = factOf(n, cx).aggregate ?? fail(`${printNode(n)} has no checked collection`, n);
  return { raw: fieldReader(a.collection), element: lastArray(a).element, rest: a.rest, restType: a.restType, fact: a };
}

/**
 * Visits the rows of a collection through several arrays of objects (`contacts.events`: every
 * event of every contact), flattened; a missing or null array anywhere has no rows, null elements
 * are skipped. `visit` receives the row's frame (its `up` the enclosing element's, then `s`) and
 * returns true to stop; the result is true when a visit stopped. Frames are reused: a visit must
 * not keep them (see {@link copyFrame}). @internal
 */
export type RowVisitor = (r: Rec, run: RunState, s: Frame | undefined, visit: (f: Frame) => boolean) => boolean;

/** The row visitor of an aggregate fact with nested collections. @internal */
export function nestedRows(a: AggregateFact): RowVisitor {
  const first = fieldReader(a.collection);
  const readers = a.nested.map((c) => {
    const keys = c.names.map(intern);
    const safe = keys.map((k) => !isProtoName(k));
    return (el: unknown): unknown => walk(el, keys, safe);
  });
  const levels = readers.length + 1;
  const frames: Frame[] = [];
  for (let k = 0; k < levels; k++) frames.push({ el: undefined, up: k > 0 ? frames[k - 1] : undefined });
  const go = (arr: unknown, k: number, visit: (f: Frame) => boolean): boolean => {
    if (!Array.isArray(arr)) return false;
    const frame = frames[k]!;
    for (let i = 0; i < arr.length; i++) {
      const el = arr[i];
      if (!isRow(el)) continue;
      frame.el = el;
      if (k === levels - 1 ? visit(frame) : go(readers[k]!(el), k + 1, visit)) return true;
    }
    return false;
  };
  return (r, run, s, visit) => {
    frames[0]!.up = s;
    return go(first(r, run, s), 0, visit);
  };
}

/** A copy of a row's frame chain down to `s` (for explanations, which keep frames). @internal */
export function copyFrame(f: Frame, s: Frame | undefined): Frame {
  return f === s || f === undefined ? f : { el: f.el, up: copyFrame(f.up!, s) };
}

/** True for an element of an array of objects that is a row (a non-null, non-array object). @internal */
export function isRow(el: unknown): boolean {
  return typeof el === "object" && el !== null && !Array.isArray(el);
}

/** True when an element of an array of scalars counts (not null, of its type, valid). */
export function elementValid(element: FieldType): (e: unknown, run: RunState) => boolean {
  switch (element.kind) {
    case "string":
      return (e) => typeof e === "string";
    case "enum": {
      const values = strInfo(element.values, false).values!;
      return (e) => typeof e === "string" && (values.has(e) || (mayNeedNfc(e) && values.has(e.normalize("NFC"))));
    }
    case "number":
      return (e) => typeof e === "number" && e === e;
    case "boolean":
      return (e) => typeof e === "boolean";
    case "date":
      return (e, run) => toEpoch(e, run.timeZone) === toEpoch(e, run.timeZone);
    case "object":
      return (e) => isRow(e);
    case "array":
      return (e) => Array.isArray(e);
  }
}

function aggregate(n: AggregateNode, cx: Cx): NumOp {
  const { raw, element, rest, fact } = splitCollection(n, cx);
  const fn = n.fn;
  const objects = element.kind === "object";
  const safe = rest.map((k) => !isProtoName(k));
  // Condition on each element, in the element's scope (then the enclosing elements').
  const where = n.where && objects ? cx.bool(n.where, { ...cx, scopes: [...rowScopes(fact), ...cx.scopes] }) : undefined;
  const wt = where?.t;
  const frame: Frame = { el: undefined, up: undefined };
  let get: Get<number>;
  if (fact.nested.length > 0) {
    // Through several arrays of objects: every row of the last one, flattened.
    const rows = nestedRows(fact);
    get = (r, run, s) => {
      let n = 0;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      rows(r, run, s, (f) => {
        if (wt && !wt(r, run, f)) return false;
        if (fn === "count") {
          n++;
          return false;
        }
        const v = walk(f.el, rest, safe);
        if (typeof v !== "number" || v !== v) return false;
        n++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
        return false;
      });
      return result(fn, n, sum, min, max);
    };
  } else if (!objects) {
    // An array of scalars: a column; missing or null is unknown, null and wrongly typed elements are skipped.
    const ok = elementValid(element);
    get = (r, run, s) => {
      const a = raw(r, run, s);
      if (!Array.isArray(a)) return NaN;
      let n = 0;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (fn === "count") {
          if (ok(v, run)) n++;
          continue;
        }
        if (typeof v !== "number" || v !== v) continue;
        n++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return result(fn, n, sum, min, max);
    };
  } else {
    get = (r, run, s) => {
      const a = raw(r, run, s);
      if (!Array.isArray(a)) return fn === "count" || fn === "sum" ? 0 : NaN; // no rows
      let n = 0;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      frame.up = s;
      for (let i = 0; i < a.length; i++) {
        const el = a[i];
        if (!isRow(el)) continue;
        if (wt) {
          frame.el = el;
          if (!wt(r, run, frame)) continue;
        }
        if (fn === "count") {
          n++;
          continue;
        }
        const v = walk(el, rest, safe);
        if (typeof v !== "number" || v !== v) continue;
        n++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return result(fn, n, sum, min, max);
    };
  }
  return {
    cat: "num",
    node: n,
    cost: 10,
    get,
    show: (r, run, s) => {
      const v = get(r, run, s);
      return v === v ? v : null;
    },
  };
}

function result(fn: AggregateNode["fn"], n: number, sum: number, min: number, max: number): number {
  switch (fn) {
    case "count":
      return n;
    case "sum":
      return sum;
    case "avg":
      return n ? sum / n : NaN;
    case "min":
      return n ? min : NaN;
    case "max":
      return n ? max : NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

type Compilers = { readonly [K in ValueKind]: (node: Extract<ValueNode, { kind: K }>, cx: Cx) => Operand };

const VALUE: Compilers = {
  field,
  string: (n) => constStr(n.value, n),
  number: (n) => constNum(n.value, n),
  boolean: (n) => constBool(n.value, n),
  date: (n) => ({ cat: "date", node: n, cost: 0, iv: dateLiteral(n) }),
  duration: (n: DurationNode) => ({ cat: "dur", node: n, cost: 0, dur: durationOf(n) }),
  instant: (n: InstantNode) => ({
    cat: "date",
    node: n,
    cost: 0,
    iv: shifted(durationOf(n.duration), n.direction === "ago" ? -1 : 1),
  }),
  list: (n: ListNode) => ({ cat: "list", node: n, cost: 0, items: n.items }),
  param,
  ref,
  aggregate,
};

/** Compiles a value node to its operand. @internal */
export function operand(node: ValueNode, cx: Cx): Operand {
  return (VALUE[node.kind] as (n: ValueNode, cx: Cx) => Operand)(node, cx);
}

/** The interval of a date operand fixed for the run, or of a per-record instant. @internal */
export function intervalOf(o: DateOp): { lo: Get<number>; hi: Get<number> } {
  if (o.iv) {
    const iv = o.iv;
    return { lo: (_r, run) => iv.get(run).lo, hi: (_r, run) => iv.get(run).hi };
  }
  const at = o.at!;
  return {
    lo: at,
    hi: (r, run, s) => {
      const t = at(r, run, s);
      return t === t ? instant(t).hi : NaN;
    },
  };
}
