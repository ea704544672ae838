/**
 * The coarse shape of a zod schema, as the CLI needs it to read CSV cells (text into numbers,
 * booleans, dates, lists) and to describe a schema to the user. It reads zod 4's own definition
 * objects (`schema._zod.def`); the library does its own, finer reading when it compiles rules.
 */
import type * as z4 from "zod/v4/core";

export type Shape =
  | { readonly kind: "string" }
  | { readonly kind: "number"; readonly integer: boolean }
  | { readonly kind: "boolean" }
  | { readonly kind: "date" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "array"; readonly element: Shape }
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, Shape> }
  | { readonly kind: "unknown" };

interface Def {
  type?: string;
  format?: string;
  checks?: { _zod?: { def?: { format?: string } } }[];
  innerType?: z4.$ZodType;
  in?: z4.$ZodType;
  element?: z4.$ZodType;
  shape?: Record<string, z4.$ZodType>;
  options?: z4.$ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  getter?: () => z4.$ZodType;
}

const defOf = (s: z4.$ZodType): Def => ((s as unknown as { _zod?: { def?: Def } })._zod?.def ?? {}) as Def;

/** True for a zod 4 schema (classic or mini). */
export function isZodSchema(value: unknown): value is z4.$ZodType {
  return typeof value === "object" && value !== null && "_zod" in value && typeof (value as { _zod: unknown })._zod === "object";
}

function formats(def: Def): string[] {
  const out: string[] = [];
  if (typeof def.format === "string") out.push(def.format);
  for (const c of def.checks ?? []) if (typeof c?._zod?.def?.format === "string") out.push(c._zod.def.format);
  return out;
}

const INTEGER_FORMATS = new Set(["safeint", "int32", "uint32", "int64", "uint64"]);

/** The shape of a zod schema (wrappers such as nullable, optional, default are looked through). */
export function shapeOf(schema: z4.$ZodType, depth = 0): Shape {
  if (depth > 32) return { kind: "unknown" };
  const def = defOf(schema);
  switch (def.type) {
    case "string": {
      const f = formats(def);
      return f.includes("datetime") || f.includes("date") ? { kind: "date" } : { kind: "string" };
    }
    case "number":
      return { kind: "number", integer: formats(def).some((f) => INTEGER_FORMATS.has(f)) };
    case "int":
    case "bigint":
      return { kind: "number", integer: true };
    case "boolean":
      return { kind: "boolean" };
    case "date":
      return { kind: "date" };
    case "enum":
      return { kind: "enum", values: Object.values(def.entries ?? {}).map(String) };
    case "literal": {
      const values = def.values ?? [];
      if (values.every((v) => typeof v === "string")) return { kind: "enum", values: values as string[] };
      if (values.every((v) => typeof v === "number")) return { kind: "number", integer: values.every(Number.isInteger) };
      if (values.every((v) => typeof v === "boolean")) return { kind: "boolean" };
      return { kind: "unknown" };
    }
    case "array":
      return { kind: "array", element: def.element ? shapeOf(def.element, depth + 1) : { kind: "unknown" } };
    case "object": {
      const fields = new Map<string, Shape>();
      for (const [k, v] of Object.entries(def.shape ?? {})) fields.set(k, shapeOf(v, depth + 1));
      return { kind: "object", fields };
    }
    case "nullable":
    case "optional":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return def.innerType ? shapeOf(def.innerType, depth + 1) : { kind: "unknown" };
    case "pipe":
      return def.in ? shapeOf(def.in, depth + 1) : { kind: "unknown" };
    case "lazy":
      return def.getter ? shapeOf(def.getter(), depth + 1) : { kind: "unknown" };
    case "union": {
      const shapes = (def.options ?? []).filter((o) => !["null", "undefined"].includes(defOf(o).type ?? "")).map((o) => shapeOf(o, depth + 1));
      if (shapes.length === 0) return { kind: "unknown" };
      const first = shapes[0]!;
      if (shapes.every((s) => s.kind === first.kind)) {
        if (first.kind === "enum") return { kind: "enum", values: shapes.flatMap((s) => (s.kind === "enum" ? s.values : [])) };
        return first;
      }
      return { kind: "unknown" };
    }
    default:
      return { kind: "unknown" };
  }
}

/** How a shape reads in a sentence: `integer`, `list of text`, `list of {date: date, montant: number}`. */
export function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case "string":
      return "text";
    case "number":
      return shape.integer ? "integer" : "number";
    case "boolean":
      return "yes/no";
    case "date":
      return "date";
    case "enum":
      return shape.values.length <= 4 ? `one of ${shape.values.map((v) => JSON.stringify(v)).join(", ")}` : `one of ${shape.values.length} values`;
    case "array":
      return `list of ${describeShape(shape.element)}`;
    case "object":
      return `{${[...shape.fields].map(([k, s]) => `${k}: ${describeShape(s)}`).join(", ")}}`;
    default:
      return "anything";
  }
}
