/**
 * Reads a host's zod (v4) object schema into the plain field-type model of `model.ts`.
 *
 * The schema is read through its definition (`schema._zod.def`, the `zod/v4/core` shape shared
 * by `zod`, `zod/mini` and `z.fromJSONSchema`), never by parsing values. The only runtime import
 * from zod is `globalRegistry`, where `.meta({ ordered: true })` lives (zod keeps one registry per
 * process on `globalThis`, so every zod build the host may use shares it).
 */
import { globalRegistry } from "zod/v4/core";
import type { $ZodType } from "zod/v4/core";
import { CibleError } from "../errors/cible-error.js";
import { type ArrayType, type EnumType, type Field, type FieldType, type ObjectType, type SchemaModel, zodLosesEnumOrder } from "./model.js";
import { SCHEMA_CODES, SM, type SchemaWording } from "./messages.js";

/** The parts of a zod definition this reader looks at (all zod 4.x builds share them). @internal */
interface LooseDef {
  readonly type: string;
  readonly innerType?: $ZodType;
  readonly in?: $ZodType;
  readonly out?: $ZodType;
  readonly options?: readonly $ZodType[];
  readonly element?: $ZodType;
  readonly shape?: Readonly<Record<string, $ZodType>>;
  readonly entries?: Readonly<Record<string, unknown>>;
  readonly values?: readonly unknown[];
  readonly format?: string;
  readonly checks?: readonly { readonly _zod?: { readonly def?: { readonly check?: string; readonly format?: string } } }[];
  readonly getter?: () => $ZodType;
}

/** How deep nested objects and arrays may go before the reader gives up (recursive schemas). */
const MAX_DEPTH = 32;

const INTEGER_FORMATS = new Set(["safeint", "int32", "uint32"]);

const cache = new WeakMap<object, SchemaModel>();

/**
 * Reads a zod object schema into cible's field-type model.
 *
 * Understood: `z.string()`, `z.number()` (`.int()` → integer), `z.boolean()`, `z.date()`,
 * `z.coerce.date()`, `z.iso.datetime()` / `z.string().datetime()` (a date held as an ISO string),
 * `z.iso.date()`, `z.enum([...])` and unions of string literals (ordered with
 * `.meta({ ordered: true })`, or `.meta({ ordered: [...] })` giving the order, which a `z.enum`
 * with values such as `"11"` needs: zod does not keep their declared order, and such an enum is
 * marked `orderLost`), nested `z.object`, `z.array` of scalars, enums or objects, and the
 * wrappers `nullable`, `optional`, `nullish`, `default`, `prefault`, `catch`, `readonly`, `pipe`
 * (read on its output side), plus the shapes `z.fromJSONSchema` produces (a union with `null` is
 * nullable). The model is cached per schema object.
 *
 * @param schema - a zod object schema (the record's shape)
 * @returns the field-type model
 * @throws CibleError `schema.not-object` when the root is not an object schema,
 *   `schema.unsupported` naming the first field whose zod type cible cannot use,
 *   `schema.enum-order` when `.meta({ ordered: [...] })` does not list exactly an enum's values
 *
 * @example
 * ```ts
 * const model = readSchema(z.object({ sector: z.enum(["santé", "finance"]), employees: z.number().int() }));
 * model.root.fields.get("employees")?.type; // { kind: "number", integer: true }
 * ```
 */
export function readSchema(schema: unknown): SchemaModel {
  if (isZod(schema)) {
    const hit = cache.get(schema);
    if (hit) return hit;
  }
  const root = readRoot(schema);
  const model: SchemaModel = Object.freeze({ root });
  if (isZod(schema)) cache.set(schema, model);
  return model;
}

function isZod(x: unknown): x is $ZodType {
  if (typeof x !== "object" || x === null) return false;
  const internals = (x as { _zod?: unknown })._zod;
  if (typeof internals !== "object" || internals === null) return false;
  const def = (internals as { def?: unknown }).def;
  return typeof def === "object" && def !== null && typeof (def as { type?: unknown }).type === "string";
}

function defOf(s: $ZodType): LooseDef {
  return s._zod.def as unknown as LooseDef;
}

function readRoot(schema: unknown): ObjectType {
  if (!isZod(schema)) {
    throw fail(SCHEMA_CODES.notObject, SM.notZod());
  }
  const u = unwrap(schema, "(root)", new Set(), 0);
  if (defOf(u.schema).type !== "object") {
    throw fail(SCHEMA_CODES.notObject, SM.notObject(defOf(u.schema).type));
  }
  return readObject(u.schema, "", new Set(), 0);
}

