/**
 * Keeps the dependency direction of docs/architecture.md: a folder may import only the folders
 * listed for it, and `cible/runtime` never reaches the parser (no chevrotain in that bundle).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(__dirname, "../src");

const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  time: [],
  text: [],
  ast: ["errors"],
  syntax: ["ast", "errors", "text"],
  schema: ["errors", "text"],
  check: ["ast", "schema", "errors", "text", "time"],
  compile: ["ast", "schema", "check", "errors", "time", "text"],
  rules: ["compile", "check", "ast", "schema", "errors", "time", "syntax", "text"],
  sql: ["ast", "schema", "check", "errors", "time", "syntax", "rules", "text"],
  testing: ["ast", "schema", "check", "compile", "errors", "time", "syntax", "rules", "text"],
  // The language service reads the parser's tokens, the checker's facts and the rules checker.
  language: ["ast", "schema", "check", "errors", "time", "syntax", "rules", "text"],
  // The command line is a user of the package: it goes through the public faces only.
  cli: ["index.ts", "sql.ts", "runtime.ts", "language.ts"],
  // The CodeMirror extension is a user of the language service: its public face, and the
  // diagnostic types.
  codemirror: ["language.ts", "errors"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Relative imports of a file, resolved to absolute .ts paths. */
function localImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["']([^"']+)["']/g)].map((m) => m[1]!);
  return specs.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")));
}

function packageImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*["']([^"'.][^"']*)["']/g)].map((m) => m[1]!);
}

const folderOf = (file: string) => relative(SRC, file).split(/[\\/]/)[0]!;

describe("architecture", () => {
  it("every folder imports only the folders it may", () => {
    const wrong: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = folderOf(file);
      if (from.endsWith(".ts")) continue; // the public faces may import anything
      const allowed = ALLOWED[from];
      expect(allowed, `src/${from} is not listed in docs/architecture.md`).toBeDefined();
      for (const target of localImports(file)) {
        const to = folderOf(target);
        if (to !== from && !allowed!.includes(to)) wrong.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("cible/runtime never reaches the parser or chevrotain", () => {
    const seen = new Set<string>();
    const queue = [join(SRC, "runtime.ts")];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      queue.push(...localImports(file));
    }
    const reached = [...seen].map((f) => relative(SRC, f));
    expect(reached.filter((f) => f.startsWith("syntax"))).toEqual([]);
    expect([...seen].flatMap(packageImports).filter((p) => p.startsWith("chevrotain"))).toEqual([]);
  });
});
