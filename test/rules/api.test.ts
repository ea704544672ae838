import { describe, expect, it } from "vitest";
import { CibleError } from "../../src/errors/cible-error.js";
import { RFM_GRID, checkRules, compileRules } from "../../src/rules/index.js";
import { Contact, contact, ctx } from "./fixtures.js";

describe("compileRules / checkRules", () => {
  it("keeps a segment's comments in its text", () => {
    const rules = compileRules("segment a:\n  orders > 1 # buyers\n  and referrals > 0\n", Contact);
    expect(rules.segments.a!.toString()).toContain("# buyers");
    expect(rules.segments.a!.test(contact({ orders: 2, referrals: 1 }), ctx)).toBe(true);
  });

  it("prints the whole file canonically", () => {
    const rules = compileRules("SEGMENT a :\n  orders>1\n", Contact);
    expect(rules.toString()).toBe("segment a:\n  orders > 1\n");
  });

  it("passes limits to the parser", () => {
    const src = "segment a:\n  orders > 1\n\nsegment b:\n  orders > 2\n";
    const r = checkRules(src, Contact, { limits: { maxDefinitions: 1 } });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]!.code).toMatch(/^limit\./);
    expect(() => compileRules(src, Contact, { limits: { maxDefinitions: 1 } })).toThrow(CibleError);
  });

  it("accepts an empty file", () => {
    const rules = compileRules("# nothing yet\n", Contact);
    expect(rules.evaluate(contact(), ctx)).toEqual({ segments: [], scores: {}, stages: {}, tiers: {}, reachable: {}, splits: {} });
  });

  it("exposes the R × F grid", () => {
    expect(RFM_GRID[4]![0]).toBe("new customers");
  });

  it("names definitions freely, even like Object.prototype properties", () => {
    const rules = compileRules("segment constructor:\n  orders > 1\n\nsegment toString:\n  @constructor\n", Contact);
    expect(rules.segments["toString"]!.test(contact({ orders: 2 }), ctx)).toBe(true);
    expect(Object.keys(rules.segments)).toEqual(["constructor", "toString"]);
  });
});
