/**
 * A reference loader for the table layout of docs/sql.md, driven by the schema model: it creates
 * the tables and stores records in PostgreSQL (PGlite) and DuckDB exactly as the documentation
 * says a loader must (text in NFC; NaN, invalid dates and wrongly typed values as NULL; nested
 * objects flattened into `a_b` columns; arrays of scalars as array columns; arrays of objects as
 * child tables with a generated `id` and a foreign key).
 */
import type { FieldType, ObjectType } from "../../../src/schema/model.js";
import type { ChildTable } from "../../../src/sql/types.js";
import { toEpochMs } from "../../../src/time/cutoffs.js";

export type Engine = "postgres" | "duckdb" | "clickhouse";

export interface ColumnPlan {
  readonly column: string;
  /** Field names from the element (or record) down to the column's field. */
  readonly path: readonly string[];
  readonly type: FieldType;
}

export interface TablePlan {
  readonly table: string;
  /** Own columns, derived from the schema. */
  readonly columns: readonly ColumnPlan[];
  /** For a child table: its foreign key column (the parent's `key` is copied into it). */
  readonly foreignKey?: string;
  /** The parent's column the foreign key refers to. */
  readonly parentKey?: string;
  /** True when the loader adds an `id` column (elements without one). */
  readonly syntheticId: boolean;
  readonly children: readonly { readonly path: readonly string[]; readonly plan: TablePlan }[];
}

export interface LayoutOptions {
  readonly table: string;
  readonly columns?: Readonly<Record<string, string>>;
  readonly children?: Readonly<Record<string, ChildTable>>;
}

/** The tables of a schema under the layout. */
export function planLayout(root: ObjectType, options: LayoutOptions): TablePlan {
  return plan(root, options.table, options.columns, options.children, undefined, undefined, false);
}

function plan(
  object: ObjectType,
  table: string,
  renames: Readonly<Record<string, string>> | undefined,
  children: Readonly<Record<string, ChildTable>> | undefined,
  foreignKey: string | undefined,
  parentKey: string | undefined,
  child: boolean,
): TablePlan {
  const columns: ColumnPlan[] = [];
  const kids: { path: readonly string[]; plan: TablePlan }[] = [];
  const walk = (o: ObjectType, prefix: readonly string[]) => {
    for (const f of o.fields.values()) {
      const path = [...prefix, f.name];
      const t = f.type;
      if (t.kind === "object") walk(t, path);
      else if (t.kind === "array" && t.element.kind === "object") {
        const key = path.join(".");
        const cfg = children?.[key];
        if (!cfg) continue; // not stored
        kids.push({ path, plan: plan(t.element, cfg.table, cfg.columns, cfg.children, cfg.foreignKey, cfg.key ?? "id", true) });
      } else {
        const key = path.join(".");
        columns.push({ column: renames?.[key] ?? path.join("_"), path, type: t });
      }
    }
  };
  walk(object, []);
  const syntheticId = child && !columns.some((c) => c.column === "id");
  const out: TablePlan = { table, columns, syntheticId, children: kids };
  return foreignKey ? { ...out, foreignKey, parentKey } : out;
}

/** ClickHouse: every scalar column Nullable; an array `Array(Nullable(T))` beside a `<column>_missing` UInt8 flag. */
function clickhouseType(t: FieldType): string {
  switch (t.kind) {
    case "string":
    case "enum":
      return "Nullable(String)";
    case "number":
      return "Nullable(Float64)";
    case "boolean":
      return "Nullable(Bool)";
    case "date":
      return "Nullable(DateTime64(6, 'UTC'))";
    case "array":
      return `Array(${clickhouseType(t.element)})`;
    case "object":
      throw new Error("objects have no column");
  }
}

