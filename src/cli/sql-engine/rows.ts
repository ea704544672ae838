/**
 * The rows `rulesToSQL` gives, read back: one row per record, one column per segment, channel,
 * score, lifecycle, tiers, split and RFM model (with `<name>_r`, `_f`, `_m`). Each row becomes the
 * `RulesEvaluation` `rules.evaluate` returns for the record (the `--out` line) and is counted; the
 * quantile tiers and RFM models are counted from the engine's columns (ranked in the database).
 */
import type { CompiledRules, RulesEvaluation } from "../../index.js";
import type { QuantileSummary, RfmSummary } from "../population.js";
import { EvaluationTally } from "../stats.js";

type Rules = CompiledRules<Record<string, unknown>>;

/** One record as read from its row: its evaluation, and the value of each segment and channel (NULL unknown). */
export interface RowResult {
  readonly evaluation: RulesEvaluation;
  /** In `rules.segments` order. */
  readonly segments: readonly (boolean | null)[];
  /** In `rules.channels` order. */
  readonly channels: readonly (boolean | null)[];
}

const truth = (v: unknown): boolean | null => (v === true || v === 1 ? true : v === false || v === 0 ? false : null);
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
/** Numbers as the engines return them: a JS number, a bigint (DuckDB) or a quoted 64-bit integer (ClickHouse JSON). */
const number = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "bigint" || typeof v === "string" ? Number(v) : null);

/** Reads rows into evaluations and counts them (`EvaluationTally`, quantile tiers, RFM). */
export class RowReader {
  readonly tally: EvaluationTally;
  private readonly segmentNames: string[];
  private readonly channelNames: string[];
  private readonly scoreNames: string[];
  private readonly stageNames: string[];
  private readonly thresholdNames: string[];
  private readonly splitNames: string[];
  private readonly quantileCounts: Map<string, Map<string | null, number>>;
  private readonly rfmCounts: Map<string, { names: Map<string, number>; grid: number[][]; monetary: number[]; unscored: number }>;

  constructor(private readonly rules: Rules) {
    this.tally = new EvaluationTally(rules);
    this.segmentNames = Object.keys(rules.segments);
    this.channelNames = Object.keys(rules.channels);
    this.scoreNames = Object.keys(rules.scores);
    this.stageNames = Object.keys(rules.lifecycles);
    this.thresholdNames = Object.keys(rules.tiers).filter((n) => rules.tiers[n]!.method === "thresholds");
    this.splitNames = Object.keys(rules.splits);
    const quantileNames = Object.keys(rules.tiers).filter((n) => rules.tiers[n]!.method !== "thresholds");
    this.quantileCounts = new Map(quantileNames.map((n) => [n, new Map()]));
    this.rfmCounts = new Map(Object.keys(rules.rfm).map((n) => [n, { names: new Map(), grid: [0, 1, 2, 3, 4].map(() => [0, 0, 0, 0, 0]), monetary: [0, 0, 0, 0, 0], unscored: 0 }]));
  }

  /** One row: its evaluation, counted. */
  read(row: Record<string, unknown>): RowResult {
    const segmentTruths = this.segmentNames.map((n) => truth(row[n]));
    const segments = this.segmentNames.filter((_, i) => segmentTruths[i] === true);
    const e: RulesEvaluation = { segments, scores: Object.create(null), stages: Object.create(null), tiers: Object.create(null), reachable: Object.create(null), splits: Object.create(null) };
    const channels = this.channelNames.map((n) => truth(row[n]));
    this.channelNames.forEach((n, i) => (e.reachable[n] = channels[i] === true ? segments.slice() : []));
    for (const n of this.scoreNames) e.scores[n] = number(row[n]) as number;
    for (const n of this.stageNames) e.stages[n] = text(row[n]);
    for (const n of this.thresholdNames) e.tiers[n] = text(row[n]);
    for (const n of this.splitNames) e.splits[n] = text(row[n]);
    this.tally.add(e, channels);
    for (const [n, counts] of this.quantileCounts) {
      const t = text(row[n]);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    for (const [n, c] of this.rfmCounts) {
      const name = text(row[n]);
      if (name === null) {
        c.unscored++;
        continue;
      }
      c.names.set(name, (c.names.get(name) ?? 0) + 1);
      const [r, f, m] = [number(row[`${n}_r`]), number(row[`${n}_f`]), number(row[`${n}_m`])];
      if (r !== null && f !== null && m !== null) {
        c.grid[r - 1]![f - 1]!++;
        c.monetary[m - 1]!++;
      }
    }
    return { evaluation: e, segments: segmentTruths, channels };
  }

  /** Quantile tiers as counted; the engine does not return its cuts (`cuts` empty). */
  quantileSummaries(): QuantileSummary[] {
    return [...this.quantileCounts].map(([name, counts]) => {
      const t = this.rules.tiers[name]!;
      const names = t.method === "quantiles" ? t.names : [];
      return { name, names, counts: names.map((n) => counts.get(n) ?? 0), unknown: counts.get(null) ?? 0, cuts: [], dates: false };
    });
  }

  /** RFM models as counted; no cuts. */
  rfmSummaries(): RfmSummary[] {
    return [...this.rfmCounts].map(([name, c]) => ({
      name,
      names: [...c.names].map(([n, count]) => ({ name: n as RfmSummary["names"][number]["name"], count })).sort((a, b) => b.count - a.count),
      grid: c.grid,
      monetary: c.monetary,
      unscored: c.unscored,
      cuts: { recency: [], frequency: [], monetary: [] },
    }));
  }
}
