/**
 * Hints for the mistakes French-speaking authors make (issue 12): each is attached only where the
 * text is already an error, names the English spelling, and carries a fix that, applied, gives a
 * rule that parses and checks.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { check, checkRules, type Diagnostic } from "../../src/index.js";
import { applyFix } from "../../src/errors/diagnostic.js";
import { parseExpression, parseRules } from "../../src/syntax/index.js";

const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie"]),
  employees: z.number().int(),
  revenue: z.number().nullable(),
  lastPurchase: z.date().nullable(),
  createdOn: z.iso.date(),
  unsubscribed: z.boolean(),
  demoRequested: z.boolean(),
  city: z.string().optional(),
  role: z.string(),
  si: z.boolean(),
  non: z.boolean(),
  ans: z.number(),
});

/** The one diagnostic of `source` (asserts there is exactly one). */
function only(ds: readonly Diagnostic[], source: string): Diagnostic {
  expect(ds.map((d) => d.code), source).toHaveLength(1);
  return ds[0]!;
}

/** Asserts code, covered text and hint, then that the first fix gives a rule that checks clean. */
function expectHint(source: string, code: string, covered: string, fixedCode: string, rules = false): Diagnostic {
  const d = only(rules ? parseRules(source).diagnostics : parseExpression(source).diagnostics, source);
  expect(d.code).toBe(code);
  expect(source.slice(d.span.start.offset, d.span.end.offset)).toBe(covered);
  expect(d.span.start.line).toBeGreaterThan(0);
  expect(d.hint).toContain(fixedCode);
  expect(d.fixes).toHaveLength(1);
  const fixed = applyFix(source, d.fixes![0]!);
  const report = rules ? checkRules(fixed, Contact) : check(fixed, Contact);
  expect(report.diagnostics, fixed).toEqual([]);
  return d;
}

describe("French units → English units", () => {
  it.each([
    ["lastPurchase < 6 mois", "mois", "6 months"],
    ["lastPurchase > 2 ans ago", "ans", "2 years ago"],
    ["lastPurchase < 1 an", "an", "1 year"],
    ["lastPurchase within last 30 jours", "jours", "30 days"],
    ["lastPurchase < 2 semaines", "semaines", "2 weeks"],
    ["lastPurchase < 1 Semaine", "Semaine", "1 week"],
    ["lastPurchase < 12 heures", "heures", "12 hours"],
  ])("%s", (source, word, fixed) => {
    const d = expectHint(source, "syntax.unit-spelling", word, fixed.split(" ").slice(0, 2).join(" "));
    expect(applyFix(source, d.fixes![0]!)).toContain(fixed);
  });

  it("a field named like a French unit keeps its meaning", () => {
    expect(check("ans > 3", Contact).diagnostics).toEqual([]);
  });
});

describe("French keywords → English keywords", () => {
  it.each([
    ["unsubscribed et demoRequested", "et", "and"],
    ['sector = "santé" ET employees > 50', "ET", "and"],
    ["unsubscribed ou demoRequested", "ou", "or"],
    ["employees between 10 et 50", "et", "and"],
    ["non unsubscribed", "non", "not"],
    ["demoRequested and non unsubscribed", "non", "not"],
    ['sector non in ["santé"]', "non", "not"],
  ])("%s", (source, word, keyword) => {
    expectHint(source, "syntax.keyword-spelling", word, keyword);
  });

  it.each([
    ['score lead:\n  +20 si role = "CEO"\n', "si", "if"],
    ["lifecycle stage:\n  awareness\n  evaluation si demoRequested\n", "si", "if"],
    ["tiers value by employees:\n  high if >= 100\n  low sinon\n", "sinon", "otherwise"],
  ])("in a rules file: %j", (source, word, keyword) => {
    expectHint(source, "syntax.keyword-spelling", word, keyword, true);
  });

  it("fields named `si` and `non` keep their meaning", () => {
    expect(check("si and non", Contact).diagnostics).toEqual([]);
    expect(check("not non", Contact).diagnostics).toEqual([]);
  });

  it("no keyword hint where the English keyword would not fit", () => {
    // `si` after a condition in a segment is not `if`
    const d = only(parseRules("segment a:\n  unsubscribed si demoRequested\n").diagnostics, "si");
    expect(d.code).toBe("syntax.unexpected-token");
    expect(d.fixes).toBeUndefined();
  });
});

describe("French numbers", () => {
  it.each([
    ["employees > 1 000 000", "1 000 000", "1000000"],
    ["employees > 10 000", "10 000", "10000"],
    ["employees > 10\u202f000", "10\u202f000", "10000"],
    ["employees > 1 000.5", "1 000.5", "1000.5"],
  ])("%j: digits grouped with spaces", (source, covered, fixed) => {
    expectHint(source, "syntax.invalid-number", covered, fixed);
  });

  it.each([
    ["revenue > 1,5M", "1,5M", "1.5M"],
    ["revenue > 2,75", "2,75", "2.75"],
  ])("%j: a decimal comma", (source, covered, fixed) => {
    expectHint(source, "syntax.invalid-number", covered, fixed);
  });

  it("a list of numbers is untouched", () => {
    expect(parseExpression("employees in [1,5]").diagnostics).toEqual([]);
  });
});

describe("French dates", () => {
  it.each([
    ["createdOn > 03/12/2025", "03/12/2025", "2025-12-03", "3 December 2025"],
    ["createdOn > 13/1/2025", "13/1/2025", "2025-01-13", "13 January 2025"],
  ])("%s is read day first", (source, covered, fixed, words) => {
    const d = expectHint(source, "syntax.invalid-date", covered, fixed);
    expect(d.hint).toContain("day first");
    expect(d.hint).toContain(words);
  });

  it("a slash date that is no real date, read day first, has no fix", () => {
    const d = only(parseExpression("createdOn > 12/31/2025").diagnostics, "12/31/2025");
    expect(d.code).toBe("syntax.invalid-date");
    expect(d.span.start.offset).toBe(12);
    expect(d.span.end.offset).toBe(22);
    expect(d.fixes).toBeUndefined();
  });
});

describe("null → is set / is not set", () => {
  it.each([
    ["city is null", "null", "is not set"],
    ["city is not null", "null", "is set"],
    ["city IS NULL", "NULL", "is not set"],
  ])("%s", (source, covered, fixed) => {
    const d = expectHint(source, "syntax.unexpected-token", covered, fixed);
    expect(applyFix(source, d.fixes![0]!)).toBe(`city ${fixed}`);
  });
});

describe("bare words in lists", () => {
  it("[santé, finance]: the first bare word gets a fix that quotes it", () => {
    const source = 'sector in [santé, "finance"]';
    const d = expectHint(source, "syntax.list-item", "santé", '"santé"');
    expect(applyFix(source, d.fixes![0]!)).toBe('sector in ["santé", "finance"]');
  });
});
