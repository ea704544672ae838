/**
 * How much memory `--engine duckdb` may take, and where it spills the rest: DuckDB's own default
 * is 80% of the machine's memory, which a 10M-contact run fills before writing a line. The CLI
 * gives it a bounded share instead (CIBLE_DUCKDB_MEMORY to change it) and a temporary directory
 * (CIBLE_DUCKDB_TEMP to choose where) for its database and what it spills; the directory is
 * removed when the run ends.
 */
import { readMemorySize } from "./memory-size.js";

const MIB = 2 ** 20;

/**
 * The default memory limit for a machine of `totalBytes`: a quarter of its memory, between 1 GiB
 * and 2 GiB. Measured on 1M contacts (docs/scale.md), 4 GiB took as much CPU as 2 GiB: DuckDB
 * spills sorted runs and hash partitions to disk and reads them back in order, and the machine
 * is the user's.
 *
 * @example
 * ```ts
 * defaultMemoryLimit(16 * 2 ** 30); // "2048MiB"
 * ```
 */
export function defaultMemoryLimit(totalBytes: number): string {
  const quarter = Math.floor(totalBytes / 4 / MIB);
  return `${Math.min(2048, Math.max(1024, quarter))}MiB`;
}

/** The memory limit and the temporary directory's parent of a run. */
export interface DuckdbResources {
  /** DuckDB's `memory_limit` (a size DuckDB reads). */
  readonly memoryLimit: string;
  /** Where the run's temporary directory is made. */
  readonly tempParent: string;
}

/** Below this DuckDB cannot hold the blocks of one row group. */
const FLOOR = 16 * MIB;

/**
 * Reads CIBLE_DUCKDB_MEMORY (a size in binary units, as CIBLE_CLICKHOUSE_MEMORY: `2G`, `512M`,
 * `1.5GiB`; memory-size.ts) and CIBLE_DUCKDB_TEMP (a directory) from `env`; a value that is not
 * such a size is exit 2 with an example.
 *
 * @example
 * ```ts
 * duckdbResources({ CIBLE_DUCKDB_MEMORY: "2G" }, totalmem(), tmpdir()); // { memoryLimit: "2048MiB", tempParent: "/tmp" }
 * ```
 */
export function duckdbResources(env: Readonly<Record<string, string | undefined>>, totalBytes: number, tmp: string): DuckdbResources {
  const bytes = readMemorySize(env, "CIBLE_DUCKDB_MEMORY", FLOOR);
  const temp = env.CIBLE_DUCKDB_TEMP?.trim();
  // Given to DuckDB in MiB: its own "GB" is 10⁹ bytes, ours 2³⁰.
  return { memoryLimit: bytes === undefined ? defaultMemoryLimit(totalBytes) : `${Math.floor(bytes / MIB)}MiB`, tempParent: temp || tmp };
}
