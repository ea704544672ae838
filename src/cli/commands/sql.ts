/**
 * `cible sql RULES --segment NAME --dialect postgres|duckdb`: the segment as a parameterised SQL
 * condition (for `WHERE`) and its parameters, from `cible/sql` (docs/sql.md: the table layout it
 * targets). `--score` and `--lifecycle` give a score's expression and a lifecycle's `CASE`;
 * `--channel` a channel's condition, or with `--segment` the segment's reach through it; `--all`
 * every definition as one `SELECT` (`rulesToSQL`).
 */
import type { Command } from "commander";
import { CibleError, type Diagnostic } from "../../index.js";
import { type ChildTable, type SQLCondition, type SQLDialectName, rulesToSQL, scoreToSQL, segmentToSQL, stageToSQL } from "../../sql.js";
import { renderDiagnostic } from "../format.js";
import { CliError, EXIT, colorsFor } from "../io.js";
import type { CommandContext } from "../main.js";
import { type TimeFlags, addTimeOptions, compileRulesFile, evalContext, readRulesFile } from "../options.js";
import { loadSchema } from "../schema.js";
import type { Shape } from "../shape.js";

/** An object of the schema, as the CLI reads it (shape.ts). */
type ObjectType = Extract<Shape, { kind: "object" }>;

/** True for a list of objects (a child table in SQL). */
const isObjectArray = (t: Shape): t is { kind: "array"; element: ObjectType } => t.kind === "array" && t.element.kind === "object";

