/**
 * Running totals over `rules.evaluate` results: segment sizes, score distributions, lifecycle
 * stages, threshold tiers, channels and split arms. Memory does not grow with the records: a score keeps one count per
 * whole number of points it takes.
 */
import type { CompiledRules, RulesEvaluation } from "../index.js";

export interface ScoreSummary {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Quartiles and median, to the nearest whole point. */
  readonly p25: number;
  readonly median: number;
  readonly p75: number;
  /** Bins `[from, to)` (the last one includes `to`), each with its records. */
  readonly histogram: { from: number; to: number; count: number }[];
}

export interface StageSummary {
  readonly name: string;
  /** Records at this stage. */
  readonly count: number;
  /** Records at this stage or a later one. */
  readonly reached: number;
}

export interface LifecycleSummary {
  readonly name: string;
  readonly stages: StageSummary[];
  /** Records at no stage (the first stage has a condition and none holds). */
  readonly none: number;
}

export interface TierCount {
  readonly name: string;
  readonly count: number;
}

export interface TiersSummary {
  readonly name: string;
  readonly method: "thresholds" | "quantiles";
  readonly tiers: TierCount[];
  /** Records with no tier (the `by` value is unknown). */
  readonly unknown: number;
  /** Quantile tiers: the boundaries the population gave (see docs/rules.md). */
  readonly cuts?: number[];
  readonly dates?: boolean;
}

export interface ChannelSummary {
  readonly name: string;
  /** Records the channel reaches (its condition TRUE). */
  readonly reachable: number;
  /** Records whose channel is unknown (e.g. consent missing): not reachable. */
  readonly unknown: number;
  /** Records reachable in at least one segment: the lines `eval --channel NAME --out` writes. */
  readonly inSegment: number;
  /** Per segment, in file order: its records the channel reaches. */
  readonly segments: { name: string; reachable: number }[];
}

export interface SplitSummary {
  readonly name: string;
  /** Records per arm, in the arms' order. */
  readonly arms: { name: string; count: number }[];
  /** Records with no arm (the key is unknown). */
  readonly unknown: number;
}

class ScoreTally {
  private readonly counts = new Map<number, number>();
  private n = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  add(v: number): void {
    this.n++;
    this.sum += v;
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
    const k = Math.round(v);
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  summary(name: string): ScoreSummary {
    if (this.n === 0) return { name, min: 0, max: 0, mean: 0, p25: 0, median: 0, p75: 0, histogram: [] };
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const quantile = (q: number) => {
      const target = q * this.n;
      let acc = 0;
      for (const k of keys) {
        acc += this.counts.get(k)!;
        if (acc >= target) return k;
      }
      return keys[keys.length - 1]!;
    };
    return { name, min: this.lo, max: this.hi, mean: this.sum / this.n, p25: quantile(0.25), median: quantile(0.5), p75: quantile(0.75), histogram: this.histogram(keys) };
  }

  /** About ten to twenty bins of a round width (1, 2, 5, 10, 20, 25, 50, 100…). */
  private histogram(keys: number[]): { from: number; to: number; count: number }[] {
    const lo = Math.floor(this.lo);
    const hi = Math.ceil(this.hi);
    const span = Math.max(1, hi - lo);
    let w = 1;
    for (let m = 1; ; m *= 10) {
      const pick = [1, 2, 2.5, 5].map((x) => x * m).find((x) => span / x <= 20);
      if (pick) {
        w = pick;
        break;
      }
    }
    const start = Math.floor(lo / w) * w;
    const bins: { from: number; to: number; count: number }[] = [];
    for (let from = start; from <= hi; from += w) bins.push({ from, to: from + w, count: 0 });
    if (bins.length === 0) bins.push({ from: start, to: start + w, count: 0 });
    for (const k of keys) {
      const i = Math.min(bins.length - 1, Math.max(0, Math.floor((k - start) / w)));
      bins[i]!.count += this.counts.get(k)!;
    }
    // A last bin [hi, hi + w) that holds only the maximum reads better merged into the one before.
    if (bins.length > 1 && bins[bins.length - 1]!.from === hi) {
      const last = bins.pop()!;
      bins[bins.length - 1]!.count += last.count;
    }
    bins[bins.length - 1]!.to = Math.max(bins[bins.length - 1]!.to, hi);
    return bins;
  }
}

/** Totals of everything `rules.evaluate` returns, record after record. */
export class EvaluationTally {
  total = 0;
  private readonly segmentCounts = new Map<string, number>();
  private readonly scores = new Map<string, ScoreTally>();
  private readonly stages = new Map<string, Map<string | null, number>>();
  private readonly tiers = new Map<string, Map<string | null, number>>();
  /** Per channel: how many TRUE / unknown, in a segment, and per segment reached. */
  private readonly channels = new Map<string, { reachable: number; unknown: number; inSegment: number; segments: Map<string, number> }>();
  private readonly arms = new Map<string, Map<string | null, number>>();

