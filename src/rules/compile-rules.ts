/**
 * Builds compiled rules from a checked rules file: one function of `(record, run)` per
 * definition, read through memoising bindings so that every definition is computed at most once
 * per record within a run, however many times it is referenced. The memo is a preallocated slot
 * per definition (dependency order) stamped with a record generation: no Map, no allocation per
 * record. `evaluate` also tests the top-level conjuncts that several segments share once per
 * record (a segment is TRUE only when each of them is), skipping a segment at the first one that
 * is not TRUE.
 * @internal
 */
import type {
  BetweenNode,
  CompareNode,
  CompareOp,
  Definition,
  ExprNode,
  ExpressionDocument,
  LifecycleDef,
  NumberNode,
  ParamNode,
  QuantileTierLine,
  RfmDef,
  ScoreDef,
  ScoreRule,
  SegmentDef,
  StringNode,
  ThresholdTierLine,
  TiersDef,
} from "../ast/nodes.js";
import { AST_VERSION } from "../ast/nodes.js";
import { printNode, printRules } from "../ast/printer.js";
import { formatNumber, printDuration, printPath, printPoints } from "../ast/text.js";
import type { ParamType } from "../check/types.js";
import {
  type RefBinding,
  type RunState,
  compileCollection,
  compileExpr,
  compileValue,
  createRun,
  createSegment,
} from "../compile/index.js";
import type { EvalContext, Segment } from "../compile/types.js";
import { CibleError } from "../errors/cible-error.js";
import type { Diagnostic } from "../errors/diagnostic.js";
import type { SchemaModel } from "../schema/model.js";
import type { RulesPlan } from "./check-rules.js";
import { decayWeight, periodMs } from "./decay.js";
import { notBehind } from "./lifecycle.js";
import { msg } from "./messages.js";
import { assignShares } from "./quantiles.js";
import { type RfmSegmentName, quintiles, recencyQuintiles, rfmSegmentName } from "./rfm.js";
import type {
  CompiledLifecycle,
  CompiledQuantileTiers,
  CompiledRfm,
  CompiledRules,
  CompiledScore,
  CompiledThresholdTiers,
  CompiledTiers,
  QuantileAssignment,
  RfmAssignment,
  RfmScore,
  RulesEvaluation,
  ScoreContribution,
  ScoreExplanation,
} from "./types.js";

type Read<V> = (record: unknown, run: RunState) => V;

const DAY_MS = 86_400_000;

/** Everything a definition's compiler may use. */
interface Env {
  readonly source: string;
  readonly model: SchemaModel;
  readonly plan: RulesPlan;
  /** Bindings for every referenceable definition (filled before any definition is compiled). */
  readonly refs: ReadonlyMap<string, RefBinding>;
  /** Parameters of each definition and of everything it refers to. */
  readonly params: ReadonlyMap<string, ReadonlyMap<string, ParamType>>;
  /** `previous` resolved per run (validated once per run). */
  readonly previous: (run: RunState) => ReadonlyMap<string, number>;
}

