import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError, compile } from "../../src/index.js";
import { matchingRecord, nonMatchingRecord, ruleArbitrary, withSchema } from "../../src/testing.js";
import { assertWitnesses } from "./__helpers__/assertions.js";
import { Contact, NOW, ctx, seg } from "./__helpers__/fixtures.js";

function cibleError(f: () => unknown): CibleError {
  try {
    f();
  } catch (e) {
    if (e instanceof CibleError) return e;
    throw e;
  }
  throw new Error("expected a CibleError");
}

const RULES = [
  // a needle in a haystack: one record in millions matches
  'employees = 123457 and sector = "santé" and tech has "Zoho"',
  'sector = "santé" and lastPurchase < 6 months and tech has "HubSpot"',
  "employees >= 50",
  'grade >= "B" and not unsubscribed and optin',
  'city ~= "orléans" or name contains "SANTE"',
  'name starts with "Dr" and name ends with "MD" and name not contains "x"',
  "renewal within next 60 days and signup before 2025-01-01",
  "lastPurchase between 3 months and 6 months or consentAt > 2 years ago",
  'account.country in ["FR", "BE"] and account.size >= "50-249" and account.hq.city is not set',
  'any purchases where (amount > 1000 and kind = "upsell") and none events where (type = "salon")',
  'all events where (score >= 3) and count(events) = 2',
  "count(purchases where at within last 12 months) >= 3",
  "sum(purchases.amount where at < 12 months) >= 100000",
  "avg(purchases.amount) < 10 and max(purchases.amount) >= 5",
  "min(events.score) = 1 and count(events where type = \"webinar\") = 1",
  "count(tech) >= 3 and tags has any [\"vip\", \"partner\"] and tags has none [\"churn-risk\"]",
  "sum(scores) = 10 and scores is not empty",
  "lastPurchase > consentAt and revenue < employees",
  "not (optin and revenue is set) and employees between 10 and 20",
  "signup = 2026-11-20 or signup within last 3 days",
];

