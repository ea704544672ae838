import { describe, expect, it } from "vitest";
import { decayWeight, periodMs } from "../../src/rules/decay.js";

const DAY = 86_400_000;

describe("decay weights", () => {
  it("halves after one period at 50%", () => {
    expect(decayWeight(30 * DAY, 50, periodMs({ amount: 30, unit: "day" }))).toBeCloseTo(0.5, 12);
    expect(decayWeight(60 * DAY, 50, 30 * DAY)).toBeCloseTo(0.25, 12);
  });
  it("is continuous between periods", () => {
    expect(decayWeight(15 * DAY, 50, 30 * DAY)).toBeCloseTo(Math.SQRT1_2, 12);
  });
  it("weighs 1 now and in the future", () => {
    expect(decayWeight(0, 50, DAY)).toBe(1);
    expect(decayWeight(-5 * DAY, 50, DAY)).toBe(1);
  });
  it("loses everything past at 100%", () => {
    expect(decayWeight(1, 100, DAY)).toBe(0);
  });
  it("uses mean calendar lengths for months and years", () => {
    expect(periodMs({ amount: 1, unit: "year" })).toBe(365.2425 * DAY);
    expect(periodMs({ amount: 12, unit: "month" })).toBeCloseTo(365.2425 * DAY, 3);
    expect(periodMs({ amount: 2, unit: "week" })).toBe(14 * DAY);
  });
});
