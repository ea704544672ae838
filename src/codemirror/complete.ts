/**
 * Autocompletion from the language service's `complete`: its items become CodeMirror
 * completions that replace `from..to` with `insertText ?? label`, as the service defines.
 *
 * The service already filters and orders its items for the text before the cursor, so
 * CodeMirror's own fuzzy filter is turned off (it would compare the typed `"sa` with the label
 * `santé` and drop it). While typing, the list opens only where a word, a quote, `@` or `$` is
 * being typed; Ctrl-Space opens it anywhere.
 */
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from "@codemirror/autocomplete";
import { languageService } from "./service.js";

/** CodeMirror's icon class for each kind of item (`cm-completionIcon-<type>`). */
const ICON: Record<string, string> = {
  field: "property",
  value: "enum",
  operator: "keyword",
  keyword: "keyword",
  unit: "constant",
  reference: "variable",
  param: "variable",
  snippet: "text",
};

/**
 * The completion source of a cible editor: reads the editor's language service.
 *
 * @example
 * ```ts
 * import { autocompletion } from "@codemirror/autocomplete";
 * autocompletion({ override: [cibleCompletionSource] }); // cible() already installs it
 * ```
 */
export const cibleCompletionSource: CompletionSource = (context: CompletionContext): CompletionResult | null => {
  const ls = context.state.facet(languageService);
  if (!ls) return null;
  const text = context.state.doc.toString();
  const before = context.matchBefore(/[\p{L}\p{N}_.@$"-]+$/u);
  if (!context.explicit && !before) return null;
  const result = ls.complete(text, context.pos);
  if (!result || result.items.length === 0) return null;
  const options: Completion[] = result.items.map((item, i) => ({
    label: item.label,
    type: ICON[item.kind] ?? item.kind,
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { info: item.documentation } : {}),
    ...(item.insertText !== undefined && item.insertText !== item.label ? { apply: item.insertText } : {}),
    // Keep the service's order: CodeMirror sorts by boost when it does not filter.
    boost: 99 - Math.min(198, i),
  }));
  return { from: result.from, to: result.to, options, filter: false };
};
