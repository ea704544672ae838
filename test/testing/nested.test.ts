/** Arrays of objects inside arrays and inside nested objects: records, rules and witnesses. */
import * as fc from "fast-check";
import { expect, it } from "vitest";
import { z } from "zod";
import { CibleError, compile } from "../../src/index.js";
import { matchingRecord, nonMatchingRecord, recordArbitrary, ruleArbitrary } from "../../src/testing.js";
import { assertValidRecords, assertWellTypedRules, assertWitnesses } from "./__helpers__/assertions.js";

const S = z.object({
  name: z.string(),
  account: z
    .object({
      contacts: z.array(z.object({ role: z.enum(["CEO", "CTO"]), events: z.array(z.object({ score: z.number().int(), at: z.date() })) })),
    })
    .optional(),
  orders: z.array(z.object({ lines: z.array(z.object({ qty: z.number().int().min(0), sku: z.string() })), total: z.number() })),
});
const ctx = { now: new Date("2026-11-22T00:00:00Z") };

it("draws valid records and well-typed rules", () => {
  assertValidRecords(recordArbitrary(S, { now: ctx.now }), S);
  assertWellTypedRules(ruleArbitrary(S, { now: ctx.now }), S, { numRuns: 60, seed: 1 });
});

it("builds witnesses through nested quantifiers and aggregates", () => {
  const s = compile(
    'any account.contacts where (role = "CEO" and count(events where score >= 3) = 2) and sum(orders.total) > 100 and all orders where (any lines where (qty = 0))',
    S,
  );
  assertWitnesses(matchingRecord(s, ctx, { schema: S }), s, ctx, true, S, { numRuns: 20, seed: 2 });
  assertWitnesses(nonMatchingRecord(s, ctx, { schema: S }), s, ctx, false, S, { numRuns: 20, seed: 3 });
});

it("builds witnesses for random rules over nested arrays", () => {
  let built = 0;
  for (const rule of fc.sample(ruleArbitrary(S, { now: ctx.now, maxDepth: 2 }), { seed: 4, numRuns: 30 })) {
    const s = compile(rule, S);
    for (const [make, matching] of [[matchingRecord, true], [nonMatchingRecord, false]] as const) {
      try {
        assertWitnesses(make(s, ctx, { schema: S }), s, ctx, matching, S, { numRuns: 4, seed: 5 });
        built++;
      } catch (e) {
        expect(e).toBeInstanceOf(CibleError);
      }
    }
  }
  expect(built).toBeGreaterThan(45);
});
