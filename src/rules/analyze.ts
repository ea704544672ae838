/**
 * Segment hygiene: sizes, overlaps, records in no segment, and warnings; and, for campaigns
 * (LANGUAGE.md §7), reach per channel, data coverage and outcome rates per segment and split arm.
 * The report's shapes and the arithmetic on counts are here; the pass over the records is in
 * analyze-pass.ts.
 */
import type { ExprNode, SegmentDef } from "../ast/nodes.js";
import type { Diagnostic, Span } from "../errors/diagnostic.js";
import { BitSet } from "./bitset.js";
import { NOWHERE, msg } from "./messages.js";

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /**
   * A segment smaller than this share of the records (0–1) gets a `rules.small-segment` warning.
   * Default `0.01` (1%).
   */
  minShare?: number;
  /** A segment with fewer records than this gets a `rules.small-segment` warning; overrides `minShare`. */
  minSize?: number;
  /** More segments than this gets a `rules.too-many-segments` warning. Default `10`. */
  maxSegments?: number;
  /**
   * A non-empty segment of which a channel reaches a smaller share than this (0–1: `size /
   * segment size` of its {@link SegmentReach}) gets a `rules.small-reach` warning for that channel.
   * Default `0.1` (10%).
   */
  minReachShare?: number;
  /**
   * A segment that leaves more than this share of the records (0–1) unknown, neither in nor out,
   * gets a `rules.many-unknown` warning naming the fields most often behind it. Default `0.2` (20%).
   */
  maxUnknownShare?: number;
  /**
   * The outcome to measure per segment and split arm: a boolean field (`"converted"`) or a
   * condition in the rules language (`'opportunities has any ["won"]'`, `"@buyers"`), compiled with
   * the rules' schema and definitions. A record whose outcome is unknown is left out of `n`.
   * Throws a `CibleError` when it is not a valid condition.
   */
  outcome?: string;
}

/** One segment's size in an {@link AnalyzeReport}. */
export interface SegmentSize {
  name: string;
  /** Records selected (the rule is true). */
  size: number;
  /** `size / total`, 0 when there is no record. */
  share: number;
}

/** How much two segments overlap. */
export interface SegmentOverlap {
  a: string;
  b: string;
  /** Records in both. */
  count: number;
  /** `|a ∩ b| / |a ∪ b|`, 0 when both are empty. */
  jaccard: number;
}

/** Who a channel may reach in a segment (see {@link AnalyzeReport.reach}). */
export interface SegmentReach {
  segment: string;
  channel: string;
  /** Records in the segment (rule TRUE) that the channel reaches (its condition TRUE). */
  size: number;
  /** Records in the segment that the channel does not reach: its condition is false or unknown. */
  excluded: number;
}

/** How often a field read by the rules is unknown. */
export interface FieldCoverage {
  /** The dotted path from the record (`sector`, `company.size`, `events.type`). */
  field: string;
  /**
   * Records on which it is unknown: for a field outside lists, `field is not set` (missing, null,
   * of the wrong type, NaN, an invalid date, not a value of its enum; a list missing); for a field
   * inside a list (`events.type`), records with an element on which it is unknown.
   */
  unknown: number;
  /** `unknown / total`, 0 when there is no record. */
  share: number;
}

/** The records a segment leaves unknown, and the fields behind them. */
export interface SegmentCoverage {
  name: string;
  /** Records on which the rule is unknown (neither in nor out, by three-valued logic). */
  unknown: number;
  /** `unknown / total`, 0 when there is no record. */
  share: number;
  /**
   * The fields read by the unknown leaves of those records' explanations, each counted once per
   * record, most frequent first (ties in the order of `coverage.fields`).
   */
  fields: { field: string; count: number }[];
}

/** Data coverage: see {@link AnalyzeReport.coverage}. */
export interface DataCoverage {
  /** Every field a definition of the file reads, in the order first read (definitions in file order). */
  fields: FieldCoverage[];
  /** One entry per segment, in definition order. */
  segments: SegmentCoverage[];
}

/** A segment's outcome rate, with its Wilson 95% interval and its lift over the whole base. */
export interface SegmentOutcome {
  segment: string;
  /** Records in the segment whose outcome is known. */
  n: number;
  /** Those with a true outcome. */
  positives: number;
  /** `positives / n`; null when n = 0. */
  rate: number | null;
  /** The Wilson 95% interval of `rate`; null when n = 0. */
  low: number | null;
  high: number | null;
  /** `rate / base rate` (the base: every record whose outcome is known); null when n = 0 or the base rate is 0 or undefined. */
  lift: number | null;
}

