import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseExpression, parseRules } from "../../src/syntax/index.js";
import { positionAt, type Diagnostic } from "../../src/errors/diagnostic.js";
import { HARD_KEYWORDS, SOFT_KEYWORDS } from "../../src/ast/keywords.js";
import { lex } from "../../src/syntax/literals.js";
import { SourceText } from "../../src/syntax/source.js";

/** Checks the contract of a parse result on any input. */
function wellFormed(source: string, r: { doc?: unknown; diagnostics: Diagnostic[] }): void {
  expect(Array.isArray(r.diagnostics)).toBe(true);
  const hasError = r.diagnostics.some((d) => d.severity === "error");
  expect(r.doc === undefined, "doc is present exactly when there is no error").toBe(hasError);
  for (const d of r.diagnostics) {
    expect(d.code, d.message).not.toBe("syntax.internal");
    expect(d.code).toMatch(/^(syntax|limit)\.[a-z-]+$/);
    expect(typeof d.message).toBe("string");
    const { start, end } = d.span;
    expect(start.offset).toBeGreaterThanOrEqual(0);
    expect(end.offset).toBeGreaterThanOrEqual(start.offset);
    expect(end.offset).toBeLessThanOrEqual(source.length);
    expect(start).toEqual(positionAt(source, start.offset));
    expect(end).toEqual(positionAt(source, end.offset));
  }
  if (r.doc !== undefined) expect(JSON.parse(JSON.stringify(r.doc))).toEqual(r.doc);
}

const WORDS = [
  ...HARD_KEYWORDS,
  ...SOFT_KEYWORDS,
  "AND", "Not", "x", "sector", "a.b", "`q r`", "`", "@seg", "@", "$p", "$", "type", "date", "at", "é", "e\u0301",
  "=", "!=", "<", "<=", ">", ">=", "~=", "==", "(", ")", "[", "]", ",", ".", ":", "%", "#c\n", "\n", "\n  ",
  '"txt"', '"a\\"b"', '"\\q"', '"open', "'s'", "42", "-3.5", "1_000", "250k", "2.5M", "1m", "6months", "+20", "-30",
  "2024-01-15", "2024-02-30", "2024-01-15T09:30:00Z", "2024-1-5", "6 months", "months", "ago", "from now",
  "€", "&&", "\u0000", "\ud800", "\u{1F600}", "count(", "sum(p.x where", "segment s:", "score s:\n  ", "lifecycle l:\n  ",
  "tiers t by x:\n  ", "tiers t by x quantiles:\n  ", "rfm r:\n  ", "clamp 0 to 100", "decaying 50% every 30 days by at",
];

const soup = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(" ", "", "\n", "  ", "\t")), { maxLength: 60 })
  .map((parts) => parts.map(([w, sep]) => w + sep).join(""));

const anyText = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: "binary", maxLength: 120 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  soup,
);

describe("never throws", () => {
  it("parseExpression on arbitrary text and token soup", () => {
    fc.assert(
      fc.property(anyText, (s) => wellFormed(s, parseExpression(s))),
      { numRuns: 1500 },
    );
  });

  it("parseRules on arbitrary text and token soup", () => {
    fc.assert(
      fc.property(anyText, (s) => wellFormed(s, parseRules(s))),
      { numRuns: 1500 },
    );
  });

  it("with tight limits too", () => {
    const limits = { maxSourceLength: 80, maxDepth: 3, maxListLength: 2, maxNodes: 10, maxDefinitions: 1 };
    fc.assert(
      fc.property(soup, (s) => {
        wellFormed(s, parseExpression(s, { limits }));
        wellFormed(s, parseRules(s, { limits }));
      }),
      { numRuns: 500 },
    );
  });

  it("on non-strings given by untyped callers", () => {
    for (const v of [undefined, null, 42, {}, ["a"]]) {
      const r = parseExpression(v as unknown as string);
      expect(r.doc).toBeUndefined();
      expect(r.diagnostics[0]!.code).toBe("syntax.not-text");
    }
  });
});

/** Lines of valid definitions: headers and body lines of every kind, mixed at random below. */
const DEFINITION_LINES = [
  "segment decideursSante:",
  '  sector = "santé" and role in ["CEO", "CTO", "DG"]',
  "segment a:",
  "  orders > 1 and count(purchases where amount > 100) >= 2",
  "  and @decideursSante and not unsubscribed or x within last 30 days",
  "  and d > 6 months ago and r < 60 days from now and not (any p where (x in [1, 2]))",
  '  and a.`b c`.d is not set and n not starts with "x" and t has any ["a"] and u between 1 and 2',
  "score lead:",
  '  +20 if role in ["CEO", "CTO", "CMO"]',
  "  +10 if employees between 50 and 5000",
  "  +5 per emailClicks30d max 25",
  "  -30 if unsubscribed # malus",
  '  +10 per events where (type = "webinar") decaying 50% every 30 days by at',
  "  clamp 0 to 100",
  "lifecycle stage:",
  "  awareness",
  "  evaluation if demoRequested or pricingViews > 0",
  "      or $p",
  "  retention  if orders >= 2 and lastPurchase < 12 months",
  "tiers value by sum(purchases.amount where date < 12 months):",
  "tiers t by score quantiles:",
  "tiers potential by employees quantiles:",
  "  high   if >= 100k",
  '  medium if between 20k and "x"',
  "  top    20%",
  "  rest   otherwise",
  "rfm customers:",
  "  recency   lastPurchase",
  "  frequency count(purchases where date < 12 months)",
  "  monetary  sum(purchases.amount where date < 12 months)",
];

