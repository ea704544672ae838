/**
 * What the kit must know to generate values a schema accepts: the field-type model of
 * schema/model.ts plus the value constraints zod checks (bounds, lengths, formats). Read from a
 * zod schema (preferred: every check is honoured or refused) or from a bare `SchemaModel`
 * (hand-built models in tests, or a segment whose zod schema the kit was not given).
 * @internal
 */
import { safeParse } from "zod/v4/core";
import type { $ZodType } from "zod/v4/core";
import type { FieldType, ObjectType, SchemaModel } from "../schema/model.js";
import { messages } from "./messages.js";

/** Text constraints read from `z.string()` checks. */
export interface GenString {
  readonly kind: "string";
  readonly minLength: number;
  readonly maxLength: number | undefined;
  readonly format: "plain" | "email" | "uuid" | "url";
  readonly prefix: string;
  readonly suffix: string;
  readonly includes: readonly string[];
  readonly letterCase: "any" | "lower" | "upper";
}

export interface GenNumber {
  readonly kind: "number";
  readonly integer: boolean;
  readonly min: number | undefined;
  readonly minInclusive: boolean;
  readonly max: number | undefined;
  readonly maxInclusive: boolean;
  readonly multipleOf: number | undefined;
}

export interface GenBoolean {
  readonly kind: "boolean";
}

/** A date; `source` says how a record holds it (a `Date`, an ISO date-time string, an ISO date string). */
export interface GenDate {
  readonly kind: "date";
  readonly source: "date" | "datetime-string" | "date-string";
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** Digits of fraction of second a datetime string carries (`null`: as many as given, `-1`: minutes only). */
  readonly precision: number | null;
}

export interface GenEnum {
  readonly kind: "enum";
  /** The values as the schema declares them (the model holds their NFC forms). */
  readonly values: readonly string[];
}

/** A union of number or boolean literals. */
export interface GenLiteral {
  readonly kind: "literal";
  readonly values: readonly (number | boolean)[];
}

/** `z.any()` / `z.unknown()`: the kit writes `null`. */
export interface GenAny {
  readonly kind: "any";
}

export interface GenArray {
  readonly kind: "array";
  readonly element: GenType;
  readonly elementNullable: boolean;
  readonly elementOptional: boolean;
  readonly minLength: number;
  readonly maxLength: number | undefined;
}

export interface GenObject {
  readonly kind: "object";
  readonly fields: readonly GenField[];
}

export type GenType = GenString | GenNumber | GenBoolean | GenDate | GenEnum | GenLiteral | GenAny | GenArray | GenObject;

/** One field of an object. */
export interface GenField {
  /** NFC name, as the model and the rules know it. */
  readonly name: string;
  /** The key records carry (the schema's own spelling). */
  readonly key: string;
  /** Dotted path from the record (array elements add no index: `purchases.amount`). */
  readonly path: string;
  readonly type: GenType;
  readonly nullable: boolean;
  readonly optional: boolean;
  /** The field's zod schema, wrappers included, when read from zod: values are checked against it. */
  readonly schema?: $ZodType;
}

/** The root of a record. */
export interface GenRecord {
  readonly root: GenObject;
  /** The zod schema, when the kit was given one. */
  readonly schema?: $ZodType;
}

// ---------------------------------------------------------------------------------------------
// From a SchemaModel
// ---------------------------------------------------------------------------------------------

const PLAIN_STRING: GenString = {
  kind: "string",
  minLength: 0,
  maxLength: undefined,
  format: "plain",
  prefix: "",
  suffix: "",
  includes: [],
  letterCase: "any",
};

function fromModelType(t: FieldType, path: string): GenType {
  switch (t.kind) {
    case "string":
      return PLAIN_STRING;
    case "number":
      return numberGen(t.integer);
    case "boolean":
      return { kind: "boolean" };
    case "date":
      return { kind: "date", source: t.source, min: undefined, max: undefined, precision: null };
    case "enum":
      return { kind: "enum", values: t.values };
    case "array":
      return {
        kind: "array",
        element: fromModelType(t.element, path),
        elementNullable: t.elementNullable,
        elementOptional: false,
        minLength: 0,
        maxLength: undefined,
      };
    case "object":
      return fromModelObject(t, path);
  }
}

function fromModelObject(o: ObjectType, path: string): GenObject {
  const fields: GenField[] = [];
  for (const f of o.fields.values()) {
    const p = path ? `${path}.${f.name}` : f.name;
    fields.push({ name: f.name, key: f.name, path: p, type: fromModelType(f.type, p), nullable: f.nullable, optional: f.optional });
  }
  return { kind: "object", fields };
}

