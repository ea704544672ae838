/**
 * Conditions compiled to pairs of two-valued closures: `t` (the condition is TRUE) and `f` (it is
 * FALSE); unknown is neither. Kleene logic needs no `null` at run time: `not a` swaps the pair,
 * `a and b` is true when both are true and false when either is false, and so on.
 * @internal
 */
import type {
  AndNode,
  BetweenNode,
  CompareNode,
  CompareOp,
  ExprKind,
  ExprNode,
  HasNode,
  InNode,
  IsEmptyNode,
  IsSetNode,
  LiteralNode,
  NotNode,
  OrNode,
  QuantifierNode,
  TextNode,
  TruthyNode,
  ValueNode,
  WithinNode,
} from "../ast/nodes.js";
import { paramMixedBounds } from "../check/params.js";
import { type AggregateFact, rowScopes } from "../check/facts.js";
import { printNode } from "../ast/printer.js";
import type { FieldType } from "../schema/model.js";
import { type Interval, instant, toEpoch, withinInterval } from "./dates.js";
import {
  type ArrOp,
  type BoolOp,
  type Cx,
  type DateOp,
  type NumOp,
  type Operand,
  PerRun,
  type StrOp,
  dateLiteral,
  copyFrame,
  depthOf,
  durationOf,
  elementLike,
  factOf,
  fieldReader,
  intervalOf,
  isDuration,
  isFixed,
  elementValid,
  isRow,
  nestedRows,
  operand,
  textOf,
} from "./operand.js";
import { scalarFieldType } from "../check/facts.js";
import { dateRange } from "../time/ranges.js";
import {
  type FieldSite,
  atField,
  boolTests,
  dateRangeTests,
  dateTests,
  hasStrTests,
  numBetweenTests,
  numTests,
  strInTests,
  validDate,
  validTests,
} from "./value-tests.js";
import { unchecked } from "./messages.js";
import type { ValueTest } from "./slots.js";
import { type Chain, type Relinkable, joinChain } from "./tune.js";
import type { Frame, Get, Rec } from "./read.js";
import type { DurationValue, ParamValue, RunState } from "./run.js";
import { fold, intern, mayNeedNfc, nfc } from "./text.js";
import type { Explanation, Truth } from "./types.js";

/**
 * A compiled condition. `t` and `f` of chains and `not` (outside `where`) change when the tuner
 * reorders a chain (tune.ts): read them again after `relink`.
 * @internal
 */
export interface CNode extends Relinkable {
  /** TRUE on this record. */
  readonly t: Get<boolean>;
  /** FALSE on this record. */
  readonly f: Get<boolean>;
  /** Rough cost, to run cheap operands of `and`/`or` first. */
  readonly cost: number;
  /** The explanation of this node on one record. */
  readonly ex: (r: Rec, run: RunState, s: Frame | undefined) => Explanation;
}

type Pair = readonly [t: Get<boolean>, f: Get<boolean>];

const ALWAYS: Get<boolean> = () => true;

/** The three-valued result of a compiled condition. @internal */
export function truthOf(c: { t: Get<boolean>; f: Get<boolean> }, r: Rec, run: RunState, s: Frame | undefined): Truth {
  return c.t(r, run, s) ? true : c.f(r, run, s) ? false : null;
}

/** A construct the checker accepted and compiling cannot express: a bug, reported at the node (never a plain `Error`). */
function fail(what: string, node?: { readonly span: ExprNode["span"] }): never {
  throw unchecked(what, node?.span);
}

/** A leaf: its pair, cost, and the operand whose value explanations show. */
function leaf(node: ExprNode, [t, f]: Pair, cost: number, ...shown: Operand[]): CNode {
  const sub = shown.find((o) => o.show !== undefined);
  const show = sub?.show;
  // Printed on the first explanation: compiling stays cheap.
  let text: string | undefined;
  let subject: string | undefined;
  return {
    t,
    f,
    cost,
    ex: (r, run, s) => {
      const e: Explanation = { text: (text ??= printNode(node)), result: truthOf({ t, f }, r, run, s), children: [] };
      if (show) {
        e.value = show(r, run, s);
        e.subject = subject ??= textOf(sub!);
      }
      return e;
    },
  };
}

const swap = ([t, f]: Pair): Pair => [f, t];

// ---------------------------------------------------------------------------------------------
// and / or / not
// ---------------------------------------------------------------------------------------------

function chain(kind: "and" | "or", n: AndNode | OrNode, cx: Cx): CNode {
  const kids = n.operands.map((o) => compileBool(o, cx));
  // Flattened, ordered and tuned in tune.ts, which holds the meaning of and/or.
  const c = joinChain(kind === "and", kids, depthOf(cx) === 0 ? cx.tuner : undefined) as Chain & { ex: CNode["ex"] };
  let text: string | undefined;
  c.ex = (r, run, s) => ({ text: (text ??= printNode(n)), result: truthOf(c, r, run, s), children: kids.map((k) => k.ex(r, run, s)) });
  return c;
}

/** `not e`: the pair of `e` swapped (re-read when `e` is relinked, see tune.ts). */
function not(n: NotNode, cx: Cx): CNode {
  const c = compileBool(n.operand, cx);
  let text: string | undefined;
  const node = {
    t: c.f,
    f: c.t,
    cost: c.cost,
    ex: (r: Rec, run: RunState, s: Frame | undefined): Explanation => ({
      text: (text ??= printNode(n)),
      result: truthOf(node, r, run, s),
      children: [c.ex(r, run, s)],
    }),
    relink(): boolean {
      if (!c.relink?.()) return false;
      node.t = c.f;
      node.f = c.t;
      return true;
    },
  };
  return node;
}

