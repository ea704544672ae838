/** Runs the CLI in process with captured output, and makes scratch folders with files. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { afterAll } from "vitest";
import { main } from "../../src/cli/main.js";

export const ROOT = resolve(__dirname, "../..");
export const EXAMPLE_RULES = join(ROOT, "examples/b2b-france.cible");
export const EXAMPLE_SCHEMA_TS = join(ROOT, "examples/schema.ts");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Collector {
  text = "";
  constructor(readonly isTTY = false) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

/** `cible ...argv` in process (no colours), from `cwd`. */
export async function cli(argv: string[], options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await main(argv, {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...options.env },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A scratch folder, removed after the test file; `file(name, text)` writes into it. */
export function scratch(): { dir: string; file: (name: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), "cible-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** A small JSON Schema for hand-written fixtures. */
export const SMALL_SCHEMA = {
  type: "object",
  properties: {
    id: { type: "string" },
    entreprise: { type: "string" },
    secteur: { type: "string", enum: ["santé", "finance", "industrie"] },
    effectif: { type: "integer" },
    ca: { anyOf: [{ type: "number" }, { type: "null" }] },
    technos: { type: "array", items: { type: "string" } },
    optin: { type: "boolean" },
    dernierAchat: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
  },
  required: ["id", "entreprise", "secteur", "effectif", "ca", "technos", "optin", "dernierAchat"],
};

export const SMALL_RULES = `# Petit fichier de règles
segment sante:
  secteur = "santé"

segment grosses:
  effectif >= 250

segment salesforce:
  technos has "Salesforce"

segment recents:
  dernierAchat within last 90 days

score fit:
  +30 if @sante
  +20 if @grosses
  +1 per ca max 10
  clamp 0 to 100

lifecycle etape:
  prospect
  client if dernierAchat is set
  fidele if dernierAchat within last 30 days

tiers taille by effectif:
  grande  if >= 250
  moyenne if >= 50
  petite  otherwise

tiers rang by effectif quantiles:
  haut 50%
  bas  otherwise
`;
