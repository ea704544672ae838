/**
 * Lint from the language service's `diagnostics`: each diagnostic a CodeMirror diagnostic (its
 * hint after the message, its code as the source), each of its `fixes` a lint action.
 *
 * A fix's edits are offsets into the text that was linted. The action may run after more typing,
 * so it asks the service again for the current text and applies the fix of the same code and
 * title found at the diagnostic's current position: a fix is never applied to the wrong text.
 */
import { type Diagnostic as CmDiagnostic, linter } from "@codemirror/lint";
import type { EditorView } from "@codemirror/view";
import type { Diagnostic, Fix } from "../errors/index.js";
import { type LanguageService, languageService } from "./service.js";

/** The CodeMirror diagnostics of a text, with their fixes as actions. @internal */
export function lintText(ls: LanguageService, text: string): CmDiagnostic[] {
  return ls.diagnostics(text).map((d) => {
    const from = Math.min(d.span.start.offset, text.length);
    const to = Math.min(Math.max(from, d.span.end.offset), text.length);
    return {
      from,
      to,
      severity: d.severity,
      source: d.code,
      message: d.hint ? `${d.message}\n${d.hint}` : d.message,
      actions: (d.fixes ?? []).map((fix) => ({ name: fix.title, apply: (view: EditorView, at: number) => applyFix(view, d.code, fix.title, at) })),
    };
  });
}

/** Applies the fix titled `title` of the diagnostic `code` that now starts at `at`, if it still exists. @internal */
export function applyFix(view: EditorView, code: string, title: string, at: number): boolean {
  const ls = view.state.facet(languageService);
  if (!ls) return false;
  const found = ls.diagnostics(view.state.doc.toString()).find((d: Diagnostic) => d.code === code && d.span.start.offset === at);
  const fix = found?.fixes?.find((f: Fix) => f.title === title);
  if (!fix) return false;
  view.dispatch({
    changes: fix.edits.map((e) => ({ from: e.span.start.offset, to: e.span.end.offset, insert: e.newText })),
    userEvent: "input.fix",
  });
  return true;
}

/** The lint extension (debounced by CodeMirror's linter, `delay` ms after the last change). @internal */
export function cibleLint(delay: number) {
  return linter((view) => {
    const ls = view.state.facet(languageService);
    return ls ? lintText(ls, view.state.doc.toString()) : [];
  }, { delay, needsRefresh: (u) => u.startState.facet(languageService) !== u.state.facet(languageService) });
}
