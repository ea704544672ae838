/**
 * Where comments go when a document is printed (docs/formatting.md, "Comments"). The printer
 * cuts a document into one-line items; each comment, in source order, lands in one slot: leading
 * comments of an item, its trailing comment, or the end of the document.
 * @internal
 */
import type { Span } from "../errors/diagnostic.js";
import type { Comment } from "./nodes.js";

/** The comments of each item: `leading[i]` above item i, `trailing[i]` after it on its line. @internal */
export interface CommentSlots {
  readonly leading: Comment[][];
  readonly trailing: (Comment | undefined)[];
  readonly end: Comment[];
}

/**
 * Assigns comments to slots from their spans and the items' spans (both in source order).
 * Slot `2i` is "leading of item i", `2i + 1` "trailing of item i", `2n` "end"; a comment's slot is
 * never below the previous comment's, so the order of comments is always kept. Only one comment
 * trails an item; later ones move to the next slot. @internal
 */
export function assignComments(items: readonly Span[], comments: readonly Comment[]): CommentSlots {
  const n = items.length;
  const leading: Comment[][] = items.map(() => []);
  const trailing: (Comment | undefined)[] = items.map(() => undefined);
  const end: Comment[] = [];
  let floor = 0;
  let i = -1; // the last item starting at or before the current comment (comments are in order)
  for (const comment of comments) {
    const at = comment.span.start;
    // Items are in source order, comments too: advance the item cursor, never rewind.
    while (i + 1 < n && items[i + 1]!.start.offset <= at.offset) i++;
    let slot: number;
    if (i < 0) slot = 0;
    else {
      const item = items[i]!;
      slot = at.offset < item.end.offset || at.line === item.end.line ? 2 * i + 1 : 2 * i + 2;
    }
    if (slot < floor) slot = floor;
    if (slot % 2 === 1 && slot < 2 * n && trailing[(slot - 1) / 2] !== undefined) slot++;
    floor = slot;
    if (slot >= 2 * n) end.push(comment);
    else if (slot % 2 === 0) leading[slot / 2]!.push(comment);
    else trailing[(slot - 1) / 2] = comment;
  }
  return { leading, trailing, end };
}

/** The text of a comment line: `#` then its text, with any stray line break flattened. @internal */
export function commentText(comment: Comment): string {
  return `#${comment.text.replace(/[\r\n]/g, " ")}`;
}