function sqlType(t: FieldType, engine: Engine): string {
  if (engine === "clickhouse") return clickhouseType(t);
  const pg = engine === "postgres";
  switch (t.kind) {
    case "string":
    case "enum":
      return pg ? "text" : "VARCHAR";
    case "number":
      return pg ? "float8" : "DOUBLE";
    case "boolean":
      return pg ? "boolean" : "BOOLEAN";
    case "date":
      return pg ? "timestamptz" : "TIMESTAMPTZ";
    case "array":
      return `${sqlType(t.element, engine)}[]`;
    case "object":
      throw new Error("objects have no column");
  }
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every column of a table, with the loader's extra ones (id, foreign key). */
function allColumns(p: TablePlan, engine: Engine): { name: string; type: string }[] {
  const cols = p.columns.flatMap((c) => {
    const col = { name: c.column, type: sqlType(c.type, engine) };
    return engine === "clickhouse" && c.type.kind === "array" ? [col, { name: `${c.column}_missing`, type: "UInt8" }] : [col];
  });
  const num = engine === "postgres" ? "float8" : engine === "duckdb" ? "DOUBLE" : "Nullable(Float64)";
  if (p.syntheticId) cols.unshift({ name: "id", type: num });
  if (p.foreignKey) cols.push({ name: p.foreignKey, type: num });
  return cols;
}

/** `CREATE TABLE` statements for the plan and its children (with an index on each foreign key). */
export function createTables(p: TablePlan, engine: Engine): string[] {
  if (engine === "clickhouse") {
    const defs = allColumns(p, engine).map((c) => `${q(c.name)} ${c.type}`).join(", ");
    return [`CREATE TABLE ${q(p.table)} (${defs}) ENGINE = MergeTree ORDER BY tuple()`, ...p.children.flatMap((k) => createTables(k.plan, engine))];
  }
  const out = [`CREATE TABLE ${q(p.table)} (${allColumns(p, engine).map((c) => `${q(c.name)} ${c.type}`).join(", ")})`];
  if (p.foreignKey) out.push(`CREATE INDEX ${q(`${p.table}_${p.foreignKey}_idx`)} ON ${q(p.table)} (${q(p.foreignKey)})`);
  for (const k of p.children) out.push(...createTables(k.plan, engine));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values: what a loader stores for a JavaScript value of a field type
// ---------------------------------------------------------------------------------------------

function own(o: unknown, k: string): unknown {
  return typeof o === "object" && o !== null && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined;
}

/** A scalar as stored: NFC text, numbers but NaN, booleans, ISO instants; anything else NULL. */
export function storeScalar(v: unknown, t: FieldType, timeZone: string): string | number | boolean | null {
  switch (t.kind) {
    case "string":
      return typeof v === "string" ? v.normalize("NFC") : null;
    case "enum": {
      if (typeof v !== "string") return null;
      const n = v.normalize("NFC");
      return t.values.includes(n) ? n : null;
    }
    case "number":
      // NaN is unknown; ±Infinity are numbers (float8 / DOUBLE hold them).
      return typeof v === "number" && v === v ? v : null;
    case "boolean":
      return typeof v === "boolean" ? v : null;
    case "date": {
      const ms = toEpochMs(v, timeZone);
      return ms === ms ? isoMicro(ms) : null;
    }
    default:
      return null;
  }
}

/** An instant as ISO-8601 with microseconds (string dates may carry sub-millisecond digits). */
function isoMicro(ms: number): string {
  const whole = Math.floor(ms);
  const us = Math.round((ms - whole) * 1000);
  const s = new Date(whole).toISOString();
  return us ? `${s.slice(0, -1)}${String(us).padStart(3, "0")}Z` : s;
}

function storeValue(v: unknown, t: FieldType, timeZone: string): unknown {
  if (t.kind === "array") {
    if (!Array.isArray(v)) return null;
    return v.map((e) => storeScalar(e, t.element, timeZone));
  }
  return storeScalar(v, t, timeZone);
}

const isRow = (e: unknown) => typeof e === "object" && e !== null && !Array.isArray(e);

/** Rows of every table, keyed by table name. */
export function rowsOf(
  p: TablePlan,
  records: readonly unknown[],
  timeZone: string,
  out: Map<string, Record<string, unknown>[]> = new Map(),
  ids: { next: number } = { next: 1 },
  parentKeys?: readonly unknown[],
): Map<string, Record<string, unknown>[]> {
  const rows = out.get(p.table) ?? [];
  out.set(p.table, rows);
  const keyed: { row: Record<string, unknown>; rec: unknown }[] = [];
  records.forEach((rec, i) => {
    const row: Record<string, unknown> = {};
    if (p.syntheticId) row.id = ids.next++;
    for (const c of p.columns) {
      let v: unknown = rec;
      for (const k of c.path) v = own(v, k);
      row[c.column] = storeValue(v, c.type, timeZone);
    }
    if (p.foreignKey) row[p.foreignKey] = parentKeys![i];
    rows.push(row);
    keyed.push({ row, rec });
  });
  for (const k of p.children) {
    const kidRecords: unknown[] = [];
    const kidParents: unknown[] = [];
    for (const { row, rec } of keyed) {
      let a: unknown = rec;
      for (const s of k.path) a = own(a, s);
      if (!Array.isArray(a)) continue; // missing or null: no rows
      for (const el of a) {
        if (!isRow(el)) continue;
        kidRecords.push(el);
        kidParents.push(row[k.plan.parentKey ?? "id"]);
      }
    }
    rowsOf(k.plan, kidRecords, timeZone, out, ids, kidParents);
  }
  return out;
}

function tables(p: TablePlan): TablePlan[] {
  return [p, ...p.children.flatMap((k) => tables(k.plan))];
}

/** One loading statement per table: the rows travel as one JSON parameter. */
export function insertStatements(p: TablePlan, rows: Map<string, Record<string, unknown>[]>, engine: Engine): { sql: string; params: string[] }[] {
  return tables(p).map((t) => {
    const cols = allColumns(t, engine);
    if (engine === "clickhouse") {
      // A missing array is stored empty, its flag set (ClickHouse has no Nullable(Array)).
      const arrays = t.columns.filter((c) => c.type.kind === "array").map((c) => c.column);
      const lines = (rows.get(t.table) ?? []).map((r) => {
        const row: Record<string, unknown> = { ...r };
        for (const a of arrays) {
          row[`${a}_missing`] = r[a] === null || r[a] === undefined ? 1 : 0;
          row[a] = r[a] ?? [];
        }
        return JSON.stringify(row, (_k, v) => (v === Infinity ? "inf" : v === -Infinity ? "-inf" : v));
      });
      if (lines.length === 0) return { sql: "SELECT 1", params: [] };
      const structure = cols.map((c) => `${q(c.name)} ${c.type}`).join(", ");
      return {
        sql: `INSERT INTO ${q(t.table)} SELECT * FROM format(JSONEachRow, '${structure.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}', {p1:String})`,
        params: [lines.join("\n")],
      };
    }
    // JSON has no infinities: both engines read "Infinity" and "-Infinity" as numbers.
    const json = JSON.stringify(rows.get(t.table) ?? [], (_k, v) => (v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v));
    if (engine === "postgres") {
      const defs = cols.map((c) => `${q(c.name)} ${c.type}`).join(", ");
      return { sql: `INSERT INTO ${q(t.table)} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${defs})`, params: [json] };
    }
    const shape = `[{${cols.map((c) => `${JSON.stringify(c.name)}:${JSON.stringify(duckJsonType(c.type))}`).join(",")}}]`;
    const select = cols.map((c) => `s.${q(c.name)}`).join(", ");
    return {
      sql: `INSERT INTO ${q(t.table)} SELECT ${select} FROM (SELECT unnest(from_json(?, '${shape.replace(/'/g, "''")}')) AS s)`,
      params: [json],
    };
  });
}

/** A DuckDB `from_json` shape for a column type (`VARCHAR[]` → `["VARCHAR"]`). */
function duckJsonType(type: string): unknown {
  return type.endsWith("[]") ? [duckJsonType(type.slice(0, -2))] : type;
}
