/**
 * The semantic pass over a parsed rules file: names, references, cycles, the shape of each
 * definition, and every expression checked against the schema with the file's references.
 * @internal
 */
import type {
  BetweenNode,
  CompareNode,
  Definition,
  ExprNode,
  IsSetNode,
  LifecycleDef,
  NumberNode,
  ParamNode,
  QuantileTierLine,
  RefNode,
  RfmDef,
  RulesDocument,
  SplitDef,
  ScoreDef,
  ThresholdTierLine,
  TiersDef,
  ValueNode,
} from "../ast/nodes.js";
import { type CheckedType, Facts, checkExpression } from "../check/index.js";
import { mergeParamTypes } from "../check/check.js";
import type { ParamType, RefType } from "../check/types.js";
import { type Diagnostic, type Span, sortDiagnostics } from "../errors/diagnostic.js";
import type { FieldType, SchemaModel } from "../schema/index.js";
import { isObjectArray } from "../schema/model.js";
import { splitAggregatePath } from "../schema/aggregate.js";
import { shareSum, sharesAddUpTo100 } from "./split.js";
import { type Edge, dependencyOrder, findCycles } from "./graph.js";
import { msg } from "./messages.js";
import { covers, coversAll, testIntervals, union, type Interval } from "./thresholds.js";
import { definitionRefs } from "./walk.js";

/** What a value node gives, as far as the rules layer needs to know. @internal */
export type ScalarKind = "number" | "date" | "string" | "boolean" | "other" | "unknown";

/** Everything the compiler needs from a clean check. @internal */
export interface RulesPlan {
  readonly doc: RulesDocument;
  /** The definition of each name (the first, when a name is defined twice: an error anyway). */
  readonly defs: ReadonlyMap<string, Definition>;
  readonly refTypes: ReadonlyMap<string, RefType>;
  /** Definitions in dependency order: each after everything it refers to. */
  readonly order: readonly string[];
  /** References of each definition (to names that exist). */
  readonly edges: ReadonlyMap<string, readonly Edge<RefNode>[]>;
  /** Parameters used by each definition itself (not its references). */
  readonly ownParams: ReadonlyMap<string, ReadonlyMap<string, ParamType>>;
  /** The kind of a tiers' `by` value, an rfm's recency (date or number) or a split's key (string or number), by definition name. */
  readonly valueKinds: ReadonlyMap<string, ScalarKind>;
  /** What the checker resolved for every expression and value of the file (one store). */
  readonly facts: Facts;
}

/** The result of {@link checkRulesDocument}. @internal */
export interface RulesCheck {
  readonly diagnostics: Diagnostic[];
  readonly plan: RulesPlan;
}

const NUMBER_ZERO = (span: Span): NumberNode => ({ kind: "number", value: 0, span });

/** `v >= 0`: checks that `v` is a number, with the checker's own words. */
function numberProbe(v: ValueNode): CompareNode {
  return { kind: "compare", op: ">=", left: v, right: NUMBER_ZERO(v.span), span: v.span };
}

function isSetProbe(v: ValueNode): IsSetNode {
  return { kind: "isSet", negated: false, subject: v, span: v.span };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start.offset < b.end.offset && b.start.offset < a.end.offset;
}

/** The kind of a checked value, for the rules file's own checks. */
function scalarKindOf(t: CheckedType | undefined): ScalarKind {
  if (!t) return "unknown";
  switch (t.kind) {
    case "number":
      return "number";
    case "date":
      return "date";
    case "string":
    case "enum":
      return "string";
    case "boolean":
    case "segment":
      return "boolean";
    default:
      return "other";
  }
}

function describe(t: FieldType): string {
  switch (t.kind) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "boolean":
      return "a yes/no value";
    case "date":
      return "a date";
    case "enum":
      return "a choice";
    case "array":
      return t.element.kind === "object" ? "a list of objects" : "a list of values";
    case "object":
      return "a group of fields";
  }
}

const KIND_WORDS: Record<ScalarKind, string> = {
  number: "a number",
  date: "a date",
  string: "text",
  boolean: "a yes/no value",
  other: "not a single value",
  unknown: "unknown",
};

/**
 * Checks a parsed rules file against a schema model.
 * @internal
 */
