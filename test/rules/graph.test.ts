import { describe, expect, it } from "vitest";
import { type Edge, dependencyOrder, findCycles } from "../../src/rules/graph.js";

const graph = (spec: Record<string, string[]>) =>
  new Map(Object.entries(spec).map(([k, v]) => [k, v.map((to): Edge<string> => ({ to, data: `${k}->${to}` }))]));

describe("cycles", () => {
  it("finds none in a DAG and orders dependencies first", () => {
    const g = graph({ a: ["b", "c"], b: ["c"], c: [] });
    expect(findCycles(["a", "b", "c"], g)).toEqual([]);
    expect(dependencyOrder(["a", "b", "c"], g)).toEqual(["c", "b", "a"]);
  });

  it("names every member of a cycle, in order, from the first defined", () => {
    const g = graph({ x: [], b: ["c"], c: ["a"], a: ["b"] });
    const cycles = findCycles(["x", "a", "b", "c"], g);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.path).toEqual(["a", "b", "c", "a"]);
    expect(cycles[0]!.firstEdge.data).toBe("a->b");
  });

  it("finds a self-reference", () => {
    const cycles = findCycles(["a"], graph({ a: ["a"] }));
    expect(cycles.map((c) => c.path)).toEqual([["a", "a"]]);
  });

  it("walks every member of a tangle", () => {
    const cycles = findCycles(["a", "b", "c"], graph({ a: ["b", "c"], b: ["a"], c: ["a"] }));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.members).toEqual(["a", "b", "c"]);
    expect(cycles[0]!.path).toEqual(["a", "b", "a", "c", "a"]);
  });

  it("reports separate cycles separately and ignores edges to unknown names", () => {
    const cycles = findCycles(["a", "b", "c", "d"], graph({ a: ["b", "zz"], b: ["a"], c: ["d"], d: ["c"] }));
    expect(cycles.map((c) => c.path)).toEqual([["a", "b", "a"], ["c", "d", "c"]]);
  });

  it("copes with a long chain without recursion", () => {
    const names = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    const g = new Map(names.map((n, i) => [n, i + 1 < names.length ? [{ to: names[i + 1]!, data: "" }] : []]));
    g.set(names[names.length - 1]!, [{ to: "n0", data: "" }]);
    const cycles = findCycles(names, g);
    expect(cycles[0]!.path.length).toBe(5001);
  });
});
