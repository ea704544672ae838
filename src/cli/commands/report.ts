/**
 * `cible report RULES DATA --html report.html`: the hygiene analysis of a rules file over a data
 * file — segment sizes, overlaps, records in no segment, too-small / too-many / identical / nested
 * warnings; per segment and channel, the records reached and excluded; data quality (fields by
 * unknown share, the records each segment cannot see and why); with `--outcome`, rates with their
 * 95% intervals per segment and split arm — with the lifecycle funnels, score histograms, tiers and RFM grid, printed to the
 * terminal and, with `--html`, written as one self-contained page with SVG charts.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { evaluateAll } from "../engine.js";
import { CibleError, createResultAnalyzer } from "../../index.js";
import type { RunSummary } from "../engine.js";
import { evaluateInEngine } from "../sql-engine/run.js";
import { CliError, EXIT, colorsFor, pathIn } from "../io.js";
import type { CommandContext } from "../main.js";
import { addDataOptions, addTimeOptions } from "../options.js";
import { PopulationCollector } from "../population.js";
import { progressFor } from "../progress.js";
import { htmlReport } from "../html.js";
import { renderSummary } from "../summary.js";
import { type RunFlags, addMaxErrors, endBadLines, engineInput, prepareRun, sayProblems, sqlEngine, summaryHeader, summaryJson } from "./eval.js";

/** What a report computed with `--engine` leaves out: it needs the records in this process (docs/cli.md). */
export const ENGINE_OMITS = [
  "data quality: the fields the rules read that are unknown, and the fields behind each segment's unknown records (the records each segment leaves unknown are counted)",
  "the cuts of quantile tiers and RFM quintiles (their counts are there)",
  "CSV cells that did not read as their column's type (the engine reads them as unknown too, without listing them)",
  "--outcome (rates per segment and split arm)",
];

interface Flags extends RunFlags {
  html?: string;
  json?: boolean;
  minShare: string;
  maxSegments: string;
  minReachShare: string;
  maxUnknownShare: string;
  outcome?: string;
  progress: boolean;
  engine: string;
}

/** A share option (0-1). */
function shareFlag(name: string, text: string, hint: string): number {
  const v = Number(text);
  if (text.trim() === "" || !(v >= 0 && v <= 1)) throw new CliError(`${name} takes a share between 0 and 1, got "${text}"`, EXIT.failure, hint);
  return v;
}

