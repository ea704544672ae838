/**
 * The one pass `eval` and `report` make over the data: every record through `rules.evaluate`
 * (written to `--out` as it comes, in input order), running totals, and the few numbers per record
 * that population definitions need (population.ts). Records are never kept.
 */
import { once } from "node:events";
import { createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { AnalyzeReport, CompiledRules, EvalContext } from "../index.js";
import { type CliIo, CliError, type Output, pathIn } from "./io.js";
import { type PopulationCollector, type RfmSummary } from "./population.js";
import type { Progress } from "./progress.js";
import { type ChangeTracker, nextChangeField } from "./changes.js";
import type { Rec, RecordInput } from "./records.js";
import { buildSummary } from "./run-summary.js";
import { type ChannelSummary, EvaluationTally, type LifecycleSummary, type ScoreSummary, type SplitSummary, type TiersSummary } from "./stats.js";

export interface RunSummary {
  readonly records: number;
  readonly seconds: number;
  readonly segments: { name: string; size: number; share: number }[];
  readonly scores: ScoreSummary[];
  readonly lifecycles: LifecycleSummary[];
  /** Every tiers, threshold and quantile, in file order. */
  readonly tiers: TiersSummary[];
  readonly rfm: RfmSummary[];
  /** Per channel: records reached, unknown, reached in a segment, and per segment. */
  readonly channels: ChannelSummary[];
  /** Per split: records per arm. */
  readonly splits: SplitSummary[];
  /** Lines written to `--out` (fewer than `records` with `--channel`). */
  readonly written?: number;
  /** The hygiene analysis (`report` only). */
  readonly analysis?: AnalyzeReport;
  /** What `report --outcome` measured (a field or a condition), as given. */
  readonly outcome?: string;
  /** `report --engine`: the engine, and the parts of the report it cannot give (they need the records in this process). */
  readonly engine?: { readonly name: string; readonly omitted: readonly string[] };
}

/**
 * Lines written to a file or a stream, in batches, waiting when the file is slower than us. A file
 * is written under a temporary name next to it (`.results.ndjson.1234.tmp`) and renamed when
 * `close` is called, so that a run that stops or is interrupted never leaves a file that looks
 * finished (nor overwrites the last good one).
 */
export class LineSink {
  private buffer: string[] = [];
  private size = 0;

  private constructor(
    private readonly stream: WriteStream | undefined,
    private readonly out: Output | undefined,
    /** The temporary file and the file it becomes. */
    private readonly paths?: { readonly temp: string; readonly final: string },
  ) {}

  private failure: Error | undefined;

  /** Opens the file (`-` is standard output); a file that cannot be written is a CliError now, not later. */
  static async open(path: string, io: CliIo): Promise<LineSink> {
    if (path === "-") return new LineSink(undefined, io.stdout);
    const final = pathIn(io, path);
    const temp = join(dirname(final), `.${basename(final)}.${process.pid}.tmp`);
    const stream = createWriteStream(temp);
    try {
      await once(stream, "open");
    } catch (e) {
      throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
    }
    const sink = new LineSink(stream, undefined, { temp, final });
    stream.on("error", (e) => (sink.failure ??= e));
    return sink;
  }

  async write(line: string): Promise<void> {
    this.buffer.push(line);
    this.size += line.length + 1;
    if (this.size >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const text = `${this.buffer.join("\n")}\n`;
    this.buffer = [];
    this.size = 0;
    if (this.out) {
      this.out.write(text);
      return;
    }
    if (this.failure) throw new CliError(`cannot write the output: ${this.failure.message}`);
    // `once` rejects when the stream emits an error while we wait.
    if (!this.stream!.write(text)) await once(this.stream!, "drain");
  }

  /** Writes what is left and gives the file its name. */
  async close(): Promise<void> {
    await this.flush();
    if (this.stream) {
      const s = this.stream;
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.end(() => resolve());
      });
      try {
        renameSync(this.paths!.temp, this.paths!.final);
      } catch (e) {
        rmSync(this.paths!.temp, { force: true });
        throw new CliError(`cannot write ${this.paths!.final}: ${(e as Error).message}`);
      }
    }
  }

  /** The run stopped: the temporary file is removed, the file named by `--out` left as it was. */
  async abort(): Promise<void> {
    this.buffer = [];
    if (!this.stream) return;
    const s = this.stream;
    if (!s.closed) {
      const closed = once(s, "close");
      s.destroy();
      await closed;
    }
    rmSync(this.paths!.temp, { force: true });
  }
}

export interface EngineOptions {
  readonly ctx: EvalContext;
  /** Where to write one line per record (`--out`). */
  readonly out?: LineSink;
  /** The field written as `id` (default `id`). */
  readonly idField: string;
  /**
   * `--channel`: write only the records this channel reaches in at least one segment (`reachable`
   * not empty), or, in a rules file without segments, that it reaches. A name of `rules.channels`.
   */
  readonly channel?: string;
  readonly progress: Progress;
  /** Quantile tiers, RFM and (report) the analysis, record by record. */
  readonly population: PopulationCollector;
  /** `--since` / `--changes`: previous stages per record, and the lines of what changed (changes.ts). */
  readonly changes?: ChangeTracker;
  /**
   * `--next-change`: add `nextChange` to each `--out` line. Off by default: it runs the evaluator
   * at every instant where the record's answer may change, many times one evaluation.
   */
  readonly nextChange?: boolean;
  /** Says once why `--out` lines carry no `nextChange` (changes.ts). */
  readonly warn?: (message: string) => void;
}

export async function evaluateAll(rules: CompiledRules<Rec>, input: RecordInput, options: EngineOptions): Promise<RunSummary> {
  const started = Date.now();
  const tally = new EvaluationTally(rules);
  const { ctx, out, idField, progress, population, channel, changes } = options;
  const warn = options.warn ?? (() => {});
  // Each channel's own value (TRUE, FALSE, unknown), which `evaluate` gives only through segments.
  const channels = Object.values(rules.channels);
  const at = channel === undefined ? -1 : Object.keys(rules.channels).indexOf(channel);
  const hasSegments = Object.keys(rules.segments).length > 0;
  let written = 0;
  try {
    for await (const record of input.records) {
      const rctx = changes ? changes.ctxFor(record[idField], ctx) : ctx;
      const result = rules.evaluate(record, rctx);
      const truths = channels.map((c) => c.evaluate(record, rctx));
      tally.add(result, truths);
      if (population.active) population.add(record);
      if (out && (channel === undefined || (hasSegments ? result.reachable[channel]!.length > 0 : truths[at] === true))) {
        const id = record[idField];
        const line = options.nextChange ? { ...result, ...nextChangeField(result, warn) } : result;
        await out.write(JSON.stringify(id === undefined || id === null ? line : { id, ...line }));
        written++;
      }
      if (changes) await changes.add(record[idField], result);
      progress.tick(tally.total);
    }
    await changes?.finish();
  } catch (e) {
    progress.stop();
    await input.close();
    await out?.abort();
    await changes?.abort();
    throw e;
  }
  progress.stop();
  await input.close();
  await out?.close();
  return buildSummary(rules, {
    started,
    tally,
    quantiles: population.quantileSummaries(),
    rfm: population.rfmSummaries(),
    written: out ? written : undefined,
    analysis: population.analysis(),
  });
}
