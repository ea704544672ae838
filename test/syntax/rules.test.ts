import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkRules } from "../../src/rules/index.js";
import { parseRules } from "../../src/syntax/index.js";
import { SPEC_RFM_EXAMPLE, SPEC_RULES_EXAMPLE } from "../support/language-example.js";
import { cmp, dur, f, num, rules, rulesErrors, str, truthy, where } from "./helpers.js";

const EXAMPLE = SPEC_RULES_EXAMPLE;
const RFM = SPEC_RFM_EXAMPLE;

const list = (...items: unknown[]) => ({ kind: "list", items });
const inList = (subject: unknown, ...items: unknown[]) => ({ kind: "in", negated: false, subject, list: list(...items) });
const last12 = cmp(f("date"), "<", dur(12, "month"));

describe("the LANGUAGE.md §4 example", () => {
  it("parses to the expected document", () => {
    const doc = rules(EXAMPLE);
    expect(doc.kind).toBe("rules");
    expect(doc.version).toBe(1);
    expect(doc.comments.map((c) => c.text)).toEqual([
      " segments",
      " lead score: points per rule; 'per' multiplies by a number, 'max' caps one rule",
      " lifecycle: stages in journey order; a record is at the LAST stage whose condition holds",
      " value tiers by thresholds, first match wins, or by share of a population",
    ]);
    expect(doc.definitions).toEqual([
      {
        kind: "segment",
        name: "decideursSante",
        body: {
          kind: "and",
          operands: [cmp(f("sector"), "=", str("santé")), inList(f("role"), str("CEO"), str("CTO"), str("DG"))],
        },
      },
      {
        kind: "segment",
        name: "cibleEmail",
        body: {
          kind: "and",
          operands: [
            truthy({ kind: "ref", name: "decideursSante" }),
            { kind: "not", operand: truthy(f("unsubscribed")) },
            truthy(f("emailConsent")),
          ],
        },
      },
      {
        kind: "score",
        name: "lead",
        rules: [
          { kind: "if", points: 20, condition: inList(f("role"), str("CEO"), str("CTO"), str("CMO")) },
          {
            kind: "if",
            points: 10,
            condition: { kind: "between", negated: false, subject: f("employees"), low: num(50), high: num(5000) },
          },
          { kind: "per", points: 5, value: f("emailClicks30d"), max: 25 },
          { kind: "if", points: 15, condition: cmp(f("lastVisit"), "<", dur(7, "day")) },
          { kind: "if", points: -30, condition: truthy(f("unsubscribed")) },
          {
            kind: "decay",
            points: 10,
            collection: f("events"),
            where: cmp(f("type"), "=", str("webinar")),
            percent: 50,
            every: dur(30, "day"),
            by: f("at"),
          },
        ],
        clamp: { min: 0, max: 100 },
      },
      {
        kind: "lifecycle",
        name: "stage",
        stages: [
          { name: "awareness" },
          {
            name: "evaluation",
            condition: { kind: "or", operands: [truthy(f("demoRequested")), cmp(f("pricingViews"), ">", num(0))] },
          },
          { name: "purchase", condition: cmp(f("orders"), ">=", num(1)) },
          {
            name: "retention",
            condition: {
              kind: "and",
              operands: [cmp(f("orders"), ">=", num(2)), cmp(f("lastPurchase"), "<", dur(12, "month"))],
            },
          },
          { name: "advocacy", condition: cmp(f("referrals"), ">", num(0)) },
        ],
      },
      {
        kind: "tiers",
        name: "value",
        by: { kind: "aggregate", fn: "sum", path: ["purchases", "amount"], where: last12 },
        method: "thresholds",
        lines: [
          { name: "high", test: { op: ">=", value: num(100_000) } },
          { name: "medium", test: { op: ">=", value: num(20_000) } },
          { name: "low" },
        ],
      },
      {
        kind: "tiers",
        name: "potential",
        by: f("employees"),
        method: "quantiles",
        lines: [
          { name: "top", percent: 20 },
          { name: "middle", percent: 30 },
          { name: "rest" },
        ],
      },
    ]);
  });

  it("the rfm example", () => {
    expect(rules(RFM).definitions).toEqual([
      {
        kind: "rfm",
        name: "customers",
        recency: f("lastPurchase"),
        frequency: { kind: "aggregate", fn: "count", path: ["purchases"], where: last12 },
        monetary: { kind: "aggregate", fn: "sum", path: ["purchases", "amount"], where: last12 },
      },
    ]);
  });

  it("spans on definitions, names and lines", () => {
    const doc = parseRules(EXAMPLE).doc!;
    const score = doc.definitions[2]!;
    expect(score.kind).toBe("score");
    const pos = (s: { start: { line: number; column: number }; end: { line: number; column: number } }) =>
      `${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column}`;
    expect(pos(score.span)).toBe("9:1-16:17");
    expect(pos(score.nameSpan)).toBe("9:7-9:11");
    if (score.kind !== "score") throw new Error("score");
    expect(pos(score.rules[0]!.span)).toBe("10:3-10:39");
    expect(pos(score.clamp!.span)).toBe("16:3-16:17");
    const stage = doc.definitions[3]!;
    if (stage.kind !== "lifecycle") throw new Error("lifecycle");
    expect(pos(stage.stages[0]!.span)).toBe("20:3-20:12");
    expect(pos(stage.stages[2]!.span)).toBe("22:3-22:28");
    const tiers = doc.definitions[4]!;
    if (tiers.kind !== "tiers") throw new Error("tiers");
    expect(pos(tiers.lines[2]!.span)).toBe("30:3-30:19");
  });
});

