/**
 * Every diagnostic the rules layer produces, worded in one place (codes documented in
 * docs/errors.md; tests assert codes and spans, not wording).
 * @internal
 */
import { type Diagnostic, type Span, WHOLE, error, warning } from "../errors/diagnostic.js";

const q = (name: string) => `\`${name}\``;

/** `a`, `b` and `c` */
export function listNames(names: readonly string[]): string {
  const quoted = names.map(q);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

const KIND_WORD: Record<string, string> = {
  segment: "segment",
  score: "score",
  lifecycle: "lifecycle",
  tiers: "tiers",
  rfm: "RFM model",
  channel: "channel",
  split: "split",
};

export const msg = {
  duplicateName: (name: string, kind: string, span: Span, firstKind: string, firstLine: number): Diagnostic =>
    error(
      "rules.duplicate-name",
      `The name ${q(name)} is already defined (${KIND_WORD[firstKind] ?? firstKind} at line ${firstLine}); this ${KIND_WORD[kind] ?? kind} needs another name.`,
      span,
      `rename one of them: every segment, score, lifecycle, tiers, rfm, channel and split needs its own name`,
    ),

  cycle: (path: readonly string[], span: Span): Diagnostic =>
    error(
      "rules.cycle",
      path.length === 2
        ? `${q(path[0]!)} refers to itself.`
        : `These definitions refer to each other in a circle: ${path.map((n) => `@${n}`).join(" → ")}.`,
      span,
      "a definition may use only definitions that do not lead back to it; break the circle by writing one of them without the reference",
    ),

  populationRef: (name: string, kind: "tiers" | "rfm", span: Span): Diagnostic =>
    error(
      "ref.population",
      kind === "rfm"
        ? `${q(name)} is an RFM model: it is computed over a whole population, not one record, so a rule cannot use it.`
        : `${q(name)} is a quantile tiers: it is computed over a whole population, not one record, so a rule cannot use it.`,
      span,
      kind === "rfm"
        ? "use the RFM model's `assign(records)` from your code"
        : "use threshold tiers (`high if >= 100k` …) to refer to a tier from a rule, or `assign(records)` from your code",
    ),

  missingOtherwise: (tiers: string, span: Span, quantiles: boolean, total?: number): Diagnostic =>
    error(
      "rules.missing-otherwise",
      quantiles
        ? `The shares of ${q(tiers)} add up to ${formatPercent(total ?? 0)}, so some records would get no tier.`
        : `${q(tiers)} has no \`otherwise\` line: a value that matches no line would get no tier.`,
      span,
      "end the tiers with a line such as `other otherwise`",
    ),

  otherwiseNotLast: (tiers: string, span: Span): Diagnostic =>
    error(
      "rules.otherwise-not-last",
      `In ${q(tiers)}, \`otherwise\` must be the last line: the lines after it could never be reached.`,
      span,
      "move the `otherwise` line to the end",
    ),

  tierOrder: (line: string, takenBy: readonly string[], span: Span): Diagnostic =>
    warning(
      "rules.tier-order",
      `The tier ${q(line)} can never be chosen: the line${takenBy.length > 1 ? "s" : ""} ${listNames(takenBy)} above it already take${takenBy.length > 1 ? "" : "s"} every value it would.`,
      span,
      "first match wins: put the narrower test first (for example `high if >= 100k` before `medium if >= 20k`)",
    ),

  unreachableOtherwise: (line: string, span: Span, quantiles: boolean): Diagnostic =>
    warning(
      "rules.unreachable-otherwise",
      quantiles
        ? `The shares above ${q(line)} already add up to 100%, so ${q(line)} will always be empty.`
        : `The lines above ${q(line)} already take every number, so ${q(line)} will never be chosen.`,
      span,
      quantiles ? "lower a share, or remove the `otherwise` line" : "remove the `otherwise` line, or narrow a test above it",
    ),

  quantileTotal: (tiers: string, total: number, span: Span): Diagnostic =>
    error(
      "rules.quantile-total",
      `The shares of ${q(tiers)} add up to ${formatPercent(total)}, more than 100%.`,
      span,
      "shares are parts of one population: make them add up to 100% at most, and end with an `otherwise` line for the rest",
    ),

  splitTotal: (split: string, total: string, span: Span): Diagnostic =>
    error(
      "rules.split-total",
      `The arms of ${q(split)} add up to ${total}%, not 100%.`,
      span,
      "every record goes to exactly one arm: make the shares add up to exactly 100% (for example `control 10%`, `a 45%`, `b 45%`)",
    ),

  duplicateArm: (split: string, arm: string, span: Span): Diagnostic =>
    error("rules.duplicate-arm", `The arm ${q(arm)} appears twice in ${q(split)}.`, span, "give each arm of a split its own name"),

  splitKey: (split: string, key: string, span: Span, found: string): Diagnostic =>
    error(
      "rules.split-key",
      `${q(split)} is split by ${q(key)}, which is ${found}: a split's key must be text or a whole number.`,
      span,
      "split by an identifier that never changes: a text field such as `email` or `id`, or a number field declared `.int()` in the schema",
    ),

  duplicateTier: (tiers: string, line: string, span: Span): Diagnostic =>
    error(
      "rules.duplicate-tier",
      `The tier ${q(line)} appears twice in ${q(tiers)}.`,
      span,
      "give each line of a tiers definition its own name",
    ),

  duplicateStage: (lifecycle: string, stage: string, span: Span): Diagnostic =>
    error(
      "rules.duplicate-stage",
      `The stage ${q(stage)} appears twice in ${q(lifecycle)}.`,
      span,
      "give each stage its own name",
    ),

  stageCondition: (lifecycle: string, stage: string, span: Span): Diagnostic =>
    error(
      "rules.stage-condition",
      `The stage ${q(stage)} of ${q(lifecycle)} has no condition: only the first stage may go without one.`,
      span,
      `write the condition that puts a record at this stage: \`${stage} if …\``,
    ),

  clampOrder: (min: number, max: number, span: Span): Diagnostic =>
    error(
      "rules.clamp-order",
      `\`clamp ${min} to ${max}\` has its bounds the wrong way round.`,
      span,
      `write \`clamp ${max} to ${min}\``,
    ),

  scoreMax: (max: number, span: Span): Diagnostic =>
    error(
      "rules.score-max",
      `\`max ${max}\` must be zero or more points.`,
      span,
      "`max` caps the points of one rule, whatever its sign: `-5 per bounces max 20` takes at most 20 points away",
    ),

  decayPercent: (percent: number, span: Span): Diagnostic =>
    error(
      "rules.decay-percent",
      `\`decaying ${percent}%\` must lose more than 0% and at most 100% per period.`,
      span,
      "for example `decaying 50% every 30 days`: points halve every 30 days",
    ),

  decayPeriod: (span: Span): Diagnostic =>
    error("rules.decay-period", "A decay period must be longer than zero.", span, "for example `every 30 days`"),

  decayDate: (field: string, collection: string, span: Span, found?: string): Diagnostic =>
    error(
      "rules.decay-date",
      found
        ? `\`by ${field}\` must name a date of each element of ${q(collection)}, but ${q(field)} is ${found}.`
        : `\`by ${field}\` must name a date field of the elements of ${q(collection)}.`,
      span,
      "name the date each event happened, for example `by at` or `by date`",
    ),

  decayCollection: (collection: string, span: Span, found?: string): Diagnostic =>
    error(
      "rules.decay-collection",
      found
        ? `A decaying rule counts elements of a list of events, but ${q(collection)} is ${found}.`
        : `A decaying rule counts elements of a list of events, and there is no such list ${q(collection)}.`,
      span,
      "name a list of objects, each with a date: `per events where (type = \"webinar\") decaying …`",
    ),

  valueType: (role: string, expected: string, found: string, span: Span, hint?: string): Diagnostic =>
    error("rules.value-type", `${role} must be ${expected}, but this is ${found}.`, span, hint),

  // analyze()
  emptySegment: (name: string, span: Span) =>
    warning("rules.empty-segment", `The segment ${q(name)} selects no record.`, span, "check its conditions against a sample of your data"),

  smallSegment: (name: string, size: number, min: number, span: Span) =>
    warning(
      "rules.small-segment",
      `The segment ${q(name)} selects only ${size} record${size === 1 ? "" : "s"}, fewer than ${formatCount(min)}.`,
      span,
      "a segment this small is rarely worth a campaign: merge it into a broader one or widen its conditions",
    ),

  tooManySegments: (count: number, max: number, span: Span) =>
    warning(
      "rules.too-many-segments",
      `This rules file defines ${count} segments, more than ${max}.`,
      span,
      "many segments are hard to act on: merge the close ones, or keep the helpers as parts of fewer segments",
    ),

  identicalSegments: (a: string, b: string, span: Span) =>
    warning(
      "rules.identical-segments",
      `The segments ${q(a)} and ${q(b)} select exactly the same records.`,
      span,
      "keep one of them, or tell them apart with a condition",
    ),

  nestedSegment: (inner: string, outer: string, span: Span) =>
    warning(
      "rules.nested-segment",
      `Every record of ${q(inner)} is also in ${q(outer)}.`,
      span,
      `if that is intended, write it: \`@${outer} and …\`; otherwise check the conditions of ${q(inner)}`,
    ),

  smallReach: (segment: string, channel: string, size: number, segmentSize: number, min: number, span: Span) =>
    warning(
      "rules.small-reach",
      `The channel ${q(channel)} reaches only ${size} of the ${segmentSize} record${segmentSize === 1 ? "" : "s"} of ${q(segment)} (${percent(size / segmentSize)}), less than ${percent(min)}.`,
      span,
      `the others have not consented to ${q(channel)}, or their consent is unknown (unknown consent is not consent): collect it, or reach them through another channel`,
    ),

  manyUnknown: (
    segment: string,
    unknown: number,
    total: number,
    max: number,
    fields: readonly { readonly field: string; readonly count: number }[],
    span: Span,
  ) =>
    warning(
      "rules.many-unknown",
      `The segment ${q(segment)} cannot tell whether ${unknown} of the ${total} records (${percent(unknown / total)}, more than ${percent(max)}) are in or out: data its conditions read is missing.`,
      span,
      fields.length
        ? `most often missing: ${fields
            .slice(0, 3)
            .map((f) => `${q(f.field)} (${f.count} record${f.count === 1 ? "" : "s"})`)
            .join(", ")}; complete them, or say in the rule what a missing value means (\`… or field is not set\`)`
        : "complete the data its conditions read, or say in the rule what a missing value means (`… or field is not set`)",
    ),

  // evaluation inputs
  unknownPreviousStage: (lifecycle: string, stage: string, stages: readonly string[]) =>
    ({
      code: "eval.unknown-stage",
      message: `The previous stage ${q(stage)} is not a stage of ${q(lifecycle)}.`,
      hint: `the stages are ${listNames(stages)}`,
    }) as const,

  unknownPreviousLifecycle: (name: string, lifecycles: readonly string[]) =>
    ({
      code: "eval.unknown-lifecycle",
      message: `\`previous\` names ${q(name)}, which is not a lifecycle of this rules file.`,
      hint: lifecycles.length ? `the lifecycles are ${listNames(lifecycles)}` : "this rules file has no lifecycle",
    }) as const,

  ambiguousPrevious: (lifecycles: readonly string[]) =>
    ({
      code: "eval.ambiguous-previous",
      message: `\`previous\` is one stage name, but this rules file has several lifecycles (${listNames(lifecycles)}).`,
      hint: "give one previous stage per lifecycle: `previous: { stage: \"purchase\" }`",
    }) as const,

  badPrevious: () =>
    ({
      code: "eval.previous",
      message: "`previous` must be a stage name or an object of stage names by lifecycle.",
      hint: "for example `previous: \"purchase\"` or `previous: { stage: \"purchase\" }`",
    }) as const,
};

/** The whole-file span, for findings about no particular line. */
export const NOWHERE = WHOLE;

function formatPercent(p: number): string {
  return `${Math.round(p * 1000) / 1000}%`;
}

/** A share as a percentage with at most one decimal: `0.3125` → `31.3%`. */
function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function formatCount(n: number): string {
  const r = Math.round(n * 100) / 100;
  return `${r} record${r === 1 ? "" : "s"}`;
}
