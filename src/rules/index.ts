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
import { type AnalyzeOptions, type AnalyzeReport, type Membership, reportFromMemberships } from "./analyze.js";
import { BitSet } from "./bitset.js";
import { checkRulesDocument } from "./check-rules.js";
import { INTERNALS, buildRules } from "./compile-rules.js";
import { createRun } from "../compile/index.js";
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
export type { AnalyzeOptions, AnalyzeReport, AnalyzeWarning, SegmentOverlap, SegmentSize } from "./analyze.js";
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
 * (default 10), an empty segment, two segments selecting exactly the same records, a segment
 * entirely inside another (unless its rule requires the other by references, `@outer and …`).
 *
 * @param rules - rules compiled by {@link compileRules}
 * @param records - the records to measure on
 * @param ctx - the evaluation context (`now`, `timeZone`, `params`, `previous`), one for all records
 * @param options - thresholds of the warnings
 * @returns the {@link AnalyzeReport}
 * @throws {@link CibleError} for bad evaluation inputs (parameters, time zone, `previous`)
 *
 * @example
 * ```ts
 * const report = analyze(rules, contacts, { now: new Date() }, { minShare: 0.02 });
 * report.segments;    // [{ name: "decideursSante", size: 120, share: 0.12 }, …]
 * report.overlaps;    // [{ a: "decideursSante", b: "cibleEmail", count: 80, jaccard: 0.66 }, …]
 * report.unsegmented; // { count: 310, share: 0.31, indices: [3, 7, …] }
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
  const run = createRun(ctx, internals.segmentParams);
  const total = records.length;
  const memberships: Membership[] = internals.segmentNames.map((name) => ({
    name,
    span: internals.spans.get(name)!,
    members: new BitSet(total),
    within: internals.within.get(name),
  }));
  const readers = internals.segmentNames.map((n) => internals.read(n));
  for (let i = 0; i < total; i++) {
    const record = records[i];
    for (let s = 0; s < readers.length; s++) if (readers[s]!(record, run) === true) memberships[s]!.members.add(i);
  }
  return reportFromMemberships(memberships, total, options);
}
