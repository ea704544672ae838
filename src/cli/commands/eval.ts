/**
 * `cible eval RULES DATA`: runs every definition of a rules file over a CSV, NDJSON or Parquet file, streamed
 * (in this process, or inside DuckDB or ClickHouse with `--engine`),
 * and prints segment sizes and shares, score distributions, lifecycle funnels, tiers and RFM.
 * `--out FILE.ndjson` writes one line per record, in input order: what `rules.evaluate` returns,
 * with the record's `id` first when it has one. `--channel email` writes only the records the
 * channel reaches in at least one segment (docs/cli.md).
 */
import type { Command } from "commander";
import type { EvalContext } from "../../index.js";
import { LineSink, type RunSummary, evaluateAll } from "../engine.js";
import { duration, int, plural } from "../format.js";
import { type CliIo, CliError, EXIT, type Output, colorsFor } from "../io.js";
import type { CommandContext } from "../main.js";
import { type DataFlags, type RulesFile, type TimeFlags, addDataOptions, addTimeOptions, compileRulesFile, dataOptions, evalContext, readColumnMap, readRulesFile } from "../options.js";
import { type SqlEngine, evaluateInEngine } from "../sql-engine/run.js";
import { duckdbEngine } from "../sql-engine/duckdb.js";
import { clickhouseEngine } from "../sql-engine/clickhouse.js";
import type { EngineInput } from "../sql-engine/input.js";
import { PopulationCollector } from "../population.js";
import { progressFor } from "../progress.js";
import { type RecordInput, openRecords } from "../records.js";
import type { Shape } from "../shape.js";
import { renderSummary } from "../summary.js";
import { BadLines, maxErrors } from "../bad-lines.js";
import { sayInferred } from "./shared.js";
import { type ChangeTracker, changesReport, onceWarning, openChanges } from "../changes.js";

interface Flags extends RunFlags {
  engine: string;
  out?: string;
  channel?: string;
  id: string;
  json?: boolean;
  progress: boolean;
  since?: string;
  changes?: string;
  nextChange?: boolean;
}

