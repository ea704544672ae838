/**
 * Records a zod schema accepts, built field by field from the small arbitraries (text, number,
 * date, enum), with nulls and absent keys where the schema allows them, arrays of scalars and of
 * objects, nested objects, pinned fields and favoured (boundary) values.
 */
import * as fc from "fast-check";
import type { $ZodType } from "zod/v4/core";
import type * as z4 from "zod/v4/core";
import type { SchemaModel } from "../../schema/model.js";
import type { EvalContext, Segment } from "../../compile/types.js";
import { type GenField, type GenObject, type GenRecord, type GenType, allPaths, genFromModel, genFromZod, isZodSchema, zodAccepts } from "../gen-type.js";
import { messages } from "../messages.js";
import { resolveNow, resolveTimeZone, toEpoch } from "../dates.js";
import { boundaryValues } from "../boundaries.js";
import { textArbitrary } from "./text.js";
import { numberArbitrary } from "./number.js";
import { instantArbitrary } from "./date.js";
import { enumArbitrary } from "./enum.js";
import { dateRepr } from "../dates.js";
import { readSchema } from "../../schema/index.js";

/** Constraints of {@link recordArbitrary}. */
export interface RecordConstraints {
  /** The instant dates are spread around (and relative cutoffs computed from). Default: now. */
  readonly now?: Date | string | number;
  /** Time zone of calendar arithmetic and date-only strings. Default `UTC`. */
  readonly timeZone?: string;
  /**
   * Only values databases store faithfully, for SQL differential tests: NFC text without U+0000
   * or lone surrogates, 32-bit integers and doubles within ±1e15 (no `-0`), dates in 1900–2200.
   */
  readonly dbSafe?: boolean;
  /** Text also holds lone surrogates (U+D800–U+DFFF, not valid Unicode). Default false; ignored with `dbSafe`. */
  readonly loneSurrogates?: boolean;
  /**
   * Fixed fields, by dotted path (`"sector"`, `"account.country"`, `"purchases.amount"` for every
   * element): a value, or an arbitrary to draw it from.
   */
  readonly pin?: Readonly<Record<string, unknown>>;
  /** Values to draw often, by dotted path, as records hold them. */
  readonly favour?: Readonly<Record<string, readonly unknown[]>>;
  /** Segments whose literals, neighbours and date cutoffs are drawn often (boundary values first). */
  readonly segments?: readonly Segment<any>[];
  /** Context the segments are evaluated with (`params` for rules with `$name`); `now` and `timeZone` above win. */
  readonly ctx?: EvalContext;
  /** Longest array (default 4) and shortest (default 0; the schema's own bounds win). */
  readonly maxArrayLength?: number;
  readonly minArrayLength?: number;
  /** Longest generated text, in UTF-16 code units (default 24; the schema's own bound wins). */
  readonly maxStringLength?: number;
  /** Whether nullable fields are sometimes `null` and optional ones sometimes absent. Default true. */
  readonly nulls?: boolean;
}

/** A record arbitrary with what it was built from. @internal */
export interface RecordSource {
  readonly gen: GenRecord;
  readonly schema?: $ZodType;
}

/** The absent-key marker of field arbitraries. @internal */
export const ABSENT: unique symbol = Symbol("absent");

/** Reads a zod schema or a SchemaModel into the generation model. @internal */
export function genRecordOf(schemaOrModel: unknown): GenRecord {
  if (isZodSchema(schemaOrModel)) return genFromZod(schemaOrModel);
  if (isModel(schemaOrModel)) return genFromModel(schemaOrModel);
  throw messages.badConstraint("schema", typeof schemaOrModel, "a zod object schema (or a cible SchemaModel)");
}

function isModel(x: unknown): x is SchemaModel {
  const root = (x as { root?: { kind?: unknown; fields?: unknown } } | null)?.root;
  return typeof root === "object" && root !== null && root.kind === "object" && root.fields instanceof Map;
}

interface Build {
  readonly now: number;
  readonly zone: string;
  readonly dbSafe: boolean;
  readonly loneSurrogates: boolean;
  readonly pin: ReadonlyMap<string, unknown>;
  readonly favour: ReadonlyMap<string, readonly unknown[]>;
  readonly maxArray: number;
  readonly minArray: number;
  readonly maxString: number;
  readonly nulls: boolean;
}

