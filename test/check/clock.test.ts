import { describe, expect, it } from "vitest";
import { CibleError, compile, resolveClock } from "../../src/index.js";
import { z } from "zod";

describe("resolveClock: the instant and zone an evaluation uses", () => {
  it("reads an offset-less now in the time zone, a date alone as the start of that day there", () => {
    expect(resolveClock({ now: "2026-03-31T12:00:00", timeZone: "europe/paris" })).toEqual({
      now: new Date("2026-03-31T10:00:00.000Z"),
      timeZone: "Europe/Paris",
    });
    expect(resolveClock({ now: "2026-03-31", timeZone: "Europe/Paris" }).now.toISOString()).toBe("2026-03-30T22:00:00.000Z");
    expect(resolveClock({ now: 0 }).timeZone).toBe("UTC");
  });

  it("agrees with evaluation: the same now selects the same records", () => {
    const seg = compile("at within last 1 hour", z.object({ at: z.date() }));
    const ctx = { now: "2026-03-31T12:00:00", timeZone: "Europe/Paris" };
    const { now } = resolveClock(ctx);
    const at = new Date(now.getTime() - 30 * 60_000);
    expect(seg.test({ at }, ctx)).toBe(true);
    expect(seg.test({ at }, { now, timeZone: "Europe/Paris" })).toBe(true);
  });

  it("throws the evaluator's errors", () => {
    expect(() => resolveClock({ timeZone: "Mars/Olympus" })).toThrow(CibleError);
    try {
      resolveClock({ now: "not a date" });
    } catch (e) {
      expect((e as CibleError).diagnostics[0]!.code).toBe("eval.now");
    }
  });
});
