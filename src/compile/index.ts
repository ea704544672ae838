/**
 * The compiler: checked ASTs → three-valued predicate closures, values, explanations.
 * Used by `cible` (compile), `cible/runtime` (fromAST) and the rules engine (src/rules).
 */
export type { EvalContext, Explanation, Segment, Truth } from "./types.js";
export { createRun, RecordMemo, type RunState, type ParamValue, type DurationValue } from "./run.js";
export type { RefBinding, CompileEnv } from "./operand.js";
export {
  compileExpr,
  compileValue,
  compileCollection,
  type CompiledExpr,
  type CompiledCollection,
  type Value,
} from "./value.js";
export { compileSegment, createSegment } from "./segment.js";
export { explainText } from "./explain.js";
export { type Interval, wallClockToEpoch, shiftEpoch, isoToEpoch, toEpoch } from "./dates.js";
export { fold, nfc } from "./text.js";
export { candidateInstants, type Candidates } from "./next-change.js";
export { carefulRoot, rootOf } from "./read.js";
