/**
 * The grammar's actions: tokens and sub-results → AST nodes (nodes.ts), with spans on the original
 * text, NFC-normalised names, node counting (`limit.nodes`), list limits and the few checks that
 * belong to syntax but not to the grammar's shape (a literal standing alone, `after 6 months`,
 * a fractional duration, clamp placement, tier line kinds, rfm lines): what the AST cannot hold
 * or the AST validator refuses. Values the AST holds and the rules layer checks (`clamp 10 to 0`,
 * `decaying 0%`) are not checked here: an error here drops the document, and with it every
 * diagnostic of the later layers.
 *
 * One Builder per parse. Every method tolerates the junk chevrotain hands over while recovering
 * from an error (tokens inserted with no offsets, `undefined` sub-results): the document is
 * discarded when there is an error, but the parser must go on to report the next one.
 * @internal
 */
import type { IToken } from "chevrotain";
import type { Diagnostic, Span } from "../errors/diagnostic.js";
import type { Limits } from "../ast/limits.js";
import {
  AST_VERSION,
  type AggregateNode,
  type BetweenTest,
  type Comment,
  type CompareOp,
  type Definition,
  type DurationNode,
  type ExprNode,
  type FieldNode,
  type ListNode,
  type LiteralNode,
  type NumberNode,
  type ParamNode,
  type QuantileTierLine,
  type RulesDocument,
  type ScoreRule,
  type StageLine,
  type StringNode,
  type ThresholdTierLine,
  type ValueNode,
  type ExpressionDocument,
} from "../ast/nodes.js";
import * as T from "./tokens.js";
import * as M from "./messages.js";
import { nfc, type DatePayload, type NumberPayload } from "./literals.js";
import type { SourceText } from "./source.js";

const NOWHERE: Span = Object.freeze({
  start: Object.freeze({ offset: 0, line: 1, column: 1 }),
  end: Object.freeze({ offset: 0, line: 1, column: 1 }),
});

/** Stand-ins for what an error left out (never seen by callers: a document with errors is dropped). */
const MISSING_FIELD: FieldNode = Object.freeze({ kind: "field", path: Object.freeze(["?"]), span: NOWHERE });
const MISSING_EXPR: ExprNode = Object.freeze({ kind: "truthy", subject: MISSING_FIELD, span: NOWHERE });
const MISSING_DURATION: DurationNode = Object.freeze({ kind: "duration", amount: 0, unit: "day", span: NOWHERE });

/** @internal */
export const RECOVERED = { field: MISSING_FIELD, expr: MISSING_EXPR, duration: MISSING_DURATION };

/** A tier line before it is checked against the tiers' method. */
export interface TierLineDraft {
  readonly kind: "threshold" | "quantile" | "otherwise";
  readonly name: string;
  readonly test?: ThresholdTierLine["test"];
  readonly percent?: number;
  readonly span: Span;
}

/** An rfm line before the model is assembled. */
export interface RfmLineDraft {
  readonly which: "recency" | "frequency" | "monetary";
  readonly value: ValueNode;
  readonly span: Span;
}

/** A split's arm line before the split is assembled. */
export interface SplitArmDraft {
  readonly name: string;
  readonly percent: number;
  readonly span: Span;
}

/** The operator part of a predicate, as the grammar reads it (`= v`, `not in [..]`, `is set`…). */
export type TailDraft =
  | { k: "compare"; op: IToken; right: ValueNode }
  | { k: "alias"; op: IToken; right: ValueNode }
  | { k: "has"; mode?: IToken; value: ValueNode }
  | { k: "is"; negated: boolean; what: IToken }
  | { k: "within"; dir: IToken; duration: DurationNode | ParamNode }
  | { k: "between"; negated: boolean; low: ValueNode; high: ValueNode }
  | { k: "in"; negated: boolean; list: ListNode | ParamNode }
  | { k: "text"; op: "contains" | "startsWith" | "endsWith" | "foldEquals"; negated: boolean; value: ValueNode };