export function checkRulesDocument(doc: RulesDocument, model: SchemaModel): RulesCheck {
  const diagnostics: Diagnostic[] = [];
  const defs = new Map<string, Definition>();

  // 1. Names: the second definition of a name is the error.
  for (const def of doc.definitions) {
    const first = defs.get(def.name);
    if (first) diagnostics.push(msg.duplicateName(def.name, def.kind, def.nameSpan, first.kind, first.nameSpan.start.line));
    else defs.set(def.name, def);
  }

  // 2. What each name is, for `@name` in expressions. Population definitions (quantile tiers,
  //    rfm) cannot be read for one record: they stay out of the checker's view.
  const refTypes = new Map<string, RefType>();
  for (const [name, def] of defs) {
    const t = refTypeOf(def);
    if (t) refTypes.set(name, t);
  }

  // 3. References and cycles.
  const edges = new Map<string, Edge<RefNode>[]>();
  const badRefSpans: Span[] = [];
  for (const def of doc.definitions) {
    const own = defs.get(def.name) === def;
    const list: Edge<RefNode>[] = [];
    for (const ref of definitionRefs(def)) {
      const target = defs.get(ref.name);
      if (!target) continue; // the checker reports it, with did-you-mean
      if (!refTypes.has(ref.name)) {
        diagnostics.push(msg.populationRef(ref.name, target.kind === "rfm" ? "rfm" : "tiers", ref.span));
        badRefSpans.push(ref.span);
        continue;
      }
      list.push({ to: ref.name, data: ref });
    }
    if (own) edges.set(def.name, list);
  }
  const names = [...defs.keys()];
  for (const cycle of findCycles(names, edges)) diagnostics.push(msg.cycle(cycle.path, cycle.firstEdge.data.span));

  // 4. Each definition: its shape, and its expressions through the checker.
  const ownParams = new Map<string, Map<string, ParamType>>();
  const facts = new Facts();
  const valueKinds = new Map<string, ScalarKind>();
  for (const def of doc.definitions) {
    const found: Diagnostic[] = [];
    const params = new Map<string, ParamType>();
    const conflicted = new Set<string>();
    const run = (expr: ExprNode, durationParams?: readonly { node: ParamNode; partner: string }[]) => {
      const r = checkExpression(expr, model, { refs: refTypes, facts, ...(durationParams ? { durationParams } : {}) });
      found.push(...r.diagnostics);
      // The expressions of one definition (a score's rules) share its parameters.
      for (const [name, type] of r.params) {
        const before = params.get(name);
        const merged = before ? mergeParamTypes(before, type) : type;
        if (merged) params.set(name, merged);
        else if (!conflicted.has(name)) {
          conflicted.add(name);
          found.push(paramConflict(name, def.name, type, def.name, before!, def.nameSpan));
        }
      }
    };
    // A parameter's type comes from where it stands: `is set` would leave it untyped.
    const kindOf = (v: ValueNode): ScalarKind => {
      if (v.kind === "param") return "unknown";
      run(isSetProbe(v));
      return scalarKindOf(facts.value(v)?.type);
    };
    const shape = SHAPES[def.kind] as (d: Definition, ctx: ShapeContext) => void;
    shape(def, { model, refTypes, diagnostics: found, run, kindOf, valueKinds, facts });
    // A reference to a population definition was reported once; what the checker says about it is noise.
    diagnostics.push(...found.filter((d) => !badRefSpans.some((s) => overlaps(s, d.span))));
    if (defs.get(def.name) === def) ownParams.set(def.name, params);
  }

  // 5. A parameter must mean the same thing across the file (one `params` object feeds them all).
  const seen = new Map<string, { type: ParamType; def: string }>();
  for (const [defName, params] of ownParams) {
    for (const [name, type] of params) {
      const before = seen.get(name);
      if (!before) seen.set(name, { type, def: defName });
      else if (before.type.kind !== type.kind || before.type.list !== type.list) {
        diagnostics.push(paramConflict(name, defName, type, before.def, before.type, defs.get(defName)!.nameSpan));
      }
    }
  }

  const order = dependencyOrder(names, edges);
  return {
    diagnostics: dedupe(sortDiagnostics(diagnostics)),
    plan: { doc, defs, refTypes, order, edges, ownParams, valueKinds, facts },
  };
}

