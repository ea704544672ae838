/**
 * Every word the syntax layer says to a rules author: diagnostics (code, message, hint) for the
 * lexer, the literal checks, the parser (through chevrotain's error-message provider) and the
 * limits. Codes are documented in docs/errors.md. Nothing of chevrotain's own wording
 * reaches the author.
 * @internal
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";
import { EOF, tokenMatcher } from "chevrotain";
import { Name } from "./tokens.js";
import { type Diagnostic, type Span, error } from "../errors/diagnostic.js";
import { HARD_KEYWORDS } from "../ast/keywords.js";
import { quoteString } from "../ast/text.js";

/** A diagnostic without its position. */
export interface Msg {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /**
   * Texts that replace the diagnostic's span to repair it, when the replacement is certain (one
   * fix each, in this order): `6months` → `6 months`, `1m` → `1M` or `1 minute`.
   */
  readonly replacements?: readonly string[];
}

export function diag(m: Msg, span: Span): Diagnostic {
  const d = error(m.code, m.message, span, m.hint);
  if (!m.replacements?.length) return d;
  return { ...d, fixes: m.replacements.map((newText) => ({ title: `Write \`${newText.trim()}\``, edits: [{ span, newText }] })) };
}

/** The same message, repaired by replacing its span with each of `texts`. */
export const replacedBy = (m: Msg, ...texts: string[]): Msg => ({ ...m, replacements: texts });

const msg = (code: string, message: string, hint?: string): Msg =>
  hint === undefined ? { code, message } : { code, message, hint };

/** Shortens an author's text for quoting in a message. */
function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `text` in backquotes, or in double backquotes when it contains one. */
function code(s: string): string {
  const t = clip(s);
  return t.includes("`") ? `\`\` ${t} \`\`` : `\`${t}\``;
}

// ---------------------------------------------------------------------------------------------
// Lexical
// ---------------------------------------------------------------------------------------------

const CHAR_HINTS: Readonly<Record<string, string>> = {
  "&": "write `and`",
  "|": "write `or`",
  "!": "write `not`, or `!=` for “is different from”",
  "'": 'text goes in double quotes: "like this"',
  "@": "a reference is `@name`",
  $: "a parameter is `$name`",
  "+": "numbers are written `+20` or `-30`, without a space",
  "-": "numbers are written `+20` or `-30`, without a space",
  "{": "lists use square brackets: [\"a\", \"b\"]",
  "}": "lists use square brackets: [\"a\", \"b\"]",
  ";": "rules need no `;`: join conditions with `and` or `or`",
  "*": "the language has no arithmetic",
  "/": "the language has no arithmetic",
  "\u2018": 'text goes in straight double quotes: "like this"',
  "\u2019": 'text goes in straight double quotes: "like this"',
  "\u201c": 'text goes in straight double quotes: "like this"',
  "\u201d": 'text goes in straight double quotes: "like this"',
  "\u00ab": 'text goes in straight double quotes: "like this"',
  "\u00bb": 'text goes in straight double quotes: "like this"',
};

export function unknownCharacter(ch: string, length: number): Msg {
  const shown = /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? code(ch) : `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return msg(
    "syntax.unknown-character",
    length > 1 ? `Unexpected characters starting with ${shown}.` : `Unexpected character ${shown}.`,
    CHAR_HINTS[ch],
  );
}

export const unterminatedString = (): Msg =>
  msg("syntax.unterminated-string", "This text has no closing `\"` on its line.", 'close it with `"`; write `\\n` for a line break inside text');

export const invalidEscape = (seq: string): Msg =>
  msg(
    "syntax.invalid-escape",
    `${code(seq)} is not an escape of the language.`,
    'the escapes are `\\"`, `\\\\`, `\\n`, `\\t` and `\\uXXXX` (four hex digits); write `\\\\` for a backslash',
  );

export const invalidNameEscape = (seq: string): Msg =>
  msg(
    "syntax.invalid-escape",
    `${code(seq)} is not an escape of a backquoted name.`,
    "inside backquotes, write `` \\` `` for a backquote and `\\\\` for a backslash; every other character stands for itself",
  );

export const unterminatedName = (): Msg =>
  msg("syntax.unterminated-name", "This backquoted name has no closing backquote on its line.", "close it with `` ` ``");

export const emptyName = (): Msg => msg("syntax.empty-name", "A backquoted name cannot be empty.");
export const emptyRef = (): Msg =>
  msg("syntax.empty-name", "Expected a definition name after `@`.", "a reference is `@name`, for example `@decideursSante`");