// ---------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------

const FLIP: Readonly<Record<CompareOp, CompareOp>> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/** Numbers (NaN = unknown) against a constant. */
function numConst(op: CompareOp, a: Get<number>, c: number): Pair {
  switch (op) {
    case "<":
      return [(r, run, s) => a(r, run, s) < c, (r, run, s) => a(r, run, s) >= c];
    case "<=":
      return [(r, run, s) => a(r, run, s) <= c, (r, run, s) => a(r, run, s) > c];
    case ">":
      return [(r, run, s) => a(r, run, s) > c, (r, run, s) => a(r, run, s) <= c];
    case ">=":
      return [(r, run, s) => a(r, run, s) >= c, (r, run, s) => a(r, run, s) < c];
    case "=":
      return [
        (r, run, s) => a(r, run, s) === c,
        (r, run, s) => {
          const v = a(r, run, s);
          return v !== c && v === v;
        },
      ];
    case "!=":
      return swap(numConst("=", a, c));
  }
}

/** Numbers (NaN = unknown) on both sides. */
function numNum(op: CompareOp, a: Get<number>, b: Get<number>): Pair {
  switch (op) {
    case "<":
      return [(r, run, s) => a(r, run, s) < b(r, run, s), (r, run, s) => a(r, run, s) >= b(r, run, s)];
    case "<=":
      return [(r, run, s) => a(r, run, s) <= b(r, run, s), (r, run, s) => a(r, run, s) > b(r, run, s)];
    case ">":
      return [(r, run, s) => a(r, run, s) > b(r, run, s), (r, run, s) => a(r, run, s) <= b(r, run, s)];
    case ">=":
      return [(r, run, s) => a(r, run, s) >= b(r, run, s), (r, run, s) => a(r, run, s) < b(r, run, s)];
    case "=":
      return [
        (r, run, s) => a(r, run, s) === b(r, run, s),
        (r, run, s) => {
          const x = a(r, run, s);
          const y = b(r, run, s);
          return x !== y && x === x && y === y;
        },
      ];
    case "!=":
      return swap(numNum("=", a, b));
  }
}

/**
 * A date read per record (`at`, NaN = unknown) against a date fixed for the run: the range of
 * instants `at op D` selects is time/ranges.ts's `dateRange`, the one the value tests use.
 */
function dateFixed(op: CompareOp, at: Get<number>, iv: PerRun<Interval>): Pair {
  if (op === "!=") return swap(dateFixed("=", at, iv));
  return inRange(at, new PerRun((run) => dateRange(op, iv.get(run))));
}

/** A date read per record in a half-open range fixed for the run, `[lo, hi)` (NaN: unknown). */
function inRange(at: Get<number>, range: PerRun<Interval>): Pair {
  return [
    (r, run, s) => {
      const v = at(r, run, s);
      const b = range.get(run);
      return v >= b.lo && v < b.hi;
    },
    (r, run, s) => {
      const v = at(r, run, s);
      const b = range.get(run);
      return v < b.lo || v >= b.hi;
    },
  ];
}

/** The field an operand reads (for the value tests), or undefined for other operands. */
function siteOf(o: Operand): FieldSite | undefined {
  return o.raw ? (o as FieldSite) : undefined;
}

/** The interval of a fixed date-like operand (a date, or a duration read as an age: `now − d`). */
function fixedInterval(o: DateOp | Extract<Operand, { cat: "dur" }>): PerRun<Interval> {
  if (o.cat === "date") return o.iv!;
  const dur = o.dur;
  return new PerRun((run) => {
    const d = dur.get(run);
    return instant(run.shift(d.amount, d.unit, -1));
  });
}

function compareStr(op: CompareOp, L: StrOp, R: StrOp): Pair {
  const order = L.info.order ?? R.info.order;
  if (op !== "=" && op !== "!=") {
    if (order) {
      // Ordered enum or lifecycle stage: by declared order.
      const idx = (o: StrOp): Get<number> => {
        if (o.konst !== undefined) {
          const i = order.get(o.konst) ?? NaN;
          return () => i;
        }
        const g = o.get;
        return (r, run, s) => {
          const v = g(r, run, s);
          return v === undefined ? NaN : (order.get(v) ?? NaN);
        };
      };
      const b = idx(R);
      return R.konst !== undefined ? numConst(op, idx(L), b(undefined, undefined as never, undefined)) : numNum(op, idx(L), b);
    }
    // Free text: by code units of the NFC forms.
    const a = L.get;
    const b = R.get;
    const cmp = (x: string | undefined, y: string | undefined, want: (c: number) => boolean): boolean =>
      x !== undefined && y !== undefined && want(x < y ? -1 : x > y ? 1 : 0);
    const test: Record<string, (c: number) => boolean> = {
      "<": (c) => c < 0,
      "<=": (c) => c <= 0,
      ">": (c) => c > 0,
      ">=": (c) => c >= 0,
    };
    const yes = test[op]!;
    return [
      (r, run, s) => cmp(a(r, run, s), b(r, run, s), yes),
      (r, run, s) => cmp(a(r, run, s), b(r, run, s), (c) => !yes(c)),
    ];
  }
  if (op === "!=") return swap(compareStr("=", L, R));
  const c = R.konst;
  const get = L.get;
  const site = siteOf(L);
  if (c !== undefined && site) return atField(site, strInTests([c], L.info.values));
  if (c !== undefined) {
    // A value that is not a field (a reference, a parameter): already NFC and valid, or undefined.
    return [(r, run, s) => get(r, run, s) === c, (r, run, s) => {
      const v = get(r, run, s);
      return v !== undefined && v !== c;
    }];
  }
  const b = R.get;
  return [
    (r, run, s) => {
      const x = get(r, run, s);
      return x !== undefined && x === b(r, run, s);
    },
    (r, run, s) => {
      const x = get(r, run, s);
      if (x === undefined) return false;
      const y = b(r, run, s);
      return y !== undefined && x !== y;
    },
  ];
}