function positiveInt(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 0) throw messages.badConstraint(name, v, "a non-negative integer");
  return v;
}

/** Resolves the constraints against a generation model (pins checked against its paths). @internal */
export function buildOptions(gen: GenRecord, c: RecordConstraints, model?: () => SchemaModel): Build {
  const now = resolveNow(c.now ?? c.ctx?.now);
  const zone = resolveTimeZone(c.timeZone ?? c.ctx?.timeZone);
  const paths = allPaths(gen.root);
  const known = new Set(paths);
  const pin = new Map<string, unknown>();
  for (const [k, v] of Object.entries(c.pin ?? {})) {
    if (!known.has(k)) throw messages.unknownPin(k, paths);
    pin.set(k, v);
  }
  const favour = new Map<string, unknown[]>();
  const add = (k: string, vs: readonly unknown[]) => favour.set(k, [...(favour.get(k) ?? []), ...vs]);
  for (const [k, v] of Object.entries(c.favour ?? {})) {
    if (!known.has(k)) throw messages.unknownPin(k, paths);
    add(k, v);
  }
  if (c.segments?.length) {
    if (!model) throw messages.badConstraint("segments", "given without a schema", "used with a zod schema or a SchemaModel");
    for (const seg of c.segments) {
      for (const [k, vs] of boundaryValues(seg, model(), gen, { now, zone, params: c.ctx?.params ?? {} })) add(k, vs);
    }
  }
  const maxArray = positiveInt("maxArrayLength", c.maxArrayLength, 4);
  const minArray = positiveInt("minArrayLength", c.minArrayLength, 0);
  if (minArray > maxArray) throw messages.badConstraint("minArrayLength", minArray, `at most maxArrayLength (${maxArray})`);
  return {
    now,
    zone,
    dbSafe: c.dbSafe === true,
    loneSurrogates: c.loneSurrogates === true,
    pin,
    favour,
    maxArray,
    minArray,
    maxString: positiveInt("maxStringLength", c.maxStringLength, 24),
    nulls: c.nulls !== false,
  };
}

/**
 * An arbitrary of records the schema accepts (`schema.safeParse(record).success`), covering every
 * field type the checker supports: text, numbers, booleans, enums (ordered or not), dates as the
 * schema holds them (`Date`, ISO date-time or date strings) spread around `now`, nullable fields
 * that are sometimes `null`, optional ones sometimes absent, arrays of scalars and of objects,
 * nested objects.
 *
 * @param schema - the zod object schema of the records (or a cible `SchemaModel`)
 * @param constraints - pinned fields, favoured values, sizes, `now`, `dbSafe`
 * @throws CibleError `testing.unsupported-type` naming a field whose type the kit cannot generate
 *   (a regex, a refinement, a bigint…), `testing.unknown-field` for a pin on an undeclared path
 *
 * @example
 * ```ts
 * fc.assert(fc.property(recordArbitrary(Contact, { pin: { sector: "santé" } }), (r) => {
 *   expect(Contact.safeParse(r).success).toBe(true);
 * }), { numRuns: 50 });
 * ```
 */
export function recordArbitrary<S extends $ZodType>(schema: S, constraints?: RecordConstraints): fc.Arbitrary<z4.output<S>>;
export function recordArbitrary<T = Record<string, unknown>>(schema: SchemaModel, constraints?: RecordConstraints): fc.Arbitrary<T>;
export function recordArbitrary<T = Record<string, unknown>>(schema: unknown, constraints: RecordConstraints = {}): fc.Arbitrary<T> {
  const gen = genRecordOf(schema);
  const model = lazyModel(schema);
  const b = buildOptions(gen, constraints, model);
  return objectArbitrary(gen.root, b) as fc.Arbitrary<T>;
}

/** The SchemaModel of a zod schema or model, read on first use. @internal */
export function lazyModel(schema: unknown): () => SchemaModel {
  let m: SchemaModel | undefined;
  return () => {
    if (!m) m = isModel(schema) ? schema : readSchemaOf(schema);
    return m;
  };
}

function readSchemaOf(schema: unknown): SchemaModel {
  return readSchema(schema);
}

