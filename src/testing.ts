/**
 * `cible/testing`: property-based testing of segments with fast-check.
 *
 * - `recordArbitrary(schema)`: records the schema accepts, dates spread around `now`.
 * - `ruleArbitrary(schema)`: well-typed rule sources covering the whole language.
 * - `matchingRecord(segment, ctx)` / `nonMatchingRecord(segment, ctx)`: records for which the
 *   segment's `test` is true / false, built from the rule itself.
 * - `assertImplies`, `assertDisjoint`, `assertEquivalent`: laws between segments, with a readable
 *   counterexample when they fail.
 *
 * See docs/testing.md. fast-check (>= 4) is a peer dependency.
 *
 * @packageDocumentation
 */
export * from "./testing/index.js";
export type { SchemaModel, ObjectType, Field, FieldType, StringType, NumberType, BooleanType, DateType, EnumType, ArrayType } from "./schema/model.js";