describe("rules-file forms", () => {
  it("threshold tiers with every test form", () => {
    const doc = rules(`tiers t by x:
  a if > 10
  b if between 5 and $hi
  c if = "gold"
  d otherwise`);
    expect(doc.definitions[0]).toMatchObject({
      lines: [
        { name: "a", test: { op: ">", value: num(10) } },
        { name: "b", test: { op: "between", low: num(5), high: { kind: "param", name: "hi" } } },
        { name: "c", test: { op: "=", value: str("gold") } },
        { name: "d" },
      ],
    });
  });

  it("score lines: per without max, decay without where, signed points", () => {
    const doc = rules(`score s:
  +5 per visits
  -2 per count(tickets where open)
  +1 per events decaying 10% every 1 week by date
  +1k if big`);
    expect(doc.definitions[0]).toEqual({
      kind: "score",
      name: "s",
      rules: [
        { kind: "per", points: 5, value: f("visits") },
        {
          kind: "per",
          points: -2,
          value: { kind: "aggregate", fn: "count", path: ["tickets"], where: truthy(f("open")) },
        },
        { kind: "decay", points: 1, collection: f("events"), percent: 10, every: dur(1, "week"), by: f("date") },
        { kind: "if", points: 1000, condition: truthy(f("big")) },
      ],
    });
  });

  it("definition names may be soft keywords or backquoted; definitions may share a line", () => {
    const doc = rules("segment score: a segment `my seg`: b\nscore count:\n  +1 if x");
    expect(doc.definitions.map((d) => [d.kind, d.name])).toEqual([
      ["segment", "score"],
      ["segment", "my seg"],
      ["score", "count"],
    ]);
  });

  it("fields named like definition keywords inside expressions", () => {
    const doc = rules("segment a:\n  segment = 1 and\n  score > 2\nsegment b: tiers");
    expect(doc.definitions).toEqual([
      { kind: "segment", name: "a", body: { kind: "and", operands: [cmp(f("segment"), "=", num(1)), cmp(f("score"), ">", num(2))] } },
      { kind: "segment", name: "b", body: truthy(f("tiers")) },
    ]);
  });

  it("a tiers `by` value named like a definition keyword is a field, `quantiles` or not", () => {
    for (const word of ["score", "segment", "lifecycle", "tiers", "rfm", "SCORE"]) {
      const doc = rules(`tiers t by ${word} quantiles:\n  top 20%\n  rest otherwise\ntiers u by ${word}:\n  hi if > 1\n  lo otherwise`);
      expect(doc.definitions.map((d) => [d.kind, d.name, d.kind === "tiers" ? d.method : ""]), word).toEqual([
        ["tiers", "t", "quantiles"],
        ["tiers", "u", "thresholds"],
      ]);
      expect(doc.definitions.map((d) => (d.kind === "tiers" ? d.by : undefined)), word).toEqual([f(word), f(word)]);
    }
    const doc = rules("tiers t by score.quantiles quantiles:\n  top 20%\nscore quantiles:\n  +1 if x");
    expect(doc.definitions.map((d) => [d.kind, d.name])).toEqual([
      ["tiers", "t"],
      ["score", "quantiles"],
    ]);
    expect(doc.definitions[0]).toMatchObject({ by: f("score", "quantiles"), method: "quantiles" });
  });

  it("an empty file (or only comments) is an empty document", () => {
    expect(rules("").definitions).toEqual([]);
    expect(rules("# nothing yet\n").definitions).toEqual([]);
  });
});

describe("the line rule", () => {
  it("a stage name on a new line ends the previous stage's condition, even a soft keyword or a unit", () => {
    const doc = rules(`lifecycle s:
  new
  days if visits > 1
  count if orders >= 1
  months`);
    expect(doc.definitions[0]).toMatchObject({
      stages: [{ name: "new" }, { name: "days" }, { name: "count" }, { name: "months" }],
    });
  });

  it("a more indented line continues the current line", () => {
    const doc = rules(`lifecycle s:
  a
  b if x
      or y
  c if z in [1,
             2]`);
    expect(doc.definitions[0]).toMatchObject({
      stages: [
        { name: "a" },
        { name: "b", condition: { kind: "or", operands: [truthy(f("x")), truthy(f("y"))] } },
        { name: "c", condition: { kind: "in", list: { items: [num(1), num(2)] } } },
      ],
    });
  });

  it("a body may start on the header's line", () => {
    const doc = rules("lifecycle s: a\n  b if x\nscore t: +1 if y\n  +2 if z");
    expect(doc.definitions[0]).toMatchObject({ stages: [{ name: "a" }, { name: "b" }] });
    expect(doc.definitions[1]).toMatchObject({ rules: [{ points: 1 }, { points: 2 }] });
  });

  it("segments ignore line breaks", () => {
    const doc = rules("segment a:\nx = 1\nand y = 2\nsegment b:\n  z");
    expect(doc.definitions[0]).toMatchObject({ body: { kind: "and" } });
  });
});

