/**
 * Public shapes of compiled rules files (API.md, "Rules files").
 */
import type { Limits } from "../ast/limits.js";
import type { RulesDocument } from "../ast/nodes.js";
import type { EvalContext, Segment } from "../compile/types.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import type { Quintile, RfmSegmentName } from "./rfm.js";

export type { Quintile, RfmSegmentName } from "./rfm.js";

/** Options of {@link compileRules} and {@link checkRules}. */
export interface RulesOptions {
  /** Tighter or looser limits than the defaults for untrusted rules. */
  limits?: Partial<Limits>;
}

/** The result of {@link checkRules}: `ok` is false when any diagnostic is an error. */
export interface RulesCheckReport {
  ok: boolean;
  /** Every error and warning, in source order. */
  diagnostics: Diagnostic[];
}

/** One score rule's share of a total. */
export interface ScoreContribution {
  /** The rule's canonical text: `+20 if role in ["CEO", "CTO"]`, `clamp 0 to 100`. */
  text: string;
  /** Points it gave this record (0 when its condition is false or unknown). */
  points: number;
}

/**
 * Why a score has its value: one contribution per rule, in order, then one for `clamp` (the
 * points the clamp added or removed) when the score has one. The contributions add up to `total`
 * (up to floating-point rounding).
 */
export interface ScoreExplanation {
  total: number;
  contributions: ScoreContribution[];
}

/**
 * A compiled `score`.
 *
 * @example
 * ```ts
 * rules.scores.lead.score(record, { now });   // 65
 * rules.scores.lead.explain(record, { now }); // { total: 65, contributions: [{ text: "+5 per emailClicks30d max 25", points: 15 }, …] }
 * ```
 */
export interface CompiledScore<T = Record<string, unknown>> {
  readonly name: string;
  /** The score of one record: the sum of its rules' points, clamped; never rounded, never unknown. */
  score(record: T, ctx?: EvalContext): number;
  /** The score and each rule's points. */
  explain(record: T, ctx?: EvalContext): ScoreExplanation;
}

/**
 * A compiled `lifecycle`.
 *
 * @example
 * ```ts
 * rules.lifecycles.stage.stages;                                   // ["awareness", "evaluation", …]
 * rules.lifecycles.stage.stage(record, { now });                   // "evaluation"
 * rules.lifecycles.stage.stage(record, { now, previous: "purchase" }); // never before "purchase"
 * ```
 */
export interface CompiledLifecycle<T = Record<string, unknown>> {
  readonly name: string;
  /** The stage names, in journey order. */
  readonly stages: readonly string[];
  /**
   * The last stage whose condition is true (the first stage, without a condition, always holds),
   * or null when the first stage has a condition and none holds. With `ctx.previous` (this
   * lifecycle's previous stage, or one per lifecycle name) the stage never moves backward.
   */
  stage(record: T, ctx?: EvalContext): string | null;
}

/**
 * A compiled threshold `tiers` (`high if >= 100k` … `low otherwise`).
 *
 * @example
 * ```ts
 * const value = rules.tiers.value;
 * if (value.method === "thresholds") value.tier(record, { now }); // "medium"
 * ```
 */
export interface CompiledThresholdTiers<T = Record<string, unknown>> {
  readonly name: string;
  readonly method: "thresholds";
  /** The tier names, in order. */
  readonly names: readonly string[];
  /** The first tier whose test the `by` value passes, the `otherwise` tier, or null when the value is unknown. */
  tier(record: T, ctx?: EvalContext): string | null;
}

/** Population tiers from {@link CompiledQuantileTiers.assign}. */
export interface QuantileAssignment {
  /** One per record, in order: its tier, or null when its `by` value is unknown. */
  tiers: (string | null)[];
  /**
   * One boundary value between each pair of consecutive lines, highest first: `cuts[j]` is the
   * lowest value in line `j` or a better one, so a value is in line `j` or better exactly when it is
   * `>= cuts[j]` (for a date `by`, values and cuts are epoch milliseconds). Empty when no record has
   * a known value.
   */
  cuts: number[];
}

/**
 * A compiled quantile `tiers` (`top 20%` … `rest otherwise`): needs the whole population.
 *
 * @example
 * ```ts
 * const potential = rules.tiers.potential;
 * if (potential.method === "quantiles") potential.assign(records); // { tiers: ["top", "rest", null, …], cuts: [420, 120] }
 * ```
 */
export interface CompiledQuantileTiers<T = Record<string, unknown>> {
  readonly name: string;
  readonly method: "quantiles";
  /** The tier names, in order (best first). */
  readonly names: readonly string[];
  /** Tiers over a population (docs/rules.md tells exactly how shares, ties and cuts work). */
  assign(records: readonly T[], ctx?: EvalContext): QuantileAssignment;
}

/** A compiled `tiers` of either kind; tell them apart by `method`. */
export type CompiledTiers<T = Record<string, unknown>> = CompiledThresholdTiers<T> | CompiledQuantileTiers<T>;

/** One record's RFM scores, each 1 (worst) to 5 (best). */
export interface RfmScore {
  r: Quintile;
  f: Quintile;
  m: Quintile;
}

