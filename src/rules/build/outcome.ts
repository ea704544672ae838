/**
 * `analyze(…, { outcome })`: the outcome's text compiled as an expression of the rules file, with
 * its schema and its `@name` references (so `converted`, `opportunities has any ["won"]` and
 * `@buyers` all work). Its references read the file's memo, as every `@name` does.
 * @internal
 */
import type { ExprNode } from "../../ast/nodes.js";
import { forEachNode } from "../../ast/walk.js";
import type { ParamType } from "../../check/types.js";
import { checkExpression } from "../../check/index.js";
import { compileSegment } from "../../compile/index.js";
import type { Truth } from "../../compile/types.js";
import { CibleError } from "../../errors/cible-error.js";
import { hasErrors, sortDiagnostics } from "../../errors/diagnostic.js";
import { parseExpression } from "../../syntax/index.js";
import type { BuildEnv, Read } from "./env.js";

/** A compiled outcome: its three-valued value per record, and the parameters it needs. */
export interface CompiledCondition {
  readonly truth: Read<Truth>;
  readonly params: ReadonlyMap<string, ParamType>;
}

/**
 * Compiles `text` as a condition of the rules file. Throws a {@link CibleError} with the parser's
 * or the checker's diagnostics (placed in `text`) when it is not a valid condition.
 */
export function compileCondition(env: BuildEnv, text: string): CompiledCondition {
  const parsed = parseExpression(text);
  if (!parsed.doc || hasErrors(parsed.diagnostics)) throw new CibleError(sortDiagnostics(parsed.diagnostics), text);
  const checked = checkExpression(parsed.doc.body, env.model, { refs: env.plan.refTypes });
  if (hasErrors(checked.diagnostics)) throw new CibleError(sortDiagnostics(checked.diagnostics), text);
  // The parameters of what it refers to, too.
  const params = new Map(checked.params);
  for (const name of refsOf(env, parsed.doc.body)) {
    for (const [k, v] of env.checks.get(name)?.params ?? []) if (!params.has(k)) params.set(k, v);
  }
  const { condition } = compileSegment(parsed.doc, text, env.model, { ...checked, params }, { refs: env.refs });
  return { truth: condition.truth, params };
}

function refsOf(env: BuildEnv, body: ExprNode): string[] {
  const out: string[] = [];
  forEachNode(body, (node) => {
    if (node.kind === "ref" && env.checks.has(node.name)) out.push(node.name);
  });
  return out;
}
