/**
 * Text: NFC for literals and data; folding (NFD, marks U+0300–U+036F dropped, lower case) for
 * contains / starts with / ends with / ~=, and nothing more.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { seg } from "./helpers.js";
import { fold, nfc } from "../../src/compile/index.js";

const ctx = { now: new Date("2026-11-22T00:00:00Z") };

describe("NFC", () => {
  it("decomposed data equals a precomposed literal, and the other way round", () => {
    const decomposed = "sante\u0301";
    expect(decomposed).not.toBe("santé");
    expect(seg('sector = "santé"').evaluate({ sector: decomposed }, ctx)).toBe(true);
    expect(seg('sector = "sante\u0301"').evaluate({ sector: "santé" }, ctx)).toBe(true);
    expect(seg('sector in ["santé"]').evaluate({ sector: decomposed }, ctx)).toBe(true);
    expect(seg('city = "Orléans"').evaluate({ city: "Orle\u0301ans" }, ctx)).toBe(true);
    expect(seg('city != "Orléans"').evaluate({ city: "Orle\u0301ans" }, ctx)).toBe(false);
    expect(seg('tech has "Café"').evaluate({ tech: ["Cafe\u0301"] }, ctx)).toBe(true);
    expect(seg('tech has "Café"').evaluate({ tech: ["Cafe"] }, ctx)).toBe(false);
    expect(seg('tags has "vip"').evaluate({ tags: ["vip"] }, ctx)).toBe(true);
  });

  it("canonical singletons normalise too (KELVIN SIGN is K under NFC)", () => {
    expect(seg('city = "K"').evaluate({ city: "\u212A" }, ctx)).toBe(true);
    expect(seg('tech has "K"').evaluate({ tech: ["\u212A"] }, ctx)).toBe(true);
  });

  it("all three singletons onto ASCII normalise, in every string operator", () => {
    // The literal tests skip normalisation for ASCII literals without K, ; or ` (text.ts, onlyItself).
    expect(seg('city in ["KYIV", "Lyon"]').evaluate({ city: "\u212AYIV" }, ctx)).toBe(true);
    expect(seg('city = "a;b"').evaluate({ city: "a\u037Eb" }, ctx)).toBe(true);
    expect(seg('city = "a`b"').evaluate({ city: "a\u1FEFb" }, ctx)).toBe(true);
    expect(seg('tech has "a;b"').evaluate({ tech: ["a\u037Eb"] }, ctx)).toBe(true);
    expect(seg('city not in ["KYIV"]').evaluate({ city: "\u212AYIV" }, ctx)).toBe(false);
    expect(seg('city in ["Paris", "Lyon"]').evaluate({ city: "Lyon" }, ctx)).toBe(true);
    expect(seg('city in ["Paris", "Lyon"]').evaluate({ city: "Nice" }, ctx)).toBe(false);
  });

  it("no other code point decomposes to ASCII alone (the premise of the ASCII shortcut)", () => {
    const found: number[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCodePoint(cp);
      const d = s.normalize("NFD");
      // eslint-disable-next-line no-control-regex
      if (d !== s && /^[\u0000-\u007f]*$/.test(d)) found.push(cp);
    }
    expect(found).toEqual([0x037e, 0x1fef, 0x212a]);
  });

  it("field-to-field text comparisons normalise both sides", () => {
    expect(seg("city = name").evaluate({ city: "Orle\u0301ans", name: "Orléans" }, ctx)).toBe(true);
  });

  it("nfc fast path leaves strings below U+0300 alone", () => {
    expect(nfc("abc é")).toBe("abc é");
    expect(nfc("e\u0301")).toBe("é");
  });
});

describe("folding", () => {
  const cases: [string, string, boolean][] = [
    ['city ~= "orleans"', "ORLÉANS", true],
    ['city ~= "ORLEANS"', "orléans", true],
    ['city ~= "orleans"', "Orle\u0301ans", true],
    ['city contains "sante"', "Santé publique", true],
    ['city contains "SANTÉ"', "la sante", true],
    ['city starts with "ile"', "Île-de-France", true],
    ['city ends with "FRANCE"', "Île-de-France", true],
    ['city contains "ß"', "STRASSE", false],
    ['city ~= "strasse"', "Straße", false],
    ['city ~= "straße"', "STRAßE", true],
    ['city ~= "soren"', "Søren", false],
    ['city ~= "oeuvre"', "Œuvre", false],
    ['city contains ""', "anything", true],
    ['city ~= "и"', "й", true], // U+0306 is in U+0300–U+036F: dropped
  ];
  for (const [source, value, expected] of cases) {
    it(`${source} on ${JSON.stringify(value)}`, () => {
      expect(seg(source).evaluate({ city: value }, ctx)).toBe(expected);
    });
  }

  it("fold drops only U+0300–U+036F and lower-cases", () => {
    expect(fold("ÉCOLE")).toBe("ecole");
    expect(fold("Straße")).toBe("straße");
    expect(fold("\u05D0\u05B0")).toBe("\u05D0\u05B0"); // a Hebrew point is kept
    expect(fold("İ")).toBe("i");
  });
});

describe("NFC shortcuts agree with String.prototype.normalize (property)", () => {
  const pieces = ["e", "E", "é", "É", "\u0301", "\u0300", "K", "\u212A", "Å", "\u212B", "A", "\u030A", "s", "ß", "a", "\u0327", "c", "ç", "Ω", "\u2126", "ǅ", "\u1E0B\u0323"];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 4 }).map((xs) => xs.join(""));
  const quote = (s: string) => JSON.stringify(s);
  it("=, in and has", () => {
    fc.assert(
      fc.property(text, text, text, (lit, other, v) => {
        const want = v.normalize("NFC") === lit.normalize("NFC");
        const wantIn = want || v.normalize("NFC") === other.normalize("NFC");
        return (
          seg(`city = ${quote(lit)}`).evaluate({ city: v }, ctx) === want &&
          seg(`city != ${quote(lit)}`).evaluate({ city: v }, ctx) === !want &&
          seg(`city in [${quote(lit)}, ${quote(other)}]`).evaluate({ city: v }, ctx) === wantIn &&
          seg(`tech has ${quote(lit)}`).evaluate({ tech: ["zz", v] }, ctx) === want
        );
      }),
      { numRuns: 150 },
    );
  });
});
