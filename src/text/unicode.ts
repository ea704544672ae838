/**
 * Text as the language defines it (LANGUAGE.md §2–3), written once: NFC normalisation with its
 * fast path, and the folding of `contains`, `starts with`, `ends with` and `~=`. Read by the
 * parser, the schema reader, the checker, the evaluator, SQL (for values folded before the query)
 * and the testing kit. Imports nothing of ours.
 * @internal
 */

/**
 * True when `s` may not be in NFC: it holds a code unit at or above U+0300. A string made only of
 * code units below U+0300 is already NFC (no character there composes or decomposes under NFC).
 */
export function mayNeedNfc(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x300) return true;
  }
  return false;
}

/**
 * `s` in NFC, normalising only when a code unit at or above U+0300 is present.
 *
 * @example
 * ```ts
 * nfc("sante\u0301") === "santé"; // true
 * ```
 */
export function nfc(s: string): string {
  return mayNeedNfc(s) ? s.normalize("NFC") : s;
}

/**
 * The combining marks folding drops: the block Combining Diacritical Marks, U+0300–U+036F, the
 * range the SQL dialects strip too (PostgreSQL `regexp_replace(normalize(x, NFD), '[\u0300-\u036f]', '', 'g')`).
 * Marks outside it (Cyrillic, Hebrew, Indic…) are kept.
 */
const MARKS = /[\u0300-\u036f]/g;

/**
 * Folds text for `contains`, `starts with`, `ends with` and `~=`: canonical decomposition (NFD,
 * which is also the NFD of the NFC form), combining marks U+0300–U+036F dropped, then
 * `toLowerCase()`; nothing more (`ß`, `ø`, `œ` stay as they are).
 * Pure ASCII takes a fast path (`toLowerCase()` only).
 *
 * @example
 * ```ts
 * fold("ORLÉANS") === fold("orleans"); // true
 * ```
 */
export function fold(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return s.normalize("NFD").replace(MARKS, "").toLowerCase();
  }
  return s.toLowerCase();
}
