/**
 * `cible/language`: a language service for editors (completion, hover, diagnostics with fixes,
 * semantic tokens, outline, go to definition, formatting), independent of any editor. No DOM, no
 * Node-only API: it runs in a browser and in a language server alike. See docs/editor.md.
 *
 * @packageDocumentation
 */
export { createLanguageService } from "./language/index.js";
export type {
  CompletionItem,
  CompletionKind,
  CompletionList,
  DeclaredParamType,
  DocumentSymbol,
  Hover,
  LanguageService,
  LanguageServiceOptions,
  SemanticToken,
  SymbolKind,
  TokenType,
} from "./language/types.js";
export type { Diagnostic, Fix, Position, Span, TextEdit } from "./errors/diagnostic.js";
