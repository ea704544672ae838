import fc from "fast-check";
import { tokenMatcher } from "chevrotain";
import { describe, expect, it } from "vitest";
import { parseExpression, parseRules } from "../../src/syntax/index.js";
import { HARD_KEYWORDS, IDENTIFIER, SOFT_KEYWORDS } from "../../src/ast/keywords.js";
import { printName } from "../../src/ast/text.js";
import { KEYWORDS, Name, lexer, tokenizeFast } from "../../src/syntax/tokens.js";
import { lex } from "../../src/syntax/literals.js";
import { SourceText } from "../../src/syntax/source.js";
import { body, cmp, errors, f, num, str, truthy, where } from "./helpers.js";

describe("keywords", () => {
  it("are case-insensitive", () => {
    expect(body('a AND b Or NOT c And x IN ["a"] and y BETWEEN 1 AnD 2 and z Is Not Set')).toEqual(
      body('a and b or not c and x in ["a"] and y between 1 and 2 and z is not set'),
    );
    expect(body("d BEFORE 2024-01-01 and e WITHIN LAST 3 DAYS and n STARTS WITH \"a\"")).toEqual(
      body('d before 2024-01-01 and e within last 3 days and n starts with "a"'),
    );
    expect(body("COUNT(p WHERE x) > 1 and t HAS ANY [1] and ANY p WHERE (q)")).toEqual(
      body("count(p where x) > 1 and t has any [1] and any p where (q)"),
    );
  });

  it("keep the case of field names, even when a field is named like a soft keyword", () => {
    expect(body("Score = 1")).toEqual(cmp(f("Score"), "=", num(1)));
    expect(body("COUNT > 1")).toEqual(cmp(f("COUNT"), ">", num(1)));
  });

  it("never split a word: orders, index, within, android are identifiers or whole keywords", () => {
    expect(body("orders >= 1 and index = 2 and android and notes and isActive and hasX")).toEqual({
      kind: "and",
      operands: [
        cmp(f("orders"), ">=", num(1)),
        cmp(f("index"), "=", num(2)),
        truthy(f("android")),
        truthy(f("notes")),
        truthy(f("isActive")),
        truthy(f("hasX")),
      ],
    });
  });

  it("the lexer's keyword table is ast/keywords.ts: hard ones are not names, soft ones are", () => {
    for (const w of HARD_KEYWORDS) {
      const t = KEYWORDS.get(w);
      expect(t, w).toBeDefined();
      expect(t!.CATEGORIES ?? [], w).not.toContain(Name);
    }
    for (const [w, t] of KEYWORDS) {
      if (HARD_KEYWORDS.has(w)) continue;
      expect(SOFT_KEYWORDS.has(w), `${w} is a keyword token but not in SOFT_KEYWORDS`).toBe(true);
      expect(t.CATEGORIES, w).toContain(Name);
    }
  });

  it("hard keywords are refused as bare names", () => {
    for (const w of HARD_KEYWORDS) {
      const r = parseExpression(`${w}.x = 1`);
      expect(r.doc, w).toBeUndefined();
      expect(parseExpression(`\`${w}\` = 1`).doc, w).toBeDefined();
    }
  });
});

describe("identifiers and Unicode", () => {
  it("accepts Unicode letters, digits and _", () => {
    expect(body("secteur_2024 = 1 and chiffreAffaires > 2 and 会社 = 3 and _x and Ωmega")).toMatchObject({
      operands: [{ left: f("secteur_2024") }, { left: f("chiffreAffaires") }, { left: f("会社") }, truthy(f("_x")), truthy(f("Ωmega"))],
    });
    expect(body("𝒳 = 1")).toEqual(cmp(f("𝒳"), "=", num(1)));
  });

  it("NFC-normalises names: a decomposed é names the same field, spans stay on the original text", () => {
    const decomposed = "re\u0301gion = 1";
    const r = parseExpression(decomposed);
    expect(r.diagnostics).toEqual([]);
    const left = (r.doc!.body as unknown as { left: { path: string[]; span: { end: { offset: number } } } }).left;
    expect(left.path).toEqual(["r\u00e9gion"]);
    expect(left.span.end.offset).toBe(7); // 7 code units in the source, 6 in the name
    expect(body("`chiffre d'affaire\u0301s` = 1")).toEqual(cmp(f("chiffre d'affair\u00e9s"), "=", num(1)));
    expect(body("@de\u0301cideurs")).toEqual(truthy({ kind: "ref", name: "d\u00e9cideurs" }));
    expect(body("x = $re\u0301gion")).toMatchObject({ right: { kind: "param", name: "r\u00e9gion" } });
  });

  it("NFC-normalises string literals", () => {
    expect(body('sector = "sante\u0301"')).toEqual(cmp(f("sector"), "=", str("sant\u00e9")));
    expect(body('sector = "sant\\u0065\\u0301"')).toEqual(cmp(f("sector"), "=", str("sant\u00e9")));
  });

  it("a combining mark cannot start a name", () => {
    expect(parseExpression("\u0301x = 1").diagnostics[0]?.code).toBe("syntax.unknown-character");
  });

  it("every letter starts an identifier, in every block (U+FE70 included)", () => {
    expect(body("\uFE70 = 1")).toEqual(cmp(f("\uFE70"), "=", num(1)));
    expect(body("\uFE70\u2C00 and \uFEFC")).toEqual({ kind: "and", operands: [truthy(f("\uFE70\u2C00")), truthy(f("\uFEFC"))] });
    expect(body("x = 1 and \uFE76\uFE77 > 2")).toMatchObject({ operands: [{}, { left: f("\uFE76\uFE77") }] });
  });
});

