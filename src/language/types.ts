/**
 * The shapes of the language service (API.md, "Language service"): what an editor asks and what
 * it gets back. Offsets are UTF-16 indices into the source, as in `Diagnostic.span`.
 */
import type * as z4 from "zod/v4/core";
import type { Diagnostic, Span } from "../errors/diagnostic.js";

/** What a completion item stands for; editors pick an icon from it. */
export type CompletionKind = "field" | "value" | "operator" | "keyword" | "unit" | "reference" | "param" | "snippet";

/**
 * One completion. It is applied by replacing `from..to` of the {@link CompletionList} with
 * `insertText ?? label`; `insertText` is plain text (no snippet syntax), so editors without
 * snippet support insert it as is.
 */
export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line: a field's type, an operator's meaning, a value's field. */
  detail?: string;
  /** Longer text (markdown): a field's zod description. */
  documentation?: string;
  insertText?: string;
}

/** The answer of `complete`: the range the items replace, and the items, best first. */
export interface CompletionList {
  from: number;
  to: number;
  items: CompletionItem[];
}

/** The answer of `hover`: the text (markdown) and the span it is about. */
export interface Hover {
  span: Span;
  markdown: string;
}

/** The class of a token for semantic highlighting. */
export type TokenType =
  | "keyword"
  | "field"
  | "string"
  | "number"
  | "duration"
  | "date"
  | "operator"
  | "reference"
  | "param"
  | "comment"
  | "definition"
  | "punctuation";

/** One highlighted token. */
export interface SemanticToken {
  span: Span;
  type: TokenType;
}

/** The kind of a definition of a rules file. */
export type SymbolKind = "segment" | "score" | "lifecycle" | "tiers" | "rfm" | "channel" | "split";

/** One definition of a rules file: its whole text (`span`) and its name (`nameSpan`). */
export interface DocumentSymbol {
  name: string;
  kind: SymbolKind;
  span: Span;
  nameSpan: Span;
}

/** The type a host declares for a `$param` (as `cible` infers them). */
export type DeclaredParamType = "string" | "number" | "boolean" | "date" | "duration" | `${"string" | "number" | "boolean" | "date"}[]`;

/** Options of `createLanguageService`. */
export interface LanguageServiceOptions {
  /** The zod object schema of the records. */
  schema: z4.$ZodType;
  /** An expression (one rule) or a rules file (`*.cible`). */
  kind: "expression" | "rules";
  /** Parameters the host will bind, offered in completion (`$minEmployees`) with their type, and checked against the rule's use (`diagnostics`). */
  params?: Readonly<Record<string, DeclaredParamType | string>>;
  /** The instant hovers show cutoffs for (default: the instant of each hover). */
  now?: Date | string | number;
  /** The time zone of those cutoffs (default `UTC`). */
  timeZone?: string;
}

/** What `createLanguageService` returns. No method throws for any input text. */
export interface LanguageService {
  /**
   * The same diagnostics as `check` / `checkRules`, with machine-applicable fixes; with `params`,
   * also `param.missing` (a warning: a `$name` not declared) and `param.type` (a declared type the
   * rule cannot use) at the first use of each parameter.
   */
  diagnostics(source: string): Diagnostic[];
  /** What may be typed at `offset`. */
  complete(source: string, offset: number): CompletionList;
  /** What the thing at `offset` is, or null. */
  hover(source: string, offset: number): Hover | null;
  /** Every token with its highlighting class, in source order. */
  tokens(source: string): SemanticToken[];
  /** The definitions of a rules file (none for an expression). */
  symbols(source: string): DocumentSymbol[];
  /** Where the `@name` at `offset` is defined, or null. */
  definition(source: string, offset: number): Span | null;
  /** The canonical text (`format`); the source unchanged when it has syntax errors. */
  format(source: string): string;
}
