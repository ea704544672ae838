/**
 * `--engine clickhouse`: views over the raw file in ClickHouse through chdb (in process, a session
 * in a temporary directory), reading it as the CLI's own reader does — CSV cells coerced as
 * coerce.ts coerces them (`file(…, 'CSVWithNames')`, every column as text), NDJSON values kept
 * only when of the field's type (`JSONAsString` and the JSON functions), Parquet columns by their
 * ClickHouse type; text in NFC, dates read in `--tz`; one level of lists of objects (NDJSON,
 * Parquet) `arrayJoin`ed into child tables. The layout is docs/sql.md's ClickHouse one: every
 * column `Nullable`, an array field `x` with its flag `x_missing`. The run itself is run.ts's.
 */
import type { Session } from "chdb";
import { type Column, matchColumns } from "../coerce.js";
import { type CliIo, CliError, EXIT, pathIn } from "../io.js";
import type { Shape } from "../shape.js";
import { DAY_FIRST, type EngineInput, FALSE_WORDS, ISO, KEY, type ListShape, PARENT, ROW, SPACE, TRUE_WORDS, VIEW, childLists, childTable, engineFailure } from "./input.js";
import { loadEnginePackage } from "./load.js";
import { batchSize, memoryLimit, memorySettings } from "./clickhouse-memory.js";
import type { EngineSession, SqlEngine } from "./run.js";

/** A ClickHouse string literal (backslash is an escape there). */
const lit = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const ident = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

const NUMBER = "^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$";

const TYPES = { number: "Float64", boolean: "Bool", date: "DateTime64(6, 'UTC')", text: "String" } as const;
/** The ClickHouse type of a scalar field. */
const scalarType = (shape: Shape) => (shape.kind === "number" ? TYPES.number : shape.kind === "boolean" ? TYPES.boolean : shape.kind === "date" ? TYPES.date : TYPES.text);
const nullOf = (shape: Shape) => `CAST(NULL AS Nullable(${scalarType(shape)}))`;
const emptyOf = (shape: ListShape) => `CAST([] AS Array(Nullable(${scalarType(shape.element)})))`;

/** ISO text (`2026-05-01T10:00`, with or without an offset) as an instant; zone-less text is read in `tz`; an impossible day is NULL. */
function instant(iso: string, tz: string): string {
  const day = `substring(${iso}, 1, 10)`;
  const valid = `toString(toDate32OrNull(${day})) = ${day}`;
  const zoned = `match(${iso}, ${lit("(Z|[+-]\\d{2}:?\\d{2})$")})`;
  const parsed = `if(${zoned}, parseDateTime64BestEffortOrNull(${iso}, 6, 'UTC'), toTimeZone(parseDateTime64BestEffortOrNull(${iso}, 6, ${lit(tz)}), 'UTC'))`;
  return `CAST(if(${valid}, ${parsed}, NULL) AS Nullable(${TYPES.date}))`;
}

/** The ISO text a date cell reads as (ISO, or day first), or NULL (coerce.ts's `readDate`). */
function dateText(t: string): string {
  const g = (n: number) => `extractGroups(${t}, ${lit(DAY_FIRST)})[${n}]`;
  const date = `concat(${g(3)}, '-', leftPad(${g(2)}, 2, '0'), '-', leftPad(${g(1)}, 2, '0'))`;
  const time = `if(${g(5)} = '', '', concat('T', leftPad(${g(5)}, 2, '0'), ':', ${g(6)}, ':', if(${g(8)} = '', '00', ${g(8)})))`;
  return `multiIf(match(${t}, ${lit(ISO)}), replaceOne(${t}, ' ', 'T'), match(${t}, ${lit(DAY_FIRST)}) AND toString(toDate32OrNull(${date})) = ${date}, concat(${date}, ${time}), NULL)`;
}

