import { describe, expect, it } from "vitest";
import { parseExpression } from "../../src/syntax/index.js";
import { errors, where } from "./helpers.js";

/** The single diagnostic of `source`: its code, span (start offset, end offset) and hint. */
function one(source: string) {
  const ds = errors(source);
  expect(where(ds), source).toHaveLength(1);
  return first(source);
}

/** The first diagnostic of `source` (what follows may be a consequence of it). */
function first(source: string) {
  const d = errors(source)[0]!;
  return { code: d.code, at: [d.span.start.offset, d.span.end.offset], hint: d.hint, message: d.message };
}

describe("lexical mistakes", () => {
  it.each([
    ["x = 1m", "syntax.ambiguous-suffix", [4, 6], "1M or 1 minute?"],
    ["x = 5m", "syntax.ambiguous-suffix", [4, 6], "5M or 5 minutes?"],
    ["lastPurchase < 6months", "syntax.glued-number", [15, 22], "6 months"],
    ["x < 1day", "syntax.glued-number", [4, 8], "1 day"],
    ["x < 3d", "syntax.glued-number", [4, 6], "3 days"],
    ["x = 3K", "syntax.glued-number", [4, 6], "3k"],
    ["x = 1_", "syntax.invalid-number", [4, 6], undefined],
    ["x = 1__0", "syntax.invalid-number", [4, 8], undefined],
    ["d = 2024-02-30", "syntax.invalid-date", [4, 14], undefined],
    ["d = 2023-02-29", "syntax.invalid-date", [4, 14], undefined],
    ["d = 2024-13-01", "syntax.invalid-date", [4, 14], undefined],
    ["d = 2024-01-15T24:00:00Z", "syntax.invalid-date", [4, 24], undefined],
    ["d = 2024-01-15T10:60Z", "syntax.invalid-date", [4, 21], undefined],
    ["d = 2024-01-15T10:00:00+25:00", "syntax.invalid-date", [4, 29], undefined],
    ["d = 2024-1-5", "syntax.invalid-date", [4, 12], "2024-01-05"],
    ["d = 2024-01-15t10:00z", "syntax.invalid-date", [4, 21], "2024-01-15T10:00Z"],
    ['x = "abc', "syntax.unterminated-string", [4, 8], undefined],
    ['x = "a\\qb"', "syntax.invalid-escape", [6, 8], undefined],
    ['x = "\\u12g"', "syntax.invalid-escape", [5, 9], undefined],
    ["`a b = 1", "syntax.unterminated-name", [0, 8], undefined],
    ["`` = 1", "syntax.empty-name", [0, 2], undefined],
    ["@ = 1", "syntax.empty-name", [0, 1], undefined],
    ["x = $", "syntax.empty-name", [4, 5], undefined],
    ["x € 3", "syntax.unknown-character", [2, 3], undefined],
    ["x = 'abc'", "syntax.wrong-quotes", [4, 9], '"abc"'],
    ["x = \u201cabc\u201d", "syntax.wrong-quotes", [4, 9], '"abc"'],
    ["x = \u00ababc\u00bb", "syntax.wrong-quotes", [4, 9], '"abc"'],
    ["x == 1", "syntax.operator-spelling", [2, 4], "="],
    ["x <> 1", "syntax.operator-spelling", [2, 4], "!="],
    ["a && b", "syntax.operator-spelling", [2, 4], "and"],
    ["a || b", "syntax.operator-spelling", [2, 4], "or"],
    ["!a", "syntax.operator-spelling", [0, 1], "not"],
  ])("%s → %s", (source, code, at, hint) => {
    const d = one(source);
    expect(d.code).toBe(code);
    expect(d.at).toEqual(at);
    if (hint !== undefined) expect(d.hint).toBe(hint);
  });

  it("reports every lexical mistake, not only the first (the lexer goes on)", () => {
    expect(where(errors('a = 1m and b = "x\\q" and c € 2 and d = 2024-02-30 and e = 6months'))).toEqual([
      "syntax.ambiguous-suffix@1:5",
      "syntax.invalid-escape@1:18",
      "syntax.unknown-character@1:28",
      "syntax.invalid-date@1:40",
      "syntax.glued-number@1:59",
    ]);
  });

  it("a huge number is not finite: an error, not Infinity", () => {
    expect(one(`x = ${"9".repeat(400)}`).code).toBe("syntax.invalid-number");
    expect(one(`x = ${"9".repeat(305)}M`).code).toBe("syntax.invalid-number");
  });

  it("unknown characters in the author's terms (code point for invisibles)", () => {
    expect(one("x\u0007 = 1").message).toContain("U+0007");
  });
});