/** A score body line: a rule or the clamp. */
export type ScoreItem =
  | { readonly kind: "rule"; readonly rule: ScoreRule }
  | { readonly kind: "clamp"; readonly clamp: { readonly min: number; readonly max: number; readonly span: Span } };

type Tok = IToken | undefined;

export class Builder {
  readonly src: SourceText;
  readonly limits: Limits;
  readonly diagnostics: Diagnostic[] = [];
  private nodes = 0;
  private nodesReported = false;

  constructor(src: SourceText, limits: Limits) {
    this.src = src;
    this.limits = limits;
  }

  // -------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------

  /** Span from the start of `first` to the end of `last` (inclusive tokens). */
  span(first: Tok, last: Tok): Span {
    const s = first?.startOffset;
    const e = last?.endOffset;
    const start = s === undefined || Number.isNaN(s) ? (e === undefined || Number.isNaN(e) ? 0 : e + 1) : s;
    const end = e === undefined || Number.isNaN(e) ? start : e + 1;
    return this.src.span(start, end < start ? start : end);
  }

  /** Span from the start of `a` to the end of `b` (node spans). */
  join(a: Span | undefined, b: Span | undefined): Span {
    if (!a) return b ?? NOWHERE;
    if (!b) return a;
    return b.end.offset >= a.start.offset ? { start: a.start, end: b.end } : a;
  }

  report(m: M.Msg, span: Span): void {
    this.diagnostics.push(M.diag(m, span));
  }

  /**
   * Counts one node; `at` is the node's last token, the parser's position when the node is
   * complete: `limit.nodes` points at the token where the count crossed the limit.
   */
  private count(at: Tok): void {
    if (++this.nodes > this.limits.maxNodes && !this.nodesReported) {
      this.nodesReported = true;
      this.diagnostics.push(M.diag(M.tooManyNodes(this.limits.maxNodes), this.span(at, at)));
    }
  }

  /** The name a Name-category token stands for (backquotes removed, NFC). */
  nameOf(tok: Tok): string {
    if (!tok) return "?";
    if (tok.tokenType === T.BackquotedName) return typeof tok.payload === "string" ? tok.payload : "?";
    return tok.image === "" ? "?" : nfc(tok.image);
  }

  private text(node: { span: Span }): string {
    return this.src.text.slice(node.span.start.offset, node.span.end.offset);
  }

  // -------------------------------------------------------------------------------------------
  // Values
  // -------------------------------------------------------------------------------------------

  path(tokens: IToken[]): FieldNode {
    this.count(tokens[tokens.length - 1]);
    return {
      kind: "field",
      path: tokens.map((t) => this.nameOf(t)),
      span: this.span(tokens[0], tokens[tokens.length - 1]),
    };
  }

  ref(tok: IToken): ValueNode {
    this.count(tok);
    return { kind: "ref", name: typeof tok.payload === "string" ? tok.payload : "?", span: this.span(tok, tok) };
  }

  param(tok: IToken): ParamNode {
    this.count(tok);
    return { kind: "param", name: typeof tok.payload === "string" ? tok.payload : "?", span: this.span(tok, tok) };
  }

  /** `$p`, or `$p ago` / `$p from now`: an instant whose duration is a parameter. */
  paramOrInstant(tok: IToken, direction: "ago" | "fromNow" | undefined, last: Tok): ValueNode {
    const p = this.param(tok);
    if (!direction) return p;
    this.count(last);
    return { kind: "instant", duration: p, direction, span: this.span(tok, last) };
  }

  string(tok: IToken): StringNode {
    this.count(tok);
    return { kind: "string", value: typeof tok.payload === "string" ? tok.payload : "", span: this.span(tok, tok) };
  }

