/**
 * Values for scores, tiers and RFM: a value node compiled to `(record, run) => value`, and
 * element-wise visits of a collection (decaying score rules).
 */
import type { ExprNode, FieldNode, ValueNode } from "../ast/nodes.js";
import type { ObjectType, SchemaModel } from "../schema/model.js";
import { type AggregateFact, rowScopes } from "../check/facts.js";
import { type CompileEnv, type Cx, type Operand, factOf, fieldReader, isRow, nestedRows, operand, textOf } from "./operand.js";
import { unchecked } from "./messages.js";
import { type CNode, compileBool, truthOf } from "./expr.js";
import { type Frame, type Get, type Rec, carefulRoot, rootOf } from "./read.js";
import type { RunState } from "./run.js";
import { Tuner, ownExpression } from "./tune.js";
import type { Explanation, Truth } from "./types.js";

/**
 * A value as {@link compileValue} returns it: numbers (aggregates, scores, number fields) as
 * finite-or-infinite numbers; text, enum values, lifecycle stages and tiers as NFC strings;
 * booleans; dates as epoch milliseconds (a date field's value, or the first instant of a fixed
 * date: a date-only literal gives the start of its day in the run's time zone, `6 months ago` the
 * instant). `null` is unknown: missing, null, wrongly typed, `NaN`, an invalid date, or an
 * `avg`/`min`/`max` of nothing.
 */
export type Value = number | string | boolean | null;

/** A compiled condition (see {@link compileExpr}). */
export interface CompiledExpr {
  /** The three-valued result: `true`, `false` or `null` (unknown). */
  truth(record: unknown, run: RunState): Truth;
  /** True only when the condition is TRUE (the fast path of `test` and `filter`). */
  isTrue(record: unknown, run: RunState): boolean;
  /** True only when the condition is FALSE (`not e` is true exactly when `e` is false). */
  isFalse(record: unknown, run: RunState): boolean;
  /** The explanation tree of the condition on one record. */
  explain(record: unknown, run: RunState): Explanation;
}

function context(model: SchemaModel, options: CompileEnv, scopes?: readonly ObjectType[], tuner?: Tuner): Cx {
  return {
    scopes: scopes ?? [model.root],
    refs: options.refs,
    facts: options.facts,
    tuner,
    bool: (node, cx) => compileBool(node, cx),
  };
}

/** The public face of a compiled condition; its owner samples records for the tuner (tune.ts). @internal */
export function wrap(c: CNode, tuner: Tuner): CompiledExpr {
  const owner = ownExpression(tuner, c);
  return {
    truth: (record, run) => owner.truth(record, run),
    isTrue: (record, run) => owner.isTrue(record, run),
    isFalse: (record, run) => owner.isFalse(record, run),
    explain: (record, run) => {
      try {
        return c.ex(rootOf(record), run, undefined);
      } catch {
        return c.ex(carefulRoot(record), run, undefined); // see ExpressionOwner.truth (tune.ts)
      }
    },
  };
}

/**
 * Compiles a condition that passed the checker (no errors) against the schema model.
 *
 * @param body - the condition (an expression's body, a score line's `if`, a stage's condition)
 * @param model - the schema model it was checked against
 * @param options - `facts`: the checker's facts (`CheckResult.facts`); `refs`: bindings of `@name`
 * @returns the compiled condition; every method takes a record and a {@link RunState}
 *
 * @example
 * ```ts
 * const c = compileExpr(doc.body, model, { facts: checked.facts });
 * const run = createRun({ now: new Date() }, checked.params);
 * records.filter((r) => c.isTrue(r, run));
 * ```
 */
export function compileExpr(body: ExprNode, model: SchemaModel, options: CompileEnv): CompiledExpr {
  const tuner = new Tuner();
  return wrap(compileBool(body, context(model, options, undefined, tuner)), tuner);
}

/** The public representation of an operand's value. */
function valueGetter(o: Operand): Get<Value> {
  switch (o.cat) {
    case "num": {
      const g = o.get;
      return (r, run, s) => {
        const v = g(r, run, s);
        return v === v ? v : null;
      };
    }
    case "str":
    case "bool": {
      const g = o.get as Get<string | boolean | undefined>;
      return (r, run, s) => g(r, run, s) ?? null;
    }
    case "date": {
      if (o.at) {
        const at = o.at;
        return (r, run, s) => {
          const v = at(r, run, s);
          return v === v ? v : null;
        };
      }
      const iv = o.iv!;
      return (_r, run) => {
        const v = iv.get(run).lo;
        return v === v ? v : null;
      };
    }
    default:
      throw unchecked(`${textOf(o)} is not a single value`, o.node?.span);
  }
}

/**
 * Compiles a value for scores (`+5 per emailClicks30d`), tiers (`by sum(purchases.amount where
 * date < 12 months)`) and RFM (`recency lastPurchase`): a field, an aggregate, a reference, a
 * literal, a parameter or an instant. See {@link Value} for what it returns (dates as epoch
 * milliseconds, `null` for unknown).
 *
 * @example
 * ```ts
 * const monetary = compileValue(def.monetary, model, { facts: checked.facts });
 * monetary(record, run); // 1234.5 or null
 * ```
 */
