/**
 * What needs the whole population — quantile tiers, RFM quintiles and the hygiene analysis —
 * without holding the records.
 *
 * The library computes these over an array of records (`assign(records)`, `analyze(rules,
 * records)`). Streaming a large file, the CLI keeps instead, per record, only what they rank:
 *
 * - for each quantile tiers, its `by` value (one 8-byte number in a typed array);
 * - for each RFM model, the recency age, frequency and monetary value (three numbers);
 * - for the analysis (`report`), a reference to the set of segments the record is in (records
 *   with the same set share one small object).
 *
 * A record's values are read with the library itself: `assign([record])` over a population of one
 * record reports its value as the cut (a lone value is its own boundary). Quantile tiers and RFM
 * are then ranked by ranking.ts, the library's documented rule on typed arrays. The analysis is
 * the library's `analyze` over stand-ins `{ m: [segment numbers] }`, compiled from a rules file
 * written for them with the same segment names, so sizes, overlaps and warnings (wording
 * included) are exactly the library's; warnings are then placed on the names of the real file.
 */
import { z } from "zod";
import {
  type AnalyzeOptions,
  type AnalyzeReport,
  type CompiledRules,
  type EvalContext,
  type QuantileTierLine,
  type ExprNode,
  type RfmSegmentName,
  RFM_GRID,
  type SegmentDef,
  type TiersDef,
  analyze,
  compileRules,
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

const STANDIN_SEGMENTS = z.object({ m: z.array(z.number()) });
const QUINTILES = [20, 20, 20, 20, 20];

/** The source text of a definition name as written (`name` or `` `a name` ``). */
const nameAsWritten = (source: string, span: { start: { offset: number }; end: { offset: number } }) => source.slice(span.start.offset, span.end.offset);

/**
 * Collects, record by record, the values that quantile tiers and RFM rank, and (when asked) the
 * segments each record is in; `finish` ranks them with the library.
 */
export class PopulationCollector {
  private readonly quantiles: QuantileDef[] = [];
  private readonly rfms: { name: string; r: Numbers; f: Numbers; m: Numbers }[] = [];
  private readonly combos = new Map<string, { m: number[] }>();
  private readonly members: { m: number[] }[] = [];
  private readonly segmentIndex: Map<string, number>;
  private count = 0;

  constructor(
    private readonly rules: CompiledRules<Rec>,
    private readonly ctx: EvalContext,
    private readonly withSegments: boolean,
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
    this.segmentIndex = new Map(Object.keys(rules.segments).map((n, i) => [n, i]));
  }

  /** True when there is something to collect. */
  get active(): boolean {
    return this.quantiles.length > 0 || this.rfms.length > 0 || this.withSegments;
  }

  /** One record, with the segments `rules.evaluate` found it in. */
  add(record: Rec, segments: readonly string[]): void {
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
    if (this.withSegments) {
      const key = segments.join("\u0000");
      let combo = this.combos.get(key);
      if (!combo) this.combos.set(key, (combo = { m: segments.map((s) => this.segmentIndex.get(s)!) }));
      this.members.push(combo);
    }
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

  /**
   * The library's `analyze` over the segments collected: sizes, overlaps, unsegmented, warnings.
   * Warnings are placed on the segment names of the real file.
   */
  analysis(options: AnalyzeOptions): AnalyzeReport {
    if (!this.withSegments) throw new Error("PopulationCollector: segments were not collected");
    const names = Object.keys(this.rules.segments);
    const realSpans = new Map(this.rules.ast.definitions.filter((d) => d.kind === "segment").map((d) => [d.name, d.nameSpan]));
    const defs = this.rules.ast.definitions.filter((d): d is SegmentDef => d.kind === "segment");
    const written = new Map(defs.map((d) => [d.name, nameAsWritten(this.rules.source, d.nameSpan)]));
    // A segment the real file builds on others (`@outer and …`) refers to them here too, so that
    // analyze sees it is inside them by design (no rules.nested-segment); membership is unchanged,
    // and analyze follows the references transitively itself.
    const refs = (d: SegmentDef) =>
      requiredSegments(d.body, written)
        .map((o) => ` and @${written.get(o)}`)
        .join("");
    const source = names.length ? defs.map((d, i) => `segment ${written.get(d.name)}:\n  m has ${i}${refs(d)}\n`).join("") : "";
    const standIn = compileRules(source, STANDIN_SEGMENTS);
    const report = analyze(standIn, this.members, this.ctx, options);
    const spanOf = new Map(standIn.ast.definitions.map((d) => [d.nameSpan.start.offset, d.name]));
    return {
      ...report,
      // The stand-in file has no channel, split or field of the real one: its reach, coverage and
      // outcomes would describe `m`, so none are given here (they need the real records).
      reach: [],
      coverage: { fields: [], segments: [] },
      outcomes: [],
      splits: [],
      segmentSplits: [],
      warnings: report.warnings.map((w) => {
        const name = spanOf.get(w.span.start.offset);
        const span = name !== undefined ? realSpans.get(name) : undefined;
        return span ? { ...w, span } : w;
      }),
    };
  }
}

/** The segments a rule's top-level `and` chain requires by a conjunct `@name` (as analyze reads them). */
function requiredSegments(body: ExprNode, segments: ReadonlyMap<string, unknown>): string[] {
  const out: string[] = [];
  const stack: ExprNode[] = [body];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.kind === "and") stack.push(...node.operands);
    else if (node.kind === "truthy" && node.subject.kind === "ref" && segments.has(node.subject.name)) out.push(node.subject.name);
  }
  return out;
}