export function registerEval(program: Command, ctx: CommandContext): Command {
  const cmd = program
    .command("eval")
    .description("run every definition of a rules file over a data file (CSV, NDJSON or Parquet, streamed)")
    .argument("<rules>", "rules file (.cible)")
    .argument("<data>", "data file: .csv, .ndjson (or .gz of either), .parquet, - for standard input")
    .option("-o, --out <file>", "write one JSON line per record (segments, scores, stages, tiers) to this file, - for standard output")
    .option("--id <field>", "the record field written as id in --out", "id")
    .option("--channel <name>", "write to --out only the records this channel reaches in at least one segment (a channel of the rules file)")
    .option("--json", "print the summary as JSON")
    .option("--engine <name>", "where the rules run: js (in this process), duckdb (inside DuckDB, over the file itself; needs @duckdb/node-api) or clickhouse (inside ClickHouse, through chdb; needs chdb)", "js")
    .option("--no-progress", "no progress bar, even on a terminal")
    .option("--since <file>", "an earlier --out file: records matched by --id, its stages are their previous stages (js engine)")
    .option("--next-change", "add to each --out line the instant at which time alone changes the record's results (nextChange; costs many evaluations per record)")
    .option("--changes <file>", "write one JSON line per record whose segments, reachability, stage or tier changed since --since (js engine)");
  addDataOptions(cmd);
  addMaxErrors(cmd);
  addTimeOptions(cmd);
  cmd.addHelpText(
    "after",
    `
Examples:
  $ cible eval rules.cible contacts.csv --schema contacts.schema.json
  $ cible eval rules.cible contacts.ndjson --out results.ndjson --now 2026-06-01 --tz Europe/Paris
  $ cible eval rules.cible contacts.csv --schema contacts.schema.json --channel email --out emailing.ndjson
  $ cible eval rules.cible contacts.ndjson --since yesterday.ndjson --changes changes.ndjson --out today.ndjson`,
  );
  return cmd.action(async (rulesPath: string, dataPath: string, flags: Flags) => {
    const { io } = ctx;
    if (flags.json && flags.out === "-") throw new CliError("--json and --out - both write to standard output", 2, "write the records to a file: --out results.ndjson");
    if (flags.channel !== undefined && !flags.out) throw new CliError("--channel chooses the lines of --out, and there is no --out", 2, `write them to a file: --channel ${flags.channel} --out ${flags.channel}.ndjson`);
    const engine = sqlEngine(flags.engine, dataPath);
    if ((flags.since || flags.changes) && engine) throw new CliError(`--since and --changes run with --engine js only`, 2, "leave out --engine");
    if (flags.nextChange && engine) throw new CliError("--next-change runs with --engine js only (SQL engines write no next-change instants yet)", 2, "leave out --engine, or use nextChangeToSQL in the database");
    if (flags.nextChange && !flags.out) throw new CliError("--next-change adds nextChange to the lines of --out, and there is no --out", 2, "write them to a file: --next-change --out results.ndjson");
    const run = await prepareRun(rulesPath, dataPath, flags, io);
    if (flags.channel !== undefined && !Object.hasOwn(run.rules.channels, flags.channel)) {
      await run.input.close();
      const names = Object.keys(run.rules.channels);
      throw new CliError(
        `${run.rulesFile.file} has no channel ${JSON.stringify(flags.channel)}`,
        2,
        names.length ? `its channels: ${names.join(", ")}` : `it defines no channel; add one, e.g. \`channel email:\` followed by the consent condition (docs/rules.md)`,
      );
    }
    let out: LineSink | undefined;
    try {
      out = flags.out ? await LineSink.open(flags.out, io) : undefined;
    } catch (e) {
      await run.input.close();
      throw e;
    }
    let summary: RunSummary;
    let changes: ChangeTracker | undefined;
    if (engine) {
      summary = await evaluateInEngine(engine, run.rules, await engineInput(run, dataPath, flags, io), io, { ctx: run.ctx, out, idField: flags.id, channel: flags.channel, progress: progressFor(run.input.data, io, false) });
    } else {
      const population = new PopulationCollector(run.rules, run.ctx, undefined, run.isDateField);
      changes = await openChanges(flags, run, io, out); // --since / --changes (changes.ts)
      summary = await evaluateAll(run.rules, run.input, { ctx: run.ctx, out, idField: flags.id, channel: flags.channel, progress: progressFor(run.input.data, io, flags.progress), population, changes, nextChange: flags.nextChange === true, warn: onceWarning(io) });
    }
    // The summary goes to stdout, or stderr when stdout carries the records.
    const target: Output = flags.out === "-" || flags.changes === "-" ? io.stderr : io.stdout;
    if (flags.json) io.stdout.write(`${JSON.stringify(summaryJson(summary, run), null, 2)}\n`);
    else {
      target.write(`${summaryHeader(summary, run, colorsFor(target, io.env))}\n\n${renderSummary(summary, colorsFor(target, io.env), run.rulesFile)}`);
      const inSegment = Object.keys(run.rules.segments).length ? " in a segment" : "";
      const reached = flags.channel === undefined ? "" : ` (the records channel ${flags.channel} reaches${inSegment})`;
      if (flags.out && flags.out !== "-") target.write(`Wrote ${plural(summary.written ?? summary.records, "line")}${reached} to ${flags.out}\n`);
      else if (flags.out && flags.channel !== undefined) target.write(`Wrote ${plural(summary.written ?? 0, "line")}${reached}\n`);
      if (changes) target.write(changesReport(changes, flags.changes));
    }
    sayProblems(run.input, io);
    endBadLines(run, ctx);
  });
}

/** `--max-errors`, for the commands that read NDJSON records. */
export function addMaxErrors(cmd: Command): Command {
  return cmd.option("--max-errors <n>", "NDJSON: stop after this many lines that are not a JSON object (default: go on past them all, list them, exit 1)");
}

export interface RunFlags extends DataFlags, TimeFlags {
  maxErrors?: string;
}

/** Lists the NDJSON lines left out; the command then exits 1. */
export function endBadLines(run: PreparedRun, ctx: CommandContext): void {
  run.badLines.say(ctx.io);
  if (run.badLines.count) ctx.exit(EXIT.problems);
}

export interface PreparedRun {
  readonly rulesFile: RulesFile;
  readonly rules: ReturnType<typeof compileRulesFile>;
  readonly input: RecordInput;
  readonly ctx: EvalContext & { now: Date; timeZone: string };
  readonly isDateField: (path: readonly string[]) => boolean;
  /** NDJSON lines that were not a JSON object, left out. */
  readonly badLines: BadLines;
}

