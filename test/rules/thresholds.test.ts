import { describe, expect, it } from "vitest";
import { covers, coversAll, testIntervals, union } from "../../src/rules/thresholds.js";

describe("threshold reachability", () => {
  it("sees that >= 20k takes every value of >= 100k", () => {
    const above = union(testIntervals({ op: ">=", value: 20_000 }));
    expect(covers(above, testIntervals({ op: ">=", value: 100_000 }))).toBe(true);
    expect(covers(union(testIntervals({ op: ">=", value: 100_000 })), testIntervals({ op: ">=", value: 20_000 }))).toBe(false);
  });
  it("joins < x and >= x into every number, but not < x and > x", () => {
    expect(coversAll(union([...testIntervals({ op: "<", value: 5 }), ...testIntervals({ op: ">=", value: 5 })]))).toBe(true);
    expect(coversAll(union([...testIntervals({ op: "<", value: 5 }), ...testIntervals({ op: ">", value: 5 })]))).toBe(false);
    expect(coversAll(union(testIntervals({ op: "!=", value: 5 })))).toBe(false);
  });
  it("handles between and equality", () => {
    const b = union(testIntervals({ op: "between", low: 1, high: 10 }));
    expect(covers(b, testIntervals({ op: "=", value: 10 }))).toBe(true);
    expect(covers(b, testIntervals({ op: "=", value: 11 }))).toBe(false);
  });
});
