/**
 * How an aggregate's dotted path (`count(purchases)`, `sum(purchases.amount)`,
 * `count(account.contacts)`) splits into the collection it runs over and the element's field:
 * the collection is the first prefix of the path that names an array, reached through nested
 * objects; what follows is a path inside the element. One definition, used by the checker, which
 * records the split as a fact for every backend.
 */
import type { ArrayType, FieldType, ObjectType } from "./model.js";
import { type FieldResolution, type ResolvedField, type UnresolvedField, resolveField } from "./resolve.js";

/** A path whose collection was found. */
export interface SplitPath {
  readonly ok: true;
  /** The prefix that names the array. */
  readonly collection: ResolvedField;
  readonly array: ArrayType;
  /** Number of path segments in the collection prefix. */
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
      const rest = path.slice(i);
      const element = rest.length > 0 && t.element.kind === "object" ? resolveField([t.element], rest) : undefined;
      return element
        ? { ok: true, collection: r, array: t, split: i, rest, element }
        : { ok: true, collection: r, array: t, split: i, rest };
    }
    if (t.kind !== "object" || i === path.length) return { ok: false, reason: "not-list", length: i, type: t };
  }
  return { ok: false, reason: "not-list", length: 0, type: { kind: "object", fields: new Map() } };
}
