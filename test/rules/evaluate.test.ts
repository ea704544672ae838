import { describe, expect, it } from "vitest";
import { compileRules } from "../../src/rules/index.js";
import { Contact, contact, ctx } from "./fixtures.js";

const RULES = `score fit:
  +10 per pricingViews max 50

segment a:
  @fit >= 10

segment b:
  @fit >= 20 and @a

segment c:
  @a or @b or @fit > 100

lifecycle stage:
  cold
  warm if @fit >= 10
  hot  if @c and @fit >= 30

tiers band by @fit:
  high if >= 30
  low otherwise
`;

/** A record whose `pricingViews` counts how often it is read. */
function counted(views: number) {
  const reads = { n: 0 };
  const base: Record<string, unknown> = { ...contact() };
  delete base.pricingViews;
  Object.defineProperty(base, "pricingViews", {
    enumerable: true,
    get() {
      reads.n++;
      return views;
    },
  });
  return { record: base as ReturnType<typeof contact>, reads };
}

describe("rules.evaluate", () => {
  const rules = compileRules(RULES, Contact);

  it("returns segments, scores, stages and threshold tiers in one pass", () => {
    const { record } = counted(3);
    const out = rules.evaluate(record, ctx);
    expect(out.segments).toEqual(["a", "b", "c"]);
    expect({ ...out.scores }).toEqual({ fit: 30 });
    expect({ ...out.stages }).toEqual({ stage: "hot" });
    expect({ ...out.tiers }).toEqual({ band: "high" });
  });

  it("computes each definition once per record, however often it is referenced", () => {
    const { record, reads } = counted(3);
    rules.evaluate(record, ctx);
    expect(reads.n).toBe(1);
    const second = counted(1);
    rules.segments.c!.test(second.record, ctx);
    expect(second.reads.n).toBe(1);
  });

  it("does not mix records within one run", () => {
    const records = [1, 3, 0, 2].map((v) => contact({ pricingViews: v }));
    expect(rules.segments.b!.filter(records, ctx)).toEqual([records[1], records[3]]);
    expect(records.map((r) => rules.evaluate(r, ctx).stages.stage)).toEqual(["warm", "hot", "cold", "warm"]);
  });

  it("exposes segments as full compiled segments", () => {
    const seg = rules.segments.b!;
    const r = contact({ pricingViews: 2 });
    expect(seg.test(r, ctx)).toBe(true);
    expect(seg.evaluate(r, ctx)).toBe(true);
    expect(seg.filter([r, contact()], ctx)).toEqual([r]);
    const e = seg.explain(r, ctx);
    expect(e.result).toBe(true);
    expect(e.text).toBe("@fit >= 20 and @a");
    expect(seg.ast.body.kind).toBe("and");
  });
});
