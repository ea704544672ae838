/**
 * Every diagnostic code the source emits is documented in docs/errors.md, so a rules author
 * who meets a code can look it up.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const AREAS = "syntax|limit|field|type|enum|param|lint|ast|ref|rules|eval|compile|schema|sql|testing|editor";
// Codes are written as ordinary string literals ("field.unknown"); backquoted names in comments are prose.
const CODE = new RegExp(`["']((?:${AREAS})\\.[a-z0-9]+(?:-[a-z0-9]+)*)["']`, "g");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

it("every diagnostic code in src/ is documented in docs/errors.md", () => {
  const doc = readFileSync(resolve(__dirname, "../docs/errors.md"), "utf8");
  const codes = new Set(files(resolve(__dirname, "../src")).flatMap((f) => [...readFileSync(f, "utf8").matchAll(CODE)].map((m) => m[1]!)));
  expect(codes.size).toBeGreaterThan(10);
  const missing = [...codes].filter((c) => !doc.includes(`\`${c}\``)).sort();
  expect(missing).toEqual([]);
});

it("docs/errors.md places line and column where they are: on span.start and span.end", () => {
  const intro = readFileSync(resolve(__dirname, "../docs/errors.md"), "utf8").split("\n## ")[0]!.replace(/\s+/g, " ");
  expect(intro).toContain("`{ start, end }`");
  expect(intro).toContain("`{ offset, line, column }`");
  expect(intro).toContain("`d.span.start.line`");
});