export const emptyParam = (): Msg =>
  msg("syntax.empty-name", "Expected a parameter name after `$`.", "a parameter is `$name`, for example `$minEmployees`");

export const wrongQuotes = (inner: string): Msg =>
  replacedBy(msg("syntax.wrong-quotes", 'Text goes in straight double quotes `"…"`.', `"${clip(inner)}"`), quoteString(inner));

const SPELLINGS: Readonly<Record<string, string>> = { "==": "=", "<>": "!=", "&&": "and", "||": "or", "!": "not" };
/**
 * `==` and friends; `before` and `after` are the characters around them, so that a word
 * replacing a symbol (`a&&b` → `a and b`) gets the spaces it needs.
 */
export const operatorSpelling = (written: string, before = " ", after = " "): Msg => {
  const right = SPELLINGS[written] ?? written;
  const word = /^[a-z]/.test(right);
  const glued = (c: string) => word && c !== "" && !/\s/.test(c);
  const fixed = `${glued(before) ? " " : ""}${right}${glued(after) ? " " : ""}`;
  return replacedBy(msg("syntax.operator-spelling", `Write \`${right}\`, not \`${written}\`.`, right), fixed);
};

export const invalidNumber = (image: string): Msg => msg("syntax.invalid-number", `${code(image)} is not a number.`);
export const badUnderscores = (image: string): Msg =>
  msg("syntax.invalid-number", `${code(image)} is not a number: \`_\` goes between digits.`, "for example `1_000_000`");
export const numberTooLarge = (image: string): Msg =>
  msg("syntax.invalid-number", `${code(image)} is too large to be a number.`);

export const ambiguousM = (num: string): Msg =>
  replacedBy(
    msg(
      "syntax.ambiguous-suffix",
      `${code(`${num}m`)} is ambiguous: \`M\` means million, and minutes are written in full.`,
      `${num}M or ${num} minute${num === "1" ? "" : "s"}?`,
    ),
    `${num}M`,
    `${num} minute${num === "1" ? "" : "s"}`,
  );

export const UNIT_ABBREVIATIONS: Readonly<Record<string, string>> = {
  min: "minute", mins: "minute", mn: "minute",
  h: "hour", hr: "hour", hrs: "hour",
  d: "day", j: "day", jour: "day", jours: "day",
  w: "week", wk: "week", wks: "week",
  mo: "month", mos: "month", mois: "month",
  y: "year", yr: "year", yrs: "year", an: "year", ans: "year",
};
const UNITS = new Set(["minute", "hour", "day", "week", "month", "year"]);

export function gluedNumber(num: string, tail: string): Msg {
  const lower = tail.toLowerCase();
  const singular = lower.endsWith("s") && UNITS.has(lower.slice(0, -1)) ? lower.slice(0, -1) : lower;
  const unit = UNITS.has(singular) ? singular : UNIT_ABBREVIATIONS[lower];
  let hint: string;
  let fixed: string | undefined;
  if (unit) hint = fixed = `${num} ${unit}${num === "1" ? "" : "s"}`;
  else if (tail === "K") hint = fixed = `${num}k`;
  else if (/^e[+-]?\d+$/i.test(tail)) hint = "write the number in full, or with `k` (thousand) or `M` (million)";
  else hint = `put a space between the number and the word: \`${num} ${clip(tail)}\``;
  const m = msg("syntax.glued-number", `${code(num + tail)}: a number is glued to the word ${code(tail)}.`, hint);
  return fixed === undefined ? m : replacedBy(m, fixed);
}

export const malformedDate = (image: string, fixed?: string): Msg => {
  const m = msg(
    "syntax.invalid-date",
    `${code(image)} is not a date of the form \`2024-01-15\` or \`2024-01-15T09:30:00Z\`.`,
    fixed ?? "dates are `YYYY-MM-DD`, optionally followed by `THH:MM[:SS]` and `Z` or an offset such as `+02:00`",
  );
  return fixed === undefined ? m : replacedBy(m, fixed);
};

export const notACalendarDate = (image: string): Msg =>
  msg("syntax.invalid-date", `${code(image)} is not a real date or time.`, "check the month, the day (leap years included) and the time");

// ---------------------------------------------------------------------------------------------
// French (and other) spellings, where the parser already failed (french.ts finds them)
// ---------------------------------------------------------------------------------------------

