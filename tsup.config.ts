import { defineConfig } from "tsup";

// One build per public entry (API.md's table). chevrotain stays external: `cible/runtime` must
// not pull it in, and a test reads the runtime bundle to keep it so.
export default defineConfig([{
  entry: {
    index: "src/index.ts",
    runtime: "src/runtime.ts",
    sql: "src/sql.ts",
    testing: "src/testing.ts",
    language: "src/language.ts",
    codemirror: "src/codemirror.ts",
  },
  // The editor's packages are the host's (optional peers): never bundled into cible/codemirror.
  external: [/^@codemirror\//, /^@lezer\//],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: false, // dist/ is emptied by the build script: the two builds run side by side
  target: "node20",
  splitting: true,
  treeshake: true,
},
{
  // The command line: ESM only (it reads import.meta.url), with a shebang. A separate build, so
  // it carries its own copy of the library code it uses (the package entries stay lean).
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  // Native engines the CLI loads only when asked (`--engine duckdb`), with an install hint when
  // they are missing: never bundled (a dev dependency would be, by default).
  external: ["@duckdb/node-api", "chdb"],
  dts: false,
  sourcemap: true,
  clean: false,
  target: "node20",
  splitting: true,
}]);
