/**
 * `--engine duckdb`: views over the raw file in DuckDB (`read_csv`, `read_json`, `read_parquet`),
 * reading it as the CLI's own reader does: CSV cells coerced as coerce.ts coerces them, NDJSON
 * values kept only when of the field's type, text in NFC, dates read in `--tz`; one level of lists
 * of objects (NDJSON, Parquet `LIST(STRUCT)`) `unnest`ed into child tables. Parquet columns are
 * read by their DuckDB type. The run itself is run.ts's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { type CliIo, CliError, EXIT, pathIn } from "../io.js";
import { type Column, matchColumns } from "../coerce.js";
import type { Shape } from "../shape.js";
import { DAY_FIRST, type EngineInput, FALSE_WORDS, ISO, KEY, type ListShape, PARENT, ROW, SPACE, TRUE_WORDS, VIEW, childLists, childTable, engineFailure } from "./input.js";
import { duckdbResources } from "./duckdb-memory.js";
import { loadEnginePackage } from "./load.js";
import type { EngineSession, SqlEngine } from "./run.js";

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** The column `read_parquet(…, file_row_number = true)` adds: the row's number in the file, from 0. */
const FILE_ROW = "file_row_number";
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;


/**
 * Macros the view uses (inlined by DuckDB): a number cell as `readNumber` reads it, a yes/no cell,
 * the ISO text `readDate` makes of a date cell, and an ISO text as an instant (read in the time
 * zone when it has no offset).
 */
function macros(): string[] {
  const spaceless = `regexp_replace(t, ${lit(SPACE)}, '', 'g')`;
  const g = (n: number) => `regexp_extract(t, ${lit(DAY_FIRST)}, ${n})`;
  const date = `${g(3)} || '-' || lpad(${g(2)}, 2, '0') || '-' || lpad(${g(1)}, 2, '0')`;
  const time = `CASE WHEN ${g(5)} = '' THEN '' ELSE 'T' || lpad(${g(5)}, 2, '0') || ':' || ${g(6)} || ':' || coalesce(NULLIF(${g(8)}, ''), '00') END`;
  return [
    `CREATE MACRO cible_number_text(x) AS CASE WHEN regexp_full_match(x, '[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?') AND isfinite(TRY_CAST(x AS DOUBLE)) THEN TRY_CAST(x AS DOUBLE) END`,
    `CREATE MACRO cible_number(t, comma) AS cible_number_text(CASE WHEN comma AND regexp_full_match(${spaceless}, '[+-]?\\d*,\\d+') THEN replace(${spaceless}, ',', '.') ELSE ${spaceless} END)`,
    `CREATE MACRO cible_boolean(t) AS CASE WHEN lower(t) IN (${TRUE_WORDS.map(lit).join(", ")}) THEN TRUE WHEN lower(t) IN (${FALSE_WORDS.map(lit).join(", ")}) THEN FALSE END`,
    `CREATE MACRO cible_date_text(t) AS CASE WHEN regexp_matches(t, ${lit(ISO)}) THEN replace(t, ' ', 'T') WHEN regexp_matches(t, ${lit(DAY_FIRST)}) AND TRY_CAST(${date} AS DATE) IS NOT NULL THEN ${date} || ${time} END`,
    `CREATE MACRO cible_instant(iso, tz) AS CASE WHEN regexp_matches(iso, '(Z|[+-]\\d{2}:?\\d{2})$') THEN TRY_CAST(iso AS TIMESTAMPTZ) ELSE timezone(tz, TRY_CAST(iso AS TIMESTAMP)) END`,
    // One element of a list cell that does not read makes the whole cell unread (text, unknown): NULL.
    `CREATE MACRO cible_list(r, v) AS CASE WHEN r IS NULL OR len(list_filter(v, x -> x IS NOT NULL)) <> len(list_filter(r, x -> x IS NOT NULL)) THEN NULL ELSE v END`,
  ];
}

