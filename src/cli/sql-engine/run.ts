/**
 * `--engine duckdb|clickhouse`: the whole rules file runs inside the database over the data file
 * itself. The engine (duckdb.ts, clickhouse.ts) defines views that read the file as the CLI's own
 * reader does; `rulesToSQL` gives one SELECT over them; its rows come back streamed, in file
 * order, each turned into the line `rules.evaluate` would have written (rows.ts) and counted. The
 * Node process never holds the records.
 */
import type { CompiledRules, EvalContext } from "../../index.js";
import { rulesToSQL } from "../../sql.js";
import type { LineSink, RunSummary } from "../engine.js";
import type { CliIo } from "../io.js";
import type { Progress } from "../progress.js";
import { buildSummary } from "../run-summary.js";
import { type EngineInput, KEY, VIEW, checkEngineInput, childrenOption } from "./input.js";
import type { EngineName } from "./load.js";
import { type RowResult, RowReader } from "./rows.js";

type Rules = CompiledRules<Record<string, unknown>>;

/** A database holding the views over one file. */
export interface EngineSession {
  /**
   * The rows of the rules' SELECT, in file order (a row: its columns by name). `ranked`: the
   * columns ranked over the whole population (quantile tiers, RFM), which an engine that runs
   * the SELECT part by part must compute over all the rows.
   */
  rows(sql: string, params: readonly unknown[], ranked: readonly string[]): AsyncIterable<Record<string, unknown>>;
  /** The record's `--id` value, read from the key column of its row (undefined: none). */
  idOf(row: Record<string, unknown>): unknown;
  close(): void;
}

/** One database engine: loads its package and opens a session with the views over the file. */
export interface SqlEngine {
  readonly name: EngineName;
  /** `DuckDB`, `ClickHouse`: in messages. */
  readonly label: string;
  open(input: EngineInput, io: CliIo, options: { readonly idField: string; readonly timeZone: string }): Promise<EngineSession>;
}

export interface SqlRunOptions {
  readonly ctx: EvalContext & { now: Date; timeZone: string };
  readonly out?: LineSink;
  readonly idField: string;
  readonly channel?: string;
  readonly progress: Progress;
  /** Each record's result, after it is counted (the engine report's analysis). */
  readonly onResult?: (result: RowResult) => void;
}

/** The columns of quantile tiers and RFM models: ranked over every row (`rulesToSQL`'s window functions). */
export function rankedColumns(rules: Rules): string[] {
  const tiers = Object.keys(rules.tiers).filter((n) => rules.tiers[n]!.method !== "thresholds");
  return [...tiers, ...Object.keys(rules.rfm).flatMap((n) => [n, `${n}_r`, `${n}_f`, `${n}_m`])];
}

/**
 * Runs the rules inside the engine over the file and writes the same `--out` lines as
 * `evaluateAll`; returns the run's summary (quantile tiers and RFM without their cuts).
 *
 * @example
 * ```ts
 * const summary = await evaluateInEngine(duckdbEngine, rules, input, io, { ctx, idField: "id", progress });
 * ```
 */
export async function evaluateInEngine(engine: SqlEngine, rules: Rules, input: EngineInput, io: CliIo, options: SqlRunOptions): Promise<RunSummary> {
  const started = Date.now();
  checkEngineInput(input, engine.name);
  const { ctx, out, idField, channel, progress } = options;
  const session = await engine.open(input, io, { idField, timeZone: ctx.timeZone });
  let query: { sql: string; params: readonly unknown[] };
  try {
    query = rulesToSQL(rules, { dialect: engine.name, table: VIEW, key: KEY, now: ctx.now, timeZone: ctx.timeZone, params: ctx.params as never, children: childrenOption(input) });
  } catch (e) {
    session.close();
    throw e;
  }
  const reader = new RowReader(rules);
  const at = channel === undefined ? -1 : Object.keys(rules.channels).indexOf(channel);
  const hasSegments = Object.keys(rules.segments).length > 0;
  let written = 0;
  try {
    for await (const row of session.rows(query.sql, query.params, rankedColumns(rules))) {
      const result = reader.read(row);
      options.onResult?.(result);
      const e = result.evaluation;
      if (out && (channel === undefined || (hasSegments ? e.reachable[channel]!.length > 0 : result.channels[at] === true))) {
        const id = session.idOf(row);
        await out.write(JSON.stringify(id === undefined || id === null ? e : { id, ...e }));
        written++;
      }
      progress.tick(reader.tally.total);
    }
  } catch (e) {
    progress.stop();
    session.close();
    await out?.abort();
    throw e;
  }
  progress.stop();
  session.close();
  await out?.close();
  return buildSummary(rules, { started, tally: reader.tally, quantiles: reader.quantileSummaries(), rfm: reader.rfmSummaries(), written: out ? written : undefined });
}
