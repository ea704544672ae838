/** rankByShares over a typed array (as the CLI streams populations) gives what quantile tiers' and RFM's assign give over records. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileRules, rankByShares } from "../../src/index.js";

const V = z.object({ v: z.number().nullable() });

function libraryTiers(values: (number | null)[], shares: number[], otherwise: boolean) {
  const lines = shares.map((p, i) => `  l${i} ${p}%`);
  if (otherwise) lines.push(`  l${shares.length} otherwise`);
  const rules = compileRules(`tiers t by v quantiles:\n${lines.join("\n")}\n`, V);
  const t = rules.tiers.t!;
  if (t.method !== "quantiles") throw new Error("quantiles expected");
  return t.assign(values.map((v) => ({ v })));
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 12 }) },
  { weight: 2, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

describe("rankByShares", () => {
  it("equals quantile tiers' assign: every line and every cut", () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (values, rawShares, withOtherwise) => {
          // Shares that add up to 100 at most; without `otherwise` the last one takes the rest.
          const shares: number[] = [];
          let left = 100;
          for (const s of rawShares) {
            const take = Math.min(s, left - 1);
            if (take < 1) break;
            shares.push(take);
            left -= take;
          }
          if (!withOtherwise) shares.push(left);
          const lib = libraryTiers(values, shares, withOtherwise);
          const all = withOtherwise ? [...shares, left] : shares;
          const ranking = rankByShares(Float64Array.from(values, (v) => (v === null ? Number.NaN : v)), all);
          expect(ranking.cuts).toEqual(lib.cuts);
          expect(values.map((v) => (v === null ? null : `l${ranking.lineOf(v)}`))).toEqual(lib.tiers);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("equals RFM's quintiles (recency reversed), cuts included", () => {
    const R = z.object({ r: z.number().nullable(), f: z.number().nullable(), m: z.number().nullable() });
    const rules = compileRules("rfm x:\n  recency r\n  frequency f\n  monetary m\n", R);
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.integer({ min: 0, max: 6 }), value), { maxLength: 50 }), (rows) => {
        const records = rows.map(([r, f, m]) => ({ r: r === null ? null : Math.abs(r), f, m }));
        const lib = rules.rfm.x!.assign(records);
        const ages = Float64Array.from(records, (x) => (x.r === null ? Number.NaN : -x.r));
        const fs = Float64Array.from(records, (x) => (x.r === null ? Number.NaN : x.f));
        const Rk = rankByShares(ages, [20, 20, 20, 20, 20]);
        const Fk = rankByShares(fs, [20, 20, 20, 20, 20]);
        const ms = Float64Array.from(records, (x) => (x.r === null || x.m === null ? Number.NaN : x.m));
        const Mk = rankByShares(ms, [20, 20, 20, 20, 20]);
        expect(Mk.cuts).toEqual(lib.cuts.monetary);
        expect(Rk.cuts.map((c) => (c === 0 ? 0 : -c))).toEqual(lib.cuts.recency);
        expect(Fk.cuts).toEqual(lib.cuts.frequency);
        records.forEach((_x, i) => {
          const s = lib.scores[i];
          if (!s) return;
          expect(5 - Rk.lineOf(ages[i]!)!).toBe(s.r);
          expect(5 - Fk.lineOf(fs[i]!)!).toBe(s.f);
          expect(5 - Mk.lineOf(ms[i]!)!).toBe(s.m);
        });
      }),
      { numRuns: 200 },
    );
  });
});
