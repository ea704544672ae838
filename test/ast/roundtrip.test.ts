/**
 * The printer's laws through the parser (docs/formatting.md):
 * - fixed point: format(format(x)) === format(x);
 * - round trip: parse(format(x)) equals parse(x) up to spans (same AST, same comment texts in order);
 * - parse(print(ast)) equals ast up to spans, for random ASTs;
 * - the validator accepts what the parser produces.
 * Skipped while src/syntax is a stub that returns no document.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, resolveLimits } from "../../src/ast/limits.js";
import { WHOLE } from "../../src/errors/diagnostic.js";
import type { ExpressionDocument, RulesDocument } from "../../src/ast/nodes.js";
import { printExpression, printRules } from "../../src/ast/printer.js";
import { validateExpressionDocument } from "../../src/ast/validate.js";
import { parseExpression, parseRules } from "../../src/syntax/index.js";
import { expressionDocumentArbitrary, rulesDocumentArbitrary } from "../support/ast-arbitrary.js";
import { stripSpans } from "../support/strip-spans.js";


function parseE(source: string): ExpressionDocument {
  const r = parseExpression(source);
  if (!r.doc) throw new Error(`does not parse:\n${source}\n${JSON.stringify(r.diagnostics, null, 1)}`);
  return r.doc;
}

function parseR(source: string): RulesDocument {
  const r = parseRules(source);
  if (!r.doc) throw new Error(`does not parse:\n${source}\n${JSON.stringify(r.diagnostics, null, 1)}`);
  return r.doc;
}

const formatE = (source: string) => printExpression(parseE(source));
const formatR = (source: string) => printRules(parseR(source));

/** Both laws for one expression source; returns the canonical text. */
function lawsE(source: string): string {
  const once = formatE(source);
  expect(formatE(once), "fixed point").toBe(once);
  expect(stripSpans(parseE(once)), "round trip").toEqual(stripSpans(parseE(source)));
  return once;
}

function lawsR(source: string): string {
  const once = formatR(source);
  expect(formatR(once), "fixed point").toBe(once);
  expect(stripSpans(parseR(once)), "round trip").toEqual(stripSpans(parseR(source)));
  return once;
}

/** Spaces of a printed text that stand between tokens (not inside a string or backquoted name). */
function tokenGaps(text: string): number[] {
  const gaps: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "`") quote = c;
    else if (c === " ") gaps.push(i);
  }
  return gaps;
}

