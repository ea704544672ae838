/**
 * What `toSQL` and the rules-file functions share: options checked, the schema model found,
 * `now`, the time zone and the parameters read, the compiler and the record's scope built.
 * @internal
 */
import type { Facts } from "../check/facts.js";
import type { ParamType } from "../check/types.js";
import { type SchemaModel, schemaModelOf } from "../schema/model.js";
import { readSchema } from "../schema/read.js";
import { readClock } from "../check/clock.js";
import { type CompilerEnv, type Scope, SQLCompiler } from "./compiler.js";
import type { Dialect } from "./dialect.js";
import { clickhouse } from "./clickhouse.js";
import { duckdb } from "./duckdb.js";
import { Params } from "./emitter.js";
import { sqlMessages } from "./messages.js";
import { readParams } from "./params.js";
import { postgres } from "./postgres.js";
import type { ChildTable, SQLDialectName, ToSQLOptions } from "./types.js";

export { SCHEMA_MODEL } from "../schema/model.js";

const DIALECTS: Readonly<Record<SQLDialectName, Dialect>> = { postgres, duckdb, clickhouse };

/** Checks the options every entry takes; returns the dialect. @internal */
export function dialectOf(options: ToSQLOptions): Dialect {
  if (typeof options !== "object" || options === null) throw sqlMessages.options("`toSQL` needs options: at least `dialect` and `table`.");
  const dialect = Object.hasOwn(DIALECTS, options.dialect) ? DIALECTS[options.dialect] : undefined;
  if (!dialect) {
    throw sqlMessages.options(`Unknown SQL dialect ${JSON.stringify(String(options.dialect))}.`, 'use "postgres", "duckdb" or "clickhouse"');
  }
  if (typeof options.table !== "string" || options.table.length === 0) {
    throw sqlMessages.options("`toSQL` needs the records' table name in `table`.");
  }
  return dialect;
}

/**
 * The schema model: from the `schema` option, or carried by the input (a compiled segment or
 * compiled rules). `entry` and `what` name the function and its input in the error. @internal
 */
export function modelOf(input: unknown, options: ToSQLOptions, entry = "toSQL", what = "this rule"): SchemaModel {
  if (options.schema !== undefined) return readSchema(options.schema);
  const carried = schemaModelOf(input);
  if (carried) return carried;
  throw sqlMessages.schema(entry, what);
}

function tableNames(children: Readonly<Record<string, ChildTable>> | undefined, out: Set<string>): void {
  if (!children) return;
  for (const key of Object.keys(children)) {
    const c = children[key];
    if (!c) continue;
    if (typeof c.table === "string") for (const part of c.table.split(".")) out.add(part);
    tableNames(c.children, out);
  }
}

/**
 * A compiler ready for one rule: `now`, time zone and parameters read, the record's scope built.
 * `facts` are the checker's facts of the tree(s) it will compile. @internal
 */
export function startCompiler(
  dialect: Dialect,
  options: ToSQLOptions,
  model: SchemaModel,
  facts: Facts,
  paramTypes: ReadonlyMap<string, ParamType>,
  source: string | undefined,
  ref?: CompilerEnv["ref"],
  make: (env: CompilerEnv) => SQLCompiler = (env) => new SQLCompiler(env),
): { compiler: SQLCompiler; root: Scope; params: Params } {
  const { nowMs, timeZone: zone } = readClock(options);
  const values = readParams(options.params, paramTypes, zone);
  const reserved = new Set<string>(options.table.split("."));
  tableNames(options.children, reserved);
  const params = new Params();
  const env: CompilerEnv = { dialect, params, facts, values, nowMs, timeZone: zone, source, reserved, ...(ref ? { ref } : {}) };
  const compiler = make(env);
  const root: Scope = {
    object: model.root,
    qualifier: compiler.table(options.table),
    ...(dialect.keyed ? { chain: compiler.table(options.table) } : {}),
    columns: options.columns,
    children: options.children,
  };
  return { compiler, root, params };
}
