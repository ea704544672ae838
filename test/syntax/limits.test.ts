import { describe, expect, it } from "vitest";
import { parseExpression, parseRules } from "../../src/syntax/index.js";
import { errors, rulesErrors, where } from "./helpers.js";

const big = { maxSourceLength: 10_000_000 };

describe("source length", () => {
  it("is checked first, with a span from the limit to the end", () => {
    const ds = errors("a = 1 and b = 2", { limits: { maxSourceLength: 5 } });
    expect(ds).toHaveLength(1);
    expect(ds[0]!.code).toBe("limit.source-length");
    expect([ds[0]!.span.start.offset, ds[0]!.span.end.offset]).toEqual([5, 15]);
    expect(parseExpression("a = 1", { limits: { maxSourceLength: 5 } }).doc).toBeDefined();
  });

  it("defaults to 100,000", () => {
    expect(where(errors(`a${" ".repeat(100_000)}`))).toEqual(["limit.source-length@1:100001"]);
  });
});

describe("nesting depth (counted on tokens, before parsing)", () => {
  it("100,000 nested parentheses: limit.depth, no crash", () => {
    const src = `${"(".repeat(100_000)}a${")".repeat(100_000)}`;
    const ds = errors(src, { limits: big });
    expect(ds).toHaveLength(1);
    expect(ds[0]!.code).toBe("limit.depth");
    expect(ds[0]!.span.start.offset).toBe(64); // the 65th `(`
  });

  it("100,000 `not`s: limit.depth by default; parsed iteratively (no recursion) when allowed", () => {
    const src = `${"not ".repeat(100_000)}a`;
    expect(where(errors(src, { limits: big }))).toEqual(["limit.depth@1:257"]);
    const r = parseExpression(src, { limits: { ...big, maxDepth: 200_000, maxNodes: 200_000 } });
    expect(r.diagnostics).toEqual([]);
    let depth = 0;
    let node = r.doc!.body;
    while (node.kind === "not") {
      depth++;
      node = node.operand;
    }
    expect(depth).toBe(100_000);
    expect(node.kind).toBe("truthy");
  });

  it("a parse too deep for the stack is a diagnostic, never a throw", () => {
    const src = `${"(".repeat(50_000)}a${")".repeat(50_000)}`;
    const r = parseExpression(src, { limits: { ...big, maxDepth: 1_000_000 } });
    expect(r.doc).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["limit.depth"]);
  });

  it("counts parentheses, brackets, nots and quantifiers; exactly at the limit is fine", () => {
    expect(parseExpression("((((a))))", { limits: { maxDepth: 4 } }).doc).toBeDefined();
    expect(where(errors("((((a))))", { limits: { maxDepth: 3 } }))).toEqual(["limit.depth@1:4"]);
    expect(parseExpression("not not not a", { limits: { maxDepth: 3 } }).doc).toBeDefined();
    expect(where(errors("not (not not a)", { limits: { maxDepth: 3 } }))).toEqual(["limit.depth@1:10"]);
    expect(where(errors("any p where (any q where (x))", { limits: { maxDepth: 3 } }))).toEqual(["limit.depth@1:26"]);
    expect(parseExpression("x in [1]", { limits: { maxDepth: 1 } }).doc).toBeDefined();
    expect(where(errors("(x in [1])", { limits: { maxDepth: 1 } }))).toEqual(["limit.depth@1:7"]);
  });

  it("a term's nots end with it: siblings do not add up", () => {
    const src = Array.from({ length: 100 }, (_, i) => `not x${i}`).join(" and ");
    expect(parseExpression(src, { limits: { maxDepth: 2 } }).doc).toBeDefined();
    expect(parseExpression("x not in [1] and y not between 1 and 2", { limits: { maxDepth: 1 } }).doc).toBeDefined();
  });

  it("in rules files each line and definition starts again", () => {
    const lines = Array.from({ length: 50 }, (_, i) => `  +1 if ((x${i}))`).join("\n");
    expect(parseRules(`score s:\n${lines}`, { limits: { maxDepth: 2 } }).doc).toBeDefined();
    expect(where(parseRules("segment a: (((x", { limits: { maxDepth: 2 } }).diagnostics)).toEqual(["limit.depth@1:14"]);
  });

  it("deep input in a rules file", () => {
    const r = parseRules(`segment a: ${"(".repeat(100_000)}`, { limits: big });
    expect(r.diagnostics.map((d) => d.code)).toEqual(["limit.depth"]);
  });
});

