/**
 * The token vocabulary of the cible language and the one chevrotain lexer built from it.
 *
 * - Keywords are case-insensitive. Words are lexed as Identifier and retyped by a keyword lookup
 *   (see {@link KEYWORDS}), so `orders` is one identifier and `within` is not `with` + `in`.
 * - Every SOFT keyword token (and Identifier, and backquoted names) belongs to the `Name`
 *   category: the grammar accepts any of them wherever a name may stand. HARD keywords do not.
 * - chevrotain drops the regex `u` flag, so Unicode-aware tokens use custom `{ exec }` patterns
 *   around sticky `/…/uy` regexes, with `start_chars_hint` holding a character of every bucket of
 *   chevrotain's first-character table where a letter may start a word.
 * - {@link tokenizeFast} does the lexer's work without chevrotain's generic loop for the common
 *   case (and gives up on anything else, lexer errors included); literals.ts tries it first.
 * - Literal tokens are lexed leniently (`6months`, `2024-02-30`, `"abc` are one token each) and
 *   validated afterwards (literals.ts), so a mistake gives one precise diagnostic, not a cascade.
 * - `LineBreak` and `DefStart` are virtual tokens (never lexed): layout.ts inserts them into a rules
 *   file's token stream so that lines and definitions have explicit boundaries.
 * @internal
 */
import { createToken, Lexer, type CustomPatternMatcherFunc, type IToken, type TokenType } from "chevrotain";

// ---------------------------------------------------------------------------------------------
// Custom (Unicode) patterns
// ---------------------------------------------------------------------------------------------

function sticky(re: RegExp): CustomPatternMatcherFunc {
  return (text, offset) => {
    re.lastIndex = offset;
    return re.exec(text);
  };
}

/**
 * Start characters for tokens that may begin with any Unicode letter (`\p{L}` or `_`).
 *
 * chevrotain files each start character by a bucket of its code unit (itself below 256; above,
 * buckets of 255 code units, an implementation detail) and tries a custom pattern only at
 * characters whose bucket has a hint. So the hint must put a character in every bucket that holds
 * a letter, whatever the bucket size: it lists every ASCII and Latin-1 letter, then, for each run
 * of consecutive letter code units above U+00FF (the high surrogates U+D800–U+DBFF count as one
 * run: astral letters start with one), its first and last code unit and every 128th in between.
 * Any bucket of 128 or more code units that meets a run then holds one of them.
 */
const LETTER_START_HINT: number[] = (() => {
  const letter = /\p{L}/u;
  const out: number[] = [95];
  for (let c = 65; c <= 90; c++) out.push(c, c + 32);
  for (let c = 0xaa; c <= 0xff; c++) if (letter.test(String.fromCharCode(c))) out.push(c);
  let runStart = -1;
  for (let c = 0x100; c <= 0x10000; c++) {
    const isStart =
      c > 0xffff ? false : c >= 0xd800 && c <= 0xdfff ? c <= 0xdbff : letter.test(String.fromCharCode(c));
    if (isStart && runStart < 0) runStart = c;
    else if (!isStart && runStart >= 0) {
      for (let k = runStart; k < c - 1; k += 128) out.push(k);
      out.push(c - 1);
      runStart = -1;
    }
  }
  return out;
})();

/** An identifier (also read by grammar/textmate.ts, which builds the TextMate grammar from these sources). */
export const IDENT_SRC = "[\\p{L}_][\\p{L}\\p{M}\\p{N}_]*";
/** A backquoted name, leniently: any `\x` escape, possibly unterminated (see {@link BackquotedName}). */
export const BACKQUOTED_SRC = "`(?:[^`\\\\\\n\\r]|\\\\[^\\n\\r]?)*`?";

// ---------------------------------------------------------------------------------------------
// Categories (abstract token types, never lexed themselves)
// ---------------------------------------------------------------------------------------------

/** Anything that may stand as a (segment of a) name: identifiers, backquoted names, soft keywords. */
export const Name = createToken({ name: "Name", pattern: Lexer.NA });
/** `minute(s)` … `year(s)`. */
export const Unit = createToken({ name: "Unit", pattern: Lexer.NA });
/** `count`, `sum`, `avg`, `min`, `max`. */
export const AggFn = createToken({ name: "AggFn", pattern: Lexer.NA });
/** `=`, `!=`, `<`, `<=`, `>`, `>=`. */
export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA });
/** `any`, `all`, `none`. */
export const QuantifierWord = createToken({ name: "QuantifierWord", pattern: Lexer.NA });
/** `segment`, `score`, `lifecycle`, `tiers`, `rfm`. */
export const DefKeyword = createToken({ name: "DefKeyword", pattern: Lexer.NA });
/** `recency`, `frequency`, `monetary`. */
export const RfmWord = createToken({ name: "RfmWord", pattern: Lexer.NA });

