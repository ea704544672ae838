/**
 * Records from a data file, typed by a schema: the schema given with `--schema`, or one inferred
 * from the first records (which are kept aside meanwhile and then read like the others, so
 * standard input works too).
 */
import { type CliIo, CliError, EXIT } from "./io.js";
import { Problems, csvRecordReader } from "./coerce.js";
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
}

/** Opens a data file and its schema; reading starts with the first `records` pulled (or inference). */
export async function openRecords(path: string, io: CliIo, options: RecordInputOptions): Promise<RecordInput> {
  const data = openData(path, io, options);
  const rows = data.rows();
  const problems = new Problems();
  let schema: LoadedSchema;
  let inferred: Record<string, unknown> | undefined;
  const head: Row[] = [];
  if (options.schema) schema = await loadSchema(options.schema, io);
  else {
    const sample = options.sample ?? 1000;
    let inference: SchemaInference | undefined;
    for (let i = 0; i < sample; i++) {
      const next = await rows.next();
      if (next.done) break;
      inference ??= new SchemaInference(data.format() === "csv" && data.delimiter() !== ",");
      inference.add(next.value);
      head.push(next.value);
    }
    if (!inference) {
      await rows.return(undefined);
      throw new CliError(`${data.name} has no records to infer a schema from`, EXIT.failure, "pass the schema with --schema");
    }
    inferred = inference.jsonSchema();
    schema = fromJsonSchema(inferred, `inferred from ${inference.count} record${inference.count === 1 ? "" : "s"} of ${data.name}`);
  }
  const records = (async function* (): AsyncGenerator<Rec> {
    let read: ((cells: Record<string, string>, n: number) => Rec) | undefined;
    let n = 0;
    const toRecord = (row: Row): Rec => {
      n++;
      if (row.kind === "json") return row.value as Rec;
      read ??= csvRecordReader(data.columns() ?? Object.keys(row.cells), schema.fields, { decimalComma: data.delimiter() !== ",", problems });
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