/** A split arm's outcome, compared with the first arm. */
export interface ArmOutcome {
  split: string;
  arm: string;
  /** Records in the arm whose outcome is known (without `outcome`: records in the arm). */
  n: number;
  /** Those with a true outcome; null without `outcome`. */
  positives: number | null;
  /** `positives / n`; null when n = 0 or without `outcome`. */
  rate: number | null;
  /** The Wilson 95% interval of `rate`; null with it. */
  low: number | null;
  high: number | null;
  /**
   * `rate − rate of the first arm`; null for the first arm, when either arm has n = 0, and
   * without `outcome`.
   */
  diff: number | null;
  /** The 95% interval of `diff` by Newcombe's hybrid score method (method 10, 1998); null with it. */
  diffLow: number | null;
  diffHigh: number | null;
}

/** A split arm's outcome among the records of one segment. */
export interface SegmentArmOutcome extends ArmOutcome {
  segment: string;
}

/** A hygiene warning of {@link analyze}: a diagnostic (placed on the segment's name) and the segments concerned. */
export interface AnalyzeWarning extends Diagnostic {
  segments: string[];
}

/** What {@link analyze} finds. */
export interface AnalyzeReport {
  /** Number of records analysed. */
  total: number;
  /** One entry per segment, in definition order. */
  segments: SegmentSize[];
  /** One entry per pair of segments (`a` defined before `b`), in definition order. */
  overlaps: SegmentOverlap[];
  /** Records selected by no segment: how many, their share, and their indices in `records`. */
  unsegmented: { count: number; share: number; indices: number[] };
  /**
   * Warnings, in this order: too many segments, then per segment (definition order) empty or
   * too small, small reach per channel (file order) and many unknown, then per pair identical or
   * nested.
   */
  warnings: AnalyzeWarning[];
  /** Per segment (definition order) and channel (file order): records reachable and excluded. */
  reach: SegmentReach[];
  /** Per field read by the rules, records where it is unknown; per segment, records left unknown and why. */
  coverage: DataCoverage;
  /** Per segment (definition order), its outcome rate; empty without the `outcome` option. */
  outcomes: SegmentOutcome[];
  /** Per split (file order) and arm (declared order), over all the records: records with no arm (unknown key) are in none. */
  splits: ArmOutcome[];
  /** The same per segment (definition order), split and arm, over the records of the segment. */
  segmentSplits: SegmentArmOutcome[];
}

/** The campaign parts of a report (see {@link AnalyzeReport}). @internal */
export type CampaignReport = Pick<AnalyzeReport, "reach" | "coverage" | "outcomes" | "splits" | "segmentSplits">;

const NO_CAMPAIGN: CampaignReport = { reach: [], coverage: { fields: [], segments: [] }, outcomes: [], splits: [], segmentSplits: [] };

/** A segment's membership, as analyze needs it. @internal */
export interface Membership {
  readonly name: string;
  readonly span: Span;
  readonly members: BitSet;
  /**
   * The segments this one is inside by its own references ({@link insideByReference}): no
   * `rules.nested-segment` warning for them.
   */
  readonly within?: ReadonlySet<string>;
}

/**
 * For each segment, the segments it is inside by construction, whatever the records: a segment
 * whose rule is an `and` chain with a conjunct `@B` (a segment written alone, not negated,
 * compared or inside an `or`) is inside `B`, and inside every segment `B` is inside,
 * transitively. Nested `and`s count as one chain (the AST keeps no parentheses).
 * @internal
 */
export function insideByReference(segments: readonly SegmentDef[]): Map<string, ReadonlySet<string>> {
  const bodies = new Map(segments.map((s) => [s.name, s.body]));
  const out = new Map<string, ReadonlySet<string>>();
  const pending = new Set<string>(); // a cycle (the checker rejects them) adds nothing
  const visit = (name: string): ReadonlySet<string> => {
    const done = out.get(name);
    if (done) return done;
    if (pending.has(name)) return new Set();
    pending.add(name);
    const within = new Set<string>();
    for (const ref of requiredSegments(bodies.get(name)!, bodies)) {
      within.add(ref);
      for (const outer of visit(ref)) within.add(outer);
    }
    pending.delete(name);
    out.set(name, within);
    return within;
  };
  for (const s of segments) visit(s.name);
  return out;
}

/** The segments a rule's top-level `and` chain requires by a conjunct `@B`. */
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

/**
 * The report from memberships already computed (pure set arithmetic).
 * @internal
 */
