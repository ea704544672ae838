/**
 * Splits: each record's arm, from the MD5 of `<seed>:<key>` (LANGUAGE.md §7; the arithmetic is in
 * ../split.ts, shared with SQL).
 * @internal
 */
import type { SplitDef } from "../../ast/nodes.js";
import { compileValue } from "../../compile/index.js";
import { armIndex, splitBounds, splitKeyText } from "../split.js";
import type { CompiledSplit } from "../types.js";
import { type Builder, type Read, compileOptions, publicReader } from "./env.js";

/** Builds a split definition. */
export const buildSplit: Builder<SplitDef> = (def, env, out) => {
  const key = compileValue(def.key, env.model, compileOptions(env, def.name));
  const keyKind = env.plan.valueKinds.get(def.name) === "number" ? "integer" : "text";
  const arms = def.arms.map((a) => a.name);
  const bounds = splitBounds(def.arms.map((a) => a.percent));
  const seed = def.seed ?? def.name;
  const value: Read<string | null> = (record, run) => {
    const text = splitKeyText(key(record, run), keyKind);
    return text === null ? null : arms[armIndex(seed, text, bounds)]!;
  };
  out.splits[def.name] = {
    name: def.name,
    arms: Object.freeze(arms),
    seed,
    arm: publicReader<string | null>(env, def.name),
  } satisfies CompiledSplit<unknown>;
  return { value };
};
