/**
 * The checker's facts (src/check/facts.ts) as the solver and the boundary values read them: which
 * scope binds a field's first name, the fields its path goes through, how an aggregate's path
 * splits, the type of a parameter where it stands. Nothing here works them out again: a compiled
 * segment carries them; a segment that does not (a hand-built object), or one compiled against
 * another model than the one records are built for, is checked once more here, and only here.
 * @internal
 */
import type { ValueNode } from "../../ast/nodes.js";
import { checkExpression } from "../../check/check.js";
import { type AggregateFact, type Facts, type FieldFact, type ValueFact, factsOf } from "../../check/facts.js";
import type { Segment } from "../../compile/types.js";
import { type Field, type SchemaModel, schemaModelOf } from "../../schema/model.js";

/** What the checker resolved for a value node of one of the rules at hand (undefined: nothing). */
export type FactLookup = (node: ValueNode) => ValueFact | undefined;

const rechecked = new WeakMap<object, { readonly model: SchemaModel; readonly facts: Facts }>();

/** The facts of a segment's `ast`, for records of `model`. */
export function checkedFacts(segment: Segment<any>, model: SchemaModel): Facts {
  const own = factsOf(segment);
  if (own && (schemaModelOf(segment) ?? model) === model) return own;
  const hit = rechecked.get(segment.ast);
  if (hit?.model === model) return hit.facts;
  const facts = checkExpression(segment.ast.body, model).facts;
  rechecked.set(segment.ast, { model, facts });
  return facts;
}

/** One lookup over the facts of several segments (their nodes are distinct objects). */
export function factLookup(segments: readonly Segment<any>[], model: SchemaModel): FactLookup {
  const all = segments.map((s) => checkedFacts(s, model));
  if (all.length === 1) {
    const only = all[0]!;
    return (node) => only.value(node);
  }
  return (node) => {
    for (const f of all) {
      const v = f.value(node);
      if (v) return v;
    }
    return undefined;
  };
}

/**
 * The scope a path starts in, as an index into `scopes` (innermost first, the record last), or
 * undefined when the position's scopes are not the ones the checker saw (depth out of step).
 */
export function scopeIndex(f: FieldFact, scopes: readonly unknown[]): number | undefined {
  return f.depth === scopes.length - 1 ? f.scope : undefined;
}

/**
 * The level of the scope that binds a path's first name, counted from the record (0) inwards:
 * a path reads the element of the `where` at level `k` when this is `k`.
 */
export const levelOf = (f: FieldFact): number => f.depth - f.scope;

/**
 * The element's fields along an aggregate's path after its collection (`amount` in
 * `sum(purchases.amount)`): the names the checker resolved inside the element, looked up in its
 * type. Empty for `count(P)` and arrays of numbers; undefined when a name is not there, or when
 * the path goes through several lists.
 */
export function elementSteps(a: AggregateFact): readonly Field[] | undefined {
  // A path through several lists (flattened) is not modelled: the search leaves it to chance,
  // and `matchingRecord` says `testing.no-witness` when nothing it tries is selected.
  if (a.nested.length > 0) return undefined;
  const steps: Field[] = [];
  let t = a.collection.type.element;
  for (const name of a.rest) {
    const f = t.kind === "object" ? t.fields.get(name) : undefined;
    if (!f) return undefined;
    steps.push(f);
    t = f.type;
  }
  return steps;
}
