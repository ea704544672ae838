/**
 * Public shapes of the SQL compiler (`cible/sql`).
 */
import type * as z4 from "zod/v4/core";
import type { Limits } from "../ast/limits.js";

/** The SQL dialects `toSQL` writes. */
export type SQLDialectName = "postgres" | "duckdb" | "clickhouse";

/** A value bound to a placeholder: primitives only, so drivers bind them with no type hints. */
export type SQLParam = string | number | boolean;

/**
 * Where an array of objects is stored: a child table whose `foreignKey` column holds the parent
 * row's `key`. Nested arrays of objects of the element have their own `children`.
 *
 * @example
 * ```ts
 * { table: "contacts", foreignKey: "account_id", key: "id",
 *   children: { events: { table: "events", foreignKey: "contact_id", key: "id" } } }
 * ```
 */
export interface ChildTable {
  /** The child table (`schema.table` is split at the dot). */
  readonly table: string;
  /** The child table's column that refers to the parent row. */
  readonly foreignKey: string;
  /** The parent table's column the foreign key refers to. Default `"id"`. */
  readonly key?: string;
  /** Column renames for the element's fields, keyed by dotted path (`"address.city"`). */
  readonly columns?: Readonly<Record<string, string>>;
  /** Arrays of objects of the element, keyed by dotted path. */
  readonly children?: Readonly<Record<string, ChildTable>>;
}

/** Options of {@link toSQL}. */
export interface ToSQLOptions {
  /** `"postgres"` (pg, PGlite: `$1`…), `"duckdb"` (@duckdb/node-api: `?`) or `"clickhouse"` (chdb, @clickhouse/client: `{p1:Float64}`, named `p1`… in `params`' order). */
  readonly dialect: SQLDialectName;
  /** The records' table (`schema.table` is split at the dot); columns are qualified with it. */
  readonly table: string;
  /**
   * Column renames keyed by dotted field path (`{ lastPurchase: "last_purchase", "hq.country": "country" }`).
   * Default: the path joined with `_` (`hq.country` → `hq_country`), quoted.
   */
  readonly columns?: Readonly<Record<string, string>>;
  /** Child tables of the arrays of objects, keyed by dotted path (`purchases`, `hq.offices`). */
  readonly children?: Readonly<Record<string, ChildTable>>;
  /** The instant relative dates count from (default: when `toSQL` is called). */
  readonly now?: Date | string | number;
  /** IANA time zone of calendar arithmetic and date-only literals (default `"UTC"`). */
  readonly timeZone?: string;
  /** Values of the rule's `$name` parameters. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The zod schema of the records: needed for source text or an AST, or a segment that does not carry it. */
  readonly schema?: z4.$ZodType;
  /** Limits for parsing source text. */
  readonly limits?: Partial<Limits>;
  /**
   * Rules files: the column of the records' table that holds each row's previous stage, per
   * lifecycle name (`{ stage: "previous_stage" }`), to make that lifecycle monotonic as
   * `previous` does for `rules.evaluate`: the stage is the later of the computed stage and the
   * previous one. A NULL previous stage leaves the computed stage; a value that is not one of the
   * lifecycle's stage names gives NULL (where `rules.evaluate` throws). `@stage` references in
   * segments and scores see the monotonic stage.
   */
  readonly previous?: Readonly<Record<string, string>>;
}

/** Options of `segmentToSQL`: those of {@link ToSQLOptions}, and a channel. */
export interface SegmentToSQLOptions extends ToSQLOptions {
  /**
   * A channel of the rules file: the condition is then the segment AND the channel, the records
   * `rules.reach(segment, channel)` selects (an unknown consent is not consent).
   */
  readonly channel?: string;
}

/** Options of `rulesToSQL`: those of {@link ToSQLOptions}, and the key column. */
export interface RulesToSQLOptions extends ToSQLOptions {
  /** The column of the records' table that identifies a row, selected first under its own name. Default `"id"`. */
  readonly key?: string;
}

/** What {@link toSQL} returns: a boolean condition for `WHERE` and its parameters, in order. */
export interface SQLCondition {
  readonly sql: string;
  readonly params: SQLParam[];
}