describe("round trip through the parser: examples", () => {
  it.each([
    ['sector = "santé" and lastPurchase < 6 months and tech has "X"', 'sector = "santé" and lastPurchase < 6 months and tech has "X"'],
    ['SECTOR  =  "santé"  AND (employees>=50)', 'SECTOR = "santé" and employees >= 50'],
    ["a and (b or c)", "a and (b or c)"],
    ["(a and b) or c", "a and b or c"],
    ["(a and b) and c", "(a and b) and c"],
    ["a or (b or c)", "a or (b or c)"],
    ["not (a and b)", "not (a and b)"],
    ["NOT NOT a", "not not a"],
    ["x = 250k and y = 2.5M and z = 1_000_000", "x = 250000 and y = 2500000 and z = 1000000"],
    ["x > -3.5", "x > -3.5"],
    ["x = 1000000000000000000000", "x = 1000000000000000000000"],
    ["x = 0.0000001", "x = 0.0000001"],
    ["d before 2024-01-15 and d after 2024-01-15T09:30:00Z", "d before 2024-01-15 and d after 2024-01-15T09:30:00Z"],
    ["d > 6 months ago or r < 60 days from now", "d > 6 months ago or r < 60 days from now"],
    ["d within last 30 days and e within next 1 week", "d within last 30 days and e within next 1 week"],
    ["d between 3 months and 6 months", "d between 3 months and 6 months"],
    ["d within last $w and d > $w AGO or r < $lead from   now", "d within last $w and d > $w ago or r < $lead from now"],
    ["n not between 1 and 2", "n not between 1 and 2"],
    ['role in ["CEO", "CTO"] and x not in $codes', 'role in ["CEO", "CTO"] and x not in $codes'],
    ['tech has "X" and tech has any ["a"] and tech has all $p and tech has none []', 'tech has "X" and tech has any ["a"] and tech has all $p and tech has none []'],
    ['n contains "x" and n not starts with "y" and n ends with "z" and n not ~= "w"', 'n contains "x" and n not starts with "y" and n ends with "z" and n not ~= "w"'],
    ["x is set and x is not set and x is empty and x is not empty", "x is set and x is not set and x is empty and x is not empty"],
    ["any purchases where (amount > 100)", "any purchases where (amount > 100)"],
    ["count(purchases where amount > 100) >= 2", "count(purchases where amount > 100) >= 2"],
    ["sum(purchases.amount where date < 12 months) > 1000", "sum(purchases.amount where date < 12 months) > 1000"],
    ["@lead >= 50 and @seg and $flag", "@lead >= 50 and @seg and $flag"],
    ['s = "a\\"b\\\\c\\n\\t\\u0001"', 's = "a\\"b\\\\c\\n\\t\\u0001"'],
    ["`chiffre d'affaires` > 1 and `and` and score > 2 and count > 3 and type = \"x\"", "`chiffre d'affaires` > 1 and `and` and score > 2 and count > 3 and type = \"x\""],
    ["x = 6 MONTHS", "x = 6 months"],
    ["d < 1 months", "d < 1 month"],
  ])("%s", (source, expected) => {
    expect(lawsE(source)).toBe(expected);
  });

  it.each([
    ["# lead\na and b # last", "# lead\na and b  # last"],
    ["a # one\n and b\n # two\n and c", "a  # one\nand b\n# two\nand c"],
    ["(a # inner\n or b) and c", "(a or b)  # inner\nand c"],
    ["a = 1\n# after\n# again", "a = 1\n# after\n# again"],
    ["a and #x\n b", "a  #x\nand b"],
    ['s = "# not a comment" # a comment', 's = "# not a comment"  # a comment'],
  ])("comments: %j", (source, expected) => {
    expect(lawsE(source)).toBe(expected);
  });

  it("rules files", () => {
    const source = [
      "# segments",
      "segment decideursSante:",
      '  sector = "santé" and role in ["CEO", "CTO", "DG"]',
      "",
      "segment cibleEmail: # trailing",
      "  @decideursSante and not unsubscribed",
      "  # inside",
      "  and emailConsent",
      "",
      "score lead:",
      '  +20 if role in ["CEO", "CTO", "CMO"]',
      "  +5 per emailClicks30d max 25",
      "  -30 if unsubscribed # malus",
      '  +10 per events where (type = "webinar") decaying 50% every 30 days by at',
      "  +3 per events decaying 50% every   $halfLife by at",
      "  clamp 0 to 100",
      "",
      "lifecycle stage:",
      "  awareness",
      "  evaluation if demoRequested or pricingViews > 0",
      "  purchase   if orders >= 1",
      "",
      "tiers value by sum(purchases.amount where date < 12 months):",
      "  high   if >= 100k",
      "  medium if >= 20k",
      "  low    otherwise",
      "",
      "tiers potential by employees quantiles:",
      "  top    20%",
      "  rest   otherwise",
      "",
      "rfm customers:",
      "  recency   lastPurchase",
      "  frequency count(purchases where date < 12 months)",
      "  monetary  sum(purchases.amount where date < 12 months)",
      "# the end",
    ].join("\n");
    expect(lawsR(source)).toBe(
      [
        "# segments",
        "segment decideursSante:",
        '  sector = "santé" and role in ["CEO", "CTO", "DG"]',
        "",
        "segment cibleEmail:  # trailing",
        "  @decideursSante",
        "  and not unsubscribed",
        "  # inside",
        "  and emailConsent",
        "",
        "score lead:",
        '  +20 if role in ["CEO", "CTO", "CMO"]',
        "  +5 per emailClicks30d max 25",
        "  -30 if unsubscribed  # malus",
        '  +10 per events where (type = "webinar") decaying 50% every 30 days by at',
        "  +3 per events decaying 50% every $halfLife by at",
        "  clamp 0 to 100",
        "",
        "lifecycle stage:",
        "  awareness",
        "  evaluation if demoRequested or pricingViews > 0",
        "  purchase if orders >= 1",
        "",
        "tiers value by sum(purchases.amount where date < 12 months):",
        "  high if >= 100000",
        "  medium if >= 20000",
        "  low otherwise",
        "",
        "tiers potential by employees quantiles:",
        "  top 20%",
        "  rest otherwise",
        "",
        "rfm customers:",
        "  recency lastPurchase",
        "  frequency count(purchases where date < 12 months)",
        "  monetary sum(purchases.amount where date < 12 months)",
        "",
        "# the end",
        "",
      ].join("\n"),
    );
  });

  it("the validator accepts what the parser produces, unchanged up to spans", () => {
    const doc = parseE('# c\nsector = "santé" and count(p where amount > 1) > 2 and any p where (x in [1, 2024-01-01]) and not d within last 3 days');
    const r = validateExpressionDocument(JSON.parse(JSON.stringify(doc)), DEFAULT_LIMITS);
    expect(r.diagnostics).toEqual([]);
    expect(r.doc).toEqual(doc);
  });
});

