/**
 * Options several subcommands share (`--schema`, `--now`, `--tz`, `--param`, data format), and
 * reading and compiling a rules file with its diagnostics printed.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type * as z4 from "zod/v4/core";
import { CibleError, type CompiledRules, type Diagnostic, type EvalContext, checkRules, compileRules, resolveClock } from "../index.js";
import { countProblems, renderDiagnostic } from "./format.js";
import { type CliIo, CliError, EXIT, type Colors, colorsFor, pathIn } from "./io.js";
import type { DataFormat } from "./data.js";

export interface TimeFlags {
  now?: string;
  tz?: string;
  param?: string[];
}

export interface DataFlags {
  schema?: string;
  format?: string;
  delimiter?: string;
  sample?: string;
  map?: string[];
  strict?: boolean;
}

/** Commander's reducer for a repeatable option. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addTimeOptions(cmd: Command): Command {
  return cmd
    .option("--now <date>", "the instant relative dates count from, ISO 8601; without an offset, in --tz (default: now)")
    .option("--tz <zone>", "IANA time zone for calendar arithmetic, e.g. Europe/Paris (default: UTC)")
    .option("--param <name=value>", "a value for a $name parameter of the rules (repeatable)", collect);
}

export function addDataOptions(cmd: Command): Command {
  return cmd
    .option("--schema <file>", "JSON Schema (.json) or module exporting a zod schema (.js, .ts, file.ts#Export); default: inferred from the data")
    .option("--format <format>", "data format: csv or ndjson (default: from the extension or the first byte)")
    .option("--delimiter <char>", "CSV delimiter (default: guessed among , ; tab |)")
    .option("--sample <n>", "records to infer a schema from, without --schema", "1000")
    .option("--map <column=field>", "read a CSV column as a field: --map \"Secteur d'activité=secteur\", or @file.json of {column: field} (repeatable)", collect)
    .option("--strict", "stop (exit 2) when a field of the schema has no CSV column");
}

/** `--format`, `--delimiter`, `--sample`, `--map`, `--strict` as the data reader takes them. */
export function dataOptions(flags: DataFlags): { schema?: string; format?: DataFormat; delimiter?: string; sample: number; map: string[]; strict: boolean } {
  const format = flags.format?.toLowerCase();
  if (format !== undefined && format !== "csv" && format !== "ndjson") {
    throw new CliError(`unknown data format "${flags.format}"`, EXIT.failure, "use --format csv or --format ndjson");
  }
  let delimiter = flags.delimiter;
  if (delimiter === "\\t" || delimiter === "tab") delimiter = "\t";
  if (delimiter !== undefined && delimiter.length !== 1) throw new CliError(`--delimiter takes one character, got "${flags.delimiter}"`);
  const sample = Number(flags.sample ?? "1000");
  if (!Number.isInteger(sample) || sample < 1) throw new CliError(`--sample takes a positive whole number, got "${flags.sample}"`);
  return { schema: flags.schema, format: format as DataFormat | undefined, delimiter, sample, map: flags.map ?? [], strict: flags.strict ?? false };
}

/**
 * The column-to-field mapping of `--map`: each entry `Column=field` (split at the last `=`; a
 * dotted field fills a nested field) or `@file.json`, a JSON object of column names to fields.
 */
export function readColumnMap(entries: readonly string[], io: CliIo): Map<string, string> {
  const map = new Map<string, string>();
  const add = (column: string, field: string, from: string) => {
    if (!column || !field) throw new CliError(`--map takes column=field, got "${from}"`, EXIT.failure, `for example --map "Secteur d'activité=secteur" or --map @columns.json`);
    if (map.has(column) && map.get(column) !== field) throw new CliError(`--map gives the column "${column}" two fields: ${map.get(column)} and ${field}`);
    map.set(column, field);
  };
  for (const entry of entries) {
    if (entry.startsWith("@")) {
      const file = entry.slice(1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(pathIn(io, file), "utf8"));
      } catch (e) {
        const missing = (e as { code?: string }).code !== undefined;
        throw new CliError(missing ? `cannot read ${file}: no such file` : `${file} is not JSON: ${(e as Error).message}`, EXIT.failure, 'a --map file is a JSON object of column names to fields: {"Secteur d\'activité": "secteur"}');
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== "string")) {
        throw new CliError(`${file} is not a JSON object of column names to fields`, EXIT.failure, 'for example {"Secteur d\'activité": "secteur", "CA (€)": "ca"}');
      }
      for (const [column, field] of Object.entries(parsed as Record<string, string>)) add(column, field, `${column}=${field}`);
      continue;
    }
    const eq = entry.lastIndexOf("=");
    add(eq < 0 ? "" : entry.slice(0, eq).trim(), eq < 0 ? "" : entry.slice(eq + 1).trim(), entry);
  }
  return map;
}

