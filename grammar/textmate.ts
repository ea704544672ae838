/**
 * Builds grammar/cible.tmLanguage.json, the TextMate grammar (VS Code, GitHub, shiki), from the
 * lexer's own vocabulary: the keyword table (`KEYWORDS`, with each keyword's categories: hard or
 * soft, unit, aggregate, definition word) and the regular expressions of the literal tokens
 * (src/syntax/tokens.ts). A new keyword or a changed literal pattern changes the grammar at the next
 * `npm run grammar`, and test/syntax/textmate.test.ts fails until it is regenerated; the same test
 * tokenises every example with vscode-textmate and compares each token's scope with the lexer's kind.
 *
 * What TextMate cannot do: it sees one line at a time, with regular expressions, no parser. Hard
 * keywords are keywords everywhere, as in the lexer. A soft keyword (`score`, `count`, `days`, `by`…)
 * is a keyword only where the parser reads it as one, and a field name elsewhere; the grammar
 * recognises the keyword positions it can see on the line (a definition header, `count(`, a number
 * followed by a unit, `within last`, `is not set`, `clamp 0 to 100`, `per … max 10`, `every 30 days
 * by`, `quantiles:`, `seed "…"`, an rfm line) and scopes every other soft keyword as a field. The
 * cases it cannot see are listed in docs/editor.md; the language server's semantic tokens follow
 * the parser exactly.
 */
import type { TokenType } from "chevrotain";
import * as T from "../src/syntax/tokens.js";

/** The scope of each class of token: the test maps the lexer's kinds onto these. */
export const SCOPES = {
  comment: "comment.line.number-sign.cible",
  string: "string.quoted.double.cible",
  otherQuoted: "string.quoted.other.cible",
  field: "variable.other.field.cible",
  definition: "entity.name.function.definition.cible",
  definitionKeyword: "storage.type.definition.cible",
  reference: "entity.name.function.reference.cible",
  param: "variable.parameter.cible",
  number: "constant.numeric.cible",
  date: "constant.other.date.cible",
  unit: "keyword.other.unit.cible",
  boolean: "constant.language.boolean.cible",
  logical: "keyword.operator.logical.cible",
  control: "keyword.control.cible",
  wordOperator: "keyword.operator.word.cible",
  softKeyword: "keyword.other.cible",
  aggregate: "support.function.aggregate.cible",
  comparison: "keyword.operator.comparison.cible",
  misspelled: "invalid.illegal.operator.cible",
  percent: "keyword.operator.percent.cible",
  parens: "punctuation.section.parens.cible",
  brackets: "punctuation.section.brackets.cible",
  comma: "punctuation.separator.comma.cible",
  dot: "punctuation.accessor.cible",
  colon: "punctuation.separator.colon.cible",
} as const;

/** Oniguruma reads `\d` as any Unicode digit; the lexer's `/u` regexes mean ASCII digits. */
function onig(src: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      const next = src[i + 1]!;
      out += next === "d" ? (inClass ? "0-9" : "[0-9]") : c + next;
      i++;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    out += c;
  }
  return out;
}

/** Not preceded / followed by a word character, as the lexer's identifier reads words. */
const WORD = "\\p{L}\\p{M}\\p{N}_";
const START = `(?<![${WORD}])`;
const END = `(?![${WORD}])`;

const has = (tok: TokenType, category: TokenType): boolean => (tok.CATEGORIES ?? []).includes(category);

/** The spellings of the keyword tokens that satisfy `pred`, longest first (so a prefix never wins). */
function words(pred: (tok: TokenType) => boolean): string[] {
  return [...T.KEYWORDS].filter(([, tok]) => pred(tok)).map(([w]) => w).sort((a, b) => b.length - a.length || a.localeCompare(b));
}

/** `(?i:a|b|c)` as a whole word. */
const anyOf = (ws: readonly string[]): string => `${START}(?i:${ws.join("|")})${END}`;

const soft = (tok: TokenType) => has(tok, T.Name);
const hardWords = words((t) => !soft(t));
const logical = words((t) => t === T.And || t === T.Or || t === T.Not);
const booleans = words((t) => t === T.True || t === T.False);
const control = words((t) => t === T.If || t === T.Otherwise || t === T.Where);
const wordOperators = hardWords.filter((w) => !logical.includes(w) && !booleans.includes(w) && !control.includes(w));
const defWords = words((t) => has(t, T.DefKeyword));
const units = words((t) => has(t, T.Unit));
const aggregates = words((t) => has(t, T.AggFn));
const rfmWords = words((t) => has(t, T.RfmWord));
const single = (tok: TokenType): string => words((t) => t === tok)[0]!;

const IDENT = T.IDENT_SRC;
const NAME = `(?:${T.BACKQUOTED_SRC}|(?!${anyOf(hardWords)})${IDENT})`;
const NUMBER = onig(T.NUMBER_SRC);
const DATE = onig(T.DATE_SRC);
const PARAM = `\\$(?:${IDENT})?`;
const regexOf = (tok: TokenType): string => (tok.PATTERN as RegExp).source;

interface Rule {
  match: string;
  name?: string;
  captures?: Record<string, { name: string }>;
}

