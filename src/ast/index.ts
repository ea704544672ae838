/**
 * The AST layer: node types, limits, keywords, the printer (canonical text), the validator for
 * untrusted JSON ASTs, and walking helpers. Imports nothing but `errors/`.
 */
export type * from "./nodes.js";
export { AST_VERSION } from "./nodes.js";
export { DEFAULT_LIMITS, resolveLimits, type Limits } from "./limits.js";
export { HARD_KEYWORDS, SOFT_KEYWORDS, IDENTIFIER, isBareName } from "./keywords.js";
export { printExpression, printRules, printNode } from "./printer.js";
export { formatNumber, quoteString, printName, printSigilName, printPath, printDuration, printPoints } from "./text.js";
export { validateExpressionDocument, isValidDateText, type ValidationResult } from "./validate.js";
export {
  childrenOf,
  countNodes,
  depthOf,
  forEachNode,
  definitionRoots,
  isExprNode,
  EXPR_KINDS,
  VALUE_KINDS,
} from "./walk.js";