/** A rules file of random definition lines, with some tokens deleted (or glued to their neighbours). */
const brokenRules = fc
  .tuple(
    fc.array(fc.constantFrom(...DEFINITION_LINES), { minLength: 1, maxLength: 12 }),
    fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([lines, deletions, glue]) => {
    let source = `${lines.join("\n")}\n`;
    for (const d of deletions) {
      const tokens = lex(new SourceText(source)).tokens;
      if (tokens.length === 0) break;
      const t = tokens[d % tokens.length]!;
      source = source.slice(0, t.startOffset) + (glue ? "" : " ") + source.slice(t.startOffset + t.image.length);
    }
    return source;
  });

describe("broken rules files", () => {
  it("random definition lines with tokens deleted: real syntax errors, never syntax.internal", () => {
    fc.assert(
      fc.property(brokenRules, (s) => wellFormed(s, parseRules(s))),
      { numRuns: 1500 },
    );
  });

  it("an operator with its value deleted is a missing value, at the end of the line", () => {
    for (const [source, at] of [
      ["segment a:\n  orders >\n", "2:11"],
      ["segment a:\n  orders >", "2:11"],
      ["segment a:\n  orders >\nsegment b:\n  x\n", "2:11"],
      ["score s:\n  +1 if orders >\n  +2 if x\n", "2:17"],
    ] as const) {
      const r = parseRules(source);
      expect(r.diagnostics.map((d) => `${d.code}@${d.span.start.line}:${d.span.start.column}`), source).toEqual([`syntax.expected-value@${at}`]);
    }
  });
});

describe("valid expressions parse", () => {
  const field = fc.constantFrom("sector", "employees", "a.b", "count", "type", "`chiffre d'affaires`", "r\u00e9gion");
  const value = fc.constantFrom('"santé"', "42", "-3.5", "250k", "2024-01-15", "6 months", "6 months ago", "true", "$p", "other");
  const leaf = fc.oneof(
    fc.tuple(field, fc.constantFrom("=", "!=", "<", "<=", ">", ">=", "before", "after"), value).map(([f, o, v]) =>
      (o === "before" || o === "after") && v === "6 months" ? `${f} ${o} ${v} ago` : `${f} ${o} ${v}`,
    ),
    fc.tuple(field, fc.boolean()).map(([f, n]) => `${f}${n ? " not" : ""} between 1 and 2`),
    fc.tuple(field, fc.boolean()).map(([f, n]) => `${f}${n ? " not" : ""} in ["a", "b"]`),
    fc.tuple(field, fc.constantFrom("contains", "starts with", "ends with", "~="), fc.boolean()).map(
      ([f, o, n]) => `${f}${n ? " not" : ""} ${o} "x"`,
    ),
    fc.tuple(field, fc.constantFrom("set", "empty"), fc.boolean()).map(([f, w, n]) => `${f} is${n ? " not" : ""} ${w}`),
    field,
    fc.constantFrom("@seg", "count(p where q) > 3", "tags has any [1, 2]", "d within last 30 days"),
  );
  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(tie("e"), fc.constantFrom("and", "or", "AND"), tie("e")).map(([a, o, b]) => `${a} ${o} ${b}`),
      tie("e").map((e) => `not ${e}`),
      tie("e").map((e) => `(${e})`),
      tie("e").map((e) => `any p where (${e})`),
    ),
  })).e;

  it("every generated expression parses, and NFC/case do not matter for keywords", () => {
    fc.assert(
      fc.property(expr, (s) => {
        const r = parseExpression(s, { limits: { maxDepth: 1000 } });
        expect(r.diagnostics).toEqual([]);
        const upper = s.replace(/\b(and|or|not|between|in|is|set|empty|contains|starts|with|ends|any|where)\b/g, (w) => w.toUpperCase());
        const r2 = parseExpression(upper, { limits: { maxDepth: 1000 } });
        expect(strip(r2.doc)).toEqual(strip(r.doc));
      }),
      { numRuns: 400 },
    );
  });
});

function strip(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "span" || k === "pathSpan" || k === "comments" ? undefined : v)));
}
