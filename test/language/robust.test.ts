/**
 * No method of the language service throws, whatever the text and the offset (issue 15), and
 * every answer is well formed: ranges inside the text, tokens in order and not overlapping.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Span } from "../../src/errors/diagnostic.js";
import { complete } from "../../src/language/complete.js";
import type { ServiceContext } from "../../src/language/context.js";
import { highlight } from "../../src/language/highlight.js";
import { hover } from "../../src/language/hover.js";
import { scan } from "../../src/language/scan.js";
import { definitionAt, symbols } from "../../src/language/symbols.js";
import { readSchema } from "../../src/schema/index.js";
import { Contact, NOW, RULES, expr, rules } from "./support.js";

const WORDS = [
  "and", "or", "not", "in", "has", "any", "all", "none", "where", "is", "set", "empty", "between", "within", "last", "next",
  "ago", "from", "now", "before", "after", "contains", "starts", "ends", "with", "if", "per", "max", "decaying", "every", "by",
  "clamp", "to", "otherwise", "quantiles", "seed", "segment", "score", "lifecycle", "tiers", "rfm", "channel", "split",
  "recency", "frequency", "monetary", "count(", "sum(", "sector", "hq.", "hq.city", "contacts", "purchases.amount", "score",
  "=", "==", "!=", "<", ">=", "~=", "(", ")", "[", "]", ",", ".", ":", "%", "+20", "-5", "6", "6months", "1m", "250k",
  '"santé"', '"open', "'x'", "«y»", "2024-01-05", "2024-1-5", "months", "days", "@", "@sante", "@`a b`", "$", "$p", "`",
  "#c\n", "\n", "\n  ", "é", "e\u0301", "\ud800", "\u{1F600}", "\u0000", "null", "et", "si", "mois",
];

const soup = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(" ", "", "\n", "  ")), { maxLength: 50 })
  .map((parts) => parts.map(([w, s]) => w + s).join(""));
/** The example rules file with a slice cut out or a piece of soup put in. */
const damaged = fc.tuple(fc.nat(RULES.length), fc.nat(30), soup).map(([at, cut, s]) => RULES.slice(0, at) + s + RULES.slice(at + cut));
const anyText = fc.oneof(soup, damaged, fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 40 }));

function inside(text: string, span: Span): void {
  expect(span.start.offset).toBeGreaterThanOrEqual(0);
  expect(span.end.offset).toBeGreaterThanOrEqual(span.start.offset);
  expect(span.end.offset).toBeLessThanOrEqual(text.length);
}

describe("the language service never throws", () => {
  for (const [name, ls] of [["expression", expr], ["rules", rules]] as const) {
    it(`${name}: every method, any text, any offset`, () => {
      fc.assert(
        fc.property(anyText, fc.integer({ min: -5, max: 400 }), (text, offset) => {
          for (const d of ls.diagnostics(text)) inside(text, d.span);
          const c = ls.complete(text, offset);
          expect(c.from).toBeLessThanOrEqual(c.to);
          expect(c.from).toBeGreaterThanOrEqual(0);
          expect(c.to).toBeLessThanOrEqual(text.length);
          for (const item of c.items) expect(typeof item.label).toBe("string");
          const h = ls.hover(text, offset);
          if (h) inside(text, h.span);
          let end = 0;
          for (const t of ls.tokens(text)) {
            inside(text, t.span);
            expect(t.span.start.offset).toBeGreaterThanOrEqual(end);
            end = t.span.end.offset;
          }
          for (const s of ls.symbols(text)) {
            inside(text, s.span);
            inside(text, s.nameSpan);
          }
          const def = ls.definition(text, offset);
          if (def) inside(text, def);
          expect(typeof ls.format(text)).toBe("string");
        }),
        { numRuns: 250 },
      );
    });
  }

  it("inside, no part throws either (the service's last-resort catch never has work to do)", () => {
    const model = readSchema(Contact);
    fc.assert(
      fc.property(anyText, fc.nat(400), fc.boolean(), (text, offset, isRules) => {
        const ctx: ServiceContext = { model, rules: isRules, params: { p: "number" }, now: NOW };
        const at = Math.min(offset, text.length);
        complete(ctx, text, at);
        hover(ctx, text, at);
        const s = scan(text, isRules);
        highlight(s);
        symbols(s);
        definitionAt(s, at);
      }),
      { numRuns: 300 },
    );
  });

  it("completion and hover answer at every offset of the example file", () => {
    for (let i = 0; i <= RULES.length; i++) {
      const c = rules.complete(RULES, i);
      expect(c.from).toBeLessThanOrEqual(i);
      expect(c.to).toBeGreaterThanOrEqual(i);
      rules.hover(RULES, i);
    }
  });

  it("non-string input is treated as empty text", () => {
    const bad = 42 as unknown as string;
    expect(expr.diagnostics(bad).map((d) => d.code)).toEqual(["syntax.empty"]);
    expect(expr.complete(bad, 0).items.length).toBeGreaterThan(0);
    expect(expr.hover(bad, 0)).toBeNull();
    expect(expr.tokens(bad)).toEqual([]);
    expect(expr.format(bad)).toBe("");
  });
});
