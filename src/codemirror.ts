/**
 * `cible/codemirror`: a CodeMirror 6 extension for cible rules — highlighting, lint with quick
 * fixes, completion and hover from `cible/language`. The `@codemirror/*` packages are optional
 * peer dependencies: only hosts that import this entry need them.
 *
 * @packageDocumentation
 */
export { cible, cibleCompletionSource } from "./codemirror/index.js";
export type { CibleEditorOptions } from "./codemirror/index.js";
