/**
 * `cible/runtime`: run stored rules without the parser.
 *
 * A server can parse and check rules once (with `cible`), store `segment.ast` as JSON, and
 * evaluate it elsewhere with this smaller entry, which never loads chevrotain.
 *
 * @packageDocumentation
 */
import type * as z4 from "zod/v4/core";
import { printExpression } from "./ast/printer.js";
import { type Limits, resolveLimits } from "./ast/limits.js";
import { validateExpressionDocument } from "./ast/validate.js";
import { checkExpression } from "./check/index.js";
import { createSegment } from "./compile/index.js";
import type { Segment } from "./compile/types.js";
import { CibleError } from "./errors/cible-error.js";
import { hasErrors, sortDiagnostics } from "./errors/diagnostic.js";
import { readSchema } from "./schema/index.js";

export type { Diagnostic, Position, Span, Severity } from "./errors/diagnostic.js";
export { CibleError } from "./errors/cible-error.js";
export type { EvalContext, Explanation, Segment, Truth } from "./compile/types.js";
export { explainText } from "./compile/index.js";
export { AST_VERSION } from "./ast/nodes.js";
export type { ExpressionDocument } from "./ast/nodes.js";

/**
 * Compiles a stored JSON AST (as `segment.ast` gives it) into a segment, without the parser.
 * The AST is untrusted: its shape, version, depth and size are validated, and it is checked
 * against the schema exactly as source text would be.
 *
 * @param ast - a parsed JSON value (or the object itself)
 * @param schema - the zod object schema of the records
 * @returns the compiled segment (its `source` is the canonical text of the AST)
 * @throws {@link CibleError} with `ast.*` diagnostics for a malformed AST, or the checker's errors
 *
 * @example
 * ```ts
 * import { fromAST } from "cible/runtime";
 * const seg = fromAST(JSON.parse(storedJson), Contact);
 * seg.filter(records, { now: new Date() });
 * ```
 */
export function fromAST<S extends z4.$ZodType>(
  ast: unknown,
  schema: S,
  options?: { limits?: Partial<Limits> },
): Segment<z4.output<S>> {
  const limits = resolveLimits(options?.limits);
  const model = readSchema(schema);
  const validated = validateExpressionDocument(ast, limits);
  if (!validated.doc || hasErrors(validated.diagnostics)) {
    throw new CibleError(sortDiagnostics(validated.diagnostics));
  }
  const source = printExpression(validated.doc);
  const checked = checkExpression(validated.doc.body, model);
  // No code frame: the spans point into the text the AST was parsed from, which we do not have.
  if (hasErrors(checked.diagnostics)) throw new CibleError(sortDiagnostics(checked.diagnostics));
  return createSegment<z4.output<S>>(validated.doc, source, model, checked);
}
