/**
 * Records from a data file, typed by a schema: the schema given with `--schema`, or one inferred
 * from the first records (which are kept aside meanwhile and then read like the others, so
 * standard input works too).
 */
import { type CliIo, CliError, EXIT, colorsFor } from "./io.js";
import { type ColumnMatch, ColumnMapError, Problems, csvRecordReader, matchColumns } from "./coerce.js";
import { readColumnMap } from "./options.js";
import { type DataOptions, type DataSource, type Row, openData } from "./data.js";
import { SchemaInference } from "./infer.js";
import { type LoadedSchema, fromJsonSchema, loadSchema } from "./schema.js";

export type Rec = Record<string, unknown>;

export interface RecordInput {
  readonly data: DataSource;
  readonly schema: LoadedSchema;
  /** The JSON Schema inferred from the data, when no `--schema` was given. */
  readonly inferred?: Record<string, unknown>;
  /** CSV cells that did not read as their column's type. */
  readonly problems: Problems;
  /** The records, in file order. */
  readonly records: AsyncGenerator<Rec>;
  /** Stops reading (when not every record is needed). */
  close(): Promise<void>;
}

export interface RecordInputOptions extends DataOptions {
  /** `--schema`; without it, a schema is inferred. */
  readonly schema?: string;
  /** How many records to infer a schema from (default 1000). */
  readonly sample?: number;
  /** `--map`: `Column=field` entries or `@file.json`. */
  readonly map?: readonly string[];
  /** `--strict`: stop when a field of the schema has no CSV column. */
  readonly strict?: boolean;
}

/** Opens a data file and its schema; reading starts with the first `records` pulled (or inference). */
export async function openRecords(path: string, io: CliIo, options: RecordInputOptions): Promise<RecordInput> {
  const data = openData(path, io, options);
  const rows = data.rows();
  const problems = new Problems();
  let schema: LoadedSchema;
  let inferred: Record<string, unknown> | undefined;
  const head: Row[] = [];
  const explicit = readColumnMap(options.map ?? [], io);
  const renamed = (row: Row): Row => {
    if (row.kind !== "csv" || explicit.size === 0) return row;
    const cells: Record<string, string> = {};
    for (const [k, v] of Object.entries(row.cells)) cells[explicit.get(k) ?? k] = v;
    return { kind: "csv", cells };
  };
  if (options.schema) {
    schema = await loadSchema(options.schema, io);
    // The first row, to learn the CSV header before any record is evaluated (a Parquet file has none to learn).
    if (data.format() !== "parquet") {
      const first = await rows.next();
      if (!first.done) head.push(first.value);
    }
  } else {
    const sample = options.sample ?? 1000;
    let inference: SchemaInference | undefined;
    for (let i = 0; i < sample; i++) {
      const next = await rows.next();
      if (next.done) break;
      inference ??= new SchemaInference(data.format() === "csv" && data.delimiter() !== ",");
      inference.add(renamed(next.value));
      head.push(next.value);
    }
    if (!inference) {
      await rows.return(undefined);
      throw new CliError(`${data.name} has no records to infer a schema from`, EXIT.failure, "pass the schema with --schema");
    }
    inferred = inference.jsonSchema();
    schema = fromJsonSchema(inferred, `inferred from ${inference.count} record${inference.count === 1 ? "" : "s"} of ${data.name}`);
  }
  let match: ColumnMatch | undefined;
  if (data.format() === "csv") {
    try {
      match = matchColumns(data.columns() ?? [], schema.fields, explicit);
    } catch (e) {
      await rows.return(undefined);
      if (!(e instanceof ColumnMapError)) throw e;
      throw new CliError(`${data.name}: ${e.message}`, EXIT.failure, e.names.length ? `it has: ${e.names.map((n) => JSON.stringify(n)).join(", ")}` : undefined);
    }
    sayColumns(data.name, match, io);
    if (options.strict && match.missing.length) {
      await rows.return(undefined);
      throw new CliError(
        `${data.name} has no column for ${match.missing.length === 1 ? "the field" : "the fields"} ${match.missing.join(", ")} of the schema (--strict)`,
        EXIT.failure,
        `rename the column in the file, or map it: --map "Column name=${match.missing[0]}"`,
      );
    }
  } else if (explicit.size > 0 && data.format() === "ndjson") {
    await rows.return(undefined);
    throw new CliError(`--map renames CSV columns, and ${data.name} is NDJSON`, EXIT.failure, "NDJSON keys are the field names: rename them in the file");
  }
  const records = (async function* (): AsyncGenerator<Rec> {
    let read: ((cells: Record<string, string>, n: number) => Rec) | undefined;
    let n = 0;
    const toRecord = (row: Row): Rec => {
      n++;
      if (row.kind === "json") return row.value as Rec;
      read ??= csvRecordReader(match?.columns ?? matchColumns(Object.keys(row.cells), schema.fields).columns, { decimalComma: data.delimiter() !== ",", problems });
      return read(row.cells, n);
    };
    for (const row of head) yield toRecord(row);
    head.length = 0;
    for await (const row of rows) yield toRecord(row);
  })();
  const close = async () => {
    await rows.return(undefined);
  };
  return { data, schema, inferred, problems, records, close };
}

/** At most `max` names, quoted, then how many more. */
function someNames(names: readonly string[], max = 10): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n)).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * Says, on stderr, how the CSV header fits the schema: fields no column fills (rules see them
 * missing in every record), columns that match no field, and names that read alike.
 */
export function sayColumns(name: string, match: ColumnMatch, io: CliIo): void {
  const c = colorsFor(io.stderr, io.env);
  const warn = (text: string) => io.stderr.write(`${c.yellow("cible:")} ${text}
`);
  for (const k of match.collisions) {
    const cols = k.columns.map((x) => JSON.stringify(x)).join(", ");
    warn(`${name}: ${k.columns.length === 1 ? "the column" : "the columns"} ${cols} and ${k.fields.length === 1 ? "the field" : "the fields"} ${k.fields.join(", ")} read alike: none is matched`);
    io.stderr.write(`  ${c.cyan("hint:")} say which is which: --map "${k.columns[0]}=${k.fields[0]}"\n`);
  }
  if (match.missing.length) {
    warn(`${name} has no column for ${match.missing.length === 1 ? "the field" : `${match.missing.length} fields`} ${match.missing.join(", ")} of the schema: rules see ${match.missing.length === 1 ? "it" : "them"} missing in every record`);
    io.stderr.write(`  ${c.cyan("hint:")} rename the column, or map it: --map "Column name=${match.missing[0]}" (--strict stops here)\n`);
  }
  if (match.extra.length) {
    warn(`${name}: ${match.extra.length === 1 ? "the column" : `${match.extra.length} columns`} ${someNames(match.extra)} ${match.extra.length === 1 ? "matches" : "match"} no field of the schema (kept as text under ${match.extra.length === 1 ? "its" : "their"} own name)`);
  }
}
