import { describe, expect, it } from "vitest";
import { parseExpression } from "../../src/syntax/index.js";
import { AST_VERSION } from "../../src/ast/nodes.js";
import { body, bool, cmp, dur, f, num, str, truthy } from "./helpers.js";

describe("comparisons", () => {
  it.each([
    ["=", "="],
    ["!=", "!="],
    ["<", "<"],
    ["<=", "<="],
    [">", ">"],
    [">=", ">="],
  ])("f %s v", (written, op) => {
    expect(body(`employees ${written} 50`)).toEqual(cmp(f("employees"), op, num(50)));
  });

  it("keeps before/after as < / > with the alias", () => {
    expect(body("signup before 2024-01-15")).toEqual({
      kind: "compare",
      op: "<",
      alias: "before",
      left: f("signup"),
      right: { kind: "date", text: "2024-01-15", dateOnly: true },
    });
    expect(body("signup after 6 months ago")).toEqual({
      kind: "compare",
      op: ">",
      alias: "after",
      left: f("signup"),
      right: { kind: "instant", direction: "ago", duration: dur(6, "month") },
    });
  });

  it("compares fields with fields, params and refs", () => {
    expect(body("a.b >= c.d")).toEqual(cmp(f("a", "b"), ">=", f("c", "d")));
    expect(body("employees >= $min")).toEqual(cmp(f("employees"), ">=", { kind: "param", name: "min" }));
    expect(body("@lead >= 50")).toEqual(cmp({ kind: "ref", name: "lead" }, ">=", num(50)));
    expect(body('@stage >= "evaluation"')).toEqual(cmp({ kind: "ref", name: "stage" }, ">=", str("evaluation")));
  });

  it("reads booleans", () => {
    expect(body("active = true")).toEqual(cmp(f("active"), "=", bool(true)));
    expect(body("active != FALSE")).toEqual(cmp(f("active"), "!=", bool(false)));
  });
});

describe("between, in, has, text, is", () => {
  it("between takes exactly one `and`", () => {
    expect(body("employees between 50 and 5000 and active")).toEqual({
      kind: "and",
      operands: [
        { kind: "between", negated: false, subject: f("employees"), low: num(50), high: num(5000) },
        truthy(f("active")),
      ],
    });
    expect(body("lastPurchase not between 3 months and 6 months")).toEqual({
      kind: "between",
      negated: true,
      subject: f("lastPurchase"),
      low: dur(3, "month"),
      high: dur(6, "month"),
    });
  });

  it("in / not in a list or a param", () => {
    expect(body('role in ["CEO", "CTO"]')).toEqual({
      kind: "in",
      negated: false,
      subject: f("role"),
      list: { kind: "list", items: [str("CEO"), str("CTO")] },
    });
    expect(body("role not in $roles")).toEqual({
      kind: "in",
      negated: true,
      subject: f("role"),
      list: { kind: "param", name: "roles" },
    });
    expect(body("x in []")).toMatchObject({ list: { kind: "list", items: [] } });
    expect(body("x in [1, -2.5, true, 2024-01-15,]")).toMatchObject({
      list: { items: [num(1), num(-2.5), bool(true), { kind: "date", text: "2024-01-15", dateOnly: true }] },
    });
  });

  it("has, has any / all / none", () => {
    expect(body('tech has "X"')).toEqual({ kind: "has", mode: "one", subject: f("tech"), value: str("X") });
    for (const mode of ["any", "all", "none"]) {
      expect(body(`tech has ${mode} ["a", "b"]`)).toEqual({
        kind: "has",
        mode,
        subject: f("tech"),
        value: { kind: "list", items: [str("a"), str("b")] },
      });
    }
    expect(body("tech has any $wanted")).toMatchObject({ mode: "any", value: { kind: "param", name: "wanted" } });
  });

  it.each([
    ['name contains "group"', "contains", false],
    ['name not contains "group"', "contains", true],
    ['name starts with "group"', "startsWith", false],
    ['name not starts with "group"', "startsWith", true],
    ['name ends with "group"', "endsWith", false],
    ['name not ends with "group"', "endsWith", true],
    ['name ~= "group"', "foldEquals", false],
    ['name not ~= "group"', "foldEquals", true],
  ])("%s", (source, op, negated) => {
    expect(body(source)).toEqual({ kind: "text", op, negated, subject: f("name"), value: str("group") });
  });

  it.each([
    ["website is set", "isSet", false],
    ["website is not set", "isSet", true],
    ["tags is empty", "isEmpty", false],
    ["tags is not empty", "isEmpty", true],
  ])("%s", (source, kind, negated) => {
    expect(body(source)).toEqual({ kind, negated, subject: f(source.split(" ")[0]!) });
  });

  it("within last / next", () => {
    expect(body("lastVisit within last 30 days")).toEqual({
      kind: "within",
      direction: "last",
      subject: f("lastVisit"),
      duration: dur(30, "day"),
    });
    expect(body("renewal within next 2 weeks")).toMatchObject({ direction: "next", duration: dur(2, "week") });
  });
});

