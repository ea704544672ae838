import { describe, expect, it } from "vitest";
import type { RulesDocument } from "../../src/ast/nodes.js";
import { printExpression, printNode, printRules } from "../../src/ast/printer.js";
import { formatNumber, printName, quoteString } from "../../src/ast/text.js";
import {
  Z,
  agg,
  ago,
  and,
  between,
  bool,
  cmp,
  date,
  doc,
  dur,
  field,
  fromNow,
  has,
  inList,
  isEmpty,
  isSet,
  list,
  not,
  num,
  or,
  param,
  quant,
  ref,
  str,
  t,
  text,
  truthy,
  within,
} from "./build.js";

const a = t("a");
const b = t("b");
const c = t("c");

describe("printNode: every kind", () => {
  it.each([
    ["field", field("account", "sector"), "account.sector"],
    ["string", str("santé"), '"santé"'],
    ["number", num(42), "42"],
    ["negative number", num(-3.5), "-3.5"],
    ["boolean", bool(true), "true"],
    ["boolean false", bool(false), "false"],
    ["date", date("2024-01-15"), "2024-01-15"],
    ["date-time", date("2024-01-15T09:30:00Z"), "2024-01-15T09:30:00Z"],
    ["duration plural", dur(6, "month"), "6 months"],
    ["duration singular", dur(1, "month"), "1 month"],
    ["duration zero", dur(0, "day"), "0 days"],
    ["instant ago", ago(6, "month"), "6 months ago"],
    ["instant from now", fromNow(60, "day"), "60 days from now"],
    ["list", list(str("a"), str("b")), '["a", "b"]'],
    ["mixed list", list(num(1), bool(false), date("2024-01-01")), "[1, false, 2024-01-01]"],
    ["empty list", list(), "[]"],
    ["param", param("minEmployees"), "$minEmployees"],
    ["ref", ref("decideursSante"), "@decideursSante"],
    ["count", agg("count", ["purchases"]), "count(purchases)"],
    ["count where", agg("count", ["purchases"], cmp(field("amount"), ">", num(100))), "count(purchases where amount > 100)"],
    ["sum where", agg("sum", ["purchases", "amount"], cmp(field("date"), "<", dur(12, "month"))), "sum(purchases.amount where date < 12 months)"],
    ["avg/min/max", agg("max", ["scores"]), "max(scores)"],
  ] as const)("%s", (_, node, expected) => {
    expect(printNode(node)).toBe(expected);
  });

  it.each([
    ["compare =", cmp(field("sector"), "=", str("santé")), 'sector = "santé"'],
    ["compare !=", cmp(field("x"), "!=", num(1)), "x != 1"],
    ["compare <= field", cmp(field("x"), "<=", field("y")), "x <= y"],
    ["compare >= param", cmp(ref("lead"), ">=", param("min")), "@lead >= $min"],
    ["before", cmp(field("d"), "<", date("2024-01-01"), "before"), "d before 2024-01-01"],
    ["after", cmp(field("d"), ">", ago(6, "month"), "after"), "d after 6 months ago"],
    ["alias that does not fit the op is dropped", cmp(field("d"), ">=", date("2024-01-01"), "after"), "d >= 2024-01-01"],
    ["between", between(field("n"), num(50), num(5000)), "n between 50 and 5000"],
    ["not between", between(field("d"), dur(3, "month"), dur(6, "month"), true), "d not between 3 months and 6 months"],
    ["in", inList(field("role"), list(str("CEO"), str("CTO"))), 'role in ["CEO", "CTO"]'],
    ["not in param", inList(field("role"), param("roles"), true), "role not in $roles"],
    ["has", has(field("tech"), str("X")), 'tech has "X"'],
    ["has any", has(field("tech"), list(str("X")), "any"), 'tech has any ["X"]'],
    ["has all", has(field("tech"), param("p"), "all"), "tech has all $p"],
    ["has none", has(field("tech"), list(), "none"), "tech has none []"],
    ["contains", text("contains", field("n"), str("x")), 'n contains "x"'],
    ["starts with", text("startsWith", field("n"), str("x")), 'n starts with "x"'],
    ["ends with", text("endsWith", field("n"), str("x")), 'n ends with "x"'],
    ["~=", text("foldEquals", field("n"), str("x")), 'n ~= "x"'],
    ["not contains", text("contains", field("n"), str("x"), true), 'n not contains "x"'],
    ["not starts with", text("startsWith", field("n"), str("x"), true), 'n not starts with "x"'],
    ["not ends with", text("endsWith", field("n"), str("x"), true), 'n not ends with "x"'],
    ["not ~=", text("foldEquals", field("n"), str("x"), true), 'n not ~= "x"'],
    ["is set", isSet(field("x")), "x is set"],
    ["is not set", isSet(field("x"), true), "x is not set"],
    ["is empty", isEmpty(field("x")), "x is empty"],
    ["is not empty", isEmpty(field("x"), true), "x is not empty"],
    ["truthy field", truthy(field("emailConsent")), "emailConsent"],
    ["truthy ref", truthy(ref("seg")), "@seg"],
    ["truthy param", truthy(param("flag")), "$flag"],
    ["quantifier", quant("any", field("purchases"), cmp(field("amount"), ">", num(100))), "any purchases where (amount > 100)"],
    ["quantifier all or", quant("all", field("p"), or(a, b)), "all p where (a or b)"],
    ["quantifier none", quant("none", field("p"), a), "none p where (a)"],
    ["within last", within("last", field("d"), dur(30, "day")), "d within last 30 days"],
    ["within next", within("next", field("d"), dur(1, "week")), "d within next 1 week"],
    ["not", not(a), "not a"],
    ["not not", not(not(a)), "not not a"],
  ] as const)("%s", (_, node, expected) => {
    expect(printNode(node)).toBe(expected);
  });
});