describe("list length and node count", () => {
  it("limit.list-length on the list", () => {
    const ds = errors("x in [1, 2, 3, 4]", { limits: { maxListLength: 3 } });
    expect(where(ds)).toEqual(["limit.list-length@1:6"]);
    expect([ds[0]!.span.start.offset, ds[0]!.span.end.offset]).toEqual([5, 17]);
    expect(parseExpression("x in [1, 2, 3]", { limits: { maxListLength: 3 } }).doc).toBeDefined();
  });

  it("a long list with the default limits", () => {
    const items = Array.from({ length: 10_001 }, (_, i) => i).join(",");
    expect(errors(`x in [${items}]`).map((d) => d.code)).toEqual(["limit.list-length"]);
  });

  it("limit.nodes", () => {
    expect(errors("a and b and c", { limits: { maxNodes: 3 } }).map((d) => d.code)).toEqual(["limit.nodes"]);
    expect(parseExpression("a and b and c", { limits: { maxNodes: 7 } }).doc).toBeDefined();
  });

  it("limit.nodes points at the token where the count crosses the limit", () => {
    // nodes in the order they are completed: x, 1, x = 1, y, 2, y = 2, the `and`
    const at = (maxNodes: number) => errors("x = 1 and\n  y = 22", { limits: { maxNodes } }).map((d) => `${d.code}@${d.span.start.line}:${d.span.start.column}-${d.span.end.column}`);
    expect(at(1)).toEqual(["limit.nodes@1:5-6"]);
    expect(at(3)).toEqual(["limit.nodes@2:3-4"]);
    expect(at(4)).toEqual(["limit.nodes@2:7-9"]);
    expect(at(6)).toEqual(["limit.nodes@2:7-9"]);
    expect(parseExpression("x = 1 and\n  y = 22", { limits: { maxNodes: 7 } }).doc).toBeDefined();
    expect(where(rulesErrors("segment a:\n  x\nsegment b:\n  count(p where q) > 1", { limits: { maxNodes: 2 } }))).toEqual(["limit.nodes@4:9"]);
  });
});

describe("many mistakes", () => {
  it("stops after 100 diagnostics with syntax.too-many-errors, and the parser is fine afterwards", () => {
    const ds = errors(`a${".".repeat(5000)}`);
    expect(ds).toHaveLength(101);
    expect(ds[100]!.code).toBe("syntax.too-many-errors");
    const lexical = errors("€ ".repeat(500));
    expect(lexical).toHaveLength(101);
    expect(parseExpression("a = 1").doc).toBeDefined();
    expect(parseRules("segment s: a").doc).toBeDefined();
  });

  it("a rules file with a mistake on every line", () => {
    const src = `score s:\n${"  +1 if x =\n".repeat(500)}`;
    const ds = parseRules(src).diagnostics;
    expect(ds).toHaveLength(101);
    expect(ds.slice(0, 3).map((d) => d.span.start.line)).toEqual([2, 3, 4]);
  });
});

describe("limit options", () => {
  it("invalid limits throw a RangeError (and only they do)", () => {
    expect(() => parseExpression("a", { limits: { maxDepth: 0 } })).toThrow(RangeError);
    expect(() => parseRules("a", { limits: { maxNodes: Number.NaN } })).toThrow(RangeError);
    expect(() => parseExpression("a", { limits: { maxListLength: 1.5 } })).toThrow(RangeError);
  });
});