/** The arbitrary of one object (the record, a nested object or an array element). @internal */
export function objectArbitrary(o: GenObject, b: Build): fc.Arbitrary<Record<string, unknown>> {
  if (o.fields.length === 0) return fc.constant({}).map(() => ({}));
  return fc.tuple(...o.fields.map((f) => fieldArbitrary(f, b))).map((values) => {
    const out: Record<string, unknown> = {};
    o.fields.forEach((f, i) => {
      const v = values[i];
      if (v !== ABSENT) out[f.key] = v;
    });
    return out;
  });
}

/** The arbitrary of one field: its value, `null`, or {@link ABSENT}. @internal */
export function fieldArbitrary(f: GenField, b: Build): fc.Arbitrary<unknown> {
  if (b.pin.has(f.path)) {
    const p = b.pin.get(f.path);
    return p instanceof fc.Arbitrary ? p : fc.constant(p === undefined ? ABSENT : p);
  }
  let value = valueArbitrary(f.type, f.path, b);
  const scalar = f.type.kind !== "object" && f.type.kind !== "array" && f.type.kind !== "any";
  if (f.schema && scalar) {
    const s = f.schema;
    value = value.filter((v) => zodAccepts(s, v));
  }
  const options: fc.WeightedArbitrary<unknown>[] = [{ arbitrary: value, weight: 8 }];
  if (b.nulls && f.nullable) options.push({ arbitrary: fc.constant(null), weight: 1 });
  if (b.nulls && f.optional) options.push({ arbitrary: fc.constant(ABSENT), weight: 1 });
  return options.length === 1 ? value : fc.oneof(...options);
}

/** The arbitrary of a value of a type (never null). @internal */
export function valueArbitrary(t: GenType, path: string, b: Build): fc.Arbitrary<unknown> {
  const favour = b.favour.get(path);
  switch (t.kind) {
    case "string":
      return textArbitrary({
        minLength: t.minLength,
        maxLength: Math.min(t.maxLength ?? Infinity, Math.max(b.maxString, t.minLength)),
        format: t.format,
        prefix: t.prefix,
        suffix: t.suffix,
        includes: t.includes,
        letterCase: t.letterCase,
        dbSafe: b.dbSafe,
        loneSurrogates: b.loneSurrogates,
        favour: favour?.filter((v): v is string => typeof v === "string"),
      });
    case "number":
      return numberArbitrary({
        integer: t.integer,
        min: t.min,
        minInclusive: t.minInclusive,
        max: t.max,
        maxInclusive: t.maxInclusive,
        multipleOf: t.multipleOf,
        dbSafe: b.dbSafe,
        favour: favour?.filter((v): v is number => typeof v === "number"),
      });
    case "boolean":
      return fc.boolean();
    case "date": {
      const source = t.source;
      return instantArbitrary({
        now: b.now,
        timeZone: b.zone,
        source,
        precision: t.precision,
        min: t.min,
        max: t.max,
        dbSafe: b.dbSafe,
        favour: favour?.map((v) => toEpoch(v, b.zone)).filter((v) => v === v),
      }).map((ms) => dateRepr(ms, source, b.zone, t.precision)!);
    }
    case "enum":
      return enumArbitrary({ values: t.values, favour: favour as string[] | undefined });
    case "literal":
      return enumArbitrary({ values: t.values, favour: favour as (number | boolean)[] | undefined });
    case "any":
      return fc.constant(null);
    case "array": {
      const max = Math.max(t.minLength, Math.min(t.maxLength ?? Infinity, b.maxArray));
      const min = Math.min(max, Math.max(t.minLength, b.minArray));
      const elementPath = path;
      let element: fc.Arbitrary<unknown> =
        t.element.kind === "object" ? objectArbitrary(t.element, b) : valueArbitrary(t.element, elementPath, b);
      if (b.nulls && t.elementNullable) element = fc.oneof({ arbitrary: element, weight: 6 }, { arbitrary: fc.constant(null), weight: 1 });
      const arr = fc.array(element, { minLength: min, maxLength: max });
      const favourArrays = favour?.filter((v): v is unknown[] => Array.isArray(v) && v.length >= min && v.length <= (t.maxLength ?? Infinity));
      return favourArrays?.length ? fc.oneof({ arbitrary: fc.constantFrom(...favourArrays), weight: 1 }, { arbitrary: arr, weight: 2 }) : arr;
    }
    case "object":
      return objectArbitrary(t, b);
  }
}