/** The result of peeling wrappers off a field's schema. */
interface Unwrapped {
  readonly schema: $ZodType;
  readonly nullable: boolean;
  readonly optional: boolean;
  /** `.meta({ ordered: true })` (or a list) on the schema or on any wrapper around it. */
  readonly ordered: boolean;
  /** `.meta({ ordered: [...] })`: the order given, as written (checked against the values later). */
  readonly order?: readonly unknown[];
  /** For unions of string literals / enums: the values, already merged. */
  readonly enumValues?: readonly string[];
  /** For unions: a `z.enum` among them lost its declared order (see `zodLosesEnumOrder`). */
  readonly orderLost?: boolean;
  /** For literal unions of numbers or booleans: the scalar kind they collapse to. */
  readonly literalKind?: "number" | "boolean";
}

/** The `ordered` meta of a schema: `true`, a list (the order given), or undefined. */
function orderedMetaOf(s: $ZodType): true | readonly unknown[] | undefined {
  try {
    const meta = globalRegistry.get(s) as { ordered?: unknown } | undefined;
    const ordered = meta?.ordered;
    return ordered === true || Array.isArray(ordered) ? ordered : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The description of a field (`.describe("…")` or `.meta({ description })`), on the schema or on
 * a wrapper around it (the outermost wins, as in zod): shown by the language service.
 */
function descriptionOf(s: $ZodType): string | undefined {
  let cur: $ZodType | undefined = s;
  for (let k = 0; cur && k < 16; k++) {
    try {
      const d = (globalRegistry.get(cur) as { description?: unknown } | undefined)?.description;
      if (typeof d === "string" && d.trim() !== "") return d;
    } catch {
      return undefined;
    }
    const def: LooseDef | undefined = (cur as { _zod?: { def?: LooseDef } })._zod?.def;
    cur = def?.innerType ?? def?.in;
  }
  return undefined;
}

/**
 * Peels wrappers (nullable, optional, default, prefault, catch, readonly, nonoptional, pipe,
 * lazy) and unions with null/undefined off a schema, recording nullability, optionality and the
 * `ordered` meta seen on the way.
 */
function unwrap(start: $ZodType, path: string, seen: Set<$ZodType>, depth: number): Unwrapped {
  let s = start;
  let nullable = false;
  let optional = false;
  let ordered = false;
  // The outermost list wins, as zod's own `.meta()` on a wrapper overrides the inner one.
  let order: readonly unknown[] | undefined;
  const result = (rest: Omit<Unwrapped, "nullable" | "optional" | "ordered" | "order">): Unwrapped => ({
    ...rest,
    nullable,
    optional,
    ordered,
    ...(order === undefined ? {} : { order }),
  });
  for (let guard = 0; ; guard++) {
    if (guard > 64 || depth > MAX_DEPTH) throw unsupported(path, "deeply nested or recursive schema", s);
    const meta = orderedMetaOf(s);
    if (meta !== undefined) ordered = true;
    if (meta !== undefined && meta !== true && order === undefined) order = meta;
    const def = defOf(s);
    switch (def.type) {
      case "nullable":
        nullable = true;
        s = def.innerType as $ZodType;
        continue;
      case "optional":
        optional = true;
        s = def.innerType as $ZodType;
        continue;
      case "default":
      case "prefault":
      case "catch":
      case "readonly":
      case "nonoptional":
        s = def.innerType as $ZodType;
        continue;
      case "pipe": {
        const out = def.out as $ZodType;
        if (defOf(out).type === "transform") {
          throw unsupported(path, "transform", s, SM.transform);
        }
        s = out;
        continue;
      }
      case "lazy": {
        if (seen.has(s)) throw unsupported(path, "recursive lazy schema", s);
        seen.add(s);
        s = (def.getter as () => $ZodType)();
        continue;
      }
      case "union": {
        const rest: $ZodType[] = [];
        for (const option of def.options ?? []) {
          const t = nullishKind(option);
          if (t === "null") nullable = true;
          else if (t === "undefined") optional = true;
          else rest.push(option);
        }
        if (rest.length === 0) throw unsupported(path, "union of null and undefined only", s);
        if (rest.length === 1) {
          s = rest[0] as $ZodType;
          continue;
        }
        // A union of string literals / enums becomes one enum; numbers or booleans collapse to their kind.
        const parts = rest.map((o) => unwrap(o, path, seen, depth + 1));
        if (parts.some((p) => p.nullable)) nullable = true;
        if (parts.some((p) => p.optional)) optional = true;
        if (parts.every((p) => p.enumValues !== undefined || defOf(p.schema).type === "enum")) {
          const values: string[] = [];
          let lost = false;
          for (const p of parts) {
            const own = p.enumValues ?? enumValuesOf(p.schema, path);
            if (p.enumValues ? p.orderLost : zodLosesEnumOrder(own)) lost = true;
            values.push(...own);
          }
          return result({ schema: s, enumValues: dedupe(values), ...(lost ? { orderLost: true } : {}) });
        }
        const kinds = new Set(parts.map((p) => p.literalKind ?? scalarKindOf(p.schema)));
        if (kinds.size === 1) {
          const only = [...kinds][0];
          if (only === "number" || only === "boolean") {
            return result({ schema: parts[0]!.schema, literalKind: only });
          }
          if (only === "string") {
            const stringPart = parts.find((p) => defOf(p.schema).type === "string");
            if (stringPart) {
              s = stringPart.schema;
              if (parts.every((p) => defOf(p.schema).type === "string" && sameStringKind(p.schema, s))) continue;
            }
          }
        }
        throw unsupported(path, "union of different types", s, SM.mixedUnion);
      }
      case "literal": {
        const values: unknown[] = [];
        for (const v of def.values ?? []) {
          if (v === null) nullable = true;
          else if (v === undefined) optional = true;
          else values.push(v);
        }
        if (values.length > 0 && values.every((v) => typeof v === "string")) {
          return result({ schema: s, enumValues: dedupe(values as string[]) });
        }
        if (values.length > 0 && values.every((v) => typeof v === "number")) {
          return result({ schema: s, literalKind: "number" });
        }
        if (values.length > 0 && values.every((v) => typeof v === "boolean")) {
          return result({ schema: s, literalKind: "boolean" });
        }
        throw unsupported(path, "literal of mixed or non-scalar values", s);
      }
      default:
        return result({ schema: s });
    }
  }
}

/** `z.null()`, `z.undefined()`, or a literal of only `null` / `undefined` (as `z.fromJSONSchema` writes `enum: [.., null]`). */
function nullishKind(s: $ZodType): "null" | "undefined" | undefined {
  const def = defOf(s);
  if (def.type === "null") return "null";
  if (def.type === "undefined" || def.type === "void") return "undefined";
  if (def.type === "literal" && def.values && def.values.length > 0) {
    if (def.values.every((v) => v === null)) return "null";
    if (def.values.every((v) => v === undefined)) return "undefined";
  }
  return undefined;
}

function scalarKindOf(s: $ZodType): string {
  const t = defOf(s).type;
  return t === "template_literal" ? "string" : t;
}

/** Two string schemas read as the same model type (both plain text, or both the same date format). */
function sameStringKind(a: $ZodType, b: $ZodType): boolean {
  return dateSourceOf(a) === dateSourceOf(b);
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.normalize("NFC")))];
}

