/**
 * `cible infer DATA > schema.json`: the JSON Schema other commands would infer from a data file,
 * written down so that it can be edited (an `enum` for choices, `"ordered": true` for bands) and
 * passed back with `--schema`.
 */
import type { Command } from "commander";
import type { CommandContext } from "../main.js";
import { type DataFlags, collect, dataOptions } from "../options.js";
import { openRecords } from "../records.js";
import { sayInferred } from "./shared.js";

export function registerInfer(program: Command, ctx: CommandContext): Command {
  return program
    .command("infer")
    .description("print the JSON Schema inferred from a data file, to edit and pass back with --schema")
    .argument("<data>", "data file: .csv, .ndjson (or .gz of either), - for standard input")
    .option("--format <format>", "data format: csv or ndjson (default: from the extension or the first byte)")
    .option("--delimiter <char>", "CSV delimiter (default: guessed among , ; tab |)")
    .option("--sample <n>", "records to infer the schema from", "1000")
    .option("--map <column=field>", "name a CSV column's field: --map \"Secteur d'activité=secteur\", or @file.json of {column: field} (repeatable)", collect)
    .addHelpText("after", "\nExample:\n  $ cible infer contacts.csv > contacts.schema.json")
    .action(async (dataPath: string, flags: DataFlags) => {
      const { io } = ctx;
      const input = await openRecords(dataPath, io, dataOptions({ ...flags, schema: undefined }));
      await input.close();
      sayInferred(input.inferred, input.schema.origin, io);
      io.stdout.write(`${JSON.stringify(input.inferred, null, 2)}\n`);
    });
}