function compareBool(op: CompareOp, L: BoolOp, R: BoolOp): Pair {
  const site = siteOf(L);
  if (site && R.konst !== undefined && (op === "=" || op === "!=")) return atField(site, boolTests(op === "=" ? R.konst : !R.konst));
  const a = L.get;
  const b = R.get;
  const eq: Pair = [
    (r, run, s) => {
      const x = a(r, run, s);
      return x !== undefined && x === b(r, run, s);
    },
    (r, run, s) => {
      const x = a(r, run, s);
      if (x === undefined) return false;
      const y = b(r, run, s);
      return y !== undefined && x !== y;
    },
  ];
  if (op === "=") return eq;
  if (op === "!=") return swap(eq);
  fail(`ordering ${op} on yes/no values`);
}

/**
 * Puts the operand that reads the record on the left (`5 < employees` → `employees > 5`); between
 * values fixed for the run, a date before a duration (`6 months > $d` → `$d < 6 months`).
 */
function orient(op: CompareOp, left: Operand, right: Operand): [CompareOp, Operand, Operand] {
  if (isFixed(left) && !isFixed(right)) return [FLIP[op], right, left];
  if (isFixed(left) && left.cat === "dur" && right.cat === "date") return [FLIP[op], right, left];
  return [op, left, right];
}

/** The first instant of a date fixed for the run. */
function startOf(iv: PerRun<Interval>): Get<number> {
  return (_r, run) => iv.get(run).lo;
}

/** A date operand's instant per record: read from the record, or the start of a fixed date. */
function atOf(o: DateOp): Get<number> {
  return o.at ?? startOf(o.iv!);
}

function comparePair(op: CompareOp, L: Operand, R: Operand): Pair | undefined {
  const site = siteOf(L);
  switch (L.cat) {
    case "num": {
      if (R.cat !== "num") break;
      if (R.konst !== undefined) {
        const tests = site ? numTests(op, R.konst) : undefined;
        return site && tests ? atField(site, tests) : numConst(op, L.get, R.konst);
      }
      return numNum(op, L.get, R.get);
    }
    case "date": {
      if (L.at) {
        // An age: f < 6 months ⇔ f > now − 6 months.
        if (R.cat === "dur") return site ? atField(site, dateTests(FLIP[op], fixedInterval(R))) : dateFixed(FLIP[op], L.at, fixedInterval(R));
        if (R.cat === "date" && R.iv) return site ? atField(site, dateTests(op, R.iv)) : dateFixed(op, L.at, R.iv);
        if (R.cat === "date" && R.at) return numNum(op, L.at, R.at);
        if (R.cat === "when" && op !== "=" && op !== "!=") {
          // A date or a duration, as the parameter's value decides for the run (orderings only:
          // the checker types a parameter after `=` or `!=` as a date).
          const ord = op;
          const when = R.v;
          const range = new PerRun((run) => {
            const v = when.get(run);
            return isDuration(v) ? dateRange(FLIP[ord] as typeof ord, instant(run.shift(v.amount, v.unit, -1))) : dateRange(ord, v);
          });
          return site ? atField(site, dateRangeTests(range)) : inRange(L.at, range);
        }
      } else if (L.iv) {
        // A date fixed for the run on the left (a parameter, `$d < 6 months`): read as its first
        // instant, with the same day semantics as a date read from the record.
        const at = startOf(L.iv);
        if (R.cat === "dur") return dateFixed(FLIP[op], at, fixedInterval(R));
        if (R.cat === "date" && R.iv) return dateFixed(op, at, R.iv);
      }
      break;
    }
    case "str":
      if (R.cat === "str") return compareStr(op, L, R);
      break;
    case "bool":
      if (R.cat === "bool") return compareBool(op, L, R);
      break;
    default:
      break;
  }
  return undefined;
}

function compare(n: CompareNode, cx: Cx): CNode {
  const [op, L, R] = orient(n.op, operand(n.left, cx), operand(n.right, cx));
  const pair = comparePair(op, L, R) ?? fail(`cannot compare ${textOf(L)} (${L.cat}) with ${textOf(R)} (${R.cat})`, n);
  return leaf(n, pair, L.cost + R.cost, L, R);
}

// ---------------------------------------------------------------------------------------------
// between, within
// ---------------------------------------------------------------------------------------------