describe("parentheses", () => {
  it.each([
    ["flat and", and(a, b, c), "a and b and c"],
    ["flat or", or(a, b, c), "a or b or c"],
    ["and inside or: none", or(and(a, b), c), "a and b or c"],
    ["or inside and", and(or(a, b), c), "(a or b) and c"],
    ["and inside and (parenthesised in the source)", and(and(a, b), c), "(a and b) and c"],
    ["or inside or", or(a, or(b, c)), "a or (b or c)"],
    ["and inside not", not(and(a, b)), "not (a and b)"],
    ["or inside not", not(or(a, b)), "not (a or b)"],
    ["not inside and", and(not(a), b), "not a and b"],
    ["compare inside not", not(cmp(field("x"), "=", num(1))), "not x = 1"],
    ["aggregate where chain", cmp(agg("count", ["p"], or(a, b)), ">", num(1)), "count(p where a or b) > 1"],
    ["quantifier in and", and(quant("any", field("p"), and(a, b)), c), "any p where (a and b) and c"],
  ] as const)("%s", (_, node, expected) => {
    expect(printNode(node)).toBe(expected);
  });
});

describe("names", () => {
  it("prints identifiers and soft keywords bare", () => {
    for (const n of ["sector", "score", "count", "type", "date", "at", "months", "Été", "_x", "effectif_2024", "cafe\u0301"]) {
      expect(printName(n)).toBe(n);
    }
  });
  it("backquotes hard keywords, case-insensitively", () => {
    expect(printName("and")).toBe("`and`");
    expect(printName("AND")).toBe("`AND`");
    expect(printName("Where")).toBe("`Where`");
    expect(printName("otherwise")).toBe("`otherwise`");
  });
  it("backquotes non-identifiers and escapes backquotes and backslashes", () => {
    expect(printName("chiffre d'affaires")).toBe("`chiffre d'affaires`");
    expect(printName("2024")).toBe("`2024`");
    expect(printName("a.b")).toBe("`a.b`");
    expect(printName("a`b")).toBe("`a\\`b`");
    expect(printName("a\\b")).toBe("`a\\\\b`");
  });
  it("applies to paths, params, refs, aggregates and quantifiers", () => {
    expect(printNode(field("account", "chiffre d'affaires"))).toBe("account.`chiffre d'affaires`");
    expect(printNode(param("my param"))).toBe("$`my param`");
    expect(printNode(ref("in"))).toBe("@in");
    expect(printNode(param("and"))).toBe("$and");
    expect(printNode(ref("big spenders"))).toBe("@`big spenders`");
    expect(printNode(agg("sum", ["all", "x y"]))).toBe("sum(`all`.`x y`)");
    expect(printNode(quant("any", field("not"), a))).toBe("any `not` where (a)");
  });
});

