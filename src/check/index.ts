/** The type checker: names, types, enum values, params, refs and lints → diagnostics. */
export { checkExpression } from "./check.js";
export { CHECK_CODES } from "./messages.js";
export type { CheckCode } from "./messages.js";
export type { CheckEnv, CheckResult, ParamType, RefType } from "./types.js";
export { CHECKED, Facts, factsOf, typeOfField } from "./facts.js";
export type { AggregateFact, CheckedType, FieldFact, ValueFact } from "./facts.js";
