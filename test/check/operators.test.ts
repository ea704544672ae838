import { describe, expect, it } from "vitest";
import { type Expected, Account, brief, briefs, check, expected, parse } from "./support/helpers.js";
import type { ExprNode } from "../../src/ast/nodes.js";
import { checkExpression } from "../../src/check/check.js";
import { readSchema } from "../../src/schema/read.js";

function expectDiags(source: string, list: readonly Expected[]): void {
  expect(briefs(source)).toEqual(expected(source, list));
}

function messageOf(source: string): string {
  return check(source).diagnostics[0]!.message;
}

describe("type.operator: the operator does not fit the field's type", () => {
  it("names the operator and the field's type in the author's terms; points at the predicate", () => {
    const src = 'sector = "santé" and employees contains "x"';
    expectDiags(src, [["type.operator", 'employees contains "x"']]);
    expect(messageOf(src)).toBe("`contains` works on text, but `employees` is a number.");
  });

  it("text operators on enums and lists of text, with the operator that fits as hint", () => {
    expectDiags('sector contains "san"', [["type.operator", 'sector contains "san"']]);
    expect(check('sector contains "san"').diagnostics[0]!.hint).toContain('sector = "san"');
    expectDiags('tech starts with "x"', [["type.operator", 'tech starts with "x"']]);
    expect(check('tech starts with "x"').diagnostics[0]!.hint).toContain('tech has "x"');
    expectDiags('employees ~= "x"', [["type.operator", 'employees ~= "x"']]);
    expectDiags('lastVisit not ends with "x"', [["type.operator", 'lastVisit not ends with "x"']]);
  });

  it("ordering on text, booleans and lists", () => {
    expectDiags('name < "b"', [["type.operator", 'name < "b"']]);
    expectDiags("unsubscribed >= true", [["type.operator", "unsubscribed >= true"]]);
    expectDiags("tech > 3", [["type.operator", "tech > 3"]]);
    expect(check("tech > 3").diagnostics[0]!.hint).toContain("count(tech)");
  });

  it("`=` on a list of scalars suggests `has`; on a list of objects `count`/`any`; on an object one of its fields", () => {
    expectDiags('tech = "X"', [["type.operator", 'tech = "X"']]);
    expect(check('tech = "X"').diagnostics[0]!.hint).toContain('tech has "X"');
    expectDiags("purchases = 3", [["type.operator", "purchases = 3"]]);
    expect(check("purchases = 3").diagnostics[0]!.hint).toContain("count(purchases)");
    expectDiags('hq = "FR"', [["type.operator", 'hq = "FR"']]);
    expect(check('hq = "FR"').diagnostics[0]!.hint).toContain("hq.country");
  });

  it("`between` on numbers and dates only", () => {
    expectDiags('name between "a" and "m"', [["type.operator", 'name between "a" and "m"']]);
    expectDiags('grade not between "D" and "B"', [["type.operator", 'grade not between "D" and "B"']]);
    expect(check('grade between "D" and "B"').diagnostics[0]!.hint).toContain("grade >=");
  });

  it("`in` on text, numbers and enums only", () => {
    expectDiags("unsubscribed in [true]", [["type.operator", "unsubscribed in [true]"]]);
    expectDiags('tech in ["a"]', [["type.operator", 'tech in ["a"]']]);
    expect(check('tech in ["a"]').diagnostics[0]!.hint).toContain("tech has any");
    expectDiags("lastVisit not in [2024-01-01]", [["type.operator", "lastVisit not in [2024-01-01]"]]);
  });

  it("`has` on arrays of text, numbers and enums only", () => {
    expectDiags('name has "x"', [["type.operator", 'name has "x"']]);
    expect(check('name has "x"').diagnostics[0]!.hint).toContain('name contains "x"');
    expectDiags('sector has "santé"', [["type.operator", 'sector has "santé"']]);
    expectDiags('purchases has any ["x"]', [["type.operator", 'purchases has any ["x"]']]);
    expect(check('purchases has "x"').diagnostics[0]!.hint).toContain("any purchases where");
  });

  it("`is empty` on arrays and text only; `is set` on anything", () => {
    expectDiags("employees is empty", [["type.operator", "employees is empty"]]);
    expectDiags("lastVisit is not empty", [["type.operator", "lastVisit is not empty"]]);
    expect(briefs('tech is empty and name is not empty and purchases is empty')).toEqual([]);
    expect(briefs("employees is set and hq is set and purchases is not set and tags is set and hq.city is not set")).toEqual([]);
  });

  it("`within` on dates only", () => {
    expectDiags("employees within last 30 days", [["type.operator", "employees within last 30 days"]]);
  });

  it("quantifiers on arrays of objects only", () => {
    expectDiags('any tech where (x = "a")', [["type.operator", 'any tech where (x = "a")']]);
    expect(check('any tech where (x = "a")').diagnostics[0]!.hint).toContain("tech has any");
    expectDiags("all employees where (x > 1)", [["type.operator", "all employees where (x > 1)"]]);
  });

  it("`before`/`after` on dates only", () => {
    expectDiags("employees before 3", [["type.operator", "employees before 3"]]);
    expectDiags("employees after 3", [["type.operator", "employees after 3"]]);
  });
});

