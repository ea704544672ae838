/**
 * Builds compiled rules from a checked rules file: one builder per kind of definition (build/),
 * each giving a function of `(record, run)` read through the per-record memo (build/memo.ts), so
 * that every definition is computed at most once per record within a run, however many times it
 * is referenced; `evaluate` runs every segment in one pass that shares their common conjuncts
 * (build/shared-conjuncts.ts), then every per-record score, stage and tier.
 * @internal
 */
import type { Definition, DefinitionKind, SegmentDef } from "../ast/nodes.js";
import { printRules } from "../ast/printer.js";
import type { ParamType } from "../check/types.js";
import { type RefBinding, createRun } from "../compile/index.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import { SCHEMA_MODEL, type SchemaModel } from "../schema/model.js";
import { insideByReference } from "./analyze.js";
import { buildLifecycle } from "./build/lifecycle.js";
import { createMemo } from "./build/memo.js";
import { previousResolver } from "./build/previous.js";
import { buildRfm } from "./build/rfm.js";
import { buildScore } from "./build/score.js";
import { type CompiledCondition, compileCondition } from "./build/outcome.js";
import { compileReach } from "./build/reach.js";
import { buildChannel, buildSegment } from "./build/segment.js";
import { buildSplit } from "./build/split.js";
import { segmentPass } from "./build/shared-conjuncts.js";
import { buildTiers } from "./build/tiers.js";
import { type BuildEnv, type Builder, type Read, type RulesParts, checksOf, paramsOf } from "./build/env.js";
import type { RulesPlan } from "./check-rules.js";
import type { EvalContext, Explanation, Segment } from "../compile/types.js";
import { createTimelines } from "./next-change.js";
import type { CompiledRules, RulesEvaluation } from "./types.js";

export { scoreRuleText } from "./build/score.js";

/**
 * The builder of each kind of definition. A new kind of definition does not type-check until it
 * has a builder here.
 */
const BUILDERS: { readonly [K in DefinitionKind]: Builder<Extract<Definition, { kind: K }>> } = {
  segment: buildSegment,
  score: buildScore,
  lifecycle: buildLifecycle,
  tiers: buildTiers,
  rfm: buildRfm,
  channel: buildChannel,
  split: buildSplit,
};

/**
 * Compiles a rules file that passed {@link checkRulesDocument} without errors.
 * @internal
 */
