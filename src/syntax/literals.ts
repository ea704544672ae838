/**
 * After lexing: validates and decodes literal tokens (strings, numbers, dates, backquoted names,
 * `@refs`, `$params`), retypes common misspellings (`==`, `&&`, `'text'`) to what was meant with a
 * diagnostic, turns lexer errors into `syntax.unknown-character`, and collects comments.
 *
 * Decoded values go to `token.payload`; an invalid literal keeps a harmless payload so that the
 * parser carries on and reports further mistakes (the document is dropped anyway).
 * @internal
 */
import type { ILexingError, IToken, TokenType } from "chevrotain";
import type { Diagnostic } from "../errors/diagnostic.js";
import type { Comment } from "../ast/nodes.js";
import * as T from "./tokens.js";
import * as M from "./messages.js";
import type { SourceText } from "./source.js";
import { nfc } from "../text/unicode.js";

export { nfc };

/** Payload of a NumberLit token. */
export interface NumberPayload {
  readonly value: number;
  /** Written with a leading `+` or `-`. */
  readonly signed: boolean;
}

/** Payload of a DateLit token. */
export interface DatePayload {
  readonly text: string;
  readonly dateOnly: boolean;
}

export interface LexOutput {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
}

const RETYPE: ReadonlyMap<TokenType, TokenType> = new Map([
  [T.EqEq, T.Eq],
  [T.LtGt, T.NotEq],
  [T.AmpAmp, T.And],
  [T.BarBar, T.Or],
  [T.Bang, T.Not],
]);

/** The keyword a word spells, case-insensitively (without lower-casing words that have no capital). */
function keyword(word: string): TokenType | undefined {
  const exact = T.KEYWORDS.get(word);
  if (exact) return exact;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return T.KEYWORDS.get(word.toLowerCase());
  }
  return undefined;
}

function retype(tok: IToken, to: TokenType): void {
  tok.tokenType = to;
  tok.tokenTypeIdx = to.tokenTypeIdx!;
}