/** `$name` used as two types that no value fits, in two definitions or two rules of one. */
function paramConflict(name: string, here: string, type: ParamType, there: string, before: ParamType, span: Span): Diagnostic {
  const where = here === there ? `in two rules of \`${here}\`: as ${paramWords(type)} and as ${paramWords(before)}` : `as ${paramWords(type)} in \`${here}\` but as ${paramWords(before)} in \`${there}\``;
  return {
    code: "param.conflict",
    severity: "error",
    message: `\`$${name}\` is used ${where}.`,
    span,
    hint: "use two parameters, one for each use",
  };
}

/** How a parameter's type reads in a message: "text", "a number", "a list of dates"… @internal */
export function paramWords(t: Pick<ParamType, "kind" | "list">): string {
  const base = t.kind === "string" ? "text" : t.kind === "dateOrDuration" ? "a date or a duration" : `a ${t.kind}`;
  return t.list ? `a list of ${t.kind === "string" ? "text" : `${t.kind}s`}` : base;
}

/** The same finding from two synthetic checks of one value (a tier's `by` per line) is reported once. */
function dedupe(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}|${d.span.start.offset}|${d.span.end.offset}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function refTypeOf(def: Definition): RefType | undefined {
  switch (def.kind) {
    case "segment":
      return { kind: "segment" };
    case "score":
      return { kind: "score" };
    case "lifecycle":
      return { kind: "lifecycle", stages: def.stages.map((s) => s.name) };
    case "tiers":
      return def.method === "thresholds" ? { kind: "tiers", names: def.lines.map((l) => l.name) } : undefined;
    case "rfm":
      return undefined;
    // A channel is a condition, read as a segment is (`@email`); a split gives an arm's name.
    case "channel":
      return { kind: "segment" };
    case "split":
      return { kind: "split", arms: def.arms.map((a) => a.name) };
  }
}

interface ShapeContext {
  readonly model: SchemaModel;
  readonly refTypes: ReadonlyMap<string, RefType>;
  readonly diagnostics: Diagnostic[];
  /** Checks one expression with the file's references (and parameters standing where only a duration fits, typed with it). */
  readonly run: (expr: ExprNode, durationParams?: readonly { node: ParamNode; partner: string }[]) => void;
  /** The kind of a value as the checker resolved it (checking it first); `unknown` for a parameter or a name it could not resolve. */
  readonly kindOf: (v: ValueNode) => ScalarKind;
  /** What the checker resolved so far (the file's one store). */
  readonly facts: Facts;
  readonly valueKinds: Map<string, ScalarKind>;
}

type Shapes = { readonly [K in Definition["kind"]]: (def: Extract<Definition, { kind: K }>, ctx: ShapeContext) => void };

const SHAPES: Shapes = {
  segment: (def, ctx) => ctx.run(def.body),
  score: checkScore,
  lifecycle: checkLifecycle,
  tiers: checkTiers,
  rfm: checkRfm,
  channel: (def, ctx) => ctx.run(def.body),
  split: checkSplit,
};

function checkSplit(def: SplitDef, ctx: ShapeContext): void {
  const seen = new Set<string>();
  for (const arm of def.arms) {
    if (seen.has(arm.name)) ctx.diagnostics.push(msg.duplicateArm(def.name, arm.name, arm.span));
    seen.add(arm.name);
  }
  if (def.arms.length > 0 && !sharesAddUpTo100(def.arms.map((a) => a.percent))) {
    ctx.diagnostics.push(msg.splitTotal(def.name, shareSum(def.arms.map((a) => a.percent)), def.nameSpan));
  }
  ctx.run(isSetProbe(def.key));
  const key = ctx.facts.value(def.key)?.field;
  if (!key) return;
  const t = key.type;
  ctx.valueKinds.set(def.name, t.kind === "number" ? "number" : "string");
  if (t.kind === "string" || t.kind === "enum" || (t.kind === "number" && t.integer)) return;
  const found = t.kind === "number" ? "a number that may have decimals" : describe(t);
  ctx.diagnostics.push(msg.splitKey(def.name, def.key.path.join("."), def.key.span, found));
}