describe("rules-file mistakes", () => {
  it.each([
    ["segment a b = 1", "syntax.missing-colon@1:11"],
    ["x = 1\nsegment a: b", "syntax.expected-definition@1:1"],
    ["score s:", "syntax.empty-definition@1:1"],
    ["lifecycle s:", "syntax.empty-definition@1:1"],
    ["tiers t by x:", "syntax.empty-definition@1:1"],
    ["rfm r:", "syntax.empty-definition@1:1"],
    ["score s:\n  20 if x", "syntax.score-points@2:3"],
    ["score s:\n  +2.5 if x", "syntax.score-points@2:3"],
    ["score s:\n  if x", "syntax.score-points@2:3"],
    ["score s:\n  +1 when x", "syntax.unexpected-token@2:6"],
    ["score s:\n  clamp 0 to 1\n  +1 if x", "syntax.clamp-position@2:3"],
    ["score s:\n  +1 if x\n  clamp 0 to 1\n  clamp 0 to 2", "syntax.clamp-position@4:3"],
    ["tiers t by x quantiles:\n  a 0%", "syntax.invalid-percent@2:5"],
    ["tiers t by x quantiles:\n  a +20%", "syntax.invalid-percent@2:5"],
    ["score s:\n  +1 per 3 decaying 5% every 1 day by at", "syntax.decay-collection@2:10"],
    ["score s:\n  +1 per e where (x) max 3", "syntax.unexpected-token@2:22"],
    ["tiers t by x:\n  a 20%", "syntax.tier-line@2:3"],
    ["tiers t by x quantiles:\n  a if > 1", "syntax.tier-line@2:3"],
    ["tiers t by x quantiles:\n  a 120%", "syntax.invalid-percent@2:5"],
    ["tiers t by x:\n  a if x > 1", "syntax.unexpected-token@2:8"],
    ["rfm r:\n  recency a\n  frequency b", "syntax.rfm-line@1:1"],
    ["rfm r:\n  recency a\n  frequency b\n  monetary c\n  recency d", "syntax.rfm-line@5:3"],
    ["lifecycle s:\n  a\n  b iff x", "syntax.unexpected-token@3:5"],
  ])("%j → %s", (source, expected) => {
    expect(where(rulesErrors(source))[0]).toBe(expected);
  });

  it("one broken definition does not swallow the next: each reports its own mistake", () => {
    const ds = rulesErrors(`segment a:
  x = and y
segment b:
  z in (1)
segment ok: fine
segment c:
  w > )`);
    expect(where(ds)).toEqual(["syntax.expected-value@2:7", "syntax.expected-value@4:8", "syntax.expected-value@7:7"]);
  });

  it("one broken line does not swallow the next", () => {
    const ds = rulesErrors(`score lead:
  +20 if role =
  +10 if ok
  20 if x
  +5 per x max
  +1 if y
lifecycle s:
  a if x >
  b if (y
  c`);
    expect(where(ds)).toEqual([
      "syntax.expected-value@2:16",
      "syntax.score-points@4:3",
      "syntax.unexpected-token@5:15",
      "syntax.expected-value@8:11",
      "syntax.missing-paren@9:10",
    ]);
  });

  it("values the AST holds and the rules layer checks parse: the rules layer reports them with the file's other mistakes", () => {
    const src = "score s:\n  +1 if sectr = \"x\"\n  +1 per events decaying 0% every 30 days by at\n  +1 per events decaying 150% every 30 days by at\n  clamp 10 to 0\n";
    const doc = rules(src);
    expect(doc.definitions[0]).toMatchObject({ clamp: { min: 10, max: 0 }, rules: [{}, { percent: 0 }, { percent: 150 }] });
    const Contact = z.object({ sector: z.string(), events: z.array(z.object({ at: z.date() })) });
    expect(where(checkRules(src, Contact).diagnostics)).toEqual([
      "field.unknown@2:9",
      "rules.decay-percent@3:3",
      "rules.decay-percent@4:3",
      "rules.clamp-order@5:3",
    ]);
  });

  it("limits the number of definitions", () => {
    const src = Array.from({ length: 4 }, (_, i) => `segment s${i}: x`).join("\n");
    expect(where(rulesErrors(src, { limits: { maxDefinitions: 3 } }))).toEqual(["limit.definitions@4:1"]);
    expect(parseRules(src, { limits: { maxDefinitions: 4 } }).doc).toBeDefined();
  });
});
