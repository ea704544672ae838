/**
 * PostgreSQL (pg, PGlite; PostgreSQL 13 or later for `normalize`): `$1` placeholders,
 * `jsonb` lists, folding with `normalize`, `regexp_replace` and `lower`.
 * @internal
 */
import { type Dialect, type ListItemType, type SQLType, bindDerived, doubleQuote } from "./dialect.js";
import { sqlMessages } from "./messages.js";
import { fold } from "../text/unicode.js";

const TYPES: Record<SQLType, string> = {
  text: "text",
  float: "float8",
  boolean: "boolean",
  timestamptz: "timestamptz",
};

/** The marks JavaScript's folding drops (src/compile: U+0300–U+036F), as an escape string. */
const MARKS = "E'[\\u0300-\\u036f]'";

const ITEM_CAST: Record<ListItemType, string> = { text: "", float: "::float8", boolean: "::boolean" };

function items(json: string, item: ListItemType): string {
  return `jsonb_array_elements_text(${json}::jsonb)${ITEM_CAST[item]}`;
}

/**
 * The exact decimal digits of an integral float8 `x` (a column or a short expression). Below 2^63,
 * through bigint. Above, `x::numeric` keeps only 15 significant digits, so `x` is written as
 * `q · 2^k` (k = ⌊log2 |x|⌋ − 54, at least 2 below the last bit of the mantissa even when `ln`
 * misjudges a power of two by one): `x / 2^k` is an exact integer under 2^57, and numeric
 * `power(2, k)` is exact (with up to 16 zero decimals below 10^16, hence `trunc`).
 */
function integerDigits(x: string): string {
  const k = `(floor(ln(abs(${x})) / ln(2))::int - 54)`;
  const big = `trunc((${x} / power(2::float8, ${k}))::bigint * power(2::numeric, ${k}))::text`;
  return (
    `CASE WHEN abs(${x}) < 'Infinity'::float8 AND ${x} = trunc(${x}) THEN ` +
    `CASE WHEN abs(${x}) < '9223372036854775808'::float8 THEN ${x}::bigint::text ELSE ${big} END END`
  );
}

/** @internal */
export const postgres: Dialect = {
  name: "postgres",
  label: "PostgreSQL",
  placeholder: (n) => `$${n}`,
  reusesPlaceholders: true,
  quoteIdent(name) {
    if (name.length === 0) throw sqlMessages.identifier(name, "it is empty", "PostgreSQL");
    if (name.includes("\u0000")) throw sqlMessages.identifier(name, "it holds the NUL character", "PostgreSQL");
    // PostgreSQL silently truncates longer names, which could make two fields one column.
    if (Buffer.byteLength(name, "utf8") > 63) {
      throw sqlMessages.identifier(name, "it is longer than 63 bytes, and PostgreSQL would truncate it", "PostgreSQL");
    }
    return doubleQuote(name);
  },
  identifierKey: (name) => {
    const bytes = Buffer.from(name, "utf8");
    return bytes.length <= 63 ? name : bytes.subarray(0, 63).toString("latin1");
  },
  identifierRule: "it keeps only the first 63 bytes",
  typeName: (t) => TYPES[t],
  cast: (expr, t) => `${expr}::${TYPES[t]}`,
  nullOf: (t) => `CAST(NULL AS ${TYPES[t]})`,
  nullIfNaN: (expr) => `NULLIF(${expr}, 'NaN'::${TYPES.float})`,
  arrayIsNull: (array) => `${array} IS NULL`,
  byCodePoint: (expr) => `${expr} COLLATE "C"`,
  fold: (expr) => `lower(regexp_replace(normalize(${expr}, NFD), ${MARKS}, '', 'g'))`,
  foldText: fold,
  contains: (hay, needle) => `strpos(${hay}, ${needle}) > 0`,
  startsWith: (hay, prefix) => `starts_with(${hay}, ${prefix})`,
  endsWith: (hay, suffix) => `right(${hay}, length(${suffix})) = ${suffix}`,
  listRelation: (json, item) => `(SELECT ${items(json, item)})`,
  listArray: (json, item) => `ARRAY(SELECT ${items(json, item)})`,
  // `@>` and `&&` never match a NULL element and give NULL for a NULL array.
  arrayHas: (array, value) => `${array} @> ARRAY[${value}]`,
  arrayHasAny: (array, list) => `${array} && ${list}`,
  arrayHasAll: (array, list) => `${array} @> ${list}`,
  arrayCount: (array) => `cardinality(array_remove(${array}, NULL))`,
  arrayAggregate: (fn, array) => `(SELECT ${fn}(e) FROM unnest(${array}) AS e)`,
  listPosition: (json, value) => `array_position(ARRAY(SELECT jsonb_array_elements_text(${json}::jsonb)), ${value})`,
  epochMs: (expr) => `(extract(epoch from ${expr})::float8 * 1000)`,
  splitHash: (text) => `('x' || substr(md5(${text}), 1, 8))::bit(32)::bigint`,
  // Text is stored in NFC (docs/sql.md, "Table layout"); any numeric column is read as the double
  // the evaluator sees (abs(NaN) < 'Infinity' is false: NaN sorts above every number).
  splitKey: (expr, kind) => (kind === "text" ? expr : integerDigits(`(${expr})::float8`)),
  textProblem: (s) => (s.includes("\u0000") ? "the NUL character (U+0000), which PostgreSQL text cannot hold" : undefined),
  bind: bindDerived,
};