  number(tok: IToken): NumberNode {
    this.count(tok);
    const p = tok.payload as NumberPayload | undefined;
    return { kind: "number", value: p?.value ?? 0, span: this.span(tok, tok) };
  }

  date(tok: IToken): LiteralNode {
    this.count(tok);
    const p = tok.payload as DatePayload | undefined;
    return { kind: "date", text: p?.text ?? tok.image, dateOnly: p?.dateOnly ?? true, span: this.span(tok, tok) };
  }

  boolean(tok: IToken, value: boolean): LiteralNode {
    this.count(tok);
    return { kind: "boolean", value, span: this.span(tok, tok) };
  }

  duration(amount: IToken, unit: IToken): DurationNode {
    this.count(unit);
    const p = amount.payload as NumberPayload | undefined;
    const value = p?.value ?? 0;
    if (p && (p.signed || !Number.isInteger(value) || value < 0)) {
      this.report(M.invalidDurationAmount(amount.image), this.span(amount, amount));
    }
    return {
      kind: "duration",
      amount: Number.isFinite(value) ? value : 0,
      unit: T.UNIT_OF.get(unit.tokenType) ?? "day",
      span: this.span(amount, unit),
    };
  }

  /** `6`, `6 months`, `6 months ago`, `6 months from now`. */
  numeric(num: IToken, unit: Tok, direction: "ago" | "fromNow" | undefined, last: Tok): ValueNode {
    if (!unit) return this.number(num);
    const duration = this.duration(num, unit);
    if (!direction) return duration;
    this.count(last);
    return { kind: "instant", duration, direction, span: this.span(num, last) };
  }

  list(open: IToken, items: (LiteralNode | undefined)[], close: Tok): ListNode {
    this.count(close ?? open);
    const span = this.span(open, close);
    if (items.length > this.limits.maxListLength) {
      this.report(M.listTooLong(items.length, this.limits.maxListLength), span);
    }
    return { kind: "list", items: items.filter((x): x is LiteralNode => x !== undefined), span };
  }

  /** `fn(path where e)`: `fn` must be count, sum, avg, min or max. */
  aggregate(fn: IToken, path: FieldNode | undefined, where: ExprNode | undefined, last: Tok): AggregateNode {
    this.count(last);
    const p = path ?? MISSING_FIELD;
    if (!T.AGG_OF.has(fn.tokenType)) this.report(M.unknownFunction(this.nameOf(fn)), this.span(fn, fn));
    const node: AggregateNode = {
      kind: "aggregate",
      fn: T.AGG_OF.get(fn.tokenType) ?? "count",
      path: p.path,
      pathSpan: p.span,
      span: this.span(fn, last),
    };
    return where ? { ...node, where } : node;
  }

  // -------------------------------------------------------------------------------------------
  // Expressions
  // -------------------------------------------------------------------------------------------

  logical(kind: "and" | "or", operands: (ExprNode | undefined)[], first: Tok, last: Tok): ExprNode {
    this.count(last);
    return { kind, operands: operands.map((o) => o ?? MISSING_EXPR), span: this.span(first, last) };
  }

  /** `not not … e`, built iteratively (innermost `not` last). */
  nots(nots: IToken[], operand: ExprNode | undefined, last: Tok): ExprNode {
    let e = operand ?? MISSING_EXPR;
    for (let i = nots.length - 1; i >= 0; i--) {
      this.count(last);
      e = { kind: "not", operand: e, span: this.span(nots[i], last) };
    }
    return e;
  }

  quantifier(q: IToken, collection: FieldNode | undefined, where: ExprNode | undefined, last: Tok): ExprNode {
    this.count(last);
    const name = q.image.toLowerCase();
    return {
      kind: "quantifier",
      quantifier: name === "all" ? "all" : name === "none" ? "none" : "any",
      collection: collection ?? MISSING_FIELD,
      where: where ?? MISSING_EXPR,
      span: this.span(q, last),
    };
  }