/** A parameter value: a number, true/false, null, JSON (a list), else text. */
export function paramValue(text: string): unknown {
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  if (text === "null") return null;
  if (/^[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      /* plain text */
    }
  }
  return text;
}

/**
 * The evaluation context of `--now`, `--tz` and `--param`; `now` is fixed once for the whole run.
 * `--now` and `--tz` are read by the library's own reader of a context's clock, so that the CLI
 * and `compile(...).evaluate(record, { now, timeZone })` agree: a `--now` without an offset is a
 * wall-clock time in `--tz`, a date-only `--now` the start of that day in `--tz`.
 */
export function evalContext(flags: TimeFlags): EvalContext & { now: Date; timeZone: string } {
  const given = flags.now !== undefined && flags.now !== "now" ? flags.now : undefined;
  let clock: { nowMs: number; timeZone: string };
  try {
    const c = resolveClock({ ...(given === undefined ? {} : { now: given }), timeZone: flags.tz ?? "UTC" });
    clock = { nowMs: c.now.getTime(), timeZone: c.timeZone };
  } catch (e) {
    const code = e instanceof CibleError ? e.diagnostics[0]?.code : undefined;
    if (code === "eval.time-zone") throw new CliError(`unknown time zone "${flags.tz}"`, EXIT.failure, "use an IANA name such as Europe/Paris or UTC");
    if (code === "eval.now") throw new CliError(`--now takes an ISO 8601 date, got "${flags.now}"`, EXIT.failure, "for example --now 2026-06-01 (midnight in --tz) or --now 2026-06-01T09:00:00+02:00");
    throw e;
  }
  const now = new Date(clock.nowMs);
  const timeZone = clock.timeZone;
  const params: Record<string, unknown> = {};
  for (const p of flags.param ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new CliError(`--param takes name=value, got "${p}"`);
    params[p.slice(0, eq).replace(/^\$/, "")] = paramValue(p.slice(eq + 1));
  }
  return { now, timeZone, params };
}

export interface RulesFile {
  /** The path as given. */
  readonly file: string;
  readonly source: string;
}

export function readRulesFile(file: string, io: CliIo): RulesFile {
  try {
    return { file, source: readFileSync(pathIn(io, file), "utf8") };
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(code === "EISDIR" ? `${file} is a directory, not a rules file` : `cannot read ${file}: no such file`);
  }
}

/**
 * Compiles a rules file; on errors prints every diagnostic with its code frame to stderr and
 * stops with exit code 1. Warnings are left to `cible check`: one line says how many there are.
 */
export function compileRulesFile(rules: RulesFile, schema: z4.$ZodType, io: CliIo): CompiledRules<Record<string, unknown>> {
  const c = colorsFor(io.stderr, io.env);
  const report = checkRules(rules.source, schema);
  if (!report.ok) {
    printDiagnostics(report.diagnostics, rules, io, c);
    throw new CliError(`${rules.file} has ${countProblems(report.diagnostics)}`, EXIT.problems, `fix the errors, then run the command again (cible check ${rules.file} lists them)`);
  }
  const warnings = report.diagnostics.length;
  if (warnings) io.stderr.write(`${c.yellow(`${rules.file}: ${countProblems(report.diagnostics)}`)} ${c.dim(`(cible check ${rules.file} shows them)`)}\n`);
  return compileRules(rules.source, schema) as CompiledRules<Record<string, unknown>>;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], rules: RulesFile, io: CliIo, c: Colors): void {
  for (const d of diagnostics) io.stderr.write(`${renderDiagnostic(d, rules.source, rules.file, c)}\n\n`);
}
