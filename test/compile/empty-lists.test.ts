/**
 * `in []` and `not in []` on present, missing, null and invalid values: never TRUE / never FALSE
 * for an unknown value. (A regression: an empty list once matched a missing text field, found by
 * the SQL differential test.)
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile } from "../../src/index.js";

const S = z.object({
  name: z.string().optional(),
  city: z.string().nullable(),
  sector: z.enum(["santé", "finance"]).optional(),
  employees: z.number().optional(),
  active: z.boolean().optional(),
});

const cases: [string, Record<string, unknown>, boolean | null][] = [
  ["name in []", { name: "x", city: "y" }, false],
  ["name in []", { city: null }, null],
  ["name not in []", { name: "x", city: "y" }, true],
  ["name not in []", { city: null }, null],
  ["city in []", { city: null }, null],
  ["city in []", { city: 3 }, null],
  ["sector in []", { sector: "santé", city: null }, false],
  ["sector in []", { city: null }, null],
  ["sector in []", { sector: "retail", city: null }, null],
  ["employees in []", { employees: 4, city: null }, false],
  ["employees in []", { city: null }, null],
  ["employees not in []", { employees: Number.NaN, city: null }, null],
];

describe("empty lists", () => {
  it.each(cases)("%s on %j is %s", (rule, record, expected) => {
    const seg = compile(rule, S);
    expect(seg.evaluate(record as never)).toBe(expected);
    expect(seg.test(record as never)).toBe(expected === true);
    expect(seg.filter([record] as never[]).length).toBe(expected === true ? 1 : 0);
  });
});
