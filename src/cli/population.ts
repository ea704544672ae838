/**
 * What needs the whole population — quantile tiers, RFM quintiles and the hygiene analysis —
 * without holding the records.
 *
 * The library computes these over an array of records (`assign(records)`, `analyze(rules,
 * records)`). Streaming a large file, the CLI keeps instead, per record, only what they rank:
 *
 * - for each quantile tiers, its `by` value (one 8-byte number in a typed array);
 * - for each RFM model, the recency age, frequency and monetary value (three numbers);
 *
 * A record's values are read with the library itself: `assign([record])` over a population of one
 * record reports its value as the cut (a lone value is its own boundary). Quantile tiers and RFM
 * are then ranked by ranking.ts, the library's documented rule on typed arrays. The analysis
 * (`report`) is the library's own, fed record by record (`createAnalyzer`): sizes, overlaps,
 * reach, data coverage, outcomes, split arms and warnings (wording included) are exactly
 * `analyze`'s over the same records.
 */
import {
  type AnalyzeOptions,
  type AnalyzeReport,
  type Analyzer,
  type CompiledRules,
  type EvalContext,
  type QuantileTierLine,
  type RfmSegmentName,
  RFM_GRID,
  type TiersDef,
  createAnalyzer,
  rankByShares,
} from "../index.js";

type Rec = Record<string, unknown>;

/** A growable array of numbers, NaN for unknown. */
class Numbers {
  private data = new Float64Array(1024);
  length = 0;

  push(v: number | null | undefined): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v === null || v === undefined ? Number.NaN : v;
  }

  /** The values (NaN for unknown); only the first `length` count. */
  get raw(): Float64Array {
    return this.data;
  }
}

/** One quantile tiers over the whole population. */
export interface QuantileSummary {
  readonly name: string;
  /** Tier names, best first. */
  readonly names: readonly string[];
  /** Records per tier, in the order of `names`. */
  readonly counts: number[];
  /** Records whose `by` value is unknown (no tier). */
  readonly unknown: number;
  /** The library's cuts: a value is in tier `j` or better exactly when it is `>= cuts[j]`. */
  readonly cuts: number[];
  /** True when the `by` value is a date (cuts are epoch milliseconds). */
  readonly dates: boolean;
}

/** One RFM model over the whole population. */
export interface RfmSummary {
  readonly name: string;
  /** Records per segment name, most populous first. */
  readonly names: { name: RfmSegmentName; count: number }[];
  /** `grid[r − 1][f − 1]`: records with that recency and frequency score. */
  readonly grid: number[][];
  /** Records per monetary score, `monetary[m − 1]`. */
  readonly monetary: number[];
  /** Records with no RFM segment (recency unknown: never bought). */
  readonly unscored: number;
  readonly cuts: { recency: number[]; frequency: number[]; monetary: number[] };
}

interface QuantileDef {
  readonly name: string;
  readonly names: readonly string[];
  /** Percent share of each line, best first (the `otherwise` line takes the rest). */
  readonly shares: readonly number[];
  readonly values: Numbers;
  readonly dates: boolean;
}

const QUINTILES = [20, 20, 20, 20, 20];

/**
 * Collects, record by record, the values that quantile tiers and RFM rank, and (when asked) feeds
 * the library's analyzer; the summaries rank them with the library.
 */
export class PopulationCollector {
  private readonly quantiles: QuantileDef[] = [];
  private readonly rfms: { name: string; r: Numbers; f: Numbers; m: Numbers }[] = [];
  private readonly analyzer: Analyzer<Rec> | undefined;
  private count = 0;

