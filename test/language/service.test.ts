/**
 * The language service's public shape (API.md, "Language service") and its simplest answers.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { check, checkRules } from "../../src/index.js";
import { createLanguageService } from "../../src/language.js";
import { Contact as Full, RULES as FULL_RULES } from "./support.js";

const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie"]).describe("The company's main sector"),
  employees: z.number().int(),
  lastPurchase: z.date().nullable(),
  tech: z.array(z.string()),
  unsubscribed: z.boolean(),
});

const RULES = `# segments
segment sante:
  sector = "santé"

score lead:
  +20 if @sante
  +5 per employees max 25

channel email:
  not unsubscribed

split spring by sector:
  control 10%
  rest 90%
`;

describe("createLanguageService", () => {
  const expr = createLanguageService({ schema: Contact, kind: "expression" });
  const rules = createLanguageService({ schema: Contact, kind: "rules" });

  it("diagnostics are check's and checkRules'", () => {
    const bad = 'sectr = "santé" and lastPurchase = 6 months';
    expect(expr.diagnostics(bad)).toEqual(check(bad, Contact).diagnostics);
    const badRules = "segment a:\n  @b and employees > 10\n";
    expect(rules.diagnostics(badRules)).toEqual(checkRules(badRules, Contact).diagnostics);
    expect(rules.diagnostics(RULES)).toEqual([]);
  });

  it("symbols list every definition with its name span", () => {
    const syms = rules.symbols(RULES);
    expect(syms.map((s) => [s.kind, s.name])).toEqual([
      ["segment", "sante"],
      ["score", "lead"],
      ["channel", "email"],
      ["split", "spring"],
    ]);
    for (const s of syms) expect(RULES.slice(s.nameSpan.start.offset, s.nameSpan.end.offset)).toBe(s.name);
    expect(RULES.slice(syms[0]!.span.start.offset, syms[0]!.span.end.offset)).toBe('segment sante:\n  sector = "santé"');
    expect(expr.symbols(RULES)).toEqual([]);
  });

  it("definition goes from @name to the name it refers to", () => {
    const at = RULES.indexOf("@sante") + 2;
    const span = rules.definition(RULES, at);
    expect(span && RULES.slice(span.start.offset, span.end.offset)).toBe("sante");
    expect(span!.start.line).toBe(2);
    expect(rules.definition(RULES, RULES.indexOf("employees"))).toBeNull();
  });

  it("tokens classify keywords, fields, literals, definitions and comments", () => {
    const src = 'score lead: # pts\n  +20 if sector = "santé" and lastPurchase < 6 months and count(tech) > 2\n';
    const toks = rules.tokens(src).map((t) => [src.slice(t.span.start.offset, t.span.end.offset), t.type]);
    expect(toks).toEqual([
      ["score", "keyword"],
      ["lead", "definition"],
      [":", "punctuation"],
      ["# pts", "comment"],
      ["+20", "number"],
      ["if", "keyword"],
      ["sector", "field"],
      ["=", "operator"],
      ['"santé"', "string"],
      ["and", "keyword"],
      ["lastPurchase", "field"],
      ["<", "operator"],
      ["6", "duration"],
      ["months", "duration"],
      ["and", "keyword"],
      ["count", "keyword"],
      ["(", "punctuation"],
      ["tech", "field"],
      [")", "punctuation"],
      [">", "operator"],
      ["2", "number"],
    ]);
  });

  it("format is the canonical text, and the source as is when it does not parse", () => {
    expect(expr.format('sector = "santé"   AND (employees>=50)')).toBe('sector = "santé" and employees >= 50');
    expect(expr.format("sector = = (")).toBe("sector = = (");
    expect(rules.format("segment a:\n    employees>1\n")).toBe("segment a:\n  employees > 1\n");
  });
});

describe("every definition kind", () => {
  const ls = createLanguageService({ schema: Full, kind: "rules" });

  it("symbols: segment, score, lifecycle, tiers (both), rfm, channel, split", () => {
    expect(ls.diagnostics(FULL_RULES)).toEqual([]);
    expect(ls.symbols(FULL_RULES).map((s) => `${s.kind} ${s.name}`)).toEqual([
      "segment sante", "score lead", "lifecycle stage", "tiers value", "tiers potential", "rfm customers", "channel email", "split spring",
    ]);
  });

  it("tokens: definition names, stage/tier/arm names, line keywords, fields named like keywords", () => {
    const toks = new Map(ls.tokens(FULL_RULES).map((t) => [`${t.span.start.offset}`, [FULL_RULES.slice(t.span.start.offset, t.span.end.offset), t.type]]));
    const typeAt = (needle: string, nth = 0) => {
      let i = -1;
      for (let k = 0; k <= nth; k++) i = FULL_RULES.indexOf(needle, i + 1);
      return toks.get(`${i}`);
    };
    expect(typeAt("awareness")).toEqual(["awareness", "definition"]);
    expect(typeAt("control")).toEqual(["control", "definition"]);
    expect(typeAt("quantiles")).toEqual(["quantiles", "keyword"]);
    expect(typeAt("recency")).toEqual(["recency", "keyword"]);
    expect(typeAt("clamp")).toEqual(["clamp", "keyword"]);
    expect(typeAt("decaying")).toEqual(["decaying", "keyword"]);
    expect(typeAt("every 30")).toEqual(["every", "keyword"]);
    expect(typeAt("by date")).toEqual(["by", "keyword"]);
    expect(typeAt("date\n")).toEqual(["date", "field"]);
    expect(typeAt("count(")).toEqual(["count", "keyword"]);
    expect(typeAt("@sante")).toEqual(["@sante", "reference"]);
    expect(typeAt("100k")).toEqual(["100k", "number"]);
    expect(typeAt("12 months")).toEqual(["12", "duration"]);
    expect(typeAt("# a rules")![1]).toBe("comment");
  });
});
