/**
 * The compiled segment of API.md: test, evaluate, filter, explain.
 */
import type { ExpressionDocument } from "../ast/nodes.js";
import { printExpression } from "../ast/printer.js";
import type { CheckResult } from "../check/types.js";
import type { SchemaModel } from "../schema/model.js";
import { compileBool } from "./expr.js";
import type { CompileOptions } from "./operand.js";
import { protoClean, rootOf } from "./read.js";
import { RunSlot } from "./run.js";
import type { EvalContext, Explanation, Segment, Truth } from "./types.js";

/**
 * Builds the {@link Segment} of an expression that passed the checker.
 *
 * @param doc - the parsed (or validated) expression document
 * @param source - the text it came from (for `fromAST`, its canonical text)
 * @param model - the schema model it was checked against
 * @param checked - the checker's result (its `params` are validated at each evaluation)
 * @param options - `refs` for `@name` references (rules files)
 *
 * @example
 * ```ts
 * const seg = createSegment(doc, source, model, checkExpression(doc.body, model));
 * seg.filter(records, { now: "2026-11-22T00:00:00Z" });
 * ```
 */
export function createSegment<T>(
  doc: ExpressionDocument,
  source: string,
  model: SchemaModel,
  checked: CheckResult,
  options?: CompileOptions,
): Segment<T> {
  const paramTypes = checked.params;
  const node = compileBool(doc.body, {
    scopes: [model.root],
    refs: options?.refs,
    params: options?.params ?? paramTypes,
    bool: (n, cx) => compileBool(n, cx),
  });
  const t = node.t;
  const f = node.f;
  // test() in a loop reuses one run while the context is unchanged (cutoffs computed once).
  const slot = new RunSlot(paramTypes);
  let canonical: string | undefined;
  return {
    source,
    ast: doc,
    test(record: T, ctx?: EvalContext): boolean {
      const run = slot.get(ctx);
      return t(rootOf(record, protoClean()), run, undefined);
    },
    evaluate(record: T, ctx?: EvalContext): Truth {
      const run = slot.get(ctx);
      const r = rootOf(record, protoClean());
      return t(r, run, undefined) ? true : f(r, run, undefined) ? false : null;
    },
    filter(records: readonly T[], ctx?: EvalContext): T[] {
      // One run for the batch: `now` is read once, cutoffs are computed once.
      const run = slot.get(ctx);
      const n = records.length;
      // Sized for the worst case, trimmed at the end: no regrowth while filling.
      const out: T[] = n > 0 ? new Array<T>(n) : [];
      let k = 0;
      const clean = protoClean();
      for (let i = 0; i < n; i++) {
        const rec = records[i] as T;
        if (t(rootOf(rec, clean), run, undefined)) out[k++] = rec;
      }
      out.length = k;
      return out;
    },
    explain(record: T, ctx?: EvalContext): Explanation {
      const run = slot.get(ctx);
      return node.ex(rootOf(record, protoClean()), run, undefined);
    },
    toString(): string {
      return (canonical ??= printExpression(doc));
    },
  };
}
