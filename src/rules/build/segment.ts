/**
 * Segments and channels of a rules file: the public segment (`rules.segments.x`,
 * `rules.channels.email`, with `test`, `filter`, `explain`) and the per-record value that `@x`
 * and `evaluate` read. A channel is compiled exactly as a segment is; only where it is published
 * differs (it is not a segment: LANGUAGE.md §7).
 * @internal
 */
import { AST_VERSION, type ChannelDef, type ExpressionDocument, type SegmentDef } from "../../ast/nodes.js";
import { compileSegment } from "../../compile/index.js";
import type { EvalContext, Segment } from "../../compile/types.js";
import { type Builder, type BuildEnv, type Built, checkOf, compileOptions } from "./env.js";

/** Builds a segment definition. */
export const buildSegment: Builder<SegmentDef> = (def, env, out) => conditionOf(def, env, out.segments);

/** Builds a channel definition. */
export const buildChannel: Builder<ChannelDef> = (def, env, out) => conditionOf(def, env, out.channels);

function conditionOf<T>(def: SegmentDef | ChannelDef, env: BuildEnv, into: Record<string, Segment<T>>): Built {
  const { source, doc } = expressionOf(def, env);
  let self: Segment<unknown> | undefined;
  const options = {
    ...compileOptions(env, def.name),
    nextChange: (record: unknown, ctx: EvalContext | undefined) => env.nextChange!([def.name], record, ctx, self!),
  };
  // Compiled once: the public segment, and its condition as a function of (record, run) for
  // `evaluate` and `@name` (sharing the run's memo with every definition, and one tuner).
  const { segment, condition, explain } = compileSegment(doc, source, env.model, checkOf(env, def.name), options);
  self = segment as Segment<unknown>;
  into[def.name] = segment as Segment<T>;
  return { value: condition.truth, isTrue: condition.isTrue, explain };
}

/** The segment's body as an expression document of its own, with its text and comments. */
function expressionOf(def: SegmentDef | ChannelDef, env: BuildEnv): { source: string; doc: ExpressionDocument } {
  const body = def.body;
  const start = body.span.start.offset;
  const end = body.span.end.offset;
  const doc: ExpressionDocument = {
    kind: "expression",
    version: AST_VERSION,
    body,
    comments: env.plan.doc.comments.filter((c) => c.span.start.offset >= start && c.span.end.offset <= end),
  };
  return { source: env.source.slice(start, end), doc };
}
