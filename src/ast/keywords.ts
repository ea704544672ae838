/**
 * The words of the language, shared by the lexer (syntax/) and the printer (ast/) so that the
 * printer knows exactly which names must be backquoted to parse back as the same field.
 * Keywords are case-insensitive; field names are case-sensitive.
 */

/**
 * Words that never stand for a field unless backquoted. The printer backquotes a name segment
 * that equals one of these case-insensitively.
 */
export const HARD_KEYWORDS: ReadonlySet<string> = new Set([
  "and", "or", "not", "in", "has", "any", "all", "none", "contains", "starts", "ends", "with",
  "is", "between", "true", "false", "ago", "from", "within", "before", "after", "where",
  "if", "per", "decaying", "otherwise",
]);

/**
 * Words with a meaning in some positions that still parse as a bare field name in every field
 * position (position tells them apart): `type = "webinar"`, `date < 12 months`, `by at`,
 * `count(purchases)` vs `count > 3`, `6 months` vs a field `months`.
 */
export const SOFT_KEYWORDS: ReadonlySet<string> = new Set([
  "score", "count", "sum", "avg", "min", "max", "type", "date", "at", "now", "last", "next",
  "set", "empty", "segment", "lifecycle", "tiers", "rfm", "recency", "frequency", "monetary",
  "quantiles", "every", "by", "to", "clamp", "channel", "split", "seed",
  "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
]);

/** An identifier: a Unicode letter or `_`, then letters, combining marks, digits or `_`. */
export const IDENTIFIER = /^[\p{L}_][\p{L}\p{M}\p{N}_]*$/u;

/** True when a name segment can be printed without backquotes. */
export function isBareName(name: string): boolean {
  return IDENTIFIER.test(name) && !HARD_KEYWORDS.has(name.toLowerCase());
}
