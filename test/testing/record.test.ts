import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError } from "../../src/index.js";
import { readSchema } from "../../src/schema/index.js";
import { dateArbitrary, enumArbitrary, numberArbitrary, recordArbitrary, textArbitrary } from "../../src/testing.js";
import { Contact as Example } from "../../examples/schema.js";
import { RUNS, assertValidRecords } from "./__helpers__/assertions.js";
import { Contact, NOW, seg } from "./__helpers__/fixtures.js";

const sample = <T>(arb: fc.Arbitrary<T>, numRuns = 200) => fc.sample(arb, { seed: 7, numRuns });

function codeOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof CibleError) return { code: e.diagnostics[0]!.code, message: e.diagnostics[0]!.message };
    throw e;
  }
  throw new Error("expected a CibleError");
}

describe("recordArbitrary", () => {
  it("draws records the schema accepts (every field type)", () => {
    assertValidRecords(recordArbitrary(Contact, { now: NOW }), Contact);
    assertValidRecords(recordArbitrary(Example, { now: NOW }), Example);
  });

  it("covers nulls, absent keys, empty and full arrays, nested objects, every date shape", () => {
    const rs = sample(recordArbitrary(Contact, { now: NOW }), 300);
    expect(rs.some((r) => r.revenue === null)).toBe(true);
    expect(rs.some((r) => r.revenue !== null)).toBe(true);
    expect(rs.some((r) => !("name" in r))).toBe(true);
    expect(rs.some((r) => typeof r.name === "string")).toBe(true);
    expect(rs.some((r) => r.account === null)).toBe(true);
    expect(rs.some((r) => r.account !== null && r.account.hq !== undefined)).toBe(true);
    expect(rs.some((r) => r.purchases.length === 0)).toBe(true);
    expect(rs.some((r) => r.purchases.length >= 2)).toBe(true);
    expect(rs.some((r) => r.tags === null)).toBe(true);
    expect(rs.every((r) => r.consentAt === null || r.consentAt instanceof Date)).toBe(true);
    expect(rs.some((r) => typeof r.renewal === "string")).toBe(true);
    expect(rs.some((r) => typeof r.signup === "string" && /^\d{4}-\d\d-\d\d$/.test(r.signup))).toBe(true);
    expect(new Set(rs.map((r) => r.grade)).size).toBe(5);
  });

  it("spreads dates around now, on both sides of the usual cutoffs", () => {
    const rs = sample(recordArbitrary(Contact, { now: NOW, nulls: false }), 400);
    const sixMonthsAgo = new Date(NOW);
    sixMonthsAgo.setUTCMonth(sixMonthsAgo.getUTCMonth() - 6);
    const dates = rs.map((r) => r.lastPurchase!.getTime());
    expect(dates.some((t) => t > sixMonthsAgo.getTime() && t <= NOW.getTime())).toBe(true);
    expect(dates.some((t) => t < sixMonthsAgo.getTime())).toBe(true);
    expect(dates.some((t) => t > NOW.getTime())).toBe(true);
    // Within a minute of a cutoff, on either side.
    expect(dates.some((t) => Math.abs(t - sixMonthsAgo.getTime()) <= 60_000)).toBe(true);
  });

  it("pins fields by path: a value, an arbitrary, a nested field, every element's field", () => {
    const arb = recordArbitrary(Contact, {
      now: NOW,
      pin: { sector: "santé", employees: fc.integer({ min: 10, max: 20 }), "account.country": "FR", "purchases.kind": "upsell" },
    });
    for (const r of sample(arb, 100)) {
      expect(r.sector).toBe("santé");
      expect(r.employees).toBeGreaterThanOrEqual(10);
      expect(r.employees).toBeLessThanOrEqual(20);
      if (r.account) expect(r.account.country).toBe("FR");
      for (const p of r.purchases) expect(p.kind).toBe("upsell");
    }
    assertValidRecords(arb, Contact);
  });

  it("bounds sizes and can turn nulls off", () => {
    const arb = recordArbitrary(Contact, { now: NOW, maxArrayLength: 1, maxStringLength: 3, nulls: false });
    for (const r of sample(arb, 150)) {
      expect(r.purchases.length).toBeLessThanOrEqual(1);
      expect(r.tech.length).toBeLessThanOrEqual(1);
      expect(r.id.length).toBeLessThanOrEqual(3);
      expect(r.revenue).not.toBeNull();
      expect("name" in r).toBe(true);
    }
  });

  it("favours the boundary values of given segments", () => {
    const arb = recordArbitrary(Contact, { now: NOW, segments: [seg("employees >= 50 and lastPurchase < 6 months")] });
    const rs = sample(arb, 300);
    const employees = new Set(rs.map((r) => r.employees));
    for (const v of [49, 50, 51]) expect(employees.has(v)).toBe(true);
    const cutoff = new Date(NOW);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - 6);
    const times = new Set(rs.map((r) => r.lastPurchase?.getTime()));
    for (const d of [-1, 0, 1]) expect(times.has(cutoff.getTime() + d)).toBe(true);
  });

  it("dbSafe keeps what databases store: NFC text without NUL or lone surrogates, finite numbers, dates in 1900–2200", () => {
    const arb = recordArbitrary(Contact, { now: NOW, dbSafe: true });
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    const texts = (r: Contact): string[] => [r.id, r.name ?? "", r.city ?? "", ...r.tech, r.account?.country ?? "", r.account?.hq?.city ?? ""];
    fc.assert(
      fc.property(arb, (r) => {
        for (const s of texts(r)) {
          expect(s).toBe(s.normalize("NFC"));
          expect(s.includes("\u0000")).toBe(false);
          expect(lone.test(s)).toBe(false);
        }
        for (const n of [r.employees, r.revenue ?? 0, ...r.scores, ...r.purchases.map((p) => p.amount)]) {
          expect(Number.isFinite(n)).toBe(true);
          expect(Object.is(n, -0)).toBe(false);
        }
        for (const d of [r.lastPurchase, r.consentAt, ...r.purchases.map((p) => p.at)]) {
          if (d) expect(d.getUTCFullYear()).toBeGreaterThanOrEqual(1900);
          if (d) expect(d.getUTCFullYear()).toBeLessThanOrEqual(2200);
        }
        expect(Contact.safeParse(r).success).toBe(true);
      }),
      RUNS,
    );
  });

  it("without dbSafe, draws the text and numbers that trip databases up", () => {
    const rs = sample(recordArbitrary(Contact, { now: NOW }), 500);
    const texts = rs.flatMap((r) => [r.id, ...r.tech]);
    expect(texts.some((s) => s !== s.normalize("NFC"))).toBe(true);
    expect(rs.some((r) => Object.is(r.revenue, -0) || r.purchases.some((p) => Object.is(p.amount, -0)))).toBe(true);
  });

  it("text shrinks to the empty text: a failing property reports \"\", not a leftover word", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = fc.check(fc.property(textArbitrary(), (s) => s === "never"), { seed });
      expect(r.counterexample).toEqual([""]);
    }
  });

  it("draws lone surrogates only when asked (loneSurrogates), never with dbSafe", () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    const texts = (c: Parameters<typeof recordArbitrary>[1]) =>
      sample(recordArbitrary(Contact, { now: NOW, ...c }), 500).flatMap((r) => [r.id, r.city ?? "", r.name ?? "", ...r.tech]);
    expect(texts({}).some((s) => lone.test(s))).toBe(false);
    expect(texts({}).some((s) => s.includes("\u0000"))).toBe(true); // U+0000 and NFD stay by default
    expect(texts({ loneSurrogates: true }).some((s) => lone.test(s))).toBe(true);
    expect(texts({ loneSurrogates: true, dbSafe: true }).some((s) => lone.test(s))).toBe(false);
    expect(sample(textArbitrary(), 1000).some((s) => lone.test(s))).toBe(false);
    expect(sample(textArbitrary({ loneSurrogates: true }), 1000).some((s) => lone.test(s))).toBe(true);
  });

  it("honours zod checks: bounds, formats, lengths, date bounds, datetime precision", () => {
    const S = z.object({
      age: z.number().int().min(18).max(99),
      ratio: z.number().gt(0).lt(1),
      step: z.number().int().multipleOf(5),
      small: z.int32(),
      email: z.email(),
      id: z.uuid(),
      site: z.url(),
      code: z.string().min(2).max(4),
      sku: z.string().startsWith("SKU-").toLowerCase(),
      low: z.string().lowercase().max(10),
      at: z.date().min(new Date("2020-01-01")).max(new Date("2030-01-01")),
      stamp: z.iso.datetime({ precision: 0 }),
      list: z.array(z.string()).min(1).max(2),
      lit: z.literal([1, 2, 3]),
      choice: z.union([z.literal("a"), z.literal("b")]),
      any: z.unknown(),
    });
    assertValidRecords(recordArbitrary(S, { now: NOW }), S);
  });

  it("reads the shapes z.fromJSONSchema produces", () => {
    const S = z.fromJSONSchema({
      type: "object",
      properties: {
        seen: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
        day: { type: "string", format: "date" },
        n: { type: "integer", minimum: 3 },
        kind: { enum: ["a", "b"] },
        tags: { type: "array", items: { type: "string" }, maxItems: 3 },
      },
      required: ["n", "kind"],
    }) as z.ZodType;
    assertValidRecords(recordArbitrary(S, { now: NOW }), S);
  });

  it("accepts a bare SchemaModel", () => {
    const rs = sample(recordArbitrary<Contact>(readSchema(Contact), { now: NOW }), 50);
    expect(rs.every((r) => typeof r.employees === "number" && Number.isInteger(r.employees))).toBe(true);
  });

  it("refuses a field type it cannot generate, naming the field and the type", () => {
    const cases: [z.ZodType, string, RegExp][] = [
      [z.object({ siren: z.string().regex(/^\d{9}$/) }), "siren", /text matching/],
      [z.object({ big: z.bigint() }), "big", /bigint/],
      [z.object({ n: z.number().refine((x) => x !== 3) }), "n", /refinement/],
      [z.object({ m: z.map(z.string(), z.number()) }), "m", /map/],
      [z.object({ a: z.object({ t: z.tuple([z.string(), z.number()]) }) }), "a.t", /tuple/],
      [z.object({ u: z.union([z.string(), z.number()]) }), "u", /union/],
    ];
    for (const [schema, field, type] of cases) {
      const { code, message } = codeOf(() => recordArbitrary(schema));
      expect(code).toBe("testing.unsupported-type");
      expect(message).toContain(`\`${field}\``);
      expect(message).toMatch(type);
    }
  });

  it("refuses a pin or favour on an undeclared path, and bad sizes", () => {
    expect(codeOf(() => recordArbitrary(Contact, { pin: { secteur: "santé" } })).code).toBe("testing.unknown-field");
    expect(codeOf(() => recordArbitrary(Contact, { favour: { "account.pays": ["FR"] } })).code).toBe("testing.unknown-field");
    expect(codeOf(() => recordArbitrary(Contact, { maxArrayLength: -1 })).code).toBe("testing.bad-constraint");
    expect(codeOf(() => recordArbitrary(Contact, { now: "not a date" })).code).toBe("testing.bad-constraint");
  });
});