export const keywordSpelling = (written: string, keyword: string): Msg =>
  msg("syntax.keyword-spelling", `Keywords are English: write \`${keyword}\`, not ${code(written)}.`, `\`${keyword}\``);

export const unitSpelling = (written: string, fixed: string): Msg =>
  msg("syntax.unit-spelling", `${code(written)} is not a unit: units are English words, written in full.`, `\`${fixed}\``);

export const spacedNumber = (image: string, fixed: string): Msg =>
  msg("syntax.invalid-number", `${code(image)} is not a number: digits are not grouped with spaces.`, `\`${fixed}\` (or \`${fixed.replace(/\B(?=(\d{3})+$)/g, "_")}\`)`);

export const decimalComma = (image: string, fixed: string): Msg =>
  msg("syntax.invalid-number", `${code(image)} is not a number: the decimal separator is a point.`, `\`${fixed}\``);

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** `03/12/2025`, read day first (as in France), as an ISO date; `fixed` absent when that is no real date. */
export const slashDate = (image: string, fixed?: string): Msg => {
  if (!fixed) return malformedDate(image);
  const [y, m, d] = fixed.split("-").map(Number) as [number, number, number];
  return msg(
    "syntax.invalid-date",
    `${code(image)} is not a date of the language: dates are written \`YYYY-MM-DD\`.`,
    `\`${fixed}\`, reading ${code(image)} day first: ${d} ${MONTHS[m - 1]} ${y}`,
  );
};

export const nullTest = (negated: boolean): Msg =>
  msg(
    "syntax.unexpected-token",
    `The language has no \`null\`: a missing value is tested with \`is not set\`${negated ? ", a present one with `is set`" : ""}.`,
    negated ? "`is set`" : "`is not set`",
  );

// ---------------------------------------------------------------------------------------------
// Structure (reported by the builder)
// ---------------------------------------------------------------------------------------------

export const emptyExpression = (): Msg =>
  msg("syntax.empty", "The rule is empty.", 'write a condition, for example `sector = "santé"`');

export const expectedOperator = (subject: string): Msg =>
  msg(
    "syntax.expected-operator",
    `${code(subject)} is not a condition on its own.`,
    "compare it: `=`, `<`, `between`, `in`… (only a yes/no field, `@segment` or `$param` stands alone)",
  );

export const bareDurationAlias = (alias: string, duration: string): Msg =>
  replacedBy(
    msg(
      "syntax.bare-duration-alias",
      `\`${alias} ${duration}\` reads backwards: \`${alias}\` compares with a date or an instant, not a duration.`,
      `${duration} ago`,
    ),
    `${alias} ${duration} ago`,
  );

export const invalidDurationAmount = (amount: string): Msg =>
  msg(
    "syntax.invalid-duration",
    `A duration counts whole units: ${code(amount)} is not a non-negative whole number.`,
    "for example `6 months` or `90 days`",
  );

export const scorePoints = (image: string): Msg =>
  msg(
    "syntax.score-points",
    `A score line starts with a signed whole number of points, not ${code(image)}.`,
    "for example `+20 if …` or `-30 if …`",
  );

export const invalidPercent = (image: string): Msg =>
  msg("syntax.invalid-percent", `${code(`${image}%`)} is not a share between 0% (excluded) and 100%.`, "for example `top 20%`");

export const decayCollection = (text: string): Msg =>
  msg(
    "syntax.decay-collection",
    `\`per … decaying\` counts the elements of a list field, not ${code(text)}.`,
    "for example `+10 per events where (type = \"webinar\") decaying 50% every 30 days by at`",
  );

export const unknownFunction = (name: string): Msg =>
  msg(
    "syntax.unknown-function",
    `${code(name)} is not an aggregate: the aggregates are \`count\`, \`sum\`, \`avg\`, \`min\` and \`max\`.`,
    "for example `count(purchases where amount > 100) > 3`",
  );

export const clampNotLast = (): Msg =>
  msg("syntax.clamp-position", "`clamp` comes once, as the last line of a score.");

export const emptyDefinition = (kind: string): Msg =>
  msg(
    "syntax.empty-definition",
    `This ${kind} has no lines.`,
    kind === "score"
      ? "add lines such as `+20 if role = \"CEO\"`"
      : kind === "lifecycle"
        ? "add stages, one per line: `awareness`, `evaluation if demoRequested`…"
        : kind === "tiers"
          ? "add lines such as `high if >= 100k` and `low otherwise`"
          : kind === "split"
            ? "add one arm per line with its share, such as `control 10%`, `a 45%`, `b 45%`"
            : "add `recency …`, `frequency …` and `monetary …` lines",
  );

