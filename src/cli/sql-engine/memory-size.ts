/**
 * The one way `--engine` reads a memory size from the environment (CIBLE_DUCKDB_MEMORY,
 * CIBLE_CLICKHOUSE_MEMORY): binary units, so `4G`, `4GB`, `4GiB` and `4096M` all mean 4 × 2³⁰ bytes
 * for both engines (DuckDB alone would read `4GB` as 4 × 10⁹ and refuse `4G`).
 */
import { CliError, EXIT } from "../io.js";

const UNITS: Record<string, number> = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };
const SIZE = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B?)$/i;

/**
 * The size in bytes that `env[name]` gives, or undefined when it is unset or blank. A value that
 * does not read as a size, or below `floor`, is a CliError (exit 2) naming the variable.
 *
 * @param env - the process environment
 * @param name - the variable, e.g. `"CIBLE_DUCKDB_MEMORY"`
 * @param floor - the smallest size the engine can work with, in bytes
 *
 * @example
 * ```ts
 * readMemorySize({ CIBLE_DUCKDB_MEMORY: "1.5G" }, "CIBLE_DUCKDB_MEMORY", 2 ** 24); // 1610612736
 * readMemorySize({}, "CIBLE_DUCKDB_MEMORY", 2 ** 24); // undefined
 * ```
 */
export function readMemorySize(env: Readonly<Record<string, string | undefined>>, name: string, floor: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return undefined;
  const m = SIZE.exec(raw);
  const bytes = m ? Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!) : Number.NaN;
  if (!(bytes >= floor)) {
    throw new CliError(
      `${name}=${raw}: not a memory size of at least ${floor / 2 ** 20}M`,
      EXIT.failure,
      `give a size such as ${name}=4G (binary units K, M, G, T; 4G, 4GB and 4GiB read the same), or unset it for the default`,
    );
  }
  return bytes;
}
