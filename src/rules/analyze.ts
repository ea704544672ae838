/**
 * Segment hygiene: sizes, overlaps, records in no segment, and warnings.
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
   * too small, then per pair identical or nested.
   */
  warnings: AnalyzeWarning[];
}

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
): AnalyzeReport {
  const minShare = options.minShare ?? 0.01;
  const maxSegments = options.maxSegments ?? 10;
  checkOption("minShare", minShare, true);
  checkOption("maxSegments", maxSegments, false);
  if (options.minSize !== undefined) checkOption("minSize", options.minSize, false);
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
  });
  warnings.push(...pairWarnings);

  return { total, segments, overlaps, unsegmented: { count: indices.length, share: share(indices.length), indices }, warnings };
}

function checkOption(name: string, value: number, isShare: boolean): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (isShare && value > 1)) {
    throw new RangeError(`cible: analyze option ${name} must be ${isShare ? "a share between 0 and 1" : "a non-negative number"}, got ${String(value)}`);
  }
}
