/**
 * Text helpers of the evaluator: NFC with a fast path, and the folding used by `contains`,
 * `starts with`, `ends with` and `~=`.
 * @internal
 */

/**
 * True when `s` may not be in NFC: it holds a code unit at or above U+0300. A string made only of
 * code units below U+0300 is already NFC (no character there composes or decomposes under NFC).
 * @internal
 */
export function mayNeedNfc(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x300) return true;
  }
  return false;
}

/** `s` in NFC, normalising only when a code unit at or above U+0300 is present. @internal */
export function nfc(s: string): string {
  return mayNeedNfc(s) ? s.normalize("NFC") : s;
}

/**
 * True when the NFC forms of `v` and `lit` are equal, `lit` being already NFC. Compares `===`
 * first; normalises `v` only when it may not be NFC.
 * @internal
 */
export function nfcEquals(v: string, lit: string): boolean {
  return v === lit || (mayNeedNfc(v) && v.normalize("NFC") === lit);
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
 * @internal
 */
export function fold(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return s.normalize("NFD").replace(MARKS, "").toLowerCase();
  }
  return s.toLowerCase();
}

/**
 * The internalized copy of `s` (V8 keeps one copy of each property name): `===` against data
 * strings from literals or JSON keys is then often a pointer comparison, and `r[key]` a named
 * property load. Used once per literal or key at compile time.
 * @internal
 */
export function intern(s: string): string {
  const o: Record<string, number> = Object.create(null);
  o[s] = 0;
  for (const k in o) return k;
  return s;
}

/**
 * What a data string must look like to have an NFC form equal to one of `items` while not being
 * one of them (the items are NFC): a string canonically equivalent to an item has the same NFD,
 * and NFD never shortens a string, so it has at most `max` = the longest NFD length; and a first
 * code unit below U+00C0 decomposes to nothing else, so it must be the first code unit of an
 * item's NFD (`firsts`). Most data strings are ruled out by these two tests without being
 * scanned or normalised (see {@link mayBecome}).
 * @internal
 */
export interface NfcTargets {
  readonly max: number;
  readonly firsts: Uint8Array;
}

/** @internal */
export function nfcTargets(items: readonly string[]): NfcTargets {
  const firsts = new Uint8Array(0xc0);
  let max = 0;
  for (const item of items) {
    const d = item.normalize("NFD");
    if (d.length > max) max = d.length;
    const c0 = d.charCodeAt(0);
    if (c0 < 0xc0) firsts[c0] = 1;
  }
  return { max, firsts };
}

/**
 * False when `v` (not itself one of the items) cannot have an NFC form equal to one of the items
 * of `t`; true when it has to be normalised to know.
 * @internal
 */
export function mayBecome(v: string, t: NfcTargets): boolean {
  if (v.length > t.max) return false;
  const c0 = v.charCodeAt(0);
  if (c0 < 0xc0 && t.firsts[c0] === 0) return false;
  return mayNeedNfc(v);
}
