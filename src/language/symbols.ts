/**
 * The definitions of a rules file, from the token scan so that an editor's outline stays whole
 * while one definition is broken: each header's keyword and name, and the text up to the next
 * definition. `definition` finds where an `@name` is defined the same way.
 * @internal
 */
import type { Span } from "../errors/diagnostic.js";
import { nfc } from "../text/unicode.js";
import { type Scan, T, endOf, is, tokenAt } from "./scan.js";
import type { DocumentSymbol } from "./types.js";

/** The definitions of a scanned rules file that have a name, in source order. */
export function symbols(s: Scan): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const d of s.definitions) {
    const name = s.tokens[d.first + 1];
    if (!name || !is(name, T.Name) || d.first + 1 >= d.end) continue;
    const last = s.tokens[d.end - 1]!;
    out.push({
      name: nameOf(name.payload, name.image),
      kind: d.kind,
      span: s.src.span(s.tokens[d.first]!.startOffset, endOf(last)),
      nameSpan: s.src.span(name.startOffset, endOf(name)),
    });
  }
  return out;
}

/** Where the `@name` at `offset` is defined (its name's span), or null. */
export function definitionAt(s: Scan, offset: number): Span | null {
  const i = tokenAt(s.tokens, offset);
  const t = i < 0 ? undefined : s.tokens[i];
  if (!t || t.tokenType !== T.RefTok) return null;
  const name = typeof t.payload === "string" ? t.payload : nfc(t.image.slice(1));
  const hit = symbols(s).find((d) => d.name === name);
  return hit ? hit.nameSpan : null;
}

/** A name token's name: a backquoted name's decoded payload, else its text (NFC). */
export function nameOf(payload: unknown, image: string): string {
  return typeof payload === "string" ? payload : nfc(image);
}
