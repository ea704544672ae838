/** zod schema → field-type model, and field resolution. */
export * from "./model.js";
export { readSchema } from "./read.js";
export { resolveField, didYouMean, fold } from "./resolve.js";
export type { FieldResolution, ResolvedField, UnresolvedField, ResolveFailure } from "./resolve.js";
