/**
 * `cible fmt FILE…`: the canonical text of rules files (docs/formatting.md), comments kept.
 * Without flags it prints the formatted text; `--write` rewrites the files; `--check` lists the
 * files that are not formatted and exits 1 (for CI). A file with syntax errors exits 2.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { CibleError, format } from "../../index.js";
import { renderDiagnostic } from "../format.js";
import { CliError, EXIT, colorsFor, pathIn } from "../io.js";
import type { CommandContext } from "../main.js";
import { readRulesFile } from "../options.js";

interface Flags {
  write?: boolean;
  check?: boolean;
}

export function registerFmt(program: Command, ctx: CommandContext): Command {
  return program
    .command("fmt")
    .description("format rules files canonically (comments kept)")
    .argument("<files...>", "rules files (.cible)")
    .option("-w, --write", "rewrite the files in place")
    .option("-c, --check", "exit 1 and list the files that are not formatted (for CI)")
    .addHelpText("after", "\nExamples:\n  $ cible fmt rules.cible            # print the formatted file\n  $ cible fmt --write rules/*.cible\n  $ cible fmt --check rules/*.cible")
    .action((files: string[], flags: Flags) => {
      const { io } = ctx;
      if (flags.write && flags.check) throw new CliError("--write and --check cannot be used together");
      if (!flags.write && !flags.check && files.length > 1) throw new CliError("without --write or --check, fmt prints one file", EXIT.failure, "use --write to format several files in place");
      const c = colorsFor(io.stderr, io.env);
      const unformatted: string[] = [];
      let broken = 0;
      for (const file of files) {
        const rules = readRulesFile(file, io);
        let formatted: string;
        try {
          formatted = format(rules.source);
        } catch (e) {
          if (!(e instanceof CibleError)) throw e;
          for (const d of e.diagnostics) io.stderr.write(`${renderDiagnostic(d, rules.source, file, c)}\n\n`);
          broken++;
          continue;
        }
        if (!formatted.endsWith("\n")) formatted += "\n";
        const same = formatted === rules.source.replace(/\r\n/g, "\n");
        if (flags.check) {
          if (!same) {
            unformatted.push(file);
            io.stdout.write(`${file}\n`);
          }
        } else if (flags.write) {
          if (!same) {
            writeFileSync(pathIn(io, file), formatted);
            io.stdout.write(`formatted ${file}\n`);
          }
        } else io.stdout.write(formatted);
      }
      if (flags.check && unformatted.length) {
        io.stderr.write(`${c.yellow("cible:")} ${unformatted.length === 1 ? "1 file is" : `${unformatted.length} files are`} not formatted (cible fmt --write to fix)\n`);
        ctx.exit(EXIT.problems);
      }
      if (broken) ctx.exit(EXIT.failure);
    });
}

