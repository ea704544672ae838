/**
 * analyze for campaigns (issue 13): reach per segment and channel, data coverage, outcome rates
 * per segment and split arm. Expectations are counted by hand on small record sets; the rates are
 * checked against Newcombe 1998's worked examples and rates.ts.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError } from "../../src/errors/cible-error.js";
import { analyze, compileRules, createAnalyzer } from "../../src/rules/index.js";
import { newcombeDifference, rateSummary, wilsonInterval } from "../../src/rules/rates.js";

const Contact = z.object({
  id: z.string().nullable(),
  sector: z.enum(["santé", "finance"]).nullable(),
  employees: z.number().nullable(),
  company: z.object({ size: z.number().nullable() }).nullable(),
  tags: z.array(z.string()).nullable(),
  events: z.array(z.object({ type: z.string().nullable() })).nullable(),
  optinEmail: z.boolean().nullable(),
  optinSms: z.boolean().nullable(),
  unsubscribed: z.boolean(),
  converted: z.boolean().nullable(),
  opportunities: z.array(z.string()).nullable(),
});
type C = z.infer<typeof Contact>;
const ctx = { now: new Date("2026-12-01T00:00:00Z") };

/** A record where everything is known, with overrides (wrong types allowed). */
const c = (over: Record<string, unknown> = {}): C =>
  ({
    id: "k",
    sector: "finance",
    employees: 10,
    company: { size: 1 },
    tags: [],
    events: [],
    optinEmail: false,
    optinSms: false,
    unsubscribed: false,
    converted: false,
    opportunities: [],
    ...over,
  }) as C;

/** Rounds as the papers print: 4 decimals. */
const r4 = (v: number | null) => (v === null ? null : Number(v.toFixed(4)));
const codes = (r: { warnings: { code: string; segments: string[] }[] }) => r.warnings.map((w) => [w.code, ...w.segments]);

describe("analyze: reach per segment and channel", () => {
  const FILE = `segment sante:
  sector = "santé"

segment finance:
  sector = "finance"

channel email:
  optinEmail and not unsubscribed

channel sms:
  optinSms
`;
  const rules = compileRules(FILE, Contact);
  const records = [
    c({ sector: "santé", optinEmail: true, optinSms: true }), // reached by both
    c({ sector: "santé", optinEmail: false, optinSms: null }), // by none (sms unknown)
    c({ sector: "santé", optinEmail: null, optinSms: true }), // email unknown: not consent
    c({ sector: "santé", optinEmail: true, unsubscribed: true, optinSms: false }), // by none
    c({ sector: "finance", optinEmail: true, optinSms: null }), // email only
    c({ sector: null, optinEmail: true, optinSms: true }), // in no segment: counted nowhere
  ];

  it("counts reachable and excluded records, unknown consent excluded", () => {
    expect(analyze(rules, records, ctx).reach).toEqual([
      { segment: "sante", channel: "email", size: 1, excluded: 3 },
      { segment: "sante", channel: "sms", size: 2, excluded: 2 },
      { segment: "finance", channel: "email", size: 1, excluded: 0 },
      { segment: "finance", channel: "sms", size: 0, excluded: 1 },
    ]);
  });

  it("agrees with rules.reach(...).filter", () => {
    const report = analyze(rules, records, ctx);
    for (const r of report.reach) expect(rules.reach(r.segment, r.channel).filter(records, ctx)).toHaveLength(r.size);
  });

  it("warns on the segment's name when a channel reaches less than minReachShare of it (default 10%)", () => {
    const report = analyze(rules, records, ctx);
    const small = report.warnings.filter((w) => w.code === "rules.small-reach");
    expect(small.map((w) => w.segments)).toEqual([["finance"]]);
    expect(small[0]!.message).toContain("`sms`");
    expect(small[0]!.span.start).toMatchObject({ line: 4, column: 9 }); // `finance` in `segment finance:`
    // 1 of 4 is 25%: under 30%, not under 25%
    expect(codes(analyze(rules, records, ctx, { minReachShare: 0.3 })).filter((w) => w[0] === "rules.small-reach")).toEqual([
      ["rules.small-reach", "sante"],
      ["rules.small-reach", "finance"],
    ]);
    expect(analyze(rules, records, ctx, { minReachShare: 0 }).warnings.some((w) => w.code === "rules.small-reach")).toBe(false);
  });

  it("gives no small-reach warning for an empty segment (it has its own)", () => {
    const report = analyze(rules, records.slice(0, 4), ctx);
    expect(codes(report)).toEqual([["rules.empty-segment", "finance"]]);
  });

  it("does not count channels toward too-many-segments", () => {
    expect(analyze(rules, records, ctx, { maxSegments: 2 }).warnings.some((w) => w.code === "rules.too-many-segments")).toBe(false);
    const many = analyze(rules, records, ctx, { maxSegments: 1 }).warnings.find((w) => w.code === "rules.too-many-segments")!;
    expect(many.segments).toEqual(["sante", "finance"]);
    expect(many.message).toContain("2 segments");
  });

  it("gives no reach without channels", () => {
    expect(analyze(compileRules(`segment a:\n  employees > 1\n`, Contact), records, ctx).reach).toEqual([]);
  });
});