  /** An operand with no operator: a boolean field, `@segment` or `$param`; anything else is an error. */
  truthy(subject: ValueNode | undefined, first: Tok, last: Tok): ExprNode {
    if (!subject) return MISSING_EXPR;
    if (subject.kind === "field" || subject.kind === "ref" || subject.kind === "param") {
      this.count(last);
      return { kind: "truthy", subject, span: this.span(first, last) };
    }
    this.report(M.expectedOperator(this.text(subject)), subject.span);
    return MISSING_EXPR;
  }

  /** `subject tail`, or the subject alone when there is no tail. */
  predicate(subject: ValueNode | undefined, tail: TailDraft | undefined, first: Tok, last: Tok): ExprNode {
    if (!tail) return this.truthy(subject, first, last);
    switch (tail.k) {
      case "compare":
        return this.compare(subject, tail.op, tail.right, first, last);
      case "alias":
        return this.compareAlias(subject, tail.op, tail.right, first, last);
      case "has":
        return this.has(subject, tail.mode, tail.value, first, last);
      case "is":
        return this.is(subject, tail.negated, tail.what, first, last);
      case "within":
        return this.within(subject, tail.dir, tail.duration, first, last);
      case "between":
        return this.between(subject, tail.negated, tail.low, tail.high, first, last);
      case "in":
        return this.in(subject, tail.negated, tail.list, first, last);
      case "text":
        return this.textOp(subject, tail.op, tail.negated, tail.value, first, last);
    }
  }

  compare(subject: ValueNode | undefined, op: IToken, right: ValueNode | undefined, first: Tok, last: Tok): ExprNode {
    this.count(last);
    return {
      kind: "compare",
      op: T.OP_OF.get(op.tokenType) ?? "=",
      left: subject ?? MISSING_FIELD,
      right: right ?? MISSING_FIELD,
      span: this.span(first, last),
    };
  }

  /** `f before v` / `f after v`: `<` / `>` with the alias kept; a bare duration reads backwards. */
  compareAlias(subject: ValueNode | undefined, alias: IToken, right: ValueNode | undefined, first: Tok, last: Tok): ExprNode {
    this.count(last);
    const word = alias.tokenType === T.After ? "after" : "before";
    if (right?.kind === "duration") {
      this.report(M.bareDurationAlias(alias.image, this.text(right)), this.span(alias, last));
    }
    return {
      kind: "compare",
      op: word === "after" ? ">" : "<",
      left: subject ?? MISSING_FIELD,
      right: right ?? MISSING_FIELD,
      alias: word,
      span: this.span(first, last),
    };
  }

  between(subject: ValueNode | undefined, negated: boolean, low: ValueNode | undefined, high: ValueNode | undefined, first: Tok, last: Tok): ExprNode {
    this.count(last);
    return {
      kind: "between",
      negated,
      subject: subject ?? MISSING_FIELD,
      low: low ?? MISSING_FIELD,
      high: high ?? MISSING_FIELD,
      span: this.span(first, last),
    };
  }

  in(subject: ValueNode | undefined, negated: boolean, list: ListNode | ParamNode | undefined, first: Tok, last: Tok): ExprNode {
    this.count(last);
    return {
      kind: "in",
      negated,
      subject: subject ?? MISSING_FIELD,
      list: list ?? { kind: "list", items: [], span: NOWHERE },
      span: this.span(first, last),
    };
  }

  has(subject: ValueNode | undefined, mode: Tok, value: ValueNode | undefined, first: Tok, last: Tok): ExprNode {
    this.count(last);
    const m = mode ? mode.image.toLowerCase() : "one";
    return {
      kind: "has",
      mode: m === "any" || m === "all" || m === "none" ? m : "one",
      subject: subject ?? MISSING_FIELD,
      value: value ?? MISSING_FIELD,
      span: this.span(first, last),
    };
  }

