/**
 * Rendering explanations as text.
 */
import type { Explanation } from "./types.js";
import { dateTime } from "./dates.js";

const MARK = { true: "✓", false: "✗", null: "?" } as const;

/**
 * A number as people read it in explanations (`explainText`, the CLI): at most two decimals
 * (`61.215510183208906` → `61.22`), and at least two significant digits below 1 (`0.0042`), so
 * that a small value does not read as 0. Integers, ±Infinity and NaN are shown as they are. The
 * explanation objects (and the CLI's JSON) keep the exact number.
 *
 * @example
 * ```ts
 * displayNumber(61.215510183208906); // "61.22"
 * displayNumber(0.004567);           // "0.0046"
 * displayNumber(1500);               // "1500"
 * ```
 * @internal
 */
export function displayNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  const r = a >= 1 ? Math.round(n * 100) / 100 : Number(n.toPrecision(2));
  return String(Object.is(r, -0) ? 0 : r);
}

/**
 * A value read from a record, for one line of `explainText`. Calls nothing the value could
 * intercept to tell what it is (`typeof`, `Array.isArray`, `Date.prototype.getTime` on the object
 * itself); reading a Proxy array's items may run its traps, and a throw shows the value as
 * `unreadable`.
 */
function show(v: unknown, depth = 0): string {
  try {
    return showValue(v, depth);
  } catch {
    return "unreadable";
  }
}

function showValue(v: unknown, depth: number): string {
  if (v === undefined) return "not set";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === "number") return displayNumber(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v !== "object") return typeof v;
  if (Array.isArray(v)) {
    const n: number = v.length;
    if (depth > 0) return `[${n} items]`;
    const items: string[] = [];
    for (let i = 0; i < Math.min(n, 5); i++) items.push(show(v[i], depth + 1));
    if (n > 5) items.push(`… ${n - 5} more`);
    return `[${items.join(", ")}]`;
  }
  if (isDate(v)) {
    const t = dateTime(v);
    return t === t ? new Date(t).toISOString() : "Invalid Date";
  }
  return "{…}";
}

const getTime = Date.prototype.getTime;

/** True for a `Date` (valid or not), told without calling anything the object could intercept. */
function isDate(v: object): boolean {
  try {
    getTime.call(v as Date);
    return true;
  } catch {
    return false;
  }
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
