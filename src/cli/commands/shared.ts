/**
 * Steps several subcommands take: finding the schema (given, or inferred from data and said so).
 */
import { describeInferred } from "../infer.js";
import { type CliIo, colorsFor } from "../io.js";
import { dataOptions, type DataFlags } from "../options.js";
import { openRecords } from "../records.js";
import { type LoadedSchema, loadSchema } from "../schema.js";

/** Tells, on stderr, the schema inferred from the data. */
export function sayInferred(inferred: Record<string, unknown> | undefined, origin: string, io: CliIo): void {
  if (!inferred) return;
  const c = colorsFor(io.stderr, io.env);
  const lines = describeInferred(inferred);
  io.stderr.write(`${c.yellow("cible:")} no --schema: ${origin}:\n`);
  for (const l of lines) io.stderr.write(`  ${c.dim("·")} ${l}\n`);
  io.stderr.write(`  ${c.dim("(cible infer DATA > schema.json writes it down to edit; pass it back with --schema)")}\n`);
}

/**
 * The schema of `--schema`, else one inferred from `data` (said on stderr), else undefined. With
 * both, the data's CSV header is checked against the schema (warnings, `--strict`).
 */
export async function schemaFrom(flags: DataFlags, io: CliIo, data: string | undefined): Promise<LoadedSchema | undefined> {
  if (flags.schema && data === undefined) return loadSchema(flags.schema, io);
  if (data === undefined) return undefined;
  const input = await openRecords(data, io, dataOptions(flags));
  await input.close();
  sayInferred(input.inferred, input.schema.origin, io);
  return input.schema;
}
