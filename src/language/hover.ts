/**
 * Hover (first cut): a top-level field's type.
 * @internal
 */
import { describeType } from "../schema/model.js";
import type { ServiceContext } from "./context.js";
import { T, endOf, is, scan, tokenAt } from "./scan.js";
import type { Hover } from "./types.js";

export function hover(ctx: ServiceContext, text: string, offset: number): Hover | null {
  const s = scan(text, ctx.rules);
  const i = tokenAt(s.tokens, offset);
  const t = i < 0 ? undefined : s.tokens[i]!;
  if (!t || !is(t, T.Name)) return null;
  const f = ctx.model.root.fields.get(t.image);
  if (!f) return null;
  return { span: s.src.span(t.startOffset, endOf(t)), markdown: `**${f.name}**: ${describeType(f.type)}${f.nullable || f.optional ? ", may be missing" : ""}` };
}
