/**
 * Finds the `@name` references of a definition (its body, score lines, stage conditions, tier
 * `by`, rfm values), with the AST's own iterative walker.
 * @internal
 */
import type { Definition, RefNode } from "../ast/nodes.js";
import { definitionRoots, forEachNode } from "../ast/walk.js";

/** Every `@name` reference a definition makes, in source order. @internal */
export function definitionRefs(def: Definition): RefNode[] {
  const out: RefNode[] = [];
  for (const root of definitionRoots(def)) {
    forEachNode(root, (node) => {
      if (node.kind === "ref") out.push(node);
    });
  }
  return out;
}