/** The generation model of a bare `SchemaModel` (no value constraints beyond the types). */
export function genFromModel(model: SchemaModel): GenRecord {
  return { root: fromModelObject(model.root, "") };
}

function numberGen(integer: boolean): GenNumber {
  return {
    kind: "number",
    integer,
    min: undefined,
    minInclusive: true,
    max: undefined,
    maxInclusive: true,
    multipleOf: undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// From zod
// ---------------------------------------------------------------------------------------------

interface LooseCheckDef {
  readonly check?: string;
  readonly format?: string;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
  readonly pattern?: RegExp;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly includes?: string;
  readonly precision?: number | null;
}

interface LooseDef extends LooseCheckDef {
  readonly type: string;
  readonly innerType?: $ZodType;
  readonly in?: $ZodType;
  readonly out?: $ZodType;
  readonly options?: readonly $ZodType[];
  readonly element?: $ZodType;
  readonly shape?: Readonly<Record<string, $ZodType>>;
  readonly entries?: Readonly<Record<string, unknown>>;
  readonly values?: readonly unknown[];
  readonly checks?: readonly { readonly _zod?: { readonly def?: LooseCheckDef } }[];
  readonly getter?: () => $ZodType;
}

const defOf = (s: $ZodType): LooseDef => s._zod.def as unknown as LooseDef;

const MAX_DEPTH = 24;

/** True for a zod schema (any build of zod 4). */
export function isZodSchema(x: unknown): x is $ZodType {
  if (typeof x !== "object" || x === null) return false;
  const z = (x as { _zod?: { def?: { type?: unknown } } })._zod;
  return typeof z?.def?.type === "string";
}

/** Every check definition of a schema, the schema's own (formats such as `z.email()`) first. */
function checksOf(s: $ZodType): LooseCheckDef[] {
  const def = defOf(s);
  const out: LooseCheckDef[] = [];
  if (def.check) out.push(def);
  for (const c of def.checks ?? []) if (c?._zod?.def) out.push(c._zod.def);
  // `.trim()`, `.toLowerCase()`… rewrite the value after it is accepted: they constrain no input.
  return out.filter((c) => c.check !== "overwrite");
}

interface Peeled {
  readonly schema: $ZodType;
  readonly nullable: boolean;
  readonly optional: boolean;
  readonly literals?: readonly unknown[];
}

function peel(start: $ZodType, path: string, depth: number): Peeled {
  let s = start;
  let nullable = false;
  let optional = false;
  const seen = new Set<$ZodType>();
  for (let guard = 0; ; guard++) {
    if (guard > 64 || depth > MAX_DEPTH) throw messages.unsupportedType(path, "a recursive schema");
    const def = defOf(s);
    switch (def.type) {
      case "nullable":
        nullable = true;
        s = def.innerType!;
        continue;
      case "optional":
      case "default":
      case "prefault":
        optional = true;
        s = def.innerType!;
        continue;
      case "catch":
      case "readonly":
        s = def.innerType!;
        continue;
      case "nonoptional":
        s = def.innerType!;
        continue;
      case "lazy":
        if (seen.has(s)) throw messages.unsupportedType(path, "a recursive lazy schema");
        seen.add(s);
        s = def.getter!();
        continue;
      case "union": {
        const rest: $ZodType[] = [];
        for (const o of def.options ?? []) {
          const t = defOf(o).type;
          const lits = defOf(o).values;
          if (t === "null" || (t === "literal" && lits?.length && lits.every((v) => v === null))) nullable = true;
          else if (t === "undefined" || t === "void" || (t === "literal" && lits?.length && lits.every((v) => v === undefined))) optional = true;
          else rest.push(o);
        }
        if (rest.length === 1) {
          s = rest[0]!;
          continue;
        }
        const literals: unknown[] = [];
        for (const o of rest) {
          const p = peel(o, path, depth + 1);
          if (p.nullable) nullable = true;
          if (p.optional) optional = true;
          const d = defOf(p.schema);
          if (p.literals) literals.push(...p.literals);
          else if (d.type === "enum") literals.push(...Object.values(d.entries ?? {}));
          else throw messages.unsupportedType(path, `a union of ${rest.map((r) => defOf(r).type).join(" | ")}`);
        }
        return { schema: s, nullable, optional, literals };
      }
      case "literal": {
        const literals: unknown[] = [];
        for (const v of def.values ?? []) {
          if (v === null) nullable = true;
          else if (v === undefined) optional = true;
          else literals.push(v);
        }
        return { schema: s, nullable, optional, literals };
      }
      default:
        return { schema: s, nullable, optional };
    }
  }
}

function fromZodType(p: Peeled, path: string, depth: number): GenType {
  if (p.literals) {
    if (p.literals.length === 0) throw messages.unsupportedType(path, "a literal of only null or undefined");
    if (p.literals.every((v) => typeof v === "string")) return { kind: "enum", values: [...new Set(p.literals as string[])] };
    if (p.literals.every((v) => typeof v === "number" || typeof v === "boolean")) {
      return { kind: "literal", values: [...new Set(p.literals as (number | boolean)[])] };
    }
    throw messages.unsupportedType(path, `a literal union of ${[...new Set(p.literals.map((v) => typeof v))].join(" and ")}`);
  }
  const s = p.schema;
  const def = defOf(s);
  switch (def.type) {
    case "string":
      return stringFromZod(s, path);
    case "number":
      return numberFromZod(s, path);
    case "boolean":
      return { kind: "boolean" };
    case "date": {
      let min: number | undefined;
      let max: number | undefined;
      for (const c of checksOf(s)) {
        const v = c.value instanceof Date ? c.value.getTime() : typeof c.value === "number" ? c.value : undefined;
        if (c.check === "greater_than" && v !== undefined) min = c.inclusive ? v : v + 1;
        else if (c.check === "less_than" && v !== undefined) max = c.inclusive ? v : v - 1;
        else throw messages.unsupportedType(path, `a date with the check \`${c.check ?? "?"}\``);
      }
      return { kind: "date", source: "date", min, max, precision: null };
    }
    case "enum": {
      const values = Object.values(def.entries ?? {});
      if (!values.every((v) => typeof v === "string")) throw messages.unsupportedType(path, "an enum with non-string values");
      return { kind: "enum", values: values as string[] };
    }
    case "any":
    case "unknown":
      return { kind: "any" };
    case "array": {
      const ep = peel(def.element!, `${path}[]`, depth + 1);
      // Fields of elements are named like the rules name them: `purchases.amount`.
      const element =
        !ep.literals && defOf(ep.schema).type === "object" ? objectFromZod(ep.schema, path, depth + 1) : fromZodType(ep, `${path}[]`, depth + 1);
      let minLength = 0;
      let maxLength: number | undefined;
      for (const c of checksOf(s)) {
        if (c.check === "min_length") minLength = Math.max(minLength, c.minimum ?? 0);
        else if (c.check === "max_length") maxLength = Math.min(maxLength ?? Infinity, c.maximum ?? Infinity);
        else if (c.check === "length_equals") {
          minLength = c.length ?? 0;
          maxLength = c.length;
        } else throw messages.unsupportedType(path, `an array with the check \`${c.check ?? "?"}\``);
      }
      return { kind: "array", element, elementNullable: ep.nullable, elementOptional: ep.optional, minLength, maxLength };
    }
    case "object":
      return objectFromZod(s, path, depth + 1);
    case "bigint":
      throw messages.unsupportedType(path, "bigint", "use `z.number()`; cible rules read numbers");
    case "custom":
      throw messages.unsupportedType(path, "a custom zod type");
    default:
      throw messages.unsupportedType(path, def.type);
  }
}

function stringFromZod(s: $ZodType, path: string): GenType {
  let minLength = 0;
  let maxLength: number | undefined;
  let format: GenString["format"] = "plain";
  let prefix = "";
  let suffix = "";
  const includes: string[] = [];
  let letterCase: GenString["letterCase"] = "any";
  for (const c of checksOf(s)) {
    switch (c.check) {
      case "min_length":
        minLength = Math.max(minLength, c.minimum ?? 0);
        break;
      case "max_length":
        maxLength = Math.min(maxLength ?? Infinity, c.maximum ?? Infinity);
        break;
      case "length_equals":
        minLength = c.length ?? 0;
        maxLength = c.length;
        break;
      case "string_format":
        switch (c.format) {
          case "datetime": {
            const precision = c.precision ?? null;
            return { kind: "date", source: "datetime-string", min: undefined, max: undefined, precision };
          }
          case "date":
            return { kind: "date", source: "date-string", min: undefined, max: undefined, precision: null };
          case "email":
          case "uuid":
          case "guid":
          case "url":
            format = c.format === "guid" ? "uuid" : c.format;
            break;
          case "lowercase":
            letterCase = "lower";
            break;
          case "uppercase":
            letterCase = "upper";
            break;
          case "starts_with":
            prefix = c.prefix ?? "";
            break;
          case "ends_with":
            suffix = c.suffix ?? "";
            break;
          case "includes":
            if (c.includes) includes.push(c.includes);
            break;
          case "regex":
            throw messages.unsupportedType(path, `text matching ${String(c.pattern)}`);
          default:
            throw messages.unsupportedType(path, `text in the format \`${c.format ?? "?"}\``);
        }
        break;
      default:
        throw messages.unsupportedType(path, c.check === "custom" ? "text with a custom refinement" : `text with the check \`${c.check ?? "?"}\``);
    }
  }
  return { kind: "string", minLength, maxLength, format, prefix, suffix, includes, letterCase };
}

function numberFromZod(s: $ZodType, path: string): GenNumber {
  let integer = false;
  let min: number | undefined;
  let minInclusive = true;
  let max: number | undefined;
  let maxInclusive = true;
  let multipleOf: number | undefined;
  const lower = (v: number, inclusive: boolean) => {
    if (min === undefined || v > min || (v === min && !inclusive)) {
      min = v;
      minInclusive = inclusive;
    }
  };
  const upper = (v: number, inclusive: boolean) => {
    if (max === undefined || v < max || (v === max && !inclusive)) {
      max = v;
      maxInclusive = inclusive;
    }
  };
  for (const c of checksOf(s)) {
    switch (c.check) {
      case "number_format":
        if (c.format === "safeint") integer = true;
        else if (c.format === "int32") {
          integer = true;
          lower(-2147483648, true);
          upper(2147483647, true);
        } else if (c.format === "uint32") {
          integer = true;
          lower(0, true);
          upper(4294967295, true);
        } else if (c.format === "float32") {
          lower(-3.4028234663852886e38, true);
          upper(3.4028234663852886e38, true);
        }
        break;
      case "greater_than":
        if (typeof c.value === "number") lower(c.value, c.inclusive === true);
        break;
      case "less_than":
        if (typeof c.value === "number") upper(c.value, c.inclusive === true);
        break;
      case "multiple_of":
        if (typeof c.value === "number" && c.value > 0) multipleOf = c.value;
        break;
      default:
        throw messages.unsupportedType(path, c.check === "custom" ? "a number with a custom refinement" : `a number with the check \`${c.check ?? "?"}\``);
    }
  }
  if (multipleOf !== undefined && !Number.isInteger(multipleOf)) {
    throw messages.unsupportedType(path, `a number that is a multiple of ${multipleOf}`, "the kit generates multiples of integers only");
  }
  return { kind: "number", integer, min, minInclusive, max, maxInclusive, multipleOf };
}

function objectFromZod(s: $ZodType, path: string, depth: number): GenObject {
  if (depth > MAX_DEPTH) throw messages.unsupportedType(path || "(root)", "a recursive object");
  if (checksOf(s).length) throw messages.unsupportedType(path || "(root)", "an object with a refinement");
  const shape = defOf(s).shape ?? {};
  const fields: GenField[] = [];
  for (const key of Object.keys(shape)) {
    const name = key.normalize("NFC");
    const p = path ? `${path}.${name}` : name;
    const schema = shape[key]!;
    const peeled = peel(schema, p, depth);
    const type = fromZodType(peeled, p, depth);
    fields.push({ name, key, path: p, type, nullable: peeled.nullable, optional: peeled.optional, schema });
  }
  return { kind: "object", fields };
}

/** The generation model of a zod object schema; throws `testing.unsupported-type` naming the field. */
export function genFromZod(schema: $ZodType): GenRecord {
  const p = peel(schema, "(root)", 0);
  if (defOf(p.schema).type !== "object") throw messages.unsupportedType("(root)", defOf(p.schema).type, "pass a zod object schema");
  return { root: objectFromZod(p.schema, "", 0), schema };
}

/** True when zod accepts `value` for `schema` (always true without a schema). */
export function zodAccepts(schema: $ZodType | undefined, value: unknown): boolean {
  if (!schema) return true;
  try {
    return safeParse(schema, value).success;
  } catch {
    return false;
  }
}

/** Every field path of a generation model, depth first (`account`, `account.sector`, `purchases.amount`…). */
export function allPaths(root: GenObject): string[] {
  const out: string[] = [];
  const walk = (o: GenObject) => {
    for (const f of o.fields) {
      out.push(f.path);
      const t = f.type.kind === "array" ? f.type.element : f.type;
      if (t.kind === "object") walk(t);
    }
  };
  walk(root);
  return out;
}

/** The field an object holds under its NFC name. */
export function fieldNamed(o: GenObject, name: string): GenField | undefined {
  return o.fields.find((f) => f.name === name);
}
