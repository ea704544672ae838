/**
 * The syntax layer: source text → JSON AST (ast/nodes.ts) and diagnostics.
 *
 * Pipeline: source-length limit → lexer + literal checks (literals.ts) → layout of rules files
 * (virtual `DefStart`/`LineBreak` tokens, layout.ts) → nesting depth on the tokens (limit.depth,
 * before any recursion) → one reused chevrotain parser with error recovery (grammar.ts) whose
 * actions build the AST (build.ts). All wording lives in messages.ts.
 *
 * Neither function throws for any input string; only invalid `limits` throw (a RangeError).
 */
import type { IRecognitionException, IToken } from "chevrotain";
import { type Diagnostic, type Span, hasErrors, sortDiagnostics } from "../errors/diagnostic.js";
import type { ExpressionDocument, RulesDocument } from "../ast/nodes.js";
import { type Limits, resolveLimits } from "../ast/limits.js";
import { SourceText } from "./source.js";
import { lex } from "./literals.js";
import { layoutRules, measureDepth, type DepthReport } from "./layout.js";
import { CibleParser, TooManyErrors } from "./grammar.js";
import { Builder } from "./build.js";
import { frenchHints } from "./french.js";
import * as M from "./messages.js";
import { tokenBefore } from "./tokens.js";

/** Options of {@link parseExpression} and {@link parseRules}. */
export interface ParseOptions {
  /** Overrides of the default limits (validated: a limit that is not a positive integer throws a RangeError). */
  readonly limits?: Partial<Limits>;
}

/** What {@link parseExpression} returns: `doc` only when there is no error-severity diagnostic. */
export interface ParseExpressionResult {
  readonly doc?: ExpressionDocument;
  readonly diagnostics: Diagnostic[];
}

/** What {@link parseRules} returns: `doc` only when there is no error-severity diagnostic. */
export interface ParseRulesResult {
  readonly doc?: RulesDocument;
  readonly diagnostics: Diagnostic[];
}

let parserInstance: CibleParser | undefined;

/** The one parser, built on first use (building it analyses the grammar: a few milliseconds). @internal */
export function getParser(): CibleParser {
  return (parserInstance ??= new CibleParser());
}

type Mode = "expression" | "rules";

/**
 * Parses one expression (a boolean rule over one record).
 *
 * @param source - the rule's text
 * @param options - `limits` overrides
 * @returns `{ doc, diagnostics }`; `doc` is present only when there is no error
 * @throws RangeError when a limit in `options.limits` is not a positive integer (never for bad rules)
 *
 * @example
 * ```ts
 * const { doc, diagnostics } = parseExpression('sector = "santé" and lastPurchase < 6 months');
 * doc?.body.kind; // "and"
 * ```
 */
export function parseExpression(source: string, options?: ParseOptions): ParseExpressionResult {
  const limits = resolveLimits(options?.limits);
  const r = run(source, limits, "expression");
  return r.doc ? { doc: r.doc as ExpressionDocument, diagnostics: r.diagnostics } : { diagnostics: r.diagnostics };
}

/**
 * Parses a rules file (segments, scores, lifecycles, tiers, rfm models).
 *
 * @param source - the file's text
 * @param options - `limits` overrides
 * @returns `{ doc, diagnostics }`; `doc` is present only when there is no error
 * @throws RangeError when a limit in `options.limits` is not a positive integer (never for bad rules)
 *
 * @example
 * ```ts
 * const { doc } = parseRules('segment decideurs:\n  role in ["CEO", "CTO"]');
 * doc?.definitions[0]?.kind; // "segment"
 * ```
 */
export function parseRules(source: string, options?: ParseOptions): ParseRulesResult {
  const limits = resolveLimits(options?.limits);
  const r = run(source, limits, "rules");
  return r.doc ? { doc: r.doc as RulesDocument, diagnostics: r.diagnostics } : { diagnostics: r.diagnostics };
}

function run(source: string, limits: Limits, mode: Mode): { doc?: ExpressionDocument | RulesDocument; diagnostics: Diagnostic[] } {
  if (typeof source !== "string") {
    return { diagnostics: [M.diag(M.notText(), new SourceText("").span(0, 0))] };
  }
  if (source.length > limits.maxSourceLength) {
    const src = new SourceText(source);
    return { diagnostics: [M.diag(M.sourceTooLong(source.length, limits.maxSourceLength), src.span(limits.maxSourceLength, source.length))] };
  }
  const parser = getParser();
  const src = new SourceText(source);
  try {
    return parse(parser, src, limits, mode);
  } catch (e) {
    const m = e instanceof RangeError ? M.tooDeepToParse() : M.internalError();
    return { diagnostics: [M.diag(m, src.span(0, 0))] };
  } finally {
    parser.input = [];
    parser.b = undefined as unknown as Builder;
  }
}

