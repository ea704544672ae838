/**
 * Removes every position from an AST (`span`, `pathSpan`, `nameSpan`), so that two ASTs can be
 * compared "up to spans". Comments keep their text only.
 */
const SPAN_KEYS = new Set(["span", "pathSpan", "nameSpan"]);

export function stripSpans<T>(value: T): unknown {
  if (Array.isArray(value)) return value.map((v) => stripSpans(v));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SPAN_KEYS.has(k) || v === undefined) continue;
    out[k] = stripSpans(v);
  }
  return out;
}