  constructor(
    private readonly rules: CompiledRules<Rec>,
    private readonly ctx: EvalContext,
    /** The options of the analysis (`report`); none: no analysis. */
    analysis: AnalyzeOptions | undefined,
    isDateField: (path: readonly string[]) => boolean,
  ) {
    for (const def of rules.ast.definitions) {
      if (def.kind === "tiers" && def.method === "quantiles") {
        const t = rules.tiers[def.name]!;
        const { by, lines } = def as TiersDef;
        const given = (lines as readonly QuantileTierLine[]).reduce((sum, l) => sum + (l.percent ?? 0), 0);
        this.quantiles.push({
          name: def.name,
          names: t.names,
          // Lines in file order; `otherwise` is last (the checker refuses it elsewhere).
          shares: (lines as readonly QuantileTierLine[]).map((l) => l.percent ?? Math.max(0, 100 - given)),
          values: new Numbers(),
          dates: by.kind === "field" && isDateField(by.path),
        });
      } else if (def.kind === "rfm") {
        this.rfms.push({ name: def.name, r: new Numbers(), f: new Numbers(), m: new Numbers() });
      }
    }
    // Made now: a bad outcome or option is refused before the data is read.
    this.analyzer = analysis ? createAnalyzer(rules, ctx, analysis) : undefined;
  }

  /** True when there is something to collect. */
  get active(): boolean {
    return this.quantiles.length > 0 || this.rfms.length > 0 || this.analyzer !== undefined;
  }

  /** One record. */
  add(record: Rec): void {
    this.count++;
    for (const q of this.quantiles) {
      const t = this.rules.tiers[q.name]!;
      if (t.method !== "quantiles") continue;
      const one = t.assign([record], this.ctx);
      // A lone known value is its own boundary: every cut is that value.
      q.values.push(one.tiers[0] === null ? null : (one.cuts[0] ?? 0));
    }
    for (const m of this.rfms) {
      const one = this.rules.rfm[m.name]!.assign([record], this.ctx);
      m.r.push(one.cuts.recency[0]);
      m.f.push(one.cuts.frequency[0]);
      m.m.push(one.cuts.monetary[0]);
    }
    this.analyzer?.add(record);
  }

  /** Quantile tiers over everything added. */
  quantileSummaries(): QuantileSummary[] {
    return this.quantiles.map((q) => {
      const values = q.values.raw;
      const ranking = rankByShares(values.subarray(0, this.count), q.shares);
      const counts = q.names.map(() => 0);
      for (let i = 0; i < this.count; i++) {
        const line = ranking.lineOf(values[i]!);
        if (line !== null) counts[line]!++;
      }
      return { name: q.name, names: q.names, counts, unknown: this.count - ranking.known, cuts: ranking.cuts, dates: q.dates };
    });
  }

  /** RFM models over everything added: quintiles of recency (youngest best), frequency, monetary. */
  rfmSummaries(): RfmSummary[] {
    return this.rfms.map((m) => {
      const ages = m.r.raw;
      const negated = new Float64Array(this.count);
      for (let i = 0; i < this.count; i++) negated[i] = -ages[i]!;
      const R = rankByShares(negated, QUINTILES);
      const F = rankByShares(m.f.raw.subarray(0, this.count), QUINTILES);
      const M = rankByShares(m.m.raw.subarray(0, this.count), QUINTILES);
      const grid = [0, 1, 2, 3, 4].map(() => [0, 0, 0, 0, 0]);
      const monetary = [0, 0, 0, 0, 0];
      const byName = new Map<RfmSegmentName, number>();
      let unscored = 0;
      for (let i = 0; i < this.count; i++) {
        const r = R.lineOf(negated[i]!);
        const f = F.lineOf(m.f.raw[i]!);
        const mm = M.lineOf(m.m.raw[i]!);
        if (r === null || f === null) {
          unscored++;
          continue;
        }
        // Line 0 is the best fifth: score 5.
        const name = RFM_GRID[4 - r]![4 - f]!;
        byName.set(name, (byName.get(name) ?? 0) + 1);
        if (mm === null) continue;
        grid[4 - r]![4 - f]!++;
        monetary[4 - mm]!++;
      }
      return {
        name: m.name,
        names: [...byName].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
        grid,
        monetary,
        unscored,
        cuts: { recency: R.cuts.map((c) => (c === 0 ? 0 : -c)), frequency: F.cuts, monetary: M.cuts },
      };
    });
  }

  /** The library's analysis of the records added (`analyze`'s report); undefined without one. */
  analysis(): AnalyzeReport | undefined {
    return this.analyzer?.report();
  }
}