describe("analyze: data coverage", () => {
  const FILE = `segment big:
  employees >= 100 and sector = "santé"

segment sized:
  company.size > 10 or @big

segment webinar:
  any events where (type = "webinar")

segment tagged:
  tags has "vip"

split ab by id:
  a 50%
  b 50%

segment tested:
  @ab = "a"
`;
  const rules = compileRules(FILE, Contact);
  const full = { employees: 200, sector: "santé", company: { size: 50 }, events: [{ type: "webinar" }], tags: ["vip"] };
  const records = [
    c({ ...full, id: "k0" }),
    c({ ...full, employees: null, company: { size: 5 }, events: [], tags: [], id: "k1" }),
    c({ employees: "many", sector: null, company: null, events: null, tags: null, id: null }),
    c({ ...full, employees: Number.NaN, sector: "x", company: { size: null }, events: [{ type: null }, { type: "demo" }], tags: ["a"], id: "k3" }),
    c({ ...full, employees: 50, company: { size: 20 }, events: [{ type: "webinar" }, {}], id: "k4" }),
    c({ employees: 500, sector: "finance", company: { size: 1 }, events: [{ type: "x" }], tags: ["b"], id: 42 }),
  ];
  const report = analyze(rules, records, ctx);

  it("counts, per field a definition reads, the records where it is unknown (file order)", () => {
    const share = (n: number) => n / 6;
    expect(report.coverage.fields).toEqual([
      { field: "employees", unknown: 3, share: share(3) }, // null, a text, NaN
      { field: "sector", unknown: 2, share: share(2) }, // null, not a value of the enum
      { field: "company.size", unknown: 2, share: share(2) }, // company null, size null
      { field: "events", unknown: 1, share: share(1) }, // the list is missing
      { field: "events.type", unknown: 2, share: share(2) }, // an element with type null, one without type
      { field: "tags", unknown: 1, share: share(1) },
      { field: "id", unknown: 2, share: share(2) }, // null, a number for a text key
    ]);
  });

  it("counts, per segment, the records it leaves unknown and the fields behind them", () => {
    expect(report.coverage.segments).toEqual([
      {
        name: "big",
        unknown: 3,
        share: 0.5,
        fields: [
          { field: "employees", count: 3 },
          { field: "sector", count: 2 },
        ],
      },
      {
        // through @big; record 1's company.size is known (5): not a cause
        name: "sized",
        unknown: 3,
        share: 0.5,
        fields: [
          { field: "employees", count: 3 },
          { field: "sector", count: 2 }, // ties keep the order of coverage.fields
          { field: "company.size", count: 2 },
        ],
      },
      { name: "webinar", unknown: 1, share: 1 / 6, fields: [{ field: "events.type", count: 1 }] },
      { name: "tagged", unknown: 1, share: 1 / 6, fields: [{ field: "tags", count: 1 }] },
      { name: "tested", unknown: 2, share: 2 / 6, fields: [{ field: "id", count: 2 }] }, // the split's key
    ]);
  });

  it("agrees with each segment's evaluate (unknown is null)", () => {
    for (const s of report.coverage.segments) {
      expect(records.filter((r) => rules.segments[s.name]!.evaluate(r, ctx) === null)).toHaveLength(s.unknown);
    }
  });

  it("counts a field inside a list once per record, and a missing list under the list", () => {
    const r = analyze(rules, [c({ events: [{ type: null }, { type: null }] }), c({ events: null }), c({ events: [] })], ctx);
    expect(r.coverage.fields.filter((f) => f.field.startsWith("events")).map((f) => [f.field, f.unknown])).toEqual([
      ["events", 1],
      ["events.type", 1],
    ]);
  });

  it("reads fields of scores, tiers, lifecycles and channels too", () => {
    const other = compileRules(
      `score s:\n  +5 per count(events where type = "x")\n\nchannel email:\n  optinEmail\n\ntiers t by company.size:\n  high if > 10\n  low otherwise\n`,
      Contact,
    );
    const r = analyze(other, [c({ optinEmail: null, company: null })], ctx);
    expect(r.coverage.fields).toEqual([
      { field: "events", unknown: 0, share: 0 },
      { field: "events.type", unknown: 0, share: 0 },
      { field: "optinEmail", unknown: 1, share: 1 },
      { field: "company.size", unknown: 1, share: 1 },
    ]);
    expect(r.coverage.segments).toEqual([]);
  });

  it("warns when a segment leaves more than maxUnknownShare unknown (default 20%), naming the top fields", () => {
    expect(codes(report).filter((w) => w[0] === "rules.many-unknown")).toEqual([
      ["rules.many-unknown", "big"],
      ["rules.many-unknown", "sized"],
      ["rules.many-unknown", "tested"],
    ]);
    const big = report.warnings.find((w) => w.code === "rules.many-unknown")!;
    expect(big.message).toContain("3 of the 6 records (50%");
    expect(big.hint).toContain("`employees` (3 records), `sector` (2 records)");
    expect(big.span.start).toMatchObject({ line: 1, column: 9 });
  });

  it("does not warn at exactly maxUnknownShare, nor below", () => {
    const at = analyze(rules, records, ctx, { maxUnknownShare: 0.5 });
    expect(at.warnings.some((w) => w.code === "rules.many-unknown")).toBe(false);
    const third = analyze(rules, records, ctx, { maxUnknownShare: 1 / 3 });
    expect(codes(third).filter((w) => w[0] === "rules.many-unknown")).toEqual([
      ["rules.many-unknown", "big"],
      ["rules.many-unknown", "sized"],
    ]);
  });
});

