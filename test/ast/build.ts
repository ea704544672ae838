/**
 * Small factories for hand-built ASTs in tests. Every node gets the zero span at 1:1 unless
 * one is given with {@link at}.
 */
import type { Span } from "../../src/errors/diagnostic.js";
import {
  AST_VERSION,
  type AggregateFn,
  type AggregateNode,
  type AndNode,
  type BetweenNode,
  type BooleanNode,
  type Comment,
  type CompareNode,
  type CompareOp,
  type DateNode,
  type DurationNode,
  type DurationUnit,
  type ExprNode,
  type ExpressionDocument,
  type FieldNode,
  type HasNode,
  type InNode,
  type InstantNode,
  type IsEmptyNode,
  type IsSetNode,
  type ListNode,
  type LiteralNode,
  type NotNode,
  type NumberNode,
  type OrNode,
  type ParamNode,
  type QuantifierNode,
  type RefNode,
  type StringNode,
  type TextNode,
  type TruthyNode,
  type ValueNode,
  type WithinNode,
} from "../../src/ast/nodes.js";

export const Z: Span = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

/** A span from (line, column) to (line, column) with offsets computed for single-line tests. */
export function span(startOffset: number, endOffset: number, line = 1, lineStart = 0): Span {
  return {
    start: { offset: startOffset, line, column: startOffset - lineStart + 1 },
    end: { offset: endOffset, line, column: endOffset - lineStart + 1 },
  };
}

export const field = (...path: string[]): FieldNode => ({ kind: "field", path, span: Z });
export const str = (value: string): StringNode => ({ kind: "string", value, span: Z });
export const num = (value: number): NumberNode => ({ kind: "number", value, span: Z });
export const bool = (value: boolean): BooleanNode => ({ kind: "boolean", value, span: Z });
export const date = (text: string): DateNode => ({ kind: "date", text, dateOnly: !/T/i.test(text), span: Z });
export const dur = (amount: number, unit: DurationUnit): DurationNode => ({ kind: "duration", amount, unit, span: Z });
export const ago = (amount: number, unit: DurationUnit): InstantNode => ({ kind: "instant", duration: dur(amount, unit), direction: "ago", span: Z });
export const fromNow = (amount: number, unit: DurationUnit): InstantNode => ({ kind: "instant", duration: dur(amount, unit), direction: "fromNow", span: Z });
export const list = (...items: LiteralNode[]): ListNode => ({ kind: "list", items, span: Z });
export const param = (name: string): ParamNode => ({ kind: "param", name, span: Z });
export const ref = (name: string): RefNode => ({ kind: "ref", name, span: Z });
export const agg = (fn: AggregateFn, path: string[], where?: ExprNode): AggregateNode =>
  where ? { kind: "aggregate", fn, path, where, pathSpan: Z, span: Z } : { kind: "aggregate", fn, path, pathSpan: Z, span: Z };

export const or = (...operands: ExprNode[]): OrNode => ({ kind: "or", operands, span: Z });
export const and = (...operands: ExprNode[]): AndNode => ({ kind: "and", operands, span: Z });
export const not = (operand: ExprNode): NotNode => ({ kind: "not", operand, span: Z });
export const cmp = (left: ValueNode, op: CompareOp, right: ValueNode, alias?: "before" | "after"): CompareNode =>
  alias ? { kind: "compare", op, left, right, alias, span: Z } : { kind: "compare", op, left, right, span: Z };
export const between = (subject: ValueNode, low: ValueNode, high: ValueNode, negated = false): BetweenNode => ({ kind: "between", negated, subject, low, high, span: Z });
export const inList = (subject: ValueNode, l: ListNode | ParamNode, negated = false): InNode => ({ kind: "in", negated, subject, list: l, span: Z });
export const has = (subject: ValueNode, value: ValueNode, mode: HasNode["mode"] = "one"): HasNode => ({ kind: "has", mode, subject, value, span: Z });
export const text = (op: TextNode["op"], subject: ValueNode, value: ValueNode, negated = false): TextNode => ({ kind: "text", op, negated, subject, value, span: Z });
export const isSet = (subject: ValueNode, negated = false): IsSetNode => ({ kind: "isSet", negated, subject, span: Z });
export const isEmpty = (subject: ValueNode, negated = false): IsEmptyNode => ({ kind: "isEmpty", negated, subject, span: Z });
export const truthy = (subject: FieldNode | RefNode | ParamNode): TruthyNode => ({ kind: "truthy", subject, span: Z });
export const quant = (quantifier: QuantifierNode["quantifier"], collection: FieldNode, where: ExprNode): QuantifierNode => ({ kind: "quantifier", quantifier, collection, where, span: Z });
export const within = (direction: WithinNode["direction"], subject: ValueNode, duration: DurationNode): WithinNode => ({ kind: "within", direction, subject, duration, span: Z });

/** A shorthand for `f` alone (a boolean field). */
export const t = (...path: string[]): TruthyNode => truthy(field(...path));

/** Returns a copy of a node with the given span. */
export const at = <N extends { span: Span }>(node: N, s: Span): N => ({ ...node, span: s });

export const comment = (text: string, s: Span = Z): Comment => ({ text, span: s });

export const doc = (body: ExprNode, comments: Comment[] = []): ExpressionDocument => ({
  kind: "expression",
  version: AST_VERSION,
  body,
  comments,
});
