/**
 * Terminal formatting shared by the subcommands: numbers, shares, aligned tables, text bars and
 * diagnostics with their code frame.
 */
import { type Diagnostic, formatDiagnostic } from "../index.js";
import type { Colors } from "./io.js";

const INTEGER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** `20,000` */
export function int(n: number): string {
  return INTEGER.format(n);
}

/**
 * `12.5`, `1,234.57`, `0.0046`: the display rule of `explainText` (at most two decimals, at least
 * two significant digits below 1), with digit grouping.
 */
export function num(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n !== 0 && Math.abs(n) < 1) return String(Number(n.toPrecision(2)));
  return DECIMAL.format(n);
}

/** `12.3%` (`0%` and `100%` without decimals; `<0.1%` for a share that rounds to nothing). */
export function pct(share: number): string {
  if (share === 0) return "0%";
  if (share === 1) return "100%";
  const p = share * 100;
  if (p < 0.1) return "<0.1%";
  return `${p.toFixed(1)}%`;
}

/** `1 record`, `3 records` */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${int(n)} ${n === 1 ? word : many}`;
}

/** A horizontal bar of `width` cells for `share` (0–1), in eighths of a cell. */
export function bar(share: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  return "█".repeat(full) + (part ? "▏▎▍▌▋▊▉"[part - 1]! : "");
}

/** Visible width of a string (ignores colour escapes; counts each code point as one cell). */
export function width(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, "")].length;
}

export type Align = "left" | "right";

/** Rows as aligned columns, two spaces apart, each line indented by `indent`. */
export function table(rows: readonly (readonly string[])[], align: readonly Align[] = [], indent = "  "): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows
    .map((row) =>
      (
        indent +
        row
          .map((cell, i) => {
            const pad = " ".repeat(widths[i]! - width(cell));
            if (i === row.length - 1 && align[i] !== "right") return cell;
            return align[i] === "right" ? pad + cell : cell + pad;
          })
          .join("  ")
      ).trimEnd(),
    )
    .join("\n");
}

/** A section title. */
export function heading(c: Colors, text: string): string {
  return c.bold(text);
}

/**
 * A diagnostic as `formatDiagnostic` renders it (`file:line:column`, the line, a caret under the
 * span, the hint), coloured: the severity, the carets and the hint.
 */
export function renderDiagnostic(d: Diagnostic, source: string | undefined, file: string | undefined, c: Colors): string {
  const lines = formatDiagnostic(d, source, file).split("\n");
  const paint = d.severity === "error" ? c.red : c.yellow;
  return lines
    .map((line, i) => {
      if (i === 0) {
        const head = `${d.severity} ${d.code}`;
        return line.startsWith(head) ? `${paint(c.bold(d.severity))} ${c.dim(d.code)}${line.slice(head.length)}` : line;
      }
      if (line.startsWith("  hint: ")) return `  ${c.cyan("hint:")} ${line.slice(8)}`;
      const caret = /^(\s+\|\s)(\s*)(\^+)$/.exec(line);
      if (caret) return `${c.dim(caret[1]!)}${caret[2]}${paint(caret[3]!)}`;
      const code = /^(\s+\d+ \| )(.*)$/.exec(line);
      if (code) return `${c.dim(code[1]!)}${code[2]}`;
      return line;
    })
    .join("\n");
}

/** `2 errors and 1 warning`, `no problems` */
export function countProblems(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  if (!errors && !warnings) return "no problems";
  const parts = [];
  if (errors) parts.push(plural(errors, "error"));
  if (warnings) parts.push(plural(warnings, "warning"));
  return parts.join(" and ");
}

/** A duration in ms as `850 ms` or `12.3 s`. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
