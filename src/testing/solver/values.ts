/**
 * Between semantic values (atoms.ts) and record values: default candidates of a field, the
 * value a record holds for a semantic value (dates written as the schema declares them, enum
 * values in the schema's spelling, UNSET as null or an absent key), and whether the schema
 * accepts it.
 * @internal
 */
import { nfc } from "../../compile/text.js";
import type { Field, FieldType } from "../../schema/model.js";
import type { GenType } from "../gen-type.js";
import { zodAccepts } from "../gen-type.js";
import { dateRepr, roundTrip } from "../dates.js";
import { type Env, type Sem, UNSET } from "./atoms.js";
import type { SlotRef } from "./plan.js";

/** The absent-key marker. */
export const ABSENT_VALUE: unique symbol = Symbol("absent");

/** Element fillers: values of a scalar type that rules rarely name. */
export function fillers(t: FieldType, env: Env): Sem[] {
  switch (t.kind) {
    case "string":
      return ["zz", "filler", "x"];
    case "number":
      return t.integer ? [99991, 0, 7] : [99991.5, 0, 7];
    case "boolean":
      return [false, true];
    case "enum":
      return [...t.values].reverse();
    case "date":
      return [env.now - 9_999_999_999, env.now];
    case "array":
      return fillers(t.element, env);
    default:
      return [];
  }
}

/** Candidates any slot of this field tries besides its atoms' own. */
export function defaults(field: Field, env: Env): Sem[] {
  const t = field.type;
  const out: Sem[] = [];
  switch (t.kind) {
    case "string":
      out.push("", "x", "Zoho");
      break;
    case "number":
      out.push(0, 1, -1, 42);
      break;
    case "boolean":
      out.push(true, false);
      break;
    case "enum":
      out.push(...t.values);
      break;
    case "date":
      out.push(env.now, env.now - 86_400_000, env.now + 86_400_000);
      break;
    case "array":
      if (t.element.kind !== "object") out.push([], fillers(t.element, env).slice(0, 1));
      break;
  }
  out.push(UNSET);
  return out;
}

function genDate(g: GenType | undefined, t: FieldType): { source: "date" | "datetime-string" | "date-string"; precision: number | null } {
  if (g?.kind === "date") return { source: g.source, precision: g.precision };
  return { source: t.kind === "date" ? t.source : "date", precision: null };
}

/** The value as the evaluator will read it back once written (date strings hold days, or fewer fraction digits). */
export function normalise(slot: SlotRef, v: Sem, env: Env): Sem {
  const t = slot.field.type;
  if (v === UNSET) return v;
  if (t.kind === "date" && typeof v === "number") {
    const d = genDate(slot.gen?.type, t);
    return d.source === "date" ? v : roundTrip(v, d.source, env.zone, d.precision);
  }
  if (t.kind === "array" && t.element.kind === "date" && Array.isArray(v)) {
    const g = slot.gen?.type.kind === "array" ? slot.gen.type.element : undefined;
    const d = genDate(g, t.element);
    return v.map((e) => (typeof e === "number" && d.source !== "date" ? roundTrip(e, d.source, env.zone, d.precision) : e));
  }
  return v;
}

function scalarRepr(t: FieldType, g: GenType | undefined, v: Sem, env: Env): unknown {
  if (v === null) return null;
  if (t.kind === "date" && typeof v === "number") {
    const d = genDate(g, t);
    return dateRepr(v, d.source, env.zone, d.precision);
  }
  if (t.kind === "enum" && typeof v === "string" && g?.kind === "enum") {
    return g.values.find((x) => nfc(x) === v) ?? v;
  }
  return v;
}

/** The record value of a semantic value: null / {@link ABSENT_VALUE} for UNSET (or `undefined` when the field allows neither). */
export function toRepr(slot: SlotRef, v: Sem, env: Env): unknown {
  const f = slot.field;
  if (v === UNSET) return f.nullable ? null : f.optional ? ABSENT_VALUE : undefined;
  const t = f.type;
  if (t.kind === "array" && Array.isArray(v)) {
    const g = slot.gen?.type.kind === "array" ? slot.gen.type.element : undefined;
    return v.map((e) => scalarRepr(t.element, g, e, env));
  }
  return scalarRepr(t, slot.gen?.type, v, env);
}

function modelAccepts(t: FieldType, v: unknown, elementNullable = false): boolean {
  switch (t.kind) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v) && (!t.integer || Number.isSafeInteger(v));
    case "boolean":
      return typeof v === "boolean";
    case "enum":
      return typeof v === "string" && t.values.includes(nfc(v));
    case "date":
      return v instanceof Date ? !Number.isNaN(v.getTime()) : typeof v === "string";
    case "array":
      return Array.isArray(v) && v.every((e) => (e === null ? t.elementNullable || elementNullable : modelAccepts(t.element, e)));
    case "object":
      return typeof v === "object" && v !== null;
  }
}

const acceptCache = new WeakMap<object, Map<string, boolean>>();

/** True when the schema accepts the semantic value `v` for this slot (cached per field and value). */
export function accepts(slot: SlotRef, v: Sem, env: Env): boolean {
  const owner = slot.gen ?? slot.field;
  let cache = acceptCache.get(owner);
  if (!cache) acceptCache.set(owner, (cache = new Map()));
  const key = `${env.zone}|${semKey(v)}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const ok = acceptsUncached(slot, v, env);
  if (cache.size > 5000) cache.clear();
  cache.set(key, ok);
  return ok;
}

function acceptsUncached(slot: SlotRef, v: Sem, env: Env): boolean {
  const repr = toRepr(slot, v, env);
  if (repr === undefined) return false;
  if (repr === ABSENT_VALUE) return slot.field.optional;
  if (repr === null) return slot.field.nullable;
  if (!modelAccepts(slot.field.type, repr)) return false;
  const g = slot.gen?.type;
  if (g?.kind === "array" && Array.isArray(repr)) {
    if (repr.length < g.minLength || (g.maxLength !== undefined && repr.length > g.maxLength)) return false;
  }
  return zodAccepts(slot.gen?.schema, repr);
}

/** A stable key of a semantic value, to drop duplicate candidates. */
export function semKey(v: Sem): string {
  if (v === UNSET) return "∅";
  if (typeof v === "number") return Object.is(v, -0) ? "n-0" : `n${v}`;
  if (typeof v === "string") return `s${v}`;
  if (Array.isArray(v)) return `a[${v.map(semKey).join(",")}]`;
  return `${typeof v}${String(v)}`;
}
