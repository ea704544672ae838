/**
 * The search for witness plans: a depth-first walk of the rule with a wanted truth value,
 * negations pushed down (`not e` TRUE ⇔ `e` FALSE), one branch of an `or` (TRUE) or of an `and`
 * (FALSE) at a time, every operand of the other case, quantifiers as elements to create or goals
 * every element meets, aggregates as a target value and the elements that reach it. Each
 * predicate becomes an atom on one field; a field whose atoms admit no candidate cuts the branch
 * (`employees > 5 and employees < 3`). Bounded by a step budget.
 * @internal
 */
import type { AggregateNode, CompareOp, ExprNode, FieldNode, ValueNode } from "../../ast/nodes.js";
import { forEachNode } from "../../ast/walk.js";
import type { FieldFact } from "../../check/facts.js";
import type { Field, FieldType } from "../../schema/model.js";
import {
  type Atom,
  type Env,
  KNOWN,
  type Sem,
  UNSET,
  UNSET_ATOM,
  compareAtom,
  compareNumbers,
  composeText,
  crossHolds,
  flipOp,
  leafAtom,
  operand,
} from "./atoms.js";
import { type FactLookup, elementSteps, levelOf, scopeIndex } from "./facts.js";
import { type ArrPlan, type Goal, Plan, type SlotRef, type Want, slotKey } from "./plan.js";
import { accepts, defaults, fillers, normalise, semKey } from "./values.js";
import type { Rng } from "../rng.js";

/** What a search needs. */
export interface SearchContext {
  readonly env: Env;
  /** What the checker resolved for the rules' nodes: paths, scopes, aggregate splits, parameter types. */
  readonly facts: FactLookup;
  /** Shuffles the order branches are tried in; absent: left to right. */
  readonly rng?: Rng;
  /** Most elements one array of objects may get. */
  readonly maxElements: number;
  /** Steps left; the search stops at 0. */
  readonly budget: { steps: number };
}

type Alt = (p: Plan) => Goal[] | false;

const FLIP_WANT: Record<"T" | "F" | "U", "T" | "F" | "U"> = { T: "F", F: "T", U: "U" };

const expr = (e: ExprNode, want: Want, scope: readonly number[]): Goal => ({ kind: "expr", expr: e, want, scope });

/** Yields plans meeting every goal, lazily, until the budget runs out. */
export function* search(plan: Plan, goals: readonly Goal[], cx: SearchContext): Generator<Plan> {
  if (cx.budget.steps <= 0) return;
  if (goals.length === 0) {
    const pad = padding(plan, cx);
    if (pad === false) return;
    if (pad === undefined) {
      yield plan;
      return;
    }
    yield* search(pad.plan, pad.goals, cx);
    return;
  }
  const [goal, ...rest] = goals;
  let alts: Alt[];
  if (goal!.kind === "atom") {
    const g = goal!;
    alts = [(p) => (addAtom(p, p.slotOf(g.objId, g.field), g.atom, cx.env) ? [] : false)];
  } else {
    alts = expand(goal!.expr, goal!.want, goal!.scope, cx, plan);
  }
  if (cx.rng && alts.length > 1) alts = cx.rng.shuffle(alts);
  for (const alt of alts) {
    if (cx.budget.steps-- <= 0) return;
    const p = plan.clone();
    const more = alt(p);
    if (more === false) continue;
    yield* search(p, [...more, ...rest], cx);
  }
}

