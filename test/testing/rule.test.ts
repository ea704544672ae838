import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AnyNode, ExprNode } from "../../src/index.js";
import { childrenOf, countNodes, forEachNode } from "../../src/ast/walk.js";
import { readSchema } from "../../src/schema/index.js";
import { ruleArbitrary, ruleNodeArbitrary } from "../../src/testing.js";
import { Contact as Example } from "../../examples/schema.js";
import { assertWellTypedRules } from "./__helpers__/assertions.js";
import { Contact, NOW } from "./__helpers__/fixtures.js";

/** The operator families a rule uses, finely: `compare:date:duration`, `has:all`, `aggregate:avg:where`… */
function features(root: ExprNode): Set<string> {
  const out = new Set<string>();
  forEachNode(root, (n: AnyNode) => {
    switch (n.kind) {
      case "compare": {
        const r = n.right.kind === "field" ? "field" : n.right.kind;
        out.add(`compare:${n.left.kind}:${r}`);
        if (n.alias) out.add(`alias:${n.alias}`);
        if (n.op === "<" || n.op === ">=") out.add(`op:${n.op}`);
        break;
      }
      case "between":
        out.add(`between:${n.low.kind}${n.negated ? ":not" : ""}`);
        break;
      case "in":
        out.add(`in${n.negated ? ":not" : ""}`);
        break;
      case "has":
        out.add(`has:${n.mode}`);
        break;
      case "text":
        out.add(`text:${n.op}${n.negated ? ":not" : ""}`);
        break;
      case "isSet":
      case "isEmpty":
        out.add(`${n.kind}${n.negated ? ":not" : ""}`);
        break;
      case "within":
        out.add(`within:${n.direction}`);
        break;
      case "quantifier":
        out.add(`quantifier:${n.quantifier}`);
        break;
      case "aggregate":
        out.add(`aggregate:${n.fn}${n.where ? ":where" : ""}`);
        break;
      case "instant":
        out.add(`instant:${n.direction}`);
        break;
      case "date":
        out.add(`date:${n.dateOnly ? "day" : "instant"}`);
        break;
      default:
        out.add(n.kind);
    }
    return undefined;
  });
  return out;
}

/** Nesting of connectives: and, or, not, quantifiers, aggregates' where. */
function connectiveDepth(n: AnyNode): number {
  const kids = childrenOf(n).map(connectiveDepth);
  const below = kids.length ? Math.max(...kids) : 0;
  const own = n.kind === "and" || n.kind === "or" || n.kind === "not" || n.kind === "quantifier" || (n.kind === "aggregate" && n.where) ? 1 : 0;
  return below + own;
}

describe("ruleArbitrary", () => {
  it("draws rules that pass check, in canonical form", () => {
    assertWellTypedRules(ruleArbitrary(Contact, { now: NOW }), Contact, { numRuns: 150, seed: 1 });
    assertWellTypedRules(ruleArbitrary(Example, { now: NOW }), Example, { numRuns: 100, seed: 2 });
  });

  it("covers every operator of the language", () => {
    const seen = new Set<string>();
    for (const n of fc.sample(ruleNodeArbitrary(Contact, { now: NOW }), { seed: 3, numRuns: 1500 })) for (const f of features(n)) seen.add(f);
    const expected = [
      "and", "or", "not", "truthy", "op:<", "op:>=",
      "compare:field:number", "compare:field:string", "compare:field:boolean", "compare:field:date",
      "compare:field:duration", "compare:field:instant", "compare:field:field", "alias:before", "alias:after",
      "between:number", "between:number:not", "between:date", "between:duration", "between:instant",
      "in", "in:not", "has:one", "has:any", "has:all", "has:none",
      "text:contains", "text:startsWith", "text:endsWith", "text:foldEquals", "text:contains:not", "text:foldEquals:not",
      "isSet", "isSet:not", "isEmpty", "isEmpty:not", "within:last", "within:next",
      "quantifier:any", "quantifier:all", "quantifier:none",
      "aggregate:count", "aggregate:count:where", "aggregate:sum", "aggregate:avg", "aggregate:min", "aggregate:max",
      "aggregate:sum:where", "instant:ago", "instant:fromNow", "date:day", "date:instant",
      "compare:aggregate:number",
    ];
    expect(expected.filter((f) => !seen.has(f))).toEqual([]);
    expect([...seen].some((f) => f.startsWith("param") || f.startsWith("ref"))).toBe(false);
  });

  it("bounds the depth", () => {
    for (const maxDepth of [0, 1, 2]) {
      for (const n of fc.sample(ruleNodeArbitrary(Contact, { now: NOW, maxDepth }), { seed: 4, numRuns: 200 })) {
        expect(connectiveDepth(n)).toBeLessThanOrEqual(maxDepth);
      }
    }
  });

  it("shrinks towards small rules", () => {
    const result = fc.check(
      fc.property(ruleNodeArbitrary(Contact, { now: NOW }), (n) => !features(n).has("or")),
      { seed: 5, numRuns: 300 },
    );
    expect(result.failed).toBe(true);
    const shrunk = result.counterexample![0];
    expect(shrunk.kind).toBe("or");
    expect(countNodes(shrunk)).toBeLessThanOrEqual(9);
  });

  it("leaves out the families it is told to", () => {
    const arb = ruleNodeArbitrary(Contact, { now: NOW, exclude: ["quantifier", "aggregate", "text", "or"] });
    for (const n of fc.sample(arb, { seed: 6, numRuns: 300 })) {
      const f = [...features(n)];
      expect(f.filter((x) => x.startsWith("quantifier") || x.startsWith("aggregate") || x.startsWith("text") || x === "or")).toEqual([]);
    }
  });

  it("works from a bare SchemaModel", () => {
    assertWellTypedRules(ruleArbitrary(readSchema(Contact), { now: NOW, maxDepth: 1 }), Contact, { numRuns: 40, seed: 7 });
  });
});
