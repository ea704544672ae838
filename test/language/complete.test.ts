/**
 * Completion in context (issue 15): fields with types and descriptions, nested paths, `where`
 * scopes, operators by type, values with folding and in declared order, units, rules-file
 * headers and line shapes; plain-text insertions; broken text.
 */
import { describe, expect, it } from "vitest";
import { at, applied, expr, labels, rules } from "./support.js";

describe("complete: expressions", () => {
  it("at the start: fields with type and description, quantifiers, aggregates, not, params", () => {
    const [text, offset] = at("|");
    const r = expr.complete(text, offset);
    const sector = r.items.find((i) => i.label === "sector")!;
    expect(sector).toMatchObject({ kind: "field", documentation: "The company's main sector" });
    expect(sector.detail).toContain('"santé"');
    expect(r.items.find((i) => i.label === "revenue")!.detail).toContain("may be missing");
    const names = r.items.map((i) => i.label);
    expect(names).toEqual(expect.arrayContaining(["any", "all", "none", "count(…)", "sum(…)", "not", "$minEmployees"]));
    expect(names).not.toContain("@sante"); // no references outside rules files
  });

  it("a prefix filters, folding case and accents, and sets the replaced range", () => {
    const [text, offset] = at("emp|");
    expect(expr.complete(text, offset)).toMatchObject({ from: 0, to: 3, items: [{ label: "employees" }] });
    expect(labels(expr, "EMP|")).toEqual(["employees"]);
  });

  it("a field named like a keyword is offered as a field", () => {
    expect(labels(expr, "sco|")).toContain("score");
  });

  it("nested paths after `hq.`", () => {
    expect(labels(expr, "hq.|")).toEqual(["city", "country"]);
    expect(applied(expr, "hq.ci| = ", "city")).toBe("hq.city = ");
  });

  it("after a field: only the operators of its type", () => {
    expect(labels(expr, "sector |")).toEqual(["=", "!=", "in", "not in", "is set", "is not set"]);
    expect(labels(expr, "grade |")).toEqual(expect.arrayContaining(["<", ">="]));
    expect(labels(expr, "employees |")).toEqual(expect.arrayContaining(["between", "<"]));
    expect(labels(expr, "employees |")).not.toContain("contains");
    expect(labels(expr, "id |")).toEqual(expect.arrayContaining(["contains", "starts with", "~=", "is empty"]));
    expect(labels(expr, "lastPurchase |")).toEqual(expect.arrayContaining(["within", "before", "after"]));
    expect(labels(expr, "tech |")).toEqual(["has", "is empty", "is not empty", "is set", "is not set"]);
    expect(labels(expr, "tech h|")).toEqual(["has"]);
    expect(applied(expr, "sector |", "in")).toBe("sector in [");
  });

  it("after = and in [: enum values, quoted, matched with folding, in declared order", () => {
    expect(labels(expr, "sector = |").slice(0, 3)).toEqual(['"santé"', '"finance"', '"industrie"']);
    expect(labels(expr, "sector = sant|")).toEqual(['"santé"']);
    expect(applied(expr, "sector = sant|", '"santé"')).toBe('sector = "santé"');
    expect(applied(expr, 'sector = "sa|', '"santé"')).toBe('sector = "santé"');
    expect(labels(expr, "grade >= |").slice(0, 5)).toEqual(['"F"', '"D"', '"C"', '"B"', '"A"']);
    expect(labels(expr, 'sector in ["santé", |')).toEqual(['"finance"', '"industrie"']);
    expect(labels(expr, "tags has |")).toEqual(expect.arrayContaining(["any", '"vip"', '"partner"']));
    expect(labels(expr, "unsubscribed = |")).toEqual(expect.arrayContaining(["true", "false"]));
  });

  it("after a number where a duration fits: the units; after within: last/next", () => {
    expect(labels(expr, "lastPurchase < 6 |")).toEqual(["minutes", "hours", "days", "weeks", "months", "years"]);
    expect(labels(expr, "lastPurchase < 1 |")).toContain("month");
    expect(labels(expr, "employees < 6 |")).toEqual(["and", "or"]);
    expect(labels(expr, "lastPurchase within |")).toEqual(["last", "next"]);
    expect(labels(expr, "lastPurchase within last 30 |")).toContain("days");
    expect(applied(expr, "lastPurchase < 6mo|", "months")).toBe("lastPurchase < 6 months");
    expect(labels(expr, "lastPurchase < 6 months |")).toEqual(expect.arrayContaining(["ago", "from now", "and", "or"]));
  });

  it("inside `any contacts where (`: the element's fields first, then the outer ones", () => {
    const names = labels(expr, "any contacts where (|");
    expect(names.slice(0, 3)).toEqual(["role", "email", "events"]);
    expect(names).toContain("sector");
    expect(labels(expr, 'any contacts where (role = "x" and em|')).toEqual(["email", "employees"]);
    expect(labels(expr, "count(purchases where am|")).toEqual(["amount"]);
    expect(labels(expr, "any contacts where (role = \"x\") and am|")).toEqual([]);
    expect(labels(expr, "any |")).toEqual(["hq", "contacts", "purchases"]);
    expect(labels(expr, "count(|")).toEqual(["tech", "tags", "hq", "contacts", "purchases"]);
  });

  it("`$` offers parameters, declared and used", () => {
    expect(labels(expr, "employees > $|")).toEqual(["$minEmployees"]);
    expect(labels(expr, "revenue > $floor and employees > $|")).toEqual(["$minEmployees", "$floor"]);
  });

  it("insertText is plain text (no snippet syntax)", () => {
    for (const marked of ["|", "sector |", "sector = |", "lastPurchase < 6 |", "hq.|"]) {
      const [text, offset] = at(marked);
      for (const item of expr.complete(text, offset).items) expect(item.insertText ?? item.label).not.toMatch(/\$\{|\$\d/);
    }
  });

  it("answers inside broken text", () => {
    expect(labels(expr, "sector = = (emp|")).toEqual(["employees"]);
    expect(labels(expr, ")) and sector |")).toContain("in");
    expect(labels(expr, "# a comment |")).toEqual([]);
  });
});

describe("complete: rules files", () => {
  it("definition headers at the start of a line, channel and split included", () => {
    expect(labels(rules, "|")).toEqual([
      "segment NAME:", "score NAME:", "lifecycle NAME:", "tiers NAME by VALUE:", "tiers NAME by VALUE quantiles:", "rfm NAME:", "channel NAME:", "split NAME by KEY:",
    ]);
    expect(labels(rules, 'segment a:\n  sector = "santé"\n\nsp|')).toEqual(["split NAME by KEY:"]);
  });

  it("score line shapes", () => {
    expect(labels(rules, "score lead:\n  |")).toEqual(["+N if …", "-N if …", "+N per … max …", "+N per … where (…) decaying H% every D by F", "clamp A to B"]);
    expect(labels(rules, "score lead:\n  +20 |")).toEqual(["if", "per"]);
    expect(labels(rules, "score lead:\n  +5 per employees |")).toEqual(["max"]);
    expect(labels(rules, "score lead:\n  +5 per purchases |")).toEqual(["where"]);
    expect(labels(rules, "score lead:\n  +10 per purchases where (amount > 3) |")).toEqual(["decaying"]);
    expect(labels(rules, "score lead:\n  +10 per purchases where (amount > 3) decaying 50% |")).toEqual(["every"]);
    expect(labels(rules, "score lead:\n  +10 per purchases where (amount > 3) decaying 50% every 30 days |")).toContain("by");
    expect(labels(rules, "score lead:\n  +10 per purchases where (amount > 3) decaying 50% every 30 days by |")).toEqual(["date"]);
    expect(labels(rules, "score lead:\n  +10 if employees > 3\n  clamp 0 |")).toEqual(["to"]);
  });

  it("lifecycle, tiers, rfm and split line shapes; header words", () => {
    expect(labels(rules, "lifecycle stage:\n  awareness\n  |")).toEqual(["STAGE if …"]);
    expect(labels(rules, "lifecycle stage:\n  awareness\n  evaluation |")).toEqual(["if"]);
    expect(labels(rules, "tiers t by employees:\n  |")).toEqual(["NAME if >= N", "NAME otherwise"]);
    expect(labels(rules, "tiers t by employees quantiles:\n  |")).toEqual(["NAME N%", "NAME otherwise"]);
    expect(labels(rules, "tiers t by employees:\n  high if |")).toEqual([">=", ">", "<=", "<", "=", "between"]);
    expect(labels(rules, "tiers t by employees |")).toEqual(["quantiles", ":"]);
    expect(labels(rules, "tiers t |")).toEqual(["by"]);
    expect(labels(rules, "tiers t by sum(purchases.|")).toEqual(["amount", "date"]);
    expect(labels(rules, "tiers t by sum(purchases.amount where da|")).toEqual(["date"]);
    expect(labels(rules, "tiers t by sum(purchases.amount) |")).toEqual(["quantiles", ":"]);
    expect(labels(rules, "rfm r:\n  recency lastPurchase\n  |")).toEqual(["frequency", "monetary"]);
    expect(labels(rules, "split s by |")).toEqual(["sector", "grade", "employees", "id"]);
    expect(labels(rules, "split s by id:\n  |")).toEqual(["ARM N%"]);
  });

  it("@references (not the definition itself), and the values of a lifecycle reference", () => {
    const names = labels(rules, "segment big:\n  employees > 100\nsegment b:\n  @|");
    expect(names).toEqual(["@big"]);
    expect(labels(rules, "lifecycle st:\n  awareness\n  purchase if employees > 3\nsegment c:\n  @st >= |")).toEqual(['"awareness"', '"purchase"']);
    expect(labels(rules, "split sp by id:\n  control 10%\n  a 90%\nsegment c:\n  @sp != |")).toEqual(['"control"', '"a"']);
  });
});
