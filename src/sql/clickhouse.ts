/**
 * ClickHouse (chdb, @clickhouse/client; tested on ClickHouse 26.7): typed query parameters
 * `{p1:Float64}`, lists as `JSONExtract`, folding with `normalizeUTF8NFD`, `replaceRegexpAll`
 * and `lowerUTF8`. Columns are `Nullable(…)`; an array column cannot be, so a missing array is
 * the flag column `<column>_missing` (docs/sql.md, "ClickHouse"). Child rows are read with no
 * correlated subquery: by key over the parent's tables (`keyed`), or as arrays per parent key
 * bound by lambdas where a condition reads an enclosing `where`'s element (`keyed.elements`).
 * @internal
 */
import { type Dialect, type ElementRows, type ListItemType, type SQLType, doubleQuote } from "./dialect.js";
import { sqlMessages } from "./messages.js";
import { fold } from "../text/unicode.js";

/** The types placeholders are bound as; instants travel as ISO text, parsed in UTC. */
const PLACEHOLDER: Record<SQLType, string> = { text: "String", float: "Float64", boolean: "Bool", timestamptz: "String" };
const TYPES: Record<SQLType, string> = { text: "String", float: "Float64", boolean: "Bool", timestamptz: "DateTime64(6, 'UTC')" };
const ITEMS: Record<ListItemType, string> = { text: "Array(String)", float: "Array(Float64)", boolean: "Array(Bool)" };

/** The marks JavaScript's folding drops (src/text/unicode.ts: U+0300–U+036F), as ClickHouse's re2 writes them. */
const MARKS = "'[\\\\x{0300}-\\\\x{036F}]'";

/**
 * The flag column of a missing array column: `"t"."tags"` → `"t"."tags_missing"`; undefined for
 * an array value that is not a column (a list parameter's `JSONExtract(…)`), which is never missing.
 */
function missingFlag(array: string): string | undefined {
  return array.endsWith('"') ? `${array.slice(0, -1)}_missing"` : undefined;
}

const known = (array: string): string => `arrayMap(x -> assumeNotNull(x), arrayFilter(x -> x IS NOT NULL, ${array}))`;
const ifArray = (array: string, e: string): string => {
  const flag = missingFlag(array);
  return flag ? `if(${flag} = 1, NULL, ${e})` : e;
};
const AGG = { sum: "arraySum", avg: "arrayAvg", min: "arrayMin", max: "arrayMax" } as const;

/**
 * A lambda over one-element arrays: each value computed once, with no subquery reading the outer
 * row (`arrayMap((a, b) -> body, [x], [y])[1]`). The lambda's parameters are named after the
 * fresh alias, so that they shadow no column.
 */
function bindLambda(values: readonly (readonly [string, string])[], body: (refs: readonly string[]) => string, alias: string): string {
  const names = values.map(([name]) => doubleQuote(`${alias.slice(1, -1).replace(/""/g, '"')}_${name}`));
  return `arrayMap((${names.join(", ")}) -> ${body(names)}, ${values.map(([, sql]) => `[${sql}]`).join(", ")})[1]`;
}

/**
 * The child rows of the parent key `rows.key`, as an array of tuples `(0, c1, c2, …)` (the 0 so
 * that a row reading no column is still a row). As the keyed aggregates: the (key, rows) pairs
 * computed once by one scalar subquery, uncorrelated, the key's position in them found by
 * `transform` (it hashes constant arrays once); a key with no rows, or NULL, reads `[]`.
 */
function rowsOfKey(rows: ElementRows): string {
  const cols = ["0", ...rows.columns.map(([sql]) => sql)].join(", ");
  const pairs =
    `(SELECT groupArray((k, r)) FROM (SELECT toString(${rows.fromKey}) AS k, groupArray(tuple(${cols})) AS r ` +
    `FROM ${rows.from} GROUP BY k))`;
  const at = `ifNull(transform(toString(${rows.key}), arrayMap(x -> x.1, ${pairs}), arrayEnumerate(${pairs}), 0), 0)`;
  return `arrayElement(arrayMap(x -> x.2, ${pairs}), ${at})`;
}

/**
 * `body(map)`, where `map(e)` is the array of `e` over the rows, `e` reading each row's columns
 * by their names (a lambda of one parameter per column over one array per column; the rows
 * looked up once).
 */
