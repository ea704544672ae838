/**
 * `--engine duckdb`: the whole rules file runs inside DuckDB over the data file itself. A view
 * reads the file as the CLI's own reader does (CSV cells coerced as coerce.ts coerces them, NDJSON
 * values kept only when of the field's type, text in NFC, dates read in `--tz`), `rulesToSQL`
 * gives one SELECT over it, and its rows come back chunk by chunk, each turned into the line
 * `rules.evaluate` would have written. The Node process never holds the records.
 *
 * Scope: scalars and lists of scalars at the top level; in NDJSON, also lists of objects of those
 * (one child table each, `unnest`ed from the file). Nested objects, lists of objects in CSV or
 * Parquet, and lists inside elements are refused with exit 2, as is standard input. Parquet columns are read
 * by their DuckDB type (`--schema` required).
 */
import type { CompiledRules, EvalContext, RulesEvaluation } from "../index.js";
import { rulesToSQL } from "../sql.js";
import { type Column, matchColumns } from "./coerce.js";
import { type CliIo, CliError, EXIT, pathIn } from "./io.js";
import type { LineSink, RunSummary } from "./engine.js";
import type { Progress } from "./progress.js";
import type { Shape } from "./shape.js";
import { EvaluationTally, type TiersSummary } from "./stats.js";
import type { RfmSummary } from "./population.js";

type Rules = CompiledRules<Record<string, unknown>>;

/** What the run knows of the data once its header (CSV) or schema is read. */
export interface DuckDBInput {
  /** The path as given. */
  readonly path: string;
  readonly format: "csv" | "ndjson" | "parquet";
  readonly delimiter: string | undefined;
  /** CSV: the header. */
  readonly header: readonly string[] | undefined;
  /** Top-level fields of the schema. */
  readonly fields: ReadonlyMap<string, Shape>;
  /** `--map`. */
  readonly map: ReadonlyMap<string, string>;
}

export interface DuckDBRunOptions {
  readonly ctx: EvalContext & { now: Date; timeZone: string };
  readonly out?: LineSink;
  readonly idField: string;
  readonly channel?: string;
  readonly progress: Progress;
}

/** The key of the view's rows: a struct of the row's number in the file and its `--id` as JSON text. */
const KEY = "_cible_key";
const VIEW = "cible_records";

/** Loads @duckdb/node-api, an optional peer dependency. */
async function loadDuckDB(): Promise<typeof import("@duckdb/node-api")> {
  try {
    return await import("@duckdb/node-api");
  } catch {
    throw new CliError("--engine duckdb needs the package @duckdb/node-api, which is not installed", EXIT.failure, "install it next to cible: npm install @duckdb/node-api");
  }
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The whitespace JavaScript's `\s` matches, for RE2 (DuckDB's regular expressions). */
const SPACE = "[\\s\\x{000B}\\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]";
const TRUE = ["true", "yes", "y", "oui", "o", "vrai", "1", "x"];
const FALSE = ["false", "no", "n", "non", "faux", "0"];
const ISO = "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$";
const DAY_FIRST = "^(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4})([ T](\\d{1,2}):(\\d{2})(:(\\d{2}))?)?$";

/** A flat field's shape, or why it is not flat; with `lists`, a list of objects of flat scalars is fine (a child table). */
function flatProblem(name: string, shape: Shape, lists = false): string | undefined {
  if (shape.kind === "object") return `the field ${name} is an object`;
  if (shape.kind === "array" && shape.element.kind === "object") {
    if (!lists) return `the field ${name} is a list of objects`;
    for (const [k, s] of shape.element.fields) {
      const p = flatProblem(`${name}.${k}`, s);
      if (p) return p;
    }
    return undefined;
  }
  if (shape.kind === "array" && shape.element.kind === "array") return `the field ${name} is a list of lists`;
  return undefined;
}

/** The lists of objects an NDJSON or Parquet file's records hold, read into child tables. */
function childLists(input: DuckDBInput): [string, Shape & { kind: "array" }][] {
  if (input.format === "csv") return [];
  return [...input.fields].filter((e): e is [string, Shape & { kind: "array" }] => e[1].kind === "array" && e[1].element.kind === "object");
}

