import { describe, expect, it } from "vitest";
import { type Expected, briefs, check, expected } from "./support/helpers.js";

function expectDiags(source: string, list: readonly Expected[]): void {
  expect(briefs(source)).toEqual(expected(source, list));
}

describe("lint.nullable-negation", () => {
  it("negative operators on a nullable or optional field: a warning at the field, hinting `or f is not set`", () => {
    const src = 'region != "nord"';
    expectDiags(src, [["!lint.nullable-negation", "region"]]);
    const d = check(src).diagnostics[0]!;
    expect(d.severity).toBe("warning");
    expect(d.message).toContain("`region`");
    expect(d.hint).toBe("add `or region is not set` to include them");
  });

  it("for not, !=, not in, not contains, not between, has none, nested optional steps", () => {
    expectDiags('not (region = "nord")', [["!lint.nullable-negation", "region"]]);
    expectDiags('city not in ["Paris"]', [["!lint.nullable-negation", "city"]]);
    expectDiags('city not contains "x"', [["!lint.nullable-negation", "city"]]);
    expectDiags("revenue not between 1 and 2", [["!lint.nullable-negation", "revenue"]]);
    expectDiags('tags has none ["vip"]', [["!lint.nullable-negation", "tags"]]);
    expectDiags("not emailConsent", [["!lint.nullable-negation", "emailConsent"]]);
    expectDiags('hq.city != "Paris"', [["!lint.nullable-negation", "hq.city"]]);
  });

  it("not for required fields, positive tests, double negations, `is set`, or inside `where`", () => {
    expect(briefs('sector != "santé" and not unsubscribed and tech has none ["x"]')).toEqual([]);
    expect(briefs('region = "nord" and city contains "x" and revenue > 3')).toEqual([]);
    expect(briefs('not (region != "nord")')).toEqual([]);
    expect(briefs("not (city is set) and revenue is not set")).toEqual([]);
    expect(briefs('region != "nord" or region is not set').length).toBe(1);
  });

  it("warns once per field", () => {
    expectDiags('region != "nord" and region != "sud"', [["!lint.nullable-negation", "region"]]);
  });
});

describe("other lints", () => {
  it("lint.empty-range: bounds in the wrong order", () => {
    expectDiags("employees between 100 and 10", [["!lint.empty-range", "employees between 100 and 10"]]);
    expectDiags("lastVisit between 1 year and 6 months", [["!lint.empty-range", "lastVisit between 1 year and 6 months"]]);
    expectDiags("lastVisit between 2024-12-31 and 2024-01-01", [["!lint.empty-range", "lastVisit between 2024-12-31 and 2024-01-01"]]);
    expect(briefs("lastVisit between 12 months and 1 year and lastVisit between 1 week and 7 days and employees between 5 and 5")).toEqual([]);
    expect(briefs("lastVisit between 30 days and 1 month")).toEqual([]);
  });

  it("lint.empty-list: `in []` and `has any []` match nothing", () => {
    expectDiags("employees in []", [["!lint.empty-list", "[]"]]);
    expectDiags("tech has any []", [["!lint.empty-list", "[]"]]);
    expect(briefs("employees not in [] and tech has all []")).toEqual([]);
  });
});

describe("every problem is reported, in source order", () => {
  it("several errors in one rule", () => {
    const src = 'sectr = "santé" and employees contains "x" and sector = "sante" and lastPurchase = 6 months and $a = $b';
    expectDiags(src, [
      ["field.unknown", "sectr"],
      ["type.operator", 'employees contains "x"'],
      ["enum.unknown-value", '"sante"'],
      ["type.duration-equality", "6 months"],
      ["param.untyped", "$a"],
      ["param.untyped", "$b"],
    ]);
  });

  it("errors and warnings together, across lines and inside `where`", () => {
    const src = [
      'region != "nord"',
      "  and any purchases where (amout > 100 and status = \"payed\")",
      "  and count(purchases where date < 12 months) > \"3\"",
    ].join("\n");
    expect(briefs(src)).toEqual([
      "!lint.nullable-negation@1:1-1:7+hint",
      "field.unknown@2:28-2:33+hint",
      "enum.unknown-value@2:53-2:60+hint",
      "type.mismatch@3:49-3:52+hint",
    ]);
  });

  it("one mistake gives one diagnostic (no cascade)", () => {
    expectDiags("sectr in $codes and emploees between $a and $b", [
      ["field.unknown", "sectr"],
      ["field.unknown", "emploees"],
    ]);
    expectDiags("any purchses where (amount > 1 and $x = label)", [["field.unknown", "purchses"]]);
  });
});