describe("the small arbitraries", () => {
  it("textArbitrary respects lengths and favours its values", () => {
    const xs = sample(textArbitrary({ minLength: 2, maxLength: 5, favour: ["santé"] }));
    expect(xs.every((s) => s.length >= 2 && s.length <= 5)).toBe(true);
    expect(xs).toContain("santé");
  });

  it("numberArbitrary respects bounds and kind", () => {
    const xs = sample(numberArbitrary({ integer: true, min: 0, max: 10, maxInclusive: false }));
    expect(xs.every((n) => Number.isInteger(n) && n >= 0 && n < 10)).toBe(true);
    const ys = sample(numberArbitrary({ min: -1, max: 1, dbSafe: true }));
    expect(ys.every((n) => n >= -1 && n <= 1 && !Object.is(n, -0))).toBe(true);
  });

  it("dateArbitrary writes the declared shape around now", () => {
    const days = sample(dateArbitrary({ now: NOW, source: "date-string", timeZone: "Europe/Paris" }));
    expect(days.every((d) => typeof d === "string" && /^\d{4}-\d\d-\d\d$/.test(d))).toBe(true);
    const stamps = sample(dateArbitrary({ now: NOW, source: "datetime-string", dbSafe: true }));
    expect(stamps.every((d) => typeof d === "string" && z.iso.datetime().safeParse(d).success)).toBe(true);
  });

  it("enumArbitrary draws declared values only", () => {
    expect(new Set(sample(enumArbitrary({ values: ["F", "D", "C"] })))).toEqual(new Set(["F", "D", "C"]));
  });
});
