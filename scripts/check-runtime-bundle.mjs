// `cible/runtime` must run stored ASTs without the parser: walk the built bundle's import graph
// (ESM and CommonJS) and fail if chevrotain, or the parser's code, is reachable from it.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

let failed = false;
for (const entry of ["dist/runtime.js", "dist/runtime.cjs"]) {
  const seen = new Set();
  const queue = [entry];
  const packages = new Set();
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from\s*|require\(|import\()\s*["']([^"'\s,]+)["']/g)) {
      if (m[1].startsWith(".")) queue.push(join(dirname(file), m[1]));
      else packages.add(m[1]);
    }
    if (/chevrotain|EmbeddedActionsParser/.test(text)) {
      console.error(`${entry}: ${file} mentions chevrotain`);
      failed = true;
    }
  }
  console.log(`${entry}: ${seen.size} files, packages: ${[...packages].sort().join(", ")}`);
}
process.exit(failed ? 1 : 0);