// ---------------------------------------------------------------------------------------------
// Virtual tokens (inserted by layout.ts in rules files)
// ---------------------------------------------------------------------------------------------

/** Starts a definition: inserted before `(segment|score|lifecycle|tiers|rfm) Name`. */
export const DefStart = createToken({ name: "DefStart", pattern: Lexer.NA, label: "a new definition" });
/** Starts a line of a score, lifecycle, tiers or rfm body. */
export const LineBreak = createToken({ name: "LineBreak", pattern: Lexer.NA, label: "a new line" });

// ---------------------------------------------------------------------------------------------
// Trivia
// ---------------------------------------------------------------------------------------------

const SPACE_RE = /\s+/y;
/** Every character `\s` matches (the start characters of WhiteSpace). */
const SPACE_CHARS = [
  9, 10, 11, 12, 13, 32, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
  0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];

/** Spaces, tabs and line ends are scanned by hand; other Unicode spaces go to the regex. */
function matchSpace(text: string, offset: number): RegExpExecArray | null {
  let i = offset;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13) i++;
    else if (c < 128 && c !== 11 && c !== 12) break;
    else {
      SPACE_RE.lastIndex = i;
      const m = SPACE_RE.exec(text);
      if (!m) break;
      i += m[0].length;
    }
  }
  return i === offset ? null : ([text.slice(offset, i)] as unknown as RegExpExecArray);
}

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: { exec: matchSpace },
  start_chars_hint: SPACE_CHARS,
  line_breaks: true,
  group: Lexer.SKIPPED,
});
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: "comments" });

// ---------------------------------------------------------------------------------------------
// Literals and names
// ---------------------------------------------------------------------------------------------

const IDENT_RE = new RegExp(IDENT_SRC, "uy");

/** ASCII words are scanned by hand (the common case); anything else goes to the Unicode regex. */
function matchIdentifier(text: string, offset: number): RegExpExecArray | null {
  let i = offset;
  const n = text.length;
  const c0 = text.charCodeAt(i);
  if ((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95) {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) i++;
      else if (c < 128) {
        const m = [text.slice(offset, i)] as unknown as RegExpExecArray;
        return m;
      } else break;
    }
    if (i === n) return [text.slice(offset, i)] as unknown as RegExpExecArray;
  }
  IDENT_RE.lastIndex = offset;
  return IDENT_RE.exec(text);
}

export const Identifier = createToken({
  name: "Identifier",
  pattern: { exec: matchIdentifier },
  start_chars_hint: LETTER_START_HINT,
  line_breaks: false,
  categories: [Name],
});

/**
 * `` `chiffre d'affaires` ``, where `` \` `` is a backquote and `\\` a backslash. Lexed leniently
 * (any `\x`, possibly unterminated) and validated after lexing.
 */
