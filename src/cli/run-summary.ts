/**
 * The one summary builder of a run, whatever engine evaluated the records: the running totals
 * (stats.ts), the population's quantile tiers and RFM (population.ts in process, the engine's
 * columns with `--engine`), tiers in file order.
 */
import type { AnalyzeReport, CompiledRules } from "../index.js";
import type { RunSummary } from "./engine.js";
import type { QuantileSummary, RfmSummary } from "./population.js";
import type { EvaluationTally, TiersSummary } from "./stats.js";

export interface SummaryParts {
  /** `Date.now()` when the run started. */
  readonly started: number;
  readonly tally: EvaluationTally;
  readonly quantiles: readonly QuantileSummary[];
  readonly rfm: RfmSummary[];
  /** Lines written to `--out`; undefined without `--out`. */
  readonly written?: number;
  readonly analysis?: AnalyzeReport;
}

/**
 * The {@link RunSummary} of a finished run.
 *
 * @example
 * ```ts
 * const summary = buildSummary(rules, { started, tally, quantiles: population.quantileSummaries(), rfm: population.rfmSummaries() });
 * summary.segments; // [{ name: "pme", size: 120, share: 0.12 }, …]
 * ```
 */
export function buildSummary(rules: CompiledRules<Record<string, unknown>>, parts: SummaryParts): RunSummary {
  const { tally } = parts;
  const quantiles = new Map(parts.quantiles.map((q) => [q.name, q]));
  const thresholds = new Map(tally.thresholdSummaries().map((t) => [t.name, t]));
  const tiers: TiersSummary[] = [];
  for (const name of Object.keys(rules.tiers)) {
    const q = quantiles.get(name);
    if (q) tiers.push({ name, method: "quantiles", tiers: q.names.map((n, i) => ({ name: n, count: q.counts[i]! })), unknown: q.unknown, cuts: q.cuts, dates: q.dates });
    else if (thresholds.has(name)) tiers.push(thresholds.get(name)!);
  }
  return {
    records: tally.total,
    seconds: (Date.now() - parts.started) / 1000,
    segments: tally.segments(),
    scores: tally.scoreSummaries(),
    lifecycles: tally.lifecycleSummaries(),
    tiers,
    rfm: parts.rfm,
    channels: tally.channelSummaries(),
    splits: tally.splitSummaries(),
    written: parts.written,
    ...(parts.analysis ? { analysis: parts.analysis } : {}),
  };
}