describe("analyze: outcomes per segment", () => {
  const FILE = `segment big:
  employees >= 100

segment small:
  employees < 100

segment nobody:
  employees < 0
`;
  const rules = compileRules(FILE, Contact);
  // 263 big records, 81 converted (Newcombe 1998, Table I); 237 small ones, 19 converted:
  // the base converts 100 / 500 = 20%. Then 7 big records with no outcome, 3 with a text.
  const records = [
    ...Array.from({ length: 263 }, (_, i) => c({ employees: 200, converted: i < 81 })),
    ...Array.from({ length: 237 }, (_, i) => c({ employees: 10, converted: i < 19 })),
    ...Array.from({ length: 7 }, () => c({ employees: 200, converted: null })),
    ...Array.from({ length: 3 }, () => c({ employees: 10, converted: "yes" })),
  ];

  it("gives n, positives, the rate, its Wilson 95% interval and the lift over the base", () => {
    const report = analyze(rules, records, ctx, { outcome: "converted" });
    const [big, small, nobody] = report.outcomes;
    expect(big).toMatchObject({ segment: "big", n: 263, positives: 81, rate: 81 / 263 });
    expect([r4(big!.low), r4(big!.high)]).toEqual([0.2553, 0.3662]);
    expect(big!.lift).toBeCloseTo(81 / 263 / 0.2, 12);
    expect(small).toEqual({ segment: "small", ...rateSummary(19, 237, 0.2) });
    expect(nobody).toEqual({ segment: "nobody", n: 0, positives: 0, rate: null, low: null, high: null, lift: null });
  });

  it("leaves unknown outcomes out of n (missing, or not a boolean)", () => {
    const report = analyze(rules, records, ctx, { outcome: "converted" });
    expect(report.outcomes.map((o) => o.n)).toEqual([263, 237, 0]);
    expect(report.segments.map((s) => s.size)).toEqual([270, 240, 0]);
  });

  it("takes a condition's text, with the rules' schema and definitions", () => {
    const opp = [
      c({ opportunities: ["won"] }),
      c({ opportunities: ["lost", "won"] }),
      c({ opportunities: ["lost"] }),
      c({ opportunities: [] }),
      c({ opportunities: null }), // unknown: not in n
    ];
    const won = analyze(rules, opp, ctx, { outcome: 'opportunities has any ["won"]' }).outcomes[1]!;
    expect(won).toEqual({ segment: "small", ...rateSummary(2, 4, 0.5) });
    expect(won.lift).toBe(1);
    // a reference, and a parameter
    expect(analyze(rules, records, ctx, { outcome: "@big" }).outcomes.map((o) => [o.n, o.positives])).toEqual([
      [270, 270],
      [240, 0],
      [0, 0],
    ]);
    const param = analyze(rules, records, { ...ctx, params: { min: 100 } }, { outcome: "employees >= $min" });
    expect(param.outcomes[0]!.positives).toBe(270);
  });

  it("is empty without an outcome", () => {
    expect(analyze(rules, records, ctx).outcomes).toEqual([]);
  });

  it("refuses an outcome that is not a condition", () => {
    const bad = (outcome: unknown) => () => analyze(rules, records, ctx, { outcome: outcome as string });
    expect(bad("convertd")).toThrow(CibleError);
    try {
      bad("convertd")();
    } catch (e) {
      expect((e as CibleError).diagnostics[0]!.code).toBe("field.unknown");
    }
    expect(bad("employees")).toThrow(CibleError);
    expect(bad("converted and")).toThrow(CibleError);
    expect(bad(true)).toThrow(TypeError);
  });

  it("validates the new options", () => {
    expect(() => analyze(rules, records, ctx, { minReachShare: 2 })).toThrow(RangeError);
    expect(() => analyze(rules, records, ctx, { maxUnknownShare: -0.1 })).toThrow(RangeError);
  });
});