  textOp(
    subject: ValueNode | undefined,
    op: "contains" | "startsWith" | "endsWith" | "foldEquals",
    negated: boolean,
    value: ValueNode | undefined,
    first: Tok,
    last: Tok,
  ): ExprNode {
    this.count(last);
    return { kind: "text", op, negated, subject: subject ?? MISSING_FIELD, value: value ?? MISSING_FIELD, span: this.span(first, last) };
  }

  is(subject: ValueNode | undefined, negated: boolean, what: IToken, first: Tok, last: Tok): ExprNode {
    this.count(last);
    return {
      kind: what.tokenType === T.Empty ? "isEmpty" : "isSet",
      negated,
      subject: subject ?? MISSING_FIELD,
      span: this.span(first, last),
    };
  }

  within(subject: ValueNode | undefined, dir: IToken, duration: DurationNode | ParamNode | undefined, first: Tok, last: Tok): ExprNode {
    this.count(last);
    return {
      kind: "within",
      direction: dir.tokenType === T.Next ? "next" : "last",
      subject: subject ?? MISSING_FIELD,
      duration: duration ?? MISSING_DURATION,
      span: this.span(first, last),
    };
  }

  expressionDoc(body: ExprNode | undefined, comments: Comment[]): ExpressionDocument {
    return { kind: "expression", version: AST_VERSION, body: body ?? MISSING_EXPR, comments };
  }

  // -------------------------------------------------------------------------------------------
  // Rules files
  // -------------------------------------------------------------------------------------------

  /** A definition whose body is one expression: a segment or a channel. */
  conditionDef(kind: "segment" | "channel", kw: IToken, name: IToken, body: ExprNode | undefined, last: Tok): Definition {
    return {
      kind,
      name: this.nameOf(name),
      nameSpan: this.span(name, name),
      body: body ?? MISSING_EXPR,
      span: this.span(kw, last),
    };
  }

  /** Signed whole points at the start of a score line. */
  private points(tok: IToken): number {
    const p = tok.payload as NumberPayload | undefined;
    if (p && (!p.signed || !Number.isInteger(p.value))) this.report(M.scorePoints(tok.image), this.span(tok, tok));
    return p?.value ?? 0;
  }

  /** The value of a percentage (`50%`); `check` tells whether to check it is a share in (0, 100]. */
  private percent(tok: Tok, pct: Tok, check: boolean): number {
    const p = tok?.payload as NumberPayload | undefined;
    const v = p?.value ?? 0;
    if (check && p && tok && (p.signed || !(v > 0 && v <= 100))) this.report(M.invalidPercent(tok.image), this.span(tok, pct ?? tok));
    return v;
  }

  scoreIf(pts: IToken, condition: ExprNode | undefined, last: Tok): ScoreItem {
    this.count(last);
    return { kind: "rule", rule: { kind: "if", points: this.points(pts), condition: condition ?? MISSING_EXPR, span: this.span(pts, last) } };
  }

  scorePer(pts: IToken, value: ValueNode | undefined, max: Tok, last: Tok): ScoreItem {
    this.count(last);
    const points = this.points(pts);
    const span = this.span(pts, last);
    const v = value ?? MISSING_FIELD;
    const m = (max?.payload as NumberPayload | undefined)?.value;
    return { kind: "rule", rule: m === undefined ? { kind: "per", points, value: v, span } : { kind: "per", points, value: v, max: m, span } };
  }

  scoreDecay(
    pts: IToken,
    collection: ValueNode | undefined,
    where: ExprNode | undefined,
    pct: Tok,
    pctSign: Tok,
    every: DurationNode | ParamNode | undefined,
    by: FieldNode | undefined,
    last: Tok,
  ): ScoreItem {
    this.count(last);
    const points = this.points(pts);
    let coll: FieldNode = MISSING_FIELD;
    if (collection?.kind === "field") coll = collection;
    else if (collection) {
      this.report(M.decayCollection(this.text(collection)), collection.span);
    }
    const rule: ScoreRule = {
      kind: "decay",
      points,
      collection: coll,
      ...(where ? { where } : {}),
      // Any number: the rules layer checks the share (rules.decay-percent), so that this mistake
      // does not hide the file's others.
      percent: this.percent(pct, pctSign, false),
      every: every ?? MISSING_DURATION,
      by: by ?? MISSING_FIELD,
      span: this.span(pts, last),
    };
    return { kind: "rule", rule };
  }

