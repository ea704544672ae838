/**
 * DuckDB (@duckdb/node-api): `?` placeholders, lists as `from_json`, folding with
 * `strip_accents` and `lower`.
 * @internal
 */
import { type Dialect, type ListItemType, type SQLType, bindDerived, doubleQuote } from "./dialect.js";
import { sqlMessages } from "./messages.js";

const TYPES: Record<SQLType, string> = {
  text: "VARCHAR",
  float: "DOUBLE",
  boolean: "BOOLEAN",
  timestamptz: "TIMESTAMPTZ",
};

const LIST_SHAPE: Record<ListItemType, string> = { text: '["VARCHAR"]', float: '["DOUBLE"]', boolean: '["BOOLEAN"]' };

const HANGUL = /[\uac00-\ud7a3]/;

/**
 * What `lower(strip_accents(x))` does, in JavaScript: every combining mark dropped (not only
 * U+0300–U+036F), Hangul syllables kept whole, then lower case.
 */
export function duckFold(s: string): string {
  let out: string;
  if (HANGUL.test(s)) {
    out = "";
    for (const ch of s) out += HANGUL.test(ch) ? ch : ch.normalize("NFD").replace(/\p{M}/gu, "");
  } else out = s.normalize("NFD").replace(/\p{M}/gu, "");
  return out.toLowerCase();
}

/** @internal */
export const duckdb: Dialect = {
  name: "duckdb",
  label: "DuckDB",
  placeholder: () => "?",
  reusesPlaceholders: false,
  quoteIdent(name) {
    if (name.length === 0) throw sqlMessages.identifier(name, "it is empty", "DuckDB");
    if (name.includes("\u0000")) throw sqlMessages.identifier(name, "it holds the NUL character", "DuckDB");
    return doubleQuote(name);
  },
  identifierKey: (name) => name.replace(/[A-Z]+/g, (m) => m.toLowerCase()),
  identifierRule: "it ignores case",
  typeName: (t) => TYPES[t],
  cast: (expr, t) => `${expr}::${TYPES[t]}`,
  nullOf: (t) => `CAST(NULL AS ${TYPES[t]})`,
  nullIfNaN: (expr) => `NULLIF(${expr}, 'NaN'::${TYPES.float})`,
  arrayIsNull: (array) => `${array} IS NULL`,
  // DuckDB compares text by bytes (code points) unless a collation is asked for.
  byCodePoint: (expr) => expr,
  fold: (expr) => `lower(strip_accents(${expr}))`,
  foldText: duckFold,
  contains: (hay, needle) => `contains(${hay}, ${needle})`,
  startsWith: (hay, prefix) => `starts_with(${hay}, ${prefix})`,
  endsWith: (hay, suffix) => `ends_with(${hay}, ${suffix})`,
  listRelation: (json, item) => `(SELECT unnest(from_json(${json}, '${LIST_SHAPE[item]}')))`,
  listArray: (json, item) => `from_json(${json}, '${LIST_SHAPE[item]}')`,
  arrayHas: (array, value) => `list_contains(${array}, ${value})`,
  arrayHasAny: (array, list) => `list_has_any(${array}, ${list})`,
  arrayHasAll: (array, list) => `list_has_all(${array}, ${list})`,
  arrayCount: (array) => `list_count(${array})`,
  arrayAggregate: (fn, array) => `list_${fn}(${array})`,
  listPosition: (json, value) => `list_position(from_json(${json}, '["VARCHAR"]'), ${value})`,
  epochMs: (expr) => `(epoch_us(${expr}) / 1000.0)`,
  splitHash: (text) => `('0x' || substr(md5(${text}), 1, 8))::UBIGINT`,
  // Text is stored in NFC (docs/sql.md, "Table layout"). A double below 2^63 goes through BIGINT;
  // above, BIGNUM (DuckDB 1.4+) holds it exactly, where HUGEINT stops at 2^127.
  splitKey: (expr, kind) => {
    if (kind === "text") return expr;
    const x = `(${expr})::DOUBLE`;
    return (
      `CASE WHEN isfinite(${x}) AND ${x} = trunc(${x}) THEN ` +
      `CASE WHEN abs(${x}) < 9223372036854775808::DOUBLE THEN ${x}::BIGINT::VARCHAR ELSE ${x}::BIGNUM::VARCHAR END END`
    );
  },
  textProblem: () => undefined,
  bind: bindDerived,
};