describe("boolean structure", () => {
  it("a boolean field, @ref or $param alone is truthy", () => {
    expect(body("emailConsent")).toEqual(truthy(f("emailConsent")));
    expect(body("@decideursSante")).toEqual(truthy({ kind: "ref", name: "decideursSante" }));
    expect(body("$flag")).toEqual(truthy({ kind: "param", name: "flag" }));
  });

  it("flattens same-operator chains, keeps parenthesised chains nested, drops other parentheses", () => {
    expect(body("a and b and c")).toEqual({ kind: "and", operands: [truthy(f("a")), truthy(f("b")), truthy(f("c"))] });
    expect(body("a or b or c")).toEqual({ kind: "or", operands: [truthy(f("a")), truthy(f("b")), truthy(f("c"))] });
    expect(body("(a and b) and c")).toEqual({
      kind: "and",
      operands: [{ kind: "and", operands: [truthy(f("a")), truthy(f("b"))] }, truthy(f("c"))],
    });
    expect(body("((a))")).toEqual(truthy(f("a")));
    expect(body("(x = 1)")).toEqual(cmp(f("x"), "=", num(1)));
  });

  it("and binds tighter than or; not tighter than and", () => {
    expect(body("a or b and c")).toEqual({
      kind: "or",
      operands: [truthy(f("a")), { kind: "and", operands: [truthy(f("b")), truthy(f("c"))] }],
    });
    expect(body("not a and b")).toEqual({
      kind: "and",
      operands: [{ kind: "not", operand: truthy(f("a")) }, truthy(f("b"))],
    });
    expect(body("not (a or b)")).toEqual({
      kind: "not",
      operand: { kind: "or", operands: [truthy(f("a")), truthy(f("b"))] },
    });
  });

  it("parses not not … as nested nots", () => {
    expect(body("not not not a")).toEqual({
      kind: "not",
      operand: { kind: "not", operand: { kind: "not", operand: truthy(f("a")) } },
    });
  });

  it("a prefix not applies to the whole predicate", () => {
    expect(body('not sector = "santé"')).toEqual({ kind: "not", operand: cmp(f("sector"), "=", str("santé")) });
  });
});

describe("quantifiers and aggregates", () => {
  it.each(["any", "all", "none"])("%s P where (e)", (q) => {
    expect(body(`${q} purchases where (amount > 100 and paid)`)).toEqual({
      kind: "quantifier",
      quantifier: q,
      collection: f("purchases"),
      where: { kind: "and", operands: [cmp(f("amount"), ">", num(100)), truthy(f("paid"))] },
    });
  });

  it("count(P), count(P where e), sum/avg/min/max(P.x where e)", () => {
    expect(body("count(purchases) > 3")).toEqual(
      cmp({ kind: "aggregate", fn: "count", path: ["purchases"] }, ">", num(3)),
    );
    expect(body("count(purchases where amount > 100) >= 2")).toEqual(
      cmp(
        { kind: "aggregate", fn: "count", path: ["purchases"], where: cmp(f("amount"), ">", num(100)) },
        ">=",
        num(2),
      ),
    );
    for (const fn of ["sum", "avg", "min", "max"]) {
      expect(body(`${fn}(purchases.amount where date < 12 months) > 1k`)).toEqual(
        cmp(
          { kind: "aggregate", fn, path: ["purchases", "amount"], where: cmp(f("date"), "<", dur(12, "month")) },
          ">",
          num(1000),
        ),
      );
    }
  });

  it("an aggregate keeps the span of its path", () => {
    const doc = parseExpression("sum(p.amount) > 1").doc!;
    const agg = (doc.body as { left: { pathSpan: { start: { offset: number }; end: { offset: number } } } }).left;
    expect([agg.pathSpan.start.offset, agg.pathSpan.end.offset]).toEqual([4, 12]);
  });
});