/** SQL reading a CSV cell `t` (String, not NULL, not empty) as coerce.ts's `coerceCell`; NULL when it does not read. */
function csvScalar(t: string, shape: Shape, decimalComma: boolean, tz: string): string {
  switch (shape.kind) {
    case "number": {
      const s = `replaceRegexpAll(${t}, ${lit(SPACE)}, '')`;
      const n = decimalComma ? `if(match(${s}, ${lit("^[+-]?\\d*,\\d+$")}), replaceOne(${s}, ',', '.'), ${s})` : s;
      return `CAST(if(match(${n}, ${lit(NUMBER)}) AND isFinite(toFloat64OrZero(${n})), toFloat64OrNull(${n}), NULL) AS Nullable(Float64))`;
    }
    case "boolean":
      return `CAST(multiIf(lowerUTF8(${t}) IN (${TRUE_WORDS.map(lit).join(", ")}), true, lowerUTF8(${t}) IN (${FALSE_WORDS.map(lit).join(", ")}), false, NULL) AS Nullable(Bool))`;
    case "date":
      return instant(dateText(t), tz);
    case "enum":
      return `CAST(if(normalizeUTF8NFC(${t}) IN (${shape.values.map((v) => lit(v.normalize("NFC"))).join(", ")}), normalizeUTF8NFC(${t}), NULL) AS Nullable(String))`;
    default:
      return `CAST(normalizeUTF8NFC(${t}) AS Nullable(String))`;
  }
}

/** A CSV list cell's texts: a JSON array's elements (strings unquoted), or texts split at `|` and `;`. */
function csvListTexts(t: string): string {
  const json = `arrayMap(e -> if(JSONType(concat('[', e, ']'), 1) = 'String', JSONExtractString(concat('[', e, ']'), 1), e), JSONExtractArrayRaw(${t}))`;
  return `if(startsWith(${t}, '['), ${json}, arrayFilter(e -> e != '', arrayMap(e -> trimBoth(e), splitByRegexp('[|;]', ${t}))))`;
}

/** The columns of one CSV field: the value, and for a list its `_missing` flag (a cell with an element that does not read). */
function csvColumns(name: string, t: string | undefined, shape: Shape, decimalComma: boolean, tz: string): string[] {
  if (shape.kind !== "array") return [`${t === undefined ? nullOf(shape) : `if(${t} IS NULL OR ${t} = '', ${nullOf(shape)}, ${csvScalar(`assumeNotNull(${t})`, shape, decimalComma, tz)})`} AS ${ident(name)}`];
  if (t === undefined) return [`${emptyOf(shape)} AS ${ident(name)}`, `toUInt8(1) AS ${ident(`${name}_missing`)}`];
  const cell = `assumeNotNull(${t})`;
  const texts = csvListTexts(cell);
  const values = `arrayMap(e -> ${csvScalar("e", shape.element, decimalComma, tz)}, ${texts})`;
  const valid = `(startsWith(${cell}, '[') = 0 OR isValidJSON(${cell})) AND countEqual(arrayMap(x -> x IS NULL, ${values}), 1) = 0`;
  const empty = `${t} IS NULL OR ${t} = ''`;
  return [`if(${empty} OR NOT (${valid}), ${emptyOf(shape)}, CAST(${values} AS Array(Nullable(${scalarType(shape.element)})))) AS ${ident(name)}`, `toUInt8(NOT (${empty}) AND NOT (${valid})) AS ${ident(`${name}_missing`)}`];
}

/** A JSON value at `at` (`doc, 'key'` or `doc, 1`) as a scalar field's value: kept when of its type, else NULL. */
function jsonScalar(at: string, shape: Shape, tz: string): string {
  const type = `JSONType(${at})`;
  switch (shape.kind) {
    case "number":
      return `CAST(if(${type} IN ('Int64', 'UInt64', 'Double'), JSONExtractFloat(${at}), NULL) AS Nullable(Float64))`;
    case "boolean":
      return `CAST(if(${type} = 'Bool', JSONExtractBool(${at}) = 1, NULL) AS Nullable(Bool))`;
    case "date": {
      const s = `JSONExtractString(${at})`;
      return `if(${type} = 'String' AND match(${s}, ${lit(ISO)}), ${instant(`replaceOne(${s}, ' ', 'T')`, tz)}, ${nullOf(shape)})`;
    }
    case "enum": {
      const s = `normalizeUTF8NFC(JSONExtractString(${at}))`;
      return `CAST(if(${type} = 'String' AND ${s} IN (${shape.values.map((v) => lit(v.normalize("NFC"))).join(", ")}), ${s}, NULL) AS Nullable(String))`;
    }
    default:
      return `CAST(if(${type} = 'String', normalizeUTF8NFC(JSONExtractString(${at})), NULL) AS Nullable(String))`;
  }
}

