/**
 * The record schema of a command, from `--schema`: a JSON Schema file (turned into zod by zod 4's
 * `z.fromJSONSchema`) or a module exporting a zod schema (`schema.js`, `schema.ts` through tsx,
 * `schema.ts#Contact` for a named export). Without `--schema`, commands that read data infer one
 * from the first records (see infer.ts) and say what they inferred.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type * as z4 from "zod/v4/core";
import { type CliIo, CliError, pathIn } from "./io.js";
import { type Shape, describeShape, isZodSchema, shapeOf } from "./shape.js";

export interface LoadedSchema {
  /** The zod schema the rules are checked against. */
  readonly zod: z4.$ZodType;
  /** Its top-level fields, for reading CSV cells. */
  readonly fields: ReadonlyMap<string, Shape>;
  /** Where it came from, for messages: `schema.json`, `schema.ts#Contact`, `inferred from 1,000 records`. */
  readonly origin: string;
}

const MODULE = /\.(?:[cm]?js|[cm]?ts|tsx|jsx)$/i;

/** The file of a schema spec (`schema.ts#Contact` → `schema.ts`). */
export function schemaFile(spec: string): string {
  const hash = spec.lastIndexOf("#");
  return hash > 0 ? spec.slice(0, hash) : spec;
}

/** True when a schema spec names a module (whose loading runs its code), not a JSON Schema file. */
export function isModuleSchema(spec: string): boolean {
  return MODULE.test(schemaFile(spec));
}

/**
 * Loads `--schema SPEC`. `version` (the language server's reload stamp) makes a module load
 * afresh after it changed: Node caches a module by its URL, so the stamp goes into the URL's query.
 */
export async function loadSchema(spec: string, io: CliIo, version?: string): Promise<LoadedSchema> {
  const hash = spec.lastIndexOf("#");
  const file = schemaFile(spec);
  const exportName = hash > 0 ? spec.slice(hash + 1) : undefined;
  const full = pathIn(io, file);
  if (MODULE.test(file)) return fromZod(await importSchema(full, file, exportName, version), spec);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch {
    throw new CliError(`cannot read the schema ${file}: no such file`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`the schema ${file} is not valid JSON (${(e as Error).message})`, 2, "--schema takes a JSON Schema (.json) or a module exporting a zod schema (.js, .ts)");
  }
  return fromJsonSchema(json, spec);
}

/** A zod schema from a JSON Schema object. */
export function fromJsonSchema(json: unknown, origin: string): LoadedSchema {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new CliError(`the schema ${origin} is not a JSON Schema object`);
  let schema: z4.$ZodType;
  try {
    schema = zodFromJsonSchema(json);
  } catch (e) {
    throw new CliError(`cannot read the JSON Schema ${origin}: ${(e as Error).message}`);
  }
  return fromZod(schema, origin);
}

/**
 * A zod schema from a JSON Schema object (`z.fromJSONSchema`), keeping the order of every `enum`
 * array, for the CLI and editors alike. zod stores an enum's values as keys of an object, which
 * moves values such as `"11"` or `"21"` in front of the others; so each `enum` array is read here,
 * before zod: next to `"ordered": true` its order is passed on as `"ordered": [...]` (which
 * `readSchema` reads as `.meta({ ordered: [...] })`), and an unordered enum that zod would reorder
 * becomes the union of its values (`anyOf` of `const`s), which zod keeps in order.
 *
 * @throws Error when zod cannot read the JSON Schema
 */
export function zodFromJsonSchema(json: object): z4.$ZodType {
  const copy = JSON.parse(JSON.stringify(json)) as unknown;
  keepEnumOrders(copy);
  return z.fromJSONSchema(copy as Parameters<typeof z.fromJSONSchema>[0]) as unknown as z4.$ZodType;
}

/** Keywords whose values are data, not schemas: never rewritten. */
const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples"]);

/** A value a JavaScript object moves in front of its other keys (a canonical array index: "0", "11", not "00"). */
const isArrayIndexKey = (v: string): boolean => /^(?:0|[1-9][0-9]*)$/.test(v) && Number(v) < 4294967295;