const ROW = "_cible_row";
const PARENT = "_cible_parent";
const childTable = (i: number) => `cible_child_${i}`;

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
    `CREATE MACRO cible_boolean(t) AS CASE WHEN lower(t) IN (${TRUE.map(lit).join(", ")}) THEN TRUE WHEN lower(t) IN (${FALSE.map(lit).join(", ")}) THEN FALSE END`,
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

/** A list of objects as a child table: one row per element (a JSON object), the record's row number as foreign key. */
function childView(i: number, shape: Shape & { kind: "array" }, list: string, read: string, timeZone: string): string {
  const element = shape.element as Shape & { kind: "object" };
  const fields = [...element.fields].map(([k, s]) => `${jsonValue(`json_extract(e, ${lit(`$.${JSON.stringify(k)}`)})`, s, timeZone)} AS ${ident(k)}`);
  return `CREATE VIEW ${childTable(i + 1)} AS SELECT ${PARENT}, ${fields.join(", ")} FROM (SELECT ${PARENT}, unnest(l) AS e FROM (SELECT row_number() OVER () AS ${PARENT}, ${list} AS l FROM ${read}))`;
}

/** The view over the file: `_cible_key` (the row's number in the file and its `--id` as JSON text), then one column per field. */
export function viewSQL(input: DuckDBInput, idField: string, timeZone: string, io: CliIo, parquetTypes?: ReadonlyMap<string, string>): string[] {
  const file = lit(pathIn(io, input.path));
  const cols: string[] = [];
  const key = (id: string) => `{'row': row_number() OVER (), 'id': CAST(${id} AS VARCHAR)} AS ${ident(KEY)}`;
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
    const types = parquetTypes ?? new Map<string, string>();
    for (const [name, shape] of input.fields) {
      if (isList(name)) continue;
      const type = types.get(name);
      cols.push(`${type === undefined ? `NULL::${sqlType(shape)}` : parquetValue(ident(name), type, shape, timeZone)} AS ${ident(name)}`);
    }
    cols.unshift(key(types.has(idField) ? `to_json(${ident(idField)})` : "NULL"));
    const read = `read_parquet(${file})`;
    if (lists.length) cols.push(`row_number() OVER () AS ${ident(ROW)}`);
    // A LIST(STRUCT) column: its elements as JSON objects, then read as NDJSON elements are (a
    // TIMESTAMPTZ comes out of to_json as `… 10:00:00+00`: its offset completed to `+00:00`).
    const asJson = (c: string) => `CAST(regexp_replace(CAST(to_json(${c}) AS VARCHAR), '("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)?[+-]\\d{2})"', '\\1:00"', 'g') AS JSON[])`;
    const children = lists.map(([name, shape], i) => childView(i, shape, types.has(name) ? asJson(ident(name)) : "NULL::JSON[]", read, timeZone));
    return [`CREATE VIEW ${VIEW} AS SELECT ${cols.join(", ")} FROM ${read}`, ...children];
  }
  const names = new Set([...input.fields.keys(), idField]);
  for (const [name, shape] of input.fields) if (!isList(name)) cols.push(`${jsonValue(ident(name), shape, timeZone)} AS ${ident(name)}`);
  cols.unshift(key(ident(idField)));
  if (lists.length) cols.push(`row_number() OVER () AS ${ident(ROW)}`);
  const types = `{${[...names].map((n) => `${lit(n)}: 'JSON'`).join(", ")}}`;
  const read = `read_json(${file}, format = 'newline_delimited', columns = ${types})`;
  const children = lists.map(([name, shape], i) => childView(i, shape, `CASE WHEN json_type(${ident(name)}) = 'ARRAY' THEN CAST(${ident(name)} AS JSON[]) END`, read, timeZone));
  return [`CREATE VIEW ${VIEW} AS SELECT ${cols.join(", ")} FROM ${read}`, ...children];
}

