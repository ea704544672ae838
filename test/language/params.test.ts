/**
 * The host's declared parameters (`createLanguageService({ params })`): the service says before
 * any evaluation what evaluation would refuse — a `$name` the host does not bind (`param.missing`)
 * and a declared type the rule cannot use (`param.type`) — and nothing when the host declared none.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { check, checkRules, compile } from "../../src/index.js";
import { createLanguageService } from "../../src/language.js";
import { CibleError } from "../../src/errors/cible-error.js";

const Contact = z.object({
  sector: z.enum(["santé", "finance"]),
  employees: z.number().int(),
  lastPurchase: z.date().nullable(),
  tech: z.array(z.string()),
});
const params = { minEmployees: "number", since: "duration", sectors: "string[]", cutoff: "date" } as const;
const expr = createLanguageService({ schema: Contact, kind: "expression", params });
const rules = createLanguageService({ schema: Contact, kind: "rules", params });

/** Applies a fix's edits (reverse offset order). */
function apply(text: string, edits: { span: { start: { offset: number }; end: { offset: number } }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start.offset - a.span.start.offset)) out = out.slice(0, e.span.start.offset) + e.newText + out.slice(e.span.end.offset);
  return out;
}

describe("declared parameters", () => {
  it("uses that fit the declared types get nothing beyond check's diagnostics", () => {
    for (const text of ["employees > $minEmployees", "lastPurchase < $since", "lastPurchase < $cutoff", "sector in $sectors", "tech has any $sectors"]) {
      expect(expr.diagnostics(text), text).toEqual(check(text, Contact).diagnostics);
    }
  });

  it("a $name the host does not bind is a warning at its first use, with the close names as fixes", () => {
    const text = "employees > $minEmploye or employees = $minEmploye";
    const d = expr.diagnostics(text).filter((x) => x.code === "param.missing");
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe("warning");
    expect(d[0]!.span.start.offset).toBe(text.indexOf("$minEmploye"));
    expect(d[0]!.message).toContain("$minEmployees");
    const fixed = apply(text, d[0]!.fixes![0]!.edits);
    expect(fixed).toBe("employees > $minEmployees or employees = $minEmploye");
    // The same words as evaluation, which refuses the unbound parameter.
    const seg = compile("employees > $minEmploye", Contact);
    expect(() => seg.test({ sector: "santé", employees: 3, lastPurchase: null, tech: [] }, { params: { minEmployees: 2 } })).toThrow(CibleError);
  });

  it("a declared type that cannot be what the rule needs is an error naming both", () => {
    const text = 'sector = "santé" and tech has $minEmployees';
    const d = expr.diagnostics(text).filter((x) => x.code === "param.type");
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe("error");
    expect(d[0]!.message).toBe("`$minEmployees` is bound as a number but used here as text.");
    expect(d[0]!.span.start.offset).toBe(text.indexOf("$minEmployees"));
    // Evaluation refuses the number the host binds, with the same code.
    const seg = compile("tech has $minEmployees", Contact);
    try {
      seg.test({ sector: "santé", employees: 3, lastPurchase: null, tech: [] }, { params: { minEmployees: 3 } });
      expect.unreachable();
    } catch (e) {
      expect((e as CibleError).diagnostics[0]!.code).toBe("param.type");
    }
  });

  it("a list declared for a single value, a date for a number, and a duration where a date or a duration fits", () => {
    expect(expr.diagnostics("employees > $sectors").map((d) => d.code)).toContain("param.type");
    expect(expr.diagnostics("employees > $cutoff").map((d) => d.code)).toContain("param.type");
    expect(expr.diagnostics("lastPurchase between $cutoff and $since").map((d) => d.code)).not.toContain("param.type");
  });

  it("rules files: every definition's parameters, reported once per name", () => {
    const text = "segment a:\n  employees > $minEmployes\n\nsegment b:\n  employees < $minEmployes\n\nscore s:\n  +5 if tech has $minEmployees\n";
    const d = rules.diagnostics(text);
    expect(d.filter((x) => x.code === "param.missing").map((x) => x.span.start.line)).toEqual([2]);
    expect(d.filter((x) => x.code === "param.type").map((x) => x.span.start.line)).toEqual([8]);
    expect(d.filter((x) => !x.code.startsWith("param."))).toEqual(checkRules(text, Contact).diagnostics.filter((x) => !x.code.startsWith("param.")));
  });

  it("without declared parameters the service says nothing about them (the host may bind anything)", () => {
    const free = createLanguageService({ schema: Contact, kind: "expression" });
    expect(free.diagnostics("tech has $anything")).toEqual(check("tech has $anything", Contact).diagnostics);
  });

  it("a declared type the service does not know is not judged", () => {
    const odd = createLanguageService({ schema: Contact, kind: "expression", params: { p: "money" } });
    expect(odd.diagnostics("employees > $p")).toEqual([]);
  });
});
