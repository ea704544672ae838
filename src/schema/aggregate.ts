/**
 * How an aggregate's dotted path (`count(purchases)`, `sum(purchases.amount)`,
 * `count(account.contacts)`) splits into the collection it runs over and the element's field:
 * the collection is the first prefix of the path that names an array, reached through nested
 * objects; what follows is a path inside the element. A path through several arrays of objects
 * (`count(contacts.events)`: every event of every contact) flattens them: each further array is a
 * {@link NestedCollection}, and the aggregate runs over the last one's elements. One definition,
 * used by the checker, which records the split as a fact for every backend.
 */
import type { ArrayType, Field, FieldType, ObjectType } from "./model.js";
import { type FieldResolution, type ResolvedField, type UnresolvedField, resolveField } from "./resolve.js";

/** A further array of objects a path goes through, named inside the previous array's element. */
export interface NestedCollection {
  /** The declared names from the previous element to this array. */
  readonly names: readonly string[];
  /** The declared fields, one per name; the last is the array. */
  readonly steps: readonly Field[];
  readonly array: ArrayType;
}

/** A path whose collection was found. */
export interface SplitPath {
  readonly ok: true;
  /** The prefix that names the first array. */
  readonly collection: ResolvedField;
  /** The array whose elements the aggregate runs over: the last one of the path. */
  readonly array: ArrayType;
  /** The arrays after the first, flattened (empty for a path through one array). */
  readonly nested: readonly NestedCollection[];
  /** Number of path segments up to the last array. */
  readonly split: number;
  /** The segments after the collection (may be empty). */
  readonly rest: readonly string[];
  /** `rest` resolved inside the element, when the element is an object and `rest` is not empty. */
  readonly element?: FieldResolution;
}

/** A path with no array prefix. */
export type UnsplitPath =
  /** A prefix names nothing (as {@link resolveField} reports it). */
  | { readonly ok: false; readonly reason: "unresolved"; readonly failure: UnresolvedField }
  /** The prefix of `length` segments is neither an object to go through nor an array. */
  | { readonly ok: false; readonly reason: "not-list"; readonly length: number; readonly type: FieldType };

/**
 * Splits an aggregate's path in the given scopes (innermost first).
 *
 * @param scopes - the object types in scope, innermost first (as for {@link resolveField})
 * @param path - the aggregate's dotted path
 * @returns the collection prefix, its array type and the rest; or why no prefix is an array
 *
 * @example
 * ```ts
 * const s = splitAggregatePath([model.root], ["purchases", "amount"]);
 * if (s.ok) s.rest; // ["amount"]
 * ```
 */
export function splitAggregatePath(scopes: readonly ObjectType[], path: readonly string[]): SplitPath | UnsplitPath {
  for (let i = 1; i <= path.length; i++) {
    const r = resolveField(scopes, path.slice(0, i));
    if (!r.ok) return { ok: false, reason: "unresolved", failure: r };
    const t = r.field.type;
    if (t.kind === "array") {
      // Further arrays of objects inside the element are flattened: the first prefix of what
      // follows that names an array, through nested objects of the element, and so on.
      const nested: NestedCollection[] = [];
      let array: ArrayType = t;
      let split = i;
      for (;;) {
        const element = array.element;
        if (element.kind !== "object") break;
        const next = nextArray(element, path.slice(split));
        if (!next) break;
        nested.push(next);
        array = next.array;
        split += next.names.length;
      }
      const rest = path.slice(split);
      const element = rest.length > 0 && array.element.kind === "object" ? resolveField([array.element], rest) : undefined;
      return element
        ? { ok: true, collection: r, array, nested, split, rest, element }
        : { ok: true, collection: r, array, nested, split, rest };
    }
    if (t.kind !== "object" || i === path.length) return { ok: false, reason: "not-list", length: i, type: t };
  }
  return { ok: false, reason: "not-list", length: 0, type: { kind: "object", fields: new Map() } };
}

/** The first prefix of `path` inside `element` that names an array of objects, through nested objects. */
function nextArray(element: ObjectType, path: readonly string[]): NestedCollection | undefined {
  for (let j = 1; j <= path.length; j++) {
    const r = resolveField([element], path.slice(0, j));
    if (!r.ok) return undefined;
    const t = r.field.type;
    if (t.kind === "array") {
      return t.element.kind === "object" ? { names: r.steps.map((f) => f.name), steps: r.steps, array: t } : undefined;
    }
    if (t.kind !== "object") return undefined;
  }
  return undefined;
}
