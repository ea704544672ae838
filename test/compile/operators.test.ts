/**
 * Every operator on present, null, missing, wrongly typed, NaN and invalid-date values:
 * `evaluate` gives true / false / null (unknown), and `test` is true exactly when it is true.
 */
import { describe, expect, it } from "vitest";
import { seg } from "./helpers.js";

const now = new Date("2026-11-22T12:00:00Z");
const ctx = { now };
const DAY = 86_400_000;
const ago = (days: number) => new Date(now.getTime() - days * DAY);

type Row = [record: Record<string, unknown>, expected: true | false | null];
const MISSING = {};

const cases: Record<string, Row[]> = {
  // numbers
  "employees > 100": [
    [{ employees: 150 }, true],
    [{ employees: 100 }, false],
    [{ employees: null }, null],
    [MISSING, null],
    [{ employees: "150" }, null],
    [{ employees: NaN }, null],
    [{ employees: Infinity }, true],
  ],
  "employees >= 100": [[{ employees: 100 }, true], [{ employees: 99.5 }, false], [{ employees: NaN }, null]],
  "employees < 100": [[{ employees: 99 }, true], [{ employees: 100 }, false], [{ employees: true }, null]],
  "employees <= 100": [[{ employees: 100 }, true], [{ employees: 101 }, false], [{ employees: null }, null]],
  "employees = 100": [[{ employees: 100 }, true], [{ employees: 101 }, false], [{ employees: NaN }, null], [MISSING, null]],
  "employees != 100": [[{ employees: 101 }, true], [{ employees: 100 }, false], [{ employees: NaN }, null], [MISSING, null]],
  "100 < employees": [[{ employees: 101 }, true], [{ employees: 100 }, false], [MISSING, null]],
  "employees between 10 and 20": [
    [{ employees: 10 }, true],
    [{ employees: 20 }, true],
    [{ employees: 21 }, false],
    [{ employees: 9 }, false],
    [{ employees: null }, null],
    [{ employees: "15" }, null],
  ],
  "employees not between 10 and 20": [[{ employees: 15 }, false], [{ employees: 25 }, true], [MISSING, null]],
  "employees in [1, 2, 3]": [[{ employees: 2 }, true], [{ employees: 4 }, false], [{ employees: NaN }, null], [{ employees: "2" }, null]],
  "employees not in [1, 2, 3]": [[{ employees: 2 }, false], [{ employees: 4 }, true], [MISSING, null]],
  // field to field
  "revenue > budget": [
    [{ revenue: 10, budget: 5 }, true],
    [{ revenue: 5, budget: 5 }, false],
    [{ revenue: 5 }, null],
    [{ budget: 5 }, null],
    [{ revenue: NaN, budget: 1 }, null],
  ],
  "revenue = budget": [[{ revenue: 5, budget: 5 }, true], [{ revenue: 4, budget: 5 }, false], [{ revenue: 4 }, null]],
  // enums and text
  'sector = "santé"': [
    [{ sector: "santé" }, true],
    [{ sector: "finance" }, false],
    [{ sector: null }, null],
    [MISSING, null],
    [{ sector: 42 }, null],
    [{ sector: "autre" }, null], // not a value of the enum: invalid, so unknown
    [{ sector: "sante\u0301" }, true], // decomposed é
  ],
  'sector != "santé"': [[{ sector: "finance" }, true], [{ sector: "santé" }, false], [{ sector: null }, null], [{ sector: "sante\u0301" }, false]],
  'sector in ["santé", "finance"]': [[{ sector: "finance" }, true], [{ sector: "industrie" }, false], [{ sector: null }, null], [{ sector: "autre" }, null]],
  'sector not in ["santé", "finance"]': [[{ sector: "finance" }, false], [{ sector: "industrie" }, true], [MISSING, null]],
  'city = "Paris"': [[{ city: "Paris" }, true], [{ city: "paris" }, false], [{ city: null }, null], [{ city: ["Paris"] }, null]],
  'city contains "ari"': [[{ city: "Paris" }, true], [{ city: "PARIS" }, true], [{ city: "Lyon" }, false], [{ city: null }, null], [{ city: 3 }, null]],
  'city not contains "ari"': [[{ city: "Paris" }, false], [{ city: "Lyon" }, true], [{ city: null }, null]],
  'city starts with "pa"': [[{ city: "Paris" }, true], [{ city: "Lyon" }, false], [MISSING, null]],
  'city not starts with "pa"': [[{ city: "Paris" }, false], [{ city: "Lyon" }, true], [MISSING, null]],
  'city ends with "IS"': [[{ city: "Paris" }, true], [{ city: "Lyon" }, false], [{ city: null }, null]],
  'city not ends with "IS"': [[{ city: "Paris" }, false], [{ city: "Lyon" }, true]],
  'city ~= "orleans"': [[{ city: "ORLÉANS" }, true], [{ city: "Orléans-la-Source" }, false], [{ city: null }, null]],
  'city not ~= "orleans"': [[{ city: "ORLÉANS" }, false], [{ city: "Tours" }, true], [{ city: null }, null]],
  // ordered enum
  'grade >= "C"': [[{ grade: "B" }, true], [{ grade: "C" }, true], [{ grade: "D" }, false], [{ grade: "Z" }, null], [MISSING, null]],
  'grade < "C"': [[{ grade: "F" }, true], [{ grade: "A" }, false], [{ grade: null }, null]],
  // booleans
  unsubscribed: [[{ unsubscribed: true }, true], [{ unsubscribed: false }, false], [{ unsubscribed: null }, null], [{ unsubscribed: "true" }, null], [{ unsubscribed: 1 }, null]],
  "not unsubscribed": [[{ unsubscribed: true }, false], [{ unsubscribed: false }, true], [MISSING, null]],
  "unsubscribed = false": [[{ unsubscribed: false }, true], [{ unsubscribed: true }, false], [MISSING, null]],
  "unsubscribed != emailConsent": [[{ unsubscribed: false, emailConsent: true }, true], [{ unsubscribed: true, emailConsent: true }, false], [{ unsubscribed: true }, null]],
  // is set / is empty
  "employees is set": [[{ employees: 0 }, true], [{ employees: null }, false], [MISSING, false], [{ employees: NaN }, false], [{ employees: "1" }, false]],
  "employees is not set": [[{ employees: 0 }, false], [{ employees: null }, true], [MISSING, true]],
  "sector is set": [[{ sector: "santé" }, true], [{ sector: "autre" }, false], [{ sector: "" }, false]],
  "lastPurchase is set": [[{ lastPurchase: ago(1) }, true], [{ lastPurchase: new Date("nope") }, false], [{ lastPurchase: "2024-02-30" }, false], [{ lastPurchase: "2024-02-29" }, true], [{ lastPurchase: 0 }, true]],
  "tech is set": [[{ tech: [] }, true], [{ tech: null }, false], [{ tech: "X" }, false]],
  "hq is set": [[{ hq: {} }, true], [{ hq: null }, false], [{ hq: [] }, false], [MISSING, false]],
  "tech is empty": [[{ tech: [] }, true], [{ tech: ["X"] }, false], [{ tech: [null] }, true], [{ tech: null }, null], [MISSING, null], [{ tech: "X" }, null]],
  "tech is not empty": [[{ tech: [] }, false], [{ tech: ["X"] }, true], [{ tech: null }, null]],
  "name is empty": [[{ name: "" }, true], [{ name: "a" }, false], [MISSING, null], [{ name: 0 }, null]],
  "purchases is empty": [[{ purchases: [] }, true], [MISSING, true], [{ purchases: null }, true], [{ purchases: [{ amount: 1, date: ago(1) }] }, false], [{ purchases: [null] }, true]],
  // arrays of scalars
  'tech has "X"': [[{ tech: ["X", "Y"] }, true], [{ tech: ["Y"] }, false], [{ tech: [] }, false], [{ tech: null }, null], [MISSING, null], [{ tech: [null, "X"] }, true], [{ tech: "X" }, null]],
  'tech has any ["X", "Z"]': [[{ tech: ["Z"] }, true], [{ tech: ["Y"] }, false], [{ tech: null }, null]],
  'tech has all ["X", "Z"]': [[{ tech: ["Z", "X"] }, true], [{ tech: ["X"] }, false], [{ tech: null }, null], [{ tech: [] }, false]],
  'tech has none ["X", "Z"]': [[{ tech: ["Y"] }, true], [{ tech: ["X"] }, false], [{ tech: [] }, true], [{ tech: null }, null]],
  "scores has 3": [[{ scores: [1, null, 3] }, true], [{ scores: [1] }, false], [{ scores: ["3"] }, false], [MISSING, null]],
  'tags has "vip"': [[{ tags: ["vip"] }, true], [{ tags: ["new"] }, false], [{ tags: undefined }, null]],
  "tech has name": [[{ tech: ["a"], name: "a" }, true], [{ tech: ["a"], name: "b" }, false], [{ tech: ["a"] }, null]],
  // dates: ages
  "lastPurchase < 30 days": [
    [{ lastPurchase: ago(10) }, true],
    [{ lastPurchase: ago(40) }, false],
    [{ lastPurchase: ago(30) }, false],
    [{ lastPurchase: null }, null],
    [MISSING, null],
    [{ lastPurchase: new Date(NaN) }, null],
    [{ lastPurchase: "not a date" }, null],
    [{ lastPurchase: true }, null],
    [{ lastPurchase: ago(10).toISOString() }, true],
    [{ lastPurchase: ago(10).getTime() }, true],
    [{ lastPurchase: NaN }, null],
  ],
  "lastPurchase <= 30 days": [[{ lastPurchase: ago(30) }, true], [{ lastPurchase: ago(31) }, false]],
  "lastPurchase > 30 days": [[{ lastPurchase: ago(40) }, true], [{ lastPurchase: ago(30) }, false], [{ lastPurchase: null }, null]],
  "lastPurchase >= 30 days": [[{ lastPurchase: ago(30) }, true], [{ lastPurchase: ago(29) }, false]],
  "lastPurchase between 10 days and 20 days": [[{ lastPurchase: ago(10) }, true], [{ lastPurchase: ago(20) }, true], [{ lastPurchase: ago(15) }, true], [{ lastPurchase: ago(21) }, false], [{ lastPurchase: ago(9) }, false], [{ lastPurchase: null }, null]],
  "lastPurchase not between 10 days and 20 days": [[{ lastPurchase: ago(15) }, false], [{ lastPurchase: ago(25) }, true], [MISSING, null]],
  // dates: instants
  "lastPurchase > 30 days ago": [[{ lastPurchase: ago(10) }, true], [{ lastPurchase: ago(30) }, false], [{ lastPurchase: null }, null]],
  "lastPurchase before 30 days ago": [[{ lastPurchase: ago(31) }, true], [{ lastPurchase: ago(30) }, false]],
  "renewalDate < 60 days from now": [[{ renewalDate: ago(-30) }, true], [{ renewalDate: ago(-61) }, false], [MISSING, null]],
  "lastPurchase within last 30 days": [[{ lastPurchase: ago(30) }, true], [{ lastPurchase: ago(0) }, true], [{ lastPurchase: ago(-1) }, false], [{ lastPurchase: ago(31) }, false], [{ lastPurchase: null }, null]],
  "renewalDate within next 60 days": [[{ renewalDate: ago(-60) }, true], [{ renewalDate: ago(0) }, true], [{ renewalDate: ago(1) }, false], [{ renewalDate: ago(-61) }, false], [MISSING, null]],
  "lastPurchase > renewalDate": [[{ lastPurchase: ago(1), renewalDate: ago(2) }, true], [{ lastPurchase: ago(2), renewalDate: ago(2) }, false], [{ lastPurchase: ago(1) }, null]],
  // date-only literals (UTC here; zones in dates.test.ts)
  "lastPurchase = 2026-11-01": [
    [{ lastPurchase: new Date("2026-11-01T00:00:00Z") }, true],
    [{ lastPurchase: new Date("2026-11-01T23:59:59.999Z") }, true],
    [{ lastPurchase: new Date("2026-11-02T00:00:00Z") }, false],
    [{ lastPurchase: new Date("2026-10-31T23:59:59.999Z") }, false],
    [{ lastPurchase: "2026-11-01" }, true],
    [{ lastPurchase: null }, null],
  ],
  "lastPurchase != 2026-11-01": [[{ lastPurchase: new Date("2026-11-01T12:00:00Z") }, false], [{ lastPurchase: new Date("2026-11-03T12:00:00Z") }, true], [MISSING, null]],
  "lastPurchase < 2026-11-01": [[{ lastPurchase: new Date("2026-10-31T23:59:59.999Z") }, true], [{ lastPurchase: new Date("2026-11-01T00:00:00Z") }, false]],
  "lastPurchase <= 2026-11-01": [[{ lastPurchase: new Date("2026-11-01T23:59:59.999Z") }, true], [{ lastPurchase: new Date("2026-11-02T00:00:00Z") }, false]],
  "lastPurchase > 2026-11-01": [[{ lastPurchase: new Date("2026-11-02T00:00:00Z") }, true], [{ lastPurchase: new Date("2026-11-01T23:59:59.999Z") }, false]],
  "lastPurchase after 2026-11-01": [[{ lastPurchase: new Date("2026-11-02T00:00:00Z") }, true], [{ lastPurchase: new Date("2026-11-01T12:00:00Z") }, false]],
  "lastPurchase >= 2026-11-01": [[{ lastPurchase: new Date("2026-11-01T00:00:00Z") }, true], [{ lastPurchase: new Date("2026-10-31T23:59:59.999Z") }, false]],
  "lastPurchase between 2026-11-01 and 2026-11-03": [
    [{ lastPurchase: new Date("2026-11-01T00:00:00Z") }, true],
    [{ lastPurchase: new Date("2026-11-03T23:59:59.999Z") }, true],
    [{ lastPurchase: new Date("2026-11-04T00:00:00Z") }, false],
    [{ lastPurchase: new Date("2026-10-31T23:59:59.999Z") }, false],
  ],
  "lastPurchase = 2026-11-01T10:00:00Z": [[{ lastPurchase: new Date("2026-11-01T10:00:00Z") }, true], [{ lastPurchase: new Date("2026-11-01T10:00:00.001Z") }, false]],
  "lastPurchase <= 2026-11-01T10:00:00Z": [[{ lastPurchase: new Date("2026-11-01T10:00:00Z") }, true], [{ lastPurchase: new Date("2026-11-01T10:00:00.001Z") }, false]],
  "lastPurchase > 2026-11-01T10:00:00Z": [[{ lastPurchase: new Date("2026-11-01T10:00:00.001Z") }, true], [{ lastPurchase: new Date("2026-11-01T10:00:00Z") }, false]],
  "signupDate >= 2026-11-01": [[{ signupDate: "2026-11-01" }, true], [{ signupDate: "2026-10-31" }, false], [{ signupDate: "2026-13-01" }, null]],
};

describe("operators", () => {
  for (const [source, rows] of Object.entries(cases)) {
    it(source, () => {
      const s = seg(source);
      for (const [record, expected] of rows) {
        const got = s.evaluate(record, ctx);
        expect({ record, got }).toEqual({ record, got: expected });
        expect(s.test(record, ctx)).toBe(expected === true);
        expect(s.explain(record, ctx).result).toBe(expected);
      }
    });
  }
});
