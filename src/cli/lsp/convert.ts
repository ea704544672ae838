/**
 * From the language service's shapes to the Language Server Protocol's. Both count offsets in
 * UTF-16 code units (the protocol's default position encoding), so a span maps to a range through
 * the document's own line table, with no re-encoding.
 */
import type { TextDocument } from "vscode-languageserver-textdocument";
import {
  CompletionItemKind,
  DiagnosticSeverity,
  InsertTextFormat,
  SymbolKind,
  type CompletionItem as LspCompletionItem,
  type CompletionList as LspCompletionList,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol as LspDocumentSymbol,
  type Range,
} from "vscode-languageserver/node";
import type { Diagnostic, Span } from "../../index.js";
import type { CompletionItem, CompletionList, DocumentSymbol, SemanticToken } from "../../language.js";

/** The LSP range of a span of `doc`'s text. */
export function rangeOf(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start.offset), end: doc.positionAt(span.end.offset) };
}

/** A cible diagnostic as the protocol shows it: the hint on a second line of the message. */
export function toLspDiagnostic(doc: TextDocument, d: Diagnostic): LspDiagnostic {
  return {
    range: rangeOf(doc, d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: "cible",
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
  };
}

const COMPLETION_KINDS: Record<CompletionItem["kind"], CompletionItemKind> = {
  field: CompletionItemKind.Field,
  value: CompletionItemKind.Value,
  operator: CompletionItemKind.Operator,
  keyword: CompletionItemKind.Keyword,
  unit: CompletionItemKind.Unit,
  reference: CompletionItemKind.Reference,
  param: CompletionItemKind.Variable,
  snippet: CompletionItemKind.Snippet,
};

/**
 * A completion list for the protocol. Every item replaces the service's `from..to` with plain text.
 * The service has already chosen and ordered the items (matching accents and case loosely: `sant`
 * offers `"santé"`), so each item's `filterText` is the text typed so far and its `sortText` its
 * rank: the editor's own filter keeps them all, in the service's order. The list is incomplete, so
 * the editor asks again as the word grows instead of filtering a stale list with its own rules.
 */
export function toLspCompletions(doc: TextDocument, list: CompletionList, offset: number): LspCompletionList {
  const text = doc.getText();
  const range = { start: doc.positionAt(list.from), end: doc.positionAt(list.to) };
  const typed = text.slice(list.from, Math.max(list.from, Math.min(offset, list.to)));
  const width = String(list.items.length).length;
  const items = list.items.map((item, i): LspCompletionItem => {
    const out: LspCompletionItem = {
      label: item.label,
      kind: COMPLETION_KINDS[item.kind],
      textEdit: { range, newText: item.insertText ?? item.label },
      insertTextFormat: InsertTextFormat.PlainText,
      filterText: typed === "" ? item.label : typed,
      sortText: String(i).padStart(width, "0"),
    };
    if (item.detail !== undefined) out.detail = item.detail;
    if (item.documentation !== undefined) out.documentation = { kind: "markdown", value: item.documentation };
    return out;
  });
  return { isIncomplete: true, items };
}

const SYMBOL_KINDS: Record<DocumentSymbol["kind"], SymbolKind> = {
  segment: SymbolKind.Class,
  score: SymbolKind.Number,
  lifecycle: SymbolKind.Enum,
  tiers: SymbolKind.Enum,
  rfm: SymbolKind.Struct,
  channel: SymbolKind.Event,
  split: SymbolKind.Array,
};

/** A definition of a rules file as an outline entry (its kind word as detail). */
export function toLspSymbol(doc: TextDocument, s: DocumentSymbol): LspDocumentSymbol {
  return { name: s.name, detail: s.kind, kind: SYMBOL_KINDS[s.kind], range: rangeOf(doc, s.span), selectionRange: rangeOf(doc, s.nameSpan) };
}

/** True when two ranges overlap or touch (a cursor at a diagnostic's edge still gets its fixes). */
export function touches(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * The semantic token legend: the service's classes on the protocol's standard types (so every
 * theme colours them). Durations and dates are numbers; punctuation is left to the TextMate grammar.
 */
export const SEMANTIC_LEGEND = { tokenTypes: ["keyword", "property", "string", "number", "operator", "function", "parameter", "comment"], tokenModifiers: ["declaration"] };

const SEMANTIC_TYPE: Record<SemanticToken["type"], number | undefined> = {
  keyword: 0,
  field: 1,
  string: 2,
  number: 3,
  duration: 3,
  date: 3,
  operator: 4,
  reference: 5,
  definition: 5,
  param: 6,
  comment: 7,
  punctuation: undefined,
};

/**
 * The service's tokens in the protocol's relative encoding (line delta, start delta, length, type,
 * modifiers). A definition's name is a `function` with the `declaration` modifier, an `@reference`
 * the same `function` without it. A token never spans lines (strings and comments end with theirs).
 */
export function toSemanticTokens(doc: TextDocument, tokens: readonly SemanticToken[]): number[] {
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of tokens) {
    const type = SEMANTIC_TYPE[t.type];
    if (type === undefined) continue;
    const start = doc.positionAt(t.span.start.offset);
    const end = doc.positionAt(t.span.end.offset);
    if (end.line !== start.line || end.character <= start.character) continue;
    data.push(start.line - line, start.line === line ? start.character - char : start.character, end.character - start.character, type, t.type === "definition" ? 1 : 0);
    line = start.line;
    char = start.character;
  }
  return data;
}
