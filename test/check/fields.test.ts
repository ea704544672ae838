import { describe, expect, it } from "vitest";
import { briefs, check, expected } from "./support/helpers.js";

function expectDiags(source: string, list: Parameters<typeof expected>[1]): void {
  expect(briefs(source)).toEqual(expected(source, list));
}

describe("field names", () => {
  it("field.unknown: points at the name, suggests a close one", () => {
    const src = 'sectr = "santé"';
    expect(briefs(src)).toEqual(["field.unknown@1:1-1:6+hint"]);
    expect(check(src).diagnostics[0]!.hint).toContain("`sector`");
  });

  it("field.unknown: ignores case and accents when suggesting", () => {
    expect(check('Sector = "santé"').diagnostics[0]!.hint).toContain("`sector`");
  });

  it("field.unknown: lists some fields when nothing is close", () => {
    const d = check("zzzzzzzz > 3").diagnostics[0]!;
    expect(d.code).toBe("field.unknown");
    expect(d.hint).toMatch(/`sector`, `region`/);
  });

  it("field.unknown in a nested object, with suggestions from that object", () => {
    const src = 'hq.contry = "FR"';
    expectDiags(src, [["field.unknown", "hq.contry"]]);
    expect(check(src).diagnostics[0]!.hint).toContain("`hq.country`");
  });

  it("prototype names are unknown fields, never properties", () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(check(`${name} = "x"`).diagnostics.map((d) => d.code)).toEqual(["field.unknown"]);
      expect(check(`hq.${name} = "x"`).diagnostics.map((d) => d.code)).toEqual(["field.unknown"]);
    }
  });

  it("field.not-object: a path through a scalar", () => {
    expectDiags('sector.name = "x"', [["field.not-object", "sector.name"]]);
    expectDiags("tech.length > 2", [["field.not-object", "tech.length"]]);
  });

  it("field.through-array: a path into an array of objects outside an aggregate or quantifier", () => {
    const src = "purchases.amount > 100";
    expectDiags(src, [["field.through-array", "purchases.amount"]]);
    const hint = check(src).diagnostics[0]!.hint!;
    expect(hint).toContain("any purchases where");
    expect(hint).toContain("sum(purchases.amount)");
  });

  it("inside `where`, names resolve against the element first, then outwards", () => {
    expect(briefs("any purchases where (amount > 100 and employees > 10)")).toEqual([]);
    expect(briefs("any events where (type = \"webinar\" and at within last 30 days)")).toEqual([]);
    const src = 'any purchases where (amout > 100)';
    expectDiags(src, [["field.unknown", "amout"]]);
    expect(check(src).diagnostics[0]!.hint).toContain("`amount`");
    expect(check(src).diagnostics[0]!.message).toContain("purchases");
  });

  it("a field of the element is not visible outside its `where`", () => {
    expectDiags("any purchases where (amount > 1) and amount > 2", [["field.unknown", "amount#1"]]);
  });

  it("reports the span on the right line and column in multi-line rules", () => {
    const src = 'sector = "santé"\n  and emploees > 10\n  and tech has "X"';
    expect(briefs(src)).toEqual(["field.unknown@2:7-2:15+hint"]);
  });
});