function between(n: BetweenNode, cx: Cx): CNode {
  const S = operand(n.subject, cx);
  let lo = operand(n.low, cx);
  let hi = operand(n.high, cx);
  let pair: Pair | undefined;
  if (S.cat === "num" && lo.cat === "num" && hi.cat === "num") {
    const site = siteOf(S);
    if (site && lo.konst !== undefined && hi.konst !== undefined) {
      // Constant bounds: one range test where the field is loaded (NaN bounds select nothing).
      const pair = atField(site, numBetweenTests(lo.konst, hi.konst));
      return leaf(n, n.negated ? swap(pair) : pair, S.cost + lo.cost + hi.cost, S, lo, hi);
    }
    const x = S.get;
    const a = lo.get;
    const b = hi.get;
    pair = [
      (r, run, s) => {
        const v = x(r, run, s);
        return v >= a(r, run, s) && v <= b(r, run, s);
      },
      (r, run, s) => {
        const v = x(r, run, s);
        return v < a(r, run, s) || v > b(r, run, s);
      },
    ];
  } else if (S.cat === "str" && lo.cat === "str" && hi.cat === "str" && S.info.order) {
    // An ordered enum between two of its values.
    const l = compareStr(">=", S, lo);
    const h = compareStr("<=", S, hi);
    pair = [(r, run, s) => l[0](r, run, s) && h[0](r, run, s), (r, run, s) => l[1](r, run, s) || h[1](r, run, s)];
  } else if (S.cat === "date" && (lo.cat === "when" || hi.cat === "when")) {
    // Parameters that may be dates or durations: their values decide per run, with the rule of
    // literals (two durations are an age range; a date and a duration do not make a range).
    const range = new PerRun((run) => whenRange(n, fixedBound(lo, n).get(run), fixedBound(hi, n).get(run), run));
    const site = siteOf(S);
    pair = site ? atField(site, dateRangeTests(range)) : inRange(atOf(S), range);
  } else if (S.cat === "date") {
    if (lo.cat === "dur" && hi.cat === "dur") {
      // An age range: 3 months <= now − f <= 6 months ⇔ now − 6 months <= f <= now − 3 months.
      [lo, hi] = [hi, lo];
    }
    const bound = (o: Operand): { lo: Get<number>; hi: Get<number> } => {
      if (o.cat === "dur") {
        const iv = fixedInterval(o);
        return { lo: (_r, run) => iv.get(run).lo, hi: (_r, run) => iv.get(run).hi };
      }
      if (o.cat === "date") return intervalOf(o);
      fail(`between bound ${textOf(o)}`, n);
    };
    const fixedLo = lo.cat === "dur" ? fixedInterval(lo) : lo.cat === "date" ? lo.iv : undefined;
    const fixedHi = hi.cat === "dur" ? fixedInterval(hi) : hi.cat === "date" ? hi.iv : undefined;
    const site = siteOf(S);
    if (site && fixedLo && fixedHi) {
      // Bounds fixed for the run: from the start of the first to the end of the second.
      const range = new PerRun((run) => ({ lo: fixedLo.get(run).lo, hi: fixedHi.get(run).hi }));
      const pair = atField(site, dateRangeTests(range));
      return leaf(n, n.negated ? swap(pair) : pair, S.cost + lo.cost + hi.cost, S, lo, hi);
    }
    const a = bound(lo).lo;
    const b = bound(hi).hi;
    const at = atOf(S);
    pair = [
      (r, run, s) => {
        const v = at(r, run, s);
        return v >= a(r, run, s) && v < b(r, run, s);
      },
      (r, run, s) => {
        const v = at(r, run, s);
        return v < a(r, run, s) || v >= b(r, run, s);
      },
    ];
  }
  if (!pair) fail(`between on ${textOf(S)}`, n);
  return leaf(n, n.negated ? swap(pair) : pair, S.cost + lo.cost + hi.cost, S, lo, hi);
}

/** A bound of a date range fixed for the run: a date, a duration, or a parameter that is either. */
function fixedBound(o: Operand, n: BetweenNode): PerRun<Interval | DurationValue> {
  if (o.cat === "when") return o.v;
  if (o.cat === "dur") return o.dur;
  if (o.cat === "date" && o.iv) return o.iv;
  fail(`between bound ${textOf(o)}`, n);
}

/** The instants `f between lo and hi` selects, each bound a date or a duration (an age). */
function whenRange(n: BetweenNode, lo: Interval | DurationValue, hi: Interval | DurationValue, run: RunState): Interval {
  const dl = isDuration(lo);
  const dh = isDuration(hi);
  if (dl !== dh) throw paramMixedBounds(nameOf(n.low), nameOf(n.high));
  const age = (d: DurationValue): Interval => instant(run.shift(d.amount, d.unit, -1));
  // An age range: 3 months <= now − f <= 6 months ⇔ now − 6 months <= f <= now − 3 months.
  if (dl && dh) return { lo: age(hi).lo, hi: age(lo).hi };
  return { lo: (lo as Interval).lo, hi: (hi as Interval).hi };
}

function nameOf(v: ValueNode): string {
  return v.kind === "param" ? v.name : printNode(v);
}

function within(n: WithinNode, cx: Cx): CNode {
  const S = operand(n.subject, cx);
  if (S.cat !== "date") fail(`within on ${textOf(S)}`, n);
  const at = atOf(S);
  const dur = durationOf(n.duration);
  // last: now − d <= f <= now; next: now <= f <= now + d.
  const range = new PerRun((run) => {
    const d = dur.get(run);
    return withinInterval(n.direction, run.nowMs, run.shift(d.amount, d.unit, n.direction === "last" ? -1 : 1));
  });
  const site = siteOf(S);
  return leaf(n, site ? atField(site, dateRangeTests(range)) : inRange(at, range), S.cost, S);
}

