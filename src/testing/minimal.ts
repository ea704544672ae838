/**
 * The simplest record of a schema: nulls and absent keys where allowed, empty text, zero, the
 * first enum value, `now` for dates, the fewest array elements. Counterexamples built by
 * construction start from it, so that a report shows the fields that matter and little else.
 * @internal
 */
import * as fc from "fast-check";
import type { ExprNode } from "../ast/nodes.js";
import { forEachNode } from "../ast/walk.js";
import type { GenField, GenObject, GenType } from "./gen-type.js";
import { zodAccepts } from "./gen-type.js";
import { dateRepr } from "./dates.js";

const ABSENT = Symbol("absent");

function minimalValue(t: GenType, now: number, zone: string): unknown {
  switch (t.kind) {
    case "string": {
      const fixed =
        t.format === "email" ? "a@example.com" : t.format === "uuid" ? "00000000-0000-4000-8000-000000000000" : t.format === "url" ? "https://example.com" : "";
      let s = t.prefix + t.includes.join("") + fixed + t.suffix;
      while (s.length < t.minLength) s += "a";
      return t.letterCase === "upper" ? s.toUpperCase() : s;
    }
    case "number": {
      let v = 0;
      if (t.min !== undefined && (v < t.min || (v === t.min && !t.minInclusive))) v = t.integer ? Math.floor(t.min) + 1 : t.min + 1;
      if (t.min !== undefined && t.minInclusive && t.min > 0) v = t.integer ? Math.ceil(t.min) : t.min;
      if (t.max !== undefined && (v > t.max || (v === t.max && !t.maxInclusive))) v = t.integer ? Math.ceil(t.max) - 1 : t.max - 1;
      if (t.multipleOf) v = Math.ceil(v / t.multipleOf) * t.multipleOf;
      return v;
    }
    case "boolean":
      return false;
    case "date": {
      const ms = Math.min(t.max ?? Infinity, Math.max(t.min ?? -Infinity, now));
      return dateRepr(ms, t.source, zone, t.precision);
    }
    case "enum":
    case "literal":
      return t.values[0];
    case "any":
      return null;
    case "array":
      return Array.from({ length: t.minLength }, () => (t.element.kind === "object" ? minimalObject(t.element, now, zone, () => undefined) : minimalValue(t.element, now, zone)));
    case "object":
      return minimalObject(t, now, zone, () => undefined);
  }
}

function minimalField(f: GenField, now: number, zone: string, fallback: (f: GenField) => unknown): unknown {
  if (f.optional) return ABSENT;
  if (f.nullable) return null;
  const v = minimalValue(f.type, now, zone);
  return zodAccepts(f.schema, v) ? v : fallback(f);
}

/** The simplest object of a type; `fallback` gives a field a value zod accepts when the simplest one is refused. */
export function minimalObject(o: GenObject, now: number, zone: string, fallback: (f: GenField) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of o.fields) {
    const v = minimalField(f, now, zone, fallback);
    if (v !== ABSENT && v !== undefined) out[f.key] = v;
  }
  return out;
}

/** A fallback drawing one value from a field's arbitrary. */
export function sampleFallback(arbOf: (f: GenField) => fc.Arbitrary<unknown>): (f: GenField) => unknown {
  return (f) => fc.sample(arbOf(f), { seed: 1, numRuns: 1 })[0];
}

/**
 * The dotted paths (as lists of names) a rule may read: its fields, aggregate and quantifier
 * paths, each also taken from the record (a name inside `where` may resolve there). `undefined`
 * when the rule refers to another definition (`@name`), whose reads are not in this AST.
 * @internal
 */
export function readPaths(bodies: readonly ExprNode[]): string[][] | undefined {
  const out: string[][] = [];
  let refers = false;
  for (const body of bodies) {
    forEachNode(body, (n) => {
      if (n.kind === "field" || n.kind === "aggregate") out.push([...n.path]);
      else if (n.kind === "ref") refers = true;
    });
  }
  return refers ? undefined : out;
}

/**
 * `record` with every field no path of `read` reaches set to its simplest value (recursively
 * inside nested objects the rule reads part of), each change kept only when `keep` still holds:
 * a counterexample then shows the fields the rules read, and nothing else to wonder about.
 * @internal
 */
export function simplifyUnread(
  record: Record<string, unknown>,
  o: GenObject,
  read: readonly (readonly string[])[],
  now: number,
  zone: string,
  fallback: (f: GenField) => unknown,
  keep: (r: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  let out = record;
  for (const f of o.fields) {
    const under = read.filter((p) => p[0] === f.name);
    let next: Record<string, unknown> | undefined;
    if (under.length === 0) {
      const v = minimalField(f, now, zone, fallback);
      next = { ...out };
      if (v === ABSENT || v === undefined) delete next[f.key];
      else next[f.key] = v;
    } else if (f.type.kind === "object" && under.every((p) => p.length > 1)) {
      const inner = Object.hasOwn(out, f.key) ? out[f.key] : undefined;
      if (typeof inner !== "object" || inner === null || Array.isArray(inner)) continue;
      const at = out;
      const sub = simplifyUnread(inner as Record<string, unknown>, f.type, under.map((p) => p.slice(1)), now, zone, fallback, (s) => keep({ ...at, [f.key]: s }));
      next = { ...out, [f.key]: sub };
    }
    if (next && keep(next)) out = next;
  }
  return out;
}
