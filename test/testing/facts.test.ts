/**
 * The witness solver reads the checker's facts (which scope binds a name inside `where`, how an
 * aggregate's path splits, a parameter's type where it stands) and re-checks a segment that
 * carries none.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { factsOf } from "../../src/check/facts.js";
import { compile } from "../../src/index.js";
import { matchingRecord, nonMatchingRecord, recordArbitrary } from "../../src/testing.js";
import { assertWitnesses } from "./__helpers__/assertions.js";
import { Contact, ctx, seg } from "./__helpers__/fixtures.js";

/** The same name on the record and on the elements of an array. */
const Shadow = z.object({
  amount: z.number(),
  region: z.enum(["north", "south"]),
  purchases: z.array(z.object({ amount: z.number(), region: z.enum(["north", "south"]).nullable() })),
});

function both(source: string, schema: z.ZodType, context = ctx): void {
  const s = compile(source, schema as never);
  assertWitnesses(matchingRecord(s, context, { schema }), s, context, true, schema, { numRuns: 15, seed: 1 });
  assertWitnesses(nonMatchingRecord(s, context, { schema }), s, context, false, schema, { numRuns: 15, seed: 2 });
}

describe("the solver reads the checker's facts", () => {
  it("binds a name inside `where` to the scope the checker chose", () => {
    both("amount < 5 and any purchases where (amount > 100)", Shadow);
    both('all purchases where (region = "north") and region = "south"', Shadow);
    const s = compile("amount < 5 and any purchases where (amount > 100)", Shadow);
    for (const r of fc.sample(matchingRecord(s, ctx, { schema: Shadow }), { seed: 3, numRuns: 20 })) {
      expect(r.amount).toBeLessThan(5);
      expect(r.purchases.some((p) => p.amount > 100)).toBe(true);
    }
  });

  it("meets a `where` that reads only outer fields (every element counts, or none)", () => {
    both("count(purchases where amount > 10) >= 2", Shadow);
    both("count(events where employees > 10) = 2 and employees < 20", Contact);
    both("sum(purchases.amount where optin) > 100", Contact);
  });

  it("reads an aggregate's bounds and a parameter with the type the checker gave it", () => {
    const withParams = { ...ctx, params: { lo: 2, hi: 3, d: "2026-01-01", from: "2026-02-01", to: "2026-03-01", techs: ["Zoho", "Sage"] } };
    both("count(purchases) between $lo and $hi", Contact, withParams);
    both("lastPurchase < $d and signup between $from and $to and tech has any $techs", Contact, withParams);
  });

  it("reads dates between two ages as the compiler does", () => {
    both("lastPurchase between 3 months and 6 months", Contact);
    both("lastPurchase between 6 months and 3 months or signup between 1 year and 2 years", Contact);
  });

  it("re-checks a segment that carries no facts", () => {
    const compiled = compile("employees > 3 and any purchases where (amount > 1000)", Contact);
    const bare = { ...compiled };
    expect(factsOf(compiled)).toBeDefined();
    expect(factsOf(bare)).toBeUndefined();
    assertWitnesses(matchingRecord(bare, ctx, { schema: Contact }), bare, ctx, true, Contact, { numRuns: 10, seed: 4 });
    assertWitnesses(nonMatchingRecord(bare, ctx, { schema: Contact }), bare, ctx, false, Contact, { numRuns: 10, seed: 5 });
  });

  it("favours boundary values of fields named inside `where` and of aggregated element fields", () => {
    const s = seg("count(purchases where amount >= 500) >= 1 and sum(purchases.amount) > 70");
    const amounts = new Set(
      fc.sample(recordArbitrary(Contact, { now: ctx.now, segments: [s] }), { seed: 6, numRuns: 200 }).flatMap((r) => r.purchases.map((p) => p.amount)),
    );
    for (const v of [499, 500, 71]) expect(amounts.has(v)).toBe(true);
  });
});
