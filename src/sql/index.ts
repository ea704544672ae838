/**
 * `toSQL`: a rule as one parameterised boolean SQL condition for PostgreSQL or DuckDB.
 * See docs/sql.md for the table layout it targets and what each engine's folding does.
 */
import { resolveLimits } from "../ast/limits.js";
import type { ExpressionDocument } from "../ast/nodes.js";
import { validateExpressionDocument } from "../ast/validate.js";
import { checkExpression } from "../check/index.js";
import { CibleError } from "../errors/cible-error.js";
import { hasErrors, sortDiagnostics } from "../errors/diagnostic.js";
import { parseExpression } from "../syntax/index.js";
import { dialectOf, modelOf, startCompiler } from "./context.js";
import type { SQLCondition, ToSQLOptions } from "./types.js";

export type { ChildTable, RulesToSQLOptions, SegmentToSQLOptions, SQLCondition, SQLDialectName, SQLParam, ToSQLOptions } from "./types.js";
export { SQL_CODES } from "./messages.js";
export { SCHEMA_MODEL } from "./context.js";
export { rulesToSQL, scoreToSQL, segmentToSQL, stageToSQL, type RulesLike } from "./rules.js";

/** A compiled segment as `toSQL` reads it: its source and AST (and, optionally, its schema model). */
export interface SegmentLike {
  readonly source: string;
  readonly ast: ExpressionDocument;
}

/** The rule as a validated expression document (parsed when given as text). @internal */
export function documentOf(input: string | SegmentLike | ExpressionDocument, options: ToSQLOptions): { doc: ExpressionDocument; source?: string } {
  const limits = resolveLimits(options.limits);
  if (typeof input === "string") {
    const parsed = parseExpression(input, { limits });
    if (!parsed.doc || hasErrors(parsed.diagnostics)) throw new CibleError(sortDiagnostics(parsed.diagnostics), input);
    return { doc: parsed.doc, source: input };
  }
  const isDoc = typeof input === "object" && input !== null && (input as { kind?: unknown }).kind === "expression";
  const ast = isDoc ? input : (input as SegmentLike | null)?.ast;
  const validated = validateExpressionDocument(ast, limits);
  if (!validated.doc || hasErrors(validated.diagnostics)) throw new CibleError(sortDiagnostics(validated.diagnostics));
  const source = !isDoc && typeof (input as SegmentLike).source === "string" ? (input as SegmentLike).source : undefined;
  return source === undefined ? { doc: validated.doc } : { doc: validated.doc, source };
}

/**
 * Compiles a rule to a boolean SQL condition for `WHERE`, with placeholders (`$1`… for
 * PostgreSQL, `?` for DuckDB) and the list of their values: strings, numbers and booleans only,
 * so that pg, PGlite and @duckdb/node-api bind them with no type hints (casts are in the SQL).
 * No value from the rule is ever written into the SQL text; identifiers come only from the schema
 * and the `table`, `columns` and `children` options, and are quoted.
 *
 * On data stored by the layout of docs/sql.md, the rows selected are exactly the records
 * `segment.filter` returns for the same `now`, `timeZone` and `params`.
 *
 * @param rule - a compiled segment, its source text, or its JSON AST
 * @param options - dialect, table, column renames, child tables, now, timeZone, params, schema
 * @returns `{ sql, params }`
 * @throws {@link CibleError} for a rule with errors, `sql.unsupported` for what the dialect
 *   cannot express (naming it and the dialect), `sql.reference` for `@name`, `sql.child-table`
 *   when `children` lacks a list of objects the rule reads, `sql.identifier`, `sql.options`,
 *   `sql.schema`, and the evaluator's `param.missing`, `param.type`, `eval.now`, `eval.time-zone`
 *
 * @example
 * ```ts
 * const { sql, params } = toSQL('sector = "santé" and lastPurchase < 6 months', {
 *   schema: Contact, dialect: "postgres", table: "contacts",
 *   columns: { lastPurchase: "last_purchase" }, now: new Date("2026-11-22T00:00:00Z"),
 * });
 * // sql:    ("contacts"."sector" = $1::text AND "contacts"."last_purchase" > $2::timestamptz)
 * // params: ["santé", "2026-05-22T00:00:00.000Z"]
 * await pg.query(`SELECT id FROM contacts WHERE ${sql}`, params);
 * ```
 */
export function toSQL(rule: string | SegmentLike | ExpressionDocument, options: ToSQLOptions): SQLCondition {
  const dialect = dialectOf(options);
  const model = modelOf(rule, options);
  const { doc, source } = documentOf(rule, options);
  const checked = checkExpression(doc.body, model);
  if (hasErrors(checked.diagnostics)) throw new CibleError(sortDiagnostics(checked.diagnostics), source);
  const { compiler, root, params } = startCompiler(dialect, options, model, checked.facts, checked.params, source);
  return params.render(compiler.expr(doc.body, [root]), dialect);
}
