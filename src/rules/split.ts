/**
 * The arithmetic of splits (LANGUAGE.md §7), pure and written once for the evaluator, SQL and the
 * checker: exact bounds from the shares as written, the key's text, and the arm of a key.
 *
 * A record's arm depends on its key alone: `h` is the first 32 bits of the MD5 of the UTF-8 bytes
 * of `<seed>:<key>`; arm k (0-based here) takes `B_k ≤ h < B_{k+1}` with
 * `B_k = ⌈c_k · 2^32 / 100⌉`, `c_k` the exact sum of the first k shares. SQL computes the same `h`
 * (see the `splitHash` and `splitKey` hooks of src/sql/dialect.ts) and compares it to the same bounds.
 * @internal
 */
import { md5First32 } from "../text/md5.js";
import { nfc } from "../text/unicode.js";

/** 2^32: the last bound, one past the largest `h`. */
export const SPLIT_RANGE = 0x100000000;

/** A share as written: a number (read through its shortest decimal form, `String(n)`) or decimal text. */
export type Share = number | string;

/** An exact non-negative decimal: `digits / 10^scale`. */
interface Decimal {
  readonly digits: bigint;
  readonly scale: number;
}

const DECIMAL = /^\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A share as an exact decimal. `33.333` is 33333 / 1000 (not the double nearest to it); a number
 * is read as the text JavaScript writes for it, which is the literal the author wrote.
 * Throws a RangeError for a negative, non-finite or malformed share.
 */
