/**
 * Streaming a data file: CSV (parsed by csv-parse: quotes, commas and new lines inside quotes,
 * a byte-order mark, `,` `;` tab or `|` as delimiter) or NDJSON (one JSON object per line), from a
 * file, a `.gz` file or standard input (`-`); a `.parquet` file through parquet.ts. Nothing is loaded whole: rows come one by one, with
 * back-pressure, so memory does not grow with the file.
 */
import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { Readable, Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import { CsvError, parse as parseCsv } from "csv-parse";
import { type CliIo, CliError, pathIn } from "./io.js";
import { parquetRecords } from "./parquet.js";

export type DataFormat = "csv" | "ndjson";
/** What a file holds: `--format` chooses among CSV and NDJSON; a `.parquet` file is Parquet. */
export type SourceFormat = DataFormat | "parquet";

export interface DataOptions {
  /** Force the format instead of guessing it from the extension or the first byte. */
  readonly format?: DataFormat;
  /** CSV delimiter; default: guessed from the header line among `,` `;` tab `|`. */
  readonly delimiter?: string;
  /**
   * NDJSON lines that are not a JSON object are passed here (1-based line number, reason) and
   * skipped; `add` may throw to stop. Without it, the first such line stops reading (exit 2).
   */
  readonly badLines?: { add(line: number, reason: string): void };
}

/** One row of a CSV file (cells by column name) or one value of an NDJSON file. */
export type Row = { readonly kind: "csv"; readonly cells: Record<string, string> } | { readonly kind: "json"; readonly value: unknown };

export interface DataSource {
  /** The name to show: the path as given, or `stdin`. */
  readonly name: string;
  /** Size in bytes of the file (compressed size for `.gz`); undefined for standard input. */
  readonly size: number | undefined;
  /** Bytes read so far (of the file as stored), for a progress bar. */
  bytesRead(): number;
  /** The format, known once reading has started (Parquet: at once, from the extension). */
  format(): SourceFormat | undefined;
  /** The CSV delimiter, known once reading has started. */
  delimiter(): string | undefined;
  /** The CSV column names, known once reading has started. */
  columns(): readonly string[] | undefined;
  /** The rows, in order. Can be iterated once. */
  rows(): AsyncGenerator<Row>;
}

const EXTENSIONS: Record<string, DataFormat> = { csv: "csv", tsv: "csv", txt: "csv", ndjson: "ndjson", jsonl: "ndjson", json: "ndjson" };

/** Opens a data file (or `-` for standard input) without reading it yet. */
export function openData(path: string, io: CliIo, options: DataOptions = {}): DataSource {
  const stdin = path === "-";
  const full = stdin ? "" : pathIn(io, path);
  let size: number | undefined;
  if (!stdin) {
    try {
      const st = statSync(full);
      if (st.isDirectory()) throw new CliError(`${path} is a directory, not a data file`);
      size = st.size;
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot read ${path}: no such file`, 2, "give the path of a .csv or .ndjson file, or - for standard input");
    }
  }
  if (!stdin && /\.parquet$/i.test(path)) return parquetSource(path, full);
  const gz = !stdin && /\.gz$/i.test(path);
  const ext = /\.([a-z]+)(?:\.gz)?$/i.exec(path)?.[1]?.toLowerCase();
  let format: DataFormat | undefined = options.format ?? (ext ? EXTENSIONS[ext] : undefined);
  let delimiter: string | undefined = options.delimiter ?? (ext === "tsv" ? "\t" : undefined);
  let columns: string[] | undefined;
  let read = 0;
  const name = stdin ? "stdin" : path;

  async function* rows(): AsyncGenerator<Row> {
    const raw: Readable = stdin ? io.stdin : createReadStream(full, { highWaterMark: 256 * 1024 });
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        read += chunk.length;
        done(null, chunk);
      },
    });
    raw.on("error", (e) => counted.destroy(e));
    raw.pipe(counted);
    let input: Readable = counted;
    if (gz) {
      const gunzip = createGunzip();
      counted.on("error", (e) => gunzip.destroy(e));
      input = counted.pipe(gunzip);
    }
    const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    let first: IteratorResult<Buffer | string>;
    try {
      first = await chunks.next();
    } catch (e) {
      throw new CliError(`cannot read ${name}: ${(e as Error).message}`);
    }
    const head = first.done ? "" : first.value.toString().replace(/^\uFEFF/, "");
    format ??= /^\s*[{[]/.test(head) ? "ndjson" : "csv";
    if (format === "csv") delimiter ??= guessDelimiter(head);
    const stream = Readable.from(
      (async function* () {
        if (!first.done) yield first.value;
        for (;;) {
          const next = await chunks.next();
          if (next.done) return;
          yield next.value;
        }
      })(),
      { objectMode: false },
    );
    try {
      if (format === "ndjson") yield* ndjsonRows(stream, name, options.badLines);
      else yield* csvRows(stream, name, delimiter!, (c) => (columns = c));
    } finally {
      // Stopped early (an error, or a command that needed only the first records): close the file.
      if (!stdin) raw.destroy();
      stream.destroy();
    }
  }

  return {
    name,
    size,
    bytesRead: () => read,
    format: () => format,
    delimiter: () => delimiter,
    columns: () => columns,
    rows,
  };
}

/** A Parquet file, read by parquet.ts (no size: no progress bar). */
function parquetSource(name: string, full: string): DataSource {
  return {
    name,
    size: undefined,
    bytesRead: () => 0,
    format: () => "parquet",
    delimiter: () => undefined,
    columns: () => undefined,
    async *rows() {
      for await (const value of parquetRecords(full, name)) yield { kind: "json", value };
    },
  };
}

/** The most frequent of `,` `;` tab `|` outside quotes in the first line (`,` when none). */
export function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([[",", 0], [";", 0], ["\t", 0], ["|", 0]]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ",";
  for (const [ch, n] of counts) if (n > counts.get(best)!) best = ch;
  return best;
}

async function* ndjsonRows(stream: Readable, name: string, badLines: DataOptions["badLines"]): AsyncGenerator<Row> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  const bad = (reason: string) => {
    if (badLines) {
      try {
        badLines.add(n, reason);
        return;
      } catch (e) {
        lines.close();
        stream.destroy();
        throw e;
      }
    }
    lines.close();
    stream.destroy();
    throw new CliError(`${name}:${n}: ${reason}`, 2, "NDJSON has one JSON object per line");
  };
  for await (const text of lines) {
    n++;
    const line = n === 1 ? text.replace(/^\uFEFF/, "") : text;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      bad(`not a JSON object (${(e as Error).message})`);
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      bad(`expected a JSON object, found ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`);
      continue;
    }
    yield { kind: "json", value };
  }
}

async function* csvRows(stream: Readable, name: string, delimiter: string, setColumns: (c: string[]) => void): AsyncGenerator<Row> {
  const parser = stream.pipe(
    parseCsv({ bom: true, delimiter, trim: true, skip_empty_lines: true, relax_quotes: false }),
  );
  // A stream error (unreadable file) is reported by the parser's iterator as well.
  stream.on("error", (e) => parser.destroy(e));
  let header: string[] | undefined;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = cells.map((c, i) => c || `column${i + 1}`);
        const seen = new Set<string>();
        for (const h of header) {
          if (seen.has(h)) throw new CliError(`${name}: the column name "${h}" appears twice in the header`, 2, "give each column its own name");
          seen.add(h);
        }
        setColumns(header);
        continue;
      }
      const row: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) row[header[i]!] = cells[i] ?? "";
      yield { kind: "csv", cells: row };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const where = (e as CsvError & { lines?: number }).lines;
      throw new CliError(`${name}${where ? `:${where}` : ""}: ${e.message.replace(/^Invalid (Record Length|Closing Quote)?:?\s*/i, "")}`, 2, "check the quotes and the delimiter (--delimiter)");
    }
    throw e;
  }
}
