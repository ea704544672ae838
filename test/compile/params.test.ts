/**
 * Parameters and the evaluation context: missing / wrongly typed parameters and bad time zones
 * or `now` are CibleErrors naming them; extra parameters are ignored; values are normalised.
 */
import { describe, expect, it } from "vitest";
import { seg } from "./helpers.js";
import { CibleError } from "../../src/errors/cible-error.js";
import { createRun } from "../../src/compile/index.js";

const now = new Date("2026-11-22T12:00:00Z");

function codeOf(f: () => unknown): { code: string | undefined; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CibleError);
    return { code: (e as CibleError).diagnostics[0]?.code, message: (e as Error).message };
  }
  throw new Error("expected a CibleError");
}

describe("parameters", () => {
  const s = seg("employees >= $minEmployees");

  it("binds a number", () => {
    expect(s.test({ employees: 60 }, { now, params: { minEmployees: 50 } })).toBe(true);
    expect(s.test({ employees: 40 }, { now, params: { minEmployees: 50 } })).toBe(false);
    expect(s.test({ employees: 40 }, { now, params: { minEmployees: 50, extra: "ignored" } })).toBe(false);
  });

  it("a missing parameter is param.missing naming it", () => {
    for (const ctx of [{ now }, { now, params: {} }, { now, params: { minEmployees: undefined } }, { now, params: { other: 1 } }]) {
      const { code, message } = codeOf(() => s.test({ employees: 1 }, ctx));
      expect(code).toBe("param.missing");
      expect(message).toContain("$minEmployees");
    }
    expect(codeOf(() => s.filter([], { now })).code).toBe("param.missing");
    expect(codeOf(() => s.evaluate({}, { now })).code).toBe("param.missing");
    expect(codeOf(() => s.explain({}, { now })).code).toBe("param.missing");
  });

  it("a parameter inherited from a prototype is missing", () => {
    const params = Object.create({ minEmployees: 5 }) as Record<string, unknown>;
    expect(codeOf(() => s.test({ employees: 1 }, { now, params })).code).toBe("param.missing");
  });

  it("a wrongly typed parameter is param.type naming it", () => {
    for (const v of ["50", NaN, Infinity, null, true, [50], {}]) {
      const { code, message } = codeOf(() => s.test({ employees: 1 }, { now, params: { minEmployees: v } }));
      expect(code).toBe("param.type");
      expect(message).toContain("$minEmployees");
    }
  });

  it("strings are NFC; enum parameters must be values of the enum", () => {
    const t = seg("sector = $s");
    expect(t.test({ sector: "santé" }, { now, params: { s: "sante\u0301" } })).toBe(true);
    expect(codeOf(() => t.test({ sector: "santé" }, { now, params: { s: "autre" } })).code).toBe("param.type");
    const c = seg("city = $c");
    expect(c.test({ city: "Orléans" }, { now, params: { c: "Orle\u0301ans" } })).toBe(true);
  });

  it("lists", () => {
    const t = seg("sector in $list");
    expect(t.test({ sector: "finance" }, { now, params: { list: ["santé", "finance"] } })).toBe(true);
    expect(t.evaluate({ sector: "industrie" }, { now, params: { list: ["santé"] } })).toBe(false);
    expect(t.evaluate({ sector: "industrie" }, { now, params: { list: [] } })).toBe(false);
    expect(codeOf(() => t.test({}, { now, params: { list: "santé" } })).code).toBe("param.type");
    expect(codeOf(() => t.test({}, { now, params: { list: ["santé", 3] } })).code).toBe("param.type");
    // A list changed in place between calls is read again.
    const list = ["santé"];
    expect(t.test({ sector: "finance" }, { now, params: { list } })).toBe(false);
    list.push("finance");
    expect(t.test({ sector: "finance" }, { now, params: { list } })).toBe(true);
  });

  it("booleans", () => {
    const t = seg("unsubscribed = $b");
    expect(t.test({ unsubscribed: true }, { now, params: { b: true } })).toBe(true);
    expect(codeOf(() => t.test({}, { now, params: { b: "true" } })).code).toBe("param.type");
  });

  it("dates: a Date, an instant string, epoch ms, or a date-only string meaning that day", () => {
    const t = seg("lastPurchase <= $until");
    const r = { lastPurchase: new Date("2026-01-31T18:00:00Z") };
    expect(t.test(r, { now, params: { until: "2026-01-31" } })).toBe(true); // the whole day
    expect(t.test(r, { now, params: { until: "2026-01-31T12:00:00Z" } })).toBe(false);
    expect(t.test(r, { now, params: { until: new Date("2026-02-01T00:00:00Z") } })).toBe(true);
    expect(t.test(r, { now, params: { until: Date.parse("2026-01-31T18:00:00Z") } })).toBe(true);
    expect(codeOf(() => t.test(r, { now, params: { until: "31/01/2026" } })).code).toBe("param.type");
    expect(codeOf(() => t.test(r, { now, params: { until: new Date(NaN) } })).code).toBe("param.type");
  });
});

describe("the evaluation context", () => {
  const s = seg("lastPurchase < 6 months");

  it("an unknown time zone is eval.time-zone", () => {
    for (const timeZone of ["Mars/Olympus", "", "UTC+25"]) {
      expect(codeOf(() => s.test({}, { now, timeZone })).code).toBe("eval.time-zone");
    }
    expect(codeOf(() => s.test({}, { now, timeZone: 3 as unknown as string })).code).toBe("eval.time-zone");
  });

  it("time zone names are canonicalised", () => {
    expect(createRun({ now, timeZone: "europe/paris" }, new Map()).timeZone).toBe("Europe/Paris");
    expect(createRun({ now, timeZone: "Etc/UTC" }, new Map()).timeZone).toBe("UTC");
    expect(createRun(undefined, new Map()).timeZone).toBe("UTC");
  });

  it("an invalid now is eval.now", () => {
    for (const bad of ["yesterday", new Date(NaN), NaN, Infinity, {} as unknown as Date]) {
      expect(codeOf(() => s.test({}, { now: bad })).code).toBe("eval.now");
    }
  });

  it("the default now is the current instant", () => {
    const r = { lastPurchase: new Date(Date.now() - 86_400_000) };
    expect(s.test(r)).toBe(true);
    expect(s.test({ lastPurchase: new Date(Date.now() - 400 * 86_400_000) })).toBe(false);
  });
});