function decimalOf(share: Share): Decimal {
  const text = typeof share === "number" ? (Number.isFinite(share) ? String(share) : "") : share.trim();
  const m = DECIMAL.exec(text);
  const int = m?.[1] ?? "";
  const frac = m?.[2] ?? "";
  if (!m || int.length + frac.length === 0) throw new RangeError(`A split share must be a non-negative decimal number, not ${JSON.stringify(String(share))}`);
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  if (Math.abs(exp) > 400) throw new RangeError(`A split share must be a percentage, not ${JSON.stringify(String(share))}`);
  let digits = BigInt(int + frac);
  let scale = frac.length - exp;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/** The exact sums of the first 1, 2, … n shares, over one common denominator `10^scale`. */
function cumulative(shares: readonly Share[]): { sums: bigint[]; scale: number } {
  const ds = shares.map(decimalOf);
  const scale = ds.reduce((s, d) => Math.max(s, d.scale), 0);
  let acc = 0n;
  const sums = ds.map((d) => (acc += d.digits * 10n ** BigInt(scale - d.scale)));
  return { sums, scale };
}

/** `digits / 10^scale` as decimal text without trailing zeros (`"99.999"`, `"100"`). */
function decimalText(digits: bigint, scale: number): string {
  if (scale === 0) return digits.toString();
  const s = digits.toString().padStart(scale + 1, "0");
  const int = s.slice(0, s.length - scale);
  const frac = s.slice(s.length - scale).replace(/0+$/, "");
  return frac ? `${int}.${frac}` : int;
}

/**
 * The exact sum of the shares, as decimal text: what a diagnostic shows when it is not 100.
 * Throws a RangeError for a share that is not a non-negative decimal number.
 *
 * @example
 * ```ts
 * shareSum(["33.3", "33.3", "33.3"]) === "99.9"; // true
 * shareSum([0.1, 0.2, 99.7]) === "100";          // true (0.1 + 0.2 + 99.7 in doubles is not)
 * ```
 */
export function shareSum(shares: readonly Share[]): string {
  const { sums, scale } = cumulative(shares);
  return decimalText(sums.at(-1) ?? 0n, scale);
}

/**
 * True when the shares add up to exactly 100 (in exact decimal arithmetic), as a split requires.
 *
 * @example
 * ```ts
 * sharesAddUpTo100(["33.333", "33.333", "33.334"]); // true
 * sharesAddUpTo100(["33.3", "33.3", "33.3"]);       // false
 * ```
 */
export function sharesAddUpTo100(shares: readonly Share[]): boolean {
  const { sums, scale } = cumulative(shares);
  return (sums.at(-1) ?? 0n) === 100n * 10n ** BigInt(scale);
}

/**
 * The upper bounds `B_1 … B_n` of the arms, `B_k = ⌈c_k · 2^32 / 100⌉` computed exactly from the
 * shares as written (percentages, decimals allowed); the last one is 2^32. Arm k (0-based) takes
 * the hashes `h` with `bounds[k − 1] ≤ h < bounds[k]` (0 below the first arm). Every bound is at
 * most 2^32, so exact as a number. Throws a RangeError when a share is not a non-negative decimal
 * or the shares do not add up to 100 (the checker reports that first: {@link sharesAddUpTo100}).
 *
 * @example
 * ```ts
 * splitBounds([10, 45, 45]); // [429496730, 2362232013, 4294967296]
 * ```
 */
export function splitBounds(shares: readonly Share[]): number[] {
  const { sums, scale } = cumulative(shares);
  const den = 100n * 10n ** BigInt(scale);
  if (sums.length === 0 || sums.at(-1) !== den) {
    throw new RangeError(`The shares of a split must add up to 100, not ${shareSum(shares)}`);
  }
  return sums.map((c) => Number(((c << 32n) + den - 1n) / den));
}

/** Largest integer that `String(n)` writes exactly (and without an exponent). */
const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The text of a split key as it is hashed, or null when the key is unknown.
 *
 * - `"text"`: a string, in NFC. Any other value (a number in a text field…) is unknown, as the
 *   SQL layout stores it as NULL. A lone surrogate is kept here and hashed as U+FFFD (see
 *   src/text/md5.ts): that is the text a UTF-8 driver stores for it, so SQL gives the same arm.
 * - `"integer"`: a number that is an integer, as its exact decimal digits: no sign for 0 (`-0` is
 *   `"0"`), no exponent, no `.0` (`1e21` is `"1000000000000000000000"`, `2 ** 60` is
 *   `"1152921504606846976"`, where `String` would write `"1152921504606847000"`). A number with a
 *   fraction, NaN, ±Infinity, or any value that is not a number is unknown.
 *
 * @example
 * ```ts
 * splitKeyText("sante\u0301", "text"); // "santé"
 * splitKeyText(-0, "integer");         // "0"
 * splitKeyText(2.5, "integer");        // null
 * ```
 */
export function splitKeyText(value: unknown, kind: "text" | "integer"): string | null {
  if (kind === "text") return typeof value === "string" ? nfc(value) : null;
  if (typeof value !== "number" || !Number.isInteger(value)) return null;
  return value >= -SAFE && value <= SAFE ? String(value) : BigInt(value).toString();
}

/**
 * The split hash `h` of a key's text: the first 8 hex digits of the MD5 of the UTF-8 bytes of
 * `<seed>:<keyText>`, as an unsigned 32-bit integer.
 *
 * @example
 * ```ts
 * splitHash("spring", "c0") === 4009207742; // true
 * ```
 */
export function splitHash(seed: string, keyText: string): number {
  return md5First32(`${seed}:${keyText}`);
}

/**
 * The arm (0-based index) of a key's text: the k with `bounds[k − 1] ≤ h < bounds[k]`, where
 * `bounds` come from {@link splitBounds} and `h` from {@link splitHash}.
 *
 * @example
 * ```ts
 * armIndex("spring", "c0", splitBounds([10, 45, 45])); // 2 (h = 4009207742)
 * ```
 */
export function armIndex(seed: string, keyText: string, bounds: readonly number[]): number {
  const h = splitHash(seed, keyText);
  let k = 0;
  // Arms are few: a linear scan. An arm of 0% has bounds[k − 1] = bounds[k] and takes nothing.
  while (k < bounds.length - 1 && h >= bounds[k]!) k++;
  return k;
}

/**
 * The arm of a record's key value, or null when the key is unknown: {@link splitKeyText} then
 * {@link armIndex}.
 *
 * @example
 * ```ts
 * splitArm("spring", "c0", "text", splitBounds([10, 45, 45])); // 2
 * splitArm("spring", null, "text", splitBounds([10, 45, 45])); // null
 * ```
 */
export function splitArm(seed: string, value: unknown, kind: "text" | "integer", bounds: readonly number[]): number | null {
  const key = splitKeyText(value, kind);
  return key === null ? null : armIndex(seed, key, bounds);
}