/** SQL reading a CSV cell `t` (VARCHAR, may be NULL) as coerce.ts's `coerceCell` reads it; NULL when it does not read. */
function csvScalar(t: string, shape: Shape, decimalComma: boolean, tz: string): string {
  switch (shape.kind) {
    case "number":
      return `cible_number(${t}, ${decimalComma ? "TRUE" : "FALSE"})`;
    case "boolean":
      return `cible_boolean(${t})`;
    case "date":
      return `cible_instant(cible_date_text(${t}), ${lit(tz)})`;
    case "enum":
      return `CASE WHEN nfc_normalize(${t}) IN (${shape.values.map((v) => lit(v.normalize("NFC"))).join(", ")}) THEN nfc_normalize(${t}) END`;
    default:
      return `nfc_normalize(NULLIF(${t}, ''))`;
  }
}

/** A CSV column as the field's value: lists split as `readList` splits them. */
function csvValue(t: string, shape: Shape, decimalComma: boolean, tz: string): string {
  if (shape.kind !== "array") return `CASE WHEN ${t} IS NULL OR ${t} = '' THEN NULL ELSE ${csvScalar(t, shape, decimalComma, tz)} END`;
  const raw = `CASE WHEN starts_with(${t}, '[') THEN TRY_CAST(json(${t}) AS VARCHAR[]) ELSE list_filter(list_transform(regexp_split_to_array(${t}, '[|;]'), e -> trim(e)), e -> e <> '') END`;
  return `CASE WHEN ${t} IS NULL OR ${t} = '' THEN []::${sqlType(shape)} ELSE cible_list(${raw}, list_transform(${raw}, e -> ${csvScalar("e", shape.element, decimalComma, tz)})) END`;
}

function sqlType(shape: Shape): string {
  switch (shape.kind) {
    case "number":
      return "DOUBLE";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "TIMESTAMPTZ";
    case "array":
      return `${sqlType(shape.element)}[]`;
    default:
      return "VARCHAR";
  }
}

/** A JSON value `j` as the field's value: kept when of the field's type (as the evaluator reads it), else NULL. */
function jsonValue(j: string, shape: Shape, tz: string): string {
  const type = `json_type(${j})`;
  switch (shape.kind) {
    case "number":
      return `CASE WHEN ${type} IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN CAST(${j} AS DOUBLE) END`;
    case "boolean":
      return `CASE WHEN ${type} = 'BOOLEAN' THEN CAST(${j} AS BOOLEAN) END`;
    case "date": {
      const s = `(${j} ->> '$')`;
      return `CASE WHEN ${type} = 'VARCHAR' AND regexp_matches(${s}, ${lit(ISO)}) THEN cible_instant(replace(${s}, ' ', 'T'), ${lit(tz)}) END`;
    }
    case "enum":
      return `CASE WHEN ${type} = 'VARCHAR' AND nfc_normalize(${j} ->> '$') IN (${shape.values.map((v) => lit(v.normalize("NFC"))).join(", ")}) THEN nfc_normalize(${j} ->> '$') END`;
    case "array":
      return `CASE WHEN ${type} = 'ARRAY' THEN list_transform(CAST(${j} AS JSON[]), e -> ${jsonValue("e", shape.element, tz)}) END`;
    default:
      return `CASE WHEN ${type} = 'VARCHAR' THEN nfc_normalize(${j} ->> '$') END`;
  }
}

/** A Parquet column `c` of DuckDB type `type` as the field's value: kept when of the field's type, else NULL. */
function parquetValue(c: string, type: string, shape: Shape, tz: string): string {
  const numeric = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(type);
  switch (shape.kind) {
    case "number":
      return numeric ? `CASE WHEN NOT isnan(CAST(${c} AS DOUBLE)) THEN CAST(${c} AS DOUBLE) END` : "NULL::DOUBLE";
    case "boolean":
      return type === "BOOLEAN" ? c : "NULL::BOOLEAN";
    case "date":
      if (type === "TIMESTAMP WITH TIME ZONE") return c;
      if (/^(TIMESTAMP(_S|_MS|_NS)?|DATE)$/.test(type)) return `timezone(${lit(tz)}, CAST(${c} AS TIMESTAMP))`;
      if (type === "VARCHAR") return `CASE WHEN regexp_matches(${c}, ${lit(ISO)}) THEN cible_instant(replace(${c}, ' ', 'T'), ${lit(tz)}) END`;
      return "NULL::TIMESTAMPTZ";
    case "enum":
      return type === "VARCHAR" ? `CASE WHEN nfc_normalize(${c}) IN (${shape.values.map((v) => lit(v.normalize("NFC"))).join(", ")}) THEN nfc_normalize(${c}) END` : "NULL::VARCHAR";
    case "array":
      return type.endsWith("[]") ? `list_transform(${c}, e -> ${parquetValue("e", type.slice(0, -2), shape.element, tz)})` : `NULL::${sqlType(shape)}`;
    default:
      return type === "VARCHAR" ? `nfc_normalize(${c})` : "NULL::VARCHAR";
  }
}