export function buildRules<T>(
  source: string,
  model: SchemaModel,
  plan: RulesPlan,
  warnings: readonly Diagnostic[],
): CompiledRules<T> {
  const { doc, defs } = plan;
  const memo = createMemo(plan.order);
  const refs = new Map<string, RefBinding>();
  for (const [name, type] of plan.refTypes) refs.set(name, { type, read: memo.read(name) as Read<boolean | number | string | null> });
  const stages = new Map<string, readonly string[]>();
  const env: BuildEnv = {
    source,
    model,
    plan,
    checks: checksOf(plan),
    refs,
    read: memo.read,
    stages,
    previous: previousResolver(stages),
  };

  const parts: RulesParts<T> = {
    segments: Object.create(null),
    scores: Object.create(null),
    lifecycles: Object.create(null),
    tiers: Object.create(null),
    rfm: Object.create(null),
    channels: Object.create(null),
    splits: Object.create(null),
  };
  const referenced = new Set<string>();
  for (const list of plan.edges.values()) for (const e of list) referenced.add(e.to);
  // What `evaluate` calls for a segment nothing refers to: its fast TRUE test, no memo.
  const segmentTests = new Map<string, Read<boolean>>();
  const explains = new Map<string, Read<Explanation>>();
  for (const name of plan.order) {
    const def = defs.get(name)!;
    const build = BUILDERS[def.kind] as Builder<Definition>;
    const built = build(def, env, parts);
    if (built.value) memo.define(name, built.value);
    if (built.explain) explains.set(name, built.explain);
    if (built.isTrue && !referenced.has(name)) segmentTests.set(name, built.isTrue);
  }

  const segmentNames = doc.definitions.filter((d) => d.kind === "segment" && defs.get(d.name) === d).map((d) => d.name);
  const segmentsOf = segmentPass(segmentNames, segmentTests, env, memo);
  const readList = (names: readonly string[]) => names.map((n) => [n, memo.read(n)] as const);
  const scoreReads = readList(Object.keys(parts.scores));
  const stageReads = readList(Object.keys(parts.lifecycles));
  const tierReads = readList(Object.keys(parts.tiers).filter((n) => parts.tiers[n]!.method === "thresholds"));
  const channelNames = Object.keys(parts.channels);
  const channelReads = readList(channelNames);
  const splitReads = readList(Object.keys(parts.splits));
  const reachCache = new Map<string, Segment<T>>();
  const allParams = unionOf(plan.order.map((n) => paramsOf(env, n)));
  let canonical: string | undefined;

  // Time: the instants at which answers change (next-change.ts). The scores are read by the
  // evaluator at each instant; what `evaluate` observes is everything but the raw scores and arms.
  const timelines = createTimelines(plan, source, allParams, (name, record, ctx, now) =>
    parts.scores[name]!.score(record as T, { ...ctx, now }),
  );
  env.nextChange = (names, record, ctx, observe) => {
    const t = timelines.nextChange(record, ctx, names, (now) => String(observe.evaluate(record, { ...ctx, now })));
    return t === null ? null : new Date(t);
  };
  const observed = [...segmentNames, ...channelNames, ...stageReads.map(([n]) => n), ...tierReads.map(([n]) => n)];
  let lastNow = 0;
  const evaluateIn = (record: T, ctx: EvalContext | undefined): RulesEvaluation => {
    const run = createRun(ctx, allParams);
    lastNow = run.nowMs;
    const gen = memo.begin(run);
    try {
      const segments = segmentsOf(record, run, gen);
      const out = {
        segments,
        scores: Object.create(null),
        stages: Object.create(null),
        tiers: Object.create(null),
        reachable: Object.create(null),
        splits: Object.create(null),
      } as RulesEvaluation;
      // Unknown consent is not consent: only a TRUE channel reaches the record's segments.
      for (const [n, read] of channelReads) out.reachable[n] = read(record, run) === true ? segments.slice() : [];
      for (const [n, read] of scoreReads) out.scores[n] = read(record, run) as number;
      for (const [n, read] of stageReads) out.stages[n] = read(record, run) as string | null;
      for (const [n, read] of tierReads) out.tiers[n] = read(record, run) as string | null;
      for (const [n, read] of splitReads) out.splits[n] = read(record, run) as string | null;
      return out;
    } finally {
      memo.end();
    }
  };
  const observeAt = (record: T, ctx: EvalContext | undefined) => (now: number) => {
    const e = evaluateIn(record, { ...ctx, now });
    return JSON.stringify([e.segments, e.reachable, e.stages, e.tiers]);
  };

  const rules: CompiledRules<T> = {
    source,
    ast: doc,
    warnings: Object.freeze([...warnings]),
    segments: Object.freeze(parts.segments),
    scores: Object.freeze(parts.scores),
    lifecycles: Object.freeze(parts.lifecycles),
    tiers: Object.freeze(parts.tiers),
    rfm: Object.freeze(parts.rfm),
    channels: Object.freeze(parts.channels),
    splits: Object.freeze(parts.splits),
    reach(segment, channel) {
      const key = JSON.stringify([segment, channel]);
      let seg = reachCache.get(key);
      if (!seg) {
        seg = compileReach<T>(env, { segments: segmentNames, channels: channelNames }, segment, channel);
        reachCache.set(key, seg);
      }
      return seg;
    },
    evaluate(record, ctx): RulesEvaluation {
      const out = evaluateIn(record, ctx);
      // Computed when first read (it evaluates the file again at each candidate instant), from
      // the record as it is then, at the `now` of this evaluation (a `now` left out is the clock
      // read once, here).
      const now = lastNow;
      return new LazyEvaluation(out, () => {
        const at: EvalContext = { ...ctx, now };
        const t = timelines.nextChange(record, at, observed, observeAt(record, at));
        return t === null ? null : new Date(t);
      }) as unknown as RulesEvaluation; // the fields of `out`, copied in order, and the getter
    },
    toString: () => (canonical ??= printRules(doc)),
  };
  // The schema travels with the rules (not enumerable), as with a compiled segment, so that
  // segmentToSQL / scoreToSQL / stageToSQL need no schema option.
  Object.defineProperty(rules, SCHEMA_MODEL, { value: model });
  INTERNALS.set(rules, {
    segmentNames,
    read: memo.read,
    segmentParams: unionOf(segmentNames.map((n) => paramsOf(env, n))),
    spans: new Map(segmentNames.map((n) => [n, defs.get(n)!.nameSpan])),
    within: insideByReference(segmentNames.map((n) => defs.get(n) as SegmentDef)),
    channelNames,
    channelParams: unionOf(channelNames.map((n) => paramsOf(env, n))),
    splits: Object.values(parts.splits).map((s) => ({ name: s.name, arms: s.arms })),
    explain: (name) => explains.get(name),
    model,
    plan,
    condition: (text) => compileCondition(env, text),
  });
  return rules;
}

