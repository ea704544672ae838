/**
 * Rules files (`*.cible`): named segments, scores, lifecycles, tiers, RFM models, channels and
 * splits that refer to each other, checked against a zod schema and compiled together
 * (LANGUAGE.md §4 and §7).
 */
import type * as z4 from "zod/v4/core";
import type { EvalContext } from "../compile/types.js";
import { CibleError } from "../errors/cible-error.js";
import { hasErrors, sortDiagnostics } from "../errors/diagnostic.js";
import { readSchema } from "../schema/index.js";
import { parseRules } from "../syntax/index.js";
import type { AnalyzeOptions, AnalyzeReport } from "./analyze.js";
import { analyzeRecords, createAnalysis } from "./analyze-pass.js";
import { type RecordResults, createResultAnalysis } from "./analyze-results.js";
import { checkRulesDocument } from "./check-rules.js";
import { INTERNALS, buildRules } from "./compile-rules.js";
import type { CompiledRules, RulesCheckReport, RulesOptions } from "./types.js";

export type {
  CompiledLifecycle,
  CompiledQuantileTiers,
  CompiledRfm,
  CompiledRules,
  CompiledScore,
  CompiledSplit,
  CompiledThresholdTiers,
  CompiledTiers,
  QuantileAssignment,
  Quintile,
  RfmAssignment,
  RfmScore,
  RfmSegmentName,
  RulesCheckReport,
  RulesEvaluation,
  RulesOptions,
  ScoreContribution,
  ScoreExplanation,
} from "./types.js";
export type {
  AnalyzeOptions,
  AnalyzeReport,
  AnalyzeWarning,
  ArmOutcome,
  DataCoverage,
  FieldCoverage,
  SegmentArmOutcome,
  SegmentCoverage,
  SegmentOutcome,
  SegmentOverlap,
  SegmentReach,
  SegmentSize,
} from "./analyze.js";
export { RFM_GRID } from "./rfm.js";
export { rankByShares, type ShareRanking } from "./quantiles.js";

/**
 * Checks a rules file against a zod object schema without throwing for bad rules: syntax, names
 * defined twice, cycles, unknown references (with did-you-mean), every expression against the
 * schema, and the shape of each definition (a tiers without `otherwise`, shares over 100%, stages
 * without a condition …). Several mistakes give several diagnostics, each with a line and column.
 *
 * @param source - the text of the rules file
 * @param schema - the zod object schema of the records
 * @param options - `limits` for untrusted rules
 * @returns `{ ok, diagnostics }`; `ok` is false when any diagnostic is an error
 * @throws {@link CibleError} only when the schema itself cannot be read (`schema.*`)
 *
 * @example
 * ```ts
 * const { ok, diagnostics } = checkRules("segment a:\n  @b and employees > 10\n", Contact);
 * // ok === false; diagnostics[0].code === "ref.unknown"; diagnostics[0].span.start.line === 2
 * ```
 */
export function checkRules(source: string, schema: z4.$ZodType, options?: RulesOptions): RulesCheckReport {
  const model = readSchema(schema);
  const parsed = parseRules(source, { limits: options?.limits });
  if (!parsed.doc) return { ok: false, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const checked = checkRulesDocument(parsed.doc, model);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]);
  return { ok: !hasErrors(diagnostics), diagnostics };
}

/**
 * Compiles a rules file: every segment, score, lifecycle, tiers and RFM model, each able to
 * refer to the others with `@name`.
 *
 * @param source - the text of the rules file
 * @param schema - the zod object schema of the records
 * @param options - `limits` for untrusted rules
 * @returns the {@link CompiledRules}; its `warnings` lists the warnings found
 * @throws {@link CibleError} listing every error (warnings alone never throw)
 *
 * @example
 * ```ts
 * const rules = compileRules(readFileSync("b2b.cible", "utf8"), Contact);
 * rules.segments.decideursSante.test(record);          // boolean
 * rules.scores.lead.score(record);                      // 65
 * rules.lifecycles.stage.stage(record, { previous: "purchase" }); // never before "purchase"
 * rules.tiers.potential.assign(records);                // { tiers: ["top", null, …], cuts: [820, 120] }
 * rules.evaluate(record);                               // { segments, scores, stages, tiers }
 * ```
 */