/** Reads the rules, opens the data with its schema (inferring one when needed), compiles. */
export async function prepareRun(rulesPath: string, dataPath: string, flags: RunFlags, io: CliIo): Promise<PreparedRun> {
  const ctx = evalContext(flags);
  const badLines = new BadLines(dataPath === "-" ? "stdin" : dataPath, maxErrors(flags.maxErrors));
  const rulesFile = readRulesFile(rulesPath, io);
  const input = await openRecords(dataPath, io, { ...dataOptions(flags), badLines });
  sayInferred(input.inferred, input.schema.origin, io);
  let rules;
  try {
    rules = compileRulesFile(rulesFile, input.schema.zod, io);
  } catch (e) {
    await input.close();
    throw e;
  }
  const isDateField = (path: readonly string[]) => {
    let shape: Shape | undefined = { kind: "object", fields: input.schema.fields };
    for (const p of path) shape = shape?.kind === "object" ? shape.fields.get(p) : undefined;
    return shape?.kind === "date";
  };
  return { rulesFile, rules, input, ctx, isDateField, badLines };
}

const ENGINES: Record<string, SqlEngine> = { duckdb: duckdbEngine, clickhouse: clickhouseEngine };

/** The engine of `--engine` (undefined for `js`); refuses an unknown one and standard input. */
export function sqlEngine(name: string, dataPath: string): SqlEngine | undefined {
  if (name === "js") return undefined;
  const engine = Object.hasOwn(ENGINES, name) ? ENGINES[name] : undefined;
  if (!engine) throw new CliError(`unknown engine "${name}"`, EXIT.failure, "use --engine js (the default), --engine duckdb or --engine clickhouse");
  if (dataPath === "-") throw new CliError(`--engine ${name} reads a file, not standard input`, EXIT.failure, "save the data to a file and pass its path");
  return engine;
}

/**
 * What an engine needs of the data once the run is prepared (the CSV header, the schema); the
 * records are not read here: the engine reads the file itself.
 */
export async function engineInput(run: PreparedRun, dataPath: string, flags: RunFlags, io: CliIo): Promise<EngineInput> {
  const { data, schema } = run.input;
  await run.input.close();
  return { path: dataPath, format: data.format() ?? "csv", delimiter: data.delimiter(), header: data.columns(), fields: schema.fields, map: readColumnMap(flags.map ?? [], io) };
}

export function summaryHeader(s: RunSummary, run: PreparedRun, c: ReturnType<typeof colorsFor>): string {
  return `${c.bold(run.input.data.name)}: ${plural(s.records, "record")} in ${duration(s.seconds * 1000)} ${c.dim(`· rules ${run.rulesFile.file} · now ${run.ctx.now.toISOString()} · ${run.ctx.timeZone}`)}`;
}

/** The summary as `--json` prints it. */
export function summaryJson(s: RunSummary, run: PreparedRun): Record<string, unknown> {
  return {
    rules: run.rulesFile.file,
    data: run.input.data.name,
    schema: run.input.schema.origin,
    now: run.ctx.now.toISOString(),
    timeZone: run.ctx.timeZone,
    ...s,
    ...(s.analysis ? { analysis: { ...s.analysis, unsegmented: { count: s.analysis.unsegmented.count, share: s.analysis.unsegmented.share } } } : {}),
    unreadCells: run.input.problems.list(),
    badLines: run.badLines.toJSON(),
  };
}

/** Says which CSV columns had cells that did not read as their type. */
export function sayProblems(input: RecordInput, io: CliIo): void {
  const problems = input.problems.list();
  if (!problems.length) return;
  const c = colorsFor(io.stderr, io.env);
  io.stderr.write(`${c.yellow("cible:")} some cells did not read as their column's type; rules see them as unknown:\n`);
  for (const p of problems) {
    const eg = p.examples.map((x) => `record ${int(x.record)}: ${JSON.stringify(x.value)}`).join(", ");
    io.stderr.write(`  ${c.dim("·")} ${p.field} (${p.expected}): ${plural(p.count, "cell")}, e.g. ${eg}\n`);
  }
}