describe("structural mistakes", () => {
  it.each([
    ["x = ", "syntax.expected-value", [3, 3]],
    ["x = and y", "syntax.expected-value", [4, 7]],
    ["x > )", "syntax.expected-value", [4, 5]],
    ["a and", "syntax.expected-condition", [5, 5]],
    ["a or or b", "syntax.expected-condition", [5, 7]],
    ["not", "syntax.expected-condition", [3, 3]],
    ["", "syntax.empty", [0, 0]],
    ["  # only a comment", "syntax.empty", [18, 18]],
    ["(a = 1", "syntax.missing-paren", [6, 6]],
    ["a = 1)", "syntax.unexpected-token", [5, 6]],
    ["a = 1 b = 2", "syntax.unexpected-token", [6, 7]],
    ['x in ["a" "b"]', "syntax.missing-bracket", [10, 13]],
    ['x in ["a", b]', "syntax.list-item", [11, 12]],
    ["x in [a]", "syntax.list-item", [6, 7]],
    ["x in (1, 2)", "syntax.expected-value", [5, 6]],
    ["a not b", "syntax.unexpected-token", [6, 7]],
    ['a not has "x"', "syntax.unexpected-token", [6, 9]],
    ["x is null", "syntax.unexpected-token", [5, 9]],
    ["x within 30 days", "syntax.unexpected-token", [9, 11]],
    ["x within last 30", "syntax.expected-unit", [16, 16]],
    ['x starts "a"', "syntax.unexpected-token", [9, 12]],
    ["any p (x)", "syntax.unexpected-token", [6, 7]],
    ["42", "syntax.expected-operator", [0, 2]],
    ['"abc"', "syntax.expected-operator", [0, 5]],
    ["count(p)", "syntax.expected-operator", [0, 8]],
    ["6 months", "syntax.expected-operator", [0, 8]],
    ["sector(p) > 1", "syntax.unknown-function", [0, 6]],
    ["lastPurchase after 6 months", "syntax.bare-duration-alias", [13, 27]],
    ["lastPurchase before 6 months", "syntax.bare-duration-alias", [13, 28]],
    ["x < -3 days", "syntax.invalid-duration", [4, 6]],
    ["x < 1.5 days", "syntax.invalid-duration", [4, 7]],
    ["from = 1", "syntax.expected-condition", [0, 4]],
    ["x = from", "syntax.expected-value", [4, 8]],
    ["a.in = 1", "syntax.expected-name", [2, 4]],
    ["x between 1 and 2 and 3", "syntax.expected-operator", [22, 23]],
    ["x between 1 or 2", "syntax.unexpected-token", [12, 14]],
  ])("%s → %s", (source, code, at) => {
    const d = first(source);
    expect(d.code).toBe(code);
    expect(d.at).toEqual(at);
    expect(d.message).not.toMatch(/MismatchedToken|NoViableAlt|EOF|Expecting|but found|-->/);
  });

  it("says what was expected, after what, in the author's terms", () => {
    expect(one("x = ").message).toBe("Expected a value after `=`, found the end of the text.");
    expect(one("x = and y").message).toBe("Expected a value after `=`, found `and`.");
    expect(one("a and").message).toBe("Expected a condition after `and`, found the end of the text.");
  });

  it("a character the lexer drops does not also give a parse error", () => {
    expect(where(errors("x € 3"))).toEqual(["syntax.unknown-character@1:3"]);
  });

  it("hints: the unclosed parenthesis, is not set, before/after with a duration", () => {
    expect(one("a and (b or (c = 1)").hint).toBe("the `(` at line 1, column 7 is never closed");
    expect(one("x is null").hint).toBe("`is not set`");
    expect(one("lastPurchase after 6 months").hint).toBe("6 months ago");
    expect(one("x = from").hint).toContain("backquotes");
  });

  it("positions on later lines", () => {
    const d = errors("a = 1\n  and\n    b = ")[0]!;
    expect(d.code).toBe("syntax.expected-value");
    expect(d.span.start).toEqual({ offset: 19, line: 3, column: 8 });
  });
});

describe("recovery: independent mistakes are all reported", () => {
  it("three parse mistakes give three diagnostics", () => {
    expect(where(errors("a = and b > ) or c in (1)"))).toEqual([
      "syntax.expected-value@1:5",
      "syntax.expected-value@1:13",
      "syntax.expected-value@1:23",
    ]);
  });

  it("lexical and parse mistakes together", () => {
    expect(where(errors('a = and b = "x\nand c <'))).toEqual([
      "syntax.expected-value@1:5",
      "syntax.unterminated-string@1:13",
      "syntax.expected-value@2:8",
    ]);
  });

  it("across lines and parentheses", () => {
    const ds = errors("(a = ) and\n(b in [x]) and\n(c is nothing)");
    expect(where(ds)).toEqual([
      "syntax.expected-value@1:6",
      "syntax.list-item@2:8",
      "syntax.unexpected-token@3:7",
    ]);
  });

  it("never produces a document when there is an error", () => {
    const r = parseExpression("a = ");
    expect(r.doc).toBeUndefined();
  });
});