/** What {@link CompiledRfm.assign} returns. */
export interface RfmAssignment {
  /** One per record: its scores, or null when its recency is unknown (never bought). */
  scores: (RfmScore | null)[];
  /** One per record: the R × F grid's name, or null when its recency is unknown. */
  names: (RfmSegmentName | null)[];
  /**
   * Four boundaries per dimension (docs/rules.md): a record scores at least `5 − k` in frequency
   * (or monetary) exactly when its value is `>= cuts.frequency[k]`, and in recency exactly when its
   * age is `<= cuts.recency[k]` (in days when recency is a date).
   */
  cuts: { recency: number[]; frequency: number[]; monetary: number[] };
}

/**
 * A compiled `rfm` model.
 *
 * @example
 * ```ts
 * const { scores, names, cuts } = rules.rfm.customers.assign(records, { now });
 * scores[0]; // { r: 5, f: 4, m: 3 }
 * names[0];  // "champions"
 * ```
 */
export interface CompiledRfm<T = Record<string, unknown>> {
  readonly name: string;
  /** Quintile scores and segment names over a population. */
  assign(records: readonly T[], ctx?: EvalContext): RfmAssignment;
}

/**
 * A compiled `split` (LANGUAGE.md §7): a deterministic, stable assignment of records to arms by
 * the MD5 of `<seed>:<key>`; the same arm in JavaScript and in every SQL dialect.
 *
 * @example
 * ```ts
 * rules.splits.spring.arms;         // ["control", "a", "b"]
 * rules.splits.spring.arm(record);  // "a" (null when the key is unknown)
 * ```
 */
export interface CompiledSplit<T = Record<string, unknown>> {
  readonly name: string;
  /** The arm names, in order. */
  readonly arms: readonly string[];
  /** The seed hashed before each key: the `seed "…"` written after the key, else the split's name. */
  readonly seed: string;
  /** The record's arm, or null when its key is unknown (missing, or not text / a whole number). */
  arm(record: T, ctx?: EvalContext): string | null;
}

/** Everything a rules file says about one record, from {@link CompiledRules.evaluate}. */
export interface RulesEvaluation {
  /** The segments the record is in (rule TRUE), in definition order. */
  segments: string[];
  /** Every score. */
  scores: Record<string, number>;
  /** Every lifecycle's stage (monotonic when `ctx.previous` is given). */
  stages: Record<string, string | null>;
  /** Every threshold tiers' tier (quantile tiers need a population: see `assign`). */
  tiers: Record<string, string | null>;
  /**
   * Per channel, the segments (of `segments`, in definition order) through which the record may be
   * contacted: the segment AND the channel are TRUE (unknown consent is not consent).
   */
  reachable: Record<string, string[]>;
  /** Every split's arm (null when the key is unknown). */
  splits: Record<string, string | null>;
  /**
   * The earliest instant after `ctx.now` at which time alone changes `segments`, `reachable`,
   * `stages` or `tiers` (raw scores and arms are not followed), or null when it never does
   * (docs/time.md). Computed when first read, from the record as it is then; not enumerable (JSON
   * and equality of evaluations ignore it).
   * @throws CibleError `eval.next-change-decay` when read, for a file that reads a decaying score
   *   other than by comparing it with numbers, or whose decaying rules give points of both signs
   *   (always present on `rules.evaluate`'s results; optional in the type so that evaluations
   *   built elsewhere, such as the CLI's SQL engines, need not carry it)
   */
  readonly nextChange?: Date | null;
}

/**
 * A compiled rules file. Maps are keyed by definition name (objects without a prototype).
 *
 * @example
 * ```ts
 * const rules = compileRules(source, Contact);
 * rules.segments.cibleEmail.filter(contacts, { now });
 * rules.evaluate(contact, { now }); // { segments: ["cibleEmail"], scores: { lead: 65 }, stages: { stage: "purchase" }, tiers: { value: "low" } }
 * ```
 */
export interface CompiledRules<T = Record<string, unknown>> {
  /** The source text. */
  readonly source: string;
  /** The JSON AST of the file. */
  readonly ast: RulesDocument;
  /** The warnings found while compiling (errors throw). */
  readonly warnings: readonly Diagnostic[];
  /** Each `segment` as a full compiled segment (test / evaluate / filter / explain). */
  readonly segments: Readonly<Record<string, Segment<T>>>;
  readonly scores: Readonly<Record<string, CompiledScore<T>>>;
  readonly lifecycles: Readonly<Record<string, CompiledLifecycle<T>>>;
  readonly tiers: Readonly<Record<string, CompiledTiers<T>>>;
  readonly rfm: Readonly<Record<string, CompiledRfm<T>>>;
  /** Each `channel`'s condition as a compiled segment: who may be contacted through it. */
  readonly channels: Readonly<Record<string, Segment<T>>>;
  readonly splits: Readonly<Record<string, CompiledSplit<T>>>;
  /**
   * The records of a segment that a channel may reach: a compiled segment whose rule is
   * `@segment and @channel` (three-valued: a record whose consent is unknown is not reachable).
   * Throws `rules.unknown-definition` for a name that is not a segment or not a channel.
   *
   * @example
   * ```ts
   * rules.reach("decideursSante", "email").filter(contacts, { now });
   * ```
   */
  reach(segment: string, channel: string): Segment<T>;
  /** Segments, scores, stages, threshold tiers, reachable segments and arms of one record in one pass: each definition is computed once. */
  evaluate(record: T, ctx?: EvalContext): RulesEvaluation;
  /** The canonical text of the file. */
  toString(): string;
}
