/**
 * `cible check FILE… --schema S`: every diagnostic of each rules file with its code frame
 * (file:line:column, the line, a caret, the hint); exit 1 when any file has an error. `--json` for
 * machines. Without a schema (nor `--data` to infer one), only the syntax is checked.
 */
import type { Command } from "commander";
import { CibleError, type Diagnostic, checkRules, parseRulesFile } from "../../index.js";
import { countProblems, plural, renderDiagnostic } from "../format.js";
import { CliError, EXIT, colorsFor } from "../io.js";
import type { CommandContext } from "../main.js";
import { addDataOptions, type DataFlags, readRulesFile } from "../options.js";
import { schemaFrom } from "./shared.js";

interface Flags extends DataFlags {
  data?: string;
  json?: boolean;
  maxWarnings?: string;
}

const KINDS: [string, string, string][] = [
  ["segment", "segment", "segments"],
  ["score", "score", "scores"],
  ["lifecycle", "lifecycle", "lifecycles"],
  ["tiers", "tiers", "tiers"],
  ["rfm", "RFM model", "RFM models"],
  ["channel", "channel", "channels"],
  ["split", "split", "splits"],
];

export function registerCheck(program: Command, ctx: CommandContext): Command {
  const cmd = program
    .command("check")
    .description("check rules files: syntax, names, references, fields and types against the schema")
    .argument("<files...>", "rules files (.cible)")
    .option("--data <file>", "infer the schema from this data file when there is no --schema")
    .option("--json", "print the diagnostics as JSON")
    .option("--max-warnings <n>", "also exit 1 when there are more warnings than this");
  addDataOptions(cmd);
  cmd.addHelpText("after", "\nExample:\n  $ cible check examples/b2b-france.cible --schema examples/schema.ts");
  return cmd.action(async (files: string[], flags: Flags) => {
    const { io } = ctx;
    const maxWarnings = flags.maxWarnings === undefined ? Infinity : Number(flags.maxWarnings);
    if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new CliError(`--max-warnings takes a whole number, got "${flags.maxWarnings}"`);
    const schema = await schemaFrom(flags, io, flags.data);
    const c = colorsFor(io.stdout, io.env);
    const results: { file: string; ok: boolean; errors: number; warnings: number; diagnostics: Diagnostic[] }[] = [];
    for (const file of files) {
      const rules = readRulesFile(file, io);
      let diagnostics: Diagnostic[];
      if (schema) diagnostics = checkRules(rules.source, schema.zod).diagnostics;
      else {
        try {
          parseRulesFile(rules.source);
          diagnostics = [];
        } catch (e) {
          if (!(e instanceof CibleError)) throw e;
          diagnostics = e.diagnostics;
        }
      }
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      results.push({ file, ok: errors === 0, errors, warnings: diagnostics.length - errors, diagnostics });
      if (flags.json) continue;
      for (const d of diagnostics) io.stdout.write(`${renderDiagnostic(d, rules.source, file, c)}\n\n`);
      if (errors) io.stdout.write(`${c.red("✗")} ${file}: ${countProblems(diagnostics)}\n`);
      else {
        const doc = parseRulesFile(rules.source);
        const counts = KINDS.map(([kind, one, many]) => [doc.definitions.filter((d) => d.kind === kind).length, one, many] as const)
          .filter(([n]) => n > 0)
          .map(([n, one, many]) => plural(n, one, many));
        const what = counts.length ? counts.join(", ") : "no definitions";
        const problems = diagnostics.length ? `, ${countProblems(diagnostics)}` : "";
        io.stdout.write(`${diagnostics.length ? c.yellow("!") : c.green("✓")} ${file}: ${what}${problems}${schema ? "" : c.dim(" (syntax only: pass --schema to check fields and types)")}\n`);
      }
    }
    const errors = results.reduce((s, r) => s + r.errors, 0);
    const warnings = results.reduce((s, r) => s + r.warnings, 0);
    if (flags.json) io.stdout.write(`${JSON.stringify({ ok: errors === 0, schema: schema?.origin ?? null, files: results }, null, 2)}\n`);
    if (errors || warnings > maxWarnings) ctx.exit(EXIT.problems);
    if (!flags.json && warnings > maxWarnings) io.stderr.write(`cible: ${plural(warnings, "warning")}, more than --max-warnings ${maxWarnings}\n`);
  });
}
