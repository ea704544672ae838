/**
 * `previous` of the evaluation context: each lifecycle's previous stage, validated against the
 * file's lifecycles and resolved to stage indexes once per run.
 * @internal
 */
import type { RunState } from "../../compile/index.js";
import type { EvalContext } from "../../compile/types.js";
import { CibleError } from "../../errors/cible-error.js";
import { msg } from "../messages.js";

/**
 * Resolves `previous` per run (cached per run object): lifecycle name → index of its previous
 * stage. `stages` may still be filled after this is called, up to the first evaluation.
 */
export function previousResolver(stages: ReadonlyMap<string, readonly string[]>): (run: RunState) => ReadonlyMap<string, number> {
  const cache = new WeakMap<RunState, ReadonlyMap<string, number>>();
  let lastRun: RunState | undefined = undefined;
  let lastMap: ReadonlyMap<string, number> | undefined = undefined;
  return (run) => {
    if (run === lastRun) return lastMap!;
    let m = cache.get(run);
    if (!m) {
      m = resolvePrevious(run.ctx?.previous, stages);
      cache.set(run, m);
    }
    lastRun = run;
    lastMap = m;
    return m;
  };
}

function resolvePrevious(previous: EvalContext["previous"], lifecycles: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const out = new Map<string, number>();
  if (previous === undefined || previous === null) return out;
  const names = [...lifecycles.keys()];
  const stageIndex = (lifecycle: string, stage: unknown): number => {
    const stages = lifecycles.get(lifecycle)!;
    const i = typeof stage === "string" ? stages.indexOf(stage.normalize("NFC")) : -1;
    if (i < 0) {
      const m = msg.unknownPreviousStage(lifecycle, String(stage), stages);
      throw CibleError.of(m.code, m.message, m.hint);
    }
    return i;
  };
  if (typeof previous === "string") {
    if (names.length !== 1) {
      const m = names.length ? msg.ambiguousPrevious(names) : msg.unknownPreviousLifecycle(previous, names);
      throw CibleError.of(m.code, m.message, m.hint);
    }
    out.set(names[0]!, stageIndex(names[0]!, previous));
    return out;
  }
  if (typeof previous !== "object" || Array.isArray(previous)) {
    const m = msg.badPrevious();
    throw CibleError.of(m.code, m.message, m.hint);
  }
  for (const key of Object.keys(previous)) {
    if (!lifecycles.has(key)) {
      const m = msg.unknownPreviousLifecycle(key, names);
      throw CibleError.of(m.code, m.message, m.hint);
    }
    const stage = (previous as Record<string, unknown>)[key];
    if (stage === undefined || stage === null) continue;
    out.set(key, stageIndex(key, stage));
  }
  return out;
}
