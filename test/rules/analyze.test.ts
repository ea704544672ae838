import { describe, expect, it } from "vitest";
import { analyze, compileRules } from "../../src/rules/index.js";
import { Contact, contact, ctx } from "./fixtures.js";

const RULES = `segment big:
  employees >= 100

segment huge:
  employees >= 1000

segment veryBig:
  employees >= 100 and employees > 99

segment buyers:
  orders >= 1

segment never:
  orders < 0

segment referrers:
  referrals > 0
`;

describe("analyze", () => {
  const rules = compileRules(RULES, Contact);
  // 200 records: employees i, orders on even i < 100, one referrer
  const records = Array.from({ length: 200 }, (_, i) =>
    contact({ employees: i * 10, orders: i % 2 === 0 && i < 100 ? 1 : 0, referrals: i === 199 ? 1 : 0 }),
  );
  const report = analyze(rules, records, ctx);

  it("measures every segment", () => {
    expect(report.total).toBe(200);
    expect(report.segments).toEqual([
      { name: "big", size: 190, share: 0.95 },
      { name: "huge", size: 100, share: 0.5 },
      { name: "veryBig", size: 190, share: 0.95 },
      { name: "buyers", size: 50, share: 0.25 },
      { name: "never", size: 0, share: 0 },
      { name: "referrers", size: 1, share: 0.005 },
    ]);
  });

  it("gives every pair's overlap and Jaccard index", () => {
    expect(report.overlaps).toHaveLength(15);
    const pair = (a: string, b: string) => report.overlaps.find((o) => o.a === a && o.b === b)!;
    expect(pair("big", "huge")).toEqual({ a: "big", b: "huge", count: 100, jaccard: 100 / 190 });
    // buyers are i in {0, 2, …, 98}; big is i >= 10: 45 in both, 195 in either
    expect(pair("big", "buyers")).toEqual({ a: "big", b: "buyers", count: 45, jaccard: 45 / 195 });
    expect(pair("never", "referrers")).toEqual({ a: "never", b: "referrers", count: 0, jaccard: 0 });
  });

  it("lists the records in no segment", () => {
    // i < 10, odd (not buyers): 1, 3, 5, 7, 9
    expect(report.unsegmented).toEqual({ count: 5, share: 5 / 200, indices: [1, 3, 5, 7, 9] });
  });

  it("warns in the author's words", () => {
    const w = report.warnings.map((x) => [x.code, ...x.segments]);
    expect(w).toEqual([
      ["rules.empty-segment", "never"],
      ["rules.small-segment", "referrers"],
      // then pairs in definition order: (big, huge), (big, veryBig), (big, referrers), (huge, veryBig) …
      ["rules.nested-segment", "huge", "big"],
      ["rules.identical-segments", "big", "veryBig"],
      ["rules.nested-segment", "referrers", "big"],
      ["rules.nested-segment", "huge", "veryBig"],
      ["rules.nested-segment", "referrers", "huge"],
      ["rules.nested-segment", "referrers", "veryBig"],
    ]);
    const small = report.warnings.find((x) => x.code === "rules.small-segment")!;
    expect(small.severity).toBe("warning");
    expect(small.message).toContain("`referrers`");
    expect(small.span.start.line).toBe(16); // the segment's name in the rules file
    expect(report.warnings.find((x) => x.code === "rules.identical-segments")!.message).toContain("`veryBig`");
  });

  it("takes options: a minimum size and a maximum number of segments", () => {
    const r = analyze(rules, records, ctx, { minSize: 60, maxSegments: 3 });
    expect(r.warnings.map((x) => x.code).slice(0, 4)).toEqual([
      "rules.too-many-segments",
      "rules.small-segment",
      "rules.empty-segment",
      "rules.small-segment",
    ]);
    const tooMany = r.warnings[0]!;
    expect(tooMany.message).toContain("6 segments");
    expect(analyze(rules, records, ctx, { minShare: 0 }).warnings.some((x) => x.code === "rules.small-segment")).toBe(false);
  });

  it("warns about more than 10 segments by default", () => {
    const many = Array.from({ length: 11 }, (_, i) => `segment s${i}:\n  employees >= ${i}\n`).join("\n");
    const r = analyze(compileRules(many, Contact), [contact({ employees: 50 })], ctx);
    expect(r.warnings.filter((x) => x.code === "rules.too-many-segments")).toHaveLength(1);
  });

  it("does not call nested a segment whose references put it inside the other (transitively)", () => {
    const source = `segment big:
  employees >= 100

segment huge:
  @big and employees >= 1000

segment hugeBuyers:
  orders >= 1 and (@huge and referrals >= 0)

segment bigNotHuge:
  not @huge and @big and orders >= 0

segment bigOrBuyers:
  employees >= 1000 and (@big or orders >= 1)

segment giant:
  employees >= 1500
`;
    // employees i * 10 for i < 200, orders 1 on even i
    const records = Array.from({ length: 200 }, (_, i) => contact({ employees: i * 10, orders: i % 2 === 0 ? 1 : 0, referrals: 0 }));
    const nested = analyze(compileRules(source, Contact), records, ctx)
      .warnings.filter((w) => w.code === "rules.nested-segment")
      .map((w) => w.segments);
    expect(nested).toEqual([
      // huge in big, hugeBuyers in big and huge, bigNotHuge in big: by their references, no warning
      ["bigOrBuyers", "big"], // `@big` only inside an `or`
      ["giant", "big"], // by the conditions, not by a reference
      ["giant", "huge"],
      ["hugeBuyers", "bigOrBuyers"], // bigOrBuyers selects what huge selects, by its conditions
      ["giant", "bigOrBuyers"],
    ]);
  });

  it("refuses something that is not compiled rules", () => {
    expect(() => analyze({} as never, [], ctx)).toThrow(TypeError);
  });
});
