import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ObjectType } from "../../src/schema/model.js";
import { readSchema } from "../../src/schema/read.js";
import { didYouMean, resolveField } from "../../src/schema/resolve.js";

const Account = z.object({
  sector: z.enum(["santé", "finance"]),
  employees: z.number(),
  date: z.date(),
  hq: z.object({ country: z.string(), address: z.object({ city: z.string().nullable() }).optional() }),
  tech: z.array(z.string()),
  purchases: z.array(z.object({ amount: z.number(), date: z.date() })),
});
const root = readSchema(Account).root;
const element = (root.fields.get("purchases")!.type as { element: ObjectType }).element;

describe("resolveField", () => {
  it("resolves a top-level field", () => {
    const r = resolveField([root], ["employees"]);
    expect(r).toMatchObject({ ok: true, scopeIndex: 0, nullable: false, field: { name: "employees" } });
  });

  it("goes through nested objects and reports any nullable or optional step", () => {
    const r = resolveField([root], ["hq", "address", "city"]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.steps.map((s) => s.name)).toEqual(["hq", "address", "city"]);
    expect(r.nullable).toBe(true);
    expect(resolveField([root], ["hq", "country"])).toMatchObject({ ok: true, nullable: false });
  });

  it("looks in the innermost scope first, then outwards", () => {
    expect(resolveField([element, root], ["date"])).toMatchObject({ ok: true, scopeIndex: 0 });
    expect(resolveField([element, root], ["sector"])).toMatchObject({ ok: true, scopeIndex: 1 });
    expect(resolveField([element, root], ["hq", "country"])).toMatchObject({ ok: true, scopeIndex: 1 });
  });

  it("fails on unknown names with suggestions", () => {
    expect(resolveField([root], ["sectr"])).toMatchObject({ ok: false, failedAt: 0, reason: "unknown", suggestions: ["sector"] });
    expect(resolveField([root], ["hq", "contry"])).toMatchObject({ ok: false, failedAt: 1, reason: "unknown", suggestions: ["country"] });
    expect(resolveField([element, root], ["amout"])).toMatchObject({ ok: false, failedAt: 0, suggestions: ["amount"] });
  });

  it("does not go through scalars or arrays", () => {
    expect(resolveField([root], ["sector", "name"])).toMatchObject({ ok: false, failedAt: 1, reason: "not-object" });
    expect(resolveField([root], ["tech", "length"])).toMatchObject({ ok: false, failedAt: 1, reason: "not-object" });
    expect(resolveField([root], ["purchases", "amount"])).toMatchObject({ ok: false, failedAt: 1, reason: "array" });
  });

  it("finds only declared fields: prototype names are unknown names", () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      expect(resolveField([root], [name])).toMatchObject({ ok: false, failedAt: 0 });
      expect(resolveField([root], ["hq", name])).toMatchObject({ ok: false, failedAt: 1 });
    }
  });

  it("handles an empty path and no scopes", () => {
    expect(resolveField([root], [])).toMatchObject({ ok: false, failedAt: 0 });
    expect(resolveField([], ["sector"])).toMatchObject({ ok: false, failedAt: 0 });
  });

  it("compares names after NFC normalisation", () => {
    const m = readSchema(z.object({ création: z.date() })).root;
    expect(resolveField([m], ["cre\u0301ation"])).toMatchObject({ ok: true });
  });
});

describe("didYouMean", () => {
  it("suggests close names (typos, transpositions)", () => {
    expect(didYouMean("sectr", ["sector", "employees"])).toEqual(["sector"]);
    expect(didYouMean("setcor", ["sector", "employees"])).toEqual(["sector"]);
    expect(didYouMean("employes", ["sector", "employees"])).toEqual(["employees"]);
    expect(didYouMean("lastPurch", ["lastPurchase", "lastVisit"])).toEqual(["lastPurchase"]);
  });

  it("ignores case and accents first", () => {
    expect(didYouMean("Sector", ["sector", "secteur"])[0]).toBe("sector");
    expect(didYouMean("sante", ["finance", "santé"])).toEqual(["santé"]);
    expect(didYouMean("CHIFFREAFFAIRES", ["chiffreAffaires"])).toEqual(["chiffreAffaires"]);
  });

  it("returns at most three, best first, and nothing when nothing is close", () => {
    expect(didYouMean("ab", ["ac", "ad", "ae", "af"])).toHaveLength(3);
    expect(didYouMean("abc", ["abd", "xyz", "abcd"])).toEqual(["abd", "abcd"]);
    expect(didYouMean("zzzzzz", ["sector", "employees"])).toEqual([]);
    expect(didYouMean("sector", [])).toEqual([]);
  });

  it("never suggests the name itself", () => {
    expect(didYouMean("sector", ["sector"])).toEqual([]);
  });
});
