/**
 * The examples of docs/testing.md, run as written (with a fixed `now` so that the report is
 * reproducible): if one stops holding, the page is wrong.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile } from "../../src/index.js";
import * as fc from "fast-check";
import { assertDisjoint, assertImplies, matchingRecord, nonMatchingRecord, recordArbitrary, ruleArbitrary, SegmentLawError, withSchema } from "../../src/testing.js";

const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie", "commerce"]),
  employees: z.number().int().min(0),
  role: z.enum(["CEO", "CTO", "CFO", "Marketing", "Other"]),
  lastPurchase: z.date().nullable(),
  lastVisit: z.date().nullable(),
  optinEmail: z.boolean(),
  unsubscribed: z.boolean(),
  tech: z.array(z.string()),
});
const ctx = { now: new Date("2026-11-22T09:30:00Z") };
const rule = (source: string) => withSchema(compile(source, Contact), Contact);

const consented = rule("optinEmail and not unsubscribed");
const hotLeads = rule('role in ["CEO", "CTO"] and employees >= 50 and lastVisit < 30 days');

describe("docs/testing.md", () => {
  it("the five-line check", () => {
    const hot = compile('role in ["CEO", "CTO"] and lastVisit < 30 days and optinEmail and not unsubscribed', Contact);
    assertImplies(hot, consented, { schema: Contact, ctx });
  });

  it("example 1: a subset", () => {
    const target = rule('sector in ["santé", "finance"] and employees >= 50');
    const healthcareBig = rule('sector = "santé" and employees >= 250');
    assertImplies(healthcareBig, target, { ctx });
  });

  it("example 2: disjoint", () => {
    const active = rule("lastPurchase within last 6 months");
    const lapsed = rule("lastPurchase > 12 months");
    assertDisjoint(active, lapsed, { ctx });
  });

  it("example 3: the consent law (fails, and says why)", () => {
    let report = "";
    try {
      assertImplies(hotLeads, consented, { ctx, names: ["hot leads", "consented"] });
    } catch (e) {
      expect(e).toBeInstanceOf(SegmentLawError);
      report = (e as Error).message;
    }
    if (process.env.PRINT_REPORT) console.log(report);
    expect(report).toContain("assertImplies failed: a record is in hot leads but not in consented.");
    expect(report).toMatch(/role: "(CEO|CTO)"/);
    expect(report).toContain("✗ optinEmail");
  });

  it("witnesses and arbitraries", () => {
    fc.assert(fc.property(matchingRecord(hotLeads, ctx), (r) => hotLeads.test(r, ctx)), { numRuns: 50 });
    fc.assert(fc.property(nonMatchingRecord(hotLeads, ctx), (r) => !hotLeads.test(r, ctx)), { numRuns: 50 });
    fc.assert(
      fc.property(ruleArbitrary(Contact, { now: ctx.now }), recordArbitrary(Contact, { now: ctx.now }), (source, r) => {
        const seg = compile(source, Contact);
        expect(seg.filter([r], ctx)).toEqual(seg.test(r, ctx) ? [r] : []);
      }),
      { numRuns: 50 },
    );
  });
});
