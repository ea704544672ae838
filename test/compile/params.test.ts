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

describe("duration parameters (issue 12, item 6)", () => {
  const day = 86_400_000;
  const ago = (days: number): Date => new Date(now.getTime() - days * day);
  const at = (s: ReturnType<typeof seg>, r: object, params: Record<string, unknown>) => s.test(r, { now, params });

  it("`within last $w` and `within next $w` take a duration parameter", () => {
    const s = seg("lastPurchase within last $w");
    expect(at(s, { lastPurchase: ago(10) }, { w: "30 days" })).toBe(true);
    expect(at(s, { lastPurchase: ago(40) }, { w: { amount: 30, unit: "day" } })).toBe(false);
    expect(codeOf(() => at(s, { lastPurchase: ago(1) }, { w: "2026-01-01" })).code).toBe("param.type");
    const n = seg("renewalDate within next $w");
    expect(at(n, { renewalDate: new Date(now.getTime() + 5 * day) }, { w: "1 week" })).toBe(true);
    expect(at(n, { renewalDate: new Date(now.getTime() + 9 * day) }, { w: "1 week" })).toBe(false);
  });

  it("`$w ago` and `$w from now` are instants of a duration parameter", () => {
    const s = seg("lastPurchase > $w ago");
    expect(at(s, { lastPurchase: ago(10) }, { w: "30 days" })).toBe(true);
    expect(at(s, { lastPurchase: ago(40) }, { w: "30 days" })).toBe(false);
    const f = seg("renewalDate < $w from now");
    expect(at(f, { renewalDate: new Date(now.getTime() + 5 * day) }, { w: "1 week" })).toBe(true);
    expect(at(f, { renewalDate: new Date(now.getTime() + 9 * day) }, { w: "1 week" })).toBe(false);
  });

  it("`lastPurchase < $p`: the value decides, a date or a duration (an age)", () => {
    const s = seg("lastPurchase < $p");
    // A duration: less than 30 days ago.
    expect(at(s, { lastPurchase: ago(10) }, { p: "30 days" })).toBe(true);
    expect(at(s, { lastPurchase: ago(40) }, { p: { amount: 30, unit: "days" } })).toBe(false);
    // A date: before it (as before).
    expect(at(s, { lastPurchase: ago(10) }, { p: "2026-01-01" })).toBe(false);
    expect(at(s, { lastPurchase: new Date("2025-06-01") }, { p: new Date("2026-01-01") })).toBe(true);
    expect(codeOf(() => at(s, { lastPurchase: ago(1) }, { p: "soon" })).code).toBe("param.type");
    expect(seg("$p > lastPurchase").test({ lastPurchase: ago(10) }, { now, params: { p: "30 days" } })).toBe(true);
    // `=` and `before` take dates only.
    expect(codeOf(() => at(seg("lastPurchase = $p"), {}, { p: "30 days" })).code).toBe("param.type");
    expect(codeOf(() => at(seg("lastPurchase before $p"), {}, { p: "30 days" })).code).toBe("param.type");
  });

  it("`between $a and $b`: two durations (an age range) or two dates; not one of each", () => {
    const s = seg("lastPurchase between $a and $b");
    expect(at(s, { lastPurchase: ago(100) }, { a: "3 months", b: "6 months" })).toBe(true);
    expect(at(s, { lastPurchase: ago(10) }, { a: "3 months", b: "6 months" })).toBe(false);
    expect(at(s, { lastPurchase: new Date("2026-02-10") }, { a: "2026-01-01", b: "2026-03-31" })).toBe(true);
    expect(at(s, { lastPurchase: new Date("2026-04-01") }, { a: "2026-01-01", b: "2026-03-31" })).toBe(false);
    const { code, message } = codeOf(() => at(s, { lastPurchase: ago(1) }, { a: "2026-01-01", b: "3 months" }));
    expect(code).toBe("param.type");
    expect(message).toContain("$a and $b");
    expect(at(seg("lastPurchase not between $a and $b"), { lastPurchase: ago(10) }, { a: "3 months", b: "6 months" })).toBe(true);
    // Inside `where`, on an element's date (no inline field read).
    const q = seg("any purchases where (date between $a and $b)");
    expect(at(q, { purchases: [{ amount: 1, date: ago(100) }] }, { a: "3 months", b: "6 months" })).toBe(true);
  });

  it("a parameter used both ways takes the narrower type", () => {
    const s = seg("lastPurchase < $w and renewalDate within next $w");
    expect(at(s, { lastPurchase: ago(10), renewalDate: new Date(now.getTime() + day) }, { w: "30 days" })).toBe(true);
    expect(codeOf(() => at(seg("lastPurchase < $d and signupDate = $d"), {}, { d: "30 days" })).code).toBe("param.type");
  });
});