  constructor(private readonly rules: CompiledRules<Record<string, unknown>>) {
    for (const name of Object.keys(rules.segments)) this.segmentCounts.set(name, 0);
    for (const name of Object.keys(rules.scores)) this.scores.set(name, new ScoreTally());
    for (const name of Object.keys(rules.lifecycles)) this.stages.set(name, new Map());
    for (const [name, t] of Object.entries(rules.tiers)) if (t.method === "thresholds") this.tiers.set(name, new Map());
    for (const name of Object.keys(rules.channels)) this.channels.set(name, { reachable: 0, unknown: 0, inSegment: 0, segments: new Map() });
    for (const name of Object.keys(rules.splits)) this.arms.set(name, new Map());
  }

  /** One record's evaluation, and the value of each channel's condition (in `rules.channels` order). */
  add(e: RulesEvaluation, channels: readonly (boolean | null)[] = []): void {
    this.total++;
    for (const s of e.segments) this.segmentCounts.set(s, (this.segmentCounts.get(s) ?? 0) + 1);
    for (const [k, v] of Object.entries(e.scores)) this.scores.get(k)?.add(v);
    for (const [k, v] of Object.entries(e.stages)) bump(this.stages.get(k), v);
    for (const [k, v] of Object.entries(e.tiers)) bump(this.tiers.get(k), v);
    let i = 0;
    for (const [k, c] of this.channels) {
      const truth = channels[i++];
      if (truth === true) c.reachable++;
      else if (truth === null) c.unknown++;
      const reached = e.reachable[k] ?? [];
      if (reached.length) c.inSegment++;
      for (const s of reached) c.segments.set(s, (c.segments.get(s) ?? 0) + 1);
    }
    for (const [k, v] of Object.entries(e.splits)) bump(this.arms.get(k), v);
  }

  segments(): { name: string; size: number; share: number }[] {
    return [...this.segmentCounts].map(([name, size]) => ({ name, size, share: this.total ? size / this.total : 0 }));
  }

  scoreSummaries(): ScoreSummary[] {
    return [...this.scores].map(([name, t]) => t.summary(name));
  }

  lifecycleSummaries(): LifecycleSummary[] {
    return Object.values(this.rules.lifecycles).map((l) => {
      const counts = this.stages.get(l.name)!;
      let reached = 0;
      const stages = [...l.stages]
        .reverse()
        .map((name) => {
          const count = counts.get(name) ?? 0;
          reached += count;
          return { name, count, reached };
        })
        .reverse();
      return { name: l.name, stages, none: counts.get(null) ?? 0 };
    });
  }

  channelSummaries(): ChannelSummary[] {
    return [...this.channels].map(([name, c]) => ({
      name,
      reachable: c.reachable,
      unknown: c.unknown,
      inSegment: c.inSegment,
      segments: [...this.segmentCounts.keys()].map((s) => ({ name: s, reachable: c.segments.get(s) ?? 0 })),
    }));
  }

  splitSummaries(): SplitSummary[] {
    return [...this.arms].map(([name, counts]) => ({
      name,
      arms: this.rules.splits[name]!.arms.map((arm) => ({ name: arm, count: counts.get(arm) ?? 0 })),
      unknown: counts.get(null) ?? 0,
    }));
  }

  /** Threshold tiers (quantile tiers come from the population: see population.ts). */
  thresholdSummaries(): TiersSummary[] {
    return [...this.tiers].map(([name, counts]) => {
      const t = this.rules.tiers[name]!;
      return { name, method: "thresholds" as const, tiers: t.names.map((n) => ({ name: n, count: counts.get(n) ?? 0 })), unknown: counts.get(null) ?? 0 };
    });
  }
}

function bump(m: Map<string | null, number> | undefined, k: string | null): void {
  if (m) m.set(k, (m.get(k) ?? 0) + 1);
}
