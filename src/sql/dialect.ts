/**
 * What a SQL dialect decides: placeholders, identifier quoting, type names, case-and-accent
 * folding, substring tests, lists and arrays. The compiler (compiler.ts) writes everything else
 * the same way for every dialect, as kysely's dialects override small hooks of one compiler.
 *
 * Arguments named `expr`, `hay`, `needle`, `list`… are SQL fragments already written by the
 * compiler (a column, a placeholder with its cast, a sub-expression); hooks only arrange them.
 * @internal
 */
import type { SQLDialectName } from "./types.js";

/** The scalar types the compiler casts placeholders to. */
export type SQLType = "text" | "float" | "boolean" | "timestamptz";

/** The item types of lists sent as one JSON parameter. */
export type ListItemType = "text" | "float" | "boolean";

export interface Dialect {
  readonly name: SQLDialectName;
  /** The product name, for messages: "PostgreSQL", "DuckDB". */
  readonly label: string;
  /**
   * The placeholder of the `n`-th parameter (1-based), bound as `type` (ClickHouse writes the
   * type in the placeholder, `{p1:Float64}`; the others cast it with {@link cast}).
   */
  placeholder(n: number, type: SQLType): string;
  /** True when one placeholder may appear several times for the same value (`$1`); false for `?`. */
  readonly reusesPlaceholders: boolean;
  /** A quoted identifier; throws `sql.identifier` for a name the dialect cannot hold. */
  quoteIdent(name: string): string;
  /**
   * The name the database sees in an identifier, so that two names it would take as one are
   * found (`rulesToSQL`'s columns): DuckDB ignores ASCII case, PostgreSQL keeps 63 bytes.
   */
  identifierKey(name: string): string;
  /** Why two names are one, for messages ("it ignores case"); unused where names are kept as written. */
  readonly identifierRule: string;
  /** The SQL name of a scalar type. */
  typeName(t: SQLType): string;
  /** `expr` cast to a type. */
  cast(expr: string, t: SQLType): string;
  /** A NULL of a type (`CAST(NULL AS …)`; ClickHouse needs a Nullable type). */
  nullOf(t: SQLType): string;
  /** `expr` (a float), NULL when it is NaN. */
  nullIfNaN(expr: string): string;
  /** True when an array column is missing (NULL); ClickHouse reads a `<column>_missing` flag. */
  arrayIsNull(array: string): string;
  /**
   * Child rows read without correlated subqueries (ClickHouse): `key` is a column of the parent
   * row, `from` the tables from the records' down to the child's, joined under the names the
   * conditions use, so that a subquery over `from` reads the parent row itself.
   */
  readonly keyed?: {
    /** The key has a child row (`is not empty`). */
    exists(key: string, from: string): string;
    /** `any` / `all` of `inner` over the child rows, three-valued; no rows: false / true. */
    quantifier(mode: "any" | "all", inner: string, key: string, from: string): string;
    /** The aggregate `agg` of the rows where `where` holds (all when undefined), NULL when there are none. */
    aggregate(key: string, from: string, where: string | undefined, agg: string): string;
    /**
     * Child rows as an array per parent key, each element bound by a lambda: for a condition that
     * reads the element of an enclosing `where` over another list, which a keyed subquery over
     * the parent's tables cannot reach (the enclosing element is not among them), and for the
     * lists of such an element. `cond` and `value` are written over the element's columns
     * ({@link ElementRows.columns}) and may read anything the surrounding SQL reads.
     */
    readonly elements: {
      /** How a column of an element bound by a lambda is read: `"_c3.name"` for alias `_c3`, column `name`. */
      column(alias: string, column: string): string;
      /**
       * The columns the dialect's own hooks may read beside a column (ClickHouse: an array
       * column's `<column>_missing` flag), carried by the elements when the SQL reads them.
       */
      companions(column: string): readonly string[];
      /** `any` / `all` of `cond` over the rows, three-valued; no rows: false / true. */
      quantifier(mode: "any" | "all", rows: ElementRows, cond: string): string;
      /**
       * `count` of the rows where `cond` is true (every row when undefined), or `sum` / `avg` /
       * `min` / `max` of their non-null `value`s, NULL when there are none (as `aggregate`).
       */
      aggregate(fn: "count" | "sum" | "avg" | "min" | "max", rows: ElementRows, cond: string | undefined, value: string | undefined): string;
    };
  };
  /** The range of instants (epoch ms) the dialect's timestamps hold; a rule's instant outside is refused. */
  readonly instantRange?: readonly [number, number];
  /** `expr` made to compare by code point (`<`, `>` on free text). */
  byCodePoint(expr: string): string;
  /** `expr` folded in SQL: case and accents, as close to JavaScript's folding as the engine allows. */
  fold(expr: string): string;
  /** A literal folded in JavaScript the way {@link fold} folds data, so that equal texts stay equal. */
  foldText(s: string): string;
  /** Substring tests on folded text; the needle's `%` and `_` are literal. */
  contains(hay: string, needle: string): string;
  startsWith(hay: string, prefix: string): string;
  endsWith(hay: string, suffix: string): string;
  /** A one-column subquery of the items of a JSON list parameter, for `x IN (…)`. */
  listRelation(jsonParam: string, item: ListItemType): string;
  /** An array value of the items of a JSON list parameter. */
  listArray(jsonParam: string, item: ListItemType): string;
  /** Array column holds the value (null elements ignored); NULL when the array is NULL. */
  arrayHas(array: string, value: string): string;
  /** Array column holds one of / all of the list's items; NULL when the array is NULL. */
  arrayHasAny(array: string, list: string): string;
  arrayHasAll(array: string, list: string): string;
  /** Number of non-null elements of an array column; NULL when the array is NULL. */
  arrayCount(array: string): string;
  /** sum / avg / min / max of the non-null elements of an array column (NULL when none or NULL). */
  arrayAggregate(fn: "sum" | "avg" | "min" | "max", array: string): string;
  /** 1-based position of `value` in a JSON list parameter, NULL when absent. */
  listPosition(list: string, value: string): string;
  /** A timestamptz as epoch milliseconds (double precision, microseconds kept as fractions). */
  epochMs(expr: string): string;
  /**
   * The split hash `h` (LANGUAGE.md §7) of a text expression already written as `<seed>:<key>`:
   * the first 8 hex digits of its MD5 as an integer, 0 ≤ h < 2^32, NULL when the text is NULL.
   * It compares exactly with bounds bound as `float`.
   */
  splitHash(text: string): string;
  /**
   * The text a split hashes for a key column (NULL when the key is unknown), as
   * `splitKeyText` of src/rules/split.ts writes it: a text column as is (stored in NFC), a
   * number column of an integer field as its exact decimal digits (`-0` → `0`, `1e21` →
   * `1000000000000000000000`), NULL for a fraction, NaN or ±Infinity.
   */
  splitKey(expr: string, kind: "text" | "integer"): string;
  /** Checks that a text can travel to the engine; returns a reason when it cannot. */
  textProblem(s: string): string | undefined;
  /**
   * `body` computed once over values of the row (a "let"): `values` are `[name, sql]` pairs,
   * `body` receives each value's reference, in order, and reads nothing else of the row. `alias`
   * is a fresh quoted alias. PostgreSQL and DuckDB: a one-row derived table; ClickHouse: a lambda
   * (`arrayMap`), since a derived table reading the outer row is a correlated subquery there.
   */
  bind(values: readonly (readonly [string, string])[], body: (refs: readonly string[]) => string, alias: string): string;
}

