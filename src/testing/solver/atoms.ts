/**
 * Atoms: what one predicate of a rule asks of one field, as a two-valued test on a candidate
 * value ("this value makes the predicate TRUE" or "... FALSE", the value being known) and the
 * candidate values worth trying first: the rule's literals, their neighbours, the cutoffs of
 * relative dates ± 1 ms, the edges of date-only days.
 *
 * Values here are "semantic": text as text, numbers, booleans, enum values (NFC), dates as epoch
 * milliseconds, arrays of those; {@link UNSET} for null or absent.
 * @internal
 */
import type {
  DurationNode,
  DurationUnit,
  ParamNode,
  BetweenNode,
  CompareNode,
  CompareOp,
  ExprNode,
  HasNode,
  InNode,
  IsEmptyNode,
  TextNode,
  ValueNode,
  WithinNode,
} from "../../ast/nodes.js";
import type { CheckedType } from "../../check/facts.js";
import { readDuration } from "../../check/params.js";
import { type Interval, instant, isoInterval, withinInterval } from "../../compile/dates.js";
import { dateRange } from "../../time/ranges.js";
import { fold, nfc } from "../../compile/text.js";
import type { Field, FieldType } from "../../schema/model.js";
import { shift, toEpoch } from "../dates.js";
import type { FactLookup } from "./facts.js";

/** Null or absent. */
export const UNSET: unique symbol = Symbol("unset");
export type Sem = unknown;

/** What an evaluation fixes: `now`, the time zone, the parameters. */
export interface Env {
  readonly now: number;
  readonly zone: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A two-valued requirement on one value, with values worth trying. */
export interface Atom {
  readonly test: (v: Sem) => boolean;
  readonly cands: readonly Sem[];
  /** For text: pieces a value may be built from (`starts with A` and `ends with B` → "A…B"). */
  readonly parts?: readonly { readonly role: "start" | "contains" | "end" | "equal"; readonly text: string }[];
}

/** Requires a known value and nothing else. */
export const KNOWN: Atom = { test: (v) => v !== UNSET, cands: [] };
/** Requires null or absent. */
export const UNSET_ATOM: Atom = { test: (v) => v === UNSET, cands: [UNSET] };

// ---------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------

/** A right-hand side the kit understands. */
export type Operand =
  | { readonly kind: "number"; readonly v: number }
  | { readonly kind: "string"; readonly v: string }
  | { readonly kind: "boolean"; readonly v: boolean }
  /** A date value: a day [lo, hi) or an instant [t, nextUp(t)). */
  | { readonly kind: "interval"; readonly lo: number; readonly hi: number }
  /** A duration compared with a date: an age; `cutoff` is now − duration. */
  | { readonly kind: "age"; readonly cutoff: number }
  | { readonly kind: "list"; readonly items: readonly Operand[] };

/**
 * The value of a literal, duration, instant, list or parameter (a parameter read as the type the
 * checker gave it where it stands); `undefined` when the kit cannot.
 */
export function operand(node: ValueNode, env: Env, facts: FactLookup): Operand | undefined {
  switch (node.kind) {
    case "number":
      return { kind: "number", v: node.value };
    case "string":
      return { kind: "string", v: nfc(node.value) };
    case "boolean":
      return { kind: "boolean", v: node.value };
    case "date":
      return interval(isoInterval(node.text, env.zone));
    case "duration": {
      const c = shift(env.now, node.amount, node.unit, -1, env.zone);
      return c === c ? { kind: "age", cutoff: c } : undefined;
    }
    case "instant": {
      const d = durationIn(node.duration, env);
      if (!d) return undefined;
      return interval(instant(shift(env.now, d.amount, d.unit, node.direction === "ago" ? -1 : 1, env.zone)));
    }
    case "list": {
      const items: Operand[] = [];
      for (const i of node.items) {
        const o = operand(i, env, facts);
        if (!o) return undefined;
        items.push(o);
      }
      return { kind: "list", items };
    }
    case "param":
      return paramOperand(env.params[node.name], facts(node)?.type, env);
    default:
      return undefined;
  }
}

const interval = (i: Interval): Operand | undefined => (i.lo === i.lo ? { kind: "interval", lo: i.lo, hi: i.hi } : undefined);

/** The duration of a `within` or an instant: a literal, or a duration parameter's value. */
function durationIn(n: DurationNode | ParamNode, env: Env): { amount: number; unit: DurationUnit } | undefined {
  return n.kind === "duration" ? n : readDuration(env.params[n.name]);
}

/** A duration as the solver reads it next to a date: an age, the cutoff `now − d`. */
function age(d: { amount: number; unit: DurationUnit }, env: Env): Operand | undefined {
  const c = shift(env.now, d.amount, d.unit, -1, env.zone);
  return c === c ? { kind: "age", cutoff: c } : undefined;
}

function paramOperand(v: unknown, t: CheckedType | undefined, env: Env): Operand | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    const item = t?.kind === "list" ? t.item : t;
    const items: Operand[] = [];
    for (const i of v) {
      const o = paramOperand(i, item, env);
      if (!o) return undefined;
      items.push(o);
    }
    return { kind: "list", items };
  }
  const kind = t?.kind === "list" ? t.item?.kind : t?.kind;
  if (kind === "duration" || kind === "dateOrDuration") {
    const d = readDuration(v);
    if (d) return age(d, env);
    if (kind === "duration") return undefined;
  }
  if (kind === "date" || kind === "dateOrDuration") return interval(typeof v === "string" ? isoInterval(v, env.zone) : instant(toEpoch(v, env.zone)));
  if (typeof v === "number") return { kind: "number", v };
  if (typeof v === "string") return { kind: "string", v: nfc(v) };
  if (typeof v === "boolean") return { kind: "boolean", v };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Comparing one known value