/** The columns of one JSON field of document `doc` (a list: its elements, and its `_missing` flag when it is not an array). */
function jsonColumns(doc: string, name: string, shape: Shape, tz: string): string[] {
  const at = `${doc}, ${lit(name)}`;
  if (shape.kind !== "array") return [`${jsonScalar(at, shape, tz)} AS ${ident(name)}`];
  const isArray = `JSONType(${at}) = 'Array'`;
  const values = `arrayMap(e -> ${jsonScalar("concat('[', e, ']'), 1", shape.element, tz)}, JSONExtractArrayRaw(${at}))`;
  return [`if(${isArray}, CAST(${values} AS Array(Nullable(${scalarType(shape.element)}))), ${emptyOf(shape)}) AS ${ident(name)}`, `toUInt8(NOT (${isArray})) AS ${ident(`${name}_missing`)}`];
}

/** The key of a row: its number in the file (20 digits, so that the text sorts as the number) and its `--id` as JSON text. */
const keyOf = (row: string, idJson: string) => `concat(leftPad(toString(${row}), 20, '0'), ':', ${idJson}) AS ${ident(KEY)}`;

/**
 * The file read once into a `MergeTree` table in the session's directory, sorted by `order` (the
 * records by row number, a child table by its record's): the rules' SELECT then reads columns
 * already converted, instead of parsing the file again in every subquery that reads the view.
 * `allow_nullable_key`: the row number under the children's `arrayJoin` reads as `Nullable`.
 */
const table = (name: string, order: string, select: string) => `CREATE TABLE ${stored(name)} ENGINE = MergeTree ORDER BY ${order} SETTINGS allow_nullable_key = 1 AS ${select}`;
/** The table that holds what the view `name` shows (all of it, or a batch's rows). */
const stored = (name: string) => `${name}_all`;

/** A list of objects as a child table: one row per element (JSON text), the record's row number as foreign key. */
function childView(i: number, shape: ListShape, elements: string, from: string, tz: string): string {
  const element = shape.element as Shape & { kind: "object" };
  const fields = [...element.fields].flatMap(([k, s]) => jsonColumns("e", k, s, tz));
  return table(childTable(i + 1), PARENT, `SELECT ${PARENT}, ${fields.join(", ")} FROM (SELECT _row_number AS ${PARENT}, arrayJoin(${elements}) AS e FROM ${from})`);
}

/** ClickHouse's name for a Parquet column's type, without `Nullable(…)`. */
const bare = (t: string) => t.replace(/^Nullable\((.*)\)$/, "$1");

/** A Parquet column `c` of ClickHouse type `type` as a scalar field's value: kept when of the field's type, else NULL. */
function parquetScalar(c: string, type: string, shape: Shape, tz: string): string {
  const t = bare(type);
  const numeric = /^(U?Int\d+|Float\d+|Decimal.*)$/.test(t);
  switch (shape.kind) {
    case "number":
      return numeric ? `CAST(if(isNaN(toFloat64(${c})), NULL, toFloat64(${c})) AS Nullable(Float64))` : nullOf(shape);
    case "boolean":
      return t === "Bool" ? `CAST(${c} AS Nullable(Bool))` : nullOf(shape);
    case "date":
      if (/^DateTime64\(\d+, '.*'\)$/.test(t)) return `CAST(toTimeZone(${c}, 'UTC') AS Nullable(${TYPES.date}))`;
      // A time without zone (or a day): its wall-clock text read in --tz.
      if (/^(Date|Date32|DateTime|DateTime64\(\d+\))$/.test(t)) return `CAST(toTimeZone(toDateTime64(toString(${c}), 6, ${lit(tz)}), 'UTC') AS Nullable(${TYPES.date}))`;
      if (t === "String") return `if(match(${c}, ${lit(ISO)}), ${instant(`replaceOne(${c}, ' ', 'T')`, tz)}, ${nullOf(shape)})`;
      return nullOf(shape);
    case "enum":
      return t === "String" ? `CAST(if(normalizeUTF8NFC(${c}) IN (${shape.values.map((v) => lit(v.normalize("NFC"))).join(", ")}), normalizeUTF8NFC(${c}), NULL) AS Nullable(String))` : nullOf(shape);
    default:
      return t === "String" ? `CAST(normalizeUTF8NFC(${c}) AS Nullable(String))` : nullOf(shape);
  }
}

