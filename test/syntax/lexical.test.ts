import { describe, expect, it } from "vitest";
import { parseExpression, parseRules } from "../../src/syntax/index.js";
import { HARD_KEYWORDS, SOFT_KEYWORDS } from "../../src/ast/keywords.js";
import { KEYWORDS, Name } from "../../src/syntax/tokens.js";
import { body, cmp, f, num, str, truthy } from "./helpers.js";

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
