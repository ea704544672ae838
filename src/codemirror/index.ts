/**
 * `cible(options)`: the CodeMirror 6 extension of a cible editor — highlighting from the lexer's
 * tokens, lint with quick fixes, completion and hover, all from one language service
 * (`cible/language`) built from the host's schema.
 */
import { autocompletion } from "@codemirror/autocomplete";
import type { Extension } from "@codemirror/state";
import { createLanguageService } from "../language.js";
import { cibleCompletionSource } from "./complete.js";
import { highlighting } from "./highlight.js";
import { cibleHover } from "./hover.js";
import { cibleLint } from "./lint.js";
import { type CibleEditorOptions, languageService } from "./service.js";

/** How long lint waits after the last change, in ms (CodeMirror's default is 750). */
const LINT_DELAY = 300;

/**
 * A CodeMirror 6 extension for cible rules (`kind: "rules"`) or a single expression
 * (`kind: "expression"`), checked against the host's zod schema.
 *
 * @param options - `schema` (zod), `kind`, and optionally `params` (parameter types), `now` and
 *   `timeZone` (hovers show the cutoff dates they give).
 * @returns the extension: add it to an `EditorState`'s extensions. To change the options later,
 *   put it in a `Compartment` and reconfigure it.
 * @example
 * ```ts
 * import { EditorView, basicSetup } from "codemirror";
 * import { cible } from "cible/codemirror";
 * new EditorView({
 *   doc: 'segment hot:\n  emailClicks30d >= 2\n',
 *   extensions: [basicSetup, cible({ schema: Contact, kind: "rules" })],
 *   parent: document.querySelector("#editor")!,
 * });
 * ```
 */
export function cible(options: CibleEditorOptions): Extension {
  return [
    languageService.of(createLanguageService(options)),
    highlighting,
    cibleLint(LINT_DELAY),
    autocompletion({ override: [cibleCompletionSource] }),
    cibleHover,
  ];
}

export type { CibleEditorOptions } from "./service.js";
export { cibleCompletionSource } from "./complete.js";