function overRows(rows: ElementRows, body: (map: (e: string) => string) => string): string {
  const raw = rows.alias.slice(1, -1).replace(/""/g, '"');
  const params = [doubleQuote(`${raw}_row`), ...rows.columns.map(([, name]) => name)].join(", ");
  return bindLambda(
    [["rows", rowsOfKey(rows)]],
    ([r]) => {
      const arrays = ["0", ...rows.columns].map((_, i) => `arrayMap(t -> t.${i + 1}, ${r})`).join(", ");
      return body((e) => `arrayMap((${params}) -> (${e}), ${arrays})`);
    },
    rows.alias,
  );
}

/** DateTime64's range: 1900-01-01 to 2299-12-31 (values outside are clamped, not refused). */
const FIRST = Date.UTC(1900, 0, 1);
const AFTER_LAST = Date.UTC(2300, 0, 1);

/** @internal */
export const clickhouse: Dialect = {
  name: "clickhouse",
  label: "ClickHouse",
  placeholder: (n, t) => `{p${n}:${PLACEHOLDER[t]}}`,
  reusesPlaceholders: true,
  quoteIdent(name) {
    if (name.length === 0) throw sqlMessages.identifier(name, "it is empty", "ClickHouse");
    if (name.includes("\u0000")) throw sqlMessages.identifier(name, "it holds the NUL character", "ClickHouse");
    return doubleQuote(name);
  },
  // Identifiers are case-sensitive and not truncated.
  identifierKey: (name) => name,
  identifierRule: "it keeps names as written",
  typeName: (t) => TYPES[t],
  // Placeholders are typed already; an instant is ISO text (`…Z`) read as UTC whatever the session zone.
  cast: (expr, t) => (t === "timestamptz" ? `parseDateTime64BestEffort(${expr}, 6, 'UTC')` : expr),
  nullOf: (t) => `CAST(NULL AS Nullable(${TYPES[t]}))`,
  // ClickHouse compares NaN unequal to itself: NULLIF would not find it.
  nullIfNaN: (expr) => `if(isNaN(${expr}), NULL, ${expr})`,
  arrayIsNull: (array) => {
    const flag = missingFlag(array);
    return flag ? `${flag} = 1` : "FALSE";
  },
  // No correlated subqueries (26.7 misreads a NULL outer column in them, and refuses many
  // shapes): `key IN (SELECT key FROM <parent's tables joined to the child's> WHERE …)`, and
  // aggregates as a map from key to value computed once. Shapes that also run on Distributed tables.
  keyed: {
    exists: (key, from) => `${key} IN (SELECT ${key} FROM ${from})`,
    quantifier: (mode, inner, key, from) => {
      const some = (cond: string) => `${key} IN (SELECT ${key} FROM ${from} WHERE ${cond})`;
      const unknown = some(`(${inner}) IS NULL`);
      return mode === "any"
        ? `multiIf(${some(`(${inner})`)}, TRUE, ${unknown}, NULL, FALSE)`
        : `multiIf(${some(`NOT (${inner})`)}, FALSE, ${unknown}, NULL, TRUE)`;
    },
    // The (key's text, value) pairs, computed once by one scalar subquery (pairs, so that NULL
    // values stay: groupArray skips NULLs), looked up with `transform`, which hashes constant
    // arrays once: a key with no rows reads NULL. (A Map's `m[k]` scans the map for every row:
    // quadratic, 40 s for 80,000 rows where `transform` takes 0.1 s.)
    aggregate: (key, from, where, agg) => {
      const pairs =
        `(SELECT groupArray((k, v)) FROM (SELECT toString(${key}) AS k, CAST(${agg} AS Nullable(Float64)) AS v ` +
        `FROM ${from}${where ? ` WHERE ${where}` : ""} GROUP BY k))`;
      return `transform(toString(${key}), arrayMap(x -> x.1, ${pairs}), arrayMap(x -> x.2, ${pairs}), CAST(NULL AS Nullable(Float64)))`;
    },
    // A condition reading the element of an enclosing `where` (or an element bound here): the
    // rows as arrays, the condition a lambda over their columns, which reads the enclosing row
    // or lambda parameters as any expression does (no correlated subquery).
    elements: {
      column: (alias, column) => doubleQuote(`${alias}.${column}`),
      companions: (column) => [`${column}_missing`],
      quantifier: (mode, rows, cond) =>
        overRows(rows, (map) =>
          bindLambda(
            [["truth", map(cond)]],
            ([t]) =>
              mode === "any"
                ? `multiIf(arrayExists(x -> coalesce(x, FALSE), ${t}), TRUE, arrayExists(x -> x IS NULL, ${t}), NULL, FALSE)`
                : `multiIf(arrayExists(x -> NOT coalesce(x, TRUE), ${t}), FALSE, arrayExists(x -> x IS NULL, ${t}), NULL, TRUE)`,
            rows.alias,
          ),
        ),
      aggregate: (fn, rows, cond, value) =>
        overRows(rows, (map) => {
          const kept = cond === undefined ? "1" : `coalesce(${cond}, FALSE)`;
          if (fn === "count") return `toFloat64(arrayCount(x -> x, ${map(kept)}))`;
          // The values where the condition holds, NULLs skipped; none: NULL, as SQL's aggregates.
          const known = `arrayMap(x -> assumeNotNull(x), arrayFilter(x -> x IS NOT NULL, ${map(`if(${kept}, ${value}, NULL)`)}))`;
          return bindLambda([["values", known]], ([v]) => `if(empty(${v}), NULL, ${AGG[fn]}(${v}))`, rows.alias);
        }),
    },
  },
  instantRange: [FIRST, AFTER_LAST],
  // Strings compare by bytes: UTF-8 byte order is code point order.
  byCodePoint: (expr) => expr,
  fold: (expr) => `lowerUTF8(replaceRegexpAll(normalizeUTF8NFD(${expr}), ${MARKS}, ''))`,
  foldText: fold,
  contains: (hay, needle) => `position(${hay}, ${needle}) > 0`,
  startsWith: (hay, prefix) => `startsWith(${hay}, ${prefix})`,
  endsWith: (hay, suffix) => `endsWith(${hay}, ${suffix})`,
  listRelation: (json, item) => `(SELECT arrayJoin(JSONExtract(${json}, '${ITEMS[item]}')))`,
  listArray: (json, item) => `JSONExtract(${json}, '${ITEMS[item]}')`,
  // `has` finds a NULL element for a NULL value; the value is never NULL here (the compiler guards it).
  arrayHas: (array, value) => ifArray(array, `has(${array}, ${value})`),
  arrayHasAny: (array, list) => ifArray(array, `hasAny(${known(array)}, ${list})`),
  arrayHasAll: (array, list) => ifArray(array, `hasAll(${known(array)}, ${list})`),
  arrayCount: (array) => ifArray(array, `arrayCount(x -> x IS NOT NULL, ${array})`),
  arrayAggregate: (fn, array) =>
    ifArray(array, `if(arrayCount(x -> x IS NOT NULL, ${array}) = 0, NULL, ${AGG[fn]}(${known(array)}))`),
  listPosition: (json, value) => `nullIf(indexOf(JSONExtract(${json}, 'Array(String)'), ${value}), 0)`,
  epochMs: (expr) => `(toUnixTimestamp64Micro(${expr}) / 1000)`,
  splitHash: (text) => `reinterpretAsUInt32(reverse(substring(MD5(${text}), 1, 4)))`,
  // Text is stored in NFC. Integral doubles below 2^63 through Int64. Above, ClickHouse's
  // conversions are not exact (toInt256(1e21) ends in …010): `x` is written `q · 2^k`
  // (k = ⌊log2 |x|⌋ − 54, so that `x / 2^k` is an exact integer under 2^56 even when log2
  // misjudges a power of two by one) and shifted left in Int256, exact below 2^255; beyond
  // (≈ 5.8·10^76, no ClickHouse integer holds it) the key is unknown (docs/sql.md).
  splitKey: (expr, kind) => {
    if (kind === "text") return expr;
    const x = `toFloat64(${expr})`;
    const k = `(toInt32(floor(log2(abs(${x})))) - 54)`;
    const big = `toString(bitShiftLeft(toInt256(toInt64(${x} / exp2(${k}))), ${k}))`;
    return (
      `if(isFinite(${x}) AND ${x} = trunc(${x}), ` +
      `multiIf(abs(${x}) < 9223372036854775808., toString(toInt64(${x})), abs(${x}) < exp2(255), ${big}, NULL), NULL)`
    );
  },
  // Query parameters carry any UTF-8, NUL included (checked on chdb).
  textProblem: () => undefined,
  bind: bindLambda,
};