/** Refuses what `--engine duckdb` cannot read yet (exit 2). */
export function checkDuckDBInput(input: DuckDBInput): void {
  const problems = [...input.fields].map(([n, s]) => flatProblem(n, s, input.format !== "csv")).filter((p) => p !== undefined);
  if (problems.length) {
    throw new CliError(`--engine duckdb needs flat data for now: ${problems.join(", ")}`, EXIT.failure, "run without --engine (the in-process engine reads nested records), or flatten the file");
  }
  for (const [column, field] of input.map) {
    if (field.includes(".") && !input.fields.has(field)) throw new CliError(`--engine duckdb needs flat data for now: --map "${column}=${field}" fills a nested field`, EXIT.failure, "run without --engine");
  }
}

/** Runs the rules inside DuckDB over the file and writes the same `--out` lines as `evaluateAll`. */
export async function evaluateInDuckDB(rules: Rules, input: DuckDBInput, io: CliIo, options: DuckDBRunOptions): Promise<RunSummary> {
  const started = Date.now();
  const duck = await loadDuckDB();
  checkDuckDBInput(input);
  const { ctx, out, idField, channel, progress } = options;
  const children = Object.fromEntries(childLists(input).map(([name], i) => [name, { table: childTable(i + 1), foreignKey: PARENT, key: ROW }]));
  const { sql, params } = rulesToSQL(rules, { dialect: "duckdb", table: VIEW, key: KEY, now: ctx.now, timeZone: ctx.timeZone, params: ctx.params as never, children });
  const db = await duck.DuckDBInstance.create(":memory:");
  const conn = await db.connect();
  const tally = new EvaluationTally(rules);
  const segmentNames = Object.keys(rules.segments);
  const channelNames = Object.keys(rules.channels);
  const scoreNames = Object.keys(rules.scores);
  const stageNames = Object.keys(rules.lifecycles);
  const thresholdNames = Object.keys(rules.tiers).filter((n) => rules.tiers[n]!.method === "thresholds");
  const quantileNames = Object.keys(rules.tiers).filter((n) => rules.tiers[n]!.method !== "thresholds");
  const splitNames = Object.keys(rules.splits);
  const rfmNames = Object.keys(rules.rfm);
  const quantileCounts = new Map(quantileNames.map((n) => [n, new Map<string | null, number>()]));
  const rfmCounts = new Map(rfmNames.map((n) => [n, { names: new Map<string, number>(), grid: [0, 1, 2, 3, 4].map(() => [0, 0, 0, 0, 0]), monetary: [0, 0, 0, 0, 0], unscored: 0 }]));
  const at = channel === undefined ? -1 : channelNames.indexOf(channel);
  const hasSegments = segmentNames.length > 0;
  let written = 0;
  try {
    await conn.run("SET TimeZone = 'UTC'");
    for (const m of macros()) await conn.run(m);
    try {
      let types: Map<string, string> | undefined;
      if (input.format === "parquet") {
        const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${lit(pathIn(io, input.path))})`);
        types = new Map(described.getRowObjectsJS().map((r) => [String(r.column_name), String(r.column_type)]));
        for (const name of input.fields.keys()) {
          const t = types.get(name);
          const shape = input.fields.get(name)!;
          const child = shape.kind === "array" && shape.element.kind === "object" && /^STRUCT\(.*\)\[\]$/.test(t ?? "");
          if (t !== undefined && !child && /STRUCT|MAP/.test(t)) throw new CliError(`--engine duckdb needs flat data for now: the column ${name} of ${input.path} is ${t}`, EXIT.failure, "flatten the file");
        }
      }
      for (const statement of viewSQL(input, idField, ctx.timeZone, io, types)) await conn.run(statement);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`DuckDB cannot read ${input.path}: ${(e as Error).message}`, EXIT.failure);
    }
    // One scan of the file; the rows back in file order (window functions of quantile tiers reorder them).
    const query = `SELECT * FROM (${sql}) AS q ORDER BY struct_extract(q.${ident(KEY)}, 'row')`;
    const result = await conn.stream(query, params as never).catch((e: Error) => {
      throw new CliError(`DuckDB cannot run the rules over ${input.path}: ${e.message}`, EXIT.failure, "run without --engine: the in-process engine lists the lines it cannot read and goes on");
    });
    const names = result.columnNames();
    for (;;) {
      const chunk = await result.fetchChunk().catch((e: Error) => {
        throw new CliError(`DuckDB cannot run the rules over ${input.path}: ${e.message}`, EXIT.failure, "run without --engine: the in-process engine lists the lines it cannot read and goes on");
      });
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRowObjects(names) as Record<string, unknown>[]) {
        const segments = segmentNames.filter((n) => row[n] === true);
        const e: RulesEvaluation = { segments, scores: Object.create(null), stages: Object.create(null), tiers: Object.create(null), reachable: Object.create(null), splits: Object.create(null) };
        const truths = channelNames.map((n) => (row[n] as boolean | null) ?? null);
        channelNames.forEach((n, i) => (e.reachable[n] = truths[i] === true ? segments.slice() : []));
        for (const n of scoreNames) e.scores[n] = row[n] as number;
        for (const n of stageNames) e.stages[n] = (row[n] as string | null) ?? null;
        for (const n of thresholdNames) e.tiers[n] = (row[n] as string | null) ?? null;
        for (const n of splitNames) e.splits[n] = (row[n] as string | null) ?? null;
        tally.add(e, truths);
        for (const [n, counts] of quantileCounts) {
          const t = (row[n] as string | null) ?? null;
          counts.set(t, (counts.get(t) ?? 0) + 1);
        }
        for (const [n, c] of rfmCounts) {
          const name = row[n] as string | null;
          if (name === null) {
            c.unscored++;
            continue;
          }
          c.names.set(name, (c.names.get(name) ?? 0) + 1);
          const [r, f, m] = [row[`${n}_r`], row[`${n}_f`], row[`${n}_m`]] as (number | null)[];
          if (r !== null && f !== null && m !== null) {
            c.grid[r! - 1]![f! - 1]!++;
            c.monetary[m! - 1]!++;
          }
        }
        if (out && (channel === undefined || (hasSegments ? e.reachable[channel]!.length > 0 : truths[at] === true))) {
          const idText = (row[KEY] as { entries: { id: string | null } }).entries.id;
          const id: unknown = idText === null ? null : JSON.parse(idText);
          await out.write(JSON.stringify(id === undefined || id === null ? e : { id, ...e }));
          written++;
        }
        progress.tick(tally.total);
      }
    }
  } catch (e) {
    progress.stop();
    conn.closeSync();
    await out?.abort();
    throw e;
  }
  progress.stop();
  conn.closeSync();
  await out?.close();
  const thresholds = new Map(tally.thresholdSummaries().map((t) => [t.name, t]));
  const tiers: TiersSummary[] = [];
  for (const name of Object.keys(rules.tiers)) {
    const counts = quantileCounts.get(name);
    if (counts) {
      const t = rules.tiers[name]!;
      const lines = t.method === "quantiles" ? t.names : [];
      tiers.push({ name, method: "quantiles", tiers: lines.map((n) => ({ name: n, count: counts.get(n) ?? 0 })), unknown: counts.get(null) ?? 0, cuts: [], dates: false });
    } else if (thresholds.has(name)) tiers.push(thresholds.get(name)!);
  }
  const rfm: RfmSummary[] = rfmNames.map((name) => {
    const c = rfmCounts.get(name)!;
    const names = [...c.names].map(([n, count]) => ({ name: n as RfmSummary["names"][number]["name"], count })).sort((a, b) => b.count - a.count);
    return { name, names, grid: c.grid, monetary: c.monetary, unscored: c.unscored, cuts: { recency: [], frequency: [], monetary: [] } };
  });
  return {
    records: tally.total,
    seconds: (Date.now() - started) / 1000,
    segments: tally.segments(),
    scores: tally.scoreSummaries(),
    lifecycles: tally.lifecycleSummaries(),
    tiers,
    rfm,
    channels: tally.channelSummaries(),
    splits: tally.splitSummaries(),
    written: out ? written : undefined,
  };
}