/**
 * The child rows of one parent row, for {@link Dialect.keyed}'s `elements`: read once per query by
 * an uncorrelated subquery, grouped by the parent's key. @internal
 */
export interface ElementRows {
  /** The parent's key where the construct stands (a column of the row, or of an enclosing element). */
  readonly key: string;
  /** The subquery's tables: the parent's table, joined to the child table(s) under the elements' aliases. */
  readonly from: string;
  /** The parent's key inside `from`. */
  readonly fromKey: string;
  /** The columns each element carries: `[column in from, name the condition reads it by]`. */
  readonly columns: readonly (readonly [string, string])[];
  /** A fresh quoted alias, for names the dialect binds. */
  readonly alias: string;
}

/** {@link Dialect.bind} as a one-row derived table (PostgreSQL, DuckDB). @internal */
export function bindDerived(values: readonly (readonly [string, string])[], body: (refs: readonly string[]) => string, alias: string): string {
  const cols = values.map(([name, sql]) => `${sql} AS ${doubleQuote(name)}`).join(", ");
  return `(SELECT ${body(values.map(([name]) => `${alias}.${doubleQuote(name)}`))} FROM (SELECT ${cols}) AS ${alias})`;
}

/** Quotes an identifier with double quotes, doubling inner quotes (PostgreSQL and DuckDB alike). @internal */
export function doubleQuote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