describe("numbers", () => {
  it.each([
    [0, "0"],
    [-0, "0"],
    [42, "42"],
    [-3.5, "-3.5"],
    [250000, "250000"],
    [2.5e6, "2500000"],
    [1e21, "1000000000000000000000"],
    [1.5e21, "1500000000000000000000"],
    [-1.2345e25, "-12345000000000000000000000"],
    [1e-7, "0.0000001"],
    [-1.5e-7, "-0.00000015"],
    [1.23e-10, "0.000000000123"],
    [0.1, "0.1"],
    [123.456, "123.456"],
  ])("%s → %s", (n, expected) => {
    expect(formatNumber(n)).toBe(expected);
    expect(Number(expected)).toBe(n === 0 ? 0 : n);
  });
  it("reads back exactly for extremes", () => {
    for (const n of [Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE, Number.EPSILON, 2 ** 53 + 2, 1 / 3]) {
      const s = formatNumber(n);
      expect(s).not.toMatch(/e/i);
      expect(Number(s)).toBe(n);
    }
  });
  it("refuses non-finite numbers", () => {
    expect(() => formatNumber(Number.NaN)).toThrow(RangeError);
    expect(() => formatNumber(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe("strings", () => {
  it.each([
    ["plain", "santé", '"santé"'],
    ["quote", 'say "hi"', '"say \\"hi\\""'],
    ["backslash", "a\\b", '"a\\\\b"'],
    ["newline and tab", "a\nb\tc", '"a\\nb\\tc"'],
    ["carriage return", "a\rb", '"a\\u000Db"'],
    ["other controls", "\u0000\u001f\u007f\u0085", '"\\u0000\\u001F\\u007F\\u0085"'],
    ["line separators", "\u2028\u2029", '"\\u2028\\u2029"'],
    ["lone surrogates", "\ud800x\udc00", '"\\uD800x\\uDC00"'],
    ["astral characters stay", "😀", '"😀"'],
    ["hash stays", "# not a comment", '"# not a comment"'],
    ["empty", "", '""'],
  ])("%s", (_, value, expected) => {
    expect(quoteString(value)).toBe(expected);
  });
});

describe("printExpression", () => {
  it("prints a document on one line without comments", () => {
    expect(printExpression(doc(and(cmp(field("sector"), "=", str("santé")), cmp(field("lastPurchase"), "<", dur(6, "month")), has(field("tech"), str("X")))))).toBe(
      'sector = "santé" and lastPurchase < 6 months and tech has "X"',
    );
  });
});

describe("printRules", () => {
  const ns = Z;
  const rules: RulesDocument = {
    kind: "rules",
    version: 1,
    comments: [],
    definitions: [
      { kind: "segment", name: "decideursSante", nameSpan: ns, span: ns, body: and(cmp(field("sector"), "=", str("santé")), inList(field("role"), list(str("CEO"), str("CTO")))) },
      {
        kind: "score",
        name: "lead",
        nameSpan: ns,
        span: ns,
        rules: [
          { kind: "if", points: 20, condition: inList(field("role"), list(str("CEO"))), span: ns },
          { kind: "per", points: 5, value: field("emailClicks30d"), max: 25, span: ns },
          { kind: "per", points: 1, value: agg("count", ["e"]), span: ns },
          { kind: "if", points: -30, condition: t("unsubscribed"), span: ns },
          { kind: "if", points: 0, condition: or(a, b), span: ns },
          { kind: "decay", points: 10, collection: field("events"), where: cmp(field("type"), "=", str("webinar")), percent: 50, every: dur(30, "day"), by: field("at"), span: ns },
          { kind: "decay", points: 2.5, collection: field("events"), percent: 12.5, every: dur(1, "week"), by: field("at"), span: ns },
          { kind: "decay", points: 3, collection: field("events"), percent: 50, every: param("halfLife"), by: field("at"), span: ns },
        ],
        clamp: { min: 0, max: 100, span: ns },
      },
      {
        kind: "lifecycle",
        name: "stage",
        nameSpan: ns,
        span: ns,
        stages: [
          { name: "awareness", span: ns },
          { name: "evaluation", condition: or(t("demoRequested"), cmp(field("pricingViews"), ">", num(0))), span: ns },
          { name: "if", condition: a, span: ns },
        ],
      },
      {
        kind: "tiers",
        name: "value",
        nameSpan: ns,
        span: ns,
        by: agg("sum", ["purchases", "amount"], cmp(field("date"), "<", dur(12, "month"))),
        method: "thresholds",
        lines: [
          { name: "high", test: { op: ">=", value: num(100000) }, span: ns },
          { name: "mid", test: { op: "between", low: num(20000), high: param("top") }, span: ns },
          { name: "gold", test: { op: "=", value: str("g") }, span: ns },
          { name: "low", span: ns },
        ],
      },
      {
        kind: "tiers",
        name: "potential",
        nameSpan: ns,
        span: ns,
        by: field("employees"),
        method: "quantiles",
        lines: [
          { name: "top", percent: 20, span: ns },
          { name: "middle", percent: 30.5, span: ns },
          { name: "rest", span: ns },
        ],
      },
      {
        kind: "rfm",
        name: "customers",
        nameSpan: ns,
        span: ns,
        recency: field("lastPurchase"),
        frequency: agg("count", ["purchases"], cmp(field("date"), "<", dur(12, "month"))),
        monetary: agg("sum", ["purchases", "amount"]),
      },
    ],
  };

  it("prints every definition kind in canonical style", () => {
    expect(printRules(rules)).toBe(
      [
        "segment decideursSante:",
        '  sector = "santé" and role in ["CEO", "CTO"]',
        "",
        "score lead:",
        '  +20 if role in ["CEO"]',
        "  +5 per emailClicks30d max 25",
        "  +1 per count(e)",
        "  -30 if unsubscribed",
        "  +0 if a or b",
        '  +10 per events where (type = "webinar") decaying 50% every 30 days by at',
        "  +2.5 per events decaying 12.5% every 1 week by at",
        "  +3 per events decaying 50% every $halfLife by at",
        "  clamp 0 to 100",
        "",
        "lifecycle stage:",
        "  awareness",
        "  evaluation if demoRequested or pricingViews > 0",
        "  `if` if a",
        "",
        "tiers value by sum(purchases.amount where date < 12 months):",
        "  high if >= 100000",
        "  mid if between 20000 and $top",
        '  gold if = "g"',
        "  low otherwise",
        "",
        "tiers potential by employees quantiles:",
        "  top 20%",
        "  middle 30.5%",
        "  rest otherwise",
        "",
        "rfm customers:",
        "  recency lastPurchase",
        "  frequency count(purchases where date < 12 months)",
        "  monetary sum(purchases.amount)",
        "",
      ].join("\n"),
    );
  });

  it("prints an empty document as the empty string, and names in backquotes", () => {
    expect(printRules({ kind: "rules", version: 1, definitions: [], comments: [] })).toBe("");
    expect(
      printRules({ kind: "rules", version: 1, comments: [], definitions: [{ kind: "segment", name: "big spenders", nameSpan: ns, span: ns, body: a }] }),
    ).toBe("segment `big spenders`:\n  a\n");
    expect(
      printRules({ kind: "rules", version: 1, comments: [], definitions: [{ kind: "score", name: "s", nameSpan: ns, span: ns, rules: [], clamp: { min: -10, max: 1.5, span: ns } }] }),
    ).toBe("score s:\n  clamp -10 to 1.5\n");
  });
});
