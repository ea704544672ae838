/**
 * createResultAnalyzer: the report from each record's results (as a database running `rulesToSQL`
 * returns them) equals `analyze`'s over the same records for everything but what needs the
 * records (the fields behind unknown results, outcomes) — a law, over random records.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { analyze, compileRules, createResultAnalyzer } from "../../src/rules/index.js";

const Contact = z.object({
  id: z.string().nullable(),
  sector: z.enum(["santé", "finance"]).nullable(),
  employees: z.number().nullable(),
  optinEmail: z.boolean().nullable(),
  optinSms: z.boolean().nullable(),
});
const ctx = { now: new Date("2026-12-01T00:00:00Z") };
const FILE = `segment sante:
  sector = "santé"

segment grands:
  employees >= 50

segment grandsSante:
  @sante and employees >= 50

segment tous:
  employees >= 0 or employees < 0

channel email:
  optinEmail

channel sms:
  optinSms and employees > 5

split test by id:
  a 50%
  b 50%
`;
const rules = compileRules(FILE, Contact);
const record = fc.record({
  id: fc.option(fc.constantFrom("a", "b", "c", "d", "e", "f"), { nil: null }),
  sector: fc.option(fc.constantFrom("santé" as const, "finance" as const), { nil: null }),
  employees: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  optinEmail: fc.option(fc.boolean(), { nil: null }),
  optinSms: fc.option(fc.boolean(), { nil: null }),
});
const options = fc.record({ minShare: fc.double({ min: 0, max: 1, noNaN: true }), maxSegments: fc.integer({ min: 0, max: 5 }), minReachShare: fc.double({ min: 0, max: 1, noNaN: true }), maxUnknownShare: fc.double({ min: 0, max: 1, noNaN: true }) });

describe("createResultAnalyzer", () => {
  it("law: from the results, analyze's report over the records but for the fields behind unknown results", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), options, (records, opts) => {
        const analyzer = createResultAnalyzer(rules, opts);
        for (const r of records) {
          const e = rules.evaluate(r, ctx);
          analyzer.add({
            segments: Object.values(rules.segments).map((s) => s.evaluate(r, ctx)),
            channels: Object.values(rules.channels).map((c) => c.evaluate(r, ctx)),
            splits: Object.keys(rules.splits).map((n) => e.splits[n] ?? null),
          });
        }
        const got = analyzer.report();
        const want = analyze(rules, records, ctx, opts);
        expect(got.total).toBe(want.total);
        expect(got.segments).toEqual(want.segments);
        expect(got.overlaps).toEqual(want.overlaps);
        expect(got.unsegmented).toEqual(want.unsegmented);
        expect(got.reach).toEqual(want.reach);
        expect(got.splits).toEqual(want.splits);
        expect(got.segmentSplits).toEqual(want.segmentSplits);
        expect(got.coverage.segments.map(({ fields, ...rest }) => rest)).toEqual(want.coverage.segments.map(({ fields, ...rest }) => rest));
        expect(got.coverage.fields).toEqual([]);
        expect(got.outcomes).toEqual([]);
        expect(got.warnings.map((w) => [w.code, ...w.segments])).toEqual(want.warnings.map((w) => [w.code, ...w.segments]));
      }),
      { numRuns: 200 },
    );
  });

  it("refuses an outcome and rules not compiled by compileRules", () => {
    expect(() => createResultAnalyzer(rules, { outcome: "optinEmail" } as never)).toThrow(/takes no outcome/);
    expect(() => createResultAnalyzer({} as never)).toThrow(TypeError);
  });
});
