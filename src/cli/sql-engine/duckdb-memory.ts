/**
 * How much memory `--engine duckdb` may take, and where it spills the rest: DuckDB's own default
 * is 80% of the machine's memory, which a 10M-contact run fills before writing a line. The CLI
 * gives it a bounded share instead (CIBLE_DUCKDB_MEMORY to change it) and a temporary directory
 * (CIBLE_DUCKDB_TEMP to choose where) for its database and what it spills; the directory is
 * removed when the run ends.
 */
import { CliError, EXIT } from "../io.js";

/** A size as DuckDB's `memory_limit` reads it: `512MB`, `4GB`, `1.5GiB`. */
const SIZE = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

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

/**
 * Reads CIBLE_DUCKDB_MEMORY (a size: `2GB`, `512MiB`) and CIBLE_DUCKDB_TEMP (a directory) from
 * `env`; a size DuckDB would not read is exit 2 with an example.
 *
 * @example
 * ```ts
 * duckdbResources({ CIBLE_DUCKDB_MEMORY: "2GB" }, totalmem(), tmpdir()); // { memoryLimit: "2GB", tempParent: "/tmp" }
 * ```
 */
export function duckdbResources(env: Readonly<Record<string, string | undefined>>, totalBytes: number, tmp: string): DuckdbResources {
  const asked = env.CIBLE_DUCKDB_MEMORY?.trim();
  if (asked !== undefined && asked !== "" && !SIZE.test(asked)) {
    throw new CliError(`CIBLE_DUCKDB_MEMORY must be a size, not ${JSON.stringify(asked)}`, EXIT.failure, "give a number and a unit, e.g. CIBLE_DUCKDB_MEMORY=2GB or 512MiB");
  }
  const temp = env.CIBLE_DUCKDB_TEMP?.trim();
  return { memoryLimit: asked || defaultMemoryLimit(totalBytes), tempParent: temp || tmp };
}
