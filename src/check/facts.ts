/**
 * The checker's answer beyond diagnostics: what it resolved for every value node of a rule — its
 * type (parameters included, as inferred from their use), whether it may be missing, the field
 * path it names and which scope binds it, how an aggregate's path splits into a collection and
 * an element field, and normalised literal values.
 *
 * Kept as data beside the AST (a `Map` keyed by node identity), in the manner of cel-js's
 * `checkedType`: the evaluator, SQL, the rules engine, the testing solver and the language
 * service read these facts instead of working them out again, so that they cannot disagree.
 * @internal
 */
import type { AnyNode, ValueNode } from "../ast/nodes.js";
import type { ArrayType, Field, FieldType, ObjectType } from "../schema/model.js";

/**
 * The type of a value, as the checker resolved it. Kinds are named as in the schema model
 * (`string` is text) and in {@link ParamType}.
 */
export type CheckedType =
  | { readonly kind: "string" }
  | { readonly kind: "number" }
  | { readonly kind: "boolean" }
  | { readonly kind: "date" }
  /** `6 months`: an age when compared with a date. */
  | { readonly kind: "duration" }
  /**
   * A parameter ordered against a date (`lastPurchase < $p`, `lastPurchase between $a and $b`):
   * its value decides, per run, whether it is a date or a duration (an age). Only parameters.
   */
  | { readonly kind: "dateOrDuration" }
  | {
      readonly kind: "enum";
      /** NFC-normalised, in declared order. */
      readonly values: readonly string[];
      /** Compares by declared order (`<`, `>=`, …). */
      readonly ordered: boolean;
      /** A schema enum whose declared order zod lost (see `EnumType.orderLost`): orderings are refused. */
      readonly orderLost?: true;
      /** A schema enum, a lifecycle reference (its stages), a tiers reference (its names) or a split reference (its arms). */
      readonly origin: "field" | "lifecycle" | "tiers" | "split";
    }
  /** An array field: a column of scalars or a child table of objects. */
  | { readonly kind: "array"; readonly type: ArrayType }
  | { readonly kind: "object"; readonly type: ObjectType }
  /** A list written in the rule (`[…]`) or a list parameter; `item` is the type of its items when known. */
  | { readonly kind: "list"; readonly item?: CheckedType }
  /** A `@segment` reference: a condition. */
  | { readonly kind: "segment" };

/** Where a field path leads, and which scope binds its first name. */
export interface FieldFact {
  /** The scope the first name was found in: 0 is the innermost `where` element, `depth` the record. */
  readonly scope: number;
  /** How many `where` element scopes enclose the node (0 at the top level of a rule). */
  readonly depth: number;
  /** The declared (NFC) names, one per step, outermost first. */
  readonly names: readonly string[];
  /** The declared fields, one per step; the last is the field the path names. */
  readonly steps: readonly Field[];
  /** The type of the field the path names. */
  readonly type: FieldType;
}

/** A further array of objects an aggregate's or a quantifier's path goes through (`events` in `contacts.events`). */
export interface NestedCollectionFact {
  /** The declared names from the previous array's element to this array. */
  readonly names: readonly string[];
  readonly steps: readonly Field[];
  readonly type: ArrayType;
}

/**
 * How an aggregate's dotted path splits: `purchases.amount` → collection `purchases`, element
 * field `amount`. A path through several arrays of objects flattens them: `count(contacts.events)`
 * → collection `contacts`, nested `[events]`, and the aggregate counts every event of every contact.
 * Also recorded for a quantifier's collection through several arrays (`any contacts.events where …`).
 */
export interface AggregateFact {
  /** The first array of the path, read from where the node stands. */
  readonly collection: FieldFact & { readonly type: ArrayType };
  /**
   * The arrays after the first, each read in the previous array's element (empty for one array).
   * The aggregate runs over the elements of the last one (or of `collection` when empty); inside
   * `where`, names resolve against that element, then each enclosing element, then outwards.
   */
  readonly nested: readonly NestedCollectionFact[];
  /** The element field's names after the (last) collection (empty for `count(P)` and arrays of numbers). */
  readonly rest: readonly string[];
  /** The element field's type (absent when `rest` is empty). */
  readonly restType?: FieldType;
}

