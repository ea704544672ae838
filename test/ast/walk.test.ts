import { describe, expect, it } from "vitest";
import type { AnyNode, ExprNode } from "../../src/ast/nodes.js";
import { childrenOf, countNodes, definitionRoots, depthOf, forEachNode, isExprNode } from "../../src/ast/walk.js";
import { Z, agg, ago, and, between, cmp, dur, field, has, inList, list, not, num, or, param, quant, str, t, within } from "./build.js";

describe("walk", () => {
  it("lists children in source order", () => {
    const c = cmp(field("a"), "<", ago(6, "month"));
    expect(childrenOf(c)).toEqual([c.left, c.right]);
    expect(childrenOf(c.right)).toEqual([(c.right as { duration: AnyNode }).duration]);
    const b = between(field("n"), num(1), num(2));
    expect(childrenOf(b)).toEqual([b.subject, b.low, b.high]);
    const l = list(str("a"), str("b"));
    expect(childrenOf(inList(field("x"), l))).toEqual([field("x"), l]);
    expect(childrenOf(l)).toEqual(l.items);
    expect(childrenOf(agg("count", ["p"]))).toEqual([]);
    expect(childrenOf(agg("count", ["p"], t("x")))).toEqual([t("x")]);
    expect(childrenOf(field("x"))).toEqual([]);
  });

  it("counts nodes and measures depth", () => {
    const e = and(cmp(field("a"), "=", num(1)), not(t("b")), has(field("c"), list(str("x"), str("y")), "any"));
    // and, compare, field, number, not, truthy, field, has, field, list, string, string
    expect(countNodes(e)).toBe(12);
    expect(depthOf(e)).toBe(4);
    expect(depthOf(field("x"))).toBe(1);
    expect(depthOf(quant("any", field("p"), within("last", field("d"), dur(3, "day"))))).toBe(3);
  });

  it("walks a very deep tree without recursion", () => {
    let e: ExprNode = t("a");
    for (let i = 0; i < 200_000; i++) e = not(e);
    expect(depthOf(e)).toBe(200_002);
    expect(countNodes(e)).toBe(200_002);
  });

  it("visits in pre-order and can skip a subtree", () => {
    const e = or(and(t("a"), t("b")), t("c"));
    const seen: string[] = [];
    forEachNode(e, (n) => {
      seen.push(n.kind === "field" ? n.path.join(".") : n.kind);
      return n.kind !== "and";
    });
    expect(seen).toEqual(["or", "and", "truthy", "c"]);
  });

  it("tells expressions from values", () => {
    expect(isExprNode(t("a"))).toBe(true);
    expect(isExprNode(field("a"))).toBe(false);
    expect(isExprNode(param("p"))).toBe(false);
  });

  it("lists the roots of each definition", () => {
    const cond = t("x");
    expect(
      definitionRoots({
        kind: "score",
        name: "s",
        nameSpan: Z,
        span: Z,
        rules: [
          { kind: "if", points: 1, condition: cond, span: Z },
          { kind: "per", points: 1, value: field("n"), span: Z },
          { kind: "decay", points: 1, collection: field("e"), percent: 50, every: dur(1, "day"), by: field("at"), span: Z },
        ],
      }),
    ).toEqual([cond, field("n"), field("e"), dur(1, "day"), field("at")]);
    expect(
      definitionRoots({
        kind: "tiers",
        name: "v",
        nameSpan: Z,
        span: Z,
        by: field("x"),
        method: "thresholds",
        lines: [
          { name: "a", test: { op: ">=", value: num(1) }, span: Z },
          { name: "b", test: { op: "between", low: num(0), high: param("p") }, span: Z },
          { name: "c", span: Z },
        ],
      }),
    ).toEqual([field("x"), num(1), num(0), param("p")]);
    expect(definitionRoots({ kind: "lifecycle", name: "l", nameSpan: Z, span: Z, stages: [{ name: "a", span: Z }, { name: "b", condition: cond, span: Z }] })).toEqual([cond]);
  });
});