const caps = (...names: string[]): Record<string, { name: string }> => Object.fromEntries(names.map((n, i) => [String(i + 1), { name: n }]));

/** The grammar as an object (key order fixed, so the JSON text is deterministic). */
export function textMateGrammar(): object {
  const S = SCOPES;
  const repository: Record<string, Rule> = {
    comment: { match: regexOf(T.Comment), name: S.comment },
    string: { match: regexOf(T.StringLit), name: S.string },
    otherQuoted: { match: regexOf(T.OtherQuoted), name: S.otherQuoted },
    // `segment big:`, `tiers size by employees quantiles:`, `split test by id seed "x":`: a
    // definition word first on its line, then a name, is a header (the layout rule of rules files).
    header: {
      match: `^\\s*(${anyOf(defWords)})\\s+(${NAME})(?:\\s+(${anyOf([single(T.By)])}))?`,
      captures: caps(S.definitionKeyword, S.definition, S.softKeyword),
    },
    quantiles: { match: `(${anyOf([single(T.Quantiles)])})(?=\\s*:)`, captures: caps(S.softKeyword) },
    seed: { match: `(${anyOf([single(T.Seed)])})(?=\\s*")`, captures: caps(S.softKeyword) },
    clamp: {
      match: `^\\s*(${anyOf([single(T.Clamp)])})\\s+(${NUMBER})\\s+(${anyOf([single(T.To)])})\\s+(${NUMBER})`,
      captures: caps(S.softKeyword, S.number, S.softKeyword, S.number),
    },
    aggregate: { match: `(${anyOf(aggregates)})(?=\\s*\\()`, captures: caps(S.aggregate) },
    within: { match: `(${anyOf([single(T.Within)])})\\s+(${anyOf([single(T.Last), single(T.Next)])})`, captures: caps(S.wordOperator, S.softKeyword) },
    isSet: {
      match: `(${anyOf([single(T.Is)])})\\s+(?:(${anyOf([single(T.Not)])})\\s+)?(${anyOf([single(T.Set_), single(T.Empty)])})`,
      captures: caps(S.wordOperator, S.logical, S.softKeyword),
    },
    fromNow: { match: `(${anyOf([single(T.From)])})\\s+(${anyOf([single(T.Now)])})`, captures: caps(S.wordOperator, S.softKeyword) },
    max: { match: `(${anyOf([single(T.Max)])})(?=\\s+[+-]?[0-9])`, captures: caps(S.softKeyword) },
    every: { match: `(${anyOf([single(T.Every)])})(?=\\s+(?:[+-]?[0-9]|\\$))`, captures: caps(S.softKeyword) },
    // An rfm line: `recency lastOrder`, the word followed by an operand, not by an operator.
    rfm: {
      match: `^\\s*(${anyOf(rfmWords)})(?=\\s+(?:[@$"\`]|[+-]?[0-9]|(?!${anyOf(hardWords)})[\\p{L}_]))`,
      captures: caps(S.softKeyword),
    },
    date: { match: DATE, name: S.date },
    // `6 months`, `30 days by lastVisit`: a number followed by a unit word is a duration.
    duration: {
      match: `(${NUMBER})\\s+(${anyOf(units)})(?:\\s+(${anyOf([single(T.By)])}))?`,
      captures: caps(S.number, S.unit, S.softKeyword),
    },
    number: { match: NUMBER, name: S.number },
    reference: { match: `@(?:${IDENT}|${T.BACKQUOTED_SRC})?`, name: S.reference },
    // `every $period by lastVisit`
    param: { match: `(${PARAM})(?:\\s+(${anyOf([single(T.By)])}))?`, captures: caps(S.param, S.softKeyword) },
    misspelled: { match: "==|<>|&&|\\|\\||!(?!=)", name: S.misspelled },
    comparison: { match: "!=|<=|>=|~=|=|<|>", name: S.comparison },
    percent: { match: "%", name: S.percent },
    parens: { match: "[()]", name: S.parens },
    brackets: { match: "[\\[\\]]", name: S.brackets },
    comma: { match: ",", name: S.comma },
    dot: { match: "\\.", name: S.dot },
    colon: { match: ":", name: S.colon },
    logical: { match: anyOf(logical), name: S.logical },
    boolean: { match: anyOf(booleans), name: S.boolean },
    control: { match: anyOf(control), name: S.control },
    wordOperator: { match: anyOf(wordOperators), name: S.wordOperator },
    // Every other word, soft keywords included, is a name.
    backquotedName: { match: T.BACKQUOTED_SRC, name: S.field },
    field: { match: IDENT, name: S.field },
  };
  return {
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    name: "cible",
    scopeName: "source.cible",
    fileTypes: ["cible"],
    comment: "Generated by `npm run grammar` (grammar/textmate.ts) from src/syntax/tokens.ts: do not edit.",
    patterns: Object.keys(repository).map((k) => ({ include: `#${k}` })),
    repository,
  };
}

/** The grammar file's text. */
export function renderTextMate(): string {
  return `${JSON.stringify(textMateGrammar(), null, 2)}\n`;
}
