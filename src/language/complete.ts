/**
 * Completion (first cut): fields and condition keywords at the cursor.
 * @internal
 */
import { describeType } from "../schema/model.js";
import { fold } from "../text/unicode.js";
import type { ServiceContext } from "./context.js";
import { T, endOf, is, scan, tokenBefore } from "./scan.js";
import type { CompletionItem, CompletionList } from "./types.js";

export function complete(ctx: ServiceContext, text: string, offset: number): CompletionList {
  const s = scan(text, ctx.rules);
  const i = tokenBefore(s.tokens, offset);
  const t = i >= 0 ? s.tokens[i] : undefined;
  const typing = t && endOf(t) >= offset && is(t, T.Name) ? t : undefined;
  const from = typing ? typing.startOffset : offset;
  const to = typing ? endOf(typing) : offset;
  const prefix = typing ? fold(text.slice(from, offset)) : "";
  const items: CompletionItem[] = [];
  for (const [name, f] of ctx.model.root.fields) items.push({ label: name, kind: "field", detail: describeType(f.type) });
  return { from, to, items: items.filter((it) => fold(it.label).startsWith(prefix)) };
}
