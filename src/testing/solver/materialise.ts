/**
 * From a plan to a record: a value for every constrained field (boundary candidates first, then
 * values drawn from the field's own arbitrary, always ones every atom accepts), fields that are
 * compared with each other chosen one after the other, arrays of objects built from their
 * planned elements, everything else taken from a random record of the schema.
 * @internal
 */
import * as fc from "fast-check";
import { nfc } from "../../compile/text.js";
import type { GenField, GenObject } from "../gen-type.js";
import { toEpoch } from "../dates.js";
import type { Rng } from "../rng.js";
import { type Env, type Sem, UNSET } from "./atoms.js";
import { type Plan, type SlotRef, slotKey } from "./plan.js";
import { ABSENT_VALUE, accepts, normalise, toRepr } from "./values.js";

/** What materialising needs besides the plan. */
export interface MaterialiseContext {
  readonly env: Env;
  readonly rng: Rng;
  /** A random record of the schema: the values of every field the plan leaves free. */
  readonly base: Record<string, unknown>;
  /** A random object of a nested or element type. */
  readonly fresh: (o: GenObject) => Record<string, unknown>;
  /** A few random values of a field, as records hold them. */
  readonly samples: (f: GenField) => readonly unknown[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** The semantic value of a record value of this slot. */
function toSem(slot: SlotRef, v: unknown, env: Env): Sem {
  if (v === null || v === undefined) return UNSET;
  const t = slot.field.type;
  const one = (x: unknown, kind: string): Sem => {
    if (x === null) return null;
    if (kind === "date") return toEpoch(x, env.zone);
    if (kind === "enum" && typeof x === "string") return nfc(x);
    return x;
  };
  if (t.kind === "array") return Array.isArray(v) ? v.map((x) => one(x, t.element.kind)) : UNSET;
  return one(v, t.kind);
}

function neighbours(v: Sem): Sem[] {
  if (typeof v === "number") return [v, v - 1, v + 1, v - 0.5, v + 0.5, v - 86_400_000, v + 86_400_000];
  if (typeof v === "string") return [v, `${v}x`, "", v.toUpperCase()];
  if (typeof v === "boolean") return [v, !v];
  return [v];
}

/** Picks values for every slot; `undefined` when a slot compared with another finds none. */
function chooseValues(plan: Plan, mx: MaterialiseContext): Map<string, Sem> | undefined {
  const values = new Map<string, Sem>();
  const crossKeys = new Set(plan.cross.flatMap((c) => [c.a, c.b]));
  const order = [...plan.slots.keys()].sort((a, b) => Number(crossKeys.has(a)) - Number(crossKeys.has(b)));
  for (const key of order) {
    const slot = plan.slots.get(key)!;
    const atoms = plan.atoms.get(key) ?? [];
    const planned = plan.cands.get(key) ?? [];
    const extra: Sem[] = [];
    if (slot.gen) {
      for (const s of mx.samples(slot.gen)) extra.push(normalise(slot, toSem(slot, s, mx.env), mx.env));
    }
    const related = plan.cross.filter((c) => (c.a === key && values.has(c.b)) || (c.b === key && values.has(c.a)));
    for (const c of related) extra.push(...neighbours(values.get(c.a === key ? c.b : c.a)).map((v) => normalise(slot, v, mx.env)));
    const ok = (v: Sem) =>
      atoms.every((a) => a.test(v)) &&
      related.every((c) => (c.a === key ? c.test(v, values.get(c.b)) : c.test(values.get(c.a), v)));
    const fromExtra = extra.filter((v) => ok(v) && accepts(slot, v, mx.env));
    const fromPlan = planned.filter(ok);
    const pool = related.length
      ? [...fromExtra.slice(-8), ...fromPlan]
      : mx.rng.next() < 0.65 || fromExtra.length === 0
        ? fromPlan
        : fromExtra;
    const all = pool.length ? pool : [...fromPlan, ...fromExtra];
    if (all.length === 0) return undefined;
    // Boundary values first: the first candidates (a rule's literals and cutoffs) are drawn more often.
    const i = mx.rng.next() < 0.5 ? mx.rng.int(Math.min(all.length, 4)) : mx.rng.int(all.length);
    values.set(key, all[i]);
  }
  return values;
}

function unset(out: Record<string, unknown>, f: GenField): void {
  if (f.nullable) out[f.key] = null;
  else delete out[f.key];
}

/** A record following the plan, or `undefined` when this draw could not meet it. */
export function materialise(plan: Plan, mx: MaterialiseContext): Record<string, unknown> | undefined {
  const values = chooseValues(plan, mx);
  if (!values) return undefined;
  const built = new Map<number, Record<string, unknown>>();
  let failed = false;

  const build = (id: number, base: Record<string, unknown> | undefined): Record<string, unknown> => {
    const inst = plan.objs[id]!;
    const g = inst.gen;
    const out: Record<string, unknown> = base ? { ...base } : g ? mx.fresh(g) : {};
    built.set(id, out);
    if (!g) return out;
    for (const f of g.fields) {
      const mf = inst.type.fields.get(f.name);
      if (!mf) continue;
      const key = slotKey(id, f.name);
      if (mf.type.kind === "object" && f.type.kind === "object") {
        const pres = plan.presence.get(key);
        const nested = inst.nested.get(f.name);
        if (pres === false) unset(out, f);
        else if (nested !== undefined) out[f.key] = build(nested, isObject(out[f.key]) ? (out[f.key] as Record<string, unknown>) : undefined);
        else if (pres === true && !isObject(out[f.key])) out[f.key] = mx.fresh(f.type);
        continue;
      }
      const arr = inst.arrays.get(f.name);
      if (arr) {
        if (arr.present === false) unset(out, f);
        else out[f.key] = arr.elems.map((e) => build(e, undefined));
        continue;
      }
      if (values.has(key)) {
        const slot = plan.slots.get(key)!;
        const repr = toRepr(slot, values.get(key), mx.env);
        if (repr === undefined) failed = true;
        else if (repr === ABSENT_VALUE) delete out[f.key];
        else out[f.key] = repr;
      }
    }
    return out;
  };

  const root = build(0, mx.base);
  if (failed) return undefined;

  for (const fx of plan.fixups) {
    const elems = plan.objs[fx.arrObj]?.arrays.get(fx.arrField)?.elems ?? [];
    const g = plan.objs[fx.elem]?.gen;
    const gf = g?.fields.find((f) => f.name === fx.field);
    if (!gf) return undefined;
    let sum = 0;
    let n = 1;
    for (const e of elems) {
      if (e === fx.elem) continue;
      const x = built.get(e)?.[gf.key];
      if (typeof x === "number") {
        sum += x;
        n++;
      }
    }
    const v = fx.fn === "sum" ? fx.target - sum : fx.target * n - sum;
    if (!Number.isFinite(v) || (fx.integer && !Number.isSafeInteger(v))) return undefined;
    const key = slotKey(fx.elem, fx.field);
    const slot = plan.slots.get(key);
    if (slot && !((plan.atoms.get(key) ?? []).every((a) => a.test(v)) && accepts(slot, v, mx.env))) return undefined;
    built.get(fx.elem)![gf.key] = v;
  }
  return root;
}

/** Random objects and field samples drawn with fast-check from a seed. */
export function sampler(arbOf: (o: GenObject) => fc.Arbitrary<Record<string, unknown>>, fieldArbOf: (f: GenField) => fc.Arbitrary<unknown>, rng: Rng) {
  return {
    fresh: (o: GenObject) => fc.sample(arbOf(o), { seed: rng.int(2 ** 31), numRuns: 1 })[0]!,
    samples: (f: GenField) => fc.sample(fieldArbOf(f), { seed: rng.int(2 ** 31), numRuns: 3 }),
  };
}