export function compileRules<S extends z4.$ZodType>(
  source: string,
  schema: S,
  options?: RulesOptions,
): CompiledRules<z4.output<S>> {
  const model = readSchema(schema);
  const parsed = parseRules(source, { limits: options?.limits });
  if (!parsed.doc || hasErrors(parsed.diagnostics)) throw new CibleError(sortDiagnostics(parsed.diagnostics), source);
  const checked = checkRulesDocument(parsed.doc, model);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]);
  if (hasErrors(diagnostics)) throw new CibleError(diagnostics, source);
  return buildRules<z4.output<S>>(source, model, checked.plan, diagnostics);
}

/**
 * Segment hygiene over a sample of records: each segment's size and share, every pair's overlap
 * (count and Jaccard index), the records in no segment, and warnings in the author's words — a
 * segment under a minimum size (default 1% of the records), more segments than a maximum
 * (default 10; channels do not count), an empty segment, two segments selecting exactly the same
 * records, a segment entirely inside another (unless its rule requires the other by references,
 * `@outer and …`).
 *
 * For campaigns (LANGUAGE.md §7), in the same pass over the records:
 * - `reach`: per segment and channel, the records the channel reaches and those it excludes
 *   (channel false or unknown: unknown consent is not consent); `rules.small-reach` when a channel
 *   reaches less than `minReachShare` (default 10%) of a non-empty segment;
 * - `coverage`: per field a definition reads, the records where it is unknown; per segment, the
 *   records it leaves unknown and the fields behind them (the unknown leaves of their
 *   explanations); `rules.many-unknown` when a segment leaves more than `maxUnknownShare`
 *   (default 20%) of the records unknown;
 * - with `outcome` (a boolean field or a condition's text): per segment, n, positives, the rate
 *   with its Wilson 95% interval and the lift over the whole base (`outcomes`); per split arm, the
 *   same without lift and with the difference with the first arm and its Newcombe hybrid score
 *   95% interval (`splits`), and per segment and arm (`segmentSplits`). A record whose outcome is
 *   unknown is not counted in n; a record without an arm (unknown key) is in no arm.
 *
 * @param rules - rules compiled by {@link compileRules}
 * @param records - the records to measure on
 * @param ctx - the evaluation context (`now`, `timeZone`, `params`, `previous`), one for all records
 * @param options - thresholds of the warnings, and the `outcome` to measure
 * @returns the {@link AnalyzeReport}
 * @throws {@link CibleError} for bad evaluation inputs (parameters, time zone, `previous`) and an
 *   `outcome` that is not a valid condition; RangeError for an option out of range
 *
 * @example
 * ```ts
 * const report = analyze(rules, contacts, { now: new Date() }, { minShare: 0.02, outcome: "converted" });
 * report.segments;    // [{ name: "decideursSante", size: 120, share: 0.12 }, …]
 * report.overlaps;    // [{ a: "decideursSante", b: "cibleEmail", count: 80, jaccard: 0.66 }, …]
 * report.unsegmented; // { count: 310, share: 0.31, indices: [3, 7, …] }
 * report.reach;       // [{ segment: "decideursSante", channel: "email", size: 84, excluded: 36 }, …]
 * report.coverage;    // { fields: [{ field: "tranche", unknown: 310, share: 0.31 }, …],
 *                     //   segments: [{ name: "etiSante", unknown: 62, share: 0.062,
 *                     //                fields: [{ field: "tranche", count: 58 }, …] }, …] }
 * report.outcomes;    // [{ segment: "decideursSante", n: 118, positives: 21, rate: 0.178,
 *                     //    low: 0.119, high: 0.257, lift: 2.1 }, …]
 * report.splits;      // [{ split: "spring", arm: "control", n: 98, positives: 6, rate: 0.061, …, diff: null, … },
 *                     //  { split: "spring", arm: "a", n: 451, positives: 41, rate: 0.091, …,
 *                     //    diff: 0.030, diffLow: -0.040, diffHigh: 0.074 }, …]
 * report.warnings.map((w) => w.message);
 * ```
 */
export function analyze<T>(
  rules: CompiledRules<T>,
  records: readonly T[],
  ctx?: EvalContext,
  options?: AnalyzeOptions,
): AnalyzeReport {
  const internals = INTERNALS.get(rules);
  if (!internals) throw new TypeError("cible: analyze() needs rules compiled by compileRules()");
  return analyzeRecords(internals, records, ctx, options);
}

