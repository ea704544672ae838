/**
 * Semantic highlighting from the token scan: each token's class, with soft keywords told apart
 * from field names by where they stand (a field may be named `score`, `count` or `last`, LANGUAGE.md
 * §2), as the parser tells them apart. Works on text that does not parse.
 * @internal
 */
import type { IToken } from "chevrotain";
import { type Scan, type ScannedDefinition, T, definitionOf, endOf, is } from "./scan.js";
import type { SemanticToken, TokenType } from "./types.js";

/** The class of every token and comment of a scan, in source order. */
export function highlight(s: Scan): SemanticToken[] {
  const out: SemanticToken[] = [];
  const toks = s.tokens;
  let c = 0;
  const comments = s.comments;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    while (c < comments.length && comments[c]!.span.start.offset < t.startOffset) out.push({ span: comments[c++]!.span, type: "comment" });
    out.push({ span: s.src.span(t.startOffset, endOf(t)), type: classOf(s, i) });
  }
  while (c < comments.length) out.push({ span: comments[c++]!.span, type: "comment" });
  return out;
}

/** The class of token `i`. */
export function classOf(s: Scan, i: number): TokenType {
  const t = s.tokens[i]!;
  const type = t.tokenType;
  if (type === T.StringLit) return "string";
  if (type === T.DateLit) return "date";
  if (type === T.RefTok) return "reference";
  if (type === T.ParamTok) return "param";
  if (type === T.NumberLit) return is(s.tokens[i + 1], T.Unit) ? "duration" : "number";
  if (type === T.LParen || type === T.RParen || type === T.LBracket || type === T.RBracket || type === T.Comma || type === T.Dot || type === T.Colon || type === T.Percent) {
    return "punctuation";
  }
  if (is(t, T.CompareOp) || type === T.FoldEq || type === T.EqEq || type === T.LtGt || type === T.AmpAmp || type === T.BarBar || type === T.Bang) {
    return "operator";
  }
  if (!is(t, T.Name)) return "keyword"; // hard keywords
  const def = definitionOf(s, i);
  const header = def && (def.colon < 0 || i < def.colon) && i < (def.lines[0] ?? def.end);
  if (def && i === def.first) return "keyword";
  if (def && i === def.first + 1) return "definition";
  if (def && header) return headerWord(s, def, i);
  if (def && def.lines.includes(i)) return lineStart(s, def, i);
  return softWord(s, i);
}

/** A word in a header after the name: `by`, `quantiles`, `seed` are keywords; the `by` value is read as an expression. */
function headerWord(s: Scan, def: ScannedDefinition, i: number): TokenType {
  const t = s.tokens[i]!;
  if (i === def.first + 2 && t.tokenType === T.By) return "keyword";
  if (t.tokenType === T.Quantiles && (s.tokens[i + 1]?.tokenType === T.Colon || i + 1 === def.end)) return "keyword";
  if (t.tokenType === T.Seed && def.kind === "split" && s.tokens[i + 1]?.tokenType === T.StringLit) return "keyword";
  return softWord(s, i);
}

/** The first word of a body line: a stage, tier or arm name, or a keyword of the line's shape. */
function lineStart(s: Scan, def: ScannedDefinition, i: number): TokenType {
  const t = s.tokens[i]!;
  if (def.kind === "rfm" && is(t, T.RfmWord)) return "keyword";
  if (def.kind === "score" && t.tokenType === T.Clamp) return "keyword";
  if (def.kind === "lifecycle" || def.kind === "tiers" || def.kind === "split") return "definition";
  return softWord(s, i);
}

/** A soft keyword or a name in an expression: a keyword only where the grammar reads it as one. */
function softWord(s: Scan, i: number): TokenType {
  const t = s.tokens[i]!;
  const prev: IToken | undefined = s.tokens[i - 1];
  const next: IToken | undefined = s.tokens[i + 1];
  const type = t.tokenType;
  if (is(t, T.AggFn) && next?.tokenType === T.LParen) return "keyword";
  if (is(t, T.Unit) && prev?.tokenType === T.NumberLit) return "duration";
  if ((type === T.Last || type === T.Next) && prev?.tokenType === T.Within) return "keyword";
  if ((type === T.Set_ || type === T.Empty) && (prev?.tokenType === T.Is || (prev?.tokenType === T.Not && s.tokens[i - 2]?.tokenType === T.Is))) return "keyword";
  if (type === T.Now && prev?.tokenType === T.From) return "keyword";
  if (type === T.Every || type === T.By) {
    // `decaying 50% every 30 days by at`
    for (let k = i - 1; k >= 0 && k >= i - 6; k--) if (s.tokens[k]!.tokenType === T.Decaying) return "keyword";
  }
  if (type === T.To && s.tokens[i - 2]?.tokenType === T.Clamp) return "keyword";
  return "field";
}
