/**
 * The build environment of a rules file: what every definition's builder reads, and the one place
 * that holds what the checker found for each definition (see {@link BuildEnv.checks}).
 * @internal
 */
import type { Definition } from "../../ast/nodes.js";
import type { CheckResult, ParamType } from "../../check/types.js";
import { type CompileEnv, type RefBinding, type RunState, createRun } from "../../compile/index.js";
import type { EvalContext, Explanation, Segment } from "../../compile/types.js";
import type { SchemaModel } from "../../schema/model.js";
import type { RulesPlan } from "../check-rules.js";
import type { CompiledLifecycle, CompiledRfm, CompiledScore, CompiledSplit, CompiledTiers } from "../types.js";

/** A definition's value for one record in one run. */
export type Read<V> = (record: unknown, run: RunState) => V;

/** Everything a definition's builder may use. */
export interface BuildEnv {
  readonly source: string;
  readonly model: SchemaModel;
  readonly plan: RulesPlan;
  /**
   * The check result of each definition, handed whole to the compile calls (through
   * {@link compileOptions} and `createSegment`): what the checker adds for the compiler is then
   * one field here and one line there. Its `params` are the definition's own and those of
   * everything it refers to.
   */
  readonly checks: ReadonlyMap<string, CheckResult>;
  /** Bindings for every referenceable definition (filled before any definition is compiled). */
  readonly refs: ReadonlyMap<string, RefBinding>;
  /** The memoised value of a definition: what `@name` and the public functions read (memo.ts). */
  readonly read: (name: string) => Read<unknown>;
  /** The stages of each lifecycle, registered by its builder (for `previous`). */
  readonly stages: Map<string, readonly string[]>;
  /** `previous` resolved per run (validated once per run). */
  readonly previous: (run: RunState) => ReadonlyMap<string, number>;
  /**
   * `nextChange` of a segment, channel or reach reading the definitions `names`, the truth of
   * `observe` (set once every definition is built: see src/rules/next-change.ts).
   */
  nextChange?: (names: readonly string[], record: unknown, ctx: EvalContext | undefined, observe: Segment<unknown>) => Date | null;
}

/** What the builders add to the compiled rules (typed for any record type: `T` is only a type). */
export interface RulesParts<T> {
  readonly segments: Record<string, Segment<T>>;
  readonly scores: Record<string, CompiledScore<T>>;
  readonly lifecycles: Record<string, CompiledLifecycle<T>>;
  readonly tiers: Record<string, CompiledTiers<T>>;
  readonly rfm: Record<string, CompiledRfm<T>>;
  readonly channels: Record<string, Segment<T>>;
  readonly splits: Record<string, CompiledSplit<T>>;
}

/** What a builder gives back for one definition. */
export interface Built {
  /**
   * The definition's value for a record, computed at most once per record and run (its memo
   * slot); none for definitions computed over a whole population (quantile tiers, RFM).
   */
  readonly value?: Read<unknown>;
  /** For a segment: true only when it is TRUE (what `evaluate` runs when nothing refers to it). */
  readonly isTrue?: Read<boolean>;
  /** For a segment or channel: its explanation tree in a run (`analyze`'s data coverage). */
  readonly explain?: Read<Explanation>;
}

/**
 * Builds one kind of definition: compiles it, adds its public object to `out`, returns its
 * per-record value.
 */
export type Builder<D extends Definition> = <T>(def: D, env: BuildEnv, out: RulesParts<T>) => Built;

/** The check result of a definition (every definition of the plan has one). */
export function checkOf(env: BuildEnv, name: string): CheckResult {
  return env.checks.get(name)!;
}

/** The parameters a definition (and what it refers to) uses. */
export function paramsOf(env: BuildEnv, name: string): ReadonlyMap<string, ParamType> {
  return checkOf(env, name).params;
}

/** The options of the compile calls for an expression of definition `name`. */
export function compileOptions(env: BuildEnv, name: string): CompileEnv {
  return { refs: env.refs, facts: checkOf(env, name).facts };
}

/** A public function reading a definition's value (`score`, `stage`, `tier`) in a run of its own. */
export function publicReader<V>(env: BuildEnv, name: string): (record: unknown, ctx?: EvalContext) => V {
  const read = env.read(name);
  const params = paramsOf(env, name);
  return (record, ctx) => read(record, createRun(ctx, params)) as V;
}

/**
 * The check result of each definition: no diagnostics (the file checked clean) and the
 * parameters of the definition plus those of everything it refers to, transitively.
 */
export function checksOf(plan: RulesPlan): Map<string, CheckResult> {
  const out = new Map<string, CheckResult>();
  for (const name of plan.order) {
    const params = new Map(plan.ownParams.get(name) ?? []);
    for (const e of plan.edges.get(name) ?? []) {
      for (const [k, v] of out.get(e.to)?.params ?? []) if (!params.has(k)) params.set(k, v);
    }
    out.set(name, { diagnostics: [], params, facts: plan.facts });
  }
  return out;
}