function checkScore(def: ScoreDef, ctx: ShapeContext): void {
  for (const rule of def.rules) {
    if (rule.kind === "if") {
      ctx.run(rule.condition);
    } else if (rule.kind === "per") {
      checkNumberValue(rule.value, "The value after `per`", ctx, "to give points when a condition holds, write `+N if …`");
      if (rule.max !== undefined && !(rule.max >= 0)) ctx.diagnostics.push(msg.scoreMax(rule.max, rule.span));
    } else {
      if (!(rule.percent > 0 && rule.percent <= 100)) ctx.diagnostics.push(msg.decayPercent(rule.percent, rule.span));
      // A literal period is checked here, a parameter's value when the rules run (param.type).
      if (rule.every.kind === "duration" && !(rule.every.amount > 0)) ctx.diagnostics.push(msg.decayPeriod(rule.every.span));
      // A path through several lists of objects (`contacts.events`: every event of every
      // contact) is flattened, as in `count(contacts.events where …)`: the quantifier below
      // records it. Any other collection is checked first (the checker's words for an unknown
      // name), then its elements.
      const split = splitAggregatePath([ctx.model.root], rule.collection.path);
      const flat = split.ok && split.nested.length > 0 && split.rest.length === 0 && split.array.element.kind === "object";
      if (!flat) {
        ctx.run(isSetProbe(rule.collection));
        const collection = ctx.facts.value(rule.collection)?.field;
        if (!collection) continue;
        if (!isObjectArray(collection.type)) {
          ctx.diagnostics.push(msg.decayCollection(rule.collection.path.join("."), rule.collection.span, describe(collection.type)));
          continue;
        }
      }
      // The condition and the date are read on each element, as inside `any P where (…)`.
      const probe: ExprNode = rule.where
        ? { kind: "and", operands: [rule.where, isSetProbe(rule.by)], span: rule.span }
        : isSetProbe(rule.by);
      const every = rule.every.kind === "param" ? [{ node: rule.every, partner: "every" }] : undefined;
      ctx.run({ kind: "quantifier", quantifier: "any", collection: rule.collection, where: probe, span: rule.span }, every);
      const by = ctx.facts.value(rule.by)?.field;
      if (by && by.type.kind !== "date") {
        ctx.diagnostics.push(msg.decayDate(rule.by.path.join("."), rule.collection.path.join("."), rule.by.span, describe(by.type)));
      }
    }
  }
  if (def.clamp && def.clamp.min > def.clamp.max) ctx.diagnostics.push(msg.clampOrder(def.clamp.min, def.clamp.max, def.clamp.span));
}

function checkLifecycle(def: LifecycleDef, ctx: ShapeContext): void {
  const seen = new Set<string>();
  def.stages.forEach((stage, i) => {
    if (seen.has(stage.name)) ctx.diagnostics.push(msg.duplicateStage(def.name, stage.name, stage.span));
    seen.add(stage.name);
    if (stage.condition) ctx.run(stage.condition);
    else if (i > 0) ctx.diagnostics.push(msg.stageCondition(def.name, stage.name, stage.span));
  });
}

