/**
 * `analyze`'s report from results computed elsewhere (a database running `rulesToSQL`): per
 * record, each segment's and channel's value and each split's arm. Sizes, overlaps, records in no
 * segment, reach per channel, split arms (n), records each segment leaves unknown, and the
 * warnings come out as `analyze` gives them over the same records; what needs the records
 * themselves — the fields behind unknown results (`coverage.fields`, each segment's `fields`) and
 * outcomes — is empty.
 * @internal
 */
import type { Truth } from "../compile/types.js";
import { type AnalyzeOptions, type AnalyzeReport, type ArmOutcome, type Membership, checkOptions, reportFromMemberships } from "./analyze.js";
import { BitSet } from "./bitset.js";
import type { RulesInternals } from "./compile-rules.js";

/** One record's results, in the rules file's orders (segments, channels, splits). */
export interface RecordResults {
  readonly segments: readonly Truth[];
  readonly channels: readonly Truth[];
  /** Each split's arm, null when the record has none. */
  readonly splits: readonly (string | null)[];
}

/** The analysis of results, record by record. */
export interface ResultAnalysis {
  add(results: RecordResults): void;
  report(): AnalyzeReport;
}

/** @internal */
export function createResultAnalysis(internals: RulesInternals, options: Omit<AnalyzeOptions, "outcome"> = {}): ResultAnalysis {
  checkOptions(options);
  const segmentNames = internals.segmentNames;
  const channelNames = internals.channelNames;
  const splits = internals.splits;
  const S = segmentNames.length;
  const C = channelNames.length;
  const memberships: Membership[] = segmentNames.map((name) => ({ name, span: internals.spans.get(name)!, members: new BitSet(0), within: internals.within.get(name) }));
  const sizes = new Float64Array(S);
  const unknown = new Float64Array(S);
  const reach = new Float64Array(S * C);
  const arms = splits.map((s) => new Map(s.arms.map((a) => [a, 0])));
  const segArms = segmentNames.map(() => splits.map((s) => new Map(s.arms.map((a) => [a, 0]))));
  let total = 0;

  function add(r: RecordResults): void {
    const i = total++;
    splits.forEach((_, k) => {
      const arm = r.splits[k];
      const counts = arms[k]!;
      if (arm !== null && arm !== undefined && counts.has(arm)) counts.set(arm, counts.get(arm)! + 1);
    });
    for (let s = 0; s < S; s++) {
      const v = r.segments[s];
      if (v === null || v === undefined) {
        unknown[s]!++;
        continue;
      }
      if (!v) continue;
      memberships[s]!.members.add(i);
      sizes[s]!++;
      for (let c = 0; c < C; c++) if (r.channels[c] === true) reach[s * C + c]!++;
      splits.forEach((_, k) => {
        const arm = r.splits[k];
        const counts = segArms[s]![k]!;
        if (arm !== null && arm !== undefined && counts.has(arm)) counts.set(arm, counts.get(arm)! + 1);
      });
    }
  }

  const armRow = (split: string, arm: string, n: number): ArmOutcome => ({ split, arm, n, positives: null, rate: null, low: null, high: null, diff: null, diffLow: null, diffHigh: null });

  function report(): AnalyzeReport {
    const share = (n: number) => (total === 0 ? 0 : n / total);
    return reportFromMemberships(memberships, total, options, {
      reach: segmentNames.flatMap((segment, s) => channelNames.map((channel, c) => ({ segment, channel, size: reach[s * C + c]!, excluded: sizes[s]! - reach[s * C + c]! }))),
      coverage: { fields: [], segments: segmentNames.map((name, s) => ({ name, unknown: unknown[s]!, share: share(unknown[s]!), fields: [] })) },
      outcomes: [],
      splits: splits.flatMap((sp, k) => sp.arms.map((arm) => armRow(sp.name, arm, arms[k]!.get(arm)!))),
      segmentSplits: segmentNames.flatMap((segment, s) => splits.flatMap((sp, k) => sp.arms.map((arm) => ({ segment, ...armRow(sp.name, arm, segArms[s]![k]!.get(arm)!) })))),
    });
  }

  return { add, report };
}