export const tierLineMismatch = (quantiles: boolean): Msg =>
  quantiles
    ? msg("syntax.tier-line", "Quantile tiers take a share per line.", "for example `top 20%`, or `rest otherwise`")
    : msg(
        "syntax.tier-line",
        "Threshold tiers take a test per line.",
        "for example `high if >= 100k`; for shares, write `tiers name by value quantiles:`",
      );

export const rfmMissing = (which: readonly string[]): Msg =>
  msg(
    "syntax.rfm-line",
    `This rfm model has no ${which.map((w) => `\`${w}\``).join(" or ")} line.`,
    `add ${which.map((w) => `\`${w} …\``).join(", ")}`,
  );
export const rfmDuplicate = (which: string): Msg =>
  msg("syntax.rfm-line", `\`${which}\` is given twice in this rfm model.`);

export const tooManyErrors = (shown: number): Msg =>
  msg("syntax.too-many-errors", `More mistakes follow; only the first ${shown} are shown.`, "fix these first");

export const notText = (): Msg => msg("syntax.not-text", "The rule must be text (a string).");

export const internalError = (): Msg =>
  msg("syntax.internal", "The parser failed on this text; please report it with the rule that caused it.");

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

export const sourceTooLong = (length: number, max: number): Msg =>
  msg("limit.source-length", `The text is ${length} characters long; the limit is ${max}.`, "split it, or raise `limits.maxSourceLength`");
export const tooDeep = (max: number): Msg =>
  msg(
    "limit.depth",
    `The rule nests deeper than ${max} levels (parentheses, lists, \`not\`s, quantifiers, aggregates).`,
    "simplify it, or raise `limits.maxDepth`",
  );
export const tooDeepToParse = (): Msg =>
  msg("limit.depth", "The rule nests too deeply to be parsed.", "simplify it, or lower `limits.maxDepth`");
export const listTooLong = (length: number, max: number): Msg =>
  msg("limit.list-length", `This list has ${length} items; the limit is ${max}.`, "use a `$param`, or raise `limits.maxListLength`");
export const tooManyNodes = (max: number): Msg =>
  msg("limit.nodes", `The rule has more than ${max} parts.`, "split it, or raise `limits.maxNodes`");
export const tooManyDefinitions = (max: number): Msg =>
  msg("limit.definitions", `The file has more than ${max} definitions.`, "split it, or raise `limits.maxDefinitions`");

// ---------------------------------------------------------------------------------------------
// Parser errors (chevrotain's recognition errors, reworded)
// ---------------------------------------------------------------------------------------------

/** Describes a token in the author's terms: "`and`", "the number `42`", "the end of the rule". */
export function describe(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return "the end of the text";
  const name = tok.tokenType.name;
  if (name === "LineBreak") return "the end of the line";
  if (name === "DefStart") return "the next definition";
  if (tok.image === "") return describeType(tok.tokenType);
  switch (name) {
    case "StringLit":
      return `the text ${clip(tok.image)}`;
    case "NumberLit":
      return `the number ${code(tok.image)}`;
    case "DateLit":
      return `the date ${code(tok.image)}`;
    default:
      return code(tok.image);
  }
}

/** Describes what a token type stands for: "`)`", "a name", "a number". */
export function describeType(t: TokenType): string {
  switch (t.name) {
    case "Name":
    case "Identifier":
      return "a name";
    case "NumberLit":
      return "a number";
    case "StringLit":
      return "text in double quotes";
    case "DateLit":
      return "a date";
    case "Unit":
      return "a unit (`minutes`, `hours`, `days`, `weeks`, `months` or `years`)";
    case "CompareOp":
      return "a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`)";
    case "AggFn":
      return "`count`, `sum`, `avg`, `min` or `max`";
    case "QuantifierWord":
      return "`any`, `all` or `none`";
    case "RfmWord":
      return "`recency`, `frequency` or `monetary`";
    case "DefKeyword":
      return "`segment`, `score`, `lifecycle`, `tiers`, `rfm`, `channel` or `split`";
    case "RefTok":
      return "`@name`";
    case "ParamTok":
      return "`$name`";
    case "EOF":
      return "the end of the text";
    case "LineBreak":
      return "the end of the line";
    case "DefStart":
      return "a new definition";
    default:
      return typeof t.LABEL === "string" ? t.LABEL : `\`${t.name.toLowerCase()}\``;
  }
}

