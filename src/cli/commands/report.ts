/**
 * `cible report RULES DATA --html report.html`: the hygiene analysis of a rules file over a data
 * file — segment sizes, overlaps, records in no segment, too-small / too-many / identical / nested
 * warnings — with the lifecycle funnels, score histograms, tiers and RFM grid, printed to the
 * terminal and, with `--html`, written as one self-contained page with SVG charts.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { evaluateAll } from "../engine.js";
import { CliError, EXIT, colorsFor, pathIn } from "../io.js";
import type { CommandContext } from "../main.js";
import { addDataOptions, addTimeOptions } from "../options.js";
import { PopulationCollector } from "../population.js";
import { progressFor } from "../progress.js";
import { htmlReport } from "../html.js";
import { renderSummary } from "../summary.js";
import { type RunFlags, addMaxErrors, endBadLines, prepareRun, sayProblems, summaryHeader, summaryJson } from "./eval.js";

interface Flags extends RunFlags {
  html?: string;
  json?: boolean;
  minShare: string;
  maxSegments: string;
  progress: boolean;
}

export function registerReport(program: Command, ctx: CommandContext): Command {
  const cmd = program
    .command("report")
    .description("segment hygiene over a data file: sizes, overlaps, warnings, funnel, scores, RFM (terminal and HTML)")
    .argument("<rules>", "rules file (.cible)")
    .argument("<data>", "data file: .csv, .ndjson (or .gz of either), - for standard input")
    .option("--html <file>", "also write the report as one self-contained HTML page")
    .option("--json", "print the report as JSON")
    .option("--min-share <share>", "warn about segments smaller than this share of the records (0-1)", "0.01")
    .option("--max-segments <n>", "warn when there are more segments than this", "10")
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
    const run = await prepareRun(rulesPath, dataPath, flags, io);
    const population = new PopulationCollector(run.rules, run.ctx, true, run.isDateField);
    const summary = await evaluateAll(run.rules, run.input, {
      ctx: run.ctx,
      idField: "id",
      progress: progressFor(run.input.data, io, flags.progress),
      population,
      analysis: { minShare, maxSegments },
    });
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