describe("type.not-boolean: a field alone must be a boolean", () => {
  it("points at the field and suggests a test", () => {
    const src = 'sector = "santé" and employees';
    expectDiags(src, [["type.not-boolean", "employees"]]);
    const hint = check(src).diagnostics[0]!.hint!;
    expect(hint).toContain("employees is set");
    expect(hint).toContain("employees > 0");
  });

  it("for every non-boolean kind", () => {
    for (const f of ["name", "sector", "lastVisit", "tech", "hq", "purchases"]) {
      expectDiags(`not ${f}`, [["type.not-boolean", f]]);
    }
  });

  it("boolean fields, optional ones included, stand alone", () => {
    expect(briefs("unsubscribed and demoRequested")).toEqual([]);
  });
});

describe("type.mismatch: the value does not fit the field", () => {
  it("literal types vs field types, pointing at the value", () => {
    expectDiags('employees = "abc"', [["type.mismatch", '"abc"', false]]);
    expect(messageOf('employees = "abc"')).toBe('`employees` is a number, but `"abc"` is text.');
    expectDiags("sector = 3", [["type.mismatch", "3"]]);
    expectDiags("name = 12", [["type.mismatch", "12"]]);
    expectDiags('unsubscribed = "yes"', [["type.mismatch", '"yes"', false]]);
    expectDiags("employees = true", [["type.mismatch", "true", false]]);
  });

  it("hints at quotes when the value is right but quoted (or unquoted)", () => {
    expect(check('employees > "50"').diagnostics[0]!.hint).toBe("write the number without quotes: `50`");
    expect(check('lastVisit > "2024-01-01"').diagnostics[0]!.hint).toContain("without quotes: `2024-01-01`");
    expect(check('unsubscribed = "true"').diagnostics[0]!.hint).toContain("`true` without quotes");
    expect(check("name = 75001").diagnostics[0]!.hint).toContain('"75001"');
  });

  it("field-to-field comparisons need the same type", () => {
    expect(briefs("employees > orders and name = role and lastVisit < lastPurchase")).toEqual([]);
    expectDiags("employees = name", [["type.mismatch", "name", false]]);
    expectDiags("lastVisit > employees", [["type.mismatch", "employees"]]);
    expectDiags("sector = employees", [["type.mismatch", "employees", false]]);
  });

  it("a list where one value is expected", () => {
    expectDiags('sector = ["santé"]', [["type.mismatch", '["santé"]']]);
    expect(check('sector = ["santé"]').diagnostics[0]!.hint).toContain("sector in");
    expectDiags('tech has ["a", "b"]', [["type.mismatch", '["a", "b"]']]);
    expect(check('tech has ["a", "b"]').diagnostics[0]!.hint).toContain("tech has any");
  });

  it("a single value where a list is expected (an AST from fromAST: the parser refuses it)", () => {
    const src = 'tech has any ["a"]';
    const written = parse(src);
    if (written.kind !== "has" || written.value.kind !== "list") throw new Error("unexpected");
    const body: ExprNode = { ...written, value: written.value.items[0]! };
    const r = checkExpression(body, readSchema(Account));
    expect(r.diagnostics.map(brief)).toEqual(expected(src, [["type.mismatch", '"a"']]));
  });

  it("list items that do not fit, each at its own span", () => {
    expectDiags('employees in [1, "two", 3, "four"]', [
      ["type.mismatch", '"two"', false],
      ["type.mismatch", '"four"', false],
    ]);
    expectDiags("tech has any [1, 2]", [
      ["type.mismatch", "1"],
      ["type.mismatch", "2"],
    ]);
    expectDiags('scores has "a"', [["type.mismatch", '"a"', false]]);
  });

  it("text operators need text values", () => {
    expectDiags("name contains 3", [["type.mismatch", "3"]]);
  });

  it("aggregates are numbers", () => {
    expectDiags('count(purchases) = "x"', [["type.mismatch", '"x"', false]]);
    expectDiags("count(tech) > 1 month", [["type.mismatch", "1 month"]]);
  });
});

