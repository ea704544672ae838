/**
 * The JSON AST of the cible language, version {@link AST_VERSION}.
 *
 * Every node is a plain, readonly, JSON-serialisable object tagged by `kind`. Every pass
 * (check, compile, format, explain, SQL) handles every kind through a `Record<Kind, handler>`
 * table, so adding a kind fails to type-check until every pass knows it.
 *
 * Conventions:
 * - `span` is where the node stands in the source; ASTs built by hand or loaded from JSON may
 *   carry any span (fromAST accepts a missing span and uses 1:1).
 * - Names and string literals are NFC-normalised by the parser (spans still point at the
 *   original text).
 * - Keyword casing is not kept. `before`/`after` are `<`/`>` with an `alias` the printer keeps. Parentheses are not
 *   kept either: the printer puts back the ones the structure needs.
 */
import type { Span } from "../errors/diagnostic.js";

/** Version of the AST format. Bumped on any incompatible change; `fromAST` refuses other versions. */
export const AST_VERSION = 1 as const;

// ---------------------------------------------------------------------------------------------
// Values: what stands on either side of an operator
// ---------------------------------------------------------------------------------------------

/** A field of the record (or, inside `where`, of the element first, then outwards): `account.sector` → `["account", "sector"]`. */
export interface FieldNode {
  readonly kind: "field";
  readonly path: readonly string[];
  readonly span: Span;
}

export interface StringNode {
  readonly kind: "string";
  /** NFC-normalised, escapes decoded. */
  readonly value: string;
  readonly span: Span;
}

export interface NumberNode {
  readonly kind: "number";
  /** The value with suffixes applied (`250k` → 250000). Always finite. */
  readonly value: number;
  readonly span: Span;
}

export interface BooleanNode {
  readonly kind: "boolean";
  readonly value: boolean;
  readonly span: Span;
}

/**
 * An ISO-8601 date literal written without quotes. `2024-01-15` is a whole day in the evaluation
 * time zone (`dateOnly: true`); `2024-01-15T09:30:00Z` is an instant. `text` is the literal as
 * written (validated); a date-time without offset is read in the evaluation time zone.
 */
export interface DateNode {
  readonly kind: "date";
  readonly text: string;
  readonly dateOnly: boolean;
  readonly span: Span;
}

/** Units of a duration, singular. Minutes to weeks are exact; months and years are calendar arithmetic. */
export type DurationUnit = "minute" | "hour" | "day" | "week" | "month" | "year";

/** `6 months`: an age when compared with a date field. `amount` is a non-negative integer. */
export interface DurationNode {
  readonly kind: "duration";
  readonly amount: number;
  readonly unit: DurationUnit;
  readonly span: Span;
}

/**
 * `6 months ago` / `60 days from now`: an instant relative to the evaluation's `now`. The
 * duration may be a parameter (`$window ago`), then a duration parameter.
 */
export interface InstantNode {
  readonly kind: "instant";
  readonly duration: DurationNode | ParamNode;
  readonly direction: "ago" | "fromNow";
  readonly span: Span;
}

/** `["santé", "finance"]`: literals only (strings, numbers, booleans, dates). */
export interface ListNode {
  readonly kind: "list";
  readonly items: readonly LiteralNode[];
  readonly span: Span;
}

/** `$minEmployees`: bound at evaluation from `params`; its type is inferred from where it stands. */
export interface ParamNode {
  readonly kind: "param";
  readonly name: string;
  readonly span: Span;
}

/** `@decideursSante`: another definition of the rules file. */
export interface RefNode {
  readonly kind: "ref";
  readonly name: string;
  readonly span: Span;
}

export type AggregateFn = "count" | "sum" | "avg" | "min" | "max";

/**
 * `count(purchases)`, `count(purchases where amount > 100)`, `sum(purchases.amount where date < 12 months)`.
 * `path` is written as one dotted path; the checker splits it into the collection (an array) and,
 * for sum/avg/min/max over objects, the element's field (`["purchases", "amount"]` → collection
 * `purchases`, field `amount`). Over an array of numbers, `sum(scores)` needs no element field.
 */
export interface AggregateNode {
  readonly kind: "aggregate";
  readonly fn: AggregateFn;
  readonly path: readonly string[];
  /** Condition on each element (names resolve against the element first). */
  readonly where?: ExprNode;
  /** Span of the dotted path, for diagnostics. */
  readonly pathSpan: Span;
  readonly span: Span;
}

export type LiteralNode = StringNode | NumberNode | BooleanNode | DateNode;

/** Anything that can stand as an operand. */
export type ValueNode =
  | FieldNode
  | LiteralNode
  | DurationNode
  | InstantNode
  | ListNode
  | ParamNode
  | RefNode
  | AggregateNode;

// ---------------------------------------------------------------------------------------------
// Expressions: boolean (three-valued) nodes
// ---------------------------------------------------------------------------------------------

