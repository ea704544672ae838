#!/usr/bin/env node
/**
 * The `cible` command (docs/cli.md). The work is in src/cli/; this file only runs it.
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { main } from "./cli/main.js";

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

// `cible eval … | head`: when the reader closes the pipe, stop quietly, as Unix tools do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

main(process.argv.slice(2), undefined, version()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`cible: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
