/**
 * `npm run demo`: the whole library at work on a generated French B2B base of 20,000 contacts.
 *
 * 1. Generates the base into examples/data/ when it is missing or older than the generator
 *    (examples/generate.ts, seeded).
 * 2. `cible check` the rules file examples/b2b-france.cible against the schema.
 * 3. `cible report` over the CSV export: segment sizes and overlaps, reach per segment and channel,
 *    data quality, the conversion rate (`--outcome converti`) per segment and per arm of the split
 *    `printemps`, hygiene warnings, lifecycle funnel, scores, tiers, RFM, printed here and written
 *    to examples/data/report.html.
 *
 * The dates of the base are relative to DEMO_NOW, which the demo passes as `--now`, so every run
 * prints the same numbers.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import pc from "picocolors";
import { main } from "../src/cli/main.js";
import { DATA_DIR, DEMO_NOW, generate } from "./generate.js";

const here = (path: string) => relative(process.cwd(), path) || ".";
const rules = here(join(DATA_DIR, "..", "b2b-france.cible"));
const csv = join(DATA_DIR, "contacts.csv");
const schema = join(DATA_DIR, "contacts.schema.json");
const html = join(DATA_DIR, "report.html");
const say = (text: string) => process.stdout.write(`${text}\n`);

async function step(title: string, argv: string[], shown: string[] = argv): Promise<void> {
  say(`\n${pc.bold(title)}\n${pc.dim(`$ cible ${shown.join(" ")}`)}\n`);
  const code = await main(argv);
  if (code !== 0) {
    say(`cible exited with ${code}`);
    process.exit(code);
  }
}

// The base is generated again when the generator or the schema changed since it was written
// (a stamp of their text), so an old examples/data/ never meets a newer rules file.
const stampFile = join(DATA_DIR, "generated-by.txt");
const stamp = createHash("sha256")
  .update(readFileSync(join(DATA_DIR, "..", "generate.ts")))
  .update(readFileSync(join(DATA_DIR, "..", "schema.ts")))
  .digest("hex");
const stale = !existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp;
if (stale || !existsSync(csv) || !existsSync(schema) || !existsSync(join(DATA_DIR, "contacts.ndjson"))) {
  const started = Date.now();
  const out = generate();
  writeFileSync(stampFile, stamp);
  say(`Generated ${out.count.toLocaleString("en-US")} contacts in ${Date.now() - started} ms into ${here(DATA_DIR)}/ (contacts.csv, contacts.ndjson, contacts.schema.json).`);
}

const time = ["--now", DEMO_NOW, "--tz", "Europe/Paris"];
await step("1. Check the rules file against the schema", ["check", rules, "--schema", here(schema)]);
await step("2. Report over the CRM export", ["report", rules, here(csv), "--schema", here(schema), ...time, "--outcome", "converti", "--html", here(html)]);
const firstContact = readFileSync(join(DATA_DIR, "contacts.ndjson"), "utf8").split("\n", 1)[0]!;
const explainArgs = (record: string) => ["explain", rules, "--segment", "relanceChauds", "--record", record, "--schema", here(schema), ...time];
await step(
  "3. Why is (or isn't) the first contact a hot lead to follow up?",
  explainArgs(firstContact),
  explainArgs(`'<first line of ${here(join(DATA_DIR, "contacts.ndjson"))}>'`),
);
say(`\nThe HTML report: ${here(html)}`);