function enumValuesOf(s: $ZodType, path: string): string[] {
  const def = defOf(s);
  const raw = Object.values(def.entries ?? {});
  if (!raw.every((v) => typeof v === "string")) {
    throw unsupported(path, "enum with non-string values", s, SM.enumStrings);
  }
  return dedupe(raw as string[]);
}

function formatsOf(s: $ZodType): string[] {
  const def = defOf(s);
  const out: string[] = [];
  if (typeof def.format === "string") out.push(def.format);
  for (const c of def.checks ?? []) {
    const f = c?._zod?.def?.format;
    if (typeof f === "string") out.push(f);
  }
  return out;
}

function dateSourceOf(s: $ZodType): "datetime-string" | "date-string" | undefined {
  const formats = formatsOf(s);
  if (formats.includes("datetime")) return "datetime-string";
  if (formats.includes("date")) return "date-string";
  return undefined;
}

function readObject(s: $ZodType, path: string, stack: Set<$ZodType>, depth: number): ObjectType {
  if (stack.has(s) || depth > MAX_DEPTH) throw unsupported(path || "(root)", "recursive object", s, SM.recursive);
  stack.add(s);
  const shape = defOf(s).shape ?? {};
  const fields = new Map<string, Field>();
  for (const key of Object.keys(shape)) {
    const name = key.normalize("NFC");
    const fieldPath = path ? `${path}.${name}` : name;
    if (fields.has(name)) {
      throw unsupported(fieldPath, "duplicate name", s, SM.duplicate);
    }
    const child = shape[key] as $ZodType;
    const u = unwrap(child, fieldPath, new Set(), depth + 1);
    const type = readType(u, fieldPath, stack, depth + 1);
    const description = descriptionOf(child);
    const field: Field = description === undefined
      ? { name, type, nullable: u.nullable, optional: u.optional }
      : { name, type, nullable: u.nullable, optional: u.optional, description };
    fields.set(name, Object.freeze(field));
  }
  stack.delete(s);
  return Object.freeze({ kind: "object" as const, fields });
}

