export * from "./diagnostic.js";
export { formatDiagnostic } from "./frame.js";
export { CibleError } from "./cible-error.js";