export interface OrNode {
  readonly kind: "or";
  /** Two or more; a flat chain `a or b or c` is one node. Parenthesised `or`s stay nested. */
  readonly operands: readonly ExprNode[];
  readonly span: Span;
}

export interface AndNode {
  readonly kind: "and";
  readonly operands: readonly ExprNode[];
  readonly span: Span;
}

export interface NotNode {
  readonly kind: "not";
  readonly operand: ExprNode;
  readonly span: Span;
}

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** `f = v`, `f < v`, `f before D` (stored as `<`), `lastPurchase < 6 months`, `@lead >= 50`. */
export interface CompareNode {
  readonly kind: "compare";
  readonly op: CompareOp;
  readonly left: ValueNode;
  readonly right: ValueNode;
  /** Present when the author wrote `before` (op `<`) or `after` (op `>`); the printer keeps it. */
  readonly alias?: "before" | "after";
  readonly span: Span;
}

/** `f between a and b` / `f not between a and b`. */
export interface BetweenNode {
  readonly kind: "between";
  readonly negated: boolean;
  readonly subject: ValueNode;
  readonly low: ValueNode;
  readonly high: ValueNode;
  readonly span: Span;
}

/** `f in [..]` / `f not in [..]`; the list may be a `$param`. */
export interface InNode {
  readonly kind: "in";
  readonly negated: boolean;
  readonly subject: ValueNode;
  readonly list: ListNode | ParamNode;
  readonly span: Span;
}

/** `f has v` (mode `one`), `f has any [..]`, `f has all [..]`, `f has none [..]`. */
export interface HasNode {
  readonly kind: "has";
  readonly mode: "one" | "any" | "all" | "none";
  readonly subject: ValueNode;
  /** A single value for `one`; a list (or `$param`) for the others. */
  readonly value: ValueNode;
  readonly span: Span;
}

/** `contains`, `starts with`, `ends with`, `~=` and their `not` forms; all fold case and accents. */
export interface TextNode {
  readonly kind: "text";
  readonly op: "contains" | "startsWith" | "endsWith" | "foldEquals";
  readonly negated: boolean;
  readonly subject: ValueNode;
  readonly value: ValueNode;
  readonly span: Span;
}

/** `f is set` / `f is not set`: two-valued, never unknown. */
export interface IsSetNode {
  readonly kind: "isSet";
  readonly negated: boolean;
  readonly subject: ValueNode;
  readonly span: Span;
}

/** `f is empty` / `f is not empty`. */
export interface IsEmptyNode {
  readonly kind: "isEmpty";
  readonly negated: boolean;
  readonly subject: ValueNode;
  readonly span: Span;
}

/** `f` alone: a boolean field (or a `@segment` reference, or a boolean `$param`) is true. */
export interface TruthyNode {
  readonly kind: "truthy";
  readonly subject: FieldNode | RefNode | ParamNode;
  readonly span: Span;
}

/** `any P where (e)`, `all P where (e)`, `none P where (e)` over an array of objects. */
export interface QuantifierNode {
  readonly kind: "quantifier";
  readonly quantifier: "any" | "all" | "none";
  readonly collection: FieldNode;
  readonly where: ExprNode;
  readonly span: Span;
}

/**
 * `f within last 30 days` (`now − 30 days <= f <= now`), `f within next 60 days` (`now <= f <= now + 60 days`).
 * The duration may be a parameter (`within last $window`), then a duration parameter.
 */
export interface WithinNode {
  readonly kind: "within";
  readonly direction: "last" | "next";
  readonly subject: ValueNode;
  readonly duration: DurationNode | ParamNode;
  readonly span: Span;
}

export type ExprNode =
  | OrNode
  | AndNode
  | NotNode
  | CompareNode
  | BetweenNode
  | InNode
  | HasNode
  | TextNode
  | IsSetNode
  | IsEmptyNode
  | TruthyNode
  | QuantifierNode
  | WithinNode;

export type ExprKind = ExprNode["kind"];
export type ValueKind = ValueNode["kind"];
export type AnyNode = ExprNode | ValueNode;
export type NodeKind = AnyNode["kind"];

// ---------------------------------------------------------------------------------------------
// Comments and documents
// ---------------------------------------------------------------------------------------------

/** A `#` comment, kept so that `format` can put it back. `text` excludes the `#` and the line end. */
export interface Comment {
  readonly text: string;
  readonly span: Span;
}

/**
 * The result of parsing one expression: the versioned root. `comments` lists every comment in
 * source order; the printer places each by its span (docs/formatting.md, "Comments").
 */
export interface ExpressionDocument {
  readonly kind: "expression";
  readonly version: typeof AST_VERSION;
  readonly body: ExprNode;
  readonly comments: readonly Comment[];
}

// ---------------------------------------------------------------------------------------------
// Rules files (LANGUAGE.md §4)
// ---------------------------------------------------------------------------------------------

/** `segment name: e` */
export interface SegmentDef {
  readonly kind: "segment";
  readonly name: string;
  readonly nameSpan: Span;
  readonly body: ExprNode;
  readonly span: Span;
}

