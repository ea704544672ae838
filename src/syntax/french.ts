/**
 * Better hints for the mistakes French-speaking authors make, attached only where the text is
 * already an error (a word such as `si`, `non` or `ans` may be a field name: it is never given
 * another meaning). Runs after parsing, over the diagnostics and the token stream: a diagnostic
 * that stands on (or just after) a French word, a spaced or comma number, or a `03/12/2025` date
 * is replaced by one that names the English spelling, with a fix when the replacement is certain.
 * Wording lives in messages.ts.
 * @internal
 */
import type { IToken, TokenType } from "chevrotain";
import { tokenMatcher } from "chevrotain";
import { type Diagnostic, withFix } from "../errors/diagnostic.js";
import type { SourceText } from "./source.js";
import * as T from "./tokens.js";
import * as M from "./messages.js";

const KEYWORDS: Readonly<Record<string, string>> = { et: "and", ou: "or", non: "not", si: "if", sinon: "otherwise" };

const UNITS: Readonly<Record<string, string>> = {
  ...M.UNIT_ABBREVIATIONS,
  semaine: "week", semaines: "week", heure: "hour", heures: "hour",
  année: "year", années: "year", annee: "year", annees: "year",
};

/** Tokens that end a value or a condition (after which `and`/`or` may come). */
const VALUE_END: readonly TokenType[] = [
  T.Name, T.StringLit, T.NumberLit, T.DateLit, T.RParen, T.RBracket, T.Ago, T.True, T.False, T.RefTok, T.ParamTok,
];
/** Tokens that may start a condition. */
const CONDITION_START: readonly TokenType[] = [
  T.Name, T.Not, T.LParen, T.RefTok, T.ParamTok, T.QuantifierWord, T.True, T.False,
];
/** Tokens after which a condition starts. */
const BEFORE_CONDITION: readonly TokenType[] = [T.And, T.Or, T.Not, T.LParen, T.If, T.Colon];
/** What `not` may precede after an operand. */
const NEGATABLE: readonly TokenType[] = [T.In, T.Between, T.Contains, T.Starts, T.Ends, T.FoldEq];

const is = (tok: IToken | undefined, types: readonly TokenType[]): boolean =>
  !!tok && tok.image !== "" && types.some((t) => tokenMatcher(tok, t));
const end = (tok: IToken): number => tok.startOffset + tok.image.length;