describe("matchingRecord / nonMatchingRecord", () => {
  for (const rule of RULES) {
    it(`witnesses both ways: ${rule}`, () => {
      const s = seg(rule);
      assertWitnesses(matchingRecord(s, ctx), s, ctx, true, Contact, { numRuns: 25, seed: 1 });
      assertWitnesses(nonMatchingRecord(s, ctx), s, ctx, false, Contact, { numRuns: 25, seed: 2 });
    });
  }

  it("builds witnesses for random well-typed rules", () => {
    const rules = fc.sample(ruleArbitrary(Contact, { now: NOW, maxDepth: 2 }), { seed: 11, numRuns: 40 });
    let built = 0;
    for (const rule of rules) {
      const s = seg(rule);
      for (const [make, matching] of [[matchingRecord, true], [nonMatchingRecord, false]] as const) {
        let arb: fc.Arbitrary<Contact>;
        try {
          arb = make(s, ctx);
        } catch (e) {
          expect((e as CibleError).diagnostics[0]!.code).toBe("testing.no-witness");
          continue;
        }
        built++;
        assertWitnesses(arb, s, ctx, matching, Contact, { numRuns: 5, seed: 3 });
      }
    }
    expect(built).toBeGreaterThan(60);
  });

  it("says when a rule is unsatisfiable, naming it", () => {
    const e = cibleError(() => matchingRecord(seg("employees > 5 and employees < 3"), ctx));
    expect(e.diagnostics[0]!.code).toBe("testing.no-witness");
    expect(e.message).toContain("employees > 5 and employees < 3");
  });

  it("says when a rule is always true, naming it", () => {
    const e = cibleError(() => nonMatchingRecord(seg("employees is set or sector is set"), ctx));
    expect(e.diagnostics[0]!.code).toBe("testing.no-witness");
    expect(e.message).toContain("employees is set or sector is set");
  });

  it("puts a rule's boundary values first", () => {
    const s = seg("employees >= 50");
    const values = new Set(
      [...fc.sample(matchingRecord(s, ctx), { seed: 1, numRuns: 60 }), ...fc.sample(nonMatchingRecord(s, ctx), { seed: 2, numRuns: 60 })].map((r) => r.employees),
    );
    for (const v of [49, 50, 51]) expect(values.has(v)).toBe(true);

    const recent = seg("lastPurchase < 6 months");
    const cutoff = new Date(NOW);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - 6);
    const times = new Set(
      [...fc.sample(matchingRecord(recent, ctx), { seed: 3, numRuns: 80 }), ...fc.sample(nonMatchingRecord(recent, ctx), { seed: 4, numRuns: 80 })].map((r) =>
        r.lastPurchase?.getTime(),
      ),
    );
    expect(times.has(cutoff.getTime() + 1)).toBe(true); // just inside
    expect(times.has(cutoff.getTime())).toBe(true); // just outside (strict)
  });

  it("non-matching records include unknowns (a field the rule reads is null)", () => {
    const s = seg("revenue > 1000");
    const rs = fc.sample(nonMatchingRecord(s, ctx), { seed: 5, numRuns: 80 });
    expect(rs.some((r) => r.revenue === null)).toBe(true);
    expect(rs.some((r) => r.revenue !== null && r.revenue <= 1000)).toBe(true);
  });

  it("follows the context: time zone, params", () => {
    const paris = { now: new Date("2026-03-29T00:30:00Z"), timeZone: "Europe/Paris" };
    const s = seg("signup = 2026-03-29 and lastPurchase within last 1 month");
    assertWitnesses(matchingRecord(s, paris), s, paris, true, Contact, { numRuns: 20, seed: 6 });
    const p = seg("employees >= $min and sector in $sectors");
    const withParams = { ...ctx, params: { min: 200, sectors: ["tech"] } };
    assertWitnesses(matchingRecord(p, withParams), p, withParams, true, Contact, { numRuns: 20, seed: 7 });
    const e = cibleError(() => matchingRecord(p, ctx));
    expect(e.diagnostics[0]!.code).toBe("testing.missing-param");
    expect(e.message).toContain("$min");
  });

  it("without a now, witnesses hold for the hour after the call", () => {
    const s = seg("lastPurchase < 1 day");
    const rs = fc.sample(matchingRecord(s), { seed: 8, numRuns: 20 });
    const later = { now: new Date(Date.now() + 30 * 60_000) };
    expect(rs.every((r) => s.test(r) && s.test(r, later))).toBe(true);
  });

  it("needs the schema: carried by a compiled segment, withSchema, the schema option, or a clear error", () => {
    const compiled = compile("employees > 3", Contact);
    assertWitnesses(matchingRecord(compiled, ctx), compiled, ctx, true, Contact, { numRuns: 10, seed: 9 });
    // A segment-like object that does not carry its schema (a copy of the methods only).
    const bare = { ...compiled };
    expect(cibleError(() => matchingRecord(bare, ctx)).diagnostics[0]!.code).toBe("testing.no-schema");
    assertWitnesses(matchingRecord(bare, ctx, { schema: Contact }), bare, ctx, true, Contact, { numRuns: 10, seed: 9 });
    const registered = withSchema(compile("employees > 3", Contact), Contact);
    assertWitnesses(matchingRecord(registered, ctx), registered, ctx, true, Contact, { numRuns: 10, seed: 9 });
  });

  it("honours the schema's own checks and dbSafe", () => {
    const S = z.object({ age: z.number().int().min(18).max(65), email: z.email(), note: z.string().max(8) });
    const s = compile('age >= 60 and note contains "vip"', S);
    assertWitnesses(matchingRecord(s, ctx, { schema: S, dbSafe: true }), s, ctx, true, S, { numRuns: 20, seed: 10 });
    // 70 is beyond the schema's max: no valid record can match.
    expect(cibleError(() => matchingRecord(compile("age > 70", S), ctx, { schema: S })).diagnostics[0]!.code).toBe("testing.no-witness");
  });
});

describe("paths through several lists (issue 12, item 8)", () => {
  const S = z.object({
    contacts: z.array(z.object({ role: z.string(), events: z.array(z.object({ kind: z.string(), at: z.date() })).nullable() })).nullable(),
  });
  it("matchingRecord gives a selected record or says testing.no-witness, never crashes", () => {
    for (const rule of ['count(contacts.events where kind = "webinar") >= 2', 'any contacts.events where (kind = "démo" and role = "CEO")', "all contacts.events where (at < 30 days)"]) {
      const s = compile(rule, S);
      let arb: fc.Arbitrary<Record<string, unknown>> | undefined;
      try {
        arb = matchingRecord(s, ctx, { schema: S }) as never;
      } catch (e) {
        expect(e, rule).toBeInstanceOf(CibleError);
        expect((e as CibleError).diagnostics[0]!.code).toBe("testing.no-witness");
        continue;
      }
      for (const r of fc.sample(arb, { numRuns: 5, seed: 3 })) expect(s.test(r as never, ctx), rule).toBe(true);
    }
  });
});