/** Every code point of `\p{L}`, and of `[\p{L}\p{M}\p{N}_]`, once per test file. */
const LETTERS: number[] = [];
const NAME_CHARS: number[] = [];
for (let c = 0; c <= 0x10ffff; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue;
  const ch = String.fromCodePoint(c);
  if (/\p{L}/u.test(ch)) LETTERS.push(c);
  if (/[\p{L}\p{M}\p{N}_]/u.test(ch)) NAME_CHARS.push(c);
}
const fromTable = (table: number[]) => fc.nat({ max: table.length - 1 }).map((i) => String.fromCodePoint(table[i]!));
/** Any string matching IDENTIFIER (ast/keywords.ts), weighted towards the letters far from ASCII. */
const identifier = fc
  .tuple(fc.oneof(fromTable(LETTERS), fc.constant("_"), fc.constantFrom("a", "Z", "é")), fc.array(fromTable(NAME_CHARS), { maxLength: 6 }))
  .map(([head, tail]) => head + tail.join(""));

describe("identifiers: a property", () => {
  it("any string matching IDENTIFIER and not a hard keyword lexes as one name token, and parses as that field", () => {
    fc.assert(
      fc.property(identifier, (name) => {
        expect(IDENTIFIER.test(name)).toBe(true);
        fc.pre(!HARD_KEYWORDS.has(name.toLowerCase()));
        const lexed = lex(new SourceText(name));
        expect(lexed.diagnostics).toEqual([]);
        expect(lexed.tokens).toHaveLength(1);
        expect(lexed.tokens[0]!.image).toBe(name);
        expect(tokenMatcher(lexed.tokens[0]!, Name)).toBe(true);
        expect(body(`${name} = 1`)).toEqual(cmp(f(name.normalize("NFC")), "=", num(1)));
      }),
      { numRuns: 2000 },
    );
  });

  it("every letter of the Basic Multilingual Plane starts an identifier", () => {
    const refused = LETTERS.filter((c) => c <= 0xffff).filter((c) => {
      const tokens = lex(new SourceText(`${String.fromCharCode(c)}x`)).tokens;
      return tokens.length !== 1 || !tokenMatcher(tokens[0]!, Name);
    });
    expect(refused.map((c) => c.toString(16))).toEqual([]);
  });
});

describe("backquoted names", () => {
  it("read \\` as a backquote and \\\\ as a backslash (the printer's escapes, docs/formatting.md)", () => {
    expect(body("`back\\`tick` = 1")).toEqual(cmp(f("back`tick"), "=", num(1)));
    expect(body("`back\\\\slash`")).toEqual(truthy(f("back\\slash")));
    expect(body("`x\\``")).toEqual(truthy(f("x`")));
    expect(body("`\\\\`")).toEqual(truthy(f("\\")));
    expect(body("a.`b\\`c`.d")).toEqual(truthy(f("a", "b`c", "d")));
    expect(body("@`big \\`spenders\\``")).toEqual(truthy({ kind: "ref", name: "big `spenders`" }));
  });

  it("any name printed by printName reads back", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }), fc.constantFrom("", "\\", "`", "\\`", "`\\"), (s, extra) => {
        const name = (s + extra).normalize("NFC");
        fc.pre(!/[\n\r]/.test(name) && name.trim() !== "");
        expect(body(printName(name))).toEqual(truthy(f(name)));
      }),
      { numRuns: 500 },
    );
  });

  it("refuse any other backslash escape, with a hint, at the escape", () => {
    const ds = errors("`a\\nb` = 1 and `c\\😀` and @`\\x`");
    expect(where(ds)).toEqual(["syntax.invalid-escape@1:3", "syntax.invalid-escape@1:18", "syntax.invalid-escape@1:29"]);
    expect(ds.map((d) => d.span.end.column - d.span.start.column)).toEqual([2, 3, 2]);
    expect(ds[0]!.hint).toContain("\\\\");
  });

  it("an escaped closing backquote leaves the name open", () => {
    expect(where(errors("`abc\\` = 1"))).toEqual(["syntax.unterminated-name@1:1"]);
    expect(where(errors("x = 1 and @`abc\\`"))).toEqual(["syntax.unterminated-name@1:11"]);
  });
});