// ---------------------------------------------------------------------------------------------
// Lists: in, has
// ---------------------------------------------------------------------------------------------

/** A membership test over fixed values: unrolled for up to 4, `includes` up to 16, a `Set` beyond. */
function member<T>(values: readonly T[]): (v: T) => boolean {
  const u = [...new Set(values)];
  switch (u.length) {
    case 0:
      return () => false;
    case 1: {
      const [a] = u as [T];
      return (v) => v === a;
    }
    case 2: {
      const [a, b] = u as [T, T];
      return (v) => v === a || v === b;
    }
    case 3: {
      const [a, b, c] = u as [T, T, T];
      return (v) => v === a || v === b || v === c;
    }
    case 4: {
      const [a, b, c, d] = u as [T, T, T, T];
      return (v) => v === a || v === b || v === c || v === d;
    }
    default: {
      if (u.length <= 16) return (v) => u.includes(v);
      const set = new Set(u);
      return (v) => set.has(v);
    }
  }
}

/** The values of a list operand as the subject's kind, fixed or per run. */
type Values =
  | { readonly kind: "str" | "num" | "bool"; readonly has: PerRun<(v: never) => boolean>; readonly items: PerRun<readonly unknown[]> }
  | { readonly kind: "date"; readonly items: PerRun<readonly Interval[]> };

/** The items of a list parameter, validated when the run starts. */
function listParam(name: string, list: Operand): PerRun<readonly ParamValue[]> {
  return new PerRun((run) => {
    const v = run.params.get(name);
    if (!Array.isArray(v)) fail(`parameter $${name} is not a list`, list.node);
    return v as readonly ParamValue[];
  });
}

/** A list parameter standing where an array field stands (`$tags has "x"`): an array of its item type. */
function asArray(o: Operand): Operand {
  if (o.cat !== "list" || o.param === undefined || !o.item) return o;
  const items = listParam(o.param, o);
  const element = scalarFieldType(o.item) ?? fail(`a list of ${o.item.kind} values`, o.node);
  return { cat: "arr", node: o.node, cost: 0, raw: (_r, run) => items.get(run), element };
}

function listValues(list: Operand, like: Operand, cx: Cx): Values {
  const kind = like.cat === "arr" ? elementLike(like.element).cat : like.cat;
  let items: PerRun<readonly unknown[]>;
  if (list.cat === "list" && list.items) {
    const lits = list.items;
    if (kind === "date") {
      const ivs = lits.map((l: LiteralNode) => (l.kind === "date" ? dateLiteral(l) : fail(`list item ${l.kind} for a date`, l)));
      return { kind: "date", items: new PerRun((run) => ivs.map((iv) => iv.get(run))) };
    }
    const fixed = lits.map((l: LiteralNode) => (l.kind === "string" ? intern(nfc(l.value)) : l.kind === "date" ? l.text : l.value));
    items = new PerRun(() => fixed);
  } else if (list.cat === "list" && list.param !== undefined) {
    items = listParam(list.param, list);
    if (kind === "date") return { kind: "date", items: items as PerRun<readonly Interval[]> };
  } else fail(`list operand ${textOf(list)}`, list.node);
  if (kind !== "str" && kind !== "num" && kind !== "bool") fail(`list of ${kind}`, list.node);
  const src = items;
  return { kind, items: src, has: new PerRun((run) => member(src.get(run)) as (v: never) => boolean) };
}

function inList(n: InNode, cx: Cx): CNode {
  const S = operand(n.subject, cx);
  const vals = listValues(operand(n.list, cx), S, cx);
  let pair: Pair;
  if (vals.kind === "date") {
    if (S.cat !== "date") fail(`in on ${textOf(S)}`, n);
    const at = atOf(S);
    const items = vals.items;
    pair = [
      (r, run, s) => {
        const v = at(r, run, s);
        if (v !== v) return false;
        for (const b of items.get(run)) if (v >= b.lo && v < b.hi) return true;
        return false;
      },
      (r, run, s) => {
        const v = at(r, run, s);
        if (v !== v) return false;
        for (const b of items.get(run)) if (v >= b.lo && v < b.hi) return false;
        return true;
      },
    ];
  } else {
    const has = vals.has as PerRun<(v: unknown) => boolean>;
    const list = operand(n.list, cx);
    const site = siteOf(S);
    if (S.cat === "str" && site && list.cat === "list" && list.items) {
      const fixed = list.items.map((l) => intern(l.kind === "string" ? nfc(l.value) : String(l.kind === "date" ? l.text : l.value)));
      pair = atField(site, strInTests(fixed, S.info.values));
    } else if (S.cat === "str") {
      const raw = S.raw;
      const get = S.get;
      pair = [
        raw
          ? (r, run, s) => {
              const v = raw(r, run, s);
              if (typeof v !== "string") return false;
              const h = has.get(run);
              return h(v) || (mayNeedNfc(v) && h(v.normalize("NFC")));
            }
          : (r, run, s) => {
              const v = get(r, run, s);
              return v !== undefined && has.get(run)(v);
            },
        (r, run, s) => {
          const v = get(r, run, s);
          return v !== undefined && !has.get(run)(v);
        },
      ];
    } else if (S.cat === "num") {
      const get = S.get;
      pair = [
        (r, run, s) => has.get(run)(get(r, run, s)),
        (r, run, s) => {
          const v = get(r, run, s);
          return v === v && !has.get(run)(v);
        },
      ];
    } else if (S.cat === "bool") {
      const get = S.get;
      pair = [
        (r, run, s) => {
          const v = get(r, run, s);
          return v !== undefined && has.get(run)(v);
        },
        (r, run, s) => {
          const v = get(r, run, s);
          return v !== undefined && !has.get(run)(v);
        },
      ];
    } else fail(`in on ${textOf(S)}`, n);
  }
  return leaf(n, n.negated ? swap(pair) : pair, S.cost + 1, S);
}