export function reportFromMemberships(
  memberships: readonly Membership[],
  total: number,
  options: AnalyzeOptions = {},
  campaign: CampaignReport = NO_CAMPAIGN,
): AnalyzeReport {
  checkOptions(options);
  const minShare = options.minShare ?? 0.01;
  const maxSegments = options.maxSegments ?? 10;
  const minReachShare = options.minReachShare ?? 0.1;
  const maxUnknownShare = options.maxUnknownShare ?? 0.2;
  const minSize = options.minSize ?? minShare * total;
  const share = (n: number) => (total === 0 ? 0 : n / total);

  const sizes = memberships.map((m) => m.members.count());
  const segments: SegmentSize[] = memberships.map((m, i) => ({ name: m.name, size: sizes[i]!, share: share(sizes[i]!) }));

  const overlaps: SegmentOverlap[] = [];
  const pairWarnings: AnalyzeWarning[] = [];
  for (let i = 0; i < memberships.length; i++) {
    for (let j = i + 1; j < memberships.length; j++) {
      const a = memberships[i]!;
      const b = memberships[j]!;
      const both = a.members.intersectionCount(b.members);
      const either = sizes[i]! + sizes[j]! - both;
      overlaps.push({ a: a.name, b: b.name, count: both, jaccard: either === 0 ? 0 : both / either });
      if (sizes[i] === 0 || sizes[j] === 0) continue;
      if (both === sizes[i] && both === sizes[j]) {
        pairWarnings.push({ ...msg.identicalSegments(a.name, b.name, b.span), segments: [a.name, b.name] });
      } else if (both === sizes[i]) {
        if (a.within?.has(b.name)) continue;
        pairWarnings.push({ ...msg.nestedSegment(a.name, b.name, a.span), segments: [a.name, b.name] });
      } else if (both === sizes[j]) {
        if (b.within?.has(a.name)) continue;
        pairWarnings.push({ ...msg.nestedSegment(b.name, a.name, b.span), segments: [b.name, a.name] });
      }
    }
  }

  const any = new BitSet(total);
  for (const m of memberships) any.addAll(m.members);
  const indices: number[] = [];
  for (let i = 0; i < total; i++) if (!any.has(i)) indices.push(i);

  const warnings: AnalyzeWarning[] = [];
  if (memberships.length > maxSegments) {
    const extra = memberships[maxSegments];
    warnings.push({
      ...msg.tooManySegments(memberships.length, maxSegments, extra ? extra.span : NOWHERE),
      segments: memberships.map((m) => m.name),
    });
  }
  memberships.forEach((m, i) => {
    const size = sizes[i]!;
    if (size === 0) warnings.push({ ...msg.emptySegment(m.name, m.span), segments: [m.name] });
    else if (size < minSize) warnings.push({ ...msg.smallSegment(m.name, size, minSize, m.span), segments: [m.name] });
    if (size > 0) {
      for (const r of campaign.reach) {
        if (r.segment === m.name && r.size < minReachShare * size) {
          warnings.push({ ...msg.smallReach(m.name, r.channel, r.size, size, minReachShare, m.span), segments: [m.name] });
        }
      }
    }
    const unknown = campaign.coverage.segments.find((c) => c.name === m.name);
    if (unknown && unknown.unknown > 0 && unknown.share > maxUnknownShare) {
      warnings.push({ ...msg.manyUnknown(m.name, unknown.unknown, total, maxUnknownShare, unknown.fields, m.span), segments: [m.name] });
    }
  });
  warnings.push(...pairWarnings);

  return {
    total,
    segments,
    overlaps,
    unsegmented: { count: indices.length, share: share(indices.length), indices },
    warnings,
    ...campaign,
  };
}

/**
 * Validates the options of {@link analyze} (a RangeError naming the bad one, a TypeError for an
 * outcome that is not text). @internal
 */
export function checkOptions(options: AnalyzeOptions): void {
  if (options.minShare !== undefined) checkOption("minShare", options.minShare, true);
  if (options.maxSegments !== undefined) checkOption("maxSegments", options.maxSegments, false);
  if (options.minSize !== undefined) checkOption("minSize", options.minSize, false);
  if (options.minReachShare !== undefined) checkOption("minReachShare", options.minReachShare, true);
  if (options.maxUnknownShare !== undefined) checkOption("maxUnknownShare", options.maxUnknownShare, true);
  if (options.outcome !== undefined && typeof options.outcome !== "string") {
    throw new TypeError(`cible: analyze option outcome must be a field name or a condition (text), got ${typeof options.outcome}`);
  }
}

function checkOption(name: string, value: number, isShare: boolean): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (isShare && value > 1)) {
    throw new RangeError(`cible: analyze option ${name} must be ${isShare ? "a share between 0 and 1" : "a non-negative number"}, got ${String(value)}`);
  }
}
