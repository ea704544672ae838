/**
 * Rendering explanations as text.
 */
import type { Explanation } from "./types.js";

const MARK = { true: "✓", false: "✗", null: "?" } as const;

function show(v: unknown, depth = 0): string {
  if (v === undefined) return "not set";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "boolean") return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (Array.isArray(v)) {
    if (depth > 0) return `[${v.length} items]`;
    const items = v.slice(0, 5).map((x) => show(x, depth + 1));
    if (v.length > 5) items.push(`… ${v.length - 5} more`);
    return `[${items.join(", ")}]`;
  }
  if (typeof v === "object") return "{…}";
  return typeof v;
}

/**
 * Renders an explanation as an indented tree, one line per node: `✓` (true), `✗` (false) or
 * `?` (unknown), the node's canonical text and, when the node read a value from the record, that
 * value (`(sector: "santé")`). Children are indented by two spaces.
 *
 * @param e - an explanation from `segment.explain(record, ctx)`
 * @returns the text, lines separated by `\n`, no final newline
 *
 * @example
 * ```ts
 * console.log(explainText(seg.explain({ sector: "santé", lastPurchase: null, tech: ["X"] })));
 * // ? sector = "santé" and lastPurchase < 6 months and tech has "X"
 * //   ✓ sector = "santé"   (sector: "santé")
 * //   ? lastPurchase < 6 months   (lastPurchase: null)
 * //   ✓ tech has "X"   (tech: ["X"])
 * ```
 */
export function explainText(e: Explanation): string {
  const lines: string[] = [];
  // An explicit stack: explanation trees are as deep as the rule (bounded), but stay iterative.
  const stack: [Explanation, number][] = [[e, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    let line = `${"  ".repeat(depth)}${MARK[String(node.result) as "true" | "false" | "null"] ?? "?"} ${node.text}`;
    if ("value" in node || node.subject !== undefined) {
      line += node.subject !== undefined ? `   (${node.subject}: ${show(node.value)})` : `   (${show(node.value)})`;
    }
    lines.push(line);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, depth + 1]);
  }
  return lines.join("\n");
}