/** Replaces the diagnostics a French spelling caused by ones that name the fix. */
export function frenchHints(diagnostics: Diagnostic[], tokens: readonly IToken[], src: SourceText): Diagnostic[] {
  if (!diagnostics.some((d) => d.code.startsWith("syntax."))) return diagnostics;
  const real = tokens.filter((t) => t.image !== "" && !Number.isNaN(t.startOffset));
  const at = new Map<number, number>(real.map((t, i) => [t.startOffset, i]));
  const out: Diagnostic[] = [];
  const replaced = new Set<Diagnostic>();
  const covered: [number, number][] = [];
  const cover = (from: number, to: number) => covered.push([from, to]);

  const firstOnLine = (i: number): boolean => i === 0 || src.lineOf(real[i - 1]!.startOffset) < src.lineOf(real[i]!.startOffset);
  /** The kind of definition (`score`, `tiers`…) token `i` stands in, in a rules file. */
  const definitionKind = (i: number): string | undefined => {
    const offset = real[i]!.startOffset;
    let kind: string | undefined;
    for (let k = 0; k < tokens.length && tokens[k]!.startOffset <= offset; k++) {
      if (tokens[k]!.tokenType === T.DefStart) kind = tokens[k + 1]?.image.toLowerCase();
    }
    return kind;
  };
  const fixed = (m: M.Msg, from: number, to: number, newText: string, editFrom = from, editTo = to): Diagnostic => {
    cover(from, to);
    return withFix(M.diag(m, src.span(from, to)), { title: `Write \`${newText}\``, edits: [{ span: src.span(editFrom, editTo), newText }] });
  };

  for (const d of diagnostics) {
    const offset = d.span.start.offset;
    if (d.code === "syntax.unknown-character" && src.text[offset] === "/") {
      const r = slashDate(offset);
      if (r) out.push(r);
      if (r) replaced.add(d);
      continue;
    }
    if (!d.code.startsWith("syntax.")) continue;
    const i = at.get(offset);
    if (i === undefined) continue;
    if (d.code === "syntax.list-item" && tokenMatcher(real[i]!, T.Identifier)) {
      // `[santé, finance]`: the word is text to quote (certain: a list holds literals only)
      const text = JSON.stringify(real[i]!.image.normalize("NFC"));
      out.push(withFix(d, { title: `Write ${text}`, edits: [{ span: d.span, newText: text }] }));
      replaced.add(d);
      continue;
    }
    const r = onToken(i);
    if (r) out.push(r);
    if (r) replaced.add(d);
  }

  function slashDate(slash: number): Diagnostic | undefined {
    let s = slash;
    while (s > 0 && /\d/.test(src.text[s - 1]!)) s--;
    const re = /(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\p{L}\p{N}_/])/uy;
    re.lastIndex = s;
    const m = re.exec(src.text);
    if (!m || (s > 0 && /[\p{L}\p{N}_/.]/u.test(src.text[s - 1]!)) || s + m[1]!.length !== slash) return undefined;
    const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    const iso = `${m[3]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const to = s + m[0].length;
    if (!real) {
      cover(s, to);
      return M.diag(M.slashDate(m[0]), src.span(s, to));
    }
    return fixed(M.slashDate(m[0], iso), s, to, iso);
  }

  function onToken(i: number): Diagnostic | undefined {
    const tok = real[i]!;
    const prev = real[i - 1];
    const next = real[i + 1];
    const word = tok.image.toLowerCase();

    // 1 000 000
    if (tokenMatcher(tok, T.NumberLit) && /^\d{3}(\.\d+)?$/.test(tok.image) && prev && /^[+-]?[1-9]\d{0,2}$/.test(prev.image) && spaced(prev, tok)) {
      const head = real[i - 2];
      if (!firstOnLine(i - 1) && !(head && tokenMatcher(head, T.Clamp))) {
        let last = i;
        while (!real[last]!.image.includes(".") && real[last + 1] && /^\d{3}(\.\d+)?$/.test(real[last + 1]!.image) && spaced(real[last]!, real[last + 1]!)) last++;
        const from = prev.startOffset;
        const to = end(real[last]!);
        const image = src.text.slice(from, to);
        const number = image.replace(/\s/g, "");
        return fixed(M.spacedNumber(image, number), from, to, number);
      }
    }
    // 1,5M
    if (tokenMatcher(tok, T.Comma) && prev && next && tokenMatcher(prev, T.NumberLit) && tokenMatcher(next, T.NumberLit)) {
      if (end(prev) === tok.startOffset && end(tok) === next.startOffset && /^[+-]?\d+$/.test(prev.image) && /^\d+[kM]?$/.test(next.image)) {
        const number = `${prev.image}.${next.image}`;
        return fixed(M.decimalComma(src.text.slice(prev.startOffset, end(next)), number), prev.startOffset, end(next), number);
      }
    }
    // 6 mois
    if (tokenMatcher(tok, T.Name) && prev && tokenMatcher(prev, T.NumberLit) && /^\d+$/.test(prev.image) && UNITS[word]) {
      const unit = `${UNITS[word]}${prev.image === "1" ? "" : "s"}`;
      const m = M.unitSpelling(tok.image, `${prev.image} ${unit}`);
      return fixed(m, tok.startOffset, end(tok), unit);
    }
    // is null, is not null
    if (word === "null" && prev && tokenMatcher(prev, T.Is)) {
      return fixed(M.nullTest(false), tok.startOffset, end(tok), "is not set", prev.startOffset, end(tok));
    }
    if (word === "null" && prev && tokenMatcher(prev, T.Not) && real[i - 2] && tokenMatcher(real[i - 2]!, T.Is)) {
      return fixed(M.nullTest(true), tok.startOffset, end(tok), "is set", real[i - 2]!.startOffset, end(tok));
    }
    // et, ou: between two conditions (or the bounds of `between`)
    if ((word === "et" || word === "ou") && is(prev, VALUE_END) && (is(next, CONDITION_START) || (word === "et" && betweenBound(i)))) {
      return keyword(tok);
    }
    // non x, x non in […]
    if (prev && prev.image.toLowerCase() === "non" && is(tok, CONDITION_START) && (i < 2 || firstOnLine(i - 1) || is(real[i - 2], BEFORE_CONDITION))) {
      return keyword(prev);
    }
    if (word === "non" && is(next, NEGATABLE) && is(prev, VALUE_END)) return keyword(tok);
    // +20 si …, high si >= 100k, evaluation si …; low sinon
    if ((word === "si" || word === "sinon") && prev) {
      const kind = definitionKind(i);
      const afterPoints = kind === "score" && /^[+-]\d+$/.test(prev.image) && firstOnLine(i - 1);
      const afterName = tokenMatcher(prev, T.Name) && firstOnLine(i - 1) && (kind === "tiers" || (kind === "lifecycle" && word === "si"));
      if (afterName || (afterPoints && word === "si")) return keyword(tok);
    }
    return undefined;
  }

  function keyword(tok: IToken): Diagnostic {
    const kw = KEYWORDS[tok.image.toLowerCase()]!;
    // what the parser says about the next token is a consequence of this word
    const next = real[(at.get(tok.startOffset) ?? -2) + 1];
    if (next) cover(next.startOffset, end(next));
    return fixed(M.keywordSpelling(tok.image, kw), tok.startOffset, end(tok), kw);
  }

  /** `between 1 et 5`: token `i` follows the low bound. */
  function betweenBound(i: number): boolean {
    return !!real[i - 2] && tokenMatcher(real[i - 2]!, T.Between);
  }

  /** Two tokens on one line, one space (any Unicode space but a line break) apart. */
  function spaced(a: IToken, b: IToken): boolean {
    return b.startOffset === end(a) + 1 && /^[^\S\n\r]$/.test(src.text[end(a)]!);
  }

  if (out.length === 0) return diagnostics;
  const inside = (o: number) => covered.some(([from, to]) => o >= from && o < to);
  return [...diagnostics.filter((d) => !replaced.has(d) && !inside(d.span.start.offset)), ...out];
}
