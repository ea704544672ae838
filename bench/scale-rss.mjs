// Loaded with `node --import` into each `cible eval` the scale bench starts: on exit, writes the
// process's peak resident set size (getrusage's ru_maxrss, in KiB) to $SCALE_RSS_FILE. In-process
// engines (DuckDB, chdb) allocate in this process, so their memory is counted too.
import { writeFileSync } from "node:fs";

const file = process.env.SCALE_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