export const BackquotedName = createToken({
  name: "BackquotedName",
  pattern: /`(?:[^`\\\n\r]|\\[^\n\r]?)*`?/,
  categories: [Name],
});

/** `"…"` with escapes; possibly unterminated (stops at the line end), validated after lexing. */
export const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\\n\r]|\\[^\n\r]?)*"?/ });
/** `'…'`, `‘…’`, `“…”`, `«…»`: not strings of the language; retyped as strings with a diagnostic. */
export const OtherQuoted = createToken({
  name: "OtherQuoted",
  pattern: /'[^'\n\r]*'?|[\u2018\u2019][^\u2018\u2019\n\r]*[\u2018\u2019]?|[\u201c\u201d\u201e][^\u201c\u201d\u201e\n\r]*[\u201c\u201d]?|\u00ab[^\u00bb\n\r]*\u00bb?/,
});

/** A date, leniently (see {@link DateLit}). */
export const DATE_SRC = "\\d{4}-\\d{1,2}-\\d{1,2}(?:[\\p{L}\\p{N}_:.]|[+-]\\d)*";
/** A number, leniently (see {@link NumberLit}). */
export const NUMBER_SRC = "[+-]?\\d[\\d_]*(?:\\.\\d[\\d_]*)?[\\p{L}\\p{M}\\p{N}_]*";
const matchDate = sticky(new RegExp(DATE_SRC, "uy"));
const matchNumber = sticky(new RegExp(NUMBER_SRC, "uy"));
const matchRef = sticky(new RegExp(`@(?:${IDENT_SRC}|${BACKQUOTED_SRC})?`, "uy"));
const matchParam = sticky(new RegExp(`\\$(?:${IDENT_SRC})?`, "uy"));

/** A date or date-time, lexed leniently (with anything glued to it) and validated after lexing. */
export const DateLit = createToken({
  name: "DateLit",
  pattern: { exec: matchDate },
  start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  line_breaks: false,
});

/** A number, optionally signed, with anything glued to it (`250k`, `6months`), validated after lexing. */
export const NumberLit = createToken({
  name: "NumberLit",
  pattern: { exec: matchNumber },
  start_chars_hint: ["+", "-", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  line_breaks: false,
});

/** `@name` or `` @`name` ``; a bare `@` too (validated after lexing). */
export const RefTok = createToken({
  name: "RefTok",
  pattern: { exec: matchRef },
  start_chars_hint: ["@"],
  line_breaks: false,
});

/** `$name`; a bare `$` too (validated after lexing). */
export const ParamTok = createToken({
  name: "ParamTok",
  pattern: { exec: matchParam },
  start_chars_hint: ["$"],
  line_breaks: false,
});

// ---------------------------------------------------------------------------------------------
// Punctuation and operators
// ---------------------------------------------------------------------------------------------

export const NotEq = createToken({ name: "NotEq", pattern: "!=", categories: [CompareOp], label: "`!=`" });
export const LtGt = createToken({ name: "LtGt", pattern: "<>" }); // misspelling of !=
export const LtEq = createToken({ name: "LtEq", pattern: "<=", categories: [CompareOp], label: "`<=`" });
export const GtEq = createToken({ name: "GtEq", pattern: ">=", categories: [CompareOp], label: "`>=`" });
export const FoldEq = createToken({ name: "FoldEq", pattern: "~=", label: "`~=`" });
export const EqEq = createToken({ name: "EqEq", pattern: "==" }); // misspelling of =
export const Eq = createToken({ name: "Eq", pattern: "=", categories: [CompareOp], label: "`=`" });
export const Lt = createToken({ name: "Lt", pattern: "<", categories: [CompareOp], label: "`<`" });
export const Gt = createToken({ name: "Gt", pattern: ">", categories: [CompareOp], label: "`>`" });
export const AmpAmp = createToken({ name: "AmpAmp", pattern: "&&" }); // misspelling of and
export const BarBar = createToken({ name: "BarBar", pattern: "||" }); // misspelling of or
export const Bang = createToken({ name: "Bang", pattern: "!" }); // misspelling of not
export const LParen = createToken({ name: "LParen", pattern: "(", label: "`(`" });
export const RParen = createToken({ name: "RParen", pattern: ")", label: "`)`" });
export const LBracket = createToken({ name: "LBracket", pattern: "[", label: "`[`" });
export const RBracket = createToken({ name: "RBracket", pattern: "]", label: "`]`" });
export const Comma = createToken({ name: "Comma", pattern: ",", label: "`,`" });
export const Dot = createToken({ name: "Dot", pattern: ".", label: "`.`" });
export const Colon = createToken({ name: "Colon", pattern: ":", label: "`:`" });
export const Percent = createToken({ name: "Percent", pattern: "%", label: "`%`" });

// ---------------------------------------------------------------------------------------------
// Keywords
// ---------------------------------------------------------------------------------------------

/**
 * Keywords are not lexed by patterns of their own: every word is lexed as an Identifier (one
 * Unicode-aware pattern), then retyped by a case-insensitive lookup in {@link KEYWORDS}
 * (literals.ts). This is the `longer_alt` discipline made structural: `orders` can never become
 * `or` + `ders`, `within` never `with` + `in`, and the lexer tries one pattern per word instead of
 * sixty case-insensitive ones.
 */
const keywordMap = new Map<string, TokenType>();

function keyword(word: string, soft: boolean, categories: TokenType[], spellings: string[] = [word]): TokenType {
  const tok = createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: Lexer.NA,
    categories: soft ? [Name, ...categories] : categories,
    label: `\`${word}\``,
  });
  for (const w of spellings) keywordMap.set(w, tok);
  return tok;
}

const hard = (w: string, ...c: TokenType[]) => keyword(w, false, c);
const soft = (w: string, ...c: TokenType[]) => keyword(w, true, c);
const unit = (w: string) => keyword(w, true, [Unit], [w, `${w}s`]);

