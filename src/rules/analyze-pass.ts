/**
 * `analyze`'s one pass over the records: per record, each segment, channel, split and the outcome
 * are read through the rules file's memo (each computed once per record, however many parts of the
 * report need it), and each field's unknown probe is run; a segment's explanation is walked only
 * on the records it leaves unknown. The report is then built from the counts (analyze.ts).
 * @internal
 */
import type { ParamType } from "../check/types.js";
import { type RunState, createRun } from "../compile/index.js";
import type { EvalContext, Explanation, Truth } from "../compile/types.js";
import {
  type AnalyzeOptions,
  type AnalyzeReport,
  type ArmOutcome,
  type CampaignReport,
  type Membership,
  type SegmentArmOutcome,
  checkOptions,
  reportFromMemberships,
} from "./analyze.js";
import { BitSet } from "./bitset.js";
import type { RulesInternals } from "./compile-rules.js";
import { Causes, type ReadField, type RecordView, fieldsRead, probeOf } from "./coverage.js";
import { newcombeDifference, rateSummary, wilsonInterval } from "./rates.js";

/** The analysis, record by record (see `createAnalyzer` and `analyze` in index.ts). */
export interface Analysis {
  /** Counts one more record (its index is the number of records added before it). */
  add(record: unknown): void;
  /** The report over the records added so far (it can be asked again after more are added). */
  report(): AnalyzeReport;
}

/** The whole analysis over records in memory: each added, then the report. */
export function analyzeRecords(
  internals: RulesInternals,
  records: readonly unknown[],
  ctx: EvalContext | undefined,
  options: AnalyzeOptions = {},
): AnalyzeReport {
  const analysis = createAnalysis(internals, ctx, options, records.length);
  for (const r of records) analysis.add(r);
  return analysis.report();
}

/**
 * An analysis that counts records as they come: per record, membership bits and a few counters;
 * the report is built from them (analyze.ts). `expected` only sizes the bit sets up front.
 */
export function createAnalysis(
  internals: RulesInternals,
  ctx: EvalContext | undefined,
  options: AnalyzeOptions = {},
  expected = 0,
): Analysis {
  checkOptions(options);
  const { plan } = internals;
  const outcome = options.outcome === undefined ? undefined : internals.condition(options.outcome);
  const run = createRun(ctx, union([internals.segmentParams, internals.channelParams, outcome?.params]));
  let total = 0;

  const segmentNames = internals.segmentNames;
  const S = segmentNames.length;
  const memberships: Membership[] = segmentNames.map((name) => ({
    name,
    span: internals.spans.get(name)!,
    members: new BitSet(expected),
    within: internals.within.get(name),
  }));
  const segmentReads = segmentNames.map((n) => internals.read(n));
  const channelReads = internals.channelNames.map((n) => internals.read(n));
  const C = channelReads.length;
  const splits = internals.splits;
  const splitReads = splits.map((s) => internals.read(s.name));

  const { fields, probes, causes } = coverageOf(internals);
  const F = fields.length;
  const fieldUnknown = new Float64Array(F);
  const segUnknown = new Float64Array(S);
  // causeCounts[s * F + f]: records segment s leaves unknown with field f behind it (once per record).
  const causeCounts = new Float64Array(S * F);
  let record: unknown;
  // The explanations made for the current record (a segment explained for its own coverage is
  // not explained again when another refers to it).
  const explained = new Map<string, Explanation | undefined>();
  const explain = (name: string): Explanation | undefined => {
    if (explained.has(name)) return explained.get(name);
    const e = internals.explain(name)?.(record, run);
    explained.set(name, e);
    return e;
  };
  const view: RecordView = { value: (name) => internals.read(name)(record, run), explain };
  const stamps = new Int32Array(F);
  let stamp = 0;
  let causeAt = 0; // s * F for the segment being explained
  const mark = (f: number) => {
    if (stamps[f] === stamp) return;
    stamps[f] = stamp;
    causeCounts[causeAt + f]!++;
  };
  const segmentBodies = segmentNames.map((n) => {
    const def = plan.defs.get(n);
    return def && def.kind === "segment" ? def.body : undefined;
  });

  // Reach and outcomes: counts per segment (× channel, × split arm).
  const reachSize = new Float64Array(S * C);
  const segSizes = new Float64Array(S);
  const armBase = splits.map((_, k) => splits.slice(0, k).reduce((a, s) => a + s.arms.length, 0));
  const A = splits.reduce((a, s) => a + s.arms.length, 0);
  const armN = new Float64Array(A);
  const armPos = new Float64Array(A);
  const segArmN = new Float64Array(S * A);
  const segArmPos = new Float64Array(S * A);
  const segN = new Float64Array(S);
  const segPos = new Float64Array(S);
  let baseN = 0;
  let basePos = 0;
  const inSegment = new Uint8Array(S);
  const reached = new Uint8Array(C);
  const arms = new Int32Array(splits.length);
  const armIndex = splits.map((s) => new Map(s.arms.map((a, j) => [a, j])));

  function add(next: unknown): void {
    const i = total++;
    record = next;
    if (explained.size) explained.clear();
    for (let s = 0; s < S; s++) {
      const v = segmentReads[s]!(record, run) as Truth;
      inSegment[s] = v === true ? 1 : 0;
      if (v === true) {
        memberships[s]!.members.add(i);
        segSizes[s]!++;
      } else if (v === null) {
        segUnknown[s]!++;
        noteCauses(s);
      }
    }
    for (let c = 0; c < C; c++) reached[c] = channelReads[c]!(record, run) === true ? 1 : 0;
    for (let k = 0; k < splits.length; k++) {
      const arm = splitReads[k]!(record, run);
      const j = typeof arm === "string" ? armIndex[k]!.get(arm) : undefined;
      arms[k] = j === undefined ? -1 : armBase[k]! + j;
    }
    const o = outcome ? outcome.truth(record, run) : false;
    const counted = o !== null; // without an outcome, every record counts in n
    if (outcome && counted) {
      baseN++;
      if (o) basePos++;
    }
    for (let k = 0; k < splits.length; k++) {
      const a = arms[k]!;
      if (a < 0 || !counted) continue;
      armN[a]!++;
      if (o) armPos[a]!++;
    }
    for (let s = 0; s < S; s++) {
      if (!inSegment[s]) continue;
      for (let c = 0; c < C; c++) if (reached[c]) reachSize[s * C + c]!++;
      if (!counted) continue;
      segN[s]!++;
      if (o) segPos[s]!++;
      for (let k = 0; k < splits.length; k++) {
        const a = arms[k]!;
        if (a < 0) continue;
        segArmN[s * A + a]!++;
        if (o) segArmPos[s * A + a]!++;
      }
    }
    for (let f = 0; f < probes.length; f++) if (probes[f]?.(record, run)) fieldUnknown[f]!++;
    record = undefined;
  }

  /** Counts the fields behind segment `s`'s unknown result on the current record (once each). */
  function noteCauses(s: number): void {
    const body = segmentBodies[s];
    const e = body ? explain(segmentNames[s]!) : undefined;
    if (!body || !e) return;
    if (++stamp === 0x7fffffff) {
      stamp = 1;
      stamps.fill(0);
    }
    causeAt = s * F;
    causes.of(body, e, view, mark);
  }

  function report(): AnalyzeReport {
    const share = (n: number) => (total === 0 ? 0 : n / total);
    const baseRate = baseN === 0 ? null : basePos / baseN;
    const campaign: CampaignReport = {
      reach: segmentNames.flatMap((segment, s) =>
        internals.channelNames.map((channel, c) => {
          const size = reachSize[s * C + c]!;
          return { segment, channel, size, excluded: segSizes[s]! - size };
        }),
      ),
      coverage: {
        fields: fields.map((f, i) => ({ field: f.text, unknown: fieldUnknown[i]!, share: share(fieldUnknown[i]!) })),
        segments: segmentNames.map((name, s) => ({
          name,
          unknown: segUnknown[s]!,
          share: share(segUnknown[s]!),
          fields: fields
            .map((f, i) => ({ field: f.text, count: causeCounts[s * F + i]! }))
            .filter((x) => x.count > 0)
            .sort((a, b) => b.count - a.count), // stable: ties stay in the order of coverage.fields
        })),
      },
      outcomes: outcome
        ? segmentNames.map((segment, s) => {
            const { n, positives, rate, low, high, lift } = rateSummary(segPos[s]!, segN[s]!, baseRate);
            return { segment, n, positives, rate, low, high, lift };
          })
        : [],
      splits: splits.flatMap((sp, k) => armRows(sp.name, sp.arms, armBase[k]!, armN, outcome ? armPos : undefined)),
      segmentSplits: segmentNames.flatMap((segment, s) =>
        splits.flatMap((sp, k) =>
          armRows(sp.name, sp.arms, s * A + armBase[k]!, segArmN, outcome ? segArmPos : undefined).map(
            (r): SegmentArmOutcome => ({ segment, ...r }),
          ),
        ),
      ),
    };
    return reportFromMemberships(memberships, total, options, campaign);
  }

  return { add, report };
}

