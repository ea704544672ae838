/**
 * Diagnostics are data: a stable `code`, a severity, one sentence in the rules author's terms,
 * the span of text it is about and, where one helps, a hint. Wording is produced next to the
 * pass that detects the problem (see each folder's `messages.ts`); every code is documented in
 * docs/errors.md, and a test keeps the two in step.
 */

/** A place in the source text. `offset` is 0-based (UTF-16 code units); `line` and `column` are 1-based. */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/** A range of source text: `start` inclusive, `end` exclusive. */
export interface Span {
  start: Position;
  end: Position;
}

/** How serious a diagnostic is: errors stop `compile`, warnings never do. */
export type Severity = "error" | "warning";

/** One finding about a rule: what is wrong, where, and how to fix it. */
export interface Diagnostic {
  /** Stable identifier, documented in docs/errors.md (for example `field.unknown`). */
  code: string;
  severity: Severity;
  /** One sentence, in the rules author's terms. */
  message: string;
  span: Span;
  /** What to write instead, where there is a useful suggestion. */
  hint?: string;
  /**
   * Replacements that are certain (a French `6 mois` is `6 months`): applying one fix's edits,
   * in reverse offset order, removes this diagnostic. Absent when there is none.
   */
  fixes?: Fix[];
}

/** One way to repair a diagnostic: a title for a menu, and the text edits to apply together. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** Replace the text of `span` by `newText` (an insertion when the span is empty). */
export interface TextEdit {
  span: Span;
  newText: string;
}

/** The position at offset 0 of a text. @internal */
export const START: Position = Object.freeze({ offset: 0, line: 1, column: 1 });

/** A zero-width span at the start of a text, for findings about the whole input. @internal */
export const WHOLE: Span = Object.freeze({ start: START, end: START });

/** Builds a diagnostic; keeps `hint` absent rather than `undefined` so results compare cleanly. @internal */
export function diagnostic(
  code: string,
  severity: Severity,
  message: string,
  span: Span,
  hint?: string,
): Diagnostic {
  return hint === undefined ? { code, severity, message, span } : { code, severity, message, span, hint };
}

/** Shorthand for an error-severity diagnostic. @internal */
export function error(code: string, message: string, span: Span, hint?: string): Diagnostic {
  return diagnostic(code, "error", message, span, hint);
}

/** Shorthand for a warning-severity diagnostic. @internal */
export function warning(code: string, message: string, span: Span, hint?: string): Diagnostic {
  return diagnostic(code, "warning", message, span, hint);
}

/** The same diagnostic with a fix attached (after the ones it has). @internal */
export function withFix(d: Diagnostic, fix: Fix): Diagnostic {
  return { ...d, fixes: [...(d.fixes ?? []), fix] };
}

/** Applies one fix's edits to `text` (edits must not overlap). @internal */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.span.start.offset - a.span.start.offset);
  let out = text;
  for (const e of edits) out = out.slice(0, e.span.start.offset) + e.newText + out.slice(e.span.end.offset);
  return out;
}

/** True when at least one diagnostic is an error. @internal */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/**
 * Computes the position of `offset` in `text` (1-based line and column, counted in UTF-16 code
 * units like JavaScript string indices). @internal
 */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: end, line, column: end - lineStart + 1 };
}

/** Orders diagnostics by position, then code, so reports are stable. @internal */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.span.start.offset - b.span.start.offset || a.code.localeCompare(b.code),
  );
}
