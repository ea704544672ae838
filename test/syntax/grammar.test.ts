import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DIAGRAMS_PATH, renderDiagrams } from "../../grammar/generate.js";
import { getParser } from "../../src/syntax/index.js";

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

describe("grammar/", () => {
  it("diagrams.html is up to date with the parser (run `npm run grammar`)", () => {
    expect(readFileSync(DIAGRAMS_PATH, "utf8") === renderDiagrams(), "grammar/diagrams.html is stale: run `npm run grammar`").toBe(true);
  });

  it("cible.ebnf defines every rule of the parser, and no other", () => {
    const ebnf = readFileSync(root("grammar/cible.ebnf"), "utf8").replace(/\(\*[\s\S]*?\*\)/g, "");
    const defined = new Set([...ebnf.matchAll(/^([A-Za-z]+)\s*=/gm)].map((m) => m[1]!));
    const rules = getParser().getSerializedGastProductions().map((r) => (r as unknown as { name: string }).name);
    for (const r of rules) expect(defined.has(r), `rule ${r} missing from cible.ebnf`).toBe(true);
    const lexical = new Set([
      "compareOp", "quantifierWord", "unit", "name", "identifier", "backquotedName", "ref", "param", "string",
      "escape", "number", "signedInteger", "digits", "date", "comment", "hardKeyword", "softKeyword",
    ]);
    for (const d of defined) expect(rules.includes(d) || lexical.has(d), `${d} in cible.ebnf is not a parser rule`).toBe(true);
  });
});

describe("docs/errors.md", () => {
  it("documents exactly the codes the syntax layer emits", () => {
    const dir = root("src/syntax");
    const emitted = new Set<string>();
    for (const file of readdirSync(dir)) {
      const text = readFileSync(`${dir}/${file}`, "utf8");
      for (const m of text.matchAll(/"((?:syntax|limit)\.[a-z-]+)"/g)) emitted.add(m[1]!);
    }
    const doc = readFileSync(root("docs/errors.md"), "utf8");
    const documented = new Set([...doc.matchAll(/^\| `((?:syntax|limit)\.[a-z-]+)` \| error \|/gm)].map((m) => m[1]!));
    expect([...emitted].sort()).toEqual([...documented].sort());
  });
});
