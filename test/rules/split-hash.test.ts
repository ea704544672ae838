/**
 * The pure pieces of splits (LANGUAGE.md §7): our MD5 against RFC 1321 and node:crypto, the exact
 * bounds, the key's text, and the distribution of arms (chi-square tests with a fixed seed and a
 * false-failure probability of 1e-6 each).
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { md5First32, md5Hex } from "../../src/text/md5.js";
import {
  SPLIT_RANGE,
  armIndex,
  shareSum,
  sharesAddUpTo100,
  splitArm,
  splitBounds,
  splitHash,
  splitKeyText,
} from "../../src/rules/split.js";

const SEED = 20261204;

/** node:crypto's MD5 of the UTF-8 bytes Buffer writes (a lone surrogate as EF BF BD). */
const nodeMd5 = (s: string) => createHash("md5").update(Buffer.from(s, "utf8")).digest("hex");

/** Any UTF-16 string, lone surrogates included. */
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 200 });
/** Any code points (pairs included), up to a few blocks long. */
const anyCodePoints = fc.string({ unit: "binary", maxLength: 150 });

describe("md5Hex", () => {
  it("gives the digests of RFC 1321, appendix A.5", () => {
    const suite: [string, string][] = [
      ["", "d41d8cd98f00b204e9800998ecf8427e"],
      ["a", "0cc175b9c0f1b6a831c399e269772661"],
      ["abc", "900150983cd24fb0d6963f7d28e17f72"],
      ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
      ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
      ["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"],
      ["12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"],
    ];
    for (const [text, hex] of suite) expect(md5Hex(text), text).toBe(hex);
  });

  it("hashes the UTF-8 bytes of non-ASCII text as node:crypto does", () => {
    const texts = [
      "é",
      "sante\u0301",
      "santé",
      "Ærøskøbing",
      "北京市",
      "😀",
      "a😀b𝄞c",
      "\u0000",
      "\uFFFD",
      "\u{10FFFF}",
      "ß".repeat(28),
      "€".repeat(19),
      "😀".repeat(14),
    ];
    for (const t of texts) expect(md5Hex(t), JSON.stringify(t)).toBe(nodeMd5(t));
  });

  it("hashes a lone surrogate as U+FFFD, as TextEncoder and Buffer encode it", () => {
    for (const t of ["\uD800", "a\uDC00b", "\uDBFF\uDBFF\uDC00", "x\uDFFF\uD800"]) {
      const replaced = new TextDecoder().decode(new TextEncoder().encode(t));
      expect(md5Hex(t), JSON.stringify(t)).toBe(md5Hex(replaced));
      expect(md5Hex(t)).toBe(nodeMd5(t));
    }
    expect(md5Hex("\uD800")).toBe(md5Hex("\uFFFD"));
  });

  it("is right at every length around the 56- and 64-byte edges of padding, and for long texts", () => {
    for (let n = 0; n <= 200; n++) {
      for (const unit of ["x", "é", "€", "😀"]) {
        const t = unit.repeat(n);
        expect(md5Hex(t), `${n} × ${unit}`).toBe(nodeMd5(t));
      }
    }
    // Past the kept buffer (4,096 bytes) the text gets a buffer of its own.
    for (const n of [1340, 1341, 1342, 5000, 200_000]) {
      const t = "é€😀a".repeat(n);
      expect(md5Hex(t), `${n}`).toBe(nodeMd5(t));
    }
  });

  it("equals node:crypto on random strings, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.oneof(anyUnits, anyCodePoints), (s) => {
        expect(md5Hex(s)).toBe(nodeMd5(s));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("md5First32 is the first 8 hex digits as an unsigned integer, also after a long text", () => {
    fc.assert(
      fc.property(fc.oneof(anyUnits, anyCodePoints), fc.boolean(), (s, long) => {
        if (long) md5Hex("long ".repeat(2000)); // leaves nothing behind
        const h = md5First32(s);
        expect(h).toBe(Number.parseInt(nodeMd5(s).slice(0, 8), 16));
        expect(h >= 0 && h < SPLIT_RANGE && Number.isInteger(h)).toBe(true);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe("split hash", () => {
  it("spring:c0 → 4009207742 (the check value of NOTES.md)", () => {
    expect(md5Hex("spring:c0").slice(0, 8)).toBe("eef7a7be");
    expect(md5First32("spring:c0")).toBe(4009207742);
    expect(splitHash("spring", "c0")).toBe(4009207742);
    // 10 / 45 / 45: 4009207742 ≥ B_2 = 2362232013, the third arm
    expect(armIndex("spring", "c0", splitBounds([10, 45, 45]))).toBe(2);
  });

  it("hashes the NFC text of a key, the UTF-8 bytes of seed, colon and key", () => {
    expect(splitHash("été", "santé")).toBe(Number.parseInt(nodeMd5("été:santé").slice(0, 8), 16));
    expect(splitArm("s", "sante\u0301", "text", [SPLIT_RANGE / 2, SPLIT_RANGE])).toBe(armIndex("s", "santé", [SPLIT_RANGE / 2, SPLIT_RANGE]));
  });
});

describe("splitBounds and the sum of shares", () => {
  /** ⌈c · 2^32 / 100⌉ for c = num / den, in BigInt. */
  const ceilBound = (num: bigint, den: bigint) => Number(((num << 32n) + 100n * den - 1n) / (100n * den));

  it("computes ⌈c_k · 2^32 / 100⌉ exactly from the shares as written", () => {
    expect(splitBounds([10, 45, 45])).toEqual([429496730, 2362232013, 4294967296]);
    expect(splitBounds(["10", "45", "45"])).toEqual([429496730, 2362232013, 4294967296]);
    expect(splitBounds(["33.333", "33.333", "33.334"])).toEqual([1431641449, 2863282898, 4294967296]);
    expect(splitBounds([33.333, 33.333, 33.334])).toEqual([1431641449, 2863282898, 4294967296]);
    expect(splitBounds([0.001, 99.999])).toEqual([42950, SPLIT_RANGE]);
    expect(splitBounds([100])).toEqual([SPLIT_RANGE]);
    expect(splitBounds([25, 25, 50])).toEqual([2 ** 30, 2 ** 31, SPLIT_RANGE]);
    // An arm of 0% takes nothing.
    expect(splitBounds([0, 50, 0, 50])).toEqual([0, 2 ** 31, 2 ** 31, SPLIT_RANGE]);
    // Exponents and leading dots, as String(n) or an author may write them.
    expect(splitBounds(["1e-7", ".5", "99.4999999"])).toEqual([ceilBound(1n, 10n ** 7n), ceilBound(5000001n, 10n ** 7n), SPLIT_RANGE]);
  });

  it("does not take the doubles' rounding of a sum (0.01 + 16.01 + 8.98 is 25.000000000000004 in doubles)", () => {
    expect(0.01 + 16.01 + 8.98).not.toBe(25);
    const bounds = splitBounds([0.01, 16.01, 8.98, 75]);
    expect(bounds[2]).toBe(2 ** 30); // floating point would give 2^30 + 1
    expect(Math.ceil(((0.01 + 16.01 + 8.98) * 2 ** 32) / 100)).toBe(2 ** 30 + 1);
  });

  it("gives non-decreasing bounds ending at 2^32, each the exact ceiling", () => {
    // Shares in thousandths of a percent that add up to 100.
    const shares = fc.array(fc.nat({ max: 100_000 }), { minLength: 0, maxLength: 8 }).map((cuts) => {
      const sorted = [...cuts, 0, 100_000].sort((a, b) => a - b);
      return sorted.slice(1).map((c, i) => c - sorted[i]!);
    });
    fc.assert(
      fc.property(shares, fc.boolean(), (thousandths, asText) => {
        const written = thousandths.map((t) => (asText ? (t / 1000).toFixed(3) : t / 1000));
        expect(sharesAddUpTo100(written)).toBe(true);
        const bounds = splitBounds(written);
        expect(bounds).toHaveLength(written.length);
        expect(bounds.at(-1)).toBe(SPLIT_RANGE);
        let c = 0n;
        thousandths.forEach((t, k) => {
          c += BigInt(t);
          expect(bounds[k]).toBe(ceilBound(c, 1000n));
          if (k > 0) expect(bounds[k]!).toBeGreaterThanOrEqual(bounds[k - 1]!);
        });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("tells exactly whether the shares add up to 100, and what they add up to", () => {
    expect(sharesAddUpTo100(["33.3", "33.3", "33.3"])).toBe(false);
    expect(shareSum(["33.3", "33.3", "33.3"])).toBe("99.9");
    expect(sharesAddUpTo100([33.3, 33.3, 33.4])).toBe(true);
    expect(sharesAddUpTo100([0.1, 0.2, 99.7])).toBe(true);
    expect(sharesAddUpTo100(["50.000", "50"])).toBe(true);
    expect(shareSum(["50.000", "50"])).toBe("100");
    expect(shareSum([60, 50])).toBe("110");
    expect(shareSum(["0.001"])).toBe("0.001");
    expect(shareSum([])).toBe("0");
    expect(sharesAddUpTo100([99.99999999, 0.00000001])).toBe(true);
    expect(sharesAddUpTo100([99.99999999, 0.00000002])).toBe(false);
  });

  it("refuses shares that do not add up to 100, and shares that are not non-negative decimals", () => {
    expect(() => splitBounds(["33.3", "33.3", "33.3"])).toThrow(RangeError);
    expect(() => splitBounds([])).toThrow(RangeError);
    expect(() => splitBounds([110, -10])).toThrow(RangeError);
    expect(() => splitBounds([Number.NaN, 100])).toThrow(RangeError);
    expect(() => shareSum(["ten"])).toThrow(RangeError);
    expect(() => shareSum(["."])).toThrow(RangeError);
    expect(() => shareSum(["1e999999"])).toThrow(RangeError);
  });
});

describe("splitKeyText", () => {
  it("writes a text key in NFC, and refuses other values for a text key", () => {
    expect(splitKeyText("sante\u0301", "text")).toBe("santé");
    expect(splitKeyText("", "text")).toBe("");
    expect(splitKeyText("a\uD800", "text")).toBe("a\uD800"); // hashed as U+FFFD
    for (const v of [null, undefined, 12, true, ["a"], { a: 1 }, new String("a")]) expect(splitKeyText(v, "text")).toBeNull();
  });

  it("writes an integer key as its exact decimal digits", () => {
    expect(splitKeyText(0, "integer")).toBe("0");
    expect(splitKeyText(-0, "integer")).toBe("0");
    expect(splitKeyText(-42, "integer")).toBe("-42");
    expect(splitKeyText(2 ** 53, "integer")).toBe("9007199254740992");
    expect(splitKeyText(2 ** 60, "integer")).toBe("1152921504606846976"); // String() writes …847000
    expect(splitKeyText(1e21, "integer")).toBe("1000000000000000000000"); // String() writes 1e+21
    expect(splitKeyText(-1e23, "integer")).toBe("-99999999999999991611392");
    expect(splitKeyText(Number.MAX_SAFE_INTEGER, "integer")).toBe("9007199254740991");
    expect(splitKeyText(Number.MAX_VALUE, "integer")).toBe(BigInt(Number.MAX_VALUE).toString());
  });

  it("gives null for an unknown integer key: a fraction, NaN, ±Infinity, any other type", () => {
    for (const v of [2.5, -0.1, Number.NaN, Infinity, -Infinity, "12", 12n, null, undefined, true, new Date(0)]) {
      expect(splitKeyText(v, "integer"), String(v)).toBeNull();
    }
    expect(splitArm("spring", null, "integer", [SPLIT_RANGE])).toBeNull();
  });

  it("agrees with BigInt on every integral double", () => {
    const integral = fc.oneof(
      fc.integer(),
      fc.maxSafeInteger(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(Math.trunc),
    );
    fc.assert(
      fc.property(integral, (n) => {
        const t = splitKeyText(n, "integer")!;
        expect(t).toBe(BigInt(n).toString());
        expect(t).toMatch(/^(0|-?[1-9]\d*)$/);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

/** The probability that a chi-square variable with an even number `df` of degrees of freedom exceeds `x`. */
function chiSquareTail(x: number, df: number): number {
  if (df % 2 !== 0) throw new Error("even df only");
  const half = x / 2;
  let term = 1;
  let sum = 1;
  for (let i = 1; i < df / 2; i++) {
    term *= half / i;
    sum += term;
  }
  return Math.exp(-half) * sum;
}

/** Pearson's statistic of observed counts against expected counts. */
function pearson(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((s, o, i) => s + (o - expected[i]!) ** 2 / expected[i]!, 0);
}

/** Random distinct keys: ids, e-mails, non-ASCII names, integers. */
function randomKeys(n: number, seed: number): string[] {
  const key = fc.oneof(
    fc.uuid(),
    fc.emailAddress(),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).map((s) => splitKeyText(s, "text")!),
    fc.maxSafeInteger().map((i) => splitKeyText(i, "integer")!),
  );
  const keys = new Set<string>();
  for (const k of fc.sample(key, { seed, numRuns: 2 * n })) {
    keys.add(k);
    if (keys.size === n) break;
  }
  return [...keys];
}

describe("distribution of arms (chi-square, p > 1e-6, fixed seed)", () => {
  const N = 100_000;
  const keys = randomKeys(N, SEED);
  const P_MIN = 1e-6;

  it("has 100,000 distinct keys to work with", () => {
    expect(keys.length).toBe(N);
  });

  it("fills each arm in proportion to its share (10 / 45 / 45, and five uneven arms)", () => {
    for (const [shares, df] of [
      [[10, 45, 45], 2],
      [["0.5", "9.5", "30", "27.333", "32.667"], 4],
    ] as const) {
      const bounds = splitBounds(shares);
      const counts = new Array<number>(shares.length).fill(0);
      for (const k of keys) counts[armIndex("spring", k, bounds)]!++;
      const expected = shares.map((s) => (N * Number(s)) / 100);
      const p = chiSquareTail(pearson(counts, expected), df);
      expect(p, `counts ${counts.join(" / ")} for shares ${shares.join(" / ")}`).toBeGreaterThan(P_MIN);
    }
  });

  it("spreads h uniformly over [0, 2^32) (15 equal bins, df 14)", () => {
    const bins = 15;
    const counts = new Array<number>(bins).fill(0);
    for (const k of keys) counts[Math.floor((splitHash("spring", k) * bins) / SPLIT_RANGE)]!++;
    const p = chiSquareTail(pearson(counts, new Array<number>(bins).fill(N / bins)), bins - 1);
    expect(p, counts.join(" ")).toBeGreaterThan(P_MIN);
  });

  it("gives a key the same arm whatever other records there are (a function of the key alone)", () => {
    const bounds = splitBounds([10, 45, 45]);
    const alone = keys.slice(0, 2000).map((k) => armIndex("spring", k, bounds));
    // More records, in another order, with long keys hashed in between.
    const more = [...randomKeys(3000, SEED + 1), ...keys.slice(0, 2000)].reverse();
    const seen = new Map<string, number>();
    for (const k of more) {
      md5Hex("x".repeat(5000));
      seen.set(k, armIndex("spring", k, bounds));
    }
    expect(keys.slice(0, 2000).map((k) => seen.get(k))).toEqual(alone);
  });

  it("makes splits with different seeds independent (3 × 3 contingency table, df 4)", () => {
    const a = splitBounds([20, 30, 50]);
    const b = splitBounds([10, 45, 45]);
    const table = [0, 1, 2].map(() => [0, 0, 0]);
    for (const k of keys) table[armIndex("spring", k, a)]![armIndex("summer", k, b)]!++;
    const rows = table.map((r) => r[0]! + r[1]! + r[2]!);
    const cols = [0, 1, 2].map((j) => table[0]![j]! + table[1]![j]! + table[2]![j]!);
    const observed = table.flat();
    const expected = rows.flatMap((r) => cols.map((c) => (r * c) / N));
    const p = chiSquareTail(pearson(observed, expected), 4);
    expect(p, JSON.stringify(table)).toBeGreaterThan(P_MIN);
  });
});