/** A record's stage index and the stage names, for the lifecycle binding and API. */
interface LifecycleImpl {
  readonly stages: readonly string[];
  /** The stage index before `previous` is applied. */
  readonly raw: Read<number | null>;
}

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
  // Per-record memo: one slot per definition (in dependency order), valid while its stamp equals
  // the current generation. A generation is one record within one run: `evaluate` starts a new
  // one per call; any other entry (a segment's `test`, a score's `score`, `analyze`) starts one
  // when the run or the record changes, or when the run was handed out again (RecordMemo reset).
  const slotOf = new Map<string, number>();
  for (const name of plan.order) slotOf.set(name, slotOf.size);
  const count = slotOf.size;
  const impls: Read<unknown>[] = new Array<Read<unknown>>(count);
  const vals: unknown[] = new Array<unknown>(count).fill(null);
  const stamps = new Int32Array(count);
  let gen = 1;
  // The run `evaluate` is in (its generation is current), else undefined.
  let active: RunState | undefined = undefined;
  // The run of the last generation started outside `evaluate`.
  let lastRun: RunState | undefined = undefined;
  // Marks, in a run's RecordMemo, that this file started a generation for the memo's record.
  const memoKey = `\0rules#${++rulesId}`;
  // Stamps of the conjuncts `evaluate` shares between segments (set once they are compiled).
  let conjStamps = new Int32Array(0);
  const nextGen = () => {
    if (++gen === 0x3fffffff) {
      gen = 1;
      stamps.fill(0);
      conjStamps.fill(0);
    }
  };
  const enter = (record: unknown, run: RunState) => {
    const m = run.memo.for(record);
    if (run !== lastRun || !m.has(memoKey)) {
      lastRun = run;
      m.set(memoKey, true);
      nextGen();
    }
  };
  const slotRead = (i: number): Read<unknown> => (record, run) => {
    if (run !== active) enter(record, run);
    if (stamps[i] === gen) return vals[i];
    const v = impls[i]!(record, run);
    vals[i] = v;
    stamps[i] = gen;
    return v;
  };
  const readers = new Map<string, Read<unknown>>();
  const refs = new Map<string, RefBinding>();
  for (const name of plan.order) readers.set(name, slotRead(slotOf.get(name)!));
  for (const [name, type] of plan.refTypes) {
    const r = readers.get(name)! as Read<boolean | number | string | null>;
    refs.set(name, { type, read: r });
  }
  const read = (name: string): Read<unknown> => readers.get(name)!;
  const referenced = new Set<string>();
  for (const list of plan.edges.values()) for (const e of list) referenced.add(e.to);
  // What `evaluate` calls for a segment nothing refers to: its fast TRUE test, no memo.
  const segmentTests = new Map<string, Read<boolean>>();

  const params = closeParams(plan);
  const lifecycleImpls = new Map<string, LifecycleImpl>();
  const previousCache = new WeakMap<RunState, ReadonlyMap<string, number>>();
  let previousRun: RunState | undefined = undefined;
  let previousMap: ReadonlyMap<string, number> | undefined = undefined;
  const env: Env = {
    source,
    model,
    plan,
    refs,
    params,
    previous: (run) => {
      if (run === previousRun) return previousMap!;
      let m = previousCache.get(run);
      if (!m) {
        m = resolvePrevious(run.ctx?.previous, lifecycleImpls);
        previousCache.set(run, m);
      }
      previousRun = run;
      previousMap = m;
      return m;
    },
  };

  const segments: Record<string, Segment<T>> = Object.create(null);
  const scores: Record<string, CompiledScore<T>> = Object.create(null);
  const lifecycles: Record<string, CompiledLifecycle<T>> = Object.create(null);
  const tiers: Record<string, CompiledTiers<T>> = Object.create(null);
  const rfm: Record<string, CompiledRfm<T>> = Object.create(null);
  const paramsOf = (name: string) => params.get(name) ?? EMPTY_PARAMS;
  const allParams = new Map<string, ParamType>();
  for (const p of params.values()) for (const [k, v] of p) if (!allParams.has(k)) allParams.set(k, v);

  for (const name of plan.order) {
    const def = defs.get(name)!;
    switch (def.kind) {
      case "segment": {
        const body = compileExpr(def.body, model, { refs, facts: plan.facts });
        impls[slotOf.get(name)!] = body.truth;
        if (!referenced.has(name)) segmentTests.set(name, body.isTrue);
        segments[name] = segmentOf<T>(def.body, env, paramsOf(name));
        break;
      }
      case "score": {
        const s = scoreOf(def, env);
        impls[slotOf.get(name)!] = s.total;
        scores[name] = {
          name,
          score: (record, ctx) => {
            const run = createRun(ctx, paramsOf(name));
            return read(name)(record, run) as number;
          },
          explain: (record, ctx) => s.explain(record, createRun(ctx, paramsOf(name))),
        };
        break;
      }
      case "lifecycle": {
        const impl = lifecycleOf(def, env);
        lifecycleImpls.set(name, impl);
        impls[slotOf.get(name)!] = (record, run) => {
          const i = notBehind(impl.raw(record, run), env.previous(run).get(name));
          return i === null ? null : impl.stages[i]!;
        };
        lifecycles[name] = {
          name,
          stages: impl.stages,
          stage: (record, ctx) => {
            // A lone stage name is this lifecycle's previous stage.
            const own = typeof ctx?.previous === "string" ? { ...ctx, previous: { [name]: ctx.previous } } : ctx;
            return read(name)(record, createRun(own, paramsOf(name))) as string | null;
          },
        };
        break;
      }
      case "tiers": {
        if (def.method === "thresholds") {
          const t = thresholdTiersOf(def, env);
          impls[slotOf.get(name)!] = t;
          tiers[name] = {
            name,
            method: "thresholds",
            names: def.lines.map((l) => l.name),
            tier: (record, ctx) => read(name)(record, createRun(ctx, paramsOf(name))) as string | null,
          } satisfies CompiledThresholdTiers<T>;
        } else {
          tiers[name] = quantileTiersOf<T>(def, env, paramsOf(name));
        }
        break;
      }
      case "rfm":
        rfm[name] = rfmOf<T>(def, env, paramsOf(name));
        break;
    }
  }

  /** Splits each segment's body into its top-level conjuncts and numbers those shared by several segments. */
  const sharedConjuncts = (names: readonly string[]) => {
    const flat = (e: ExprNode, out: ExprNode[]): ExprNode[] => {
      if (e.kind === "and") for (const o of e.operands) flat(o, out);
      else out.push(e);
      return out;
    };
    // Conjuncts are shared only between segments without parameters (their types are the segment's).
    const keyOf = (name: string, e: ExprNode) => `${paramsOf(name).size ? name : ""}\0${printNode(e)}`;
    const split = new Map<string, { key: string; node: ExprNode }[]>();
    const uses = new Map<string, number>();
    for (const name of names) {
      const seen = new Set<string>();
      const parts: { key: string; node: ExprNode }[] = [];
      for (const node of flat((defs.get(name) as SegmentDef).body, [])) {
        const key = keyOf(name, node);
        if (seen.has(key)) continue;
        seen.add(key);
        parts.push({ key, node });
        uses.set(key, (uses.get(key) ?? 0) + 1);
      }
      split.set(name, parts);
    }
    const index = new Map<string, number>();
    const tests: Read<boolean>[] = [];
    const guards = new Map<string, number[]>();
    const rest = new Map<string, Read<boolean>>();
    for (const name of names) {
      const parts = split.get(name)!;
      const shared = parts.filter((p) => uses.get(p.key)! > 1);
      if (shared.length === 0) continue;
      // Most shared first: the likeliest to be known already for this record.
      shared.sort((a, b) => uses.get(b.key)! - uses.get(a.key)!);
      guards.set(
        name,
        shared.map((p) => {
          let i = index.get(p.key);
          if (i === undefined) {
            i = tests.length;
            index.set(p.key, i);
            tests.push(conjunctTest(p.node, name));
          }
          return i;
        }),
      );
      // Conjuncts of its own: the whole rule decides, once every shared one is TRUE.
      if (shared.length < parts.length) rest.set(name, segmentTests.get(name)!);
    }
    return { tests, guards, rest };
  };
  const conjunctTest = (node: ExprNode, name: string): Read<boolean> => {
    if (node.kind === "truthy" && node.subject.kind === "ref" && plan.refTypes.get(node.subject.name)?.kind === "segment") {
      const rd = read(node.subject.name);
      return (record, run) => rd(record, run) === true;
    }
    return compileExpr(node, model, { refs, facts: plan.facts }).isTrue;
  };

  const segmentNames = doc.definitions.filter((d) => d.kind === "segment" && defs.get(d.name) === d).map((d) => d.name);
  const scoreNames = Object.keys(scores);
  const lifecycleNames = Object.keys(lifecycles);
  const thresholdNames = Object.keys(tiers).filter((n) => tiers[n]!.method === "thresholds");
  let canonical: string | undefined;
  const readerList = segmentNames.map(read);
  const segmentTestList = segmentNames.map((n) => segmentTests.get(n));
  // Shared conjuncts (evaluate only): a segment is TRUE only when each conjunct of its top-level
  // `and` is TRUE (Kleene), so a conjunct several segments share is tested once per record, and a
  // segment is skipped as soon as one of them is not TRUE.
  const conj = sharedConjuncts(segmentNames.filter((n) => segmentTests.has(n)));
  const guardList = segmentNames.map((n) => conj.guards.get(n));
  const restList = segmentNames.map((n) => conj.rest.get(n));
  const conjTests = conj.tests;
  const conjVals = new Uint8Array(conjTests.length);
  conjStamps = new Int32Array(conjTests.length);

  const rules: CompiledRules<T> = {
    source,
    ast: doc,
    warnings: Object.freeze([...warnings]),
    segments: Object.freeze(segments),
    scores: Object.freeze(scores),
    lifecycles: Object.freeze(lifecycles),
    tiers: Object.freeze(tiers),
    rfm: Object.freeze(rfm),
    evaluate(record, ctx): RulesEvaluation {
      const run = createRun(ctx, allParams);
      // A new generation: nothing computed for an earlier call is reused (the record may have
      // been changed in place), and the generation is not taken for another entry's.
      nextGen();
      lastRun = undefined;
      active = run;
      try {
        const r = record;
        const segs: string[] = [];
        const g0 = gen;
        const cs = conjStamps;
        for (let i = 0; i < segmentTestList.length; i++) {
          const guards = guardList[i];
          let ok: boolean;
          if (guards === undefined) {
            const test = segmentTestList[i];
            ok = test === undefined ? readerList[i]!(r, run) === true : test(r, run);
          } else {
            ok = true;
            for (let j = 0; j < guards.length; j++) {
              const c = guards[j]!;
              let v: boolean;
              if (cs[c] === g0) v = conjVals[c] === 1;
              else {
                v = conjTests[c]!(r, run);
                conjVals[c] = v ? 1 : 0;
                cs[c] = g0;
              }
              if (!v) {
                ok = false;
                break;
              }
            }
            if (ok) {
              const rest = restList[i];
              if (rest !== undefined) ok = rest(r, run);
            }
          }
          if (ok) segs.push(segmentNames[i]!);
        }
        const out: RulesEvaluation = {
          segments: segs,
          scores: Object.create(null),
          stages: Object.create(null),
          tiers: Object.create(null),
        };
        for (const n of scoreNames) out.scores[n] = read(n)(r, run) as number;
        for (const n of lifecycleNames) out.stages[n] = read(n)(r, run) as string | null;
        for (const n of thresholdNames) out.tiers[n] = read(n)(r, run) as string | null;
        return out;
      } finally {
        active = undefined;
      }
    },
    toString: () => (canonical ??= printRules(doc)),
  };
  const segmentParams = new Map<string, ParamType>();
  for (const n of segmentNames) for (const [k, v] of paramsOf(n)) if (!segmentParams.has(k)) segmentParams.set(k, v);
  INTERNALS.set(rules, { segmentNames, read, segmentParams, spans: new Map(segmentNames.map((n) => [n, defs.get(n)!.nameSpan])) });
  return rules;
}

