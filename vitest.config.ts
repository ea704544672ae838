import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Hang guards, not speed assertions: property tests over parsers may take a few seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One real PostgreSQL 18 server for the run, beside PGlite (test/support/pg-server.ts).
    globalSetup: ["test/support/global-setup.ts"],
    // CI reads the JSON report for its closing line (see .ci/run).
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
    execArgv: ["--disallow-code-generation-from-strings"],
  },
});
