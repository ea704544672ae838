/**
 * Hints the checker attaches to what it already reports (issue 12): `= null`, a bare word that is
 * a value of the compared enum, and the values of an ordered enum in their order.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { check as publicCheck } from "../../src/index.js";
import { applyFix } from "../../src/errors/diagnostic.js";
import { Account, check, covered } from "./support/helpers.js";

const Named = z.object({
  "chiffre d'affaires": z.number().nullable(),
  "secteur d'activité": z.enum(["santé", "finance", "Agro alimentaire"]),
});

/** The one diagnostic of `source`, its code and covered text; then the fix gives a clean rule. */
function expectFix(source: string, code: string, text: string, fixedCode: string, schema: z.ZodType = Account) {
  const ds = check(source, schema).diagnostics.filter((d) => d.severity === "error");
  expect(ds.map((d) => d.code)).toEqual([code]);
  const d = ds[0]!;
  expect(covered(source, d)).toBe(text);
  expect(d.hint).toContain(fixedCode);
  expect(d.fixes).toHaveLength(1);
  const fixed = applyFix(source, d.fixes![0]!);
  expect(fixed).toContain(fixedCode);
  expect(publicCheck(fixed, schema).diagnostics, fixed).toEqual([]);
  return d;
}

describe("= null, != null", () => {
  it.each([
    ["city = null", "city is not set"],
    ["city != null", "city is set"],
    ["revenue = NULL", "revenue is not set"],
    ["hq.city = null", "hq.city is not set"],
  ])("%s → %s", (source, fixed) => {
    const d = expectFix(source, "field.unknown", source.slice(-4), fixed);
    expect(d.message).toContain("no `null`");
  });

  it("names with spaces are backquoted in the hint", () => {
    expectFix("`chiffre d'affaires` = null", "field.unknown", "null", "`chiffre d'affaires` is not set", Named);
  });

  it("a field named null keeps its meaning", () => {
    const WithNull = z.object({ city: z.string(), null: z.string() });
    expect(publicCheck("city = null", WithNull).diagnostics).toEqual([]);
  });
});

describe("a bare word that is a value of the compared enum", () => {
  it.each([
    ["sector = santé", "santé", '"santé"'],
    ["sector != finance", "finance", '"finance"'],
    ["grade >= B", "B", '"B"'],
    ["any purchases where (status = paid)", "paid", '"paid"'],
  ])("%s", (source, word, quoted) => {
    const d = expectFix(source, "field.unknown", word, quoted);
    expect(d.message).toContain("is a value of");
  });

  it("NFC: a decomposed accent matches the declared value", () => {
    const source = "sector = sante\u0301";
    expectFix(source, "field.unknown", "sante\u0301", '"santé"');
  });

  it("case as written: `Santé` is not the value `santé`", () => {
    const d = check("sector = Santé").diagnostics[0]!;
    expect(d.code).toBe("field.unknown");
    expect(d.fixes).toBeUndefined();
  });

  it("names with spaces", () => {
    expectFix("`secteur d'activité` = santé", "field.unknown", "santé", '"santé"', Named);
  });
});

describe("an unknown value of an ordered enum lists the values in order", () => {
  const order = 'the values of `grade`, lowest first: "F", "D", "C", "B", "A"';

  it.each(['grade >= "E"', 'grade = "E"', 'grade in ["A", "E"]'])("%s", (source) => {
    const d = check(source).diagnostics[0]!;
    expect(d.code).toBe("enum.unknown-value");
    expect(covered(source, d)).toBe('"E"');
    expect(d.hint).toContain('did you mean "F", "D" or "C"?');
    expect(d.hint).toContain(order);
  });

  it("a bare word that is no value: the values in order", () => {
    const d = check("grade > E").diagnostics[0]!;
    expect(d.code).toBe("field.unknown");
    expect(d.hint).toBe(order);
  });

  it("an unordered enum keeps its hint", () => {
    expect(check('sector = "sante"').diagnostics[0]!.hint).toBe('did you mean "santé"?');
  });
});
