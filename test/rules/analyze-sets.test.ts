import { describe, expect, it } from "vitest";
import { WHOLE } from "../../src/errors/diagnostic.js";
import { reportFromMemberships } from "../../src/rules/analyze.js";
import { BitSet } from "../../src/rules/bitset.js";

const set = (total: number, members: number[]) => {
  const s = new BitSet(total);
  for (const m of members) s.add(m);
  return s;
};
const seg = (name: string, total: number, members: number[]) => ({ name, span: WHOLE, members: set(total, members) });

describe("analyze set arithmetic", () => {
  it("computes sizes, shares, Jaccard and records in no segment", () => {
    const r = reportFromMemberships([seg("a", 10, [0, 1, 2, 3]), seg("b", 10, [2, 3, 4, 5, 6, 7])], 10);
    expect(r.segments).toEqual([
      { name: "a", size: 4, share: 0.4 },
      { name: "b", size: 6, share: 0.6 },
    ]);
    expect(r.overlaps).toEqual([{ a: "a", b: "b", count: 2, jaccard: 2 / 8 }]);
    expect(r.unsegmented).toEqual({ count: 2, share: 0.2, indices: [8, 9] });
    expect(r.warnings).toEqual([]);
  });

  it("warns about empty, small, identical and nested segments, and too many", () => {
    const total = 200;
    const all = Array.from({ length: 100 }, (_, i) => i);
    const r = reportFromMemberships(
      [seg("empty", total, []), seg("tiny", total, [0]), seg("big", total, all), seg("twin", total, all), seg("part", total, all.slice(0, 50))],
      total,
      { maxSegments: 4 },
    );
    const codes = r.warnings.map((w) => [w.code, w.segments]);
    expect(codes).toEqual([
      ["rules.too-many-segments", ["empty", "tiny", "big", "twin", "part"]],
      ["rules.empty-segment", ["empty"]],
      ["rules.small-segment", ["tiny"]],
      ["rules.nested-segment", ["tiny", "big"]],
      ["rules.nested-segment", ["tiny", "twin"]],
      ["rules.nested-segment", ["tiny", "part"]],
      ["rules.identical-segments", ["big", "twin"]],
      ["rules.nested-segment", ["part", "big"]],
      ["rules.nested-segment", ["part", "twin"]],
    ]);
    expect(r.warnings.every((w) => w.severity === "warning")).toBe(true);
  });

  it("takes minSize over minShare and handles no records", () => {
    const r = reportFromMemberships([seg("a", 10, [0, 1])], 10, { minSize: 3 });
    expect(r.warnings.map((w) => w.code)).toEqual(["rules.small-segment"]);
    const none = reportFromMemberships([seg("a", 0, [])], 0);
    expect(none.segments[0]!.share).toBe(0);
    expect(none.unsegmented).toEqual({ count: 0, share: 0, indices: [] });
    expect(() => reportFromMemberships([], 1, { minShare: 2 })).toThrow(RangeError);
  });
});
