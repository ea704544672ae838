/**
 * Boundary values of rules, for record arbitraries: for every field a rule reads, the values on
 * both sides of each of its predicates (`employees >= 50` → 49, 50, 51; `lastPurchase <
 * 6 months` → the cutoff instant ± 1 ms; `2026-12-01` → the first and last instants of that day),
 * keyed by dotted path (`purchases.amount` for the elements of `purchases`).
 * @internal
 */
import type { ExprNode, ValueNode } from "../ast/nodes.js";
import type { Segment } from "../compile/types.js";
import type { Field, ObjectType, SchemaModel } from "../schema/model.js";
import type { GenField, GenObject, GenRecord } from "./gen-type.js";
import { type Env, type Sem, UNSET, leafAtom } from "./solver/atoms.js";
import type { SlotRef } from "./solver/plan.js";
import { ABSENT_VALUE, fillers, normalise, toRepr } from "./solver/values.js";

interface Scope {
  readonly type: ObjectType;
  readonly gen: GenObject | undefined;
  readonly prefix: string;
}

function resolve(scopes: readonly Scope[], path: readonly string[]): { field: Field; gen: GenField | undefined; path: string; scope: Scope } | undefined {
  for (const s of scopes) {
    if (!s.type.fields.has(path[0]!)) continue;
    let t: ObjectType = s.type;
    let g: GenObject | undefined = s.gen;
    let prefix = s.prefix;
    for (let i = 0; i < path.length; i++) {
      const f = t.fields.get(path[i]!);
      if (!f) return undefined;
      const gf = g?.fields.find((x) => x.name === f.name);
      const full = prefix ? `${prefix}.${f.name}` : f.name;
      if (i === path.length - 1) return { field: f, gen: gf, path: full, scope: s };
      if (f.type.kind !== "object") return undefined;
      t = f.type;
      g = gf?.type.kind === "object" ? gf.type : undefined;
      prefix = full;
    }
  }
  return undefined;
}

/** The element scope of a collection path (an array of objects). */
function elementScope(scopes: readonly Scope[], path: readonly string[]): Scope | undefined {
  const r = resolve(scopes, path);
  if (!r || r.field.type.kind !== "array" || r.field.type.element.kind !== "object") return undefined;
  const g = r.gen?.type.kind === "array" && r.gen.type.element.kind === "object" ? r.gen.type.element : undefined;
  return { type: r.field.type.element, gen: g, prefix: r.path };
}

/** Boundary values of one segment, as records hold them, by dotted path. */
export function boundaryValues(segment: Segment<any>, model: SchemaModel, gen: GenRecord, env: Env): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const add = (slot: SlotRef, values: readonly Sem[]) => {
    const list = out.get(slot.path) ?? [];
    for (const v of values) {
      if (v === UNSET) continue;
      const n = normalise(slot, v, env);
      if (typeof n === "number" && !Number.isFinite(n)) continue;
      const r = toRepr(slot, n, env);
      if (r === undefined || r === ABSENT_VALUE || r === null) continue;
      list.push(r);
      // Elements of arrays of scalars are favoured one by one too.
      if (Array.isArray(r)) list.push(...r);
    }
    out.set(slot.path, list);
  };
  const onField = (scopes: readonly Scope[], subject: ValueNode, e: ExprNode) => {
    if (subject.kind !== "field") return;
    const r = resolve(scopes, subject.path);
    if (!r) return;
    const slot: SlotRef = { objId: 0, field: r.field, gen: r.gen, path: r.path };
    for (const want of [true, false]) {
      const atom = leafAtom(e, r.field, want, env, fillers(r.field.type, env));
      if (atom) add(slot, atom.cands.filter((c) => atom.test(c)).concat(atom.cands.slice(0, 6)));
    }
  };
  const walk = (e: ExprNode, scopes: readonly Scope[]): void => {
    switch (e.kind) {
      case "and":
      case "or":
        e.operands.forEach((o) => walk(o, scopes));
        return;
      case "not":
        walk(e.operand, scopes);
        return;
      case "quantifier": {
        const s = elementScope(scopes, e.collection.path);
        walk(e.where, s ? [s, ...scopes] : scopes);
        return;
      }
      case "compare": {
        for (const side of [e.left, e.right]) {
          if (side.kind !== "aggregate") continue;
          const other = side === e.left ? e.right : e.left;
          const n = other.kind === "number" ? other.value : undefined;
          const coll = elementScope(scopes, side.path.slice(0, -1));
          if (side.where) {
            const s = elementScope(scopes, side.path) ?? coll;
            walk(side.where, s ? [s, ...scopes] : scopes);
          }
          if (n !== undefined && coll && side.fn !== "count") {
            const r = resolve([coll], side.path.slice(-1));
            if (r) add({ objId: 0, field: r.field, gen: r.gen, path: r.path }, [n - 1, n, n + 1]);
          }
        }
        const f = e.left.kind === "field" ? e.left : e.right.kind === "field" ? e.right : undefined;
        if (f && e.left.kind !== e.right.kind) onField(scopes, f, e);
        return;
      }
      case "between":
      case "in":
      case "has":
      case "text":
      case "isEmpty":
      case "truthy":
      case "within":
        onField(scopes, e.subject, e);
        return;
      default:
        return;
    }
  };
  walk(segment.ast.body, [{ type: model.root, gen: gen.root, prefix: "" }]);
  return out;
}
