/**
 * `cible/sql`: rules as parameterised SQL for PostgreSQL (pg, PGlite) and DuckDB — one rule as a
 * condition (`toSQL`), a rules file's segments (and their reach through a channel), scores and
 * lifecycle stages as expressions, and every definition of a file as one query (`rulesToSQL`).
 *
 * @packageDocumentation
 */
export { toSQL, segmentToSQL, scoreToSQL, stageToSQL, rulesToSQL, SCHEMA_MODEL, SQL_CODES } from "./sql/index.js";
export { nextChangeToSQL, type NextChangeToSQLOptions } from "./sql/next-change.js";
export type {
  ChildTable,
  RulesLike,
  RulesToSQLOptions,
  SQLCondition,
  SQLDialectName,
  SQLParam,
  SegmentLike,
  SegmentToSQLOptions,
  ToSQLOptions,
} from "./sql/index.js";
export { CibleError } from "./errors/cible-error.js";