describe("analyze: outcomes per split arm", () => {
  const FILE = `segment half:
  employees >= 100

split ab by id:
  control 50%
  test 50%
`;
  const rules = compileRules(FILE, Contact);
  const arm = (id: string) => rules.splits.ab!.arm(c({ id }), ctx);
  // Newcombe 1998, Table II, example (a): 56/70 against 48/80. The first 80 keys in `control`
  // and the first 70 in `test`; a record is in `half` when its position in its arm is even.
  const control: string[] = [];
  const test: string[] = [];
  for (let i = 0; control.length < 80 || test.length < 70; i++) {
    const id = `u${i}`;
    if (arm(id) === "control" && control.length < 80) control.push(id);
    else if (arm(id) === "test" && test.length < 70) test.push(id);
  }
  const unknownTest: string[] = [];
  for (let i = 0; unknownTest.length < 3; i++) if (arm(`v${i}`) === "test") unknownTest.push(`v${i}`);
  const records = [
    ...control.map((id, j) => c({ id, converted: j < 48, employees: j % 2 === 0 ? 200 : 10 })),
    ...test.map((id, j) => c({ id, converted: j < 56, employees: j % 2 === 0 ? 200 : 10 })),
    ...unknownTest.map((id) => c({ id, converted: null, employees: 10 })), // in `test`, outcome unknown
    ...Array.from({ length: 5 }, () => c({ id: null, converted: true, employees: 200 })), // no arm
  ];

  it("gives each arm's rate and its difference with the first arm (Newcombe's hybrid score)", () => {
    const { splits } = analyze(rules, records, ctx, { outcome: "converted" });
    const w48 = wilsonInterval(48, 80)!;
    const w56 = wilsonInterval(56, 70)!;
    expect(splits[0]).toEqual({
      split: "ab",
      arm: "control",
      n: 80,
      positives: 48,
      rate: 0.6,
      low: w48.low,
      high: w48.high,
      diff: null,
      diffLow: null,
      diffHigh: null,
    });
    const d = newcombeDifference(56, 70, 48, 80)!;
    expect(splits[1]).toEqual({
      split: "ab",
      arm: "test",
      n: 70,
      positives: 56,
      rate: 0.8,
      low: w56.low,
      high: w56.high,
      diff: d.diff,
      diffLow: d.low,
      diffHigh: d.high,
    });
    expect([r4(splits[1]!.diff), r4(splits[1]!.diffLow), r4(splits[1]!.diffHigh)]).toEqual([0.2, 0.0524, 0.3339]);
  });

  it("gives the same per segment and arm, over the segment's records", () => {
    // control: even j < 80 → 40, converted when j < 48 → 24; test: even j < 70 → 35, j < 56 → 28
    const { segmentSplits } = analyze(rules, records, ctx, { outcome: "converted" });
    const d = newcombeDifference(28, 35, 24, 40)!;
    expect(segmentSplits.map((s) => [s.segment, s.split, s.arm, s.n, s.positives, s.rate, s.diff])).toEqual([
      ["half", "ab", "control", 40, 24, 0.6, null],
      ["half", "ab", "test", 35, 28, 0.8, d.diff],
    ]);
    expect(segmentSplits[1]!.diffLow).toBe(d.low);
  });

  it("without an outcome, gives n per arm (records with that arm) and nulls", () => {
    const report = analyze(rules, records, ctx);
    const nulls = { positives: null, rate: null, low: null, high: null, diff: null, diffLow: null, diffHigh: null };
    expect(report.splits).toEqual([
      { split: "ab", arm: "control", n: 80, ...nulls },
      { split: "ab", arm: "test", n: 73, ...nulls },
    ]);
    expect(report.segmentSplits.map((s) => [s.arm, s.n, s.positives])).toEqual([
      ["control", 40, null],
      ["test", 35, null],
    ]);
  });

  it("gives no difference when an arm, or the first arm, has no record", () => {
    const three = compileRules(`split abc by id:\n  a 34%\n  b 33%\n  c 33%\n`, Contact);
    const arms = (id: string) => three.splits.abc!.arm(c({ id }), ctx);
    const onlyB: C[] = [];
    for (let i = 0; onlyB.length < 10; i++) if (arms(`w${i}`) === "b") onlyB.push(c({ id: `w${i}`, converted: onlyB.length < 4 }));
    const { splits } = analyze(three, onlyB, ctx, { outcome: "converted" });
    expect(splits.map((s) => [s.arm, s.n, s.positives, s.rate, s.diff, s.diffLow])).toEqual([
      ["a", 0, 0, null, null, null],
      ["b", 10, 4, 0.4, null, null],
      ["c", 0, 0, null, null, null],
    ]);
  });
});

