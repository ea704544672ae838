/**
 * The one language service an editor extension talks to: built once from the host's options and
 * shared by highlighting, lint, completion and hover (a facet, so every part reads the same one).
 */
import { Facet } from "@codemirror/state";
import type { LanguageService, LanguageServiceOptions } from "../language.js";

/** The options of {@link cible}: those of `createLanguageService` (schema, kind, params, now, timeZone). */
export type CibleEditorOptions = LanguageServiceOptions;
export type { LanguageService };

/** The editor's language service (the last one configured wins). @internal */
export const languageService = Facet.define<LanguageService, LanguageService | null>({
  combine: (values) => values[values.length - 1] ?? null,
});
