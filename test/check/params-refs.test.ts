import { describe, expect, it } from "vitest";
import type { CheckEnv, RefType } from "../../src/check/types.js";
import { type Expected, briefs, check, expected } from "./support/helpers.js";

function expectDiags(source: string, list: readonly Expected[], env?: CheckEnv): void {
  expect(briefs(source, undefined, env)).toEqual(expected(source, list));
}

function paramsOf(source: string): Record<string, unknown> {
  return Object.fromEntries(check(source).params);
}

describe("params: types inferred from where they stand", () => {
  it("from the comparison partner", () => {
    expect(paramsOf("employees > $min and name = $n and unsubscribed = $u and lastVisit < $since")).toEqual({
      min: { kind: "number", list: false },
      n: { kind: "string", list: false },
      u: { kind: "boolean", list: false },
      // Ordered against a date: a date or a duration, as its value decides (issue 12, item 6).
      since: { kind: "dateOrDuration", list: false },
    });
  });

  it("enum fields give their values; `in $p` and `has any $p` are lists", () => {
    expect(paramsOf("sector = $s and region in $r and tags has any $t and tech has $one")).toEqual({
      s: { kind: "string", list: false, enumValues: ["santé", "finance", "industrie"] },
      r: { kind: "string", list: true, enumValues: ["nord", "sud", "est", "ouest"] },
      t: { kind: "string", list: true, enumValues: ["vip", "new", "churn"] },
      one: { kind: "string", list: false },
    });
  });

  it("between bounds: numbers, dates, or durations for an age range", () => {
    expect(paramsOf("employees between $lo and $hi and lastVisit between $a and 6 months and renewalDate between $from and $to")).toEqual({
      lo: { kind: "number", list: false },
      hi: { kind: "number", list: false },
      a: { kind: "duration", list: false },
      from: { kind: "dateOrDuration", list: false },
      to: { kind: "dateOrDuration", list: false },
    });
  });

  it("duration parameters: where only a duration fits; a date or a duration where the value decides (issue 12, item 6)", () => {
    expect(
      paramsOf("lastVisit within last $w and renewalDate > $x ago and renewalDate < $y from now and lastVisit <= $e and lastVisit between $b and 2026-01-01"),
    ).toEqual({
      w: { kind: "duration", list: false },
      x: { kind: "duration", list: false },
      y: { kind: "duration", list: false },
      e: { kind: "dateOrDuration", list: false },
      b: { kind: "date", list: false },
    });
    // `=`, `!=`, `before`, `after` take dates only; a use where only one fits narrows the other.
    expect(paramsOf("lastVisit = $a and lastVisit after $b and lastVisit < $c and lastVisit within next $c and lastVisit > $d and renewalDate != $d")).toEqual({
      a: { kind: "date", list: false },
      b: { kind: "date", list: false },
      c: { kind: "duration", list: false },
      d: { kind: "date", list: false },
    });
    // Two parameters compared with each other are dates.
    expect(paramsOf("lastVisit < $a and $a < $b")).toEqual({ a: { kind: "date", list: false }, b: { kind: "date", list: false } });
    // A duration parameter is a duration: used as a number, it conflicts.
    expectDiags("lastVisit within last $w and employees > $w", [["param.conflict", "$w#1"]]);
  });

  it("a param as subject: alone, with text operators, with a literal", () => {
    expect(paramsOf('$flag and $q contains "x" and $limit > 3 and $d within last 3 days')).toEqual({
      flag: { kind: "boolean", list: false },
      q: { kind: "string", list: false },
      limit: { kind: "number", list: false },
      d: { kind: "date", list: false },
    });
  });

  it("aggregates and params in `where`", () => {
    expect(paramsOf("count(purchases where amount > $min) >= $n")).toEqual({
      min: { kind: "number", list: false },
      n: { kind: "number", list: false },
    });
  });

  it("a type flows between params: `$a = $b` with `$b` typed elsewhere", () => {
    expect(briefs("$a = $b and employees > $b")).toEqual([]);
    expect(paramsOf("$a = $b and employees > $b")).toMatchObject({ a: { kind: "number" }, b: { kind: "number" } });
  });

  it("the same param used twice the same way is fine", () => {
    expect(briefs("employees > $n or orders > $n")).toEqual([]);
  });

  it("param.conflict: at the conflicting use, naming both types", () => {
    const src = 'employees > $x and name = $x';
    expectDiags(src, [["param.conflict", "$x#1"]]);
    const d = check(src).diagnostics[0]!;
    expect(d.message).toContain("text");
    expect(d.message).toContain("a number");
    expectDiags("employees > $x and employees in $x", [["param.conflict", "$x#1"]]);
    expectDiags("sector = $s and region = $s", [["param.conflict", "$s#1"]]);
  });

  it("param.untyped: when nothing tells its type", () => {
    expectDiags("$a = $b", [
      ["param.untyped", "$a"],
      ["param.untyped", "$b"],
    ]);
    expectDiags("$p is set", [["param.untyped", "$p"]]);
    // A list parameter as the subject of `has`: typed with the value, or untyped with it.
    expectDiags("$ts has any $us", [
      ["param.untyped", "$ts"],
      ["param.untyped", "$us"],
    ]);
    expectDiags("$ts has $x", [
      ["param.untyped", "$ts"],
      ["param.untyped", "$x"],
    ]);
    expect(briefs('$ts has $x and $x = "a"')).toEqual([]);
  });

  it("no param.untyped next to something already reported", () => {
    expect(briefs("sectr = $s").map((b) => b.split("@")[0])).toEqual(["field.unknown"]);
  });
});