// ---------------------------------------------------------------------------------------------

const FLIP: Record<CompareOp, CompareOp> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
/** `a op b` ⇔ `b (flip op) a`. */
export const flipOp = (op: CompareOp): CompareOp => FLIP[op];

/** `a op b` on numbers (the solver's one numeric comparison). */
export function compareNumbers(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

/** `v op D`, `D` a day or an instant `[lo, hi)`, read as the compiler reads it (time/ranges.ts dateRange); `!=` is not `=`. */
function dateHolds(v: number, op: CompareOp, d: Interval): boolean {
  const r = dateRange(op === "!=" ? "=" : op, d);
  return (r.lo <= v && v < r.hi) !== (op === "!=");
}

/** Position of a value in an enum's declared order (-1 when not a value). */
function rank(t: FieldType, v: Sem): number {
  return t.kind === "enum" && typeof v === "string" ? t.values.indexOf(nfc(v)) : -1;
}

/** Does the known value `v` of type `t` satisfy `v op rhs`? `undefined` when the kit cannot tell. */
export function holds(t: FieldType, v: Sem, op: CompareOp, rhs: Operand): boolean | undefined {
  switch (rhs.kind) {
    case "number":
      return typeof v === "number" ? compareNumbers(v, op, rhs.v) : undefined;
    case "boolean":
      return typeof v === "boolean" && (op === "=" || op === "!=") ? (v === rhs.v) === (op === "=") : undefined;
    case "string": {
      if (typeof v !== "string") return undefined;
      if (t.kind === "enum" && op !== "=" && op !== "!=") {
        const a = rank(t, v);
        const b = t.values.indexOf(rhs.v);
        return a < 0 || b < 0 ? undefined : compareNumbers(a, op, b);
      }
      if (op === "=") return nfc(v) === rhs.v;
      if (op === "!=") return nfc(v) !== rhs.v;
      return undefined;
    }
    case "interval":
      return typeof v === "number" ? dateHolds(v, op, rhs) : undefined;
    case "age":
      // An age: f < 6 months ⇔ f > now − 6 months (no equality: the checker refuses it).
      return typeof v === "number" && op !== "=" && op !== "!=" ? dateHolds(v, FLIP[op], instant(rhs.cutoff)) : undefined;
    case "list":
      return undefined;
  }
}

/** Candidate values around an operand, for a field of type `t`. */
export function around(t: FieldType, rhs: Operand): Sem[] {
  switch (rhs.kind) {
    case "number": {
      const n = rhs.v;
      const out = [n, n - 1, n + 1, 0];
      const integer = t.kind === "number" ? t.integer : t.kind === "array" && t.element.kind === "number" ? t.element.integer : false;
      if (!integer) out.push(n - 0.5, n + 0.5, n - 0.001, n + 0.001);
      return out.filter((x) => Number.isFinite(x));
    }
    case "string":
      if (t.kind === "enum") return [...t.values];
      return [rhs.v, `${rhs.v}x`, "", rhs.v.toUpperCase(), `x${rhs.v}`];
    case "boolean":
      return [true, false];
    case "interval": {
      const { lo, hi } = rhs;
      return [lo, lo - 1, lo + 1, hi - 1, hi, hi + 1, lo - 86_400_000, hi + 86_400_000];
    }
    case "age": {
      const c = rhs.cutoff;
      return [c, c - 1, c + 1, c - 86_400_000, c + 86_400_000];
    }
    case "list":
      return rhs.items.flatMap((i) => around(t, i));
  }
}

/** The atom "v op rhs is TRUE" (want true) or "... FALSE" (want false), for a field of type `t`. */
export function compareAtom(t: FieldType, op: CompareOp, rhs: Operand, want: boolean): Atom | undefined {
  if (holds(t, sample(t), op, rhs) === undefined && holds(t, sampleOther(t), op, rhs) === undefined) return undefined;
  const cands = around(t, rhs);
  if (t.kind === "enum") cands.push(...t.values);
  if (t.kind === "boolean") cands.push(true, false);
  return {
    test: (v) => v !== UNSET && holds(t, v, op, rhs) === want,
    cands,
    parts: rhs.kind === "string" && op === "=" && want ? [{ role: "equal", text: rhs.v }] : undefined,
  };
}

function sample(t: FieldType): Sem {
  switch (t.kind) {
    case "string":
      return "";
    case "enum":
      return t.values[0] ?? "";
    case "number":
    case "date":
      return 0;
    case "boolean":
      return true;
    default:
      return undefined;
  }
}
const sampleOther = (t: FieldType): Sem => (t.kind === "enum" ? (t.values[t.values.length - 1] ?? "") : sample(t));

// ---------------------------------------------------------------------------------------------
// Atoms of each predicate kind, on its subject field
// ---------------------------------------------------------------------------------------------

/** `f between a and b` on a number or date field. */
export function betweenAtom(t: FieldType, node: BetweenNode, want: boolean, env: Env, facts: FactLookup): Atom | undefined {
  const low = operand(node.low, env, facts);
  const high = operand(node.high, env, facts);
  if (!low || !high) return undefined;
  // As the compiler reads it: numbers lo <= v <= hi; dates from the start of the first bound to
  // the end of the second, an age being the instant now − d (two ages: the older one first).
  let inside: ((v: number) => boolean) | undefined;
  if (low.kind === "number" && high.kind === "number") inside = (v) => v >= low.v && v <= high.v;
  else if ((low.kind === "age") === (high.kind === "age")) {
    // (A date and an age do not make a range: parameters given so are refused by the evaluator.)
    const asInterval = (o: Operand): Interval | undefined => (o.kind === "interval" ? o : o.kind === "age" ? instant(o.cutoff) : undefined);
    const [from, to] = low.kind === "age" && high.kind === "age" ? [asInterval(high), asInterval(low)] : [asInterval(low), asInterval(high)];
    if (from && to) inside = (v) => v >= from.lo && v < to.hi;
  }
  if (!inside) return undefined;
  const test = inside;
  const wantInside = want !== node.negated;
  const cands = [...around(t, low), ...around(t, high)];
  const nums = cands.filter((c): c is number => typeof c === "number").sort((a, b) => a - b);
  for (let i = 0; i + 1 < nums.length; i++) cands.push((nums[i]! + nums[i + 1]!) / 2);
  return { test: (v) => typeof v === "number" && test(v) === wantInside, cands };
}

/** `f in [..]` / `f not in [..]`. */
export function inAtom(t: FieldType, node: InNode, want: boolean, env: Env, facts: FactLookup): Atom | undefined {
  const list = operand(node.list, env, facts);
  if (!list || list.kind !== "list") return undefined;
  const member = (v: Sem) => list.items.some((i) => holds(t, v, "=", i) === true);
  const wantIn = want !== node.negated;
  const cands: Sem[] = list.items.flatMap((i) => around(t, i));
  if (t.kind === "enum") cands.push(...t.values);
  return { test: (v) => v !== UNSET && (typeof v === "string" || typeof v === "number") && member(v) === wantIn, cands };
}

/** Elements of a known array value, nulls dropped. */
const elements = (v: Sem): Sem[] => (Array.isArray(v) ? v.filter((e) => e !== null && e !== UNSET) : []);

/** `f has v`, `has any/all/none [..]` on an array of scalars. */
export function hasAtom(t: FieldType, node: HasNode, want: boolean, env: Env, facts: FactLookup, fillers: readonly Sem[]): Atom | undefined {
  if (t.kind !== "array") return undefined;
  const el = t.element;
  const value = operand(node.value, env, facts);
  if (!value) return undefined;
  const items = value.kind === "list" ? value.items : [value];
  const contains = (arr: Sem[], i: Operand) => arr.some((e) => holds(el, e, "=", i) === true);
  const truth = (arr: Sem[]): boolean => {
    switch (node.mode) {
      case "one":
      case "any":
        return items.some((i) => contains(arr, i));
      case "all":
        return items.every((i) => contains(arr, i));
      case "none":
        return !items.some((i) => contains(arr, i));
    }
  };
  const lits = items.map((i) => literalOf(i)).filter((x) => x !== undefined);
  return {
    test: (v) => Array.isArray(v) && truth(elements(v)) === want,
    cands: arrayCands(lits, fillers),
  };
}

function literalOf(o: Operand): Sem | undefined {
  return o.kind === "number" || o.kind === "string" || o.kind === "boolean" ? o.v : o.kind === "interval" ? o.lo : undefined;
}

/** Arrays built from literals and fillers: [], each literal alone, all of them, with and without a filler. */
export function arrayCands(lits: readonly Sem[], fillers: readonly Sem[]): Sem[][] {
  const f = fillers.find((x) => !lits.includes(x));
  const out: Sem[][] = [[]];
  for (const l of lits) out.push([l]);
  if (lits.length > 1) out.push([...lits]);
  if (f !== undefined) {
    out.push([f]);
    for (const l of lits.slice(0, 2)) out.push([f, l]);
    if (lits.length > 1) out.push([...lits, f]);
  }
  return out;
}

/** `contains`, `starts with`, `ends with`, `~=` and their `not` forms on a text field. */
export function textAtom(node: TextNode, want: boolean, env: Env, facts: FactLookup): Atom | undefined {
  const o = operand(node.value, env, facts);
  if (!o || o.kind !== "string") return undefined;
  const needle = fold(o.v);
  const truth = (s: string): boolean => {
    const h = fold(s);
    switch (node.op) {
      case "contains":
        return h.includes(needle);
      case "startsWith":
        return h.startsWith(needle);
      case "endsWith":
        return h.endsWith(needle);
      case "foldEquals":
        return h === needle;
    }
  };
  const wantTrue = want !== node.negated;
  const s = o.v;
  const role = node.op === "startsWith" ? "start" : node.op === "endsWith" ? "end" : node.op === "foldEquals" ? "equal" : "contains";
  return {
    test: (v) => typeof v === "string" && truth(v) === wantTrue,
    cands: [s, s.toUpperCase(), `x ${s} y`, `${s} y`, `x ${s}`, "", "zz", s.slice(1), `${s.slice(0, -1)}`, s.normalize("NFD")],
    parts: wantTrue ? [{ role, text: s }] : undefined,
  };
}

/** `f is empty` / `is not empty` on text or an array of scalars. */
export function isEmptyAtom(t: FieldType, node: IsEmptyNode, want: boolean, fillers: readonly Sem[]): Atom | undefined {
  const wantEmpty = want !== node.negated;
  if (t.kind === "string") {
    return { test: (v) => typeof v === "string" && (v.length === 0) === wantEmpty, cands: ["", fillers[0] ?? "x"] };
  }
  if (t.kind === "array") {
    return {
      test: (v) => Array.isArray(v) && (v.length === 0) === wantEmpty,
      cands: [[], ...(fillers.length ? [[fillers[0]]] : [])],
    };
  }
  return undefined;
}

/** `f` alone on a boolean field. */
export function truthyAtom(want: boolean): Atom {
  return { test: (v) => v === want, cands: [want] };
}

/** `f within last|next d` on a date field. */
export function withinAtom(node: WithinNode, want: boolean, env: Env): Atom | undefined {
  const d = durationIn(node.duration, env);
  if (!d) return undefined;
  const other = shift(env.now, d.amount, d.unit, node.direction === "last" ? -1 : 1, env.zone);
  if (other !== other) return undefined;
  const range = withinInterval(node.direction, env.now, other);
  const lo = Math.min(other, env.now);
  const hi = Math.max(other, env.now);
  return {
    test: (v) => typeof v === "number" && (range.lo <= v && v < range.hi) === want,
    cands: [lo, lo - 1, lo + 1, hi, hi - 1, hi + 1, (lo + hi) / 2, lo - 86_400_000, hi + 86_400_000],
  };
}

/** The atom of a comparison between two known values of one type (field against field). */
export function crossHolds(t: FieldType, a: Sem, op: CompareOp, b: Sem): boolean | undefined {
  if (a === UNSET || b === UNSET) return undefined;
  if (t.kind === "enum") {
    if (op === "=" || op === "!=") return typeof a === "string" && typeof b === "string" ? (nfc(a) === nfc(b)) === (op === "=") : undefined;
    return compareNumbers(rank(t, a), op, rank(t, b));
  }
  if (typeof a === "number" && typeof b === "number") return compareNumbers(a, op, b);
  if (typeof a === "string" && typeof b === "string") {
    if (op === "=") return nfc(a) === nfc(b);
    if (op === "!=") return nfc(a) !== nfc(b);
    return undefined;
  }
  if (typeof a === "boolean" && typeof b === "boolean") {
    if (op === "=") return a === b;
    if (op === "!=") return a !== b;
  }
  return undefined;
}

/** The atom for one predicate node whose subject is the field of type `t` (not `is set`, not aggregates). */
export function leafAtom(expr: ExprNode, field: Field, want: boolean, env: Env, facts: FactLookup, fillers: readonly Sem[]): Atom | undefined {
  const t = field.type;
  switch (expr.kind) {
    case "compare": {
      const n = expr as CompareNode;
      const rhs = n.left.kind === "field" ? n.right : n.left;
      const op = n.left.kind === "field" ? n.op : flipOp(n.op);
      const o = operand(rhs, env, facts);
      return o ? compareAtom(t, op, o, want) : undefined;
    }
    case "between":
      return betweenAtom(t, expr, want, env, facts);
    case "in":
      return inAtom(t, expr, want, env, facts);
    case "has":
      return hasAtom(t, expr, want, env, facts, fillers);
    case "text":
      return textAtom(expr, want, env, facts);
    case "isEmpty":
      return isEmptyAtom(t, expr, want, fillers);
    case "truthy":
      return t.kind === "boolean" ? truthyAtom(want) : undefined;
    case "within":
      return withinAtom(expr, want, env);
    default:
      return undefined;
  }
}

/** Text candidates composed from the pieces text atoms ask for: starts + contains + ends. */
export function composeText(atoms: readonly Atom[]): string[] {
  const parts = atoms.flatMap((a) => a.parts ?? []);
  if (parts.length < 2) return [];
  const equal = parts.filter((p) => p.role === "equal").map((p) => p.text);
  const starts = parts.filter((p) => p.role === "start").map((p) => p.text);
  const mids = parts.filter((p) => p.role === "contains").map((p) => p.text);
  const ends = parts.filter((p) => p.role === "end").map((p) => p.text);
  const out = [...equal];
  const s = starts.sort((a, b) => b.length - a.length)[0] ?? "";
  const e = ends.sort((a, b) => b.length - a.length)[0] ?? "";
  out.push(s + mids.join("") + e, [s, ...mids, e].filter(Boolean).join(" "));
  return out;
}
