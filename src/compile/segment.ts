/**
 * The compiled segment of API.md: test, evaluate, filter, explain.
 */
import type { ExpressionDocument } from "../ast/nodes.js";
import { printExpression } from "../ast/printer.js";
import { CHECKED } from "../check/facts.js";
import type { CheckResult } from "../check/types.js";
import { SCHEMA_MODEL, type SchemaModel } from "../schema/model.js";
import { compileBool } from "./expr.js";
import type { CompileEnv } from "./operand.js";
import { rootOf } from "./read.js";
import { RunSlot } from "./run.js";
import { CHUNK, FAST_EVERY, type TestState, Tuner, loopOf, testOf, tickOf } from "./tune.js";
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
  options?: Pick<CompileEnv, "refs">,
): Segment<T> {
  const paramTypes = checked.params;
  const tuner = new Tuner();
  const node = compileBool(doc.body, {
    scopes: [model.root],
    refs: options?.refs,
    facts: checked.facts,
    tuner,
    bool: (n, cx) => compileBool(n, cx),
  });
  let f = node.f;
  tuner.root = node;
  // filter's loop and test: shared until the rule is tuned, or, with nothing to tune, until it is
  // hot (many calls of test, or a big batch).
  let loop = loopOf(node.t, false);
  let loopShared = true;
  // test() in a loop reuses one run while the context is unchanged (cutoffs computed once).
  // With references, values computed for a record are kept in the run's memo: forget them at
  // each call (the record may have been changed in place since the last one).
  const st: TestState = {
    slot: new RunSlot(paramTypes),
    tuner,
    memo: options?.refs !== undefined,
    countdown: FAST_EVERY,
    t: node.t,
    seen: 0,
    // The tuner reorders chains and rebuilds their closures (tune.ts): take the new ones, with a
    // `test` and a `filter` loop of their own (call sites that see one condition each).
    relinked: () => {
      st.seen = tuner.relinks;
      st.t = node.t;
      f = node.f;
      loop = loopOf(st.t, true);
      loopShared = false;
      // Not on a segment the caller froze (or made `test` read-only): the shared `test` stays,
      // and reads the new condition from `st` (slower, same results).
      if (Object.getOwnPropertyDescriptor(segment, "test")?.writable) segment.test = testOf(st, true) as Segment<T>["test"];
    },
  };
  const { slot, memo } = st;
  let canonical: string | undefined;
  const segment: Segment<T> = {
    source,
    ast: doc,
    test: testOf(st, false) as Segment<T>["test"],
    evaluate(record: T, ctx?: EvalContext): Truth {
      const run = slot.get(ctx);
      if (memo) run.memo.reset();
      const r = rootOf(record);
      if (--st.countdown === 0) st.countdown = tickOf(st, r, run);
      const t = st.t;
      return t(r, run, undefined) ? true : f(r, run, undefined) ? false : null;
    },
    filter(records: readonly T[], ctx?: EvalContext): T[] {
      // One run for the batch: `now` is read once, cutoffs are computed once.
      const run = slot.get(ctx);
      if (memo) run.memo.reset();
      tuner.batch(records, run, rootOf);
      if (tuner.relinks !== st.seen || (loopShared && tuner.idle && records.length >= 1024)) st.relinked();
      // Grown by push: sizing it for the worst case (`new Array(n)`, trimmed at the end) cost
      // 5–7 ns per record on a million records (a large allocation, filled with holes).
      const out: T[] = [];
      const n = records.length;
      for (let i = 0; i < n; i += CHUNK) loop(records, i, Math.min(n, i + CHUNK), run, out as unknown[]);
      return out;
    },
    explain(record: T, ctx?: EvalContext): Explanation {
      const run = slot.get(ctx);
      if (memo) run.memo.reset();
      return node.ex(rootOf(record), run, undefined);
    },
    toString(): string {
      return (canonical ??= printExpression(doc));
    },
  };
  // The schema travels with the segment (not enumerable), so that toSQL(segment, …) and the
  // testing kit need no schema option.
  Object.defineProperty(segment, SCHEMA_MODEL, { value: model });
  Object.defineProperty(segment, CHECKED, { value: checked.facts });
  return segment;
}
