/**
 * `cible/sql`: rules as parameterised SQL for PostgreSQL (pg, PGlite) and DuckDB — one rule as a
 * condition (`toSQL`), and a rules file's segments, scores and lifecycle stages as expressions.
 *
 * @packageDocumentation
 */
export { toSQL, segmentToSQL, scoreToSQL, stageToSQL, SCHEMA_MODEL, SQL_CODES } from "./sql/index.js";
export type { ChildTable, RulesLike, SQLCondition, SQLDialectName, SQLParam, SegmentLike, ToSQLOptions } from "./sql/index.js";
export { CibleError } from "./errors/cible-error.js";
