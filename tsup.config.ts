import { defineConfig } from "tsup";

// One build per public entry (API.md's table). chevrotain stays external: `cible/runtime` must
// not pull it in, and a test reads the runtime bundle to keep it so.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    runtime: "src/runtime.ts",
    sql: "src/sql.ts",
    testing: "src/testing.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  splitting: true,
  treeshake: true,
});
