/**
 * `cible`: the command line. `main(argv, io)` parses the arguments (commander), runs one
 * subcommand and returns its exit code; it never calls `process.exit`, so tests run it in process.
 *
 * Exit codes (as eslint and prettier): 0 success, 1 problems found (errors in a rules file,
 * unformatted files), 2 the command could not run (usage, missing file, bad schema or data).
 */
import { Command, CommanderError } from "commander";
import { CibleError } from "../index.js";
import { registerCheck } from "./commands/check.js";
import { registerEval } from "./commands/eval.js";
import { registerExplain } from "./commands/explain.js";
import { registerFmt } from "./commands/fmt.js";
import { registerInfer } from "./commands/infer.js";
import { registerLsp } from "./commands/lsp.js";
import { registerReport } from "./commands/report.js";
import { registerSql } from "./commands/sql.js";
import { renderDiagnostic } from "./format.js";
import { type CliIo, CliError, EXIT, colorsFor, processIo } from "./io.js";

/** What a subcommand's action receives besides its arguments. */
export interface CommandContext {
  readonly io: CliIo;
  /** The exit code the command ends with (default 0). */
  exit(code: number): void;
}

export async function main(argv: readonly string[], io: CliIo = processIo(), version = "0.0.0"): Promise<number> {
  let code: number = EXIT.ok;
  const ctx: CommandContext = { io, exit: (c) => (code = Math.max(code, c)) };
  const program = new Command("cible")
    .description("Check, format, run and report B2B segmentation rules (.cible files).")
    .version(version, "-v, --version")
    .showHelpAfterError("(add --help for usage)")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(colorsFor(io.stderr, io.env).red(s)),
    })
    .exitOverride()
    .addHelpText(
      "after",
      `
Examples:
  $ cible check rules.cible --schema contacts.schema.json
  $ cible eval rules.cible contacts.csv --out results.ndjson
  $ cible report rules.cible contacts.csv --html report.html

Exit codes: 0 success, 1 problems found (rule errors, unformatted files), 2 could not run.
Docs: docs/cli.md in the cible repository (the docs are not installed with the package).`,
    );
  program.configureHelp({ sortSubcommands: false, showGlobalOptions: false });

  // Subcommands inherit the output, exitOverride and help-after-error settings set above.
  for (const register of [registerCheck, registerFmt, registerEval, registerReport, registerExplain, registerSql, registerInfer, registerLsp]) register(program, ctx);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CliIo): number {
  const c = colorsFor(io.stderr, io.env);
  if (e instanceof CommanderError) {
    // Help and version are "errors" only for commander's control flow.
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT.ok;
    // A subcommand given no arguments at all shows the help (commander prints it to stderr).
    return e.exitCode === 0 ? EXIT.ok : EXIT.failure;
  }
  if (e instanceof CliError) {
    io.stderr.write(`${c.red("cible:")} ${e.message}\n`);
    if (e.hint) io.stderr.write(`  ${c.cyan("hint:")} ${e.hint}\n`);
    return e.exitCode;
  }
  if (e instanceof CibleError) {
    // Evaluation inputs (`eval.*`, `param.*`): no position in a rule, so no code frame.
    for (const d of e.diagnostics) io.stderr.write(`${c.red("cible:")} ${renderDiagnostic(d, undefined, undefined, c)}\n`);
    return EXIT.failure;
  }
  const err = e as Error;
  io.stderr.write(`${c.red("cible: internal error:")} ${err?.stack ?? String(e)}\n`);
  io.stderr.write("  please report it with the command that caused it\n");
  return EXIT.failure;
}
