import type { Diagnostic } from "./diagnostic.js";

/**
 * Renders a diagnostic as the lines a person reads in a terminal:
 *
 * ```text
 * error field.unknown at 1:1: There is no field `sectr`.
 *   1 | sectr = "santé"
 *     | ^^^^^
 *   hint: did you mean `sector`?
 * ```
 *
 * With no `source`, only the first line and the hint are printed.
 *
 * @param diagnostic - the finding to render
 * @param source - the text the span points into, for the code frame
 * @param file - a file name to print before the position
 * @returns the rendered text, without a trailing newline
 *
 * @example
 * ```ts
 * const { diagnostics } = check("sectr = 1", Contact);
 * console.log(diagnostics.map((d) => formatDiagnostic(d, "sectr = 1")).join("\n"));
 * ```
 */
export function formatDiagnostic(diagnostic: Diagnostic, source?: string, file?: string): string {
  const { start, end } = diagnostic.span;
  const where = `${file ? `${file}:` : ""}${start.line}:${start.column}`;
  const out = [`${diagnostic.severity} ${diagnostic.code} at ${where}: ${diagnostic.message}`];
  if (source !== undefined) {
    const lines = source.split("\n");
    const text = (lines[start.line - 1] ?? "").replace(/\r$/, "");
    const gutter = String(start.line);
    const pad = " ".repeat(gutter.length);
    const width =
      end.line === start.line ? Math.max(1, end.column - start.column) : Math.max(1, text.length - start.column + 1);
    out.push(`  ${gutter} | ${text}`);
    out.push(`  ${pad} | ${" ".repeat(Math.max(0, start.column - 1))}${"^".repeat(width)}`);
  }
  if (diagnostic.hint) out.push(`  hint: ${diagnostic.hint}`);
  return out.join("\n");
}
