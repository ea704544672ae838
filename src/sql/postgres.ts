/**
 * PostgreSQL (pg, PGlite; PostgreSQL 13 or later for `normalize`): `$1` placeholders,
 * `jsonb` lists, folding with `normalize`, `regexp_replace` and `lower`.
 * @internal
 */
import { type Dialect, type ListItemType, type SQLType, doubleQuote } from "./dialect.js";
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
  typeName: (t) => TYPES[t],
  cast: (expr, t) => `${expr}::${TYPES[t]}`,
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
  textProblem: (s) => (s.includes("\u0000") ? "the NUL character (U+0000), which PostgreSQL text cannot hold" : undefined),
};
