/** No false positives: the rules of LANGUAGE.md and API.md check clean. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { REFS as refs, VALID_RULES } from "./support/corpus.js";
import { Account, Contact, briefs, check, expected } from "./support/helpers.js";

describe("valid rules check clean", () => {
  it.each(VALID_RULES)("%s", (rule) => {
    const errors = check(rule, Account, { refs }).diagnostics.filter((d) => d.severity === "error");
    expect(errors).toEqual([]);
  });

  it("the seed rule on API.md's Contact: no diagnostics at all", () => {
    const r = check('sector = "santé" and lastPurchase < 6 months and tech has "X"', Contact);
    expect(r.diagnostics).toEqual([]);
    expect(r.params.size).toBe(0);
  });

  it("a schema from z.fromJSONSchema (every field optional) checks the same rules", () => {
    const Json = z.fromJSONSchema({
      type: "object",
      properties: {
        sector: { type: "string", enum: ["santé", "finance", "industrie"] },
        employees: { type: "integer" },
        lastPurchase: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
        tech: { type: "array", items: { type: "string" } },
        unsubscribed: { type: "boolean" },
      },
    });
    const src = 'sector = "santé" and lastPurchase < 6 months and tech has "X" and not unsubscribed';
    expect(briefs(src, Json)).toEqual(expected(src, [["!lint.nullable-negation", "unsubscribed"]]));
  });
});
