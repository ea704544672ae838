/**
 * How much memory `--engine clickhouse` lets chdb use: half the machine's RAM by default, or
 * `CIBLE_CLICKHOUSE_MEMORY` (`4G`, `1500M`, bytes). chdb runs in the Node process, so without a
 * cap a large file's query grows until the OS kills the process (or the machine's other work);
 * with one, ClickHouse spills its sorts and aggregations to the session's directory when they pass
 * half of it, and a query that still needs more stops with ClickHouse's "memory limit exceeded".
 */
import { totalmem } from "node:os";
import { CliError, EXIT } from "../io.js";
import { readMemorySize } from "./memory-size.js";

/** The environment variable that sets the cap. */
export const MEMORY_ENV = "CIBLE_CLICKHOUSE_MEMORY";

/** Below this, chdb cannot even read a small file's blocks. */
const FLOOR = 256 * 2 ** 20;

/**
 * The cap in bytes: `CIBLE_CLICKHOUSE_MEMORY` (binary units, `K` `M` `G` `T`, an optional `i`/`B`:
 * `4G`, `4GiB`, `1500M`: memory-size.ts) or half of `total`. A value that does not read, or below
 * 256 MiB, is a CliError (exit 2).
 *
 * @example
 * ```ts
 * memoryLimit({ CIBLE_CLICKHOUSE_MEMORY: "4G" }); // 4294967296
 * memoryLimit({}, 16 * 2 ** 30); // 8589934592
 * ```
 */
export function memoryLimit(env: Readonly<Record<string, string | undefined>>, total = totalmem()): number {
  return readMemorySize(env, MEMORY_ENV, FLOOR) ?? Math.max(FLOOR, Math.floor(total / 2));
}

/**
 * ClickHouse's settings for a cap: the cap per query, sorts and `GROUP BY`s spilled to disk past
 * half of it (ClickHouse's documentation recommends half, the merge of the spilled parts needs the
 * rest). The join algorithm stays ClickHouse's default: the joins of child tables run per batch.
 *
 * @example
 * ```ts
 * memorySettings(2 ** 32); // ["SET max_memory_usage = 4294967296", …]
 * ```
 */
export function memorySettings(bytes: number): string[] {
  const half = Math.floor(bytes / 2);
  return [
    `SET max_memory_usage = ${bytes}`,
    `SET max_bytes_before_external_sort = ${half}`,
    `SET max_bytes_before_external_group_by = ${half}`,
  ];
}

/** The environment variable that sets the records per query. */
export const BATCH_ENV = "CIBLE_CLICKHOUSE_BATCH";
/** Records per query by default: at 250,000 the demo's rules (docs/scale.md) hold a few hundred MB. */
export const DEFAULT_BATCH = 250_000;

/**
 * Records per query: `CIBLE_CLICKHOUSE_BATCH` (a whole number ≥ 1, `_` allowed between digits) or
 * 250,000. Anything else is a CliError (exit 2).
 *
 * @example
 * ```ts
 * batchSize({ CIBLE_CLICKHOUSE_BATCH: "100_000" }); // 100000
 * ```
 */
export function batchSize(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env[BATCH_ENV]?.trim();
  if (raw === undefined || raw === "") return DEFAULT_BATCH;
  const n = /^\d+(_\d+)*$/.test(raw) ? Number(raw.replace(/_/g, "")) : Number.NaN;
  if (!(Number.isSafeInteger(n) && n >= 1)) throw new CliError(`${BATCH_ENV}=${raw}: not a whole number of records`, EXIT.failure, `give the records per query, such as ${BATCH_ENV}=100000, or unset it for ${DEFAULT_BATCH}`);
  return n;
}
