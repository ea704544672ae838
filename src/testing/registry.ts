/**
 * Which schema a segment was compiled against. A compiled `Segment` does not expose its schema,
 * so the kit learns it from, in order: the `schema` option of the call, a segment registered with
 * {@link withSchema}, or the model a compiled segment carries (`SCHEMA_MODEL`).
 * @internal
 */
import type { $ZodType } from "zod/v4/core";
import type { Segment } from "../compile/types.js";
import { readSchema } from "../schema/index.js";
import { type SchemaModel, schemaModelOf } from "../schema/model.js";
import { isZodSchema } from "./gen-type.js";
import { messages } from "./messages.js";

/** A segment's schema as the kit knows it: the model always, the zod schema when it was given. */
export interface KnownSchema {
  readonly model: SchemaModel;
  readonly schema?: $ZodType;
}

const registry = new WeakMap<object, KnownSchema>();

/**
 * Records the zod schema a segment was compiled against, so that `matchingRecord(segment)` and
 * the `assert*` helpers need no `schema` option. Returns the segment.
 *
 * @example
 * ```ts
 * const hot = withSchema(compile("@lead >= 50", Contact), Contact);
 * fc.assert(fc.property(matchingRecord(hot), (r) => hot.test(r)));
 * ```
 */
export function withSchema<S extends Segment<any>>(segment: S, schema: unknown): S {
  registry.set(segment, known(schema));
  return segment;
}

function known(schema: unknown): KnownSchema {
  if (isZodSchema(schema)) return { model: readSchema(schema), schema };
  const root = (schema as { root?: { kind?: unknown } } | null)?.root;
  if (root?.kind === "object") return { model: schema as SchemaModel };
  throw messages.badConstraint("schema", typeof schema, "a zod object schema");
}

/** The schema of `segment`, or a `testing.no-schema` error naming it. */
export function schemaOf(segment: Segment<any>, schema?: unknown): KnownSchema {
  if (schema !== undefined) return known(schema);
  const hit = registry.get(segment);
  if (hit) return hit;
  const model = schemaModelOf(segment);
  if (model) return { model };
  throw messages.noSchema(segment.source);
}
