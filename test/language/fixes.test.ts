/**
 * Machine-applicable fixes (issue 15): every did-you-mean and every certain replacement carries
 * a fix, in `check`/`checkRules` and in the language service alike, and applying a fix's edits
 * gives a source where that diagnostic is gone (a property over mangled sources).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check, checkRules } from "../../src/index.js";
import { type Diagnostic, type Fix, applyFix } from "../../src/errors/diagnostic.js";
import { Contact, RULES, expr, rules } from "./support.js";

const fixed = (src: string, d: Diagnostic, i = 0): string => applyFix(src, d.fixes![i]!);

/** The one diagnostic of `src` with `code`, which must carry fixes. */
function only(src: string, code: string, ls = expr): Diagnostic {
  const ds = ls.diagnostics(src).filter((d) => d.code === code);
  expect(ds, `${code} in ${src}: ${JSON.stringify(ls.diagnostics(src).map((d) => d.code))}`).toHaveLength(1);
  expect(ds[0]!.fixes?.length, `fixes of ${code} in ${src}`).toBeGreaterThan(0);
  return ds[0]!;
}

describe("fixes, case by case", () => {
  const cases: [string, string, string][] = [
    ['sectr = "santé"', "field.unknown", 'sector = "santé"'],
    ['hq.ctiy = "Lyon"', "field.unknown", 'hq.city = "Lyon"'],
    ["sum(purchases.amont) > 3", "field.unknown", "sum(purchases.amount) > 3"],
    ['any contacts where (rol = "CEO")', "field.unknown", 'any contacts where (role = "CEO")'],
    ['sector = "sante"', "enum.unknown-value", 'sector = "santé"'],
    ['sector in ["finance", "industri"]', "enum.unknown-value", 'sector in ["finance", "industrie"]'],
    ["sector = santé", "field.unknown", 'sector = "santé"'],
    ["employees == 3", "syntax.operator-spelling", "employees = 3"],
    ["employees <> 3", "syntax.operator-spelling", "employees != 3"],
    ["employees > 3&&unsubscribed", "syntax.operator-spelling", "employees > 3 and unsubscribed"],
    ["!unsubscribed", "syntax.operator-spelling", "not unsubscribed"],
    ["lastPurchase < 6months", "syntax.glued-number", "lastPurchase < 6 months"],
    ["revenue > 3K", "syntax.glued-number", "revenue > 3k"],
    ["revenue > 1m", "syntax.ambiguous-suffix", "revenue > 1M"],
    ["sector = 'santé'", "syntax.wrong-quotes", 'sector = "santé"'],
    ["sector = «santé»", "syntax.wrong-quotes", 'sector = "santé"'],
    ["lastPurchase < 6 mois", "syntax.unit-spelling", "lastPurchase < 6 months"],
    ["employees > 3 et unsubscribed", "syntax.keyword-spelling", "employees > 3 and unsubscribed"],
    ["lastPurchase is null", "syntax.unexpected-token", "lastPurchase is not set"],
    ["lastPurchase = null", "field.unknown", "lastPurchase is not set"],
    ["lastPurchase after 6 months", "syntax.bare-duration-alias", "lastPurchase after 6 months ago"],
    ["lastPurchase = 2024-1-5", "syntax.invalid-date", "lastPurchase = 2024-01-05"],
  ];
  it.each(cases)("%s (%s)", (src, code, want) => {
    const d = only(src, code);
    expect(fixed(src, d)).toBe(want);
    expect(check(src, Contact).diagnostics).toEqual(expr.diagnostics(src)); // check returns the same fixes
    expect(expr.diagnostics(want).filter((x) => x.code === code)).toEqual([]);
  });

  it("`1m`: two fixes, a million or a minute", () => {
    const d = only("revenue > 1m", "syntax.ambiguous-suffix");
    expect(d.fixes!.map((f) => f.title)).toEqual(["Write `1M`", "Write `1 minute`"]);
  });

  it("`sector = santé` offers only the quoting, not a did-you-mean field", () => {
    expect(only("sector = santé", "field.unknown").fixes).toHaveLength(1);
  });

  it("rules files: @references and stage values", () => {
    const src = 'segment big:\n  employees > 3\nlifecycle st:\n  awareness\n  purchase if employees > 1\nsegment b:\n  @bgi and @st >= "purchse"\n';
    const ref = only(src, "ref.unknown", rules);
    expect(fixed(src, ref)).toContain("@big and");
    const stage = only(src, "ref.unknown-value", rules);
    expect(fixed(src, stage)).toContain('@st >= "purchase"');
    expect(checkRules(src, Contact).diagnostics).toEqual(rules.diagnostics(src));
  });
});

// ---------------------------------------------------------------------------------------------
// The law: applying a fix removes its diagnostic
// ---------------------------------------------------------------------------------------------

