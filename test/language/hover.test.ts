/**
 * Hover (issue 15): field types and descriptions (from the checker's facts, and from the schema
 * in broken text), operators and missing values, durations and dates as instants at the
 * service's `now` in its time zone, @references, definition names.
 */
import { describe, expect, it } from "vitest";
import { createLanguageService } from "../../src/language.js";
import { Contact, RULES, at, expr, rules } from "./support.js";

function hover(ls: typeof expr, marked: string): [string, string] | null {
  const [text, offset] = at(marked);
  const h = ls.hover(text, offset);
  return h ? [text.slice(h.span.start.offset, h.span.end.offset), h.markdown] : null;
}

describe("hover", () => {
  it("a field: its type, enum values, whether it may be missing, its description", () => {
    const [word, md] = hover(expr, 'sec|tor = "santé"')!;
    expect(word).toBe("sector");
    expect(md).toContain('choice: "santé", "finance", "industrie"');
    expect(md).toContain("The company's main sector");
    expect(md).not.toContain("may be missing");
    expect(hover(expr, "gra|de >= \"B\"")![1]).toContain('ordered choice: "F" < "D" < "C" < "B" < "A"');
    expect(hover(expr, "reve|nue > 3")![1]).toContain("may be missing");
  });

  it("a path: each name is its own field (the object may be missing, so its fields may be too)", () => {
    expect(hover(expr, 'h|q.city = "x"')![1]).toMatch(/^\*\*hq\*\*: object — may be missing/);
    const [word, md] = hover(expr, 'hq.ci|ty = "x"')!;
    expect(word).toBe("city");
    expect(md).toContain("may be missing"); // through a nullable object: the checker's fact
    expect(md).toContain("City of the head office");
  });

  it("inside where: the element's field; in broken text: the schema's", () => {
    expect(hover(expr, 'any contacts where (ema|il is set)')![1]).toMatch(/^\*\*email\*\*: text — may be missing/);
    expect(hover(expr, "sector = = (employ|ees")![1]).toMatch(/^\*\*employees\*\*: number/);
  });

  it("an operator: its meaning and how it treats a missing value", () => {
    const [word, md] = hover(expr, "sector i|s not set")!;
    expect(word).toBe("is not set");
    expect(md).toContain("never unknown");
    expect(hover(expr, 'sector not i|n ["finance"]')![0]).toBe("not in");
    expect(hover(expr, "|not unsubscribed")![1]).toContain("unknown");
    expect(hover(expr, 'id sta|rts with "a"')![0]).toBe("starts with");
  });

  it("a duration compared with a date: the cutoff instant at now, in the time zone", () => {
    const [word, md] = hover(expr, "lastPurchase < 6 mon|ths")!;
    expect(word).toBe("6 months");
    expect(md).toContain("2025-09-30 14:00:00 Europe/Paris (2025-09-30T12:00:00.000Z)");
    expect(hover(expr, "lastPurchase > 6 months a|go")).toEqual(["6 months ago", expect.stringContaining("2025-09-30T12:00:00.000Z")]);
    expect(hover(expr, "renewal < 60 days from n|ow")![1]).toContain("2026-05-30T12:00:00.000Z");
    expect(hover(expr, "lastPurchase within last 3|0 days")![1]).toContain("2026-03-01T12:00:00.000Z");
    const utc = createLanguageService({ schema: Contact, kind: "expression", now: NOW_DATE });
    expect(hover(utc, "lastPurchase < 1| day")![1]).toContain("2026-03-30 12:00:00 UTC");
  });

  it("a date: the whole day in the time zone", () => {
    expect(hover(expr, "lastPurchase = 2026-03-2|9")![1]).toContain("from 2026-03-29 00:00:00 Europe/Paris (2026-03-28T23:00:00.000Z) to 2026-03-30 00:00:00 Europe/Paris (2026-03-29T22:00:00.000Z)");
  });

  it("a @reference shows its definition's text; a definition name its kind", () => {
    const [text, offset] = [RULES, RULES.indexOf("@sante") + 3];
    const h = rules.hover(text, offset)!;
    expect(h.markdown).toContain('segment sante:\n  sector = "santé" and employees >= 50');
    expect(rules.hover("segment a:\n  @nope\n", 15)!.markdown).toContain("no definition");
    expect(rules.hover(RULES, RULES.indexOf("lead") + 1)!.markdown).toContain("score `lead`");
  });

  it("a $param: declared, and as the checker typed it once the text was checked", () => {
    const text = "employees > $minEmployees";
    expect(expr.hover(text, 15)!.markdown).toContain("declared as number");
    expr.diagnostics(text);
    expect(expr.hover(text, 15)!.markdown).toContain("used as number");
  });

  it("nothing to say: null", () => {
    expect(expr.hover("employees > 3", 12)).toBeNull(); // a plain number
    expect(expr.hover("   ", 1)).toBeNull();
  });
});

const NOW_DATE = new Date("2026-03-31T12:00:00Z");