// Hard keywords (HARD_KEYWORDS in ast/keywords.ts): never a bare name.
export const And = hard("and");
export const Or = hard("or");
export const Not = hard("not");
export const In = hard("in");
export const Has = hard("has");
export const Any = hard("any", QuantifierWord);
export const All = hard("all", QuantifierWord);
export const None = hard("none", QuantifierWord);
export const Contains = hard("contains");
export const Starts = hard("starts");
export const Ends = hard("ends");
export const With = hard("with");
export const Is = hard("is");
export const Between = hard("between");
export const True = hard("true");
export const False = hard("false");
export const Ago = hard("ago");
export const From = hard("from");
export const Within = hard("within");
export const Before = hard("before");
export const After = hard("after");
export const Where = hard("where");
export const If = hard("if");
export const Per = hard("per");
export const Decaying = hard("decaying");
export const Otherwise = hard("otherwise");

// Soft keywords (SOFT_KEYWORDS): a keyword in some positions, a name in every name position.
// (`type`, `date` and `at` are plain identifiers: they are keywords of no rule.)
export const Segment = soft("segment", DefKeyword);
export const Score = soft("score", DefKeyword);
export const Lifecycle = soft("lifecycle", DefKeyword);
export const Tiers = soft("tiers", DefKeyword);
export const Rfm = soft("rfm", DefKeyword);
export const Channel = soft("channel", DefKeyword);
export const Split = soft("split", DefKeyword);
export const Count = soft("count", AggFn);
export const Sum = soft("sum", AggFn);
export const Avg = soft("avg", AggFn);
export const Min = soft("min", AggFn);
export const Max = soft("max", AggFn);
export const Now = soft("now");
export const Last = soft("last");
export const Next = soft("next");
export const Set_ = soft("set");
export const Empty = soft("empty");
export const Recency = soft("recency", RfmWord);
export const Frequency = soft("frequency", RfmWord);
export const Monetary = soft("monetary", RfmWord);
export const Quantiles = soft("quantiles");
export const Every = soft("every");
export const By = soft("by");
export const To = soft("to");
export const Clamp = soft("clamp");
export const Seed = soft("seed");
export const Minute = unit("minute");
export const Hour = unit("hour");
export const Day = unit("day");
export const Week = unit("week");
export const Month = unit("month");
export const Year = unit("year");

/** Lower-case spelling → keyword token type. */
export const KEYWORDS: ReadonlyMap<string, TokenType> = keywordMap;

/** Every lexed token type, in matching order. */
const lexedTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLit,
  OtherQuoted,
  BackquotedName,
  DateLit,
  NumberLit,
  RefTok,
  ParamTok,
  NotEq,
  LtGt,
  LtEq,
  GtEq,
  FoldEq,
  EqEq,
  Eq,
  Lt,
  Gt,
  AmpAmp,
  BarBar,
  Bang,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Colon,
  Percent,
  Identifier,
];

/** Every token type the parser knows: the lexed ones, the categories and the virtual tokens. */
export const allTokens: TokenType[] = [
  Name,
  Unit,
  AggFn,
  CompareOp,
  QuantifierWord,
  DefKeyword,
  RfmWord,
  DefStart,
  LineBreak,
  ...new Set(keywordMap.values()),
  ...lexedTokens,
];

/** The one lexer (stateless between calls). */
export const lexer = new Lexer(lexedTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: true,
});

// ---------------------------------------------------------------------------------------------
// The fast path
// ---------------------------------------------------------------------------------------------

/** What {@link tokenizeFast} returns: the tokens and comments {@link lexer} would. */
export interface FastTokens {
  readonly tokens: IToken[];
  readonly comments: IToken[];
}

/**
 * End of a quoted run starting at `start` (the opening quote `q`), as the lenient patterns of
 * {@link StringLit} and {@link BackquotedName} read it: `\` takes the next code unit (not a line end),
 * and the run stops after the closing quote or before a line end.
 */
function quotedEnd(text: string, start: number, q: number): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === q) return i + 1;
    if (c === 10 || c === 13) return i;
    i++;
    if (c === 92 && i < n) {
      const d = text.charCodeAt(i);
      if (d !== 10 && d !== 13) i++;
    }
  }
  return n;
}

/**
 * The lexer's work for the common case, without chevrotain's generic loop: the same tokens (same
 * types, images and offsets, same matchers for words, numbers, dates, `@` and `$`), dispatched on
 * the first character. It returns `undefined`, and the caller runs {@link lexer}, as soon as it
 * meets anything else: a token starting with a non-ASCII character (Unicode letters and spaces),
 * a character no token starts with, single or typographic quotes. So lexer errors and their
 * diagnostics always come from {@link lexer}. test/syntax/lexical.test.ts checks the two agree.
 */