/**
 * A list of objects as a child table: one row per element, the record's row number as foreign key.
 * A table, not a view: the rules read a list several times (one subquery per condition), and a
 * view would read and unnest the file again for each (at 10M contacts, 50M events each time).
 * `value(field, shape)` reads one field of the element `e`.
 */
function childTableSQL(i: number, shape: ListShape, list: string, row: string, read: string, value: (field: string, shape: Shape) => string): string {
  const element = shape.element as Shape & { kind: "object" };
  const fields = [...element.fields].map(([k, s]) => `${value(k, s)} AS ${ident(k)}`);
  return `CREATE TABLE ${childTable(i + 1)} AS SELECT ${PARENT}, ${fields.join(", ")} FROM (SELECT ${PARENT}, unnest(l) AS e FROM (SELECT ${row} AS ${PARENT}, ${list} AS l FROM ${read}))`;
}

/** The DuckDB types of a Parquet file: its columns, and the fields of each list of objects (`LIST(STRUCT)`) by column. */
export interface ParquetTypes {
  readonly columns: ReadonlyMap<string, string>;
  readonly elements: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The view over the file: `_cible_key` (the row's number in the file and its `--id` as JSON text), then one column per field. */
export function viewSQL(input: EngineInput, idField: string, timeZone: string, io: CliIo, parquetTypes?: ParquetTypes): string[] {
  const file = lit(pathIn(io, input.path));
  const cols: string[] = [];
  // Parquet: the row's number in the file as read_parquet gives it (no window function: the scan
  // runs in parallel and out of order, preserve_insertion_order off). CSV, NDJSON: row_number(),
  // in file order as the scan preserves it.
  const rowNumber = input.format === "parquet" ? FILE_ROW : "row_number() OVER ()";
  const key = (id: string) => `{'row': ${rowNumber}, 'id': CAST(${id} AS VARCHAR)} AS ${ident(KEY)}`;
  if (input.format === "csv") {
    const delimiter = input.delimiter ?? ",";
    const decimalComma = delimiter !== ",";
    const matched: readonly Column[] = matchColumns(input.header ?? [], input.fields, input.map).columns;
    const cell = (c: string) => `trim(${ident(c)}, ' \t')`;
    const byField = new Map(matched.filter((c) => c.path.length === 1).map((c) => [c.path[0]!, c]));
    for (const [name, shape] of input.fields) {
      const col = byField.get(name);
      // Cells trimmed of spaces and tabs, as csv-parse's `trim` (which keeps them inside quotes: not told apart here).
      cols.push(col ? `${csvValue(cell(col.name), shape, decimalComma, timeZone)} AS ${ident(name)}` : `NULL::${sqlType(shape)} AS ${ident(name)}`);
    }
    // The id as the record holds it: the coerced value (a date as its ISO text), or the cell.
    const idCol = matched.find((c) => c.path.length === 1 && c.path[0] === idField);
    const idShape = idCol?.shape;
    // A cell that does not read as its type stays text in the record (and is written so).
    const raw = idCol ? `NULLIF(${cell(idCol.name)}, '')` : "NULL";
    const idSql = !idCol
      ? "NULL"
      : idShape?.kind === "date"
        ? `to_json(coalesce(cible_date_text(${raw}), ${raw}))`
        : idShape?.kind === "number" || idShape?.kind === "boolean"
          ? `coalesce(to_json(${csvScalar(raw, idShape, decimalComma, timeZone)}), to_json(${raw}))`
          : `to_json(${raw})`;
    cols.unshift(key(idSql));
    const types = `{${(input.header ?? []).map((h) => `${lit(h)}: 'VARCHAR'`).join(", ")}}`;
    return [`CREATE VIEW ${VIEW} AS SELECT ${cols.join(", ")} FROM read_csv(${file}, delim = ${lit(delimiter)}, quote = '"', escape = '"', header = true, auto_detect = false, columns = ${types}, null_padding = true)`];
  }
  const lists = childLists(input);
  const isList = (name: string) => lists.some(([n]) => n === name);
  if (input.format === "parquet") {
    const types = parquetTypes?.columns ?? new Map<string, string>();
    for (const [name, shape] of input.fields) {
      if (isList(name)) continue;
      const type = types.get(name);
      cols.push(`${type === undefined ? `NULL::${sqlType(shape)}` : parquetValue(ident(name), type, shape, timeZone)} AS ${ident(name)}`);
    }
    cols.unshift(key(types.has(idField) ? `to_json(${ident(idField)})` : "NULL"));
    const read = `read_parquet(${file}, file_row_number = true)`;
    if (lists.length) cols.push(`${FILE_ROW} AS ${ident(ROW)}`);
    // A LIST(STRUCT) column unnested as is: each field of the element read as a column of its
    // type is (a field the struct lacks is NULL; the elements of a list of scalars have none). A
    // column that is not a list has no elements.
    const children = lists.map(([name, shape], i) => {
      const fields = parquetTypes?.elements.get(name) ?? new Map<string, string>();
      const value = (k: string, s: Shape) => {
        const type = fields.get(k);
        return type === undefined ? `NULL::${sqlType(s)}` : parquetValue(`e.${ident(k)}`, type, s, timeZone);
      };
      return childTableSQL(i, shape, types.get(name)?.endsWith("[]") ? ident(name) : "[]", FILE_ROW, read, value);
    });
    return [`CREATE VIEW ${VIEW} AS SELECT ${cols.join(", ")} FROM ${read}`, ...children];
  }
  const names = new Set([...input.fields.keys(), idField]);
  for (const [name, shape] of input.fields) if (!isList(name)) cols.push(`${jsonValue(ident(name), shape, timeZone)} AS ${ident(name)}`);
  cols.unshift(key(ident(idField)));
  if (lists.length) cols.push(`row_number() OVER () AS ${ident(ROW)}`);
  const types = `{${[...names].map((n) => `${lit(n)}: 'JSON'`).join(", ")}}`;
  const read = `read_json(${file}, format = 'newline_delimited', columns = ${types})`;
  const value = (k: string, s: Shape) => jsonValue(`json_extract(e, ${lit(`$.${JSON.stringify(k)}`)})`, s, timeZone);
  const children = lists.map(([name, shape], i) => childTableSQL(i, shape, `CASE WHEN json_type(${ident(name)}) = 'ARRAY' THEN CAST(${ident(name)} AS JSON[]) END`, "row_number() OVER ()", read, value));
  return [`CREATE VIEW ${VIEW} AS SELECT ${cols.join(", ")} FROM ${read}`, ...children];
}

/** Checks the Parquet file's column types (a STRUCT or MAP that is not a list of objects is refused); returns them. */
async function parquetTypes(conn: DuckDBConnection, input: EngineInput, io: CliIo): Promise<ParquetTypes> {
  const file = lit(pathIn(io, input.path));
  const describe = async (sql: string) => new Map((await conn.runAndReadAll(`DESCRIBE ${sql}`)).getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]));
  const columns = await describe(`SELECT * FROM read_parquet(${file})`);
  if (columns.has(FILE_ROW)) throw new CliError(`--engine duckdb cannot read ${input.path}: it has a column named ${FILE_ROW}, the name DuckDB gives the row number it reads`, EXIT.failure, "rename the column, or run without --engine");
  const elements = new Map<string, Map<string, string>>();
  for (const [name, shape] of input.fields) {
    const t = columns.get(name);
    const child = shape.kind === "array" && shape.element.kind === "object" && /^STRUCT\(.*\)\[\]$/.test(t ?? "");
    if (t !== undefined && !child && /STRUCT|MAP/.test(t)) throw new CliError(`--engine duckdb needs flat data for now: the column ${name} of ${input.path} is ${t}`, EXIT.failure, "flatten the file");
    // The element's fields and their types (a struct's type text is not parsed here: DuckDB describes them).
    if (child) elements.set(name, await describe(`SELECT e.* FROM (SELECT unnest(${ident(name)}) AS e FROM read_parquet(${file}) LIMIT 0)`));
  }
  return { columns, elements };
}

