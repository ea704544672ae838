/**
 * The two views agree: hover and completion read the checker's facts when the text was checked,
 * and the token scan (with the schema's resolvers) when it was not; at every offset of valid
 * texts, both give the same answers.
 */
import { describe, expect, it } from "vitest";
import { RULES, expr, rules } from "./support.js";

const EXPRESSIONS = [
  'sector = "santé" and employees >= 50 and hq.city = "Lyon"',
  'any contacts where (role = "CEO" and email is not set) or revenue > 1M',
  'sum(purchases.amount where date < 12 months) > 1000 and tags has "vip"',
  'grade >= "B" and not unsubscribed and lastPurchase within last 30 days',
  "count(contacts.events where type = \"webinar\" and at > 2026-01-01) >= 2 and score > 3",
];

function answers(ls: typeof expr, text: string, checked: boolean) {
  ls.diagnostics(checked ? text : `${text} #`); // keep this text's check, or another's
  const out: unknown[] = [];
  for (let i = 0; i <= text.length; i++) out.push([ls.hover(text, i), ls.complete(text, i)]);
  return out;
}

describe("facts and scan agree", () => {
  it.each(EXPRESSIONS)("expression: %s", (text) => {
    expect(expr.diagnostics(text)).toEqual([]);
    expect(answers(expr, text, true)).toEqual(answers(expr, text, false));
  });

  it("the rules file with every kind of definition", () => {
    expect(rules.diagnostics(RULES)).toEqual([]);
    expect(answers(rules, RULES, true)).toEqual(answers(rules, RULES, false));
  });
});