/** Lexes `text` and post-processes the tokens. Never throws on any input string. */
export function lex(src: SourceText): LexOutput {
  const diagnostics: Diagnostic[] = [];
  const span = (start: number, end: number) => src.span(start, end);
  const report = (m: M.Msg, start: number, end: number) => diagnostics.push(M.diag(m, span(start, end)));

  // The fast path gives up on anything unusual (and on every lexer error): then chevrotain's lexer.
  let tokens: IToken[];
  let commentTokens: IToken[];
  const fast = T.tokenizeFast(src.text);
  if (fast) {
    tokens = fast.tokens;
    commentTokens = fast.comments;
  } else {
    const result = T.lexer.tokenize(src.text);
    for (const e of result.errors as ILexingError[]) {
      const ch = src.text.codePointAt(e.offset) ?? 0;
      const len = ch > 0xffff ? 2 : 1;
      report(M.unknownCharacter(String.fromCodePoint(ch), e.length), e.offset, e.offset + Math.max(len, e.length));
    }
    tokens = result.tokens;
    commentTokens = (result.groups["comments"] ?? []) as IToken[];
  }

  for (const tok of tokens) {
    const type = tok.tokenType;
    const image = tok.image;
    const start = tok.startOffset;
    const end = start + image.length;
    tok.endOffset = end - 1; // the lexer tracks start offsets only (faster)
    if (type === T.Identifier) {
      if (image.length <= 9) {
        const kw = keyword(image);
        if (kw) retype(tok, kw);
      }
    } else if (type === T.StringLit) {
      tok.payload = decodeString(image, start, src, diagnostics);
    } else if (type === T.NumberLit) {
      const r = decodeNumber(image);
      if (r.msg) report(r.msg, start, end);
      tok.payload = r.payload;
    } else if (type === T.DateLit) {
      const msg = validateDate(image);
      if (msg) report(msg, start, end);
      tok.payload = { text: image, dateOnly: !image.includes("T") } satisfies DatePayload;
    } else if (type === T.BackquotedName) {
      const name = decodeName(image, start, src, diagnostics);
      if (name !== undefined && name.trim() === "") report(M.emptyName(), start, end);
      tok.payload = nfc(name ?? "");
    } else if (type === T.RefTok || type === T.ParamTok) {
      let name: string | undefined = image.slice(1);
      if (name.startsWith("`")) name = decodeName(name, start + 1, src, diagnostics, start);
      if (name !== undefined && name.trim() === "") report(type === T.RefTok ? M.emptyRef() : M.emptyParam(), start, end);
      tok.payload = nfc(name ?? "");
    } else if (type === T.OtherQuoted) {
      const closed = image.length >= 2 && /['\u2018\u2019\u201c\u201d\u00bb]$/.test(image);
      const inner = closed ? image.slice(1, -1) : image.slice(1);
      report(M.wrongQuotes(inner), start, end);
      retype(tok, T.StringLit);
      tok.payload = nfc(inner);
    } else {
      const to = RETYPE.get(type);
      if (to) {
        report(M.operatorSpelling(image, src.text.charAt(start - 1), src.text.charAt(end)), start, end);
        retype(tok, to);
      }
    }
  }

  const comments: Comment[] = [];
  for (const c of commentTokens) {
    comments.push({ text: c.image.slice(1), span: span(c.startOffset, c.startOffset + c.image.length) });
  }
  return { tokens, comments, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------------------------

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Decodes a string token (escapes, NFC); reports an unterminated string and invalid escapes. */
function decodeString(image: string, offset: number, src: SourceText, out: Diagnostic[]): string {
  // The lexer pattern only ends a token on `"` when that quote closes the string.
  let closed = false;
  let body: string;
  {
    let i = 1;
    while (i < image.length) {
      const c = image.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 34) {
        closed = i === image.length - 1;
        break;
      } else i++;
    }
    body = closed ? image.slice(1, -1) : image.slice(1);
  }
  if (!closed) out.push(M.diag(M.unterminatedString(), src.span(offset, offset + image.length)));
  if (body.indexOf("\\") === -1) return nfc(body);
  let value = "";
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== "\\") {
      value += c;
      i++;
      continue;
    }
    const next = body[i + 1];
    const at = offset + 1 + i;
    switch (next) {
      case '"':
        value += '"';
        i += 2;
        break;
      case "\\":
        value += "\\";
        i += 2;
        break;
      case "n":
        value += "\n";
        i += 2;
        break;
      case "t":
        value += "\t";
        i += 2;
        break;
      case "u": {
        let n = 0;
        while (n < 4 && i + 2 + n < body.length && isHex(body.charCodeAt(i + 2 + n))) n++;
        if (n === 4) {
          value += String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16));
        } else {
          out.push(M.diag(M.invalidEscape(body.slice(i, i + 2 + n)), src.span(at, at + 2 + n)));
        }
        i += 2 + n;
        break;
      }
      default: {
        const len = next === undefined ? 1 : next.length;
        out.push(M.diag(M.invalidEscape(body.slice(i, i + 1 + len)), src.span(at, at + 1 + len)));
        i += 1 + len;
      }
    }
  }
  return nfc(value);
}

// ---------------------------------------------------------------------------------------------
// Backquoted names
// ---------------------------------------------------------------------------------------------

/**
 * Decodes a backquoted name (`image` starts with the backquote, at `offset` in the source): `` \` ``
 * is a backquote, `\\` a backslash, every other character stands for itself (docs/formatting.md).
 * Reports an unterminated name (spanning from `tokenStart`; returns `undefined`) and any other `\x`
 * (`syntax.invalid-escape`).
 */
function decodeName(image: string, offset: number, src: SourceText, out: Diagnostic[], tokenStart = offset): string | undefined {
  // The lexer pattern only ends a token on a backquote when that backquote closes the name.
  let closed = false;
  let escapes = false;
  for (let i = 1; i < image.length; i++) {
    const c = image.charCodeAt(i);
    if (c === 92) {
      escapes = true;
      i++;
    } else if (c === 96) {
      closed = i === image.length - 1;
      break;
    }
  }
  if (!closed) {
    out.push(M.diag(M.unterminatedName(), src.span(tokenStart, offset + image.length)));
    return undefined;
  }
  const body = image.slice(1, -1);
  if (!escapes) return body;
  let value = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      value += c;
      continue;
    }
    const next = body[i + 1]!; // a backslash is always followed by a character inside a closed name
    if (next === "`" || next === "\\") value += next;
    else {
      const len = (body.codePointAt(i + 1) ?? 0) > 0xffff ? 2 : 1;
      const at = offset + 1 + i;
      out.push(M.diag(M.invalidNameEscape(body.slice(i, i + 1 + len)), src.span(at, at + 1 + len)));
      value += body.slice(i + 1, i + 1 + len);
      i += len - 1;
    }
    i++;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