/** The columns of one Parquet field (a list: `Array(T)` read element by element; never missing, Parquet lists being not nullable here). */
function parquetColumns(name: string, type: string | undefined, shape: Shape, tz: string): string[] {
  const c = ident(name);
  if (shape.kind !== "array") return [`${type === undefined ? nullOf(shape) : parquetScalar(c, type, shape, tz)} AS ${c}`];
  const inner = type === undefined ? undefined : /^Array\((.*)\)$/.exec(bare(type))?.[1];
  if (inner === undefined) return [`${emptyOf(shape)} AS ${c}`, `toUInt8(1) AS ${ident(`${name}_missing`)}`];
  return [`CAST(arrayMap(e -> ${parquetScalar("e", inner, shape.element, tz)}, ${c}) AS Array(Nullable(${scalarType(shape.element)}))) AS ${c}`, `toUInt8(0) AS ${ident(`${name}_missing`)}`];
}

/** The statements that read the file into its tables (with `types`, a Parquet file's column types). */
export function clickhouseViewSQL(input: EngineInput, idField: string, tz: string, io: CliIo, types?: ReadonlyMap<string, string>): string[] {
  const file = lit(pathIn(io, input.path));
  if (input.format === "csv") {
    const header = input.header ?? [];
    const decimalComma = (input.delimiter ?? ",") !== ",";
    const matched: readonly Column[] = matchColumns(header, input.fields, input.map).columns;
    const byField = new Map(matched.filter((c) => c.path.length === 1).map((c) => [c.path[0]!, c]));
    // Columns by position (`c1`, `c2`…: the header's names could be the fields' own, which the
    // view's aliases would shadow); cells trimmed of spaces and tabs, as csv-parse's `trim`.
    const position = new Map(header.map((h, i) => [h, `c${i + 1}`]));
    const cell = (c: string) => `trim(BOTH ' \\t' FROM ${position.get(c)!})`;
    const cols = [...input.fields].flatMap(([name, shape]) => {
      const col = byField.get(name);
      return csvColumns(name, col ? cell(col.name) : undefined, shape, decimalComma, tz);
    });
    const idCol = matched.find((c) => c.path.length === 1 && c.path[0] === idField);
    const raw = idCol ? `nullIf(${cell(idCol.name)}, '')` : "NULL";
    // The id as the record holds it: the coerced value (a date as its ISO text), or the cell.
    const json = (v: string) => `if(${v} IS NULL, 'null', toJSONString(assumeNotNull(${v})))`;
    const idJson = !idCol
      ? "'null'"
      : idCol.shape?.kind === "date"
        ? `if(${raw} IS NULL, 'null', toJSONString(coalesce(${dateText(`assumeNotNull(${raw})`)}, assumeNotNull(${raw}))))`
        : idCol.shape?.kind === "number" || idCol.shape?.kind === "boolean"
          ? `if(${raw} IS NULL, 'null', coalesce(toJSONString(${csvScalar(`assumeNotNull(${raw})`, idCol.shape, decimalComma, tz)}), toJSONString(assumeNotNull(${raw}))))`
          : json(raw);
    const structure = lit(header.map((_, i) => `c${i + 1} Nullable(String)`).join(", "));
    // A blank line reads as a row whose first cell is empty and whose others are missing (csv-parse skips it).
    const blank = header.length ? `NOT (c1 = '' AND ${header.slice(1).map((_, i) => `c${i + 2} IS NULL`).concat("true").join(" AND ")})` : "true";
    return [table(VIEW, ident(KEY), `SELECT ${keyOf("_row_number", idJson)}, ${cols.join(", ")} FROM file(${file}, 'CSVWithNames', ${structure}) WHERE ${blank}`)];
  }
  const lists = childLists(input);
  const isList = (name: string) => lists.some(([n]) => n === name);
  if (input.format === "parquet") {
    const t = types ?? new Map<string, string>();
    const cols = [...input.fields].filter(([n]) => !isList(n)).flatMap(([name, shape]) => parquetColumns(name, t.get(name), shape, tz));
    const idJson = t.has(idField) ? `if(${ident(idField)} IS NULL, 'null', toJSONString(assumeNotNull(${ident(idField)})))` : "'null'";
    const from = `file(${file}, 'Parquet')`;
    // A list of structs: each element as a JSON object (dates in ISO with `Z`: the session's date_time_output_format), then read as NDJSON elements are.
    const children = lists.map(([name, shape], i) => childView(i, shape, t.has(name) && /^Array\(Tuple\(/.test(bare(t.get(name)!)) ? `arrayMap(x -> toJSONString(x), ${ident(name)})` : "CAST([] AS Array(String))", from, tz));
    return [table(VIEW, ident(KEY), `SELECT ${keyOf("_row_number", idJson)}, _row_number AS ${ROW}${cols.length ? ", " : ""}${cols.join(", ")} FROM ${from}`), ...children];
  }
  const from = `file(${file}, 'JSONAsString', 'raw String')`;
  const cols = [...input.fields].filter(([n]) => !isList(n)).flatMap(([name, shape]) => jsonColumns("raw", name, shape, tz));
  const idJson = `if(JSONType(raw, ${lit(idField)}) = 'Null', 'null', JSONExtractRaw(raw, ${lit(idField)}))`;
  const children = lists.map(([name, shape], i) => childView(i, shape, `if(JSONType(raw, ${lit(name)}) = 'Array', JSONExtractArrayRaw(raw, ${lit(name)}), CAST([] AS Array(String)))`, from, tz));
  return [table(VIEW, ident(KEY), `SELECT ${keyOf("_row_number", idJson)}, _row_number AS ${ROW}${cols.length ? ", " : ""}${cols.join(", ")} FROM ${from}`), ...children];
}

/** The session's settings: CSV read as csv-parse reads it, dates written in ISO (`Z`) by toJSONString. */
function settings(input: EngineInput): string[] {
  const out = [
    "SET session_timezone = 'UTC'",
    "SET date_time_output_format = 'iso'",
    "SET format_csv_allow_single_quotes = 0",
    "SET input_format_csv_allow_variable_number_of_columns = 1",
    "SET input_format_csv_empty_as_default = 0",
    "SET input_format_csv_trim_whitespaces = 1",
    "SET input_format_with_names_use_header = 0",
    // The SQL's semantics rely on these defaults (docs/sql.md, "ClickHouse").
    "SET transform_null_in = 0",
    "SET aggregate_functions_null_for_empty = 0",
  ];
  if (input.format === "csv") out.push(`SET format_csv_delimiter = ${lit(input.delimiter ?? ",")}`);
  return out;
}

/** The table of the ranked columns (quantile tiers, RFM), computed over all the records. */
const RANKS = "cible_ranks";
/** A row number as the key's text starts with it. */
const pad = (n: number) => String(n).padStart(20, "0");

/** Points the views at every row (no `range`) or at the rows numbered in [lo, hi). */
function showRows(session: Session, children: readonly string[], range?: readonly [number, number]): void {
  const where = (column: string, bound: (n: number) => string) => (range ? ` WHERE ${column} >= ${bound(range[0])} AND ${column} < ${bound(range[1])}` : "");
  session.query(`CREATE OR REPLACE VIEW ${VIEW} AS SELECT * FROM ${stored(VIEW)}${where(ident(KEY), (n) => lit(pad(n)))}`);
  for (const child of children) session.query(`CREATE OR REPLACE VIEW ${child} AS SELECT * FROM ${stored(child)}${where(PARENT, String)}`);
}

/** The first and last row numbers of the records (last < first when there are none). */
function rowRange(session: Session): [number, number] {
  const out = session.query(`SELECT toString(min(n)), toString(max(n)), count() FROM (SELECT toUInt64(substring(${ident(KEY)}, 1, 20)) AS n FROM ${stored(VIEW)})`, "TSV").trim().split("\t");
  return Number(out[2]) === 0 ? [0, -1] : [Number(out[0]), Number(out[1])];
}

/** `--engine clickhouse`: chdb, a session in a temporary directory (removed at the end). */
export const clickhouseEngine: SqlEngine = {
  name: "clickhouse",
  label: "ClickHouse",
  async open(input, io, { idField, timeZone }): Promise<EngineSession> {
    const limit = memoryLimit(io.env);
    // The rules' SELECT runs over this many records at a time (the views show a batch of the
    // tables): what ClickHouse holds for a query — the per-record maps of aggregates over child
    // tables, the sort into file order — grows with the batch, not with the file.
    const batch = batchSize(io.env);
    const chdb = await loadEnginePackage<typeof import("chdb")>("clickhouse");
    const session: Session = new chdb.Session();
    try {
      for (const s of [...settings(input), ...memorySettings(limit)]) session.query(s);
      let types: Map<string, string> | undefined;
      if (input.format === "parquet") {
        const described = session.query(`DESCRIBE file(${lit(pathIn(io, input.path))}, 'Parquet')`, "JSONEachRow");
        types = new Map(described.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { name: string; type: string }).map((r) => [r.name, r.type]));
        for (const [name, shape] of input.fields) {
          const t = types.get(name);
          const child = shape.kind === "array" && shape.element.kind === "object" && /^Array\(Tuple\(/.test(bare(t ?? ""));
          if (t !== undefined && !child && /Tuple|Map/.test(t)) throw new CliError(`--engine clickhouse needs flat data for now: the column ${name} of ${input.path} is ${t}`, EXIT.failure, "flatten the file");
        }
      }
      for (const statement of clickhouseViewSQL(input, idField, timeZone, io, types)) session.query(statement);
    } catch (e) {
      session.close();
      if (e instanceof CliError) throw e;
      throw new CliError(`ClickHouse cannot read ${input.path}: ${(e as Error).message}`, EXIT.failure);
    }
    const failed = (e: Error) => engineFailure("ClickHouse", input, e);
    return {
      async *rows(sql, params, ranked) {
        const bound = Object.fromEntries(params.map((p, i) => [`p${i + 1}`, p]));
        const children = childLists(input).map((_, i) => childTable(i + 1));
        try {
          showRows(session, children);
          const [first, last] = rowRange(session);
          // The ranked columns first, over every row (their own narrow query: ClickHouse leaves
          // out the columns it does not need), kept in a table sorted by key.
          const rankedSQL = ranked.map(ident);
          if (rankedSQL.length) session.queryBind(`CREATE TABLE ${RANKS} ENGINE = MergeTree ORDER BY ${ident(KEY)} SETTINGS allow_nullable_key = 1 AS SELECT ${ident(KEY)}, ${rankedSQL.join(", ")} FROM (${sql})`, bound);
          for (let lo = first; lo <= last; lo += batch) {
            const hi = lo + batch;
            showRows(session, children, [lo, hi]);
            const keys = `${ident(KEY)} >= ${lit(pad(lo))} AND ${ident(KEY)} < ${lit(pad(hi))}`;
            // In file order: the key's text starts with the row number, 20 digits. The ranked
            // columns named by alias (ClickHouse names a joined `r.*` column `r.<name>`).
            const query = rankedSQL.length
              ? `SELECT q.* EXCEPT (${rankedSQL.join(", ")}), ${rankedSQL.map((c) => `r.${c} AS ${c}`).join(", ")} FROM (${sql}) AS q LEFT JOIN (SELECT * FROM ${RANKS} WHERE ${keys}) AS r ON q.${ident(KEY)} = r.${ident(KEY)} ORDER BY q.${ident(KEY)} SETTINGS join_use_nulls = 1`
              : `SELECT * FROM (${sql}) AS q ORDER BY q.${ident(KEY)}`;
            for await (const chunk of session.queryStreamBind(query, bound, { format: "JSONEachRow" })) yield* chunk.rows<Record<string, unknown>>();
          }
        } catch (e) {
          throw failed(e as Error);
        }
      },
      idOf(row) {
        const key = row[KEY] as string;
        return JSON.parse(key.slice(key.indexOf(":") + 1));
      },
      close: () => session.close(),
    };
  },
};
