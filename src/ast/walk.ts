/**
 * Walking the AST: one table of children per node kind, and iterative helpers that never
 * recurse (so they are safe on any tree, even one deeper than the limits allow).
 */
import type { AnyNode, Definition, DefinitionKind, ExprNode, NodeKind, ValueNode } from "./nodes.js";

type ChildrenTable = { readonly [K in NodeKind]: (node: Extract<AnyNode, { kind: K }>) => readonly AnyNode[] };

const NONE: readonly AnyNode[] = Object.freeze([]);

/** @internal The children of every kind, in source order. Adding a kind breaks this table. */
export const CHILDREN: ChildrenTable = {
  or: (n) => n.operands,
  and: (n) => n.operands,
  not: (n) => [n.operand],
  compare: (n) => [n.left, n.right],
  between: (n) => [n.subject, n.low, n.high],
  in: (n) => [n.subject, n.list],
  has: (n) => [n.subject, n.value],
  text: (n) => [n.subject, n.value],
  isSet: (n) => [n.subject],
  isEmpty: (n) => [n.subject],
  truthy: (n) => [n.subject],
  quantifier: (n) => [n.collection, n.where],
  within: (n) => [n.subject, n.duration],
  field: () => NONE,
  string: () => NONE,
  number: () => NONE,
  boolean: () => NONE,
  date: () => NONE,
  duration: () => NONE,
  instant: (n) => [n.duration],
  list: (n) => n.items,
  param: () => NONE,
  ref: () => NONE,
  aggregate: (n) => (n.where ? [n.where] : NONE),
};

/** Kinds of the boolean (expression) nodes. */
export const EXPR_KINDS: ReadonlySet<string> = new Set<ExprNode["kind"]>([
  "or", "and", "not", "compare", "between", "in", "has", "text", "isSet", "isEmpty", "truthy",
  "quantifier", "within",
]);

/** Kinds of the value nodes. */
export const VALUE_KINDS: ReadonlySet<string> = new Set<ValueNode["kind"]>([
  "field", "string", "number", "boolean", "date", "duration", "instant", "list", "param", "ref",
  "aggregate",
]);

/** True when the node is a boolean expression node (and not a value). */
export function isExprNode(node: AnyNode): node is ExprNode {
  return EXPR_KINDS.has(node.kind);
}

/**
 * The direct children of a node, in source order.
 *
 * @example childrenOf(parse("a = 1").body) // [FieldNode a, NumberNode 1]
 */
export function childrenOf(node: AnyNode): readonly AnyNode[] {
  return (CHILDREN[node.kind] as (n: AnyNode) => readonly AnyNode[])(node);
}

/**
 * Visits every node of a tree in pre-order (a parent before its children, children in source
 * order), iteratively. `depth` is 1 for the root. Return `false` from `visit` to skip a node's children.
 */
export function forEachNode(root: AnyNode, visit: (node: AnyNode, depth: number) => void | boolean): void {
  const stack: [AnyNode, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (visit(node, depth) === false) continue;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1]);
  }
}

/** The number of nodes in a tree, the root included (every expression and value node counts one). */
export function countNodes(root: AnyNode): number {
  let count = 0;
  forEachNode(root, () => {
    count++;
  });
  return count;
}

/** The depth of a tree: 1 for a lone node, computed iteratively. */
export function depthOf(root: AnyNode): number {
  let max = 0;
  forEachNode(root, (_, depth) => {
    if (depth > max) max = depth;
  });
  return max;
}

type RootsTable = { readonly [K in DefinitionKind]: (def: Extract<Definition, { kind: K }>) => AnyNode[] };

const ROOTS: RootsTable = {
  segment: (d) => [d.body],
  score: (d) =>
    d.rules.flatMap((r): AnyNode[] =>
      r.kind === "if" ? [r.condition] : r.kind === "per" ? [r.value] : [r.collection, ...(r.where ? [r.where] : []), r.every, r.by],
    ),
  lifecycle: (d) => d.stages.flatMap((s) => (s.condition ? [s.condition] : [])),
  tiers: (d) => [
    d.by,
    ...d.lines.flatMap((l): AnyNode[] => {
      if (!("test" in l) || !l.test) return [];
      return l.test.op === "between" ? [l.test.low, l.test.high] : [l.test.value];
    }),
  ],
  rfm: (d) => [d.recency, d.frequency, d.monetary],
  channel: (d) => [d.body],
  split: (d) => [d.key],
};

/**
 * The expression and value roots of a rules-file definition, in source order: a segment's body,
 * each score rule's condition, value, collection, `where`, `every` and `by`, each stage's
 * condition, a tier's `by` value and each line's values, an rfm's three values, a channel's
 * condition, a split's key.
 */
export function definitionRoots(def: Definition): AnyNode[] {
  return (ROOTS[def.kind] as (d: Definition) => AnyNode[])(def);
}