  clamp(kw: IToken, a: Tok, b: Tok, last: Tok): ScoreItem {
    const min = (a?.payload as NumberPayload | undefined)?.value ?? 0;
    const max = (b?.payload as NumberPayload | undefined)?.value ?? 0;
    // `min > max` is left to the rules layer (rules.clamp-order), so that it hides no other mistake.
    return { kind: "clamp", clamp: { min, max, span: this.span(kw, last) } };
  }

  score(kw: IToken, name: IToken, items: (ScoreItem | undefined)[], last: Tok): Definition {
    const rules: ScoreRule[] = [];
    let clamp: { min: number; max: number; span: Span } | undefined;
    for (const item of items) {
      if (!item) continue;
      if (item.kind === "rule") {
        if (clamp) this.report(M.clampNotLast(), clamp.span);
        rules.push(item.rule);
      } else {
        if (clamp) this.report(M.clampNotLast(), item.clamp.span);
        clamp = item.clamp;
      }
    }
    const span = this.span(kw, last);
    if (items.length === 0) this.report(M.emptyDefinition("score"), this.span(kw, name));
    const def = { kind: "score" as const, name: this.nameOf(name), nameSpan: this.span(name, name), rules, span };
    return clamp ? { ...def, clamp } : def;
  }

  stage(name: IToken, condition: ExprNode | undefined, last: Tok): StageLine {
    const span = this.span(name, last);
    return condition ? { name: this.nameOf(name), condition, span } : { name: this.nameOf(name), span };
  }

  lifecycle(kw: IToken, name: IToken, stages: (StageLine | undefined)[], last: Tok): Definition {
    if (stages.length === 0) this.report(M.emptyDefinition("lifecycle"), this.span(kw, name));
    return {
      kind: "lifecycle",
      name: this.nameOf(name),
      nameSpan: this.span(name, name),
      stages: stages.filter((s): s is StageLine => s !== undefined),
      span: this.span(kw, last),
    };
  }

  thresholdTest(op: Tok, value: ValueNode | undefined): ThresholdTierLine["test"] {
    const v = value && (value.kind === "number" || value.kind === "string" || value.kind === "param") ? value : undefined;
    return { op: (op && T.OP_OF.get(op.tokenType)) ?? ("=" as CompareOp), value: v ?? { kind: "number", value: 0, span: NOWHERE } };
  }

  betweenTest(low: ValueNode | undefined, high: ValueNode | undefined): BetweenTest {
    const ok = (v: ValueNode | undefined) => (v && (v.kind === "number" || v.kind === "param") ? v : ({ kind: "number", value: 0, span: NOWHERE } as NumberNode));
    return { op: "between", low: ok(low), high: ok(high) };
  }

  tierLine(name: IToken, test: ThresholdTierLine["test"] | undefined, pct: Tok, pctSign: Tok, otherwise: Tok, last: Tok): TierLineDraft {
    const base = { name: this.nameOf(name), span: this.span(name, last) };
    if (otherwise) return { kind: "otherwise", ...base };
    // Checked here: the rules layer only checks that the shares add up to at most 100%.
    if (pct) return { kind: "quantile", ...base, percent: this.percent(pct, pctSign, true) };
    return { kind: "threshold", ...base, ...(test ? { test } : {}) };
  }