/** `+N if e` */
export interface ScoreIfRule {
  readonly kind: "if";
  readonly points: number;
  readonly condition: ExprNode;
  readonly span: Span;
}

/** `+N per x max M` (`max` optional): N times the number x, at most M. */
export interface ScorePerRule {
  readonly kind: "per";
  readonly points: number;
  readonly value: ValueNode;
  readonly max?: number;
  readonly span: Span;
}

/** `+N per P where (e) decaying H% every D by f`: N per matching element, weighted by `(1 − H/100)^(age / D)`. */
export interface ScoreDecayRule {
  readonly kind: "decay";
  readonly points: number;
  readonly collection: FieldNode;
  readonly where?: ExprNode;
  /** Percent lost per `every` period, 0 < halfLife ≤ 100 (`50` for `decaying 50%`). */
  readonly percent: number;
  /** The period: a duration longer than zero, or a duration parameter (`every $halfLife`). */
  readonly every: DurationNode | ParamNode;
  /** The element's date field the age is taken from. */
  readonly by: FieldNode;
  readonly span: Span;
}

export type ScoreRule = ScoreIfRule | ScorePerRule | ScoreDecayRule;

export interface ScoreDef {
  readonly kind: "score";
  readonly name: string;
  readonly nameSpan: Span;
  readonly rules: readonly ScoreRule[];
  /** `clamp a to b`, at most one, written last. */
  readonly clamp?: { readonly min: number; readonly max: number; readonly span: Span };
  readonly span: Span;
}

/** One stage of a lifecycle: `evaluation if e`; the first stage may have no condition. */
export interface StageLine {
  readonly name: string;
  readonly condition?: ExprNode;
  readonly span: Span;
}

export interface LifecycleDef {
  readonly kind: "lifecycle";
  readonly name: string;
  readonly nameSpan: Span;
  readonly stages: readonly StageLine[];
  readonly span: Span;
}

/** A threshold tier line: `high if >= 100k` or `low otherwise`. */
export interface ThresholdTierLine {
  readonly name: string;
  /** Absent for `otherwise`. */
  readonly test?: { readonly op: CompareOp; readonly value: NumberNode | StringNode | ParamNode } | BetweenTest;
  readonly span: Span;
}

/** `name if between a and b` inside threshold tiers. */
export interface BetweenTest {
  readonly op: "between";
  readonly low: NumberNode | ParamNode;
  readonly high: NumberNode | ParamNode;
}

/** A quantile tier line: `top 20%` or `rest otherwise`. */
export interface QuantileTierLine {
  readonly name: string;
  /** Share of the population, 0 < percent ≤ 100; absent for `otherwise`. */
  readonly percent?: number;
  readonly span: Span;
}

export interface TiersDef {
  readonly kind: "tiers";
  readonly name: string;
  readonly nameSpan: Span;
  readonly by: ValueNode;
  readonly method: "thresholds" | "quantiles";
  readonly lines: readonly (ThresholdTierLine | QuantileTierLine)[];
  readonly span: Span;
}

export interface RfmDef {
  readonly kind: "rfm";
  readonly name: string;
  readonly nameSpan: Span;
  readonly recency: ValueNode;
  readonly frequency: ValueNode;
  readonly monetary: ValueNode;
  readonly span: Span;
}

/**
 * `channel email: optinEmail and not unsubscribed`: who may be contacted through a channel
 * (LANGUAGE.md §7). Its body is an expression, as a segment's; it is not a segment.
 */
export interface ChannelDef {
  readonly kind: "channel";
  readonly name: string;
  readonly nameSpan: Span;
  readonly body: ExprNode;
  readonly span: Span;
}

/** One arm of a split: `control 10%`. */
export interface SplitArm {
  readonly name: string;
  /** Share of the records, in percent, 0 < percent ≤ 100, as written (decimals allowed). */
  readonly percent: number;
  readonly span: Span;
}

/**
 * `split spring by id [seed "…"]:` then one arm per line: a deterministic, stable assignment of
 * records to arms by the MD5 of `<seed>:<key>` (LANGUAGE.md §7).
 */
export interface SplitDef {
  readonly kind: "split";
  readonly name: string;
  readonly nameSpan: Span;
  /** The key field: a text field, or a number field whose schema says integer. */
  readonly key: FieldNode;
  /** The seed written after the key (`seed "2026-q2"`); absent: the split's name. */
  readonly seed?: string;
  readonly arms: readonly SplitArm[];
  readonly span: Span;
}

export type Definition = SegmentDef | ScoreDef | LifecycleDef | TiersDef | RfmDef | ChannelDef | SplitDef;
export type DefinitionKind = Definition["kind"];

/** The result of parsing a rules file. */
export interface RulesDocument {
  readonly kind: "rules";
  readonly version: typeof AST_VERSION;
  readonly definitions: readonly Definition[];
  readonly comments: readonly Comment[];
}
