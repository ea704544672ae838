/**
 * Hints for mistakes the checker sees as something else, attached after the check (the check
 * itself is unchanged; only diagnostics it already reports get a better message, hint or fix):
 *
 * - `city = null`, `city != null`: the checker reports an unknown field `null`; the language
 *   has no `null`, so say `is not set` / `is set` (with a fix);
 * - `sector = santé`: an unknown field whose name is a value of the enum it is compared with
 *   (NFC, case as written): say to quote it (with a fix);
 * - an unknown value of an ordered enum (or of a lifecycle's stages): list the values in order.
 * @internal
 */
import type { AnyNode, ExprNode, ValueNode } from "../ast/nodes.js";
import { printNode } from "../ast/printer.js";
import { forEachNode } from "../ast/walk.js";
import { type Diagnostic, type Span, withFix } from "../errors/diagnostic.js";
import { nfc } from "../text/unicode.js";
import type { Facts } from "./facts.js";
import { CHECK_CODES as C, H, M } from "./messages.js";

const spanOf = (from: Span, to: Span): Span => ({ start: from.end, end: to.end });

/** The checker's diagnostics, with the hints above where they apply. */
export function withHints(body: ExprNode, facts: Facts, diagnostics: Diagnostic[]): Diagnostic[] {
  if (!diagnostics.some((d) => d.code === C.fieldUnknown || d.code === C.enumUnknownValue || d.code === C.refUnknownValue)) {
    return diagnostics;
  }
  const bySpan = new Map<string, number>();
  diagnostics.forEach((d, i) => bySpan.set(`${d.code}@${d.span.start.offset}-${d.span.end.offset}`, i));
  const out = [...diagnostics];
  const find = (code: string, node: AnyNode): number | undefined => bySpan.get(`${code}@${node.span.start.offset}-${node.span.end.offset}`);

  forEachNode(body, (node) => {
    if (node.kind === "compare") {
      pair(node.left, node.right, node.op, node);
      pair(node.right, node.left, node.op, node);
    } else if (node.kind === "in" && node.list.kind === "list") {
      for (const item of node.list.items) pair(node.subject, item, "in", node);
    }
  });
  return out;

  /** `subject op value`: a hint for `value` when the checker found fault with it. */
  function pair(subject: ValueNode, value: ValueNode, op: string, node: ExprNode): void {
    if (value.kind === "field" && value.path.length === 1) {
      const i = find(C.fieldUnknown, value);
      if (i === undefined) return;
      const name = value.path[0]!;
      if (/^null$/i.test(name) && (op === "=" || op === "!=") && node.kind === "compare" && node.right === value) {
        const negated = op === "!=";
        const w = M.nullValue(printNode(subject), negated);
        // The one fix: a did-you-mean the checker offered for the name `null` would be wrong.
        out[i] = withFix({ ...out[i]!, message: w.message, hint: w.hint!, fixes: [] }, {
          title: `Write \`is ${negated ? "" : "not "}set\``,
          edits: [{ span: spanOf(subject.span, value.span), newText: ` is ${negated ? "" : "not "}set` }],
        });
        return;
      }
      const t = facts.value(subject)?.type;
      if (t?.kind !== "enum") return;
      const word = nfc(name);
      const hit = t.values.find((v) => nfc(v) === word);
      const shown = printNode(subject);
      if (hit !== undefined) {
        const w = M.bareValue(name, shown, hit);
        out[i] = withFix({ ...out[i]!, message: w.message, hint: w.hint!, fixes: [] }, {
          title: `Write ${JSON.stringify(hit)}`,
          edits: [{ span: value.span, newText: JSON.stringify(hit) }],
        });
      } else if (t.ordered) {
        out[i] = { ...out[i]!, hint: H.inOrder(shown, t.values, t.origin === "lifecycle") };
      }
      return;
    }
    if (value.kind === "string") {
      const i = find(C.enumUnknownValue, value) ?? find(C.refUnknownValue, value);
      const t = i === undefined ? undefined : facts.value(subject)?.type;
      if (i === undefined || t?.kind !== "enum" || !t.ordered) return;
      const order = H.inOrder(printNode(subject), t.values, t.origin === "lifecycle");
      const d = out[i]!;
      out[i] = { ...d, hint: d.hint && !d.hint.startsWith("the ") ? `${d.hint}; ${order}` : order };
    }
  }
}
