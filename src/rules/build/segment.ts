/**
 * Segments of a rules file: the public segment (`rules.segments.x`, with `test`, `filter`,
 * `explain`) and the per-record value that `@x` and `evaluate` read.
 * @internal
 */
import { AST_VERSION, type ExpressionDocument, type SegmentDef } from "../../ast/nodes.js";
import { compileExpr, createSegment } from "../../compile/index.js";
import { type Builder, type BuildEnv, checkOf, compileOptions } from "./env.js";

/** Builds a segment definition. */
export const buildSegment: Builder<SegmentDef> = (def, env, out) => {
  const options = compileOptions(env, def.name);
  const { source, doc } = expressionOf(def, env);
  // The body is compiled twice: `createSegment` keeps its compiled condition to itself (with the
  // `test` and `filter` loops of its own that make a hot segment fast), and `evaluate` needs the
  // condition as a function of (record, run), to share the run's memo with every definition.
  // Once src/compile can hand out the condition it compiled for a segment, compile it once here.
  const body = compileExpr(def.body, env.model, options);
  out.segments[def.name] = createSegment(doc, source, env.model, checkOf(env, def.name), options);
  return { value: body.truth, isTrue: body.isTrue };
};

/** The segment's body as an expression document of its own, with its text and comments. */
function expressionOf(def: SegmentDef, env: BuildEnv): { source: string; doc: ExpressionDocument } {
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
