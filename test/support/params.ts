/**
 * Parameters of a rule for the law tests: the types the checker infers for its `$name`s (the
 * public `check` reports diagnostics only), and valid values of those types, several variants
 * per rule so that a law sees different parameter values.
 */
import type * as z4 from "zod/v4/core";
import { checkExpression } from "../../src/check/index.js";
import type { ParamType } from "../../src/check/types.js";
import { readSchema } from "../../src/schema/index.js";
import { parseExpression } from "../../src/syntax/index.js";

/** The inferred type of every parameter of `source` (empty when the rule does not parse). */
export function paramTypes(source: string, schema: z4.$ZodType): ReadonlyMap<string, ParamType> {
  const parsed = parseExpression(source);
  if (!parsed.doc) return new Map();
  return checkExpression(parsed.doc.body, readSchema(schema)).params;
}

const DAY = 86_400_000;
const NUMBERS = [2, 0, 5, -1.5, 3, 1000, 1];
const STRINGS = ["b", "a", "santé", "Zoho", "", "x"];
const DURATIONS: readonly unknown[] = ["6 months", { amount: 30, unit: "day" }, "1 year", "0 days", { amount: 2, unit: "week" }, "12 hours"];

/** Valid values for a date parameter, around `now`: instants, a date-only string, epoch ms. */
function dates(now: number): unknown[] {
  return [new Date(now - 10 * DAY), new Date(now - 200 * DAY), new Date(now + 30 * DAY), "2026-01-15", now - 400 * DAY, "2026-11-20T10:00:00Z"];
}

/** The `i`-th valid value of a parameter type (`i` any non-negative integer). */
export function paramValue(type: ParamType, i: number, now: number): unknown {
  const one = (j: number): unknown => {
    switch (type.kind) {
      case "number":
        return NUMBERS[j % NUMBERS.length];
      case "string": {
        const pool = type.enumValues?.length ? type.enumValues : STRINGS;
        return pool[j % pool.length];
      }
      case "boolean":
        return j % 2 === 0;
      case "date": {
        const pool = dates(now);
        return pool[j % pool.length];
      }
      case "duration":
        return DURATIONS[j % DURATIONS.length];
      case "dateOrDuration": {
        // Even offsets a date, odd ones a duration: two bounds of one range (offsets 2 apart) agree.
        const pool = j % 2 === 0 ? dates(now) : DURATIONS;
        return pool[Math.floor(j / 2) % pool.length];
      }
    }
  };
  return type.list ? [one(i), one(i + 1)] : one(i);
}

/** The `variant`-th set of valid parameters of `source` (each parameter a different offset). */
export function paramsFor(source: string, schema: z4.$ZodType, variant: number, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  [...paramTypes(source, schema)].forEach(([name, type], k) => {
    out[name] = paramValue(type, variant + 2 * k, now);
  });
  return out;
}
