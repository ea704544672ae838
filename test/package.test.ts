/**
 * The published package: `dist/` is git-ignored, so `npm pack` and `npm publish` must build it
 * first (a clean checkout would otherwise pack a package with no code). npm runs `prepack` before
 * both; running the real `npm pack` here would mean a full build, too slow for the unit tests.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync(resolve(__dirname, "../package.json"), "utf8")) as {
  files: string[];
  scripts: Record<string, string>;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};

describe("package.json", () => {
  it("builds dist/ before packing or publishing (prepack runs the build)", () => {
    expect(pkg.files).toContain("dist");
    expect(pkg.scripts.prepack).toMatch(/(^|&&\s*)npm run build(\s*&&|$)/);
    expect(pkg.scripts.build).toContain("tsup");
  });

  it("the database packages of --engine are optional peers (installed for the tests), left out of the CLI bundle", () => {
    const tsup = readFileSync(resolve(__dirname, "../tsup.config.ts"), "utf8");
    for (const name of ["@duckdb/node-api", "chdb"]) {
      expect(pkg.peerDependencies[name], name).toBeDefined();
      expect(pkg.peerDependenciesMeta[name]?.optional, name).toBe(true);
      expect(pkg.devDependencies[name], name).toBeDefined();
      expect(tsup).toContain(JSON.stringify(name));
    }
  });

  it("ships the TextMate grammar, importable as cible/grammar/cible.tmLanguage.json (editors and shiki load it from node_modules)", () => {
    const path = "grammar/cible.tmLanguage.json";
    expect(pkg.files).toContain(path);
    expect(pkg.exports[`./${path}`]).toBe(`./${path}`);
    const grammar = JSON.parse(readFileSync(resolve(__dirname, "..", path), "utf8")) as { scopeName: string };
    expect(grammar.scopeName).toBe("source.cible");
  });
});