/**
 * The rows of one split's arms from counts at `at…at + arms.length` (without positives: n only),
 * each compared with the first arm by Newcombe's hybrid score interval.
 */
function armRows(split: string, arms: readonly string[], at: number, ns: Float64Array, pos: Float64Array | undefined): ArmOutcome[] {
  return arms.map((arm, j) => {
    const n = ns[at + j]!;
    if (!pos) return { split, arm, n, positives: null, rate: null, low: null, high: null, diff: null, diffLow: null, diffHigh: null };
    const positives = pos[at + j]!;
    const w = wilsonInterval(positives, n);
    const d = j === 0 ? null : newcombeDifference(positives, n, pos[at]!, ns[at]!);
    return {
      split,
      arm,
      n,
      positives,
      rate: n === 0 ? null : positives / n,
      low: w?.low ?? null,
      high: w?.high ?? null,
      diff: d?.diff ?? null,
      diffLow: d?.low ?? null,
      diffHigh: d?.high ?? null,
    };
  });
}

/** What coverage needs of a rules file, worked out on its first analysis. */
interface CoverageTools {
  /** The fields every definition reads (file order). */
  readonly fields: readonly ReadField[];
  /** Per field, its unknown probe. */
  readonly probes: readonly (((record: unknown, run: RunState) => boolean) | undefined)[];
  readonly causes: Causes;
}

const COVERAGE = new WeakMap<RulesInternals, CoverageTools>();

function coverageOf(internals: RulesInternals): CoverageTools {
  let tools = COVERAGE.get(internals);
  if (!tools) {
    const { plan } = internals;
    const defs = plan.doc.definitions.filter((d) => plan.defs.get(d.name) === d);
    const fields = fieldsRead(defs, plan.facts);
    tools = {
      fields,
      probes: fields.map((f) => probeOf(f, internals.model)),
      causes: new Causes(plan.facts, plan.defs, new Map(fields.map((f, i) => [f.text, i]))),
    };
    COVERAGE.set(internals, tools);
  }
  return tools;
}

/** The parameters of several definitions together (the first type seen for each name). */
function union(maps: readonly (ReadonlyMap<string, ParamType> | undefined)[]): Map<string, ParamType> {
  const out = new Map<string, ParamType>();
  for (const m of maps) for (const [k, v] of m ?? []) if (!out.has(k)) out.set(k, v);
  return out;
}
