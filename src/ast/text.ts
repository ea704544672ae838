/**
 * How single values are spelled in canonical text: numbers, strings, names, durations.
 * Shared by the printer and by whoever needs one value's text (docs/formatting.md).
 */
import { IDENTIFIER, isBareName } from "./keywords.js";
import type { DurationNode } from "./nodes.js";

/**
 * Plain decimal text of a finite number that the lexer reads back to the same number:
 * JavaScript's shortest round-trip digits, never in exponent notation (`1e21` → `1` and 21 zeros,
 * `1e-7` → `0.0000001`), no `_`, no `k`/`M` suffix; `-0` prints as `0`.
 *
 * @throws RangeError for NaN and infinities, which no AST may hold
 * @example formatNumber(2.5e6) // "2500000"
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cible: cannot print the non-finite number ${String(n)}`);
  const s = String(n); // -0 prints as "0", as the parser reads `-0`
  const e = s.search(/e/i);
  if (e < 0) return s;
  const negative = s.startsWith("-");
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const digits = dot < 0 ? mantissa : intPart + mantissa.slice(dot + 1);
  const point = intPart.length + exponent;
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

const hex4 = (code: number): string => `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * A string literal in double quotes. Escapes `\"`, `\\`, `\n`, `\t`; other control characters
 * (U+0000–U+001F, U+007F–U+009F), U+2028, U+2029 and lone surrogates as `\uXXXX`.
 *
 * @example quoteString('say "hi"') // '"say \\"hi\\""'
 */
export function quoteString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x09) out += "\\t";
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) out += hex4(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += value[i]! + value[i + 1]!;
        i++;
      } else out += hex4(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) out += hex4(c);
    else out += value[i]!;
  }
  return `${out}"`;
}

/**
 * One name (a path segment, a definition, stage or tier name, a `$param` or `@ref` name): bare
 * when {@link isBareName}, else in backquotes with `` \` `` and `\\` escaped.
 *
 * @example printName("chiffre d'affaires") // "`chiffre d'affaires`"
 */
export function printName(name: string): string {
  if (isBareName(name)) return name;
  return `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``;
}

/**
 * A `$param` or `@ref` name after its sigil: bare when it is an identifier, keywords included
 * (`$min`, `@and`: the sigil already tells it from a keyword), else in backquotes like {@link printName}.
 */
export function printSigilName(name: string): string {
  return IDENTIFIER.test(name) ? name : printName(name);
}

/** A dotted path: `account.sector`, `` account.`chiffre d'affaires` ``. */
export function printPath(path: readonly string[]): string {
  return path.map(printName).join(".");
}

/** `1 month`, `6 months`, `0 days`: singular only when the amount is exactly 1. */
export function printDuration(node: Pick<DurationNode, "amount" | "unit">): string {
  return `${formatNumber(node.amount)} ${node.unit}${node.amount === 1 ? "" : "s"}`;
}

/** Score points always carry a sign: `+20`, `-30`, `+0`. */
export function printPoints(points: number): string {
  const text = formatNumber(points);
  return text.startsWith("-") ? text : `+${text}`;
}
