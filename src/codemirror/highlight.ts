/**
 * Highlighting from the lexer: the language service's `tokens` (the lexer's token kinds) become
 * mark decorations with one class per kind, `cm-cible-<kind>` (`cm-cible-keyword`,
 * `cm-cible-field`, …), recomputed when the text changes. A host theme colours them with those
 * class names; the base theme gives readable defaults for light and dark editors.
 */
import { type Range } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, ViewPlugin, type ViewUpdate } from "@codemirror/view";
import { type LanguageService, languageService } from "./service.js";

const marks = new Map<string, Decoration>();
function markFor(type: string): Decoration {
  let mark = marks.get(type);
  if (!mark) marks.set(type, (mark = Decoration.mark({ class: `cm-cible-${type}` })));
  return mark;
}

/** The decorations of a whole text: one mark per non-empty token, in order. @internal */
export function tokenDecorations(ls: LanguageService, text: string): DecorationSet {
  const ranges: Range<Decoration>[] = [];
  let last = 0;
  for (const t of ls.tokens(text)) {
    const from = t.span.start.offset;
    const to = Math.min(t.span.end.offset, text.length);
    // A set needs sorted, non-overlapping ranges: skip anything out of order rather than throw.
    if (from < last || to <= from) continue;
    ranges.push(markFor(t.type).range(from, to));
    last = to;
  }
  return Decoration.set(ranges);
}

const plugin = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.compute(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged || u.startState.facet(languageService) !== u.state.facet(languageService)) this.decorations = this.compute(u.view);
    }
    compute(view: EditorView): DecorationSet {
      const ls = view.state.facet(languageService);
      return ls ? tokenDecorations(ls, view.state.doc.toString()) : Decoration.none;
    }
  },
  { decorations: (v) => v.decorations },
);

const theme = EditorView.baseTheme({
  "&light .cm-cible-keyword": { color: "#7c3aed", fontWeight: "600" },
  "&light .cm-cible-field": { color: "#1d4ed8" },
  "&light .cm-cible-string": { color: "#15803d" },
  "&light .cm-cible-number, &light .cm-cible-duration, &light .cm-cible-date": { color: "#b45309" },
  "&light .cm-cible-operator": { color: "#be185d" },
  "&light .cm-cible-reference, &light .cm-cible-definition": { color: "#0f766e", fontWeight: "600" },
  "&light .cm-cible-param": { color: "#9333ea", fontStyle: "italic" },
  "&light .cm-cible-comment": { color: "#6b7280", fontStyle: "italic" },
  "&dark .cm-cible-keyword": { color: "#c4b5fd", fontWeight: "600" },
  "&dark .cm-cible-field": { color: "#93c5fd" },
  "&dark .cm-cible-string": { color: "#86efac" },
  "&dark .cm-cible-number, &dark .cm-cible-duration, &dark .cm-cible-date": { color: "#fcd34d" },
  "&dark .cm-cible-operator": { color: "#f9a8d4" },
  "&dark .cm-cible-reference, &dark .cm-cible-definition": { color: "#5eead4", fontWeight: "600" },
  "&dark .cm-cible-param": { color: "#d8b4fe", fontStyle: "italic" },
  "&dark .cm-cible-comment": { color: "#9ca3af", fontStyle: "italic" },
});

/** Token highlighting (plugin and base theme). @internal */
export const highlighting = [plugin, theme];
