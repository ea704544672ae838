/**
 * What every `--engine` reads of a data file, and what none reads yet: the file's format, its
 * CSV header, the schema's top-level fields, `--map`; the lists of objects that become child
 * tables; the shapes refused (exit 2).
 */
import { CliError, EXIT } from "../io.js";
import type { Shape } from "../shape.js";

/** What the run knows of the data once its header (CSV) or schema is read. */
export interface EngineInput {
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

export type ListShape = Shape & { kind: "array" };

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

/** The lists of objects an NDJSON or Parquet file's records hold, read into child tables (`cible_child_1`, …). */
export function childLists(input: EngineInput): [string, ListShape][] {
  if (input.format === "csv") return [];
  return [...input.fields].filter((e): e is [string, ListShape] => e[1].kind === "array" && e[1].element.kind === "object");
}

/** The view over the file, its rows' key column, the row number children refer to, and a child table's name and foreign key. */
/** The error for a query an engine could not run over the file: the in-process engine as the way on. */
export function engineFailure(label: string, input: EngineInput, e: Error): CliError {
  return new CliError(`${label} cannot run the rules over ${input.path}: ${e.message}`, EXIT.failure, "run without --engine: the in-process engine lists the lines it cannot read and goes on");
}

export const VIEW = "cible_records";
export const KEY = "_cible_key";
export const ROW = "_cible_row";
export const PARENT = "_cible_parent";
export const childTable = (i: number) => `cible_child_${i}`;

/** The `children` option of `rulesToSQL` for the child tables of `input`. */
export function childrenOption(input: EngineInput): Record<string, { table: string; foreignKey: string; key: string }> {
  return Object.fromEntries(childLists(input).map(([name], i) => [name, { table: childTable(i + 1), foreignKey: PARENT, key: ROW }]));
}

/** Refuses what `--engine` cannot read yet (exit 2). */
export function checkEngineInput(input: EngineInput, engine: string): void {
  const problems = [...input.fields].map(([n, s]) => flatProblem(n, s, input.format !== "csv")).filter((p) => p !== undefined);
  if (problems.length) {
    throw new CliError(`--engine ${engine} needs flat data for now: ${problems.join(", ")}`, EXIT.failure, "run without --engine (the in-process engine reads nested records), or flatten the file");
  }
  for (const [column, field] of input.map) {
    if (field.includes(".") && !input.fields.has(field)) throw new CliError(`--engine ${engine} needs flat data for now: --map "${column}=${field}" fills a nested field`, EXIT.failure, "run without --engine");
  }
}

/** The whitespace JavaScript's `\s` matches (readNumber drops it from numbers), for RE2 (DuckDB's and ClickHouse's regular expressions). */
export const SPACE = "[\\s\\x{000B}\\x{00A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]";
/** The yes/no words of a CSV cell (coerce.ts). */
export const TRUE_WORDS = ["true", "yes", "y", "oui", "o", "vrai", "1", "x"];
export const FALSE_WORDS = ["false", "no", "n", "non", "faux", "0"];
/** An ISO date or instant, and a day-first date (`31/12/2026 10:30`), as coerce.ts reads them. */
export const ISO = "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$";
export const DAY_FIRST = "^(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4})([ T](\\d{1,2}):(\\d{2})(:(\\d{2}))?)?$";
