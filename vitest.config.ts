import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Hang guards, not speed assertions: property tests over parsers may take a few seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // vitest's default leaves one core free, which is one worker on our 2-core machines; much of
    // the suite waits on engines (the PostgreSQL server, DuckDB, chdb, Chromium), so two workers
    // take the suite from about 350 s to about 250 s there (measured once each, same machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One real PostgreSQL 18 server for the run, beside PGlite (test/support/pg-server.ts).
    globalSetup: ["test/support/global-setup.ts"],
    // CI reads the JSON report for its closing line (see .ci/run).
    reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
    execArgv: ["--disallow-code-generation-from-strings"],
  },
});
