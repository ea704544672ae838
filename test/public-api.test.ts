/**
 * The public contract of ../shared/spec/API.md, used as its examples use it: names, shapes and
 * the calls that need no extra options (a compiled segment carries its schema, so `toSQL(seg, …)`
 * and `matchingRecord(seg)` need none).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as cible from "../src/index.js";
import { CibleError, check, compile, compileRules, explainText, format, parse } from "../src/index.js";
import { fromAST } from "../src/runtime.js";
import { toSQL } from "../src/sql.js";
import { matchingRecord, nonMatchingRecord } from "../src/testing.js";
import { createLanguageService, type CompletionItem, type TokenType } from "../src/language.js";

const Contact = z.object({
  sector: z.enum(["santé", "finance", "industrie"]),
  employees: z.number().int(),
  lastPurchase: z.date().nullable(),
  tech: z.array(z.string()),
  unsubscribed: z.boolean(),
});
const SEED = 'sector = "santé" and lastPurchase < 6 months and tech has "X"';
const now = new Date("2026-11-22T00:00:00Z");
const record = { sector: "santé" as const, employees: 80, lastPurchase: new Date("2026-10-01T00:00:00Z"), tech: ["X"], unsubscribed: false };

describe("API.md: expressions", () => {
  it("compile, test, evaluate, filter, explain, source, ast, toString", () => {
    const seg = compile(SEED, Contact);
    expect(seg.test(record, { now })).toBe(true);
    expect(seg.evaluate({ ...record, lastPurchase: null }, { now })).toBe(null);
    expect(seg.filter([record, { ...record, tech: [] }], { now })).toEqual([record]);
    const e = seg.explain(record, { now });
    expect(e).toMatchObject({ text: SEED, result: true });
    expect(e.children.map((c) => c.text)).toEqual(['sector = "santé"', "lastPurchase < 6 months", 'tech has "X"']);
    expect(explainText(e).split("\n")[0]).toContain("✓");
    expect(seg.source).toBe(SEED);
    expect(seg.ast).toMatchObject({ kind: "expression", version: cible.AST_VERSION });
    expect(JSON.parse(JSON.stringify(seg.ast))).toEqual(seg.ast);
    expect(seg.toString()).toBe(format(SEED));
  });

  it("check never throws for bad rules; compile throws one CibleError with every diagnostic", () => {
    const bad = 'sectr = "santé" and lastPurchase = 6 months';
    const report = check(bad, Contact);
    expect(report.ok).toBe(false);
    expect(report.diagnostics.map((d) => d.code)).toEqual(["field.unknown", "type.duration-equality"]);
    for (const d of report.diagnostics) {
      expect(d).toMatchObject({ severity: "error", span: { start: { line: 1 }, end: { line: 1 } } });
      expect(typeof d.message).toBe("string");
    }
    expect(report.diagnostics[0]!.hint).toContain("sector");
    expect(() => compile(bad, Contact)).toThrow(CibleError);
    try {
      compile(bad, Contact);
    } catch (e) {
      expect((e as CibleError).diagnostics).toHaveLength(2);
      expect((e as Error).message).toContain("1:1");
    }
  });

  it("parse needs no schema; format is canonical and keeps comments", () => {
    expect(parse("tech has any [\"A\", \"B\"]").body.kind).toBe("has");
    expect(format("sector = \"santé\"   AND (employees>=50)")).toBe('sector = "santé" and employees >= 50');
    expect(format("employees > 5 # big enough\n")).toContain("# big enough");
  });

  it("fromAST (cible/runtime) rebuilds a segment from its JSON AST", () => {
    const seg = fromAST(JSON.parse(JSON.stringify(compile(SEED, Contact).ast)), Contact);
    expect(seg.test(record, { now })).toBe(true);
    expect(() => fromAST({ kind: "expression", version: 999 }, Contact)).toThrow(CibleError);
  });
});

describe("API.md: rules files", () => {
  it("segments, scores, lifecycles, tiers and evaluate in one pass", () => {
    const rules = compileRules(
      `segment sante:\n  sector = "santé"\n\nscore lead:\n  +20 if @sante\n  +5 per employees max 25\n\nlifecycle stage:\n  awareness\n  purchase if lastPurchase is set\n\ntiers size by employees:\n  big if >= 50\n  small otherwise\n`,
      Contact,
    );
    expect(rules.segments.sante!.test(record, { now })).toBe(true);
    expect(rules.scores.lead!.score(record, { now })).toBe(45);
    expect(rules.lifecycles.stage!.stages).toEqual(["awareness", "purchase"]);
    expect(rules.lifecycles.stage!.stage(record, { now })).toBe("purchase");
    const all = rules.evaluate(record, { now });
    expect(all.segments).toEqual(["sante"]);
    expect({ ...all.scores }).toEqual({ lead: 45 });
    expect({ ...all.stages }).toEqual({ stage: "purchase" });
    expect({ ...all.tiers }).toEqual({ size: "big" });
  });
});

describe("API.md: SQL and testing need no schema option for a compiled segment", () => {
  it("toSQL(seg, { dialect, table, now })", () => {
    const { sql, params } = toSQL(compile(SEED, Contact), { dialect: "postgres", table: "contacts", now });
    expect(sql).toContain("$1");
    expect(params.every((p) => ["string", "number", "boolean"].includes(typeof p))).toBe(true);
    expect(sql).not.toContain("santé");
  });

  it("matchingRecord(seg) / nonMatchingRecord(seg)", () => {
    const seg = compile(SEED, Contact);
    fc.assert(fc.property(matchingRecord(seg, { now }), (r) => seg.test(r, { now })), { numRuns: 20, seed: 1 });
    fc.assert(fc.property(nonMatchingRecord(seg, { now }), (r) => !seg.test(r, { now })), { numRuns: 20, seed: 1 });
  });
});

describe("API.md: the language service (cible/language)", () => {
  it("createLanguageService({ schema, kind, params, now, timeZone }) and its seven methods", () => {
    const ls = createLanguageService({ schema: Contact, kind: "rules", params: { minEmployees: "number" }, now: new Date(), timeZone: "Europe/Paris" });
    const src = "segment big:\n  employees >= $minEmployees\n\nsegment b:\n  @big and sectr = \"santé\"\n";
    const ds = ls.diagnostics(src);
    expect(ds.map((d) => d.code)).toEqual(["field.unknown"]);
    expect(ds[0]!.fixes![0]!.edits[0]!.newText).toBe("sector");
    const c = ls.complete(src, src.indexOf("sectr") + 3);
    expect(c).toMatchObject({ from: src.indexOf("sectr"), to: src.indexOf("sectr") + 5 });
    const item: CompletionItem = c.items[0]!;
    expect(item).toMatchObject({ label: "sector", kind: "field" });
    expect(ls.hover(src, src.indexOf("employees"))).toMatchObject({ span: { start: { line: 2 } }, markdown: expect.stringContaining("number") });
    const types: TokenType[] = ls.tokens(src).map((t) => t.type);
    expect(types).toContain("param");
    expect(ls.symbols(src)).toMatchObject([{ name: "big", kind: "segment" }, { name: "b", kind: "segment" }]);
    expect(ls.definition(src, src.indexOf("@big") + 1)).toMatchObject({ start: { line: 1, column: 9 } });
    expect(ls.format("segment big:\n    employees>=1\n")).toBe("segment big:\n  employees >= 1\n");
  });
});
