/**
 * The checker through the real parser (src/syntax): the same rules give the same diagnostics,
 * spans included, as through the tests' mini parser.
 */
import { describe, expect, it } from "vitest";
import { INVALID_RULES, REFS, VALID_RULES } from "./support/corpus.js";
import { Account, Contact, brief, check, checkReal } from "./support/helpers.js";

describe("through parseExpression", () => {
  it("the seed rule on API.md's Contact checks clean", () => {
    expect(checkReal('sector = "santé" and lastPurchase < 6 months and tech has "X"', Contact).diagnostics).toEqual([]);
  });

  it.each(VALID_RULES)("valid: %s", (rule) => {
    expect(checkReal(rule, Account, { refs: REFS }).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it.each(INVALID_RULES)("same diagnostics as the mini parser: %s", (rule) => {
    const real = checkReal(rule, Account).diagnostics.map(brief);
    expect(real.length).toBeGreaterThan(0);
    expect(real).toEqual(check(rule, Account).diagnostics.map(brief));
  });
});