/** What the checker knows of one value node. */
export interface ValueFact {
  readonly type: CheckedType;
  /** Where the value comes from. */
  readonly from: "field" | "literal" | "param" | "ref" | "aggregate";
  /** The value may be missing (a field with a nullable or optional step). */
  readonly nullable: boolean;
  /** For fields: the resolved path. */
  readonly field?: FieldFact;
  /** For aggregates: the split of the path. */
  readonly aggregate?: AggregateFact;
  /** For string literals: the NFC value. */
  readonly text?: string;
}

/**
 * The facts of one check (an expression, or every expression of a rules file), looked up by
 * node identity. Only nodes of a rule the checker accepted have complete facts.
 */
export class Facts {
  // A Map, not a WeakMap: facts live exactly as long as the tree they describe (a compiled
  // segment holds both), and a Map's set is several times cheaper (measured: the WeakMap made
  // `check` about 7 µs slower on the benchmark's R3).
  private readonly values = new Map<AnyNode, ValueFact>();

  /** Records what the checker resolved for a value node. @internal */
  setValue(node: ValueNode, fact: ValueFact): void {
    this.values.set(node, fact);
  }

  /** What the checker resolved for a value node, or undefined when it reported a problem there (or never saw it). */
  value(node: ValueNode): ValueFact | undefined {
    return this.values.get(node);
  }
}

/** The checked type of a schema field's type. */
export function typeOfField(t: FieldType): CheckedType {
  switch (t.kind) {
    case "enum":
      return { kind: "enum", values: t.values, ordered: t.ordered, origin: "field", ...(t.orderLost ? { orderLost: true as const } : {}) };
    case "array":
      return { kind: "array", type: t };
    case "object":
      return { kind: "object", type: t };
    case "string":
    case "number":
    case "boolean":
    case "date":
      return { kind: t.kind };
  }
}

/**
 * The key under which a compiled segment carries its checker result (facts and parameter types),
 * so that `toSQL(segment, …)` and the testing kit read the same facts the evaluator was compiled
 * from. A registered symbol (`Symbol.for`), the same in the ESM and CommonJS builds.
 */
export const CHECKED: unique symbol = Symbol.for("cible.checked") as never;

/** The facts a compiled segment carries, if any (they describe the nodes of its `ast`). @internal */
export function factsOf(value: unknown): Facts | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const f = (value as Record<symbol, unknown>)[CHECKED];
  return f instanceof Facts ? f : undefined;
}

/** The array an aggregate fact runs over: the last nested one, or the collection. */
export function lastArray(a: Pick<AggregateFact, "collection" | "nested">): ArrayType {
  return a.nested.length ? a.nested[a.nested.length - 1]!.type : a.collection.type;
}

/**
 * The element scopes a `where` over an aggregate fact's rows adds, innermost first: the last
 * array's element, then each enclosing array's element (objects only).
 */
export function rowScopes(a: Pick<AggregateFact, "collection" | "nested">): ObjectType[] {
  const out: ObjectType[] = [];
  for (const t of [a.collection.type, ...a.nested.map((n) => n.type)]) if (t.element.kind === "object") out.unshift(t.element);
  return out;
}

/**
 * The schema type of a scalar checked type: what the items of a list parameter standing where an
 * array field stands (`$tags has "x"`) are treated as, by the evaluator and SQL alike. `undefined`
 * for types that are not scalars. @internal
 */
export function scalarFieldType(t: CheckedType): FieldType | undefined {
  switch (t.kind) {
    case "enum":
      return { kind: "enum", values: t.values, ordered: t.ordered };
    case "number":
      return { kind: "number", integer: false };
    case "string":
    case "boolean":
      return { kind: t.kind };
    case "date":
      return { kind: "date", source: "date" };
    default:
      return undefined;
  }
}