export function tokenizeFast(text: string): FastTokens | undefined {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    let type: TokenType;
    let end: number;
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      type = Identifier;
      end = i + matchIdentifier(text, i)![0].length;
    } else if (c >= 48 && c <= 57) {
      const m = matchDate(text, i, [], {});
      if (m) type = DateLit;
      else type = NumberLit;
      end = i + (m ?? matchNumber(text, i, [], {})!)[0].length;
    } else {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      switch (c) {
        case 34: // "
          type = StringLit;
          end = quotedEnd(text, i, 34);
          break;
        case 96: // `
          type = BackquotedName;
          end = quotedEnd(text, i, 96);
          break;
        case 35: {
          // #
          type = Comment;
          end = i + 1;
          while (end < n) {
            const d = text.charCodeAt(end);
            if (d === 10 || d === 13) break;
            end++;
          }
          comments.push({ image: text.slice(i, end), startOffset: i, tokenTypeIdx: Comment.tokenTypeIdx!, tokenType: Comment });
          i = end;
          continue;
        }
        case 43: // +
        case 45: {
          // -
          if (!(next >= 48 && next <= 57)) return undefined;
          type = NumberLit;
          end = i + matchNumber(text, i, [], {})![0].length;
          break;
        }
        case 64: // @
          type = RefTok;
          end = i + matchRef(text, i, [], {})![0].length;
          break;
        case 36: // $
          type = ParamTok;
          end = i + matchParam(text, i, [], {})![0].length;
          break;
        case 33: // !
          type = next === 61 ? NotEq : Bang;
          end = i + (type === Bang ? 1 : 2);
          break;
        case 60: // <
          type = next === 62 ? LtGt : next === 61 ? LtEq : Lt;
          end = i + (type === Lt ? 1 : 2);
          break;
        case 62: // >
          type = next === 61 ? GtEq : Gt;
          end = i + (type === Gt ? 1 : 2);
          break;
        case 61: // =
          type = next === 61 ? EqEq : Eq;
          end = i + (type === Eq ? 1 : 2);
          break;
        case 126: // ~
          if (next !== 61) return undefined;
          type = FoldEq;
          end = i + 2;
          break;
        case 38: // &
          if (next !== 38) return undefined;
          type = AmpAmp;
          end = i + 2;
          break;
        case 124: // |
          if (next !== 124) return undefined;
          type = BarBar;
          end = i + 2;
          break;
        case 40:
          type = LParen;
          end = i + 1;
          break;
        case 41:
          type = RParen;
          end = i + 1;
          break;
        case 91:
          type = LBracket;
          end = i + 1;
          break;
        case 93:
          type = RBracket;
          end = i + 1;
          break;
        case 44:
          type = Comma;
          end = i + 1;
          break;
        case 46:
          type = Dot;
          end = i + 1;
          break;
        case 58:
          type = Colon;
          end = i + 1;
          break;
        case 37:
          type = Percent;
          end = i + 1;
          break;
        default:
          return undefined;
      }
    }
    // One object shape for every token (the post-pass fills endOffset and payload in place).
    tokens.push({ image: text.slice(i, end), startOffset: i, endOffset: end - 1, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type, payload: undefined });
    i = end;
  }
  return { tokens, comments };
}

/** The unit of a unit token, singular. */
export const UNIT_OF: ReadonlyMap<TokenType, "minute" | "hour" | "day" | "week" | "month" | "year"> = new Map([
  [Minute, "minute"],
  [Hour, "hour"],
  [Day, "day"],
  [Week, "week"],
  [Month, "month"],
  [Year, "year"],
] as const);

/** The aggregate function of an AggFn token. */
export const AGG_OF: ReadonlyMap<TokenType, "count" | "sum" | "avg" | "min" | "max"> = new Map([
  [Count, "count"],
  [Sum, "sum"],
  [Avg, "avg"],
  [Min, "min"],
  [Max, "max"],
] as const);

/** The comparison operator of a CompareOp token. */
export const OP_OF: ReadonlyMap<TokenType, "=" | "!=" | "<" | "<=" | ">" | ">="> = new Map([
  [Eq, "="],
  [NotEq, "!="],
  [Lt, "<"],
  [LtEq, "<="],
  [Gt, ">"],
  [GtEq, ">="],
] as const);

/** Index of the last token starting before `offset`, or -1 (binary search over tokens in source order). */
export function tokenBefore(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
