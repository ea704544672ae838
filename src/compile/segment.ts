/**
 * The compiled segment of API.md: test, evaluate, filter, explain.
 */
import type { ExpressionDocument } from "../ast/nodes.js";
import { printExpression } from "../ast/printer.js";
import { CHECKED } from "../check/facts.js";
import { CibleError } from "../errors/cible-error.js";
import type { CheckResult } from "../check/types.js";
import { SCHEMA_MODEL, type SchemaModel } from "../schema/model.js";
import { compileBool } from "./expr.js";
import type { CompileEnv } from "./operand.js";
import { nextChangeMs } from "./next-change.js";
import { carefulRoot, rootOf } from "./read.js";
import { type RunState, RunSlot } from "./run.js";
import { Tuner, ownSegment } from "./tune.js";
import type { CompiledExpr } from "./value.js";
import type { EvalContext, Explanation, Segment, Truth } from "./types.js";

/**
 * Options of {@link compileSegment}: `refs` for `@name` references (rules files), and, with them,
 * `nextChange`, the rules engine's answer (a reference reads other definitions whose timelines
 * this expression does not show).
 * @internal
 */
export interface SegmentOptions extends Pick<CompileEnv, "refs"> {
  readonly nextChange?: (record: unknown, ctx: EvalContext | undefined) => Date | null;
}

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
  options?: SegmentOptions,
): Segment<T> {
  return compileSegment<T>(doc, source, model, checked, options).segment;
}

/**
 * A segment and its condition as a function of `(record, run)`, compiled once: the rules engine
 * exposes the segment (`rules.segments.x`) and reads the condition in `rules.evaluate` and for
 * `@x`, sharing one run and one tuner with it.
 * @internal
 */
export function compileSegment<T>(
  doc: ExpressionDocument,
  source: string,
  model: SchemaModel,
  checked: CheckResult,
  options?: SegmentOptions,
): {
  segment: Segment<T>;
  condition: Pick<CompiledExpr, "truth" | "isTrue">;
  /** The explanation tree on one record within a given run (`analyze`'s data coverage). */
  explain: (record: unknown, run: RunState) => Explanation;
} {
  const paramTypes = checked.params;
  const tuner = new Tuner();
  const node = compileBool(doc.body, {
    scopes: [model.root],
    refs: options?.refs,
    facts: checked.facts,
    tuner,
    bool: (n, cx) => compileBool(n, cx),
  });
  // test() in a loop reuses one run while the context is unchanged (cutoffs computed once). The
  // owner samples records for the tuner and takes the closures it rebuilds (tune.ts).
  const owner = ownSegment(tuner, node, new RunSlot(paramTypes), options?.refs !== undefined);
  let canonical: string | undefined;
  const explain = (record: unknown, run: RunState): Explanation => {
    try {
      return node.ex(rootOf(record), run, undefined);
    } catch {
      return node.ex(carefulRoot(record), run, undefined); // see ExpressionOwner.truth (tune.ts)
    }
  };
  const segment: Segment<T> = {
    source,
    ast: doc,
    test: owner.test as Segment<T>["test"],
    evaluate(record: T, ctx?: EvalContext): Truth {
      return owner.truth(record, owner.run(ctx));
    },
    filter(records: readonly T[], ctx?: EvalContext): T[] {
      // One run for the batch: `now` is read once, cutoffs are computed once.
      return owner.filter(records, owner.run(ctx)) as T[];
    },
    explain(record: T, ctx?: EvalContext): Explanation {
      return explain(record, owner.run(ctx));
    },
    nextChange(record: T, ctx?: EvalContext): Date | null {
      // A reference reads other definitions (scores, stages, segments) whose timelines this
      // expression does not show: the rules engine answers (src/rules/next-change.ts).
      if (options?.refs !== undefined) {
        if (options.nextChange) return options.nextChange(record, ctx);
        throw CibleError.of(
          "eval.next-change-rules",
          "`nextChange` is not available on a segment compiled with references but without the rules engine's timelines.",
          "compile the rules file with `compileRules` and ask its segments, channels or `reach`",
        );
      }
      const run = owner.run(ctx);
      const at = (t: number): Truth => owner.truth(record, owner.run({ ...ctx, now: t }));
      let t: number | null;
      try {
        t = nextChangeMs(doc.body, checked.facts, rootOf(record), run, at);
      } catch {
        // A getter or a trap threw while reading the record's dates: read them from the careful
        // copy, as the evaluator does (see ExpressionOwner.truth).
        t = nextChangeMs(doc.body, checked.facts, carefulRoot(record), run, at);
      }
      return t === null ? null : new Date(t);
    },
    toString(): string {
      return (canonical ??= printExpression(doc));
    },
  };
  // Once the rule is hot, segment.test gets call sites of its own (unless the segment is frozen).
  owner.host = segment;
  // The schema travels with the segment (not enumerable), so that toSQL(segment, …) and the
  // testing kit need no schema option.
  Object.defineProperty(segment, SCHEMA_MODEL, { value: model });
  Object.defineProperty(segment, CHECKED, { value: checked.facts });
  const condition: Pick<CompiledExpr, "truth" | "isTrue"> = {
    truth: (record, run) => owner.truth(record, run),
    isTrue: (record, run) => owner.isTrue(record, run),
  };
  return { segment, condition, explain };
}