/**
 * An element matcher of an array of scalars: the element equals `v` (text: NFC; dates: `v` is
 * an interval). Null and wrongly typed elements never match.
 */
function elementMatcher(element: FieldType): (e: unknown, v: unknown, run: RunState) => boolean {
  switch (element.kind) {
    case "string":
    case "enum":
      return (e, v) => e === v || (typeof e === "string" && mayNeedNfc(e) && e.normalize("NFC") === v);
    case "date":
      return (e, v, run) => {
        const t = toEpoch(e, run.timeZone);
        const b = v as Interval;
        return t >= b.lo && t < b.hi;
      };
    default:
      return (e, v) => e === v && typeof e === element.kind;
  }
}

/** True when array `a` holds an element matching `v`. */
function holds(a: readonly unknown[], v: unknown, match: (e: unknown, v: unknown, run: RunState) => boolean, run: RunState, fast: boolean): boolean {
  if (fast && a.includes(v)) return true;
  for (let i = 0; i < a.length; i++) if (match(a[i], v, run)) return true;
  return false;
}

function has(n: HasNode, cx: Cx): CNode {
  const S = asArray(operand(n.subject, cx));
  if (S.cat !== "arr") fail(`has on ${textOf(S)}`, n);
  const arr: ArrOp = S;
  const raw = arr.raw;
  const match = elementMatcher(arr.element);
  const textual = arr.element.kind === "string" || arr.element.kind === "enum";
  const scalarEq = arr.element.kind === "number" || arr.element.kind === "boolean";
  let pair: Pair;
  if (n.mode === "one") {
    const V = operand(n.value, cx);
    // The value as the element matcher wants it (fixed for the run when possible).
    let value: Get<unknown>;
    if (V.cat === "date") {
      const b = intervalOf(V);
      value = (r, run, s) => {
        const lo = b.lo(r, run, s);
        return lo === lo ? { lo, hi: b.hi(r, run, s) } : undefined;
      };
      if (V.iv) {
        const iv = V.iv;
        value = (_r, run) => iv.get(run);
      }
    } else if (V.cat === "str" || V.cat === "bool") {
      value = V.get;
    } else if (V.cat === "num") {
      const g = V.get;
      value = (r, run, s) => {
        const x = g(r, run, s);
        return x === x ? x : undefined;
      };
    } else fail(`has value ${textOf(V)}`, n);
    if (textual && V.cat === "str" && V.konst !== undefined) {
      pair = atField(arr, hasStrTests(V.konst));
    } else {
      const fast = textual || scalarEq;
      pair = [
        (r, run, s) => {
          const a = raw(r, run, s);
          if (!Array.isArray(a)) return false;
          const v = value(r, run, s);
          return v !== undefined && holds(a, v, match, run, fast);
        },
        (r, run, s) => {
          const a = raw(r, run, s);
          if (!Array.isArray(a)) return false;
          const v = value(r, run, s);
          return v !== undefined && !holds(a, v, match, run, fast);
        },
      ];
    }
    return leaf(n, pair, S.cost + V.cost, S, V);
  }
  const vals = listValues(operand(n.value, cx), arr, cx);
  const items = vals.items as PerRun<readonly unknown[]>;
  const fast = textual || scalarEq;
  // any: some list item is held; all: every list item is held.
  const someHeld = (a: readonly unknown[], run: RunState): boolean => {
    for (const v of items.get(run)) if (holds(a, v, match, run, fast)) return true;
    return false;
  };
  const allHeld = (a: readonly unknown[], run: RunState): boolean => {
    for (const v of items.get(run)) if (!holds(a, v, match, run, fast)) return false;
    return true;
  };
  const anyPair: Pair = [
    (r, run, s) => {
      const a = raw(r, run, s);
      return Array.isArray(a) && someHeld(a, run);
    },
    (r, run, s) => {
      const a = raw(r, run, s);
      return Array.isArray(a) && !someHeld(a, run);
    },
  ];
  if (n.mode === "any") pair = anyPair;
  else if (n.mode === "none") pair = swap(anyPair);
  else {
    pair = [
      (r, run, s) => {
        const a = raw(r, run, s);
        return Array.isArray(a) && allHeld(a, run);
      },
      (r, run, s) => {
        const a = raw(r, run, s);
        return Array.isArray(a) && !allHeld(a, run);
      },
    ];
  }
  return leaf(n, pair, S.cost + 2, S);
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

const TEXT_TESTS: Readonly<Record<TextNode["op"], (folded: string, lit: string) => boolean>> = {
  contains: (v, l) => v.includes(l),
  startsWith: (v, l) => v.startsWith(l),
  endsWith: (v, l) => v.endsWith(l),
  foldEquals: (v, l) => v === l,
};

function text(n: TextNode, cx: Cx): CNode {
  const S = operand(n.subject, cx);
  const V = operand(n.value, cx);
  if (S.cat !== "str" || V.cat !== "str") fail(`text operator on ${textOf(S)}`, n);
  const test = TEXT_TESTS[n.op];
  const get = S.get;
  let pair: Pair;
  if (V.konst !== undefined) {
    const lit = fold(V.konst);
    const raw = S.raw;
    const subject: Get<string | undefined> =
      raw && !S.info.values
        ? (r, run, s) => {
            const v = raw(r, run, s);
            return typeof v === "string" ? v : undefined; // folding normalises by itself
          }
        : get;
    pair = [
      (r, run, s) => {
        const v = subject(r, run, s);
        return v !== undefined && test(fold(v), lit);
      },
      (r, run, s) => {
        const v = subject(r, run, s);
        return v !== undefined && !test(fold(v), lit);
      },
    ];
  } else {
    const vg = V.get;
    const both = (r: Rec, run: RunState, s: Frame | undefined, want: boolean): boolean => {
      const v = get(r, run, s);
      if (v === undefined) return false;
      const w = vg(r, run, s);
      return w !== undefined && test(fold(v), fold(w)) === want;
    };
    pair = [(r, run, s) => both(r, run, s, true), (r, run, s) => both(r, run, s, false)];
  }
  return leaf(n, n.negated ? swap(pair) : pair, S.cost + 3, S, V);
}

// ---------------------------------------------------------------------------------------------
// is set, is empty, truthy
// ---------------------------------------------------------------------------------------------

function valid(o: Operand): Get<boolean> {
  switch (o.cat) {
    case "num": {
      const g = o.get;
      return (r, run, s) => {
        const v = g(r, run, s);
        return v === v;
      };
    }
    case "str":
    case "bool": {
      const g = o.get as Get<unknown>;
      return (r, run, s) => g(r, run, s) !== undefined;
    }
    case "date": {
      if (!o.at) return ALWAYS;
      const at = o.at;
      return (r, run, s) => {
        const v = at(r, run, s);
        return v === v;
      };
    }
    case "arr": {
      const raw = o.raw;
      return (r, run, s) => Array.isArray(raw(r, run, s));
    }
    case "obj": {
      const raw = o.raw;
      return (r, run, s) => isRow(raw(r, run, s));
    }
    default:
      return ALWAYS; // literals and parameters (validated when the run starts) are always set
  }
}

/** The validity test of a raw field value, for an operand read from the record (`key`). */
function validTest(o: Operand): ValueTest | undefined {
  switch (o.cat) {
    case "num":
      return (v) => typeof v === "number" && v === v;
    case "str": {
      const values = o.info.values;
      if (!values) return (v) => typeof v === "string";
      return (v) => typeof v === "string" && (values.has(v) || (mayNeedNfc(v) && values.has(v.normalize("NFC"))));
    }
    case "bool":
      return (v) => typeof v === "boolean";
    case "date":
      return validDate;
    case "arr":
      return (v) => Array.isArray(v);
    case "obj":
      return (v) => isRow(v);
    default:
      return undefined;
  }
}

function isSet(n: IsSetNode, cx: Cx): CNode {
  const S = operand(n.subject, cx);
  const site = siteOf(S);
  const test = site ? validTest(S) : undefined;
  if (site && test) {
    const pair = atField(site, validTests(test));
    return leaf(n, n.negated ? swap(pair) : pair, S.cost, S);
  }
  const t = valid(S);
  const pair: Pair = [t, (r, run, s) => !t(r, run, s)];
  return leaf(n, n.negated ? swap(pair) : pair, S.cost, S);
}

function isEmpty(n: IsEmptyNode, cx: Cx): CNode {
  const S = operand(n.subject, cx);
  let pair: Pair;
  if (S.cat === "arr") {
    const raw = S.raw;
    const ok = elementValid(S.element);
    const empty = (a: readonly unknown[], run: RunState): boolean => {
      for (let i = 0; i < a.length; i++) if (ok(a[i], run)) return false;
      return true;
    };
    if (S.element.kind === "object") {
      // A child table: missing or null means no rows.
      pair = [
        (r, run, s) => {
          const a = raw(r, run, s);
          return !Array.isArray(a) || empty(a, run);
        },
        (r, run, s) => {
          const a = raw(r, run, s);
          return Array.isArray(a) && !empty(a, run);
        },
      ];
    } else {
      // A column: missing or null is unknown; null elements are ignored.
      pair = [
        (r, run, s) => {
          const a = raw(r, run, s);
          return Array.isArray(a) && empty(a, run);
        },
        (r, run, s) => {
          const a = raw(r, run, s);
          return Array.isArray(a) && !empty(a, run);
        },
      ];
    }
  } else if (S.cat === "str") {
    const get = S.get;
    pair = [(r, run, s) => get(r, run, s) === "", (r, run, s) => {
      const v = get(r, run, s);
      return v !== undefined && v !== "";
    }];
  } else fail(`is empty on ${textOf(S)}`, n);
  return leaf(n, n.negated ? swap(pair) : pair, S.cost + 1, S);
}

function truthy(n: TruthyNode, cx: Cx): CNode {
  const S = operand(n.subject, cx);
  if (S.cat !== "bool") fail(`${textOf(S)} is not a yes/no value`, n);
  const get = S.get;
  const site = siteOf(S);
  if (site) return leaf(n, atField(site, boolTests(true)), S.cost, S);
  return leaf(n, [(r, run, s) => get(r, run, s) === true, (r, run, s) => get(r, run, s) === false], S.cost, S);
}

// ---------------------------------------------------------------------------------------------
// Quantifiers
// ---------------------------------------------------------------------------------------------

function quantifier(n: QuantifierNode, cx: Cx): CNode {
  const flat = factOf(n.collection, cx).aggregate;
  if (flat) return flatQuantifier(n, flat, cx);
  const res = factOf(n.collection, cx).field;
  if (!res || res.type.kind !== "array" || res.type.element.kind !== "object") fail(`quantifier over ${n.collection.path.join(".")}`, n);
  const coll = fieldReader(res);
  const inner: Cx = { ...cx, scopes: [res.type.element, ...cx.scopes] };
  const w = compileBool(n.where, inner);
  const wt = w.t;
  const wf = w.f;
  // One frame per compiled quantifier, reused for every element (no allocation per record).
  const frame: Frame = { el: undefined, up: undefined };
  /** True when some row satisfies `p`. */
  const some = (p: Get<boolean>): Get<boolean> => (r, run, s) => {
    const a = coll(r, run, s);
    if (!Array.isArray(a)) return false;
    frame.up = s;
    for (let i = 0; i < a.length; i++) {
      const el = a[i];
      if (!isRow(el)) continue;
      frame.el = el;
      if (p(r, run, frame)) return true;
    }
    return false;
  };
  /** True when every row satisfies `p` (true with no rows). */
  const every = (p: Get<boolean>): Get<boolean> => (r, run, s) => {
    const a = coll(r, run, s);
    if (!Array.isArray(a)) return true;
    frame.up = s;
    for (let i = 0; i < a.length; i++) {
      const el = a[i];
      if (!isRow(el)) continue;
      frame.el = el;
      if (!p(r, run, frame)) return false;
    }
    return true;
  };
  // any = or over rows (false on none); all = and (true on none); none = not any.
  const pair: Pair =
    n.quantifier === "any" ? [some(wt), every(wf)] : n.quantifier === "all" ? [every(wt), some(wf)] : [every(wf), some(wt)];
  const [t, f] = pair;
  let text: string | undefined; // printed on the first explanation
  let collText: string | undefined;
  return {
    t,
    f,
    cost: 10 + w.cost,
    ex: (r, run, s) => {
      const a = coll(r, run, s);
      const children: Explanation[] = [];
      if (Array.isArray(a)) {
        for (let i = 0; i < a.length; i++) {
          const el = a[i];
          if (!isRow(el)) continue;
          const fr: Frame = { el, up: s };
          children.push({ text: `${(collText ??= printNode(n.collection))}[${i}]`, result: truthOf(w, r, run, fr), children: [w.ex(r, run, fr)] });
        }
      }
      return { text: (text ??= printNode(n)), result: truthOf({ t, f }, r, run, s), value: a, subject: (collText ??= printNode(n.collection)), children };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

type Compilers = { readonly [K in ExprKind]: (node: Extract<ExprNode, { kind: K }>, cx: Cx) => CNode };

/**
 * `any contacts.events where (e)`: over every row of the last array, flattened (the same truth as
 * `any contacts where (any events where (e))`); names in `e` resolve against the event, then the
 * contact, then outwards.
 */
function flatQuantifier(n: QuantifierNode, a: AggregateFact, cx: Cx): CNode {
  const rows = nestedRows(a);
  const w = compileBool(n.where, { ...cx, scopes: [...rowScopes(a), ...cx.scopes] });
  const some = (p: Get<boolean>): Get<boolean> => (r, run, s) => rows(r, run, s, (f) => p(r, run, f));
  const every = (p: Get<boolean>): Get<boolean> => (r, run, s) => !rows(r, run, s, (f) => !p(r, run, f));
  const pair: Pair =
    n.quantifier === "any" ? [some(w.t), every(w.f)] : n.quantifier === "all" ? [every(w.t), some(w.f)] : [every(w.f), some(w.t)];
  const [t, f] = pair;
  let text: string | undefined;
  let collText: string | undefined;
  return {
    t,
    f,
    cost: 20 + w.cost,
    ex: (r, run, s) => {
      const children: Explanation[] = [];
      const value: unknown[] = [];
      rows(r, run, s, (row) => {
        const fr = copyFrame(row, s);
        value.push(row.el);
        children.push({ text: `${(collText ??= printNode(n.collection))}[${children.length}]`, result: truthOf(w, r, run, fr), children: [w.ex(r, run, fr)] });
        return false;
      });
      return { text: (text ??= printNode(n)), result: truthOf({ t, f }, r, run, s), value, subject: (collText ??= printNode(n.collection)), children };
    },
  };
}

const EXPR: Compilers = {
  or: (n, cx) => chain("or", n, cx),
  and: (n, cx) => chain("and", n, cx),
  not,
  compare,
  between,
  in: inList,
  has,
  text,
  isSet,
  isEmpty,
  truthy,
  quantifier,
  within,
};

/** Compiles a condition (trees are depth-bounded by the parser or fromAST's validator). @internal */
export function compileBool(node: ExprNode, cx: Cx): CNode {
  return (EXPR[node.kind] as (n: ExprNode, cx: Cx) => CNode)(node, cx);
}

export type { DurationValue, NumOp };
