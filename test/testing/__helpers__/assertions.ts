/**
 * Shared assertions of the testing kit (as fast-check tests its own arbitraries against shared
 * helpers): every record an arbitrary draws is one the schema accepts, every rule passes the
 * checker, every witness is what it claims to be.
 */
import * as fc from "fast-check";
import { expect } from "vitest";
import type { z } from "zod";
import { check, format } from "../../../src/index.js";
import type { EvalContext, Segment } from "../../../src/index.js";

/** Small: the machine is shared. */
export const RUNS: { numRuns: number; seed: number } = { numRuns: 60, seed: 42 };

/** Every drawn record passes `schema.safeParse`. */
export function assertValidRecords(arb: fc.Arbitrary<unknown>, schema: z.ZodType, runs: fc.Parameters<[unknown]> = RUNS): void {
  fc.assert(
    fc.property(arb, (r) => {
      const parsed = schema.safeParse(r);
      if (!parsed.success) throw new Error(`invalid record ${String(r)}: ${parsed.error.message}`);
    }),
    runs,
  );
}

/** Every drawn rule passes `check` and is already in canonical form. */
export function assertWellTypedRules(arb: fc.Arbitrary<string>, schema: z.ZodType, runs: fc.Parameters<[unknown]> = RUNS): void {
  fc.assert(
    fc.property(arb, (rule) => {
      const report = check(rule, schema);
      if (!report.ok) throw new Error(`${rule}\n${report.diagnostics.map((d) => d.message).join("\n")}`);
      expect(format(rule)).toBe(rule);
    }),
    runs,
  );
}

/** Every witness drawn makes `test` what it should be, and is a valid record. */
export function assertWitnesses<T>(arb: fc.Arbitrary<T>, segment: Segment<T>, ctx: EvalContext, matching: boolean, schema: z.ZodType, runs: fc.Parameters<[unknown]> = RUNS): void {
  fc.assert(
    fc.property(arb, (r) => {
      expect(segment.test(r, ctx), segment.source).toBe(matching);
      expect(schema.safeParse(r).success).toBe(true);
    }),
    runs,
  );
}