function checkTiers(def: TiersDef, ctx: ShapeContext): void {
  const seen = new Set<string>();
  for (const line of def.lines) {
    if (seen.has(line.name)) ctx.diagnostics.push(msg.duplicateTier(def.name, line.name, line.span));
    seen.add(line.name);
  }
  const otherwiseAt = def.lines.findIndex((l) => isOtherwise(l));
  if (otherwiseAt >= 0 && otherwiseAt < def.lines.length - 1) {
    ctx.diagnostics.push(msg.otherwiseNotLast(def.name, def.lines[otherwiseAt]!.span));
  }
  const last = def.lines[def.lines.length - 1];
  const kind = ctx.kindOf(def.by);
  ctx.valueKinds.set(def.name, kind);
  if (def.method === "quantiles") {
    checkPopulationValue(def.by, kind, `The \`by\` value of quantile tiers`, ctx);
    let total = 0;
    for (const line of def.lines as readonly QuantileTierLine[]) if (line.percent !== undefined) total += line.percent;
    const rounded = Math.round(total * 1e9) / 1e9;
    if (rounded > 100) ctx.diagnostics.push(msg.quantileTotal(def.name, rounded, def.nameSpan));
    else if (otherwiseAt < 0 && rounded < 100) ctx.diagnostics.push(msg.missingOtherwise(def.name, last?.span ?? def.nameSpan, true, rounded));
    else if (otherwiseAt >= 0 && rounded === 100 && last && isOtherwise(last)) {
      ctx.diagnostics.push(msg.unreachableOtherwise(last.name, last.span, true));
    }
    return;
  }
  // Thresholds: each test is `by op value`, checked as that comparison.
  let tested = false;
  const taken: { name: string; intervals: Interval[] }[] = [];
  let numeric = true;
  for (const line of def.lines as readonly ThresholdTierLine[]) {
    const test = line.test;
    if (!test) continue;
    tested = true;
    if (test.op === "between") {
      const node: BetweenNode = { kind: "between", negated: false, subject: def.by, low: test.low, high: test.high, span: line.span };
      ctx.run(node);
      if (test.low.kind !== "number" || test.high.kind !== "number") numeric = false;
    } else {
      const node: CompareNode = { kind: "compare", op: test.op, left: def.by, right: test.value, span: line.span };
      ctx.run(node);
      if (test.value.kind !== "number") numeric = false;
    }
    if (!numeric) continue;
    const mine =
      test.op === "between"
        ? testIntervals({ op: "between", low: (test.low as NumberNode).value, high: (test.high as NumberNode).value })
        : testIntervals({ op: test.op, value: (test.value as NumberNode).value });
    const before = union(taken.flatMap((t) => t.intervals));
    if (taken.length && covers(before, mine)) {
      const by = taken.filter((t) => t.intervals.some((iv) => mine.some((m) => intersects(iv, m))));
      ctx.diagnostics.push(msg.tierOrder(line.name, (by.length ? by : taken).map((t) => t.name), line.span));
    }
    taken.push({ name: line.name, intervals: mine });
  }
  if (!tested) ctx.run(isSetProbe(def.by));
  if (otherwiseAt < 0) {
    ctx.diagnostics.push(msg.missingOtherwise(def.name, last?.span ?? def.nameSpan, false));
  } else if (numeric && kind === "number" && last && isOtherwise(last) && coversAll(union(taken.flatMap((t) => t.intervals)))) {
    ctx.diagnostics.push(msg.unreachableOtherwise(last.name, last.span, false));
  }
}

function intersects(a: Interval, b: Interval): boolean {
  const loA = a.lo;
  const loB = b.lo;
  if (a.hi < loB || b.hi < loA) return false;
  if (a.hi === loB && (a.hiOpen || b.loOpen)) return false;
  if (b.hi === loA && (b.hiOpen || a.loOpen)) return false;
  return true;
}

function isOtherwise(line: ThresholdTierLine | QuantileTierLine): boolean {
  return "percent" in line ? line.percent === undefined : !("test" in line) || line.test === undefined;
}

function checkRfm(def: RfmDef, ctx: ShapeContext): void {
  const recency = ctx.kindOf(def.recency);
  ctx.valueKinds.set(def.name, recency);
  checkPopulationValue(def.recency, recency, "`recency`", ctx, true);
  checkNumberValue(def.frequency, "`frequency`", ctx, "for example `frequency count(purchases where date < 12 months)`");
  checkNumberValue(def.monetary, "`monetary`", ctx, "for example `monetary sum(purchases.amount where date < 12 months)`");
}

/** A value that must be a number: the checker's words for unknown names, ours for a wrong kind. */
function checkNumberValue(v: ValueNode, role: string, ctx: ShapeContext, hint: string): void {
  const kind = ctx.kindOf(v);
  if (kind === "number" || kind === "unknown") {
    ctx.run(numberProbe(v));
    return;
  }
  ctx.run(isSetProbe(v));
  ctx.diagnostics.push(msg.valueType(role, "a number", KIND_WORDS[kind], v.span, hint));
}

/** A value ranked over a population: a number, or a date. */
function checkPopulationValue(v: ValueNode, kind: ScalarKind, role: string, ctx: ShapeContext, recency = false): void {
  if (kind === "date") ctx.run(isSetProbe(v));
  else if (kind === "number" || kind === "unknown") ctx.run(numberProbe(v));
  else {
    ctx.run(isSetProbe(v));
    ctx.diagnostics.push(
      msg.valueType(
        role,
        recency ? "a date (the last purchase) or a number (an age)" : "a number or a date",
        KIND_WORDS[kind],
        v.span,
        recency ? "for example `recency lastPurchase`, or an age in days as a number" : "rank records by a number, such as `employees` or `sum(purchases.amount)`",
      ),
    );
  }
}
