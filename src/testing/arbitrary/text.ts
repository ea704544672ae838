/**
 * Text a host's records may hold: words with accents and mixed case (so that folding and NFC
 * are exercised), random graphemes, and, unless `dbSafe`, decomposed accents and U+0000; lone
 * surrogates only when asked for (`loneSurrogates`).
 */
import * as fc from "fast-check";
import { withFavour } from "./favour.js";

/** Constraints of {@link textArbitrary}. */
export interface TextConstraints {
  /** Fewest UTF-16 code units (zod `.min()`). Default 0. */
  readonly minLength?: number;
  /** Most UTF-16 code units (zod `.max()`). Default 24. */
  readonly maxLength?: number;
  /** A shape zod checks: plain text (default), an email address, a UUID, a URL. */
  readonly format?: "plain" | "email" | "uuid" | "url";
  /** Text every value starts with / ends with / contains (zod `.startsWith()`…). */
  readonly prefix?: string;
  readonly suffix?: string;
  readonly includes?: readonly string[];
  /** zod `.lowercase()` / `.uppercase()`. */
  readonly letterCase?: "any" | "lower" | "upper";
  /** Only text databases store as is: NFC, no U+0000, no lone surrogate. */
  readonly dbSafe?: boolean;
  /**
   * Also draw lone surrogates (U+D800, U+DFFF: text that is not valid Unicode, which a JavaScript
   * string can hold and UTF-8 cannot). Default false; ignored with `dbSafe`.
   */
  readonly loneSurrogates?: boolean;
  /** Values to draw often (a rule's literals and their variants). */
  readonly favour?: readonly string[];
}

/** Words of B2B data: accents, case, letters that folding keeps (ß, ø, œ). */
const WORDS = [
  "santé", "Santé", "SANTÉ", "sante", "finance", "Finance", "industrie", "Orléans", "ORLÉANS", "orleans",
  "Zoho", "HubSpot", "Salesforce", "CEO", "cto", "Straße", "œuvre", "Ørsted", "Müller", "café", "x", "A", "a b",
];

const LONE_SURROGATES = ["\ud800", "\udfff"];

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `s` as a database keeps it: NFC, no NUL, no lone surrogate. @internal */
export function dbSafeText(s: string): string {
  return s.replace(LONE, "\ufffd").normalize("NFC").replace(/\u0000/g, "");
}

/** Cuts or pads `s` to [min, max] UTF-16 code units without splitting a surrogate pair. @internal */
export function fitLength(s: string, min: number, max: number | undefined): string {
  let out = s;
  if (max !== undefined && out.length > max) {
    out = out.slice(0, max);
    const last = out.charCodeAt(out.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  }
  while (out.length < min) out += "a";
  return out;
}

/**
 * An arbitrary of text.
 *
 * @example
 * ```ts
 * fc.sample(textArbitrary({ maxLength: 8, dbSafe: true }), 3); // e.g. ["Santé", "", "x#"]
 * ```
 */
export function textArbitrary(constraints: TextConstraints = {}): fc.Arbitrary<string> {
  const min = constraints.minLength ?? 0;
  const max = constraints.maxLength ?? Math.max(24, min);
  const dbSafe = constraints.dbSafe === true;
  let core: fc.Arbitrary<string>;
  switch (constraints.format ?? "plain") {
    case "email":
      core = fc.emailAddress();
      break;
    case "uuid":
      core = fc.uuid();
      break;
    case "url":
      core = fc.webUrl();
      break;
    default: {
      const pieces: fc.Arbitrary<string>[] = [
        fc.constantFrom(...WORDS),
        fc.string({ unit: "grapheme-ascii", maxLength: 6 }),
        fc.string({ unit: "grapheme", maxLength: 3 }),
      ];
      if (!dbSafe) {
        pieces.push(fc.constantFrom(...WORDS).map((w) => w.normalize("NFD")));
        pieces.push(fc.constantFrom("\u0000", "e\u0301", ...(constraints.loneSurrogates === true ? LONE_SURROGATES : [])));
      }
      // Shrinks towards the empty text (the first arbitrary), whatever was drawn.
      core = fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.constant(""), weight: 1 },
        { arbitrary: fc.array(fc.oneof(...pieces), { minLength: 1, maxLength: 3 }).map((p) => p.join(" ")), weight: 6 },
      );
    }
  }
  const prefix = constraints.prefix ?? "";
  const suffix = constraints.suffix ?? "";
  const includes = (constraints.includes ?? []).join("");
  const letterCase = constraints.letterCase ?? "any";
  const plain = (constraints.format ?? "plain") === "plain";
  const fixed = prefix.length + includes.length + suffix.length;
  const shaped = core.map((s) => {
    let body = s;
    if (letterCase === "lower") body = body.toLowerCase();
    else if (letterCase === "upper") body = body.toUpperCase();
    if (dbSafe) body = dbSafeText(body);
    if (plain) body = fitLength(body, Math.max(0, min - fixed), Math.max(0, max - fixed));
    return prefix + includes + body + suffix;
  });
  const favour = constraints.favour?.map((s) => (dbSafe ? dbSafeText(s) : s));
  return withFavour(shaped, favour, (s) => s.length >= min && s.length <= max);
}