/** The analysis of {@link analyze}, fed one record at a time (see {@link createAnalyzer}). */
export interface Analyzer<T> {
  /** Counts one more record; its index (in `unsegmented.indices`) is the number added before it. */
  add(record: T): void;
  /**
   * The {@link AnalyzeReport} over the records added so far, exactly as {@link analyze} gives it
   * over the same records in the same order; it can be asked again after adding more.
   */
  report(): AnalyzeReport;
}

/**
 * {@link analyze} without holding the records: for a stream (a large export read line by line),
 * add each record as it comes, then ask for the report. It keeps a bit per segment and record and
 * a few counters, not the records; the numbers, warnings and their wording are those of
 * `analyze(rules, records, ctx, options)` (which is this, every record added, then `report()`).
 *
 * @param rules - rules compiled by {@link compileRules}
 * @param ctx - the evaluation context (`now`, `timeZone`, `params`, `previous`), one for all records
 * @param options - as for {@link analyze}
 * @returns an {@link Analyzer}
 * @throws {@link CibleError} at once for bad evaluation inputs and an `outcome` that is not a valid
 *   condition; RangeError for an option out of range
 *
 * @example
 * ```ts
 * const analyzer = createAnalyzer(rules, { now: new Date() }, { outcome: "converted" });
 * for await (const contact of readContacts("export.ndjson")) analyzer.add(contact);
 * const report = analyzer.report();
 * report.reach;    // [{ segment: "decideursSante", channel: "email", size: 84, excluded: 36 }, …]
 * report.warnings; // the same as analyze(rules, contacts, ctx, { outcome: "converted" }).warnings
 * ```
 */
export function createAnalyzer<T>(rules: CompiledRules<T>, ctx?: EvalContext, options?: AnalyzeOptions): Analyzer<T> {
  const internals = INTERNALS.get(rules);
  if (!internals) throw new TypeError("cible: createAnalyzer() needs rules compiled by compileRules()");
  const analysis = createAnalysis(internals, ctx, options);
  return { add: (record) => analysis.add(record), report: () => analysis.report() };
}

export type { RecordResults } from "./analyze-results.js";

/** The analysis of {@link analyze} from results computed elsewhere (see {@link createResultAnalyzer}). */
export interface ResultAnalyzer {
  /** Counts one more record from its results; its index is the number added before it. */
  add(results: RecordResults): void;
  /** The {@link AnalyzeReport} over the records added so far. */
  report(): AnalyzeReport;
}

/**
 * {@link analyze} from each record's results when the rules ran elsewhere — in a database, through
 * `rulesToSQL` — rather than from the records: per record, each segment's value (`true`, `false`,
 * `null` for unknown) and each channel's, in the rules file's order, and each split's arm. Sizes,
 * overlaps, `unsegmented`, `reach`, `splits` and `segmentSplits` (`n` per arm), the records each
 * segment leaves unknown (`coverage.segments[].unknown`) and the warnings are those `analyze`
 * gives over the same records. What needs the records themselves is empty: `coverage.fields`,
 * each segment's `coverage.segments[].fields` (so a `rules.many-unknown` warning names no field)
 * and `outcomes` (no `outcome` option).
 *
 * @param rules - rules compiled by {@link compileRules}
 * @param options - as for {@link analyze}, without `outcome`
 * @throws RangeError for an option out of range
 *
 * @example
 * ```ts
 * const analyzer = createResultAnalyzer(rules, { minShare: 0.02 });
 * for await (const row of db.stream(rulesToSQL(rules, opts).sql)) {
 *   analyzer.add({ segments: segmentNames.map((n) => row[n]), channels: channelNames.map((n) => row[n]), splits: splitNames.map((n) => row[n]) });
 * }
 * analyzer.report().overlaps; // [{ a: "decideursSante", b: "cibleEmail", count: 80, jaccard: 0.66 }, …]
 * ```
 */
export function createResultAnalyzer<T>(rules: CompiledRules<T>, options?: Omit<AnalyzeOptions, "outcome">): ResultAnalyzer {
  const internals = INTERNALS.get(rules);
  if (!internals) throw new TypeError("cible: createResultAnalyzer() needs rules compiled by compileRules()");
  if (options && "outcome" in options && (options as AnalyzeOptions).outcome !== undefined) throw new TypeError("cible: createResultAnalyzer() takes no outcome (it needs the records)");
  return createResultAnalysis(internals, options);
}
