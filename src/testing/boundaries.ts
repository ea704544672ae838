/**
 * Boundary values of rules, for record arbitraries: for every field a rule reads, the values on
 * both sides of each of its predicates (`employees >= 50` → 49, 50, 51; `lastPurchase <
 * 6 months` → the cutoff instant ± 1 ms; `2026-12-01` → the first and last instants of that day),
 * keyed by dotted path (`purchases.amount` for the elements of `purchases`).
 * @internal
 */
import type { ExprNode, ValueNode } from "../ast/nodes.js";
import type { FieldFact } from "../check/facts.js";
import type { Segment } from "../compile/types.js";
import type { Field, ObjectType, SchemaModel } from "../schema/model.js";
import type { GenField, GenObject, GenRecord } from "./gen-type.js";
import { type Env, type Sem, UNSET, leafAtom, operand } from "./solver/atoms.js";
import { elementSteps, factLookup, scopeIndex } from "./solver/facts.js";
import type { SlotRef } from "./solver/plan.js";
import { ABSENT_VALUE, fillers, normalise, toRepr } from "./solver/values.js";

/** A scope of the rule: the record, or the element of a `where` (undefined when the rule names no such array). */
interface Scope {
  readonly type: ObjectType;
  readonly gen: GenObject | undefined;
  readonly prefix: string;
}
type Scopes = readonly (Scope | undefined)[];

interface Found {
  readonly field: Field;
  readonly gen: GenField | undefined;
  readonly path: string;
}

/** Follows fields from a scope: the last one, its generator and its dotted path from the record. */
function follow(s: Scope, steps: readonly Field[]): Found | undefined {
  let g: GenObject | undefined = s.gen;
  let gf: GenField | undefined;
  let path = s.prefix;
  for (const f of steps) {
    gf = g?.fields.find((x) => x.name === f.name);
    path = path ? `${path}.${f.name}` : f.name;
    g = gf?.type.kind === "object" ? gf.type : undefined;
  }
  const field = steps[steps.length - 1];
  return field ? { field, gen: gf, path } : undefined;
}

/** The field a path names, from the scope the checker bound its first name in. */
function resolve(scopes: Scopes, f: FieldFact | undefined): Found | undefined {
  const i = f && scopeIndex(f, scopes);
  const s = i === undefined ? undefined : scopes[i];
  return s && f ? follow(s, f.steps) : undefined;
}

/** The element scope of an array of objects. */
function elementScope(r: Found | undefined): Scope | undefined {
  if (!r || r.field.type.kind !== "array" || r.field.type.element.kind !== "object") return undefined;
  const g = r.gen?.type.kind === "array" && r.gen.type.element.kind === "object" ? r.gen.type.element : undefined;
  return { type: r.field.type.element, gen: g, prefix: r.path };
}

/** Boundary values of one segment, as records hold them, by dotted path. */
export function boundaryValues(segment: Segment<any>, model: SchemaModel, gen: GenRecord, env: Env): Map<string, unknown[]> {
  const facts = factLookup([segment], model);
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
  const onField = (scopes: Scopes, subject: ValueNode, e: ExprNode) => {
    if (subject.kind !== "field") return;
    const r = resolve(scopes, facts(subject)?.field);
    if (!r) return;
    const slot: SlotRef = { objId: 0, field: r.field, gen: r.gen, path: r.path };
    for (const want of [true, false]) {
      const atom = leafAtom(e, r.field, want, env, facts, fillers(r.field.type, env));
      if (atom) add(slot, atom.cands.filter((c) => atom.test(c)).concat(atom.cands.slice(0, 6)));
    }
  };
  const walk = (e: ExprNode, scopes: Scopes): void => {
    switch (e.kind) {
      case "and":
      case "or":
        e.operands.forEach((o) => walk(o, scopes));
        return;
      case "not":
        walk(e.operand, scopes);
        return;
      case "quantifier":
        // A path through several lists (flattened) is not modelled: no boundary values from it.
        if (facts(e.collection)?.aggregate) return;
        walk(e.where, [elementScope(resolve(scopes, facts(e.collection)?.field)), ...scopes]);
        return;
      case "compare": {
        for (const side of [e.left, e.right]) {
          if (side.kind !== "aggregate") continue;
          const a = facts(side)?.aggregate;
          if (a?.nested.length) continue; // flattened through several lists: not modelled
          const coll = elementScope(resolve(scopes, a?.collection));
          if (side.where) walk(side.where, [coll, ...scopes]);
          const other = operand(side === e.left ? e.right : e.left, env, facts);
          const steps = a && elementSteps(a);
          if (other?.kind === "number" && coll && steps?.length) {
            const n = other.v;
            const r = follow(coll, steps);
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
