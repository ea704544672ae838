/**
 * `cible sql RULES --segment NAME --dialect postgres|duckdb`: the segment as a parameterised SQL
 * condition (for `WHERE`) and its parameters, from `cible/sql` (docs/sql.md: the table layout it
 * targets). `--score` and `--lifecycle` give a score's expression and a lifecycle's `CASE`.
 */
import type { Command } from "commander";
import { CibleError } from "../../index.js";
import { type ChildTable, type SQLCondition, type SQLDialectName, scoreToSQL, segmentToSQL, stageToSQL } from "../../sql.js";
import { renderDiagnostic } from "../format.js";
import { CliError, EXIT, colorsFor } from "../io.js";
import type { CommandContext } from "../main.js";
import { type TimeFlags, addTimeOptions, compileRulesFile, evalContext, readRulesFile } from "../options.js";
import { loadSchema } from "../schema.js";

interface Flags extends TimeFlags {
  segment?: string;
  score?: string;
  lifecycle?: string;
  dialect: string;
  table: string;
  schema?: string;
  column?: string[];
  child?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerSql(program: Command, ctx: CommandContext): Command {
  const cmd = program
    .command("sql")
    .description("print a segment as a parameterised SQL condition (PostgreSQL or DuckDB)")
    .argument("<rules>", "rules file (.cible)")
    .option("--segment <name>", "the segment: a boolean condition for WHERE")
    .option("--score <name>", "a score: a numeric expression")
    .option("--lifecycle <name>", "a lifecycle: a CASE giving the stage name")
    .option("--dialect <dialect>", "postgres or duckdb", "postgres")
    .option("--table <name>", "the records' table", "contacts")
    .option("--schema <file>", "JSON Schema or module exporting a zod schema (needed: column types decide the casts)")
    .option("--column <field=column>", "a column name other than the field's (repeatable)", collect)
    .option("--child <path=table:foreignKey[:key]>", "the child table of a list of objects (repeatable), e.g. achats=achats:contact_id", collect)
    .option("--json", "print { sql, params } as JSON");
  addTimeOptions(cmd);
  cmd.addHelpText(
    "after",
    `
Example:
  $ cible sql rules.cible --segment etiSante --dialect duckdb --schema schema.json --now 2026-06-01
  (rules are compiled at --now: relative dates become parameters)`,
  );
  return cmd.action(async (rulesPath: string, flags: Flags) => {
    const { io } = ctx;
    const picked = [flags.segment, flags.score, flags.lifecycle].filter((x) => x !== undefined).length;
    if (picked !== 1) throw new CliError("give one of --segment NAME, --score NAME or --lifecycle NAME");
    const dialect = flags.dialect.toLowerCase();
    if (dialect !== "postgres" && dialect !== "duckdb") throw new CliError(`unknown dialect "${flags.dialect}"`, EXIT.failure, "use --dialect postgres or --dialect duckdb");
    if (!flags.schema) throw new CliError("sql needs --schema: the column types decide the casts and operators");
    const evalCtx = evalContext(flags);
    const rulesFile = readRulesFile(rulesPath, io);
    const schema = await loadSchema(flags.schema, io);
    const rules = compileRulesFile(rulesFile, schema.zod, io);
    const kind = flags.segment !== undefined ? "segment" : flags.score !== undefined ? "score" : "lifecycle";
    const name = (flags.segment ?? flags.score ?? flags.lifecycle)!;
    const known = Object.keys(kind === "segment" ? rules.segments : kind === "score" ? rules.scores : rules.lifecycles);
    if (!known.includes(name)) throw new CliError(`there is no ${kind} ${name}`, EXIT.failure, known.length ? `the ${kind}s: ${known.join(", ")}` : undefined);
    const options = {
      dialect: dialect as SQLDialectName,
      table: flags.table,
      schema: schema.zod,
      now: evalCtx.now,
      timeZone: evalCtx.timeZone,
      params: evalCtx.params,
      columns: pairs(flags.column ?? [], "--column", "field=column"),
      children: children(flags.child ?? []),
    };
    const compileDef = kind === "segment" ? segmentToSQL : kind === "score" ? scoreToSQL : stageToSQL;
    let result: SQLCondition;
    try {
      result = compileDef(rules, name, options);
    } catch (e) {
      if (!(e instanceof CibleError)) throw e;
      const c = colorsFor(io.stderr, io.env);
      for (const d of e.diagnostics) {
        io.stderr.write(`${renderDiagnostic(d, d.span.start.offset || d.span.end.offset ? rulesFile.source : undefined, rulesFile.file, c)}\n`);
        const list = d.code === "sql.child-table" ? /`([^`]+)`/.exec(d.message)?.[1] : undefined;
        if (list) io.stderr.write(`  ${c.cyan("with the CLI:")} --child ${list}=TABLE:FOREIGN_KEY (e.g. --child ${list}=${list.replace(/\W/g, "_")}:contact_id)\n`);
      }
      ctx.exit(EXIT.problems);
      return;
    }
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ sql: result.sql, params: result.params }, null, 2)}\n`);
      return;
    }
    const c = colorsFor(io.stdout, io.env);
    io.stdout.write(`${c.dim(`-- ${kind} ${name} (${dialect}) at ${evalCtx.now.toISOString()}, ${evalCtx.timeZone}`)}\n${result.sql}\n`);
    if (result.params.length) {
      io.stdout.write(`${c.dim("-- params")}\n`);
      result.params.forEach((p, i) => io.stdout.write(`${c.dim(`-- ${dialect === "postgres" ? `$${i + 1}` : `?${i + 1}`} =`)} ${JSON.stringify(p)}\n`));
    }
  });
}

function pairs(list: readonly string[], flag: string, shape: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf("=");
    if (eq <= 0 || eq === item.length - 1) throw new CliError(`${flag} takes ${shape}, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function children(list: readonly string[]): Record<string, ChildTable> {
  const out: Record<string, ChildTable> = {};
  for (const [path, spec] of Object.entries(pairs(list, "--child", "path=table:foreignKey[:key]"))) {
    const [table, foreignKey, key] = spec.split(":");
    if (!table || !foreignKey) throw new CliError(`--child takes path=table:foreignKey[:key], got "${path}=${spec}"`);
    out[path] = { table, foreignKey, key: key || "id" };
  }
  return out;
}
