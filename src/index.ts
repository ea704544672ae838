/**
 * `cible`: B2B customer segments in a small rule language.
 *
 * Parse rules, check them against your zod schema, compile them to fast predicates, explain
 * their results; rules files add lead scores, lifecycle stages, value tiers and RFM.
 *
 * @packageDocumentation
 */
import type * as z4 from "zod/v4/core";
import type { ExpressionDocument, RulesDocument } from "./ast/nodes.js";
import { printExpression, printRules } from "./ast/printer.js";
import { type Limits, resolveLimits } from "./ast/limits.js";
import { checkExpression } from "./check/index.js";
import { createSegment } from "./compile/index.js";
import type { Segment } from "./compile/types.js";
import { CibleError } from "./errors/cible-error.js";
import { type Diagnostic, hasErrors, sortDiagnostics } from "./errors/diagnostic.js";
import { readSchema } from "./schema/index.js";
import { parseExpression, parseRules } from "./syntax/index.js";

export type { Diagnostic, Fix, Position, Span, Severity, TextEdit } from "./errors/diagnostic.js";
export { CibleError } from "./errors/cible-error.js";
export { formatDiagnostic } from "./errors/frame.js";
export type { EvalContext, Explanation, Segment, Truth } from "./compile/types.js";
export { explainText } from "./compile/index.js";
export { resolveClock } from "./check/clock.js";
export type * from "./ast/nodes.js";
export { AST_VERSION } from "./ast/nodes.js";
export { DEFAULT_LIMITS, type Limits } from "./ast/limits.js";
export * from "./rules/index.js";

/** Options accepted by {@link compile}, {@link check}, {@link parse} and {@link format}. */
export interface CompileOptions {
  /** Tighter or looser limits than {@link DEFAULT_LIMITS} for untrusted rules. */
  limits?: Partial<Limits>;
}

/** The result of {@link check}: `ok` is false when any diagnostic is an error. */
export interface CheckReport {
  ok: boolean;
  diagnostics: Diagnostic[];
}

/**
 * Parses one expression into its JSON AST (syntax only: no schema is needed).
 *
 * @param source - the rule text, e.g. `sector = "santé" and lastPurchase < 6 months`
 * @returns the versioned AST, with spans and comments
 * @throws {@link CibleError} when the text has syntax errors (every one is listed)
 *
 * @example
 * ```ts
 * const ast = parse('tech has "HubSpot"');
 * ast.body.kind; // "has"
 * ```
 */
export function parse(source: string, options?: CompileOptions): ExpressionDocument {
  const { doc, diagnostics } = parseExpression(source, { limits: options?.limits });
  if (!doc || hasErrors(diagnostics)) throw new CibleError(sortDiagnostics(diagnostics), source);
  return doc;
}

// A rules file starts (after comments) with a definition header: `segment name:`,
// `score name:`, `lifecycle name:`, `rfm name:`, `channel name:`, `tiers name by …` or
// `split name by …`. An expression never has a name followed by `:` or `by` right after one of these words.
const RULES_HEADER =
  /^(?:\s|#[^\n]*\n)*(?:segment|score|lifecycle|rfm|tiers|channel|split)\s+(?:[\p{L}_][\p{L}\p{M}\p{N}_]*|`(?:[^`\\]|\\.)*`)\s*(?::|by\b)/iu;

/**
 * Returns the canonical text of an expression or a rules file: lowercase keywords, single
 * spaces, only the parentheses the structure needs, comments kept. It is a fixed point
 * (`format(format(x)) === format(x)`) and `parse(format(x))` equals `parse(x)` up to spans.
 * A source that starts with a definition header (`segment name:` …) is formatted as a rules
 * file. See docs/formatting.md.
 *
 * @param sourceOrAst - rule text, or an AST from {@link parse} / {@link parseRulesFile}
 * @throws {@link CibleError} when the text has syntax errors
 *
 * @example
 * ```ts
 * format('sector = "santé"  AND (employees>=50)'); // 'sector = "santé" and employees >= 50'
 * ```
 */
export function format(sourceOrAst: string | ExpressionDocument | RulesDocument, options?: CompileOptions): string {
  if (typeof sourceOrAst !== "string") {
    return sourceOrAst.kind === "rules" ? printRules(sourceOrAst) : printExpression(sourceOrAst);
  }
  if (RULES_HEADER.test(sourceOrAst)) return printRules(parseRulesFile(sourceOrAst, options));
  return printExpression(parse(sourceOrAst, options));
}

/**
 * Parses a rules file (`*.cible`) into its JSON AST, without a schema.
 *
 * @throws {@link CibleError} when the text has syntax errors (every one is listed)
 *
 * @example
 * ```ts
 * const doc = parseRulesFile("segment big:\n  employees >= 1000\n");
 * doc.definitions[0].name; // "big"
 * ```
 */
export function parseRulesFile(source: string, options?: CompileOptions): RulesDocument {
  const { doc, diagnostics } = parseRules(source, { limits: options?.limits });
  if (!doc || hasErrors(diagnostics)) throw new CibleError(sortDiagnostics(diagnostics), source);
  return doc;
}

/**
 * Checks a rule against a zod object schema without throwing for bad rules: syntax, unknown
 * fields (with did-you-mean), operators that do not fit a field's type, enum values that do not
 * exist, durations compared with `=`, and warnings such as a `not` on a field that may be unset.
 *
 * @param source - the rule text
 * @param schema - the zod object schema of the records
 * @returns `{ ok, diagnostics }`; `ok` is false when any diagnostic is an error
 * @throws {@link CibleError} only when the schema itself cannot be read (`schema.*`)
 *
 * @example
 * ```ts
 * const { ok, diagnostics } = check('sectr = "santé"', Contact);
 * // ok === false; diagnostics[0].code === "field.unknown"; diagnostics[0].hint === "did you mean `sector`?"
 * ```
 */
export function check(source: string, schema: z4.$ZodType, options?: CompileOptions): CheckReport {
  const model = readSchema(schema);
  const parsed = parseExpression(source, { limits: options?.limits });
  if (!parsed.doc) return { ok: false, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const checked = checkExpression(parsed.doc.body, model);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]);
  return { ok: !hasErrors(diagnostics), diagnostics };
}

/**
 * Compiles a rule into a segment: a fast, three-valued predicate over records of the schema.
 *
 * @param source - the rule text
 * @param schema - the zod object schema of the records
 * @returns the compiled {@link Segment}: `test`, `evaluate`, `filter`, `explain`
 * @throws {@link CibleError} listing every error (warnings alone never throw)
 *
 * @example
 * ```ts
 * const seg = compile('sector = "santé" and lastPurchase < 6 months and tech has "X"', Contact);
 * seg.test(record, { now: new Date("2026-11-22T00:00:00Z") }); // true or false
 * seg.filter(records);                                         // the matching records, in order
 * console.log(explainText(seg.explain(record)));               // ✓ / ✗ / ? per sub-expression
 * ```
 */
export function compile<S extends z4.$ZodType>(
  source: string,
  schema: S,
  options?: CompileOptions,
): Segment<z4.output<S>> {
  resolveLimits(options?.limits);
  const model = readSchema(schema);
  const parsed = parseExpression(source, { limits: options?.limits });
  if (!parsed.doc || hasErrors(parsed.diagnostics)) {
    throw new CibleError(sortDiagnostics(parsed.diagnostics), source);
  }
  const checked = checkExpression(parsed.doc.body, model);
  if (hasErrors(checked.diagnostics)) throw new CibleError(sortDiagnostics(checked.diagnostics), source);
  return createSegment<z4.output<S>>(parsed.doc, source, model, checked);
}
