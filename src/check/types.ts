/**
 * What the checker tells the compiler (and SQL) besides diagnostics, and what a rules file tells
 * the checker about `@name` references.
 */
import type { Diagnostic } from "../errors/diagnostic.js";
import type { ParamNode } from "../ast/nodes.js";
import type { Facts } from "./facts.js";

/** The type of a `@name` reference, given by the rules file that defines it. */
export type RefType =
  | { readonly kind: "segment" }
  | { readonly kind: "score" }
  /** Compares by stage order: `@stage >= "evaluation"`. */
  | { readonly kind: "lifecycle"; readonly stages: readonly string[] }
  /** Compares by equality: `@value = "high"`. */
  | { readonly kind: "tiers"; readonly names: readonly string[] }
  /** Compares by equality: `@spring = "control"` (a split's arms). */
  | { readonly kind: "split"; readonly arms: readonly string[] };

/** What the checker needs beyond the schema. */
export interface CheckEnv {
  /** Definitions a `@name` may refer to; absent outside rules files (then any `@name` is an error). */
  readonly refs?: ReadonlyMap<string, RefType>;
  /** Where to record the facts (a rules file gathers every expression's facts in one store); a new store when absent. */
  readonly facts?: Facts;
  /**
   * Parameters standing outside the expression where only a duration fits (a decaying score's
   * `every $halfLife`), typed with the expression's own, so that a conflict with a use inside it
   * is reported; `partner` names the place in messages (`every`).
   */
  readonly durationParams?: readonly { readonly node: ParamNode; readonly partner: string }[];
}

/**
 * The type inferred for a `$param` from where it stands; checked again at evaluation.
 * `dateOrDuration`: a parameter ordered against a date (`lastPurchase < $p`, `between $a and $b`),
 * which may be either; its value decides (a date is a date, `"6 months"` an age).
 */
export interface ParamType {
  readonly kind: "string" | "number" | "boolean" | "date" | "duration" | "dateOrDuration";
  /** A list of that kind (`in $codes`). */
  readonly list: boolean;
  /** For enum fields: the values the parameter must be one of. */
  readonly enumValues?: readonly string[];
}

/** The checker's result. */
export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  /** Every parameter the expression uses, with its inferred type. */
  readonly params: ReadonlyMap<string, ParamType>;
  /** What the checker resolved for every node: types, paths, splits (complete when there is no error). */
  readonly facts: Facts;
}
