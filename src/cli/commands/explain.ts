/**
 * `cible explain RULES --segment NAME --record JSON`: why one record is in a segment or not, as the
 * ✓ / ✗ / ? tree of `explainText`; `--score NAME` shows each score rule's points instead.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { explainText } from "../../index.js";
import { num, table } from "../format.js";
import { type CliIo, CliError, EXIT, colorsFor, pathIn } from "../io.js";
import type { CommandContext } from "../main.js";
import { type TimeFlags, addTimeOptions, compileRulesFile, evalContext, readRulesFile } from "../options.js";
import { SchemaInference } from "../infer.js";
import { type LoadedSchema, fromJsonSchema, loadSchema } from "../schema.js";
import { sayInferred } from "./shared.js";

interface Flags extends TimeFlags {
  segment?: string;
  score?: string;
  record: string;
  schema?: string;
  json?: boolean;
}

export function registerExplain(program: Command, ctx: CommandContext): Command {
  const cmd = program
    .command("explain")
    .description("explain why a record is in a segment or not (or how it scores)")
    .argument("<rules>", "rules file (.cible)")
    .option("--segment <name>", "the segment to explain")
    .option("--score <name>", "the score to explain, rule by rule")
    .requiredOption("--record <json>", "the record: JSON text, @file.json, or - for standard input")
    .option("--schema <file>", "JSON Schema or module exporting a zod schema (default: inferred from the record)")
    .option("--json", "print the explanation as JSON");
  addTimeOptions(cmd);
  cmd.addHelpText("after", `\nExample:\n  $ cible explain rules.cible --segment etiSante --record '{"secteur":"santé","tranche":"250-999"}' --schema schema.json`);
  return cmd.action(async (rulesPath: string, flags: Flags) => {
    const { io } = ctx;
    if (!flags.segment === !flags.score) throw new CliError("give either --segment NAME or --score NAME", EXIT.failure);
    const evalCtx = evalContext(flags);
    const record = await readRecord(flags.record, io);
    const rulesFile = readRulesFile(rulesPath, io);
    const schema = flags.schema ? await loadSchema(flags.schema, io) : inferFromRecord(record, io);
    const rules = compileRulesFile(rulesFile, schema.zod, io);
    const c = colorsFor(io.stdout, io.env);
    if (flags.segment) {
      const seg = rules.segments[flags.segment];
      if (!seg) throw unknownName("segment", flags.segment, Object.keys(rules.segments));
      const explanation = seg.explain(record, evalCtx);
      if (flags.json) io.stdout.write(`${JSON.stringify(explanation, null, 2)}\n`);
      else {
        const verdict = explanation.result === true ? c.green("in") : explanation.result === false ? c.red("not in") : c.yellow("unknown for");
        io.stdout.write(`The record is ${verdict} ${c.bold(flags.segment)}:\n`);
        io.stdout.write(`${paintTree(explainText(explanation), c)}\n`);
      }
      return;
    }
    const score = rules.scores[flags.score!];
    if (!score) throw unknownName("score", flags.score!, Object.keys(rules.scores));
    const explanation = score.explain(record, evalCtx);
    if (flags.json) io.stdout.write(`${JSON.stringify(explanation, null, 2)}\n`);
    else {
      io.stdout.write(`${c.bold(flags.score!)} = ${num(explanation.total)}\n`);
      const rows = explanation.contributions.map((k) => [k.points > 0 ? c.green(`+${num(k.points)}`) : k.points < 0 ? c.red(num(k.points)) : c.dim("0"), k.points ? k.text : c.dim(k.text)]);
      io.stdout.write(`${table(rows, ["right", "left"])}\n`);
    }
  });
}

function paintTree(text: string, c: ReturnType<typeof colorsFor>): string {
  return text.replace(/✓/g, c.green("✓")).replace(/✗/g, c.red("✗")).replace(/\?(?= )/g, c.yellow("?"));
}

function unknownName(kind: string, name: string, known: string[]): CliError {
  return new CliError(`there is no ${kind} ${name}`, EXIT.failure, known.length ? `the ${kind}s: ${known.join(", ")}` : `the file has no ${kind}`);
}

async function readRecord(spec: string, io: CliIo): Promise<Record<string, unknown>> {
  let text = spec;
  if (spec === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    text = Buffer.concat(chunks).toString("utf8");
  } else if (spec.startsWith("@")) {
    try {
      text = readFileSync(pathIn(io, spec.slice(1)), "utf8");
    } catch {
      throw new CliError(`cannot read ${spec.slice(1)}: no such file`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError(`--record is not valid JSON (${(e as Error).message})`, EXIT.failure, `for example --record '{"secteur":"santé"}' or --record @contact.json`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new CliError("--record must be a JSON object");
  return value as Record<string, unknown>;
}

function inferFromRecord(record: Record<string, unknown>, io: CliIo): LoadedSchema {
  const inference = new SchemaInference();
  inference.add({ kind: "json", value: record });
  const inferred = inference.jsonSchema();
  const schema = fromJsonSchema(inferred, "inferred from the record");
  sayInferred(inferred, schema.origin, io);
  return schema;
}
