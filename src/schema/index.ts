/** zod schema → field-type model, and field resolution. */
export * from "./model.js";
export { readSchema } from "./read.js";
export { resolveField, didYouMean, foldName } from "./resolve.js";
export { splitAggregatePath } from "./aggregate.js";
export type { FieldResolution, ResolvedField, UnresolvedField, ResolveFailure } from "./resolve.js";
