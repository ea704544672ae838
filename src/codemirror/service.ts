/**
 * The one language service an editor extension talks to: built once from the host's options and
 * shared by highlighting, lint, completion and hover (a facet, so every part reads the same one).
 */
import { Facet } from "@codemirror/state";
import { createLanguageService } from "../language.js";

/** What `createLanguageService` takes: the schema, the kind of text, parameters, `now` and zone. */
export type CibleEditorOptions = Parameters<typeof createLanguageService>[0];

/** The language service behind an editor. @internal */
export type LanguageService = ReturnType<typeof createLanguageService>;

/** The editor's language service (the last one configured wins). @internal */
export const languageService = Facet.define<LanguageService, LanguageService | null>({
  combine: (values) => values[values.length - 1] ?? null,
});