function readType(u: Unwrapped, path: string, stack: Set<$ZodType>, depth: number): FieldType {
  if (u.enumValues) return enumType(u.enumValues, u, u.orderLost === true, path);
  if (u.order !== undefined && defOf(u.schema).type !== "enum") throw fail(SCHEMA_CODES.enumOrder, SM.orderNotEnum(path));
  if (u.literalKind === "number") return { kind: "number", integer: false };
  if (u.literalKind === "boolean") return { kind: "boolean" };
  const s = u.schema;
  const def = defOf(s);
  switch (def.type) {
    case "string":
    case "template_literal": {
      const source = dateSourceOf(s);
      return source ? { kind: "date", source } : { kind: "string" };
    }
    case "number": {
      const integer = formatsOf(s).some((f) => INTEGER_FORMATS.has(f));
      return { kind: "number", integer };
    }
    case "boolean":
      return { kind: "boolean" };
    case "date":
      return { kind: "date", source: "date" };
    case "enum": {
      const values = enumValuesOf(s, path);
      return enumType(values, u, zodLosesEnumOrder(values), path);
    }
    case "object":
      return readObject(s, path, stack, depth);
    case "array":
      return readArray(s, path, stack, depth);
    case "bigint":
      throw unsupported(path, "bigint", s, SM.bigint);
    default:
      throw unsupported(path, def.type, s);
  }
}

/**
 * An enum's type: in the order `.meta({ ordered: [...] })` gives (which must list exactly its
 * values), else in zod's order, which is the declared order unless `lost`.
 */
function enumType(values: readonly string[], u: Unwrapped, lost: boolean, path: string): EnumType {
  const own = dedupe(values);
  if (u.order !== undefined) {
    return Object.freeze({ kind: "enum" as const, values: Object.freeze(checkedOrder(u.order, own, path)), ordered: true });
  }
  if (lost) {
    const orderLost = u.ordered ? ("declared-ordered" as const) : ("unordered" as const);
    return Object.freeze({ kind: "enum" as const, values: Object.freeze(own), ordered: false, orderLost });
  }
  return Object.freeze({ kind: "enum" as const, values: Object.freeze(own), ordered: u.ordered });
}

/** The order of `.meta({ ordered: [...] })`, NFC-normalised, once checked to list each value exactly once. */
function checkedOrder(order: readonly unknown[], values: readonly string[], path: string): string[] {
  const bad = order.find((v) => typeof v !== "string");
  if (bad !== undefined) throw fail(SCHEMA_CODES.enumOrder, SM.orderNotText(path, bad));
  const listed = (order as string[]).map((v) => v.normalize("NFC"));
  const known = new Set(values);
  const seen = new Set<string>();
  for (const v of listed) {
    if (!known.has(v)) throw fail(SCHEMA_CODES.enumOrder, SM.orderUnknown(path, v, values));
    if (seen.has(v)) throw fail(SCHEMA_CODES.enumOrder, SM.orderTwice(path, v));
    seen.add(v);
  }
  const missing = values.filter((v) => !seen.has(v));
  if (missing.length > 0) throw fail(SCHEMA_CODES.enumOrder, SM.orderMissing(path, missing));
  return listed;
}

function readArray(s: $ZodType, path: string, stack: Set<$ZodType>, depth: number): ArrayType {
  const elementPath = `${path}[]`;
  const u = unwrap(defOf(s).element as $ZodType, elementPath, new Set(), depth + 1);
  const element = readType(u, elementPath, stack, depth + 1);
  if (element.kind === "array") {
    throw unsupported(elementPath, "array of arrays", s, SM.arrayOfArrays);
  }
  return Object.freeze({ kind: "array" as const, element, elementNullable: u.nullable || u.optional });
}

function fail(code: string, wording: SchemaWording): CibleError {
  return CibleError.of(code, wording.message, wording.hint);
}

function unsupported(path: string, what: string, s: $ZodType, hint?: string): CibleError {
  return fail(SCHEMA_CODES.unsupported, SM.unsupported(path, defOf(s).type, what, hint));
}
