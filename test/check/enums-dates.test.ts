import { z } from "zod";
import { describe, expect, it } from "vitest";
import { type Expected, briefs, check, expected } from "./support/helpers.js";
import { parse } from "./support/helpers.js";
import type { ExprNode } from "../../src/ast/nodes.js";
import { checkExpression } from "../../src/check/check.js";
import { readSchema } from "../../src/schema/read.js";
import { Account, brief } from "./support/helpers.js";

function expectDiags(source: string, list: readonly Expected[]): void {
  expect(briefs(source)).toEqual(expected(source, list));
}

describe("enum values", () => {
  it("enum.unknown-value with did-you-mean, for =, !=, in, not in, has", () => {
    for (const src of ['sector = "sante"', 'sector != "Santé"', 'sector in ["finance", "sante"]', 'sector not in ["sante"]']) {
      expectDiags(src, [["enum.unknown-value", '"sante"'.replace("sante", src.includes("Santé") ? "Santé" : "sante")]]);
      expect(check(src).diagnostics[0]!.hint).toBe('did you mean "santé"?');
    }
    expectDiags('tags has "vipp"', [["enum.unknown-value", '"vipp"']]);
    expectDiags('tags has all ["vip", "nwe"]', [["enum.unknown-value", '"nwe"']]);
  });

  it("lists the values when nothing is close", () => {
    const d = check('sector = "retail"').diagnostics[0]!;
    expect(d.code).toBe("enum.unknown-value");
    expect(d.hint).toBe('the values are "santé", "finance", "industrie"');
  });

  it("compares after NFC normalisation", () => {
    expect(briefs('sector = "sante\u0301"')).toEqual([]);
  });

  it("ordered enums compare with < <= > >=", () => {
    expect(briefs('grade >= "C" and grade < "A"')).toEqual([]);
    expectDiags('grade >= "Z"', [["enum.unknown-value", '"Z"']]);
  });

  it("enum.not-ordered: ordering an unordered enum, with the .meta hint; the value is still checked", () => {
    const src = 'sector > "finance"';
    expectDiags(src, [["enum.not-ordered", src]]);
    expect(check(src).diagnostics[0]!.hint).toContain(".meta({ ordered: true })");
    expectDiags('region <= "sudd"', [
      ["enum.not-ordered", 'region <= "sudd"'],
      ["enum.unknown-value", '"sudd"'],
    ]);
  });

  it("enum fields compare with text fields and other enums by equality", () => {
    expect(briefs("sector = name and sector = region and sector != name")).toEqual([]);
  });
});

describe("enums whose order zod lost (INSEE headcount bands)", () => {
  const INSEE = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"];
  const Lost = z.object({ tranche: z.enum(INSEE), autre: z.enum(INSEE).meta({ ordered: INSEE }), code: z.string() });
  const Declared = z.object({ tranche: z.enum(INSEE).meta({ ordered: true }), bands: z.array(z.enum(INSEE).meta({ ordered: true })) });
  const Given = z.object({ tranche: z.enum(INSEE).meta({ ordered: INSEE }), autre: z.enum(INSEE).meta({ ordered: INSEE }) });
  const diags = (source: string, schema: unknown) => expect(briefs(source, schema));

  it("enum.order-lost: an ordering on it is refused, naming the field and the fix; the value is still checked", () => {
    for (const op of ["<", "<=", ">", ">="]) {
      const src = `tranche ${op} "21"`;
      diags(src, Lost).toEqual(expected(src, [["enum.order-lost", src]]));
    }
    const d = check('tranche >= "21"', Lost).diagnostics[0]!;
    expect(d.message).toContain("`tranche`");
    expect(d.hint).toContain(".meta({ ordered: [");
    diags('"21" <= tranche', Lost).toEqual(expected('"21" <= tranche', [["enum.order-lost", '"21" <= tranche']]));
    diags('tranche >= "99"', Lost).toEqual(
      expected('tranche >= "99"', [
        ["enum.order-lost", 'tranche >= "99"'],
        ["enum.unknown-value", '"99"'],
      ]),
    );
    diags("tranche >= $t", Lost).toEqual(expected("tranche >= $t", [["enum.order-lost", "tranche >= $t"]]));
    // the other side's order lost: named too
    const both = check("autre >= tranche", Lost).diagnostics;
    expect(both.map(brief)).toEqual(expected("autre >= tranche", [["enum.order-lost", "autre >= tranche"]]));
    expect(both[0]!.message).toContain("`tranche`");
  });

  it("equality and in still work on it", () => {
    diags('tranche = "21" and tranche in ["00", "11"] and tranche != "NN" and tranche = code', Lost).toEqual([]);
  });

  it("enum.order-ignored: ordered: true alone warns (once per field) and the ordering stays refused", () => {
    const src = 'tranche >= "21" or tranche = "NN"';
    diags(src, Declared).toEqual(
      expected(src, [
        ["!enum.order-ignored", "tranche"],
        ["enum.order-lost", 'tranche >= "21"'],
      ]),
    );
    diags('tranche = "21"', Declared).toEqual(expected('tranche = "21"', [["!enum.order-ignored", "tranche"]]));
    diags('bands has "21"', Declared).toEqual(expected('bands has "21"', [["!enum.order-ignored", "bands"]]));
  });

  it("with .meta({ ordered: [...] }), orderings are accepted, nothing to warn", () => {
    diags('tranche >= "21" and tranche < "53" and tranche <= autre', Given).toEqual([]);
  });
});