const after = (prev: IToken | undefined): string =>
  prev && prev.tokenType !== EOF && prev.image !== "" ? ` after ${code(prev.image)}` : "";

const isHardKeyword = (tok: IToken | undefined): boolean => !!tok && HARD_KEYWORDS.has(tok.image.toLowerCase());

const VALUE_HINT =
  'a value is a field, text in double quotes, a number, a date, a duration such as `6 months`, `true`/`false`, a list `[…]`, `$param` or `@name`';

function keywordAsNameHint(tok: IToken | undefined): string | undefined {
  return tok && isHardKeyword(tok) && !/^(and|or|not)$/i.test(tok.image) ? `\`${tok.image}\` is a keyword: write a field of that name in backquotes, \`\`${tok.image}\`\`` : undefined;
}

/** Structured parser message for a mismatched token (`CONSUME` failed). */
export function mismatch(expected: TokenType, actual: IToken, previous: IToken | undefined, rule: string): Msg {
  const found = describe(actual);
  switch (expected.name) {
    case "RParen":
      return msg("syntax.missing-paren", `Expected \`)\`${after(previous)}, found ${found}.`, "every `(` needs a matching `)`");
    case "RBracket":
      if (tokenMatcher(actual, Name) && actual.image !== "") return listItemMsg(actual);
      return msg("syntax.missing-bracket", `Expected \`,\` or \`]\` in the list, found ${found}.`, "a list is written `[\"a\", \"b\"]`");
    case "Colon":
      return msg("syntax.missing-colon", `Expected \`:\`${after(previous)}, found ${found}.`, "a definition starts like `segment name:`");
    case "Name":
      return msg("syntax.expected-name", `Expected a name${after(previous)}, found ${found}.`, keywordAsNameHint(actual));
    case "Unit":
      return msg("syntax.expected-unit", `Expected a unit${after(previous)}, found ${found}.`, "`minutes`, `hours`, `days`, `weeks`, `months` or `years`");
    case "LParen":
      return previous?.tokenType.name === "Where"
        ? msg("syntax.unexpected-token", `Expected \`(\` after \`where\`, found ${found}.`, "the condition goes in parentheses: `any purchases where (amount > 100)`")
        : msg("syntax.unexpected-token", `Expected \`(\`${after(previous)}, found ${found}.`);
    case "EOF":
      // In a rules file the driver turns this into `unexpectedHere` when the token is not the
      // first on its line (chevrotain's `previous` is unreliable after a resync).
      return rule === "rulesFile" ? expectedDefinition(actual) : msg("syntax.unexpected-token", `Did not expect ${found} here.`, redundantHint(actual));
    default:
      return msg("syntax.unexpected-token", `Expected ${describeType(expected)}${after(previous)}, found ${found}.`);
  }
}

/** A token that cannot continue the line it stands on (rules files). */
export const unexpectedHere = (actual: IToken): Msg => msg("syntax.unexpected-token", `Did not expect ${describe(actual)} here.`);

function expectedDefinition(actual: IToken): Msg {
  return msg(
    "syntax.expected-definition",
    `Expected a definition, found ${describe(actual)}.`,
    "a definition starts with `segment name:`, `score name:`, `lifecycle name:`, `tiers name by …:` or `rfm name:`",
  );
}

function redundantHint(tok: IToken): string | undefined {
  const name = tok.tokenType.name;
  if (name === "RParen") return "there is no `(` for this `)` to close";
  if (name === "Not") return "`not` goes before a condition (`not unsubscribed`) or before an operator (`not in`, `not contains`…)";
  if (name === "RBracket") return "there is no `[` for this `]` to close";
  if (name === "Colon") return "a `:` only follows the name of a definition in a rules file";
  return "join conditions with `and` or `or`";
}

function listItemMsg(actual: IToken): Msg {
  return msg(
    "syntax.list-item",
    `A list holds literal values (text, numbers, dates, \`true\`/\`false\`), not ${describe(actual)}.`,
    tokenMatcher(actual, Name) && actual.image !== "" ? `"${clip(actual.image)}"` : undefined,
  );
}