describe("comments", () => {
  it("are collected with their text (without #) and spans", () => {
    const r = parseExpression("# leading\na = 1 # trailing\n  and b #last");
    expect(r.diagnostics).toEqual([]);
    expect(r.doc!.comments.map((c) => c.text)).toEqual([" leading", " trailing", "last"]);
    expect(r.doc!.comments.map((c) => [c.span.start.line, c.span.start.column, c.span.end.column])).toEqual([
      [1, 1, 10],
      [2, 7, 17],
      [3, 9, 14],
    ]);
  });

  it("a # inside text is not a comment", () => {
    const r = parseExpression('x = "#1" # c');
    expect(strip(r.doc!.body)).toEqual(cmp(f("x"), "=", str("#1")));
    expect(r.doc!.comments).toHaveLength(1);
  });

  it("rules files keep comments too", () => {
    const r = parseRules("# segments\nsegment a: # first\n  x\n# end");
    expect(r.doc!.comments.map((c) => c.text)).toEqual([" segments", " first", " end"]);
  });

  it("CRLF line ends are whitespace and are not part of a comment", () => {
    const r = parseExpression("a # c\r\nand b");
    expect(r.doc!.comments.map((c) => c.text)).toEqual([" c"]);
  });
});

describe("spans", () => {
  it("are precise: offset, 1-based line and column, end exclusive", () => {
    const r = parseExpression('a = 1 and\n  name contains "x"');
    const and = r.doc!.body as unknown as { span: unknown; operands: { span: unknown }[] };
    expect(and.span).toEqual({ start: { offset: 0, line: 1, column: 1 }, end: { offset: 29, line: 2, column: 20 } });
    expect(and.operands[1]!.span).toEqual({
      start: { offset: 12, line: 2, column: 3 },
      end: { offset: 29, line: 2, column: 20 },
    });
  });

  it("a chain starting with parentheses starts at the `(`", () => {
    const r = parseExpression("(a or b) and c");
    expect((r.doc!.body as unknown as { span: { start: { offset: number } } }).span.start.offset).toBe(0);
    const inner = (r.doc!.body as unknown as { operands: { span: { start: { offset: number }; end: { offset: number } } }[] }).operands[0]!;
    expect([inner.span.start.offset, inner.span.end.offset]).toEqual([1, 7]);
  });
});

function strip<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "span" ? undefined : v))) as T;
}

describe("the lexer's fast path", () => {
  const PIECES = [
    "a", "x_1", "Score", "AND", "é", "`a b`", "`a\\`b`", "`a\\", "`open", '"t"', '"a\\"b"', '"\\q"', '"open', '"é"', "'s'",
    "42", "-3.5", "+20", "1_000", "250k", "2.5M", "1m", "6months", "6mois", "2024-01-15", "2024-01-15T09:30:00+02:00", "2024-1-5", "1e5",
    "-", "+", "=", "==", "!=", "!", "<", "<=", "<>", ">", ">=", "~=", "~", "&&", "&", "||", "|", "(", ")", "[", "]", ",", ".", ":", "%",
    "@seg", "@`a b`", "@", "$p", "$", "#c", "#é\n", "\n", "\r\n", "\t", "\u000b", "\u00a0", "\u2028", ";", "{", "*", "\u0000", "\u007f", "€", "\u{1F600}",
  ];
  const text = fc.oneof(
    fc.array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom("", " ", "\n")), { maxLength: 30 }).map((ps) => ps.map(([p, sep]) => p + sep).join("")),
    fc.string({ maxLength: 80 }),
    fc.string({ unit: "binary", maxLength: 80 }),
  );
  const shape = (tokens: readonly { image: string; startOffset: number; tokenType: { name: string } }[]) =>
    tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`);

  it("gives exactly the tokens and comments of the chevrotain lexer, or gives up", () => {
    let taken = 0;
    fc.assert(
      fc.property(text, (s) => {
        const fast = tokenizeFast(s);
        if (!fast) return;
        taken++;
        const slow = lexer.tokenize(s);
        expect(slow.errors).toEqual([]);
        expect(shape(fast.tokens)).toEqual(shape(slow.tokens));
        expect(shape(fast.comments)).toEqual(shape((slow.groups["comments"] ?? []) as typeof slow.tokens));
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(300);
  });

  it("is taken for ordinary rules, Unicode text and names in quotes included", () => {
    for (const s of [
      'employees between 50 and 5000 and revenue > 1M and (tech has "Salesforce" or tech has "HubSpot") and emailClicks30d >= 3',
      'sector = "santé" and `chiffre d\'affaires` > 250k # très bien\nand d > 2024-01-15T09:30:00Z and @seg and x in $p',
      "score lead:\n  +10 per events where (type = \"webinar\") decaying 50% every 30 days by at\n  clamp 0 to 100\n",
    ]) {
      expect(tokenizeFast(s), s).toBeDefined();
    }
    expect(tokenizeFast("région = 1")).toBeDefined(); // a Unicode letter inside a word is fine
    for (const s of ["équipe = 1", "a\u00a0= 1", "x = 'a'", "a ; b", "a - b"]) expect(tokenizeFast(s), s).toBeUndefined();
  });
});
