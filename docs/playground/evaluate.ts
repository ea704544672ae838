/**
 * The playground's numbers: a rules text checked, compiled and evaluated over the sample with the
 * library itself (`compileRules`, `rules.evaluate`, `assign`), tallied by the
 * report's own `EvaluationTally` so that sizes, score histograms, the lifecycle funnel and tiers
 * are what `cible report` gives for the same records. No DOM here: the browser test calls it too.
 */
import { type CompiledRules, type Diagnostic, type EvalContext, compileRules } from "../../src/index.js";
import { EvaluationTally, type LifecycleSummary, type ScoreSummary, type TiersSummary } from "../../src/cli/stats.js";
import { type FieldType, readSchema } from "../../src/schema/index.js";
import type * as z4 from "zod/v4/core";

type Rec = Record<string, unknown>;

export interface Results {
  readonly rules: CompiledRules<Rec>;
  readonly total: number;
  readonly segments: { name: string; size: number; share: number }[];
  readonly scores: ScoreSummary[];
  readonly lifecycles: LifecycleSummary[];
  readonly tiers: TiersSummary[];
  /** The segments of each record, for the first `shown` records. */
  readonly recordSegments: string[][];
  /** Milliseconds spent checking, compiling and evaluating. */
  readonly ms: number;
}

export interface Run {
  /** Errors and warnings, sorted. */
  readonly diagnostics: Diagnostic[];
  /** Absent when the text has errors (the page keeps the last good results). */
  readonly results?: Results;
}

/** Checks `source` and, when it has no errors, evaluates it over `records`. Never throws for bad rules. */
export function runRules(source: string, schema: z4.$ZodType, records: readonly Rec[], ctx: EvalContext, shown = 50): Run {
  const started = performance.now();
  // One parse and one check per keystroke: compileRules throws every diagnostic (warnings too)
  // when there is an error, and keeps the warnings on success (`checkRules` first would do both twice).
  let rules: CompiledRules<Rec>;
  try {
    rules = compileRules(source, schema) as CompiledRules<Rec>;
  } catch (e) {
    const diagnostics = (e as { diagnostics?: Diagnostic[] }).diagnostics;
    if (diagnostics) return { diagnostics };
    throw e;
  }
  const check = { diagnostics: [...rules.warnings] };
  const tally = new EvaluationTally(rules);
  const recordSegments: string[][] = [];
  let tiers: TiersSummary[];
  try {
    records.forEach((r, i) => {
      const e = rules.evaluate(r, ctx);
      tally.add(e);
      if (i < shown) recordSegments.push(e.segments);
    });
    const thresholds = new Map(tally.thresholdSummaries().map((t) => [t.name, t]));
    tiers = Object.values(rules.tiers).map((t): TiersSummary => {
      if (t.method === "thresholds") return thresholds.get(t.name)!;
      const { tiers: assigned, cuts } = t.assign(records as Rec[], ctx);
      const counts = new Map<string | null, number>();
      for (const x of assigned) counts.set(x, (counts.get(x) ?? 0) + 1);
      return { name: t.name, method: "quantiles", tiers: t.names.map((name) => ({ name, count: counts.get(name) ?? 0 })), unknown: counts.get(null) ?? 0, cuts };
    });
  } catch (e) {
    // What only evaluation finds (a `$param` with no value: the page binds none) is a diagnostic too.
    const diagnostics = (e as { diagnostics?: Diagnostic[] }).diagnostics;
    if (diagnostics) return { diagnostics: [...diagnostics, ...check.diagnostics] };
    throw e;
  }
  return {
    diagnostics: check.diagnostics,
    results: {
      rules,
      total: tally.total,
      segments: tally.segments(),
      scores: tally.scoreSummaries(),
      lifecycles: tally.lifecycleSummaries(),
      tiers,
      recordSegments,
      ms: performance.now() - started,
    },
  };
}

/**
 * The records with their date fields (top level and in lists of objects) as `Date` objects, as a
 * host app holds them: the embedded sample has ISO text, which cible reads as dates too, but
 * parsing it on every read makes each evaluation slower. Other values are kept as they are.
 */
export function reviveDates(records: readonly Rec[], schema: z4.$ZodType): Rec[] {
  const revive = (value: unknown, type: FieldType): unknown => {
    if (type.kind === "date") return typeof value === "string" && Number.isFinite(Date.parse(value)) ? new Date(value) : value;
    if (type.kind === "object") return value !== null && typeof value === "object" && !Array.isArray(value) ? reviveObject(value as Rec, type.fields) : value;
    if (type.kind === "array" && Array.isArray(value) && (type.element.kind === "object" || type.element.kind === "date")) return value.map((v) => revive(v, type.element));
    return value;
  };
  const reviveObject = (r: Rec, fields: ReadonlyMap<string, { type: FieldType }>): Rec => {
    const out: Rec = { ...r };
    for (const [name, f] of fields) if (name in out) out[name] = revive(out[name], f.type);
    return out;
  };
  const root = readSchema(schema).root.fields;
  return records.map((r) => reviveObject(r, root));
}