export function registerReport(program: Command, ctx: CommandContext): Command {
  const cmd = program
    .command("report")
    .description("segment hygiene over a data file: sizes, overlaps, warnings, funnel, scores, RFM (terminal and HTML)")
    .argument("<rules>", "rules file (.cible)")
    .argument("<data>", "data file: .csv, .ndjson (or .gz of either), .parquet, - for standard input")
    .option("--html <file>", "also write the report as one self-contained HTML page")
    .option("--json", "print the report as JSON")
    .option("--min-share <share>", "warn about segments smaller than this share of the records (0-1)", "0.01")
    .option("--max-segments <n>", "warn when there are more segments than this", "10")
    .option("--min-reach-share <share>", "warn when a channel reaches less than this share of a segment (0-1)", "0.1")
    .option("--max-unknown-share <share>", "warn when a segment leaves more than this share of the records unknown (0-1)", "0.2")
    .option("--outcome <field or rule>", "measure this outcome per segment and split arm: a boolean field or a condition (rates, 95% intervals, lift)")
    .option("--engine <name>", "where the rules run: js (in this process), duckdb or clickhouse (inside the database, over the file itself; the report then leaves out data quality and outcomes)", "js")
    .option("--no-progress", "no progress bar, even on a terminal");
  addDataOptions(cmd);
  addMaxErrors(cmd);
  addTimeOptions(cmd);
  cmd.addHelpText("after", "\nExample:\n  $ cible report rules.cible contacts.csv --schema schema.json --html report.html");
  return cmd.action(async (rulesPath: string, dataPath: string, flags: Flags) => {
    const { io } = ctx;
    const minShare = Number(flags.minShare);
    const maxSegments = Number(flags.maxSegments);
    if (!(minShare >= 0 && minShare <= 1)) throw new CliError(`--min-share takes a share between 0 and 1, got "${flags.minShare}"`, EXIT.failure, "for example --min-share 0.02 for 2%");
    if (!Number.isInteger(maxSegments) || maxSegments < 0) throw new CliError(`--max-segments takes a whole number, got "${flags.maxSegments}"`);
    const minReachShare = shareFlag("--min-reach-share", flags.minReachShare, "for example --min-reach-share 0.05 for 5%");
    const maxUnknownShare = shareFlag("--max-unknown-share", flags.maxUnknownShare, "for example --max-unknown-share 0.3 for 30%");
    const engine = sqlEngine(flags.engine, dataPath);
    if (engine && flags.outcome !== undefined) {
      throw new CliError(`--outcome needs the records in this process, and --engine ${engine.name} keeps them in the database`, EXIT.failure, "run the report without --engine to measure an outcome");
    }
    const run = await prepareRun(rulesPath, dataPath, flags, io);
    const analysis = { minShare, maxSegments, minReachShare, maxUnknownShare, ...(flags.outcome === undefined ? {} : { outcome: flags.outcome }) };
    let summary: RunSummary;
    if (engine) {
      const analyzer = createResultAnalyzer(run.rules, analysis);
      const splitNames = Object.keys(run.rules.splits);
      const input = await engineInput(run, dataPath, flags, io);
      const result = await evaluateInEngine(engine, run.rules, input, io, {
        ctx: run.ctx,
        idField: "id",
        progress: progressFor(run.input.data, io, false),
        onResult: (r) => analyzer.add({ segments: r.segments, channels: r.channels, splits: splitNames.map((n) => r.evaluation.splits[n] ?? null) }),
      });
      summary = { ...result, analysis: analyzer.report(), engine: { name: engine.name, omitted: ENGINE_OMITS } };
    } else {
      let population: PopulationCollector;
      try {
        population = new PopulationCollector(run.rules, run.ctx, analysis, run.isDateField);
      } catch (e) {
        await run.input.close();
        // The rules and the evaluation inputs were checked before: what is refused now is the outcome.
        if (e instanceof CibleError && flags.outcome !== undefined) {
          throw new CliError(`--outcome ${JSON.stringify(flags.outcome)}: ${e.diagnostics.map((d) => d.message).join(" ")}`, EXIT.failure, "a boolean field of the data (--outcome converti) or a condition (--outcome 'opportunites has any [\"gagnée\"]')");
        }
        throw e;
      }
      summary = {
        ...(await evaluateAll(run.rules, run.input, { ctx: run.ctx, idField: "id", progress: progressFor(run.input.data, io, flags.progress), population })),
        ...(flags.outcome === undefined ? {} : { outcome: flags.outcome }),
      };
    }
    if (flags.json) io.stdout.write(`${JSON.stringify(summaryJson(summary, run), null, 2)}\n`);
    else {
      const c = colorsFor(io.stdout, io.env);
      io.stdout.write(`${summaryHeader(summary, run, c)}\n\n${renderSummary(summary, c, run.rulesFile)}`);
    }
    sayProblems(run.input, io);
    if (flags.html) {
      const html = htmlReport(summary, {
        rules: run.rulesFile,
        data: run.input.data.name,
        schema: run.input.schema.origin,
        now: run.ctx.now,
        timeZone: run.ctx.timeZone,
        generated: new Date(),
        unreadCells: run.input.problems.list(),
        badLines: run.badLines.toJSON(),
      });
      try {
        writeFileSync(pathIn(io, flags.html), html);
      } catch (e) {
        throw new CliError(`cannot write ${flags.html}: ${(e as Error).message}`);
      }
      (flags.json ? io.stderr : io.stdout).write(`HTML report: ${pathIn(io, flags.html)}\n`);
    }
    endBadLines(run, ctx);
  });
}