describe("round trip through the parser: properties", () => {
  it("parse(print(ast)) equals ast up to spans, and print is a fixed point", () => {
    fc.assert(
      fc.property(expressionDocumentArbitrary(), (ast) => {
        const text = printExpression(ast);
        const parsed = parseE(text);
        expect(stripSpans(parsed)).toEqual(stripSpans(ast));
        expect(printExpression(parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("the validator accepts every parsed AST and returns it unchanged", () => {
    fc.assert(
      fc.property(expressionDocumentArbitrary(), (ast) => {
        const parsed = parseE(printExpression(ast));
        const r = validateExpressionDocument(JSON.parse(JSON.stringify(parsed)), DEFAULT_LIMITS);
        expect(r.diagnostics).toEqual([]);
        expect(r.doc).toEqual(parsed);
      }),
      { numRuns: 150 },
    );
  });

  it("the validator's nesting never exceeds the parser's: what parses within maxDepth validates within it", () => {
    for (const maxDepth of [1, 2, 3]) {
      const limits = resolveLimits({ maxDepth });
      fc.assert(
        fc.property(expressionDocumentArbitrary({ maxDepth: 5 }), (ast) => {
          const parsed = parseExpression(printExpression(ast), { limits: { maxDepth } });
          if (!parsed.doc) return;
          expect(validateExpressionDocument(JSON.parse(JSON.stringify(parsed.doc)), limits).diagnostics).toEqual([]);
        }),
        { numRuns: 100 },
      );
    }
  });

  it("the validator's node count never exceeds the parser's", () => {
    for (const maxNodes of [5, 12, 25]) {
      const limits = resolveLimits({ maxNodes });
      fc.assert(
        fc.property(expressionDocumentArbitrary({ maxDepth: 4 }), (ast) => {
          const parsed = parseExpression(printExpression(ast), { limits: { maxNodes } });
          if (!parsed.doc) return;
          expect(validateExpressionDocument(JSON.parse(JSON.stringify(parsed.doc)), limits).diagnostics).toEqual([]);
        }),
        { numRuns: 100 },
      );
    }
  });

  it("comments anywhere between tokens: both laws hold and no comment is lost or reordered", () => {
    fc.assert(
      fc.property(
        expressionDocumentArbitrary({ maxDepth: 3 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        (ast, picks, leading) => {
          const text = printExpression(ast);
          const gaps = tokenGaps(text);
          const chosen = [...new Set(picks.map((p) => (gaps.length ? gaps[p % gaps.length]! : text.length)))].sort((a, b) => a - b);
          let source = "";
          let from = 0;
          chosen.forEach((g, i) => {
            source += `${text.slice(from, g)} # c${i}\n`;
            from = g + 1;
          });
          source += text.slice(from);
          if (leading) source = `# first\n${source}`;
          const once = formatE(source);
          expect(formatE(once)).toBe(once);
          const a = parseE(source);
          const b = parseE(once);
          expect(stripSpans(b)).toEqual(stripSpans(a));
          expect(b.comments.map((c) => c.text)).toEqual([...(leading ? [" first"] : []), ...chosen.map((_, i) => ` c${i}`)]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("round trip through the parser: rules files", () => {
  it("parse(print(rules)) equals rules up to spans, and print is a fixed point", () => {
    fc.assert(
      fc.property(rulesDocumentArbitrary(), (ast) => {
        const text = printRules(ast);
        const parsed = parseR(text);
        expect(stripSpans(parsed)).toEqual(stripSpans(ast));
        expect(printRules(parsed)).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it("comments after any line and on their own lines: both laws hold, every comment kept in order", () => {
    fc.assert(
      fc.property(rulesDocumentArbitrary({ maxDepth: 2 }), fc.array(fc.constantFrom("none", "trail", "lead", "both")), (ast, picks) => {
        const lines = printRules(ast).split("\n");
        let n = 0;
        const out: string[] = [];
        lines.forEach((line, i) => {
          const pick = picks[i % Math.max(1, picks.length)] ?? "none";
          const indent = /^ */.exec(line)![0];
          if (pick === "lead" || pick === "both") out.push(`${indent}# c${n++}`);
          out.push(line && (pick === "trail" || pick === "both") ? `${line} # c${n++}` : line);
        });
        const source = out.join("\n");
        const once = formatR(source);
        expect(formatR(once)).toBe(once);
        const a = parseR(source);
        expect(stripSpans(parseR(once))).toEqual(stripSpans(a));
        expect(a.comments.map((c) => c.text)).toEqual(Array.from({ length: n }, (_, k) => ` c${k}`));
      }),
      { numRuns: 150 },
    );
  });
});

describe("round trip through the parser: names and headers that once failed", () => {
  it.each([["back`tick"], ["back\\slash"], ["x`"], ["\uFE70\u2C00"]])("the name %j reads back", (name) => {
    const ast = { kind: "expression" as const, version: 1 as const, comments: [], body: { kind: "truthy" as const, subject: { kind: "field" as const, path: [name], span: WHOLE }, span: WHOLE } };
    const text = printExpression(ast);
    expect(stripSpans(parseE(text))).toEqual(stripSpans(ast));
  });

  it("a tiers `by` field named score reads back", () => {
    expect(lawsR("tiers t by score quantiles:\n  top 20%\n")).toBe("tiers t by score quantiles:\n  top 20%\n");
  });
});