export function compileValue(
  node: ValueNode,
  model: SchemaModel,
  options: CompileEnv,
): (record: unknown, run: RunState) => Value {
  const cx = context(model, options);
  const get = valueGetter(operand(node, cx));
  return (record, run) => {
    try {
      return get(rootOf(record), run, undefined);
    } catch {
      return get(carefulRoot(record), run, undefined); // see ExpressionOwner.truth (tune.ts)
    }
  };
}

/** A collection compiled by {@link compileCollection}. */
export interface CompiledCollection {
  /**
   * Calls `visit` for each element (a non-null object) of the record's collection for which the
   * `where` condition is TRUE, in order, with the element's `value` ({@link Value}; `null` when
   * no value was compiled) and the element itself. A missing or null collection has no elements.
   */
  forEach(record: unknown, run: RunState, visit: (value: Value, element: object) => void): void;
}

/**
 * Compiles a walk over an array of objects, for `+N per P where (e) decaying H% every D by f`:
 * `where` and `value` are compiled in the element's scope (names resolve against the element
 * first, then the record). A path through several lists (`contacts.events`, as the checker
 * recorded it) walks every row of the last one, flattened.
 *
 * @example
 * ```ts
 * const events = compileCollection(rule.collection, model, { facts, where: rule.where, value: rule.by });
 * events.forEach(record, run, (at) => { if (at !== null) total += weight(run.nowMs - (at as number)); });
 * ```
 */
export function compileCollection(
  collection: FieldNode,
  model: SchemaModel,
  options: CompileEnv & { readonly where?: ExprNode; readonly value?: ValueNode },
): CompiledCollection {
  const outer = context(model, options);
  const fact = factOf(collection, outer);
  if (fact.aggregate && fact.aggregate.nested.length > 0) return flatCollection(fact.aggregate, model, options, outer);
  const res = fact.field;
  if (!res || res.type.kind !== "array" || res.type.element.kind !== "object") {
    throw unchecked(`${collection.path.join(".")} is not an array of objects`, collection.span);
  }
  const coll = fieldReader(res);
  const inner = context(model, options, [res.type.element, ...outer.scopes]);
  const wt = options.where ? compileBool(options.where, inner).t : undefined;
  const value = options.value ? valueGetter(operand(options.value, inner)) : undefined;
  return {
    forEach(record, run, visit) {
      // Reads may throw (a getter, a Proxy trap): then the walk goes on from the same element in
      // the careful copy of the record (see ExpressionOwner.truth in tune.ts), where what threw is
      // missing. `visit` is called outside the `try`, once per element: its own errors pass.
      let r: Rec;
      let a: unknown;
      let careful = false;
      try {
        r = rootOf(record);
        a = coll(r, run, undefined);
        if (!Array.isArray(a)) return;
      } catch {
        careful = true;
        r = carefulRoot(record);
        a = coll(r, run, undefined);
        if (!Array.isArray(a)) return;
      }
      for (let i = 0; ; i++) {
        let el: unknown;
        let v: Value = null;
        try {
          if (i >= (a as unknown[]).length) return;
          el = (a as unknown[])[i];
          if (!isRow(el)) continue;
          const fr: Frame = { el, up: undefined };
          if (wt && !wt(r, run, fr)) continue;
          if (value) v = value(r, run, fr);
        } catch (e) {
          if (careful) throw e;
          careful = true;
          r = carefulRoot(record);
          a = coll(r, run, undefined);
          if (!Array.isArray(a)) return;
          i--; // this element again, in the copy
          continue;
        }
        visit(v, el as object);
      }
    },
  };
}

/**
 * {@link compileCollection} over a path through several lists (`contacts.events`): every row of
 * the last list, flattened, as `count(contacts.events where …)` counts them; names in `where` and
 * `value` resolve against the row, then each enclosing element, then the record.
 */
function flatCollection(a: AggregateFact, model: SchemaModel, options: CompileEnv & { readonly where?: ExprNode; readonly value?: ValueNode }, outer: Cx): CompiledCollection {
  const rows = nestedRows(a);
  const inner = context(model, options, [...rowScopes(a), ...outer.scopes]);
  const wt = options.where ? compileBool(options.where, inner).t : undefined;
  const value = options.value ? valueGetter(operand(options.value, inner)) : undefined;
  const collect = (r: Rec, run: RunState): { v: Value; el: object }[] => {
    const out: { v: Value; el: object }[] = [];
    rows(r, run, undefined, (f) => {
      if (!wt || wt(r, run, f)) out.push({ v: value ? value(r, run, f) : null, el: f.el as object });
      return false;
    });
    return out;
  };
  return {
    forEach(record, run, visit) {
      // The rows are read first: a read that throws (a getter, a Proxy trap) starts the walk again
      // on the careful copy of the record, where what threw is missing (see ExpressionOwner.truth
      // in tune.ts); `visit` is called afterwards, once per row, and its own errors pass.
      let found: { v: Value; el: object }[];
      try {
        found = collect(rootOf(record), run);
      } catch {
        found = collect(carefulRoot(record), run);
      }
      for (const { v, el } of found) visit(v, el);
    },
  };
}

export { truthOf };