const NUMBER_PARTS = /^([+-]?)(\d[\d_]*)(?:\.(\d[\d_]*))?(.*)$/su;
const DIGIT_GROUPS = /^\d+(?:_\d+)*$/;

/** `250k` → 250000 exactly: shifts the decimal point in the digit string instead of multiplying. */
function scaled(int: string, frac: string, exp: number): number {
  if (exp === 0) return Number(frac ? `${int}.${frac}` : int);
  if (frac.length <= exp) return Number(int + frac + "0".repeat(exp - frac.length));
  return Number(`${int}${frac.slice(0, exp)}.${frac.slice(exp)}`);
}

/** `42`, `250k`, `2M`: digits and an optional `k`/`M`, short enough to be exact as a product. */
function simpleNumber(image: string): number | undefined {
  const n = image.length;
  if (n > 15) return undefined;
  let digits = n;
  const last = image.charCodeAt(n - 1);
  if (last === 107 || last === 77) digits--; // k, M
  if (digits === 0) return undefined;
  let value = 0;
  for (let i = 0; i < digits; i++) {
    const c = image.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    value = value * 10 + c;
  }
  return digits === n ? value : value * (last === 107 ? 1e3 : 1e6);
}

function decodeNumber(image: string): { payload: NumberPayload; msg?: M.Msg } {
  const simple = simpleNumber(image);
  if (simple !== undefined) return { payload: { value: simple, signed: false } };
  const m = NUMBER_PARTS.exec(image);
  if (!m) return { payload: { value: 0, signed: false }, msg: M.invalidNumber(image) };
  const sign = m[1]!;
  const intRaw = m[2]!;
  const fracRaw = m[3] ?? "";
  const tail = m[4]!;
  const signed = sign !== "";
  const numText = image.slice(0, image.length - tail.length);
  if (!DIGIT_GROUPS.test(intRaw) || (fracRaw !== "" && !DIGIT_GROUPS.test(fracRaw))) {
    return { payload: { value: 0, signed }, msg: M.badUnderscores(numText) };
  }
  let exp = 0;
  let msg: M.Msg | undefined;
  if (tail === "k") exp = 3;
  else if (tail === "M") exp = 6;
  else if (tail === "m") msg = M.ambiguousM(numText);
  else if (tail !== "") msg = M.gluedNumber(numText, tail);
  let value = scaled(intRaw.replace(/_/g, ""), fracRaw.replace(/_/g, ""), exp);
  if (sign === "-") value = -value;
  if (!msg && !Number.isFinite(value)) msg = M.numberTooLarge(image);
  if (msg || !Number.isFinite(value)) return { payload: { value: Number.isFinite(value) ? value : 0, signed }, msg };
  return { payload: { value: value === 0 ? 0 : value, signed } };
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const STRICT_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))?)?$/;
const LOOSE_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$/s;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Returns a message when `image` is not a valid ISO-8601 date or date-time of the language. */
function validateDate(image: string): M.Msg | undefined {
  const m = STRICT_DATE.exec(image);
  if (!m) {
    const loose = LOOSE_DAY.exec(image);
    let hint: string | undefined;
    if (loose) {
      const rest = loose[4]!.replace(/^t/, "T").replace(/z$/, "Z");
      hint = `${loose[1]}-${loose[2]!.padStart(2, "0")}-${loose[3]!.padStart(2, "0")}${rest}`;
      if (!STRICT_DATE.test(hint)) hint = undefined;
    }
    return M.malformedDate(image, hint);
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return M.notACalendarDate(image);
  if (m[4] !== undefined) {
    if (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59)) {
      return M.notACalendarDate(image);
    }
    if (m[7] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return M.notACalendarDate(image);
  }
  return undefined;
}