/** The parameters of several definitions together (the first type seen for each name). */
function unionOf(maps: readonly ReadonlyMap<string, ParamType>[]): Map<string, ParamType> {
  const out = new Map<string, ParamType>();
  for (const m of maps) for (const [k, v] of m) if (!out.has(k)) out.set(k, v);
  return out;
}

/** What `analyze` needs from compiled rules, kept off the public object. @internal */
export interface RulesInternals {
  readonly segmentNames: readonly string[];
  readonly read: (name: string) => Read<unknown>;
  /** The parameters every segment (and what it refers to) needs. */
  readonly segmentParams: ReadonlyMap<string, ParamType>;
  readonly spans: ReadonlyMap<string, Definition["nameSpan"]>;
  /** Per segment, the segments it is inside by its references (no nested-segment warning for them). */
  readonly within: ReadonlyMap<string, ReadonlySet<string>>;
  /** The channels, in file order. */
  readonly channelNames: readonly string[];
  /** The parameters every channel (and what it refers to) needs. */
  readonly channelParams: ReadonlyMap<string, ParamType>;
  /** The splits and their arms, in file order. */
  readonly splits: readonly { readonly name: string; readonly arms: readonly string[] }[];
  /** A segment's or channel's explanation tree in a run; undefined for other definitions. */
  readonly explain: (name: string) => Read<Explanation> | undefined;
  /** The schema the file was checked against. */
  readonly model: SchemaModel;
  /** What the checker found: the definitions and the facts of every expression. */
  readonly plan: RulesPlan;
  /** Compiles a condition over the file's schema and definitions (an outcome); throws CibleError. */
  readonly condition: (text: string) => CompiledCondition;
}

/** @internal */
export const INTERNALS = new WeakMap<object, RulesInternals>();

/**
 * An evaluation whose `nextChange` is a getter of the prototype, computed once when first read:
 * not an own property, so JSON, spreads and equality see the answers only. (Defining an accessor
 * on each result instead cost about 1 µs per evaluation, a third of `rules.evaluate` on the bench's
 * 50-segment file.)
 */
class LazyEvaluation {
  #compute: (() => Date | null) | undefined;
  #next: Date | null | undefined;
  constructor(out: RulesEvaluation, compute: () => Date | null) {
    Object.assign(this, out);
    this.#compute = compute;
  }
  get nextChange(): Date | null {
    if (this.#next === undefined) {
      this.#next = this.#compute!();
      this.#compute = undefined;
    }
    return this.#next;
  }
}