  tiers(kw: IToken, name: IToken, by: ValueNode | undefined, quantiles: boolean, drafts: (TierLineDraft | undefined)[], last: Tok): Definition {
    const lines: (ThresholdTierLine | QuantileTierLine)[] = [];
    for (const d of drafts) {
      if (!d) continue;
      if ((d.kind === "threshold" && quantiles) || (d.kind === "quantile" && !quantiles)) {
        this.report(M.tierLineMismatch(quantiles), d.span);
      }
      if (d.kind === "otherwise") lines.push({ name: d.name, span: d.span });
      else if (d.kind === "quantile") lines.push({ name: d.name, percent: d.percent ?? 0, span: d.span });
      else lines.push(d.test ? { name: d.name, test: d.test, span: d.span } : { name: d.name, span: d.span });
    }
    if (drafts.length === 0) this.report(M.emptyDefinition("tiers"), this.span(kw, name));
    return {
      kind: "tiers",
      name: this.nameOf(name),
      nameSpan: this.span(name, name),
      by: by ?? MISSING_FIELD,
      method: quantiles ? "quantiles" : "thresholds",
      lines,
      span: this.span(kw, last),
    };
  }

  rfmLine(word: IToken, value: ValueNode | undefined, last: Tok): RfmLineDraft {
    const w = word.image.toLowerCase();
    return {
      which: w === "frequency" ? "frequency" : w === "monetary" ? "monetary" : "recency",
      value: value ?? MISSING_FIELD,
      span: this.span(word, last),
    };
  }

  rfm(kw: IToken, name: IToken, drafts: (RfmLineDraft | undefined)[], last: Tok): Definition {
    const seen: Partial<Record<RfmLineDraft["which"], ValueNode>> = {};
    for (const d of drafts) {
      if (!d) continue;
      if (seen[d.which]) this.report(M.rfmDuplicate(d.which), d.span);
      else seen[d.which] = d.value;
    }
    const header = this.span(kw, name);
    if (drafts.length === 0) this.report(M.emptyDefinition("rfm"), header);
    else {
      const missing = (["recency", "frequency", "monetary"] as const).filter((w) => !seen[w]);
      if (missing.length > 0) this.report(M.rfmMissing(missing), header);
    }
    return {
      kind: "rfm",
      name: this.nameOf(name),
      nameSpan: this.span(name, name),
      recency: seen.recency ?? MISSING_FIELD,
      frequency: seen.frequency ?? MISSING_FIELD,
      monetary: seen.monetary ?? MISSING_FIELD,
      span: this.span(kw, last),
    };
  }

  splitArm(name: IToken, pct: Tok, sign: Tok, last: Tok): SplitArmDraft {
    return { name: this.nameOf(name), percent: this.percent(pct, sign, true), span: this.span(name, last) };
  }

  split(kw: IToken, name: IToken, key: FieldNode | undefined, seed: Tok, arms: (SplitArmDraft | undefined)[], last: Tok): Definition {
    if (arms.length === 0) this.report(M.emptyDefinition("split"), this.span(kw, name));
    const seedText = seed && typeof seed.payload === "string" ? seed.payload : undefined;
    return {
      kind: "split",
      name: this.nameOf(name),
      nameSpan: this.span(name, name),
      key: key ?? MISSING_FIELD,
      ...(seedText === undefined ? {} : { seed: seedText }),
      arms: arms.filter((a): a is SplitArmDraft => a !== undefined).map((a) => ({ name: a.name, percent: a.percent, span: a.span })),
      span: this.span(kw, last),
    };
  }

  rulesDoc(defs: (Definition | undefined)[] | undefined, comments: Comment[]): RulesDocument {
    const definitions = (defs ?? []).filter((d): d is Definition => d !== undefined);
    if (definitions.length > this.limits.maxDefinitions) {
      this.report(M.tooManyDefinitions(this.limits.maxDefinitions), definitions[this.limits.maxDefinitions]!.span);
    }
    return { kind: "rules", version: AST_VERSION, definitions, comments };
  }
}
