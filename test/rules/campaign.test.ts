/** Channels and splits in rules files (LANGUAGE.md §7): syntax, checks, evaluation, reach. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CibleError } from "../../src/errors/cible-error.js";
import { format, parseRulesFile } from "../../src/index.js";
import { checkRules, compileRules } from "../../src/rules/index.js";

const Contact = z.object({
  id: z.string(),
  num: z.number().int().nullable(),
  ratio: z.number().nullable(),
  role: z.enum(["CEO", "CTO", "Sales"]),
  optinEmail: z.boolean().nullable(),
  unsubscribed: z.boolean(),
  consentDate: z.date().nullable(),
  tags: z.array(z.string()),
});
type C = z.infer<typeof Contact>;
const NOW = new Date("2026-12-01T00:00:00Z");
const ctx = { now: NOW };
const c = (over: Partial<C> = {}): C => ({
  id: "c0",
  num: 1,
  ratio: null,
  role: "CEO",
  optinEmail: true,
  unsubscribed: false,
  consentDate: new Date("2025-06-01T00:00:00Z"),
  tags: [],
  ...over,
});

const FILE = `segment decideurs:
  role in ["CEO", "CTO"]

channel email:
  optinEmail and not unsubscribed and consentDate > 3 years ago

split spring by id:
  control 10%
  a       45%
  b       45%

segment testables:
  @decideurs and @spring != "control"
`;

describe("channel and split definitions: syntax", () => {
  it("parse, print canonically and round-trip", () => {
    const doc = parseRulesFile(FILE);
    expect(doc.definitions.map((d) => d.kind)).toEqual(["segment", "channel", "split", "segment"]);
    const split = doc.definitions[2]!;
    expect(split.kind === "split" && split.arms.map((a) => [a.name, a.percent])).toEqual([
      ["control", 10],
      ["a", 45],
      ["b", 45],
    ]);
    const printed = format(FILE);
    expect(printed).toContain("split spring by id:\n  control 10%\n  a 45%\n  b 45%\n");
    expect(printed).toContain("channel email:\n  optinEmail and not unsubscribed and consentDate > 3 years ago\n");
    expect(format(printed)).toBe(printed);
  });

  it("keeps a seed", () => {
    const src = 'split s by id seed "2026-q2":\n  a 50%\n  b 50%\n';
    const doc = parseRulesFile(src);
    expect(doc.definitions[0]!.kind === "split" && doc.definitions[0]!.seed).toBe("2026-q2");
    expect(format(src)).toBe(src);
  });

  it("reads `channel` and `split` as field names elsewhere", () => {
    const S = z.object({ channel: z.string(), split: z.boolean() });
    const r = checkRules('segment s:\n  channel = "email" and split\n', S);
    expect(r.diagnostics).toEqual([]);
  });
});

describe("channel and split definitions: checks", () => {
  const codes = (src: string) => checkRules(src, Contact).diagnostics.map((d) => d.code);

  it("refuse shares that do not add up to exactly 100%", () => {
    expect(codes("split s by id:\n  a 33.3%\n  b 33.3%\n  c 33.3%\n")).toEqual(["rules.split-total"]);
    expect(codes("split s by id:\n  a 33.333%\n  b 33.333%\n  c 33.334%\n")).toEqual([]);
    expect(codes("split s by id:\n  a 60%\n  b 60%\n")).toEqual(["rules.split-total"]);
  });

  it("refuse a key that is neither text nor a whole number", () => {
    expect(codes("split s by ratio:\n  a 50%\n  b 50%\n")).toEqual(["rules.split-key"]);
    expect(codes("split s by optinEmail:\n  a 50%\n  b 50%\n")).toEqual(["rules.split-key"]);
    expect(codes("split s by tags:\n  a 50%\n  b 50%\n")).toEqual(["rules.split-key"]);
    expect(codes("split s by num:\n  a 50%\n  b 50%\n")).toEqual([]);
    expect(codes("split s by role:\n  a 50%\n  b 50%\n")).toEqual([]);
    expect(codes("split s by nope:\n  a 50%\n  b 50%\n")).toEqual(["field.unknown"]);
  });

  it("refuse a duplicate arm, a share out of (0, 100] and an empty split", () => {
    expect(codes("split s by id:\n  a 50%\n  a 50%\n")).toEqual(["rules.duplicate-arm"]);
    expect(checkRules("split s by id:\n  a 0%\n  b 100%\n", Contact).ok).toBe(false);
    expect(checkRules("split s by id:\n", Contact).ok).toBe(false);
  });

  it("compare an arm by equality only, with did-you-mean on arm names", () => {
    const base = "split s by id:\n  control 50%\n  test 50%\n\nsegment x:\n  ";
    expect(codes(`${base}@s = "control"\n`)).toEqual([]);
    expect(codes(`${base}@s in ["control", "test"]\n`)).toEqual([]);
    const d = checkRules(`${base}@s = "contrl"\n`, Contact).diagnostics;
    expect(d[0]?.hint).toContain("control");
    expect(checkRules(`${base}@s > "control"\n`, Contact).ok).toBe(false);
  });

  it("check a channel's condition as a segment's", () => {
    expect(codes("channel email:\n  optinEmial\n")).toEqual(["field.unknown"]);
  });
});

describe("channel and split definitions: evaluation", () => {
  const rules = compileRules(FILE, Contact);

  it("a channel is a compiled segment, not a segment", () => {
    expect(Object.keys(rules.segments)).toEqual(["decideurs", "testables"]);
    expect(Object.keys(rules.channels)).toEqual(["email"]);
    expect(rules.channels.email!.test(c(), ctx)).toBe(true);
    expect(rules.channels.email!.evaluate(c({ optinEmail: null }), ctx)).toBe(null);
    expect(rules.channels.email!.test(c({ consentDate: new Date("2023-01-01T00:00:00Z") }), ctx)).toBe(false);
  });

  it("reach is the segment AND the channel; unknown consent is not consent", () => {
    const reach = rules.reach("decideurs", "email");
    expect(reach.test(c(), ctx)).toBe(true);
    expect(reach.evaluate(c({ optinEmail: null }), ctx)).toBe(null);
    expect(reach.test(c({ optinEmail: null }), ctx)).toBe(false);
    expect(reach.test(c({ role: "Sales" }), ctx)).toBe(false);
    expect(reach.filter([c(), c({ unsubscribed: true }), c({ role: "Sales" })], ctx)).toHaveLength(1);
    expect(rules.reach("decideurs", "email")).toBe(reach);
  });

  it("reach refuses names that are not a segment or a channel", () => {
    expect(() => rules.reach("email", "email")).toThrow(CibleError);
    expect(() => rules.reach("decideurs", "decideurs")).toThrow(/no channel named `decideurs`/);
  });

  it("evaluate gives reachable segments per channel and arms per split", () => {
    const e = rules.evaluate(c(), ctx);
    expect(Object.keys(e.reachable)).toEqual(["email"]);
    const arm = rules.splits.spring!.arm(c(), ctx);
    expect(e.splits).toEqual({ spring: arm });
    expect(e.reachable.email).toEqual(e.segments);
    expect(rules.evaluate(c({ optinEmail: null }), ctx).reachable.email).toEqual([]);
  });

  it("a split gives the arm of the MD5 assignment; `spring:c0` is in the last arm", () => {
    // h("spring:c0") = 4009207742 (NOTES.md) ≥ ⌈55% · 2^32⌉: arm `b`.
    expect(rules.splits.spring!.arm(c({ id: "c0" }), ctx)).toBe("b");
    expect(rules.splits.spring!.arms).toEqual(["control", "a", "b"]);
    expect(rules.splits.spring!.seed).toBe("spring");
  });

  it("a segment can exclude the holdout", () => {
    const ids = Array.from({ length: 400 }, (_, i) => `k${i}`);
    for (const id of ids) {
      const rec = c({ id });
      const arm = rules.splits.spring!.arm(rec, ctx);
      expect(rules.segments.testables!.test(rec, ctx)).toBe(arm !== "control");
    }
  });

  it("an integer key hashes its decimal digits", () => {
    const r = compileRules("split n by num:\n  a 50%\n  b 50%\n", Contact);
    const t = compileRules("split n by id:\n  a 50%\n  b 50%\n", Contact);
    for (const n of [0, 7, -3, 123456789, 2 ** 53]) {
      expect(r.splits.n!.arm(c({ num: n }), ctx)).toBe(t.splits.n!.arm(c({ id: String(BigInt(n)) }), ctx));
    }
    expect(r.splits.n!.arm(c({ num: -0 }), ctx)).toBe(t.splits.n!.arm(c({ id: "0" }), ctx));
    expect(r.splits.n!.arm(c({ num: null }), ctx)).toBe(null);
    expect(r.splits.n!.arm(c({ num: 1.5 }), ctx)).toBe(null);
  });
});
