// Loaded with `node --import` into each `cible eval` the scale bench starts: on exit, writes to
// $SCALE_RSS_FILE the process's peak resident set size (getrusage's ru_maxrss, KiB) and the CPU
// time it used (user + system, µs). In-process engines (DuckDB, chdb) allocate and run their
// threads in this process, so their memory and CPU are counted too.
import { writeFileSync } from "node:fs";

const file = process.env.SCALE_RSS_FILE;
if (file) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRSS: u.maxRSS, cpuMicros: u.userCPUTime + u.systemCPUTime }));
  });
}
