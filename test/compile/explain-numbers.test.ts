/** Numbers in explanations: rounded for people (`explainText`, the CLI), exact in the data and JSON. */
import { describe, expect, it } from "vitest";
import { displayNumber, explainText } from "../../src/compile/explain.js";
import { compileRules } from "../../src/rules/index.js";
import { num } from "../../src/cli/format.js";
import { Contact, contact, ctx, daysAgo } from "../rules/fixtures.js";

describe("numbers shown to people", () => {
  it("at most two decimals, at least two significant digits below 1; integers and non-finite as they are", () => {
    expect(displayNumber(61.215510183208906)).toBe("61.22");
    expect(displayNumber(-61.215510183208906)).toBe("-61.22");
    expect(displayNumber(1234567.891)).toBe("1234567.89");
    expect(displayNumber(0.004567)).toBe("0.0046");
    expect(displayNumber(-0.004567)).toBe("-0.0046");
    expect(displayNumber(0.5)).toBe("0.5");
    expect(displayNumber(1e-9)).toBe("1e-9");
    expect(displayNumber(2.999)).toBe("3");
    expect(displayNumber(1500)).toBe("1500");
    expect(displayNumber(1e21)).toBe("1e+21");
    expect(displayNumber(-0.001)).toBe("-0.001");
    expect(displayNumber(Infinity)).toBe("Infinity");
    expect(displayNumber(-Infinity)).toBe("-Infinity");
    expect(displayNumber(NaN)).toBe("NaN");
    // The CLI's tables follow the same rule, with digit grouping.
    expect(num(61.215510183208906)).toBe("61.22");
    expect(num(1234567.891)).toBe("1,234,567.89");
    expect(num(0.004567)).toBe("0.0046");
    expect(num(0)).toBe("0");
  });

  it("a decayed score read by a segment: rounded in explainText, exact in the explanation", () => {
    const rules = compileRules(
      "score lead:\n  +100 per events where (type = \"webinar\") decaying 50% every 30 days by at\n\nsegment hot:\n  @lead >= 50\n",
      Contact,
    );
    const record = contact({ events: [{ type: "webinar", at: daysAgo(21.2) }] });
    const total = rules.scores.lead!.score(record, ctx);
    expect(Number.isInteger(total)).toBe(false);
    const e = rules.segments.hot!.explain(record, ctx);
    expect(e.value).toBe(total);
    expect(explainText(e)).toBe(`✓ @lead >= 50   (@lead: ${Math.round(total * 100) / 100})`);
    expect(explainText(e)).toMatch(/\(@lead: \d+\.\d{1,2}\)$/);
    expect(JSON.parse(JSON.stringify(rules.scores.lead!.explain(record, ctx))).total).toBe(total);
  });
});