const EMPTY_PARAMS: ReadonlyMap<string, ParamType> = new Map();

/** Numbers the compiled rules files (their keys in a run's RecordMemo). */
let rulesId = 0;

/** What `analyze` needs from compiled rules, kept off the public object. @internal */
export interface RulesInternals {
  readonly segmentNames: readonly string[];
  readonly read: (name: string) => Read<unknown>;
  /** The parameters every segment (and what it refers to) needs. */
  readonly segmentParams: ReadonlyMap<string, ParamType>;
  readonly spans: ReadonlyMap<string, Definition["nameSpan"]>;
}

/** @internal */
export const INTERNALS = new WeakMap<object, RulesInternals>();

/** The parameters of each definition plus those of everything it refers to, transitively. */
function closeParams(plan: RulesPlan): Map<string, ReadonlyMap<string, ParamType>> {
  const out = new Map<string, Map<string, ParamType>>();
  for (const name of plan.order) {
    const mine = new Map(plan.ownParams.get(name) ?? []);
    for (const e of plan.edges.get(name) ?? []) {
      for (const [k, v] of out.get(e.to) ?? []) if (!mine.has(k)) mine.set(k, v);
    }
    out.set(name, mine);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// `previous`
// ---------------------------------------------------------------------------------------------

function resolvePrevious(previous: EvalContext["previous"], lifecycles: ReadonlyMap<string, LifecycleImpl>): Map<string, number> {
  const out = new Map<string, number>();
  if (previous === undefined || previous === null) return out;
  const names = [...lifecycles.keys()];
  const stageIndex = (lifecycle: string, stage: unknown): number => {
    const impl = lifecycles.get(lifecycle)!;
    const i = typeof stage === "string" ? impl.stages.indexOf(stage.normalize("NFC")) : -1;
    if (i < 0) {
      const m = msg.unknownPreviousStage(lifecycle, String(stage), impl.stages);
      throw CibleError.of(m.code, m.message, m.hint);
    }
    return i;
  };
  if (typeof previous === "string") {
    if (names.length !== 1) {
      const m = names.length ? msg.ambiguousPrevious(names) : msg.unknownPreviousLifecycle(previous, names);
      throw CibleError.of(m.code, m.message, m.hint);
    }
    out.set(names[0]!, stageIndex(names[0]!, previous));
    return out;
  }
  if (typeof previous !== "object" || Array.isArray(previous)) {
    const m = msg.badPrevious();
    throw CibleError.of(m.code, m.message, m.hint);
  }
  for (const key of Object.keys(previous)) {
    if (!lifecycles.has(key)) {
      const m = msg.unknownPreviousLifecycle(key, names);
      throw CibleError.of(m.code, m.message, m.hint);
    }
    const stage = (previous as Record<string, unknown>)[key];
    if (stage === undefined || stage === null) continue;
    out.set(key, stageIndex(key, stage));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------------------------

function segmentOf<T>(body: ExpressionDocument["body"], env: Env, params: ReadonlyMap<string, ParamType>): Segment<T> {
  const start = body.span.start.offset;
  const end = body.span.end.offset;
  const doc: ExpressionDocument = {
    kind: "expression",
    version: AST_VERSION,
    body,
    comments: env.plan.doc.comments.filter((c) => c.span.start.offset >= start && c.span.end.offset <= end),
  };
  return createSegment<T>(doc, env.source.slice(start, end), env.model, { diagnostics: [], params, facts: env.plan.facts }, { refs: env.refs });
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

/** The canonical text of one score rule, for explanations. @internal */
export function scoreRuleText(rule: ScoreRule): string {
  switch (rule.kind) {
    case "if":
      return `${printPoints(rule.points)} if ${printNode(rule.condition)}`;
    case "per":
      return `${printPoints(rule.points)} per ${printNode(rule.value)}${rule.max === undefined ? "" : ` max ${formatNumber(rule.max)}`}`;
    case "decay":
      return (
        `${printPoints(rule.points)} per ${printPath(rule.collection.path)}${rule.where ? ` where (${printNode(rule.where)})` : ""}` +
        ` decaying ${formatNumber(rule.percent)}% every ${printDuration(rule.every)} by ${printPath(rule.by.path)}`
      );
  }
}

function scoreOf(def: ScoreDef, env: Env): { total: Read<number>; explain: (record: unknown, run: RunState) => ScoreExplanation } {
  const options = { refs: env.refs, facts: env.plan.facts };
  const parts: Read<number>[] = def.rules.map((rule): Read<number> => {
    const n = rule.points;
    switch (rule.kind) {
      case "if": {
        const c = compileExpr(rule.condition, env.model, options);
        return (record, run) => (c.isTrue(record, run) ? n : 0);
      }
      case "per": {
        const value = compileValue(rule.value, env.model, options);
        const cap = rule.max;
        return (record, run) => {
          const x = value(record, run);
          if (typeof x !== "number" || !Number.isFinite(x)) return 0; // unknown adds nothing
          const p = n * x;
          return cap === undefined ? p : Math.max(-cap, Math.min(cap, p));
        };
      }
      case "decay": {
        const events = compileCollection(rule.collection, env.model, { ...options, where: rule.where, value: rule.by });
        const period = periodMs(rule.every);
        const percent = rule.percent;
        return (record, run) => {
          let sum = 0;
          events.forEach(record, run, (at) => {
            if (typeof at === "number" && Number.isFinite(at)) sum += n * decayWeight(run.nowMs - at, percent, period);
          });
          return sum;
        };
      }
    }
  });
  const clamp = def.clamp;
  const texts = def.rules.map(scoreRuleText);
  const clampText = clamp ? `clamp ${formatNumber(clamp.min)} to ${formatNumber(clamp.max)}` : "";
  const bound = (raw: number) => (clamp ? Math.min(clamp.max, Math.max(clamp.min, raw)) : raw);
  return {
    total: (record, run) => {
      let raw = 0;
      for (const p of parts) raw += p(record, run);
      return bound(raw);
    },
    explain: (record, run) => {
      const contributions: ScoreContribution[] = parts.map((p, i) => ({ text: texts[i]!, points: p(record, run) }));
      const raw = contributions.reduce((s, c) => s + c.points, 0);
      const total = bound(raw);
      if (clamp) contributions.push({ text: clampText, points: total - raw });
      return { total, contributions };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Lifecycles
// ---------------------------------------------------------------------------------------------

function lifecycleOf(def: LifecycleDef, env: Env): LifecycleImpl {
  const options = { refs: env.refs, facts: env.plan.facts };
  const conds = def.stages.map((s) => (s.condition ? compileExpr(s.condition, env.model, options).isTrue : undefined));
  const count = conds.length;
  return {
    stages: Object.freeze(def.stages.map((s) => s.name)),
    // lastStageThatHolds, inlined: no closure per record.
    raw: (record, run) => {
      for (let i = count - 1; i >= 0; i--) {
        const c = conds[i];
        if (c === undefined || c(record, run)) return i;
      }
      return null;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Tiers
// ---------------------------------------------------------------------------------------------

const NUMBER_TESTS: Record<CompareOp, (a: number, b: number) => boolean> = {
  "=": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

function thresholdTiersOf(def: TiersDef, env: Env): Read<string | null> {
  const options = { refs: env.refs, facts: env.plan.facts };
  const by = compileValue(def.by, env.model, options);
  const numeric = env.plan.valueKinds.get(def.name) === "number";
  type Test = (x: number | string | boolean, record: unknown, run: RunState) => boolean;
  const lines = (def.lines as readonly ThresholdTierLine[]).map((line): { name: string; test?: Test } => {
    const t = line.test;
    if (!t) return { name: line.name };
    if (numeric) {
      // The `by` value is already computed: compare numbers directly (a `$param` from the run).
      const num = (v: NumberNode | StringNode | ParamNode): ((run: RunState) => number) =>
        v.kind === "number" ? () => v.value : v.kind === "param" ? (run) => run.params.get(v.name) as number : () => NaN;
      if (t.op === "between") {
        const lo = num(t.low);
        const hi = num(t.high);
        return { name: line.name, test: (x, _r, run) => (x as number) >= lo(run) && (x as number) <= hi(run) };
      }
      const rhs = num(t.value);
      const op = NUMBER_TESTS[t.op];
      return { name: line.name, test: (x, _r, run) => op(x as number, rhs(run)) };
    }
    // Text, choices, stages: the comparison as the checker saw it, compiled by the compiler.
    const node: CompareNode | BetweenNode =
      t.op === "between"
        ? { kind: "between", negated: false, subject: def.by, low: t.low, high: t.high, span: line.span }
        : { kind: "compare", op: t.op, left: def.by, right: t.value, span: line.span };
    const c = compileExpr(node, env.model, options);
    return { name: line.name, test: (_x, record, run) => c.isTrue(record, run) };
  });
  return (record, run) => {
    const x = by(record, run);
    if (x === null) return null;
    for (const l of lines) if (!l.test || l.test(x, record, run)) return l.name;
    return null;
  };
}

function quantileTiersOf<T>(def: TiersDef, env: Env, params: ReadonlyMap<string, ParamType>): CompiledQuantileTiers<T> {
  const by = compileValue(def.by, env.model, { refs: env.refs, facts: env.plan.facts });
  const lines = def.lines as readonly QuantileTierLine[];
  const named = lines.filter((l) => l.percent !== undefined);
  const otherwise = lines.find((l) => l.percent === undefined);
  const names = [...named.map((l) => l.name), ...(otherwise ? [otherwise.name] : [])];
  const given = named.reduce((s, l) => s + l.percent!, 0);
  const shares = [...named.map((l) => l.percent!), ...(otherwise ? [Math.max(0, 100 - given)] : [])];
  return {
    name: def.name,
    method: "quantiles",
    names: Object.freeze(names),
    assign(records, ctx): QuantileAssignment {
      const run = createRun(ctx, params);
      const values = records.map((r) => {
        const v = by(r, run);
        return typeof v === "number" && Number.isFinite(v) ? v : null;
      });
      const { lines: idx, cuts } = assignShares(values, shares);
      return { tiers: idx.map((i) => (i === null ? null : names[i]!)), cuts };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// RFM
// ---------------------------------------------------------------------------------------------

function rfmOf<T>(def: RfmDef, env: Env, params: ReadonlyMap<string, ParamType>): CompiledRfm<T> {
  const options = { refs: env.refs, facts: env.plan.facts };
  const recency = compileValue(def.recency, env.model, options);
  const frequency = compileValue(def.frequency, env.model, options);
  const monetary = compileValue(def.monetary, env.model, options);
  const isDate = env.plan.valueKinds.get(def.name) === "date";
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return {
    name: def.name,
    assign(records, ctx): RfmAssignment {
      const run = createRun(ctx, params);
      const ages: (number | null)[] = [];
      const fs: (number | null)[] = [];
      const ms: (number | null)[] = [];
      for (const r of records) {
        const rv = num(recency(r, run));
        // A date is turned into an age in days; a number already is an age.
        const age = rv === null ? null : isDate ? (run.nowMs - rv) / DAY_MS : rv;
        ages.push(age);
        // Frequency and monetary are ranked among the records that have an RFM score.
        fs.push(age === null ? null : num(frequency(r, run)));
        ms.push(age === null ? null : num(monetary(r, run)));
      }
      const R = recencyQuintiles(ages);
      const F = quintiles(fs);
      const M = quintiles(ms);
      const scores: (RfmScore | null)[] = [];
      const names: (RfmSegmentName | null)[] = [];
      for (let i = 0; i < records.length; i++) {
        const r = R.scores[i];
        const f = F.scores[i];
        const m = M.scores[i];
        scores.push(r && f && m ? { r, f, m } : null);
        names.push(r && f ? rfmSegmentName(r, f) : null);
      }
      return { scores, names, cuts: { recency: R.cuts, frequency: F.cuts, monetary: M.cuts } };
    },
  };
}
