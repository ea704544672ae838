/**
 * Text helpers of the evaluator: NFC and folding (defined in text/unicode.ts), equality against
 * NFC literals, interning, and which strings may become a literal once normalised.
 * @internal
 */

import { fold, mayNeedNfc, nfc } from "../text/unicode.js";

export { fold, mayNeedNfc, nfc };

/**
 * True when the NFC forms of `v` and `lit` are equal, `lit` being already NFC. Compares `===`
 * first; normalises `v` only when it may not be NFC.
 * @internal
 */
export function nfcEquals(v: string, lit: string): boolean {
  return v === lit || (mayNeedNfc(v) && v.normalize("NFC") === lit);
}

/**
 * The internalized copy of `s` (V8 keeps one copy of each property name): `===` against data
 * strings from literals or JSON keys is then often a pointer comparison, and `r[key]` a named
 * property load. Used once per literal or key at compile time.
 * @internal
 */
export function intern(s: string): string {
  let k = interned.get(s);
  if (k === undefined) {
    const o: Record<string, number> = Object.create(null);
    o[s] = 0;
    for (const name in o) k = name;
    k ??= s;
    if (interned.size >= 4096) interned.clear();
    interned.set(s, k);
  }
  return k;
}

/** Strings already interned (compiling the same rules again finds them here). */
const interned = new Map<string, string>();

/**
 * What a data string must look like to have an NFC form equal to one of `items` while not being
 * one of them (the items are NFC): a string canonically equivalent to an item has the same NFD,
 * and NFD never shortens a string, so it has at most `max` = the longest NFD length; a first
 * code unit below U+00C0 decomposes to nothing else, so it must be the first code unit of an
 * item's NFD (`firsts`); and a last code unit below U+00C0 is a starter that decomposes to
 * nothing and that canonical ordering never moves, so it must be the last code unit of an item's
 * NFD (`lasts`: `"services"` cannot become `"santé"`, whose NFD ends with U+0301). Most data
 * strings are ruled out by these tests without being scanned or normalised (see {@link mayBecome}).
 * Items that no other string can become ({@link onlyItself}) are left out: with none left, `max`
 * is 0 and nothing can become an item without being one.
 * @internal
 */
export interface NfcTargets {
  readonly max: number;
  /** Bit sets of code units below U+00C0 (see {@link low}); small, so allocated in V8's heap. */
  readonly firsts: Int32Array;
  readonly lasts: Int32Array;
}

/**
 * True when no other string is canonically equivalent to `s` (so none has it as its NFC form):
 * `s` is ASCII without `K`, `;` or `` ` ``. ASCII is its own NFD, and the only characters whose
 * canonical decomposition is all ASCII are U+212A KELVIN SIGN (`K`), U+037E GREEK QUESTION MARK
 * (`;`) and U+1FEF GREEK VARIA (`` ` ``) (checked over every code point with `normalize("NFD")`).
 * Country codes, roles, most tags and sector names are such strings: their tests then skip
 * normalisation altogether, which measured a quarter of a rule's time.
 * @internal
 */
export function onlyItself(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 0x4b || c === 0x3b || c === 0x60) return false;
  }
  return true;
}

/** True when code unit `c` is below U+00C0 and not in bit set `bits`. @internal */
export function low(bits: Int32Array, c: number): boolean {
  return c < 0xc0 && ((bits[c >> 5]! >>> (c & 31)) & 1) === 0;
}

const targetsCache = new Map<string, NfcTargets>();

/** @internal */
export function nfcTargets(items: readonly string[]): NfcTargets {
  // Cached: rules are compiled again and again with the same literals (bounded: cleared when full).
  const key = items.join("\u0000");
  let t = targetsCache.get(key);
  if (t) return t;
  const firsts = new Int32Array(6);
  const lasts = new Int32Array(6);
  let max = 0;
  for (const item of items) {
    if (onlyItself(item)) continue; // nothing else becomes it: `===` said it all
    const d = item.normalize("NFD");
    if (d.length > max) max = d.length;
    const c0 = d.charCodeAt(0);
    if (c0 < 0xc0) firsts[c0 >> 5]! |= 1 << (c0 & 31);
    const cl = d.charCodeAt(d.length - 1);
    if (cl < 0xc0) lasts[cl >> 5]! |= 1 << (cl & 31);
  }
  t = { max, firsts, lasts };
  if (targetsCache.size >= 1024) targetsCache.clear();
  targetsCache.set(key, t);
  return t;
}

/**
 * False when `v` (not itself one of the items) cannot have an NFC form equal to one of the items
 * of `t`; true when it has to be normalised to know.
 * @internal
 */
export function mayBecome(v: string, t: NfcTargets): boolean {
  // Kept small: V8 inlines this into every hot string test, and a rule's inlining budget is
  // shared by all its tests; the rarer checks are a call away.
  const n = v.length;
  if (n > t.max || n === 0) return false;
  const c0 = v.charCodeAt(0);
  return !low(t.firsts, c0) && mayBecomeRest(v, t);
}

/** {@link mayBecome} past the length and the first code unit. */
function mayBecomeRest(v: string, t: NfcTargets): boolean {
  return !low(t.lasts, v.charCodeAt(v.length - 1)) && mayNeedNfc(v);
}