/**
 * `--engine duckdb`: a DuckDB (@duckdb/node-api) in a temporary directory (its database holds the
 * child tables, and it spills there what does not fit its memory limit: duckdb-memory.ts), session
 * zone UTC. The directory is removed when the session closes.
 */
export const duckdbEngine: SqlEngine = {
  name: "duckdb",
  label: "DuckDB",
  async open(input, io, { idField, timeZone }): Promise<EngineSession> {
    const duck = await loadEnginePackage<typeof import("@duckdb/node-api")>("duckdb");
    const { memoryLimit, tempParent } = duckdbResources(io.env, totalmem(), tmpdir());
    let dir: string;
    try {
      dir = mkdtempSync(join(pathIn(io, tempParent), "cible-duckdb-"));
    } catch (e) {
      throw new CliError(`--engine duckdb cannot make its temporary directory in ${tempParent}: ${(e as Error).message}`, EXIT.failure, "set CIBLE_DUCKDB_TEMP to a directory you can write to");
    }
    const removeDir = () => rmSync(dir, { recursive: true, force: true });
    let db: import("@duckdb/node-api").DuckDBInstance;
    try {
      db = await duck.DuckDBInstance.create(join(dir, "cible.duckdb"), { memory_limit: memoryLimit, temp_directory: join(dir, "spill") });
    } catch (e) {
      removeDir();
      throw new CliError(`DuckDB cannot start: ${(e as Error).message}`, EXIT.failure, "check CIBLE_DUCKDB_MEMORY and CIBLE_DUCKDB_TEMP");
    }
    const conn = await db.connect();
    const close = () => {
      conn.closeSync();
      db.closeSync();
      removeDir();
    };
    try {
      await conn.run("SET TimeZone = 'UTC'");
      // Parquet rows carry their number in the file (file_row_number): the scan need not keep
      // their order, which lets DuckDB stream and spill. CSV and NDJSON number them by row_number() in scan order.
      if (input.format === "parquet") await conn.run("SET preserve_insertion_order = false");
      for (const m of macros()) await conn.run(m);
      const types = input.format === "parquet" ? await parquetTypes(conn, input, io) : undefined;
      for (const statement of viewSQL(input, idField, timeZone, io, types)) await conn.run(statement);
    } catch (e) {
      close();
      if (e instanceof CliError) throw e;
      throw new CliError(`DuckDB cannot read ${input.path}: ${(e as Error).message}`, EXIT.failure);
    }
    const failed = (e: Error) => engineFailure("DuckDB", input, e);
    return {
      async *rows(sql, params) {
        // One scan of the file; the rows back in file order (window functions of quantile tiers reorder them).
        const query = `SELECT * FROM (${sql}) AS q ORDER BY struct_extract(q.${ident(KEY)}, 'row')`;
        const result = await conn.stream(query, params as never).catch((e: Error) => {
          throw failed(e);
        });
        const names = result.columnNames();
        for (;;) {
          const chunk = await result.fetchChunk().catch((e: Error) => {
            throw failed(e);
          });
          if (!chunk || chunk.rowCount === 0) break;
          yield* chunk.getRowObjects(names) as Record<string, unknown>[];
        }
      },
      idOf(row) {
        const idText = (row[KEY] as { entries: { id: string | null } }).entries.id;
        return idText === null ? null : JSON.parse(idText);
      },
      close,
    };
  },
};
