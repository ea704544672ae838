import { describe, expect, it } from "vitest";
import { seg } from "./helpers.js";

const at = (iso: string) => new Date(iso);
describe("smoke", () => {
  it("works", () => {
    const s = seg("lastPurchase < 6 months");
    expect(s.nextChange({ lastPurchase: at("2026-05-22T10:00:00Z") }, { now: "2026-11-01T00:00:00Z" })?.toISOString()).toBe("2026-11-22T10:00:00.000Z");
    expect(seg("lastPurchase < 30 days or lastPurchase > 20 days").nextChange({ lastPurchase: at("2026-05-22T10:00:00Z") }, { now: "2026-05-01T00:00:00Z" })).toBe(null);
    expect(seg("count(events where at within last 30 days) >= 2").nextChange({ events: [{type:"a", at: at("2026-05-22T10:00:00Z")},{type:"a", at: at("2026-05-25T10:00:00Z")}] }, { now: "2026-05-01T00:00:00Z" })?.toISOString()).toBe("2026-05-25T10:00:00.000Z");
  });
});
