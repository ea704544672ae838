import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/errors/diagnostic.js";
import { CibleError } from "../../src/errors/cible-error.js";
import { checkRules, compileRules } from "../../src/rules/index.js";
import { Contact } from "./fixtures.js";

/** code, line, column of each diagnostic */
const where = (ds: readonly Diagnostic[]) => ds.map((d) => [d.code, d.span.start.line, d.span.start.column]);
const check = (src: string) => checkRules(src, Contact);

describe("rules diagnostics", () => {
  it("reports a name defined twice at the second definition", () => {
    const r = check("segment a:\n  orders > 1\n\nscore a:\n  +1 if orders > 2\n");
    expect(r.ok).toBe(false);
    expect(where(r.diagnostics)).toEqual([["rules.duplicate-name", 4, 7]]);
    expect(r.diagnostics[0]!.message).toContain("line 1");
  });

  it("reports a cycle once, naming every definition on it in order", () => {
    const r = check("segment a:\n  @b and orders > 1\n\nsegment b:\n  @c\n\nsegment c:\n  @a or referrals > 0\n");
    expect(where(r.diagnostics)).toEqual([["rules.cycle", 2, 3]]);
    const m = r.diagnostics[0]!.message;
    expect(m.indexOf("@a")).toBeLessThan(m.indexOf("@b"));
    expect(m.indexOf("@b")).toBeLessThan(m.indexOf("@c"));
    expect(m).toContain("@a → @b → @c → @a");
  });

  it("reports cycles through scores, lifecycles and tiers, and self-references", () => {
    const r = check(
      "score s:\n  +10 if @l = \"b\"\n\nlifecycle l:\n  a\n  b if @t = \"hi\"\n\ntiers t by @s:\n  hi if > 5\n  lo otherwise\n\nsegment me:\n  @me\n",
    );
    expect(where(r.diagnostics)).toEqual([
      ["rules.cycle", 2, 10],
      ["rules.cycle", 13, 3],
    ]);
    expect(r.diagnostics[0]!.message).toContain("@s → @l → @t → @s");
    const e = (() => {
      try {
        compileRules("segment me:\n  @me\n", Contact);
      } catch (err) {
        return err as CibleError;
      }
    })();
    expect(e).toBeInstanceOf(CibleError);
    expect(e!.diagnostics[0]!.code).toBe("rules.cycle");
    expect(e!.message).toContain("me");
  });

  it("accepts references before their definition", () => {
    expect(check("segment a:\n  @b\n\nsegment b:\n  orders > 1\n").ok).toBe(true);
  });

  it("suggests a close name for an unknown reference", () => {
    const r = check("segment decideurs:\n  orders > 1\n\nsegment x:\n  @decideur and orders > 2\n");
    expect(where(r.diagnostics)).toEqual([["ref.unknown", 5, 3]]);
    expect(r.diagnostics[0]!.hint).toContain("@decideurs");
  });

  it("refuses references to population definitions", () => {
    const r = check(
      'tiers q by revenue quantiles:\n  top 20%\n  rest otherwise\n\nrfm r:\n  recency lastPurchase\n  frequency orders\n  monetary revenue\n\nsegment a:\n  @q = "top" and @r > 3\n',
    );
    expect(where(r.diagnostics)).toEqual([
      ["ref.population", 11, 3],
      ["ref.population", 11, 18],
    ]);
  });

  it("requires `otherwise` in threshold tiers and in quantiles that leave records out", () => {
    expect(where(check("tiers t by revenue:\n  high if >= 100k\n  medium if >= 20k\n").diagnostics)).toEqual([
      ["rules.missing-otherwise", 3, 3],
    ]);
    expect(where(check("tiers t by revenue quantiles:\n  a 50%\n  b 20%\n").diagnostics)).toEqual([["rules.missing-otherwise", 3, 3]]);
    // shares adding up to 100% need no otherwise
    expect(check("tiers t by revenue quantiles:\n  a 50%\n  b 50%\n").ok).toBe(true);
  });

  it("checks the order of tier lines", () => {
    const r = check("tiers t by revenue:\n  medium if >= 20k\n  high if >= 100k\n  low otherwise\n");
    expect(r.ok).toBe(true);
    expect(where(r.diagnostics)).toEqual([["rules.tier-order", 3, 3]]);
    expect(r.diagnostics[0]!.severity).toBe("warning");
    expect(where(check("tiers t by revenue:\n  a if > 1\n  o otherwise\n  b if > 0\n").diagnostics)).toEqual([
      ["rules.otherwise-not-last", 3, 3],
    ]);
    expect(where(check("tiers t by revenue:\n  low if < 10\n  high if >= 10\n  other otherwise\n").diagnostics)).toEqual([
      ["rules.unreachable-otherwise", 4, 3],
    ]);
    expect(where(check("tiers t by revenue:\n  a if > 1\n  a if > 0\n  o otherwise\n").diagnostics)).toEqual([
      ["rules.duplicate-tier", 3, 3],
    ]);
  });

  it("checks quantile shares", () => {
    expect(where(check("tiers q by revenue quantiles:\n  top 60%\n  mid 50%\n").diagnostics)).toEqual([["rules.quantile-total", 1, 7]]);
    expect(where(check("tiers q by revenue quantiles:\n  a 50%\n  b 50%\n  c otherwise\n").diagnostics)).toEqual([
      ["rules.unreachable-otherwise", 4, 3],
    ]);
  });

  it("checks tier lines against the type of the `by` value", () => {
    const r = check('tiers t by sector:\n  s if = "santé"\n  f if = "finanse"\n  o otherwise\n');
    expect(where(r.diagnostics)).toEqual([["enum.unknown-value", 3, 10]]);
    expect(r.diagnostics[0]!.hint).toContain("finance");
    expect(where(check("tiers t by revenu:\n  a if > 1\n  b if > 0\n  o otherwise\n").diagnostics)).toEqual([["field.unknown", 1, 12]]);
  });

  it("checks lifecycles", () => {
    expect(where(check("lifecycle l:\n  a\n  b\n  a if orders > 1\n").diagnostics)).toEqual([
      ["rules.stage-condition", 3, 3],
      ["rules.duplicate-stage", 4, 3],
    ]);
    expect(where(check('segment s:\n  @l >= "c"\n\nlifecycle l:\n  a\n  b if orders > 1\n').diagnostics)).toEqual([
      ["ref.unknown-value", 2, 9],
    ]);
  });

  it("checks decaying rules", () => {
    expect(where(check("score s:\n  +1 per events decaying 50% every 0 days by type\n").diagnostics)).toEqual([
      ["rules.decay-period", 2, 36],
      ["rules.decay-date", 2, 46],
    ]);
    expect(where(check("score s:\n  +1 per orders decaying 50% every 1 day by at\n").diagnostics)).toEqual([
      ["rules.decay-collection", 2, 10],
    ]);
    const r = check("score s:\n  +1 per purchases decaying 50% every 1 day by dat\n");
    expect(where(r.diagnostics)).toEqual([["field.unknown", 2, 48]]);
    expect(r.diagnostics[0]!.hint).toContain("date");
  });

  it("checks the kind of per, by, recency, frequency and monetary values", () => {
    const r = check(
      "tiers q by city quantiles:\n  top 20%\n  rest otherwise\n\nsegment a:\n  orders > 1\n\nscore s:\n  +1 per city\n  +1 per @a\n\nrfm r:\n  recency city\n  frequency orders\n  monetary revenue\n",
    );
    expect(where(r.diagnostics)).toEqual([
      ["rules.value-type", 1, 12],
      ["rules.value-type", 9, 10],
      ["rules.value-type", 10, 10],
      ["rules.value-type", 13, 11],
    ]);
  });

  it("reports a parameter used with two types across definitions", () => {
    expect(where(check("segment a:\n  orders > $x\n\nsegment b:\n  city = $x\n").diagnostics)).toEqual([["param.conflict", 4, 9]]);
  });

  it("reports several mistakes, each with line, column and a hint", () => {
    const src = 'segment a:\n  sectr = "santé"\n\nsegment b:\n  @zz\n\ntiers t by revenue:\n  x if > 1\n\nsegment a:\n  orders > 1\n\nsegment c:\n  @c\n';
    const r = check(src);
    expect(where(r.diagnostics)).toEqual([
      ["field.unknown", 2, 3],
      ["ref.unknown", 5, 3],
      ["rules.missing-otherwise", 8, 3],
      ["rules.duplicate-name", 10, 9],
      ["rules.cycle", 14, 3],
    ]);
    expect(r.diagnostics.every((d) => d.hint)).toBe(true);
    let thrown: unknown;
    try {
      compileRules(src, Contact);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CibleError);
    expect((thrown as CibleError).diagnostics).toHaveLength(5);
    expect((thrown as CibleError).message).toContain("5 |   @zz");
  });

  it("never throws for bad rules in checkRules, and returns syntax errors", () => {
    const r = check("segment a:\n  orders >> 1\n");
    expect(r.ok).toBe(false);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.span.start.line >= 1)).toBe(true);
  });
});
