/**
 * Lifecycles: a record's stage is the last one whose condition holds, never behind its
 * `previous` stage (monotonic lifecycles).
 * @internal
 */
import type { LifecycleDef } from "../../ast/nodes.js";
import { compileExpr } from "../../compile/index.js";
import type { EvalContext } from "../../compile/types.js";
import { notBehind } from "../lifecycle.js";
import { type Builder, type BuildEnv, type Read, compileOptions, publicReader } from "./env.js";

/** Builds a lifecycle definition (and registers its stages for `previous`). */
export const buildLifecycle: Builder<LifecycleDef> = (def, env, out) => {
  const name = def.name;
  const stages = Object.freeze(def.stages.map((s) => s.name));
  env.stages.set(name, stages);
  const raw = rawStage(def, env);
  const read = publicReader<string | null>(env, name);
  out.lifecycles[name] = {
    name,
    stages,
    stage: (record, ctx) => {
      // A lone stage name is this lifecycle's previous stage.
      const own: EvalContext | undefined = typeof ctx?.previous === "string" ? { ...ctx, previous: { [name]: ctx.previous } } : ctx;
      return read(record, own);
    },
  };
  return {
    value: (record, run) => {
      const i = notBehind(raw(record, run), env.previous(run).get(name));
      return i === null ? null : stages[i]!;
    },
  };
};

/** The index of the last stage whose condition holds, before `previous` is applied. */
function rawStage(def: LifecycleDef, env: BuildEnv): Read<number | null> {
  const options = compileOptions(env, def.name);
  const conds = def.stages.map((s) => (s.condition ? compileExpr(s.condition, env.model, options).isTrue : undefined));
  const count = conds.length;
  // lastStageThatHolds, inlined: no closure per record.
  return (record, run) => {
    for (let i = count - 1; i >= 0; i--) {
      const c = conds[i];
      if (c === undefined || c(record, run)) return i;
    }
    return null;
  };
}