describe("dates", () => {
  it("accepts dates, instants and ages", () => {
    expect(
      briefs(
        "lastVisit < 6 months and lastVisit > 1 year and lastVisit > 6 months ago and renewalDate < 60 days from now and lastVisit >= 2024-01-15 and lastVisit before 2024-01-15T09:30:00Z and createdOn after 2020-01-01 and lastVisit between 3 months and 6 months and lastVisit not between 2024-01-01 and 2024-06-30 and renewalDate within next 60 days and lastVisit within last 30 days",
      ),
    ).toEqual([]);
  });

  it("type.duration-equality: = and != against a duration, at the duration, with a between hint", () => {
    const src = "lastPurchase = 6 months";
    expectDiags(src, [["type.duration-equality", "6 months"]]);
    expect(check(src).diagnostics[0]!.hint).toContain("lastPurchase between 5 months and 6 months");
    expectDiags("lastVisit != 1 year", [["type.duration-equality", "1 year"]]);
  });

  it("type.bare-duration: before/after with a bare duration, hinting `ago` (ASTs from fromAST)", () => {
    for (const src of ["lastPurchase after 6 months", "lastVisit before 30 days"]) {
      // The parser refuses `after 6 months`; fromAST can still hand the checker such a tree.
      // `>` padded to the alias's length keeps every span where the alias would put it.
      const alias = src.split(" ")[1] as "before" | "after";
      const written = parse(src.replace(alias, (alias === "after" ? ">" : "<").padEnd(alias.length)));
      if (written.kind !== "compare") throw new Error("unexpected");
      const body: ExprNode = { ...written, alias };
      const r = checkExpression(body, readSchema(Account));
      const duration = src.replace(/^\w+ \w+ /, "");
      expect(r.diagnostics.map(brief)).toEqual(expected(src, [["type.bare-duration", duration]]));
      expect(r.diagnostics[0]!.hint).toContain(`${duration} ago`);
    }
  });

  it("a date compared with a number or a quoted date", () => {
    expectDiags("lastVisit > 3", [["type.mismatch", "3"]]);
    expectDiags('lastVisit < "2024-01-01"', [["type.mismatch", '"2024-01-01"']]);
  });

  it("between: both bounds dates or both durations", () => {
    expectDiags("lastVisit between 2024-01-01 and 6 months", [["type.mismatch", "6 months"]]);
    expectDiags("lastVisit between 3 months and 2024-01-01", [["type.mismatch", "2024-01-01"]]);
    expectDiags("lastVisit between 3 and 6", [["type.mismatch", "3"], ["type.mismatch", "6"]]);
  });

  it("durations and instants do not fit numbers", () => {
    expectDiags("employees < 6 months", [["type.mismatch", "6 months"]]);
    expectDiags("employees > 6 months ago", [["type.mismatch", "6 months ago", false]]);
  });
});