function parse(parser: CibleParser, src: SourceText, limits: Limits, mode: Mode) {
  const lexed = lex(src);
  const diagnostics = lexed.diagnostics;
  const tokens = mode === "rules" ? layoutRules(lexed.tokens, src) : lexed.tokens;

  const depth = measureDepth(tokens, limits.maxDepth);
  if (depth.tooDeep) {
    const t = depth.tooDeep;
    diagnostics.push(M.diag(M.tooDeep(limits.maxDepth), src.span(t.startOffset, t.endOffset! + 1)));
    return { diagnostics: capped(src, sortDiagnostics(diagnostics)) };
  }
  if (mode === "expression" && tokens.length === 0) {
    diagnostics.push(M.diag(M.emptyExpression(), src.span(src.text.length, src.text.length)));
    return { diagnostics: capped(src, sortDiagnostics(diagnostics)) };
  }

  if (diagnostics.length > MAX_DIAGNOSTICS) return { diagnostics: capped(src, sortDiagnostics(diagnostics)) };

  const b = new Builder(src, limits);
  parser.b = b;
  parser.input = tokens;
  parser.errorCount = 0;
  let doc: ExpressionDocument | RulesDocument | undefined;
  try {
    doc =
      mode === "expression"
        ? b.expressionDoc(parser.expression(), lexed.comments)
        : b.rulesDoc(parser.rulesFile(), lexed.comments);
  } catch (e) {
    if (!(e instanceof TooManyErrors)) throw e;
  }

  // One diagnostic per place: what comes after the first (lexer, then parser, then builder) is cascade.
  const seen = new Set<number>(diagnostics.map((d) => d.span.start.offset));
  const add = (d: Diagnostic) => {
    if (seen.has(d.span.start.offset)) return;
    seen.add(d.span.start.offset);
    diagnostics.push(d);
  };
  // A parse error right after characters the lexer dropped is their consequence: skip it.
  const dropped = lexed.diagnostics.filter((d) => d.code === "syntax.unknown-character").map((d) => d.span.start.offset);
  for (const e of parser.errors) {
    const span = errorSpan(src, e);
    if (dropped.length > 0 && followsDropped(dropped, tokens, e.token, span.start.offset)) continue;
    let m = M.decodeParserMessage(e.message, e.token);
    if (m.code === "syntax.expected-definition" && !firstOnItsLine(src, tokens, e.token)) m = M.unexpectedHere(e.token);
    if (m.code === "syntax.missing-paren") m = withUnclosedHint(m, depth, src, span);
    add(M.diag(m, span));
  }
  for (const d of b.diagnostics) add(d);
  const sorted = capped(src, sortDiagnostics(frenchHints(diagnostics, tokens, src)));
  return hasErrors(sorted) || !doc ? { diagnostics: sorted } : { doc, diagnostics: sorted };
}

/** Most diagnostics reported for one text: past this, the rest is noise (and time). */
const MAX_DIAGNOSTICS = 100;

/** Keeps the first {@link MAX_DIAGNOSTICS} and says how many more there were. */
function capped(src: SourceText, sorted: Diagnostic[]): Diagnostic[] {
  if (sorted.length <= MAX_DIAGNOSTICS) return sorted;
  const kept = sorted.slice(0, MAX_DIAGNOSTICS);
  const at = kept[kept.length - 1]!.span.start.offset;
  kept.push(M.diag(M.tooManyErrors(MAX_DIAGNOSTICS), src.span(at, at)));
  return kept;
}

/** The span of a parse error: the offending token, or just after the last real token for the end of the text or of a line. */
function errorSpan(src: SourceText, e: IRecognitionException): Span {
  const tok = e.token;
  if (tok && tok.image !== "" && !Number.isNaN(tok.startOffset)) return src.span(tok.startOffset, tok.endOffset! + 1);
  const prev = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
  if (prev && prev.image !== "" && !Number.isNaN(prev.endOffset!)) return src.span(prev.endOffset! + 1, prev.endOffset! + 1);
  const at = tok && !Number.isNaN(tok.startOffset) ? tok.startOffset : src.text.length;
  return src.span(at, at);
}

/** True when no real token precedes `tok` on its line. */
function firstOnItsLine(src: SourceText, tokens: IToken[], tok: IToken | undefined): boolean {
  if (!tok || tok.image === "" || Number.isNaN(tok.startOffset)) return true;
  const i = lastRealBefore(tokens, tok.startOffset);
  return i < 0 || src.lineOf(tokens[i]!.startOffset) < src.lineOf(tok.startOffset);
}

/** Index of the last real (non-virtual) token starting before `offset`, or -1. */
function lastRealBefore(tokens: IToken[], offset: number): number {
  let i = tokenBefore(tokens, offset);
  while (i >= 0 && tokens[i]!.image === "") i--;
  return i;
}

/**
 * True when a dropped character lies between the error's token and the real token before it.
 * `dropped` and `tokens` are in source order (binary searches: garbage input may have many errors).
 */
function followsDropped(dropped: number[], tokens: IToken[], tok: IToken | undefined, at: number): boolean {
  const start = tok && tok.image !== "" && !Number.isNaN(tok.startOffset) ? tok.startOffset : at + 1;
  const i = lastRealBefore(tokens, start);
  const prevEnd = i >= 0 ? tokens[i]!.startOffset + tokens[i]!.image.length : 0;
  // the first dropped offset at or after prevEnd
  let l = 0;
  let h = dropped.length;
  while (l < h) {
    const m = (l + h) >> 1;
    if (dropped[m]! < prevEnd) l = m + 1;
    else h = m;
  }
  return l < dropped.length && dropped[l]! < start;
}

function withUnclosedHint(m: M.Msg, depth: DepthReport, src: SourceText, span: Span): M.Msg {
  let open: IToken | undefined;
  for (const t of depth.unclosed) if (t.startOffset < span.start.offset) open = t;
  if (!open) return m;
  const p = src.position(open.startOffset);
  return { ...m, hint: M.unclosedParenHint(p.line, p.column) };
}
