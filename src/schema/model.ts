/**
 * The field-type model: what cible knows about the host's zod schema, read once per schema
 * (see `readSchema`) and shared by the checker, the compiler, SQL and the testing kit.
 * Plain data, no zod objects: every later pass depends on this file only.
 */

/** A scalar or container type of a field. */
export type FieldType =
  | StringType
  | NumberType
  | BooleanType
  | DateType
  | EnumType
  | ArrayType
  | ObjectType;

export interface StringType {
  readonly kind: "string";
}

export interface NumberType {
  readonly kind: "number";
  /** `z.number().int()`: the testing kit generates integers. */
  readonly integer: boolean;
}

export interface BooleanType {
  readonly kind: "boolean";
}

/**
 * A date. At run time a date field accepts a `Date`, an ISO-8601 string or epoch milliseconds;
 * `source` says what the schema declared, for the testing kit and SQL.
 */
export interface DateType {
  readonly kind: "date";
  /** `z.date()` / `z.coerce.date()` → `"date"`; `z.iso.datetime()` → `"datetime-string"`; `z.iso.date()` → `"date-string"`. */
  readonly source: "date" | "datetime-string" | "date-string";
}

/**
 * `z.enum([...])` (or a union of string literals). `ordered` from `.meta({ ordered: true })`, or
 * `.meta({ ordered: ["NN", "00", "01", …] })`, which also gives the order.
 */
export interface EnumType {
  readonly kind: "enum";
  /** NFC-normalised, in declared order (in zod's order when `orderLost` is present). */
  readonly values: readonly string[];
  /** Compares by declared order (`<`, `>=`, …). False when the order is lost. */
  readonly ordered: boolean;
  /**
   * Present when zod could not keep the declared order: a `z.enum` stores its values as keys of
   * an object, which puts values such as `"11"` or `"21"` (canonical array indices) first. Orderings
   * on it are refused. `"declared-ordered"` when the schema said `ordered: true` anyway (ignored,
   * the checker warns), `"unordered"` otherwise.
   */
  readonly orderLost?: "declared-ordered" | "unordered";
}

/**
 * True for a value a JavaScript object moves in front of its other keys (a canonical array
 * index: `"0"`, `"11"`, `"21"`, but not `"00"`, `"01"` or `"-1"`).
 */
export function isArrayIndexKey(value: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(value) && Number(value) < 4294967295;
}

/** True when zod cannot keep the declared order of a `z.enum` of these values. */
export function zodLosesEnumOrder(values: readonly string[]): boolean {
  return values.length > 1 && values.some(isArrayIndexKey);
}

/** An array of scalars (a column) or of objects (a child table). */
export interface ArrayType {
  readonly kind: "array";
  readonly element: FieldType;
  /** Whether elements may be null (`z.array(z.string().nullable())`). */
  readonly elementNullable: boolean;
}

/** A nested object (or the record itself). Field names are NFC-normalised. */
export interface ObjectType {
  readonly kind: "object";
  /** Own, declared fields only, in declared order. A `Map` so that `__proto__` is just a name. */
  readonly fields: ReadonlyMap<string, Field>;
}

/** A declared field. */
export interface Field {
  readonly name: string;
  readonly type: FieldType;
  /** `.nullable()` or a union with null. */
  readonly nullable: boolean;
  /** `.optional()`: may be absent. */
  readonly optional: boolean;
  /** The schema's description of the field (`.describe("…")`), for editors; absent when none. */
  readonly description?: string;
}

/** The model of a whole record schema. */
export interface SchemaModel {
  readonly root: ObjectType;
}

/** True for an array whose elements are objects (a child table in SQL). */
export function isObjectArray(t: FieldType): t is ArrayType & { element: ObjectType } {
  return t.kind === "array" && t.element.kind === "object";
}

/** True for an array whose elements are scalars (a column in SQL). */
export function isScalarArray(t: FieldType): t is ArrayType {
  return t.kind === "array" && t.element.kind !== "object" && t.element.kind !== "array";
}

/** A human name for a type, for messages: "text", "number", "date", "enum (santé, finance)", "list of text"… */
export function describeType(t: FieldType): string {
  switch (t.kind) {
    case "string":
      return "text";
    case "number":
      return "number";
    case "boolean":
      return "yes/no (boolean)";
    case "date":
      return "date";
    case "enum":
      return t.ordered ? "ordered choice" : "choice";
    case "array":
      return t.element.kind === "object" ? "list of objects" : `list of ${describeType(t.element)}`;
    case "object":
      return "object";
  }
}

/**
 * The key under which a compiled segment carries the schema model it was compiled against, so
 * that `toSQL(segment, …)` and the testing kit need no `schema` option. A registered symbol
 * (`Symbol.for`), so that it is the same in the ESM and CommonJS builds.
 */
export const SCHEMA_MODEL: unique symbol = Symbol.for("cible.schemaModel") as never;

/** The schema model a compiled segment carries, if any. @internal */
export function schemaModelOf(value: unknown): SchemaModel | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const m = (value as Record<symbol, unknown>)[SCHEMA_MODEL];
  return typeof m === "object" && m !== null && "root" in m ? (m as SchemaModel) : undefined;
}