interface Flags extends TimeFlags {
  segment?: string;
  score?: string;
  lifecycle?: string;
  channel?: string;
  all?: boolean;
  key: string;
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
    .description("print a segment (or its reach through a channel) as a parameterised SQL condition, or every definition as one SELECT (PostgreSQL or DuckDB)")
    .argument("<rules>", "rules file (.cible)")
    .option("--segment <name>", "the segment: a boolean condition for WHERE")
    .option("--score <name>", "a score: a numeric expression")
    .option("--lifecycle <name>", "a lifecycle: a CASE giving the stage name")
    .option("--channel <name>", "a channel: its condition; with --segment, the segment AND the channel (rules.reach)")
    .option("--all", "every definition as one SELECT: the key, then a column per definition")
    .option("--key <column>", "with --all: the column that identifies a row", "id")
    .option("--dialect <dialect>", "postgres or duckdb", "postgres")
    .option("--table <name>", "the records' table", "contacts")
    .option("--schema <file>", "JSON Schema or module exporting a zod schema (needed: column types decide the casts)")
    .option("--column <field=column>", "a column name other than the field's (repeatable)", collect)
    .option(
      "--child <path=table:foreignKey[:key]>",
      "the child table of a list of objects (repeatable), e.g. achats=achats:contact_id; a list inside a listed object is PARENT.LIST, e.g. contacts.events=events:contact_id",
      collect,
    )
    .option("--json", "print { sql, params } as JSON");
  addTimeOptions(cmd);
  cmd.addHelpText(
    "after",
    `
Example:
  $ cible sql rules.cible --segment etiSante --dialect duckdb --schema schema.json --now 2026-06-01
  (rules are compiled at --now: relative dates become parameters)
  $ cible sql rules.cible --segment etiSante --channel email --schema schema.json
  (the records of etiSante that email may reach: unknown consent is not consent)
  $ cible sql rules.cible --all --key id --schema schema.json
  (one SELECT: per row its id and every segment, channel, score, stage, tier, split and RFM)
  $ cible sql accounts.cible --segment actifs --schema accounts.schema.json \
      --table accounts --child contacts=contacts:account_id --child contacts.events=events:contact_id
  (a list of objects inside a list of objects: its path from the record, through the parent list)`,
  );
  return cmd.action(async (rulesPath: string, flags: Flags) => {
    const { io } = ctx;
    const picked = [flags.segment, flags.score, flags.lifecycle, flags.all ? true : undefined].filter((x) => x !== undefined).length;
    const alone = flags.channel !== undefined && flags.segment === undefined;
    if (picked + (alone ? 1 : 0) !== 1 || (flags.channel !== undefined && (flags.score ?? flags.lifecycle ?? flags.all) !== undefined)) {
      throw new CliError("give one of --segment NAME (with --channel NAME for its reach), --score NAME, --lifecycle NAME, --channel NAME or --all");
    }
    const dialect = flags.dialect.toLowerCase();
    if (dialect !== "postgres" && dialect !== "duckdb") throw new CliError(`unknown dialect "${flags.dialect}"`, EXIT.failure, "use --dialect postgres or --dialect duckdb");
    if (!flags.schema) throw new CliError("sql needs --schema: the column types decide the casts and operators");
    const evalCtx = evalContext(flags);
    const rulesFile = readRulesFile(rulesPath, io);
    const schema = await loadSchema(flags.schema, io);
    const rules = compileRulesFile(rulesFile, schema.zod, io);
    const kind = flags.all ? "all" : flags.segment !== undefined ? "segment" : flags.score !== undefined ? "score" : flags.lifecycle !== undefined ? "lifecycle" : "channel";
    const name = flags.segment ?? flags.score ?? flags.lifecycle ?? flags.channel ?? "";
    const maps = { segment: rules.segments, score: rules.scores, lifecycle: rules.lifecycles, channel: rules.channels };
    const asked: [keyof typeof maps, string][] = kind === "all" ? [] : [[kind, name]];
    if (kind === "segment" && flags.channel !== undefined) asked.push(["channel", flags.channel]);
    for (const [k, n] of asked) {
      const known = Object.keys(maps[k]);
      if (!known.includes(n)) throw new CliError(`there is no ${k} ${n}`, EXIT.failure, known.length ? `the ${k}s: ${known.join(", ")}` : undefined);
    }
    const root: ObjectType = { kind: "object", fields: schema.fields };
    const childTables = children(flags.child ?? [], root);
    const options = {
      dialect: dialect as SQLDialectName,
      table: flags.table,
      schema: schema.zod,
      now: evalCtx.now,
      timeZone: evalCtx.timeZone,
      params: evalCtx.params,
      columns: pairs(flags.column ?? [], "--column", "field=column"),
      children: childTables,
    };
    let result: SQLCondition;
    try {
      if (kind === "all") result = rulesToSQL(rules, { ...options, key: flags.key });
      else if (kind === "score") result = scoreToSQL(rules, name, options);
      else if (kind === "lifecycle") result = stageToSQL(rules, name, options);
      else result = segmentToSQL(rules, name, kind === "segment" && flags.channel !== undefined ? { ...options, channel: flags.channel } : options);
    } catch (e) {
      if (!(e instanceof CibleError)) throw e;
      const c = colorsFor(io.stderr, io.env);
      for (const d of e.diagnostics) {
        const shown = d.code === "sql.child-table" ? withChildHint(d, root, childTables, flags.table) : d;
        io.stderr.write(`${renderDiagnostic(shown, d.span.start.offset || d.span.end.offset ? rulesFile.source : undefined, rulesFile.file, c)}\n`);
      }
      // The rule itself (what the dialect cannot express): 1; what the command was given (a
      // missing --child, a bad --column name or --param, --now, --tz): 2, it could not run.
      ctx.exit(e.diagnostics.every((d) => !COULD_NOT_RUN.test(d.code)) ? EXIT.problems : EXIT.failure);
      return;
    }
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ sql: result.sql, params: result.params }, null, 2)}\n`);
      return;
    }
    const c = colorsFor(io.stdout, io.env);
    const what = kind === "all" ? `every definition of ${rulesFile.file}` : `${kind} ${name}${kind === "segment" && flags.channel !== undefined ? ` through channel ${flags.channel}` : ""}`;
    io.stdout.write(`${c.dim(`-- ${what} (${dialect}) at ${evalCtx.now.toISOString()}, ${evalCtx.timeZone}`)}\n${result.sql}\n`);
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

/**
 * `--child PATH=table:foreignKey[:key]` as `ToSQLOptions.children`. PATH is read against the
 * schema from the record: dots go into nested objects (`hq.offices`) and, past a list of
 * objects, into its elements (`contacts.events`: the child table of `events`, nested in the
 * child table of `contacts`, which needs its own --child).
 */
function children(list: readonly string[], root: ObjectType): Record<string, ChildTable> {
  const given: { path: string; levels: string[]; table: ChildTable }[] = [];
  for (const [path, spec] of Object.entries(pairs(list, "--child", "path=table:foreignKey[:key]"))) {
    const [table, foreignKey, key, ...rest] = spec.split(":");
    if (!table || !foreignKey || rest.length) throw new CliError(`--child takes path=table:foreignKey[:key], got "${path}=${spec}"`);
    given.push({ path, levels: childLevels(path, root), table: { table, foreignKey, key: key || "id" } });
  }
  // Parents first, whatever the order of the flags.
  given.sort((a, b) => a.levels.length - b.levels.length);
  const out: Record<string, ChildTable> = {};
  const nodes = new Map<string, { children?: Record<string, ChildTable> }>([["", { children: out }]]);
  for (const g of given) {
    const parentPath = g.levels.slice(0, -1).join(".");
    const parent = nodes.get(parentPath);
    if (!parent) throw new CliError(`--child ${g.path} is a list inside ${parentPath}, which has no --child`, EXIT.failure, `add --child ${parentPath}=TABLE:FOREIGN_KEY`);
    const node: ChildTable = { ...g.table };
    (parent.children ??= {})[g.levels.at(-1)!] = node;
    nodes.set(g.levels.join("."), node as { children?: Record<string, ChildTable> });
  }
  return out;
}

/**
 * The keys of a --child path, one per child table from the record down: `contacts.events` →
 * `["contacts", "events"]`, `hq.offices` → `["hq.offices"]`. Exit 2 for a path the schema does
 * not have or that does not end on a list of objects.
 */
function childLevels(path: string, root: ObjectType): string[] {
  const levels: string[] = [];
  let object = root;
  let key: string[] = [];
  for (const name of path.split(".")) {
    const field = object.fields.get(name);
    const at = [...levels, ...key, name].join(".");
    if (!field) throw new CliError(`--child ${path}: the schema has no field ${at}`, EXIT.failure, childHint(root));
    key.push(name);
    if (field.kind === "object") object = field;
    else if (isObjectArray(field)) {
      levels.push(key.join("."));
      key = [];
      object = field.element;
    } else throw new CliError(`--child ${path}: ${at} is not a list of objects`, EXIT.failure, childHint(root));
  }
  if (key.length) throw new CliError(`--child ${path}: ${path} is not a list of objects`, EXIT.failure, childHint(root));
  return levels;
}

/** The lists of objects of one object (through nested objects, not into lists), as dotted paths with their element. */
function ownLists(object: ObjectType, prefix = ""): { path: string; element: ObjectType }[] {
  const out: { path: string; element: ObjectType }[] = [];
  for (const [name, f] of object.fields) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (f.kind === "object") out.push(...ownLists(f, path));
    else if (isObjectArray(f)) out.push({ path, element: f.element });
  }
  return out;
}

/** Every list of objects of the schema, as --child paths (`contacts`, `contacts.events`). */
function listPaths(object: ObjectType, prefix = ""): string[] {
  return ownLists(object).flatMap(({ path, element }) => {
    const full = prefix ? `${prefix}.${path}` : path;
    return [full, ...listPaths(element, full)];
  });
}

function childHint(root: ObjectType): string {
  const lists = listPaths(root);
  return lists.length ? `the lists of objects of the schema: ${lists.join(", ")}` : "the schema has no list of objects";
}

/** Codes of what the command was given rather than of the rule: exit 2. */
const COULD_NOT_RUN = /^(sql\.(child-table|options|identifier|schema)|param\.|eval\.)/;

/**
 * `sql.child-table` with the --child the CLI needs: the library names the list from its parent
 * (`events`), the CLI wants its path through the lists already given (`contacts.events`).
 */
function withChildHint(d: Diagnostic, root: ObjectType, given: Readonly<Record<string, ChildTable>>, table: string): Diagnostic {
  const key = /`([^`]+)`/.exec(d.message)?.[1];
  if (key === undefined) return d;
  // The lists the rule may read and no --child describes, under lists that one does.
  const missing: string[] = [];
  const walk = (object: ObjectType, prefix: string, kids: Readonly<Record<string, ChildTable>> | undefined) => {
    for (const { path, element } of ownLists(object)) {
      const cfg = kids && Object.hasOwn(kids, path) ? kids[path] : undefined;
      const full = prefix ? `${prefix}.${path}` : path;
      if (cfg) walk(element, full, cfg.children);
      else if (path === key) missing.push(full);
    }
  };
  walk(root, "", given);
  const paths = missing.length ? missing : [key];
  const p = paths[0]!;
  const parent = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : table;
  const last = (name: string) => name.split(".").at(-1)!.replace(/\W/g, "_");
  const example = `--child ${p}=${last(p)}:${last(parent).replace(/s$/, "")}_id`;
  const forms = paths.map((x) => `--child ${x}=TABLE:FOREIGN_KEY[:KEY]`).join(" or ");
  return { ...d, message: d.message.replace("`children` does not say", "no --child says"), hint: `${forms}: the list's table and its column that holds the parent row's id, e.g. ${example}` };
}