describe("refs", () => {
  const refs = new Map<string, RefType>([
    ["decideursSante", { kind: "segment" }],
    ["lead", { kind: "score" }],
    ["stage", { kind: "lifecycle", stages: ["awareness", "evaluation", "purchase", "retention"] }],
    ["value", { kind: "tiers", names: ["high", "medium", "low"] }],
  ]);
  const env: CheckEnv = { refs };

  it("accepts each kind used as it should be", () => {
    expect(
      briefs(
        '@decideursSante and not @decideursSante and @lead >= 50 and @lead between 10 and 20 and @stage >= "evaluation" and @stage in ["purchase", "retention"] and @value = "high" and @value not in ["low"] and @lead > $min',
        undefined,
        env,
      ),
    ).toEqual([]);
  });

  it("ref.outside-rules: any @name without rules, hinting compileRules", () => {
    const src = "@lead >= 50";
    expectDiags(src, [["ref.outside-rules", "@lead"]]);
    expect(check(src).diagnostics[0]!.hint).toContain("compileRules");
  });

  it("ref.unknown: did you mean, or the list", () => {
    expectDiags("@decideurSante", [["ref.unknown", "@decideurSante"]], env);
    expect(check("@decideurSante", undefined, env).diagnostics[0]!.hint).toContain("@decideursSante");
    expect(check("@zzzzzz", undefined, env).diagnostics[0]!.hint).toContain("@lead");
  });

  it("ref.unknown-value: lifecycle stage and tier names", () => {
    expectDiags('@stage > "evalution"', [["ref.unknown-value", '"evalution"']], env);
    expect(check('@stage > "evalution"', undefined, env).diagnostics[0]!.hint).toBe(
      'did you mean "evaluation"?; the stages of `@stage`, in order: "awareness", "evaluation", "purchase", "retention"',
    );
    expectDiags('@value in ["high", "top"]', [["ref.unknown-value", '"top"']], env);
  });

  it("segments are booleans, scores numbers, tiers compare by equality", () => {
    expectDiags("@decideursSante = true", [["type.operator", "@decideursSante = true"]], env);
    expectDiags("@lead", [["type.not-boolean", "@lead"]], env);
    expectDiags("@stage", [["type.not-boolean", "@stage"]], env);
    expectDiags('@lead = "x"', [["type.mismatch", '"x"', false]], env);
    expectDiags('@value > "low"', [["type.operator", '@value > "low"']], env);
  });

  it("infers params next to refs", () => {
    expect(Object.fromEntries(check("@stage >= $s and @value = $t", undefined, env).params)).toEqual({
      s: { kind: "string", list: false, enumValues: ["awareness", "evaluation", "purchase", "retention"] },
      t: { kind: "string", list: false, enumValues: ["high", "medium", "low"] },
    });
  });
});
