/**
 * The tolerant view of a source: its tokens as the parser sees them (keywords retyped, literals
 * decoded, `==` read as `=`), with the rules-file layout (definition starts and body lines) made
 * explicit by the syntax layer's own pass. It never fails: a character no token starts with is
 * dropped, as the lexer drops it. Completion, hover and highlighting read it, so they answer
 * inside text that does not parse.
 * @internal
 */
import { type IToken, tokenMatcher, type TokenType } from "chevrotain";
import type { Comment } from "../ast/nodes.js";
import { lex } from "../syntax/literals.js";
import { layoutRules } from "../syntax/layout.js";
import { SourceText } from "../syntax/source.js";
import * as T from "../syntax/tokens.js";
import { tokenBefore } from "../syntax/tokens.js";

export { T, tokenBefore };

/** A scanned source. */
export interface Scan {
  readonly src: SourceText;
  /** The real tokens, in source order. */
  readonly tokens: readonly IToken[];
  /** The comments, in source order. */
  readonly comments: readonly Comment[];
  /** One entry per definition of a rules file, in source order (empty for an expression). */
  readonly definitions: readonly ScannedDefinition[];
}

/** A definition header found by the layout pass, with the tokens of the definition. */
export interface ScannedDefinition {
  /** The definition keyword (`segment`, `score` …), lower case. */
  readonly kind: "segment" | "score" | "lifecycle" | "tiers" | "rfm" | "channel" | "split";
  /** Index of the keyword token in {@link Scan.tokens}. */
  readonly first: number;
  /** Index after the definition's last token. */
  readonly end: number;
  /** Index of the `:` ending the header, or -1. */
  readonly colon: number;
  /** Indices of the first token of each body line (score, lifecycle, tiers, rfm, split bodies). */
  readonly lines: readonly number[];
}

/** The end offset (exclusive) of a token. */
export const endOf = (t: IToken): number => t.startOffset + t.image.length;

/** True when `t` is of type `type` or of a category it belongs to. */
export const is = (t: IToken | undefined, type: TokenType): boolean => !!t && tokenMatcher(t, type);

const KINDS = new Map<TokenType, ScannedDefinition["kind"]>([
  [T.Segment, "segment"],
  [T.Score, "score"],
  [T.Lifecycle, "lifecycle"],
  [T.Tiers, "tiers"],
  [T.Rfm, "rfm"],
  [T.Channel, "channel"],
  [T.Split, "split"],
]);

let last: { text: string; rules: boolean; scan: Scan } | undefined;

/** Scans `text` (the last answer is kept: an editor asks several questions about one text). */
export function scan(text: string, rules: boolean): Scan {
  if (last && last.text === text && last.rules === rules) return last.scan;
  const src = new SourceText(text);
  let tokens: IToken[] = [];
  let comments: Comment[] = [];
  try {
    const lexed = lex(src);
    tokens = lexed.tokens;
    comments = lexed.comments;
  } catch {
    // The lexer never throws on a string; should it, the text is scanned as empty.
  }
  const definitions: ScannedDefinition[] = [];
  if (rules && tokens.length > 0) {
    const laid = layoutRules(tokens, src);
    let real = 0;
    let current: { kind: ScannedDefinition["kind"]; first: number; colon: number; lines: number[] } | undefined;
    const close = () => {
      if (current) definitions.push({ ...current, end: real });
    };
    for (let i = 0; i < laid.length; i++) {
      const t = laid[i]!;
      if (t.tokenType === T.DefStart) {
        close();
        const kw = laid[i + 1]!;
        current = { kind: KINDS.get(kw.tokenType) ?? "segment", first: real, colon: -1, lines: [] };
        continue;
      }
      if (t.tokenType === T.LineBreak) {
        current?.lines.push(real);
        continue;
      }
      if (current && current.colon < 0 && current.lines.length === 0 && t.tokenType === T.Colon) current.colon = real;
      real++;
    }
    close();
  }
  const result: Scan = { src, tokens, comments, definitions };
  last = { text, rules, scan: result };
  return result;
}


/** Index of the token whose text covers `offset` (start ≤ offset ≤ end), preferring the one starting there, or -1. */
export function tokenAt(tokens: readonly IToken[], offset: number): number {
  const i = tokenBefore(tokens, offset + 1);
  if (i < 0) return -1;
  const t = tokens[i]!;
  if (t.startOffset <= offset && offset < endOf(t)) return i;
  if (endOf(t) === offset) return i; // just after a word: hovering its last character's right edge
  return -1;
}

/** The definition holding token `i`, if any. */
export function definitionOf(s: Scan, i: number): ScannedDefinition | undefined {
  for (let k = s.definitions.length - 1; k >= 0; k--) {
    const d = s.definitions[k]!;
    if (d.first <= i) return i < d.end ? d : undefined;
  }
  return undefined;
}