describe("type.no-field: a comparison must read the record", () => {
  it("two literals", () => {
    expectDiags("1 = 1", [["type.no-field", "1 = 1"]]);
    expectDiags('"a" in ["a"] or employees > 1', [["type.no-field", '"a" in ["a"]']]);
  });

  it("a value on the left is fine when a field is on the right", () => {
    expect(briefs("3 < employees and 2024-01-01 < lastVisit")).toEqual([]);
    expectDiags('"x" = sector', [["enum.unknown-value", '"x"']]);
  });
});

describe("aggregates", () => {
  it("count on any array; count(P where e) on arrays of objects; sum/avg/min/max on numbers", () => {
    expect(
      briefs(
        "count(tech) > 2 and count(purchases) >= 1 and count(purchases where amount > 100) >= 2 and sum(scores) > 10 and avg(purchases.amount) > 3 and min(purchases.amount where status = \"paid\") > 0 and max(scores) < 100",
      ),
    ).toEqual([]);
  });

  it("type.aggregate: on a non-array, at the path", () => {
    expectDiags("sum(employees) > 1", [["type.aggregate", "employees", false]]);
    expectDiags("count(hq) > 1", [["type.aggregate", "hq", false]]);
  });

  it("type.aggregate: sum of objects needs a field; of text is refused", () => {
    expectDiags("sum(purchases) > 1", [["type.aggregate", "purchases"]]);
    expect(check("sum(purchases) > 1").diagnostics[0]!.hint).toContain("sum(purchases.amount)");
    expectDiags("avg(tech) > 1", [["type.aggregate", "tech"]]);
    expectDiags("max(purchases.label) > 1", [["type.aggregate", "purchases.label"]]);
  });

  it("type.aggregate: count of a field; where on scalars", () => {
    expectDiags("count(purchases.amount) > 1", [["type.aggregate", "purchases.amount"]]);
    expectDiags('count(tech where x = "a") > 1', [["type.aggregate", "tech"]]);
  });

  it("unknown names in an aggregate's path and `where`", () => {
    expectDiags("count(purchase) > 1", [["field.unknown", "purchase"]]);
    expectDiags("sum(purchases.amout) > 1", [["field.unknown", "purchases.amout"]]);
    expectDiags("count(purchases where amout > 1) > 1", [["field.unknown", "amout"]]);
    expectDiags("sum(tech.x) > 1", [["field.not-object", "tech.x"]]);
  });
});