const BASES = [
  'sector = "santé" and employees >= 50',
  'hq.city = "Lyon" or lastPurchase < 6 months',
  'any contacts where (role = "CEO" and email is not set)',
  'sum(purchases.amount where date < 12 months) > 1000 and tags has "vip"',
  'grade >= "B" and not unsubscribed and sector in ["finance", "industrie"]',
  "revenue between 1000 and 5000 and lastPurchase is set",
  "lastPurchase > 2024-01-05 and renewal < 60 days from now",
];

/** Ways authors get a rule wrong, each at the `k`-th place it applies. */
const MANGLERS: ((s: string, k: number) => string)[] = [
  (s, k) => nth(s, /[A-Za-z]{4,}/g, k, (w) => (isKeyword(w) ? w : w.slice(0, 2) + w.slice(3))), // drop a letter
  (s, k) => nth(s, /[A-Za-z]{4,}/g, k, (w) => (isKeyword(w) ? w : w.slice(0, 1) + w[2] + w[1] + w.slice(3))), // swap two
  (s, k) => nth(s, /"[^"]{3,}"/g, k, (w) => `"${w.slice(1, -2)}"`), // a value loses its last letter
  (s, k) => nth(s, /"[^"]*"/g, k, (w) => `'${w.slice(1, -1)}'`),
  (s, k) => nth(s, /"([a-zé]+)"/g, k, (w) => w.slice(1, -1)), // unquoted value
  (s, k) => nth(s, / = /g, k, () => " == "),
  (s, k) => nth(s, / and /g, k, () => (k % 2 ? "&&" : " et ")),
  (s, k) => nth(s, /not /g, k, () => "!"),
  (s, k) => nth(s, /(\d+) months/g, k, (w) => w.replace(" months", k % 2 ? "months" : " mois")),
  (s, k) => nth(s, /is not set/g, k, () => "is null"),
  (s, k) => nth(s, /\b1000\b/g, k, () => "1m"),
  (s, k) => nth(s, /2024-01-05/g, k, () => "2024-1-5"),
];

const KEYWORDS = new Set(["and", "where", "between", "months", "from", "none", "contains"]);
const isKeyword = (w: string) => KEYWORDS.has(w.toLowerCase());

/** `s` with the `k`-th match of `re` (mod the count) replaced by `f(match)`. */
function nth(s: string, re: RegExp, k: number, f: (m: string) => string): string {
  const ms = [...s.matchAll(re)];
  if (ms.length === 0) return s;
  const m = ms[k % ms.length]!;
  return s.slice(0, m.index) + f(m[0]) + s.slice(m.index! + m[0].length);
}

const mangled = fc
  .tuple(fc.constantFrom(...BASES), fc.array(fc.tuple(fc.nat(MANGLERS.length - 1), fc.nat(20)), { minLength: 1, maxLength: 3 }))
  .map(([base, ops]) => ops.reduce((s, [m, k]) => MANGLERS[m]!(s, k), base));

function fixRemovesIt(ls: typeof expr, src: string): void {
  for (const d of ls.diagnostics(src)) {
    for (const fix of d.fixes ?? []) {
      expectWellFormed(src, fix);
      const after = ls.diagnostics(applyFix(src, fix));
      const still = after.filter((x) => x.code === d.code && x.span.start.offset === d.span.start.offset);
      expect(still, `${JSON.stringify(src)} → ${fix.title} → ${JSON.stringify(applyFix(src, fix))}`).toEqual([]);
    }
  }
}

function expectWellFormed(src: string, fix: Fix): void {
  expect(fix.title).toMatch(/\S/);
  for (const e of fix.edits) {
    expect(e.span.start.offset).toBeGreaterThanOrEqual(0);
    expect(e.span.end.offset).toBeLessThanOrEqual(src.length);
    expect(e.span.start.offset).toBeLessThanOrEqual(e.span.end.offset);
  }
}

describe("the fix law", () => {
  it("expressions: applying any fix's edits removes that diagnostic", () => {
    let withFixes = 0;
    fc.assert(
      fc.property(mangled, (src) => {
        if (expr.diagnostics(src).some((d) => d.fixes?.length)) withFixes++;
        fixRemovesIt(expr, src);
      }),
      { numRuns: 300 },
    );
    expect(withFixes).toBeGreaterThan(100); // the manglers do produce fixable mistakes
  });

  it("rules files: the same, over a file with every kind of definition", () => {
    const base = fc.constant<string>(RULES);
    const file = fc
      .tuple(base, fc.array(fc.tuple(fc.nat(MANGLERS.length - 1), fc.nat(40)), { minLength: 1, maxLength: 2 }))
      .map(([b, ops]) => ops.reduce<string>((s, [m, k]) => MANGLERS[m]!(s, k), b));
    fc.assert(fc.property(file, (src) => fixRemovesIt(rules, src)), { numRuns: 60 });
  });
});
