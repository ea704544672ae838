/**
 * Passes over the token stream between the lexer and the parser.
 *
 * - {@link layoutRules}: makes the layout of a rules file explicit with two virtual tokens.
 *   `DefStart` goes before every definition header, `(segment|score|lifecycle|tiers|rfm|channel|split) Name`
 *   followed by `:` (or `by` for tiers and splits), or such a keyword first on its line with a name
 *   after it on that line; never inside the header line of a tiers or split definition, whose `by`
 *   value may be a field named `score`, `segment`… (`tiers t by score quantiles:`). `LineBreak`
 *   goes before every line of a score, lifecycle, tiers, rfm or split body (segments and channels
 *   have an expression body).
 *   **The line rule**: the first token after the header's `:` starts the first line and fixes the
 *   body's column C; after it, a token starts a new line when it is the first token on its source
 *   line and its column is ≤ C. A token further right continues the current line, so a long
 *   condition may wrap onto indented lines. Newlines mean nothing else, and nothing inside a
 *   segment's expression.
 * - {@link measureDepth}: the nesting depth, counted on tokens before parsing so that a deep input
 *   is refused with `limit.depth` instead of overflowing the stack. Depth at a token = open
 *   parentheses and brackets + prefix `not`s and quantifiers (`any`/`all`/`none … where`) still in
 *   effect. A `not` or quantifier stays in effect until the `and`, `or`, `,`, `:`, `)` or `]` that
 *   ends its term; aggregates count through their parentheses. Lines and definitions start at 0.
 * @internal
 */
import { createTokenInstance, tokenMatcher, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";
import type { SourceText } from "./source.js";

function virtual(type: TokenType, at: IToken): IToken {
  return createTokenInstance(type, "", at.startOffset, at.startOffset - 1, NaN, NaN, NaN, NaN);
}

/** Definitions whose header has a `by` value between the name and the `:`. */
const HEADERS_WITH_BY = new Set<TokenType>([T.Tiers, T.Split]);
/** Definitions whose body is one expression, not lines. */
const EXPRESSION_BODIES = new Set<TokenType>([T.Segment, T.Channel]);

function isHeader(tokens: IToken[], i: number, firstOnLine: boolean, lineOf: (t: IToken) => number): boolean {
  const tok = tokens[i]!;
  if (!tokenMatcher(tok, T.DefKeyword)) return false;
  const next = tokens[i + 1];
  if (!next) return false;
  const next2 = tokens[i + 2];
  if (tokenMatcher(next, T.Name) && next2 && (next2.tokenType === T.Colon || (HEADERS_WITH_BY.has(tok.tokenType) && next2.tokenType === T.By))) {
    return true;
  }
  return firstOnLine && (tokenMatcher(next, T.Name) || next.tokenType === T.Colon) && lineOf(next) === lineOf(tok);
}

/** Inserts `DefStart` and `LineBreak` virtual tokens (see the module comment for the rule). */
export function layoutRules(tokens: IToken[], src: SourceText): IToken[] {
  const out: IToken[] = [];
  const lines = new Int32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) lines[i] = src.lineOf(tokens[i]!.startOffset);
  const tokenLine = (t: IToken) => src.lineOf(t.startOffset);

  let state: "outside" | "header" | "body" = "outside";
  let lined = false; // the current definition's body is made of lines
  let withBy = false; // the current definition's header holds a `by` value (tiers, split)
  let bodyColumn = -1;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const firstOnLine = i === 0 || lines[i]! > lines[i - 1]!;
    // Inside a tiers or split header (`tiers NAME by VALUE [quantiles] :`), the rest of its line is
    // the `by` value: `tiers t by score quantiles:` reads the field `score`, not a header `score quantiles:`.
    const inByHeader = state === "header" && withBy && !firstOnLine;
    if (!inByHeader && isHeader(tokens, i, firstOnLine, tokenLine)) {
      out.push(virtual(T.DefStart, tok), tok);
      state = "header";
      lined = !EXPRESSION_BODIES.has(tok.tokenType);
      withBy = HEADERS_WITH_BY.has(tok.tokenType);
      bodyColumn = -1;
      continue;
    }
    if (state === "header") {
      if (tok.tokenType === T.Colon) {
        out.push(tok);
        state = "body";
        continue;
      }
      if (!firstOnLine) {
        out.push(tok);
        continue;
      }
      state = "body"; // a header without `:`: its body starts on the next line
    }
    if (state === "body" && lined) {
      const column = src.position(tok.startOffset).column;
      if (bodyColumn < 0) {
        bodyColumn = column;
        out.push(virtual(T.LineBreak, tok));
      } else if (firstOnLine && column <= bodyColumn) {
        out.push(virtual(T.LineBreak, tok));
      }
    }
    out.push(tok);
  }
  return out;
}

export interface DepthReport {
  /** The first token past the depth limit, if any. */
  readonly tooDeep?: IToken;
  /** `(` tokens never closed (for the hint of a missing `)`). */
  readonly unclosed: readonly IToken[];
}

const NEGATABLE = new Set<TokenType>([T.In, T.Between, T.Contains, T.Starts, T.Ends, T.FoldEq]);

/** Measures nesting depth on the token stream (see the module comment). Linear, no recursion. */
export function measureDepth(tokens: IToken[], max: number): DepthReport {
  const openers: IToken[] = [];
  const savedTerms: number[] = [];
  const unclosed: IToken[] = [];
  let terms = 0; // prefix `not`s and quantifiers in effect at the current level
  let total = 0; // … at all levels
  const reset = () => {
    for (const o of openers) if (o.tokenType === T.LParen) unclosed.push(o);
    openers.length = 0;
    savedTerms.length = 0;
    terms = 0;
    total = 0;
  };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const type = tok.tokenType;
    if (type === T.LParen || type === T.LBracket) {
      openers.push(tok);
      savedTerms.push(terms);
      terms = 0;
    } else if (type === T.RParen || type === T.RBracket) {
      if (openers.length > 0) {
        openers.pop();
        total -= terms;
        terms = savedTerms.pop()!;
      }
      continue;
    } else if (type === T.Not) {
      const next = tokens[i + 1];
      if (next && NEGATABLE.has(next.tokenType)) continue;
      terms++;
      total++;
    } else if (tokenMatcher(tok, T.QuantifierWord)) {
      if (tokens[i - 1]?.tokenType === T.Has) continue;
      terms++;
      total++;
    } else if (type === T.And || type === T.Or || type === T.Comma || type === T.Colon) {
      total -= terms;
      terms = 0;
      continue;
    } else if (type === T.LineBreak || type === T.DefStart) {
      reset();
      continue;
    } else {
      continue;
    }
    if (openers.length + total > max) return { tooDeep: tok, unclosed };
  }
  reset();
  return { unclosed };
}