describe("soft keywords are field names wherever a field may stand", () => {
  it("count > 3 is the field, count( the aggregate", () => {
    expect(body("count > 3")).toEqual(cmp(f("count"), ">", num(3)));
    expect(body("count(count) > count")).toEqual(
      cmp({ kind: "aggregate", fn: "count", path: ["count"] }, ">", f("count")),
    );
  });

  it("type, date, at, months, score… as fields", () => {
    expect(body('type = "webinar"')).toEqual(cmp(f("type"), "=", str("webinar")));
    expect(body("date < 12 months")).toEqual(cmp(f("date"), "<", dur(12, "month")));
    expect(body("months > 3")).toEqual(cmp(f("months"), ">", num(3)));
    expect(body("x = months")).toEqual(cmp(f("x"), "=", f("months")));
    expect(body("score.at = last.next")).toEqual(cmp(f("score", "at"), "=", f("last", "next")));
  });

  it("every soft keyword works as subject, value, path segment and boolean field", async () => {
    const { SOFT_KEYWORDS } = await import("../../src/ast/keywords.js");
    for (const w of SOFT_KEYWORDS) {
      expect(body(`${w} = 1`)).toEqual(cmp(f(w), "=", num(1)));
      expect(body(`x = ${w}`)).toEqual(cmp(f("x"), "=", f(w)));
      expect(body(`a.${w}.b >= 2`)).toEqual(cmp(f("a", w, "b"), ">=", num(2)));
      expect(body(`${w} and not ${w}`)).toEqual({
        kind: "and",
        operands: [truthy(f(w)), { kind: "not", operand: truthy(f(w)) }],
      });
      expect(body(`any ${w} where (${w} > 1)`)).toMatchObject({ collection: f(w), where: cmp(f(w), ">", num(1)) });
      expect(body(`count(${w} where ${w} is set) > 0`)).toMatchObject({ left: { path: [w] } });
      expect(body(`${w} in [1]`)).toMatchObject({ kind: "in", subject: f(w) });
    }
  });

  it("hard keywords are names only in backquotes", () => {
    expect(body("`from` = 1 and a.`in` = 2")).toEqual({
      kind: "and",
      operands: [cmp(f("from"), "=", num(1)), cmp(f("a", "in"), "=", num(2))],
    });
    expect(body("`chiffre d'affaires` > 1M")).toEqual(cmp(f("chiffre d'affaires"), ">", num(1_000_000)));
  });
});

describe("values", () => {
  it("durations, singular and plural", () => {
    for (const unit of ["minute", "hour", "day", "week", "month", "year"]) {
      expect(body(`x < 1 ${unit}`)).toEqual(cmp(f("x"), "<", dur(1, unit)));
      expect(body(`x < 2 ${unit}s`)).toEqual(cmp(f("x"), "<", dur(2, unit)));
      expect(body(`x < 2 ${unit.toUpperCase()}S`)).toEqual(cmp(f("x"), "<", dur(2, unit)));
    }
    expect(body("x < 0 days")).toEqual(cmp(f("x"), "<", dur(0, "day")));
  });

  it("instants: ago and from now", () => {
    expect(body("lastPurchase > 6 months ago")).toEqual(
      cmp(f("lastPurchase"), ">", { kind: "instant", direction: "ago", duration: dur(6, "month") }),
    );
    expect(body("renewalDate < 60 days from now")).toEqual(
      cmp(f("renewalDate"), "<", { kind: "instant", direction: "fromNow", duration: dur(60, "day") }),
    );
  });

  it("dates and date-times", () => {
    const date = (text: string, dateOnly: boolean) => ({ kind: "date", text, dateOnly });
    expect(body("d = 2024-01-15")).toEqual(cmp(f("d"), "=", date("2024-01-15", true)));
    for (const text of [
      "2024-01-15T09:30:00Z",
      "2024-01-15T09:30:00+02:00",
      "2024-01-15T09:30:00-05:30",
      "2024-01-15T09:30:00",
      "2024-01-15T09:30",
      "2024-01-15T09:30:00.123Z",
      "2024-02-29T23:59:59Z",
    ]) {
      expect(body(`d > ${text}`)).toEqual(cmp(f("d"), ">", date(text, false)));
    }
  });

  it("numbers: sign, fraction, underscores, k and M", () => {
    const cases: [string, number][] = [
      ["42", 42],
      ["-3.5", -3.5],
      ["+7", 7],
      ["1_000_000", 1_000_000],
      ["250k", 250_000],
      ["2.5M", 2_500_000],
      ["1.1k", 1100],
      ["0.000001M", 1],
      ["-2k", -2000],
      ["0", 0],
      ["-0", 0],
    ];
    for (const [text, value] of cases) expect(body(`x = ${text}`), text).toEqual(cmp(f("x"), "=", num(value)));
    expect(Object.is((body("x = -0") as { right: { value: number } }).right.value, 0)).toBe(true);
  });

  it("strings: escapes", () => {
    expect(body(String.raw`x = "a\"b\\c\nd\te\u00e9"`)).toEqual(cmp(f("x"), "=", str('a"b\\c\nd\te\u00e9')));
    expect(body('x = ""')).toEqual(cmp(f("x"), "=", str("")));
  });

  it("the document is versioned and JSON-serialisable", () => {
    const doc = parseExpression('a = "x" # c').doc!;
    expect(doc.kind).toBe("expression");
    expect(doc.version).toBe(AST_VERSION);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
