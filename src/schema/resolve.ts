/**
 * Field resolution: which declared field a dotted path names, looked up in the innermost scope
 * first (inside `where`, the element), then outwards; and "did you mean" suggestions.
 */
import type { Field, ObjectType } from "./model.js";
import { nfc } from "../text/unicode.js";

/** A path that names a declared field. */
export interface ResolvedField {
  readonly ok: true;
  /** The scope the first name was found in: 0 is the innermost. */
  readonly scopeIndex: number;
  /** The field the whole path names. */
  readonly field: Field;
  /** True when any step of the path is nullable or optional (the value may be missing). */
  readonly nullable: boolean;
  /** One field per path segment, outermost first; the last is `field`. */
  readonly steps: readonly Field[];
}

/** Why a path names no field. */
export type ResolveFailure =
  /** No field of that name where the path looked. */
  | "unknown"
  /** The previous step is a scalar, an enum or an array of scalars: it has no fields. */
  | "not-object"
  /** The previous step is an array of objects: its fields are reached through an aggregate or a quantifier. */
  | "array";

/** A path that names nothing. */
export interface UnresolvedField {
  readonly ok: false;
  /** Index in the path of the segment that could not be resolved. */
  readonly failedAt: number;
  /** Close names (1 to 3) for the failing segment; empty when nothing is close. */
  readonly suggestions: string[];
  readonly reason: ResolveFailure;
  /** The scope the first name was found in (when `failedAt > 0`), else -1. */
  readonly scopeIndex: number;
  /** The fields resolved before `failedAt`. */
  readonly steps: readonly Field[];
  /** The names that were available where the path failed (for "fields here are …" hints). */
  readonly candidates: readonly string[];
}

export type FieldResolution = ResolvedField | UnresolvedField;

/**
 * Resolves a dotted path against a stack of object scopes.
 *
 * The first name is looked up in `scopes[0]` (the innermost: inside `where`, the element), then
 * in each outer scope; the rest of the path goes through nested objects of the scope it was found
 * in (never through arrays). Only declared fields are found: `__proto__` or `constructor` are
 * unknown names like any other.
 *
 * @param scopes - the object types in scope, innermost first
 * @param path - the path segments (`account.sector` → `["account", "sector"]`)
 * @returns the field, or where and why the path fails, with suggestions
 *
 * @example
 * ```ts
 * const r = resolveField([model.root], ["sectr"]);
 * if (!r.ok) r.suggestions; // ["sector"]
 * ```
 */
export function resolveField(scopes: readonly ObjectType[], path: readonly string[]): FieldResolution {
  const first = path[0];
  if (first === undefined) {
    return { ok: false, failedAt: 0, suggestions: [], reason: "unknown", scopeIndex: -1, steps: [], candidates: [] };
  }
  const name0 = nfc(first);
  let scopeIndex = -1;
  let field: Field | undefined;
  for (let i = 0; i < scopes.length; i++) {
    const f = scopes[i]?.fields.get(name0);
    if (f) {
      scopeIndex = i;
      field = f;
      break;
    }
  }
  if (!field) {
    const candidates: string[] = [];
    for (const scope of scopes) for (const n of scope.fields.keys()) if (!candidates.includes(n)) candidates.push(n);
    return {
      ok: false,
      failedAt: 0,
      suggestions: didYouMean(name0, candidates),
      reason: "unknown",
      scopeIndex: -1,
      steps: [],
      candidates,
    };
  }
  const steps: Field[] = [field];
  let nullable = field.nullable || field.optional;
  for (let i = 1; i < path.length; i++) {
    const prev = steps[steps.length - 1] as Field;
    if (prev.type.kind !== "object") {
      const reason: ResolveFailure =
        prev.type.kind === "array" && prev.type.element.kind === "object" ? "array" : "not-object";
      const candidates =
        prev.type.kind === "array" && prev.type.element.kind === "object" ? [...prev.type.element.fields.keys()] : [];
      return { ok: false, failedAt: i, suggestions: [], reason, scopeIndex, steps, candidates };
    }
    const name = nfc(path[i] as string);
    const next = prev.type.fields.get(name);
    if (!next) {
      const candidates = [...prev.type.fields.keys()];
      return {
        ok: false,
        failedAt: i,
        suggestions: didYouMean(name, candidates),
        reason: "unknown",
        scopeIndex,
        steps,
        candidates,
      };
    }
    steps.push(next);
    nullable ||= next.nullable || next.optional;
  }
  return { ok: true, scopeIndex, field: steps[steps.length - 1] as Field, nullable, steps };
}

/**
 * How names are compared loosely for "did you mean": NFD, every combining mark (`\p{M}`) dropped,
 * lower case. Not the folding of `contains` and `~=` (compile/text.ts `fold`, which the language
 * defines and SQL mirrors). @internal
 */
export function foldName(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Optimal-string-alignment (Damerau-Levenshtein with adjacent transpositions) distance.
 * Bounded: returns `max + 1` as soon as the distance must exceed `max`. @internal
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] as number;
}

/**
 * The 1–3 candidates closest to `name`, best first; empty when none is close.
 *
 * Distance is Damerau-Levenshtein on the folded forms (case and accents ignored), so `Secteur`
 * finds `secteur` and `sante` finds `santé` first; ties keep the candidates' order. A candidate
 * is close when its distance is at most about a third of the name's length (at least 1, at most 3).
 *
 * @example
 * ```ts
 * didYouMean("sectr", ["sector", "employees"]); // ["sector"]
 * ```
 */
export function didYouMean(name: string, candidates: Iterable<string>): string[] {
  const folded = foldName(name);
  const max = Math.min(3, Math.max(1, Math.floor(folded.length / 3)));
  const scored: { c: string; d: number; raw: number; i: number }[] = [];
  let i = 0;
  for (const c of candidates) {
    if (c === name) {
      i++;
      continue;
    }
    const fc = foldName(c);
    let d = fc === folded ? 0 : editDistance(folded, fc, max);
    // A prefix a few letters short (`lastPurch` for `lastPurchase`) is close too.
    if (d > max && folded.length >= 3 && (fc.startsWith(folded) || folded.startsWith(fc)) && Math.abs(fc.length - folded.length) <= max + 2) d = max;
    if (d <= max) scored.push({ c, d, raw: editDistance(name, c, 10), i });
    i++;
  }
  scored.sort((x, y) => x.d - y.d || x.raw - y.raw || x.i - y.i);
  return scored.slice(0, 3).map((s) => s.c);
}