function keepEnumOrders(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) keepEnumOrders(item);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const o = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (!DATA_KEYWORDS.has(k)) keepEnumOrders(v);
  const values = o.enum;
  if (!Array.isArray(values) || values.length < 2 || !values.every((v) => typeof v === "string")) return;
  if (o.ordered === true) {
    o.ordered = [...values];
    return;
  }
  const reordered = values.some(isArrayIndexKey);
  const alone = (o.type === undefined || o.type === "string") && o.anyOf === undefined && o.oneOf === undefined && o.allOf === undefined;
  if (!Array.isArray(o.ordered) && reordered && alone) {
    delete o.enum;
    delete o.type;
    o.anyOf = values.map((v) => ({ const: v }));
  }
}

function fromZod(schema: z4.$ZodType, origin: string): LoadedSchema {
  const shape = shapeOf(schema);
  if (shape.kind !== "object") throw new CliError(`the schema ${origin} does not describe an object (a record with fields)`);
  return { zod: schema, fields: shape.fields, origin };
}

async function importSchema(full: string, file: string, exportName: string | undefined, version?: string): Promise<z4.$ZodType> {
  const url = pathToFileURL(full).href + (version === undefined ? "" : `?v=${encodeURIComponent(version)}`);
  let mod: Record<string, unknown> | undefined;
  // A reload of a TypeScript module: a tsx loader registered in the process caches the module
  // by path whatever the query, so go through tsx's own `tsImport`, which loads afresh.
  if (version !== undefined && /\.(?:[cm]?ts|tsx)$/i.test(file)) mod = await importTypeScript(url, file).catch(() => undefined);
  if (mod === undefined) {
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "ERR_MODULE_NOT_FOUND" && (e as Error).message.includes(full)) throw new CliError(`cannot read the schema ${file}: no such file`);
      if (code !== "ERR_UNKNOWN_FILE_EXTENSION") throw new CliError(`cannot load the schema module ${file}: ${(e as Error).message}`);
      mod = await importTypeScript(url, file);
    }
  }
  const zods = Object.entries(mod).filter(([, v]) => isZodSchema(v)) as [string, z4.$ZodType][];
  if (exportName !== undefined) {
    const found = mod[exportName];
    if (!isZodSchema(found)) {
      throw new CliError(`${file} has no zod schema exported as ${exportName}`, 2, zods.length ? `its zod exports: ${zods.map(([k]) => k).join(", ")}` : undefined);
    }
    return found;
  }
  if (isZodSchema(mod.default)) return mod.default;
  const objects = zods.filter(([, v]) => shapeOf(v).kind === "object");
  if (objects.length === 1) return objects[0]![1];
  if (objects.length === 0) throw new CliError(`${file} exports no zod object schema`, 2, "export the records' schema, e.g. `export const Contact = z.object({ … })`");
  throw new CliError(`${file} exports several zod object schemas: ${objects.map(([k]) => k).join(", ")}`, 2, `choose one with --schema ${file}#${objects[0]![0]}`);
}

/** A TypeScript module, through tsx when it is installed (Node 20 cannot strip types itself). */
async function importTypeScript(url: string, file: string): Promise<Record<string, unknown>> {
  let tsx: { tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>> };
  // A specifier in a variable: bundlers leave it alone, and tsx stays the user's optional install.
  const tsxApi = "tsx/esm/api";
  try {
    tsx = (await import(tsxApi)) as typeof tsx;
  } catch {
    throw new CliError(`cannot load the TypeScript schema ${file}`, 2, "install tsx (npm i -D tsx), or pass the schema as JavaScript or as a JSON Schema file");
  }
  try {
    return await tsx.tsImport(url, import.meta.url);
  } catch (e) {
    throw new CliError(`cannot load the schema module ${file}: ${(e as Error).message}`);
  }
}

/** The fields of a schema, one `name: type` per line (for `cible infer` and inferred schemas). */
export function describeFields(fields: ReadonlyMap<string, Shape>): string[] {
  return [...fields].map(([k, s]) => `${k}: ${describeShape(s)}`);
}