/** Arrays that need more elements (`count(P) = 3`) get them, each meeting the arrays' goals. */
function padding(plan: Plan, cx: SearchContext): { plan: Plan; goals: Goal[] } | false | undefined {
  for (const o of plan.objs) {
    for (const [name, a] of o.arrays) {
      if (a.size !== undefined && a.elems.length < a.size) {
        const p = plan.clone();
        const field = o.type.fields.get(name)!;
        const goals: Goal[] = [];
        for (let i = a.elems.length; i < a.size; i++) {
          const made = newElement(p, o.id, field, cx);
          if (!made) return false;
          goals.push(...made.goals);
        }
        return { plan: p, goals };
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Slots and candidates
// ---------------------------------------------------------------------------------------------

/** The candidates of a slot that all its atoms accept, boundary values first. */
export function slotCandidates(p: Plan, slot: SlotRef, env: Env): Sem[] {
  const key = slotKey(slot.objId, slot.field.name);
  const atoms = p.atoms.get(key) ?? [];
  const raw: Sem[] = [];
  for (const a of atoms) raw.push(...a.cands);
  if (slot.field.type.kind === "string") raw.push(...composeText(atoms));
  raw.push(...defaults(slot.field, env));
  const seen = new Set<string>();
  const out: Sem[] = [];
  for (const c of raw) {
    const v = normalise(slot, c, env);
    const k = semKey(v);
    if (seen.has(k)) continue;
    seen.add(k);
    if (v !== UNSET && typeof v === "number" && !Number.isFinite(v)) continue;
    if (atoms.every((a) => a.test(v)) && accepts(slot, v, env)) out.push(v);
  }
  return out;
}

/** Adds an atom to a slot; false when no candidate is left. */
export function addAtom(p: Plan, slot: SlotRef, atom: Atom, env: Env): boolean {
  const key = slotKey(slot.objId, slot.field.name);
  p.slots.set(key, slot);
  p.atoms.set(key, [...(p.atoms.get(key) ?? []), atom]);
  const c = slotCandidates(p, slot, env);
  p.cands.set(key, c);
  return c.length > 0;
}

function setPresence(p: Plan, objId: number, field: Field, value: boolean): boolean {
  const key = slotKey(objId, field.name);
  const was = p.presence.get(key);
  if (was !== undefined) return was === value;
  if (!value && !field.nullable && !field.optional) return false;
  p.presence.set(key, value);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** A path as the checker resolved it, in the plan: the instance its first name is bound to and one field per step. */
interface Resolved {
  readonly scopeId: number;
  readonly steps: readonly Field[];
}

/** Stands for the element of a `where` that its condition does not read (see {@link aggregateAlts}). */
const NO_ELEMENT = -1;

/** The instance a resolved path starts at, given the goal's scope (instances, innermost first). */
function placed(f: FieldFact | undefined, scope: readonly number[]): Resolved | undefined {
  if (!f) return undefined;
  const i = scopeIndex(f, scope);
  const id = i === undefined ? undefined : scope[i];
  return id === undefined || id === NO_ELEMENT ? undefined : { scopeId: id, steps: f.steps };
}

/** The field a node names, as the checker resolved it. */
function fieldOf(node: ValueNode, scope: readonly number[], cx: SearchContext): Resolved | undefined {
  return node.kind === "field" ? placed(cx.facts(node)?.field, scope) : undefined;
}

/** Creates the nested instances of a resolved path; returns the leaf's owner and the ancestors (nested object fields). */
function place(p: Plan, r: Resolved): { owner: number; leaf: Field; ancestors: { objId: number; field: Field }[] } {
  let owner = r.scopeId;
  const ancestors: { objId: number; field: Field }[] = [];
  for (let i = 0; i < r.steps.length - 1; i++) {
    const f = r.steps[i]!;
    ancestors.push({ objId: owner, field: f });
    owner = p.nestedOf(owner, f);
  }
  return { owner, leaf: r.steps[r.steps.length - 1]!, ancestors };
}

function requireKnown(p: Plan, ancestors: readonly { objId: number; field: Field }[]): boolean {
  return ancestors.every((a) => setPresence(p, a.objId, a.field, true));
}

const isObjectArray = (t: FieldType): boolean => t.kind === "array" && t.element.kind === "object";

/** Alternatives that make the value at a path null or absent: the field itself, or one of the objects on the way. */
function unsetAlts(r: Resolved, env: Env): Alt[] {
  const alts: Alt[] = [];
  const leaf = r.steps[r.steps.length - 1]!;
  if (leaf.nullable || leaf.optional) {
    alts.push((p) => {
      const { owner, leaf: f } = place(p, r);
      if (f.type.kind === "object") return setPresence(p, owner, f, false) ? [] : false;
      if (isObjectArray(f.type)) {
        const a = p.arrayOf(owner, f);
        if (a.present === true || a.elems.length) return false;
        a.present = false;
        return [];
      }
      return addAtom(p, p.slotOf(owner, f), UNSET_ATOM, env) ? [] : false;
    });
  }
  for (let k = 0; k < r.steps.length - 1; k++) {
    const f = r.steps[k]!;
    if (!f.nullable && !f.optional) continue;
    alts.push((p) => {
      const { ancestors } = place(p, r);
      const a = ancestors[k]!;
      return setPresence(p, a.objId, a.field, false) ? [] : false;
    });
  }
  return alts;
}

// ---------------------------------------------------------------------------------------------
// Elements of arrays of objects
// ---------------------------------------------------------------------------------------------

function newElement(p: Plan, owner: number, field: Field, cx: SearchContext): { id: number; goals: Goal[] } | false {
  const a = p.arrayOf(owner, field);
  if (a.present === false) return false;
  if (a.size !== undefined && a.elems.length >= a.size) return false;
  if (a.elems.length >= cx.maxElements) return false;
  const id = p.newInstance(owner, field);
  a.elems.push(id);
  a.present = true;
  const goals = a.foralls.filter((f) => !f.except.has(id)).flatMap((f) => f.make(id));
  return { id, goals };
}

function addForall(a: ArrPlan, make: (e: number) => Goal[], except: ReadonlySet<number> = new Set()): Goal[] {
  a.foralls.push({ make, except });
  return a.elems.filter((e) => !except.has(e)).flatMap(make);
}

/** The array of objects a quantifier runs over; `undefined` when it is not one. */
function collection(coll: FieldNode, scope: readonly number[], cx: SearchContext): Resolved | undefined {
  const r = fieldOf(coll, scope, cx);
  return r && isObjectArray(r.steps[r.steps.length - 1]!.type) ? r : undefined;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

const FREE: Alt[] = [() => []];

function expand(e: ExprNode, want: Want, scope: readonly number[], cx: SearchContext, plan: Plan): Alt[] {
  // Not TRUE: FALSE, or else unknown; not FALSE: TRUE, or else unknown.
  if (want === "N") return [() => [expr(e, "F", scope)], () => [expr(e, "U", scope)]];
  if (want === "P") return [() => [expr(e, "T", scope)], () => [expr(e, "U", scope)]];
  switch (e.kind) {
    case "and":
      if (want === "T") return [() => e.operands.map((o) => expr(o, "T", scope))];
      if (want === "F") return e.operands.map((o) => () => [expr(o, "F", scope)]);
      // Unknown: one operand unknown, none FALSE.
      return e.operands.map((_, i) => () => e.operands.map((o, j) => expr(o, i === j ? "U" : "P", scope)));
    case "or":
      if (want === "F") return [() => e.operands.map((o) => expr(o, "F", scope))];
      if (want === "T") return e.operands.map((o) => () => [expr(o, "T", scope)]);
      // Unknown: one operand unknown, none TRUE.
      return e.operands.map((_, i) => () => e.operands.map((o, j) => expr(o, i === j ? "U" : "N", scope)));
    case "not":
      return [() => [expr(e.operand, FLIP_WANT[want], scope)]];
    case "compare":
      return compareAlts(e, want, scope, cx, plan);
    case "between":
      if (e.subject.kind === "aggregate") {
        const lo = operand(e.low, cx.env, cx.facts);
        const hi = operand(e.high, cx.env, cx.facts);
        if (lo?.kind !== "number" || hi?.kind !== "number") return FREE;
        const at = aggregateAt(e.subject, scope, cx);
        if (!at) return FREE;
        const inside = (x: number) => (x >= lo.v && x <= hi.v) !== e.negated;
        return aggregateAlts(at, inside, [lo.v, hi.v], want, scope, cx, plan);
      }
      return subjectAlts(e.subject, e, want, scope, cx, plan);
    case "in":
    case "has":
    case "text":
    case "within":
      return subjectAlts(e.subject, e, want, scope, cx, plan);
    case "isEmpty":
      return isEmptyAlts(e.subject, e.negated, e, want, scope, cx, plan);
    case "truthy":
      if (e.subject.kind === "param") {
        const v = cx.env.params[e.subject.name];
        if (typeof v !== "boolean") return want === "U" ? FREE : [];
        return (v && want === "T") || (!v && want === "F") ? FREE : [];
      }
      return subjectAlts(e.subject, e, want, scope, cx, plan);
    case "isSet":
      return isSetAlts(e.subject, e.negated, want, scope, cx, plan);
    case "quantifier":
      return quantifierAlts(e.quantifier, e.collection, e.where, want, scope, cx, plan);
  }
}

/** A predicate on one field (its subject): an atom; for unknown, the field (or an object on its way) unset. */
function subjectAlts(subject: ValueNode, e: ExprNode, want: Want, scope: readonly number[], cx: SearchContext, plan: Plan): Alt[] {
  const r = fieldOf(subject, scope, cx);
  if (!r) return FREE;
  if (want === "U") return unsetAlts(r, cx.env);
  return [
    (p) => {
      const { owner, leaf, ancestors } = place(p, r);
      const atom = leafAtom(e, leaf, want === "T", cx.env, cx.facts, fillers(leaf.type, cx.env));
      if (!atom) return [];
      if (!requireKnown(p, ancestors)) return false;
      return addAtom(p, p.slotOf(owner, leaf), atom, cx.env) ? [] : false;
    },
  ];
}

function isSetAlts(subject: ValueNode, negated: boolean, want: Want, scope: readonly number[], cx: SearchContext, plan: Plan): Alt[] {
  if (want === "U") return [];
  const r = fieldOf(subject, scope, cx);
  if (!r) return FREE;
  const wantSet = (want === "T") !== negated;
  if (!wantSet) return unsetAlts(r, cx.env);
  return [
    (p) => {
      const { owner, leaf, ancestors } = place(p, r);
      if (!requireKnown(p, ancestors)) return false;
      if (leaf.type.kind === "object") return setPresence(p, owner, leaf, true) ? [] : false;
      if (isObjectArray(leaf.type)) {
        const a = p.arrayOf(owner, leaf);
        if (a.present === false) return false;
        a.present = true;
        return [];
      }
      return addAtom(p, p.slotOf(owner, leaf), KNOWN, cx.env) ? [] : false;
    },
  ];
}

function isEmptyAlts(
  subject: ValueNode,
  negated: boolean,
  e: ExprNode,
  want: Want,
  scope: readonly number[],
  cx: SearchContext,
  plan: Plan,
): Alt[] {
  const r = fieldOf(subject, scope, cx);
  if (!r) return FREE;
  const objects = isObjectArray(r.steps[r.steps.length - 1]!.type);
  if (want === "U") return objects ? [] : unsetAlts(r, cx.env);
  if (!objects) return subjectAlts(subject, e, want, scope, cx, plan);
  const wantEmpty = (want === "T") !== negated;
  return [
    (p) => {
      const { owner, leaf, ancestors } = place(p, r);
      if (!requireKnown(p, ancestors)) return false;
      const a = p.arrayOf(owner, leaf);
      if (a.present === false) return false;
      a.present = true;
      if (wantEmpty) {
        if (a.elems.length > 0 || (a.size !== undefined && a.size !== 0)) return false;
        a.size = 0;
        return [];
      }
      if (a.elems.length > 0) return [];
      const made = newElement(p, owner, leaf, cx);
      return made ? made.goals : false;
    },
  ];
}

function quantifierAlts(
  q: "any" | "all" | "none",
  coll: FieldNode,
  where: ExprNode,
  want: "T" | "F" | "U",
  scope: readonly number[],
  cx: SearchContext,
  plan: Plan,
): Alt[] {
  // none P where e  ⇔  not (any P where e)
  if (q === "none") return quantifierAlts("any", coll, where, FLIP_WANT[want], scope, cx, plan);
  const r = collection(coll, scope, cx);
  if (!r) return FREE;
  const inner = (el: number) => [el, ...scope];
  // "Some element meets (where, w)": a new element, or one the plan already has.
  const exists = (w: Want, others?: Want): Alt[] => {
    const alts: Alt[] = [
      (p) => {
        const { owner, leaf, ancestors } = place(p, r);
        if (!requireKnown(p, ancestors)) return false;
        const made = newElement(p, owner, leaf, cx);
        if (!made) return false;
        const goals = [...made.goals, expr(where, w, inner(made.id))];
        if (others) goals.push(...addForall(p.arrayOf(owner, leaf), (el) => [expr(where, others, inner(el))], new Set([made.id])));
        return goals;
      },
    ];
    if (!others) {
      const { owner, leaf } = place(plan.clone(), r);
      const existing = plan.objs[owner]?.arrays.get(leaf.name)?.elems ?? [];
      for (const el of existing) alts.push(() => [expr(where, w, inner(el))]);
    }
    return alts;
  };
  const every = (w: Want): Alt[] => [
    (p) => {
      const { owner, leaf } = place(p, r);
      return addForall(p.arrayOf(owner, leaf), (el) => [expr(where, w, inner(el))]);
    },
  ];
  if (q === "any") return want === "T" ? exists("T") : want === "F" ? every("F") : exists("U", "N");
  return want === "T" ? every("T") : want === "F" ? exists("F") : exists("U", "P");
}

// ---------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------

const isValue = (v: ValueNode) => v.kind !== "field" && v.kind !== "aggregate" && v.kind !== "ref";

function compareAlts(e: ExprNode & { kind: "compare" }, want: Want, scope: readonly number[], cx: SearchContext, plan: Plan): Alt[] {
  const { left, right, op } = e;
  if (left.kind === "aggregate" || right.kind === "aggregate") {
    const at = aggregateAt((left.kind === "aggregate" ? left : right) as AggregateNode, scope, cx);
    const other = left.kind === "aggregate" ? right : left;
    const o = isValue(other) ? operand(other, cx.env, cx.facts) : undefined;
    if (!at || !o || o.kind !== "number") return FREE;
    const theOp: CompareOp = left.kind === "aggregate" ? op : flipOp(op);
    const n = o.v;
    return aggregateAlts(at, (x) => compareNumbers(x, theOp, n), [n], want, scope, cx, plan);
  }
  if (left.kind === "field" && right.kind === "field") return crossAlts(left, right, op, want, scope, cx, plan);
  if (left.kind === "field" && isValue(right)) return subjectAlts(left, e, want, scope, cx, plan);
  if (right.kind === "field" && isValue(left)) return subjectAlts(right, e, want, scope, cx, plan);
  return FREE;
}

function crossAlts(
  a: FieldNode,
  b: FieldNode,
  op: CompareOp,
  want: Want,
  scope: readonly number[],
  cx: SearchContext,
  plan: Plan,
): Alt[] {
  const ra = fieldOf(a, scope, cx);
  const rb = fieldOf(b, scope, cx);
  if (!ra || !rb) return FREE;
  if (want === "U") return [...unsetAlts(ra, cx.env), ...unsetAlts(rb, cx.env)];
  return [
    (p) => {
      const pa = place(p, ra);
      const pb = place(p, rb);
      const ta = pa.leaf.type;
      if (ta.kind !== pb.leaf.type.kind || ta.kind === "array" || ta.kind === "object") return [];
      if (!requireKnown(p, pa.ancestors) || !requireKnown(p, pb.ancestors)) return false;
      const sa = p.slotOf(pa.owner, pa.leaf);
      const sb = p.slotOf(pb.owner, pb.leaf);
      if (!addAtom(p, sa, KNOWN, cx.env) || !addAtom(p, sb, KNOWN, cx.env)) return false;
      const wantTrue = want === "T";
      p.cross.push({
        a: slotKey(sa.objId, sa.field.name),
        b: slotKey(sb.objId, sb.field.name),
        type: ta,
        test: (va, vb) => crossHolds(ta, va, op, vb) === wantTrue,
      });
      return [];
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Aggregates
// ---------------------------------------------------------------------------------------------

/** Target values of an aggregate: near the rule's numbers first, meeting (or failing) the predicate. */
function targets(
  pred: (x: number) => boolean,
  hints: readonly number[],
  wantTrue: boolean,
  integer: boolean,
  count: boolean,
  cx: SearchContext,
): number[] {
  const near: number[] = [];
  for (const h of hints) near.push(h, h - 1, h + 1, h - 0.5, h + 0.5, h + 2, h - 2);
  const far: number[] = [0, 1, 2, 3];
  for (const h of hints) far.push(h * 2, -Math.abs(h) * 2 - 1, h + 1000, h - 1000);
  const seen = new Set<number>();
  const pick = (raw: readonly number[], limit: number): number[] => {
    const out: number[] = [];
    for (const x of raw) {
      if (out.length >= limit) break;
      if (!Number.isFinite(x) || seen.has(x)) continue;
      if ((integer || count) && !Number.isInteger(x)) continue;
      if (count && (x < 0 || x > cx.maxElements)) continue;
      if (pred(x) !== wantTrue) continue;
      seen.add(x);
      out.push(x);
    }
    return out;
  };
  // Boundary values first, then 0 and values far on the right side (another rule may need them).
  return [...pick(near, 3), ...pick(far, 2)];
}

/** An aggregate to meet: the array it runs over, placed, and the element's field, as the checker split its path. */
interface AggregateAt {
  readonly r: Resolved;
  readonly elementField?: Field;
  readonly fn: AggregateNode["fn"];
  readonly where?: ExprNode;
}

function aggregateAt(agg: AggregateNode, scope: readonly number[], cx: SearchContext): AggregateAt | undefined {
  const a = cx.facts(agg)?.aggregate;
  const r = placed(a?.collection, scope);
  if (!a || !r) return undefined;
  const steps = elementSteps(a);
  if (!steps) return undefined;
  const { fn, where } = agg;
  if (steps.length === 0) return { r, fn, where };
  // One field of the element; a path through the element's nested objects is left free.
  return steps.length === 1 ? { r, elementField: steps[0]!, fn, where } : undefined;
}

function aggregateAlts(
  res: AggregateAt,
  pred: (x: number) => boolean,
  hints: readonly number[],
  want: Want,
  scope: readonly number[],
  cx: SearchContext,
  plan: Plan,
): Alt[] {
  const { r, elementField, fn, where } = res;
  const arrayField = r.steps[r.steps.length - 1]!;
  const wantTrue = want === "T";
  if (where && isObjectArray(arrayField.type) && !readsElement(where, scope.length, cx)) {
    // A `where` on outer fields only counts every element or none: the aggregate of all
    // elements with `where` TRUE, or of nothing with `where` not TRUE. It is met in the
    // scopes the checker saw, with no element to read.
    const outer = [NO_ELEMENT, ...scope];
    const all = aggregateAlts({ ...res, where: undefined }, pred, hints, want, scope, cx, plan).map(
      (alt): Alt =>
        (p) => {
          const g = alt(p);
          return g === false ? false : [expr(where, "T", outer), ...g];
        },
    );
    const ofNothing = fn === "count" || fn === "sum" ? (want === "U" ? undefined : pred(0) === wantTrue) : want === "U";
    if (ofNothing) all.push(() => [expr(where, "N", outer)]);
    return all;
  }
  const inner = (el: number) => [el, ...scope];
  const alts: Alt[] = [];

  if (fn === "count") {
    if (want === "U") return [];
    for (const k of targets(pred, hints, wantTrue, true, true, cx)) {
      if (isObjectArray(arrayField.type)) {
        alts.push((p) => {
          const { owner, leaf, ancestors } = place(p, r);
          const a = p.arrayOf(owner, leaf);
          if (k > 0 && !requireKnown(p, ancestors)) return false;
          if (!where) {
            if (a.elems.length > k || (a.size !== undefined && a.size !== k)) return false;
            a.size = k;
            return [];
          }
          const goals: Goal[] = [];
          const made: number[] = [];
          for (let j = 0; j < k; j++) {
            const m = newElement(p, owner, leaf, cx);
            if (!m) return false;
            made.push(m.id);
            goals.push(...m.goals, expr(where, "T", inner(m.id)));
          }
          goals.push(...addForall(a, (el) => [expr(where, "N", inner(el))], new Set(made)));
          return goals;
        });
      } else {
        // An array of scalars: its length.
        alts.push((p) => {
          const { owner, leaf, ancestors } = place(p, r);
          if (!requireKnown(p, ancestors)) return false;
          const fill = fillers(leaf.type, cx.env);
          const first = fill[0];
          const distinct = Array.from({ length: k }, (_, j) =>
            typeof first === "number" ? first + j : typeof first === "string" ? `${first}${j}` : fill[j % Math.max(1, fill.length)],
          );
          const atom: Atom = {
            test: (v) => Array.isArray(v) && pred(v.filter((x) => x !== null).length) === wantTrue,
            cands: [distinct, Array.from({ length: k }, (_, j) => fill[j % Math.max(1, fill.length)])],
          };
          return addAtom(p, p.slotOf(owner, leaf), atom, cx.env) ? [] : false;
        });
      }
    }
    return alts;
  }

  if (!elementField) {
    // sum / avg / min / max over an array of numbers
    if (isObjectArray(arrayField.type)) return FREE;
    const t = arrayField.type;
    const integer = t.kind === "array" && t.element.kind === "number" && t.element.integer;
    const value = (v: Sem): number | undefined => {
      if (!Array.isArray(v)) return undefined;
      const xs = v.filter((x): x is number => typeof x === "number");
      if (fn === "sum") return xs.reduce((s, x) => s + x, 0);
      if (xs.length === 0) return undefined;
      if (fn === "avg") return xs.reduce((s, x) => s + x, 0) / xs.length;
      return fn === "min" ? Math.min(...xs) : Math.max(...xs);
    };
    const withAtom = (atom: Atom): Alt => (p) => {
      const { owner, leaf, ancestors } = place(p, r);
      if (!requireKnown(p, ancestors)) return false;
      return addAtom(p, p.slotOf(owner, leaf), atom, cx.env) ? [] : false;
    };
    if (want === "U") return fn === "sum" ? [] : [withAtom({ test: (v) => Array.isArray(v) && value(v) === undefined, cands: [[]] })];
    for (const x of targets(pred, hints, wantTrue, integer, false, cx)) {
      const cands: Sem[] = [[x], [x, x]];
      if (fn === "sum") cands.push([], [0, x], integer ? [Math.floor(x / 2), x - Math.floor(x / 2)] : [x / 2, x / 2]);
      alts.push(withAtom({ test: (v) => { const y = value(v); return y !== undefined && pred(y) === wantTrue; }, cands }));
    }
    return alts;
  }

  // sum / avg / min / max of a field of the elements of an array of objects
  const ef = elementField;
  if (ef.type.kind !== "number") return FREE;
  const integer = ef.type.integer;
  // No counted value: avg/min/max are unknown, sum is 0.
  if (want === "U" ? fn !== "sum" : fn === "sum" && pred(0) === wantTrue) {
    alts.push((p) => {
      const { owner, leaf } = place(p, r);
      const a = p.arrayOf(owner, leaf);
      if (where) return addForall(a, (el) => [expr(where, "N", inner(el))]);
      if (ef.nullable || ef.optional) return addForall(a, (el) => [{ kind: "atom", objId: el, field: ef, atom: UNSET_ATOM }]);
      if (a.elems.length > 0 || (a.size !== undefined && a.size !== 0)) return false;
      a.size = 0;
      return [];
    });
  }
  if (want === "U") return alts;
  const ts = targets(pred, hints, wantTrue, integer, false, cx);
  // The element that carries the value: a new one, or one the plan already has.
  const existing = (() => {
    const probe = plan.clone();
    const { owner, leaf } = place(probe, r);
    return plan.objs[owner]?.arrays.get(leaf.name)?.elems ?? [];
  })();
  const carriers: (number | "new")[] = ["new", ...existing];
  const carrier = (p: Plan, c: number | "new"): { E: number; goals: Goal[]; owner: number; leaf: Field } | false => {
    const { owner, leaf, ancestors } = place(p, r);
    if (!requireKnown(p, ancestors)) return false;
    if (c !== "new") return { E: c, goals: [], owner, leaf };
    const made = newElement(p, owner, leaf, cx);
    return made ? { E: made.id, goals: made.goals, owner, leaf } : false;
  };
  if (where) {
    // One counted element: the aggregate is its value, whatever it is, as long as the predicate holds.
    const valueAtom: Atom = { test: (v) => typeof v === "number" && pred(v) === wantTrue, cands: ts };
    for (const c of carriers) {
      alts.push((p) => {
        const got = carrier(p, c);
        if (!got) return false;
        const { E, owner, leaf } = got;
        const goals: Goal[] = [...got.goals, expr(where, "T", inner(E)), { kind: "atom", objId: E, field: ef, atom: valueAtom }];
        goals.push(...addForall(p.arrayOf(owner, leaf), (el) => [expr(where, "N", inner(el))], new Set([E])));
        return goals;
      });
    }
    return alts;
  }
  for (const t of ts) {
    for (const c of carriers) {
      alts.push((p) => {
        const got = carrier(p, c);
        if (!got) return false;
        const { E, owner, leaf } = got;
        const goals: Goal[] = [...got.goals];
        if (fn === "sum" || fn === "avg") {
          goals.push({ kind: "atom", objId: E, field: ef, atom: KNOWN });
          p.fixups.push({ arrObj: owner, arrField: leaf.name, elem: E, field: ef.name, fn, target: t, integer });
          return goals;
        }
        goals.push({ kind: "atom", objId: E, field: ef, atom: compareAtom(ef.type, "=", { kind: "number", v: t }, true)! });
        const bound: CompareOp = fn === "min" ? ">=" : "<=";
        const others: Atom = {
          test: (v) => v === UNSET || (typeof v === "number" && compareNumbers(v, bound, t)),
          cands: [t, fn === "min" ? t + 1 : t - 1, UNSET],
        };
        goals.push(...addForall(p.arrayOf(owner, leaf), (el) => [{ kind: "atom", objId: el, field: ef, atom: others }], new Set([E])));
        return goals;
      });
    }
  }
  return alts;
}

/**
 * True when `e`, the condition of a `where` at `level` (its element's scope, counted from the
 * record), may read a field of that element (conservatively: any nested quantifier, aggregate or
 * reference counts).
 */
function readsElement(e: ExprNode, level: number, cx: SearchContext): boolean {
  let reads = false;
  forEachNode(e, (n) => {
    if (reads) return false;
    if (n.kind === "quantifier" || n.kind === "aggregate" || n.kind === "ref") reads = true;
    else if (n.kind === "field") {
      const f = cx.facts(n)?.field;
      reads = !f || levelOf(f) === level;
    }
    return undefined;
  });
  return reads;
}