describe("createAnalyzer: analyze one record at a time", () => {
  const FILE = `segment sante:
  sector = "santé" and employees >= 50

segment grandes:
  @sante and company.size >= 3

channel email:
  optinEmail and not unsubscribed

split ab by id:
  control 50%
  test 50%
`;
  const rules = compileRules(FILE, Contact);
  // 1,200 records (past the bit sets' first words), with missing fields, consents and outcomes.
  const records = Array.from({ length: 1200 }, (_, i) =>
    c({
      id: i % 13 === 0 ? null : `r${i}`,
      sector: i % 7 === 0 ? null : i % 2 ? "santé" : "finance",
      employees: i % 11 === 0 ? null : (i * 37) % 400,
      company: i % 5 === 0 ? null : { size: i % 6 },
      optinEmail: i % 9 === 0 ? null : i % 3 === 0,
      converted: i % 17 === 0 ? null : i % 4 === 0,
    }),
  );

  it("gives exactly analyze's report, with and without options", () => {
    for (const options of [undefined, { outcome: "converted", minReachShare: 0.5, maxUnknownShare: 0.05 }]) {
      const analyzer = createAnalyzer(rules, ctx, options);
      for (const r of records) analyzer.add(r);
      expect(analyzer.report()).toEqual(analyze(rules, records, ctx, options));
    }
  });

  it("reports what was added so far, and can go on", () => {
    const analyzer = createAnalyzer(rules, ctx, { outcome: "converted" });
    expect(analyzer.report()).toEqual(analyze(rules, [], ctx, { outcome: "converted" }));
    for (const r of records.slice(0, 500)) analyzer.add(r);
    expect(analyzer.report()).toEqual(analyze(rules, records.slice(0, 500), ctx, { outcome: "converted" }));
    for (const r of records.slice(500)) analyzer.add(r);
    expect(analyzer.report()).toEqual(analyze(rules, records, ctx, { outcome: "converted" }));
  });

  it("refuses a bad outcome or option at once, before any record", () => {
    expect(() => createAnalyzer(rules, ctx, { outcome: "converted >" })).toThrow(CibleError);
    expect(() => createAnalyzer(rules, ctx, { minReachShare: 2 })).toThrow(RangeError);
  });
});