/** Structured parser message when no alternative matches (`OR` failed). */
export function noViableAlt(actual: IToken, previous: IToken | undefined, rule: string): Msg {
  const found = describe(actual);
  switch (previous?.tokenType.name) {
    case "Not":
      if (rule === "negatable" || rule === "predicate") {
        return msg(
          "syntax.unexpected-token",
          `Expected \`in\`, \`between\`, \`contains\`, \`starts with\`, \`ends with\` or \`~=\` after \`not\`, found ${found}.`,
          actual.tokenType.name === "Has" ? "write `not (f has x)`, or `f has none [...]`" : "or put `not` before the whole condition: `not (…)`",
        );
      }
      break;
    case "Is":
      return msg(
        "syntax.unexpected-token",
        `Expected \`set\`, \`empty\` or \`not\` after \`is\`, found ${found}.`,
        /^null$/i.test(actual.image) ? "is not set" : "`is set`, `is not set`, `is empty`, `is not empty`",
      );
    case "Within":
      return msg("syntax.unexpected-token", `Expected \`last\` or \`next\` after \`within\`, found ${found}.`, "`within last 30 days`, `within next 60 days`");
    case "Has":
      return msg("syntax.expected-value", `Expected a value, or \`any\`/\`all\`/\`none\` and a list, after \`has\`, found ${found}.`, 'for example `tech has "X"` or `tech has any ["X", "Y"]`');
  }
  switch (rule) {
    case "operand":
      return msg("syntax.expected-value", `Expected a value${after(previous)}, found ${found}.`, keywordAsNameHint(actual) ?? VALUE_HINT);
    case "listItem":
      return listItemMsg(actual);
    case "term":
      return msg(
        "syntax.expected-condition",
        `Expected a condition${after(previous)}, found ${found}.`,
        keywordAsNameHint(actual) ?? 'for example `sector = "santé"`',
      );
    case "listOrParam":
      return msg("syntax.expected-value", `Expected a list \`[…]\` or a \`$param\`${after(previous)}, found ${found}.`, 'for example `in ["CEO", "CTO"]`');
    case "definition":
    case "rulesFile":
      return expectedDefinition(actual);
    case "scoreLine":
      return msg("syntax.unexpected-token", `Expected \`if\` or \`per\`${after(previous)}, found ${found}.`, "`+20 if …`, `+5 per field max 25`");
    case "scoreItem":
      return msg("syntax.score-points", `A score line starts with signed points or \`clamp\`, not ${found}.`, "`+20 if …`, `-30 if …`, `clamp 0 to 100`");
    case "tierLine":
      return msg("syntax.unexpected-token", `Expected \`if\`, a share such as \`20%\` or \`otherwise\`${after(previous)}, found ${found}.`);
    case "thresholdTest":
      return msg("syntax.unexpected-token", `Expected a comparison such as \`>= 100k\`${after(previous)}, found ${found}.`);
    case "tierValue":
      return msg("syntax.expected-value", `Expected a number, text or \`$param\`${after(previous)}, found ${found}.`);
    case "perTail":
      return msg("syntax.unexpected-token", `Expected \`max\`, \`where\` or \`decaying\`${after(previous)}, found ${found}.`);
    default:
      return msg("syntax.unexpected-token", `Did not expect ${found}${after(previous)}.`);
  }
}

/**
 * chevrotain's message provider. chevrotain only keeps a string, so the structured message travels
 * as JSON and the parser driver decodes it.
 */
export const parserMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, previous, ruleName }) =>
    JSON.stringify(mismatch(expected, actual, previous, ruleName)),
  buildNotAllInputParsedMessage: ({ firstRedundant, ruleName }) =>
    JSON.stringify(
      ruleName === "rulesFile"
        ? expectedDefinition(firstRedundant)
        : msg("syntax.unexpected-token", `Did not expect ${describe(firstRedundant)} here.`, redundantHint(firstRedundant)),
    ),
  buildNoViableAltMessage: ({ actual, previous, ruleName }) =>
    JSON.stringify(noViableAlt(actual[0]!, previous, ruleName)),
  buildEarlyExitMessage: ({ actual, previous, ruleName }) =>
    JSON.stringify(noViableAlt(actual[0]!, previous, ruleName)),
};

/** Decodes what {@link parserMessages} produced (falls back to a generic message). */
export function decodeParserMessage(text: string, actual: IToken | undefined): Msg {
  try {
    const m = JSON.parse(text) as Msg;
    if (typeof m.code === "string" && typeof m.message === "string") return m;
  } catch {
    // fall through
  }
  return msg("syntax.unexpected-token", `Did not expect ${describe(actual)} here.`);
}

/** The hint for a missing `)` when the unclosed `(` is known. */
export const unclosedParenHint = (line: number, column: number): string =>
  `the \`(\` at line ${line}, column ${column} is never closed`;
