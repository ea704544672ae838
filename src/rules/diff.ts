/**
 * `diffEvaluations`: what changed between two evaluations of one record (segments entered and
 * exited, per-channel reachability, stages, threshold tiers), for the events a host emits.
 */
import type { RulesEvaluation } from "./types.js";

/** The parts of an evaluation {@link diffEvaluations} compares (an `evaluate` result, or one read back from JSON). */
export type ComparedEvaluation = Pick<RulesEvaluation, "segments" | "reachable" | "stages" | "tiers">;

/** A stage or tier that moved: `null` for none (unknown, or the record did not exist). */
export interface Move {
  from: string | null;
  to: string | null;
}

/** What {@link diffEvaluations} returns: only what changed (empty lists and objects when nothing did). */
export interface EvaluationChanges {
  /** Segments the record is in after and was not in before, in the order of `after`. */
  entered: string[];
  /** Segments the record was in before and is not in after, in the order of `before`. */
  exited: string[];
  /** Per channel whose reachable segments changed: the segments reached now and no longer. */
  reachable: Record<string, { entered: string[]; exited: string[] }>;
  /** Per lifecycle whose stage changed. */
  stages: Record<string, Move>;
  /** Per threshold tiers whose tier changed. */
  tiers: Record<string, Move>;
}

/**
 * What changed for one record between two evaluations: the segments it entered and exited, per
 * channel the segments through which it became or stopped being reachable, and each stage and
 * tier that moved. `before` null (or undefined) is a record that did not exist (it enters every
 * segment it is in); `after` null is a record that is gone (it exits every segment). Raw scores and
 * split arms are not compared.
 *
 * @param before - the earlier evaluation (`rules.evaluate`), or null
 * @param after - the later one, or null
 * @returns only what changed; see {@link hasChanges}
 *
 * @example
 * ```ts
 * const before = rules.evaluate(contact, { now: "2026-11-01T00:00:00Z" });
 * const after = rules.evaluate(contact, { now: before.nextChange!, previous: before.stages });
 * diffEvaluations(before, after);
 * // { entered: [], exited: ["engagesRecents"], reachable: { email: { entered: [], exited: ["engagesRecents"] } },
 * //   stages: {}, tiers: {} }
 * ```
 */
export function diffEvaluations(before: ComparedEvaluation | null | undefined, after: ComparedEvaluation | null | undefined): EvaluationChanges {
  const [entered, exited] = sets(before?.segments ?? [], after?.segments ?? []);
  const out: EvaluationChanges = { entered, exited, reachable: {}, stages: {}, tiers: {} };
  for (const ch of keys(before?.reachable, after?.reachable)) {
    const [e, x] = sets(before?.reachable[ch] ?? [], after?.reachable[ch] ?? []);
    if (e.length || x.length) out.reachable[ch] = { entered: e, exited: x };
  }
  moves(before?.stages, after?.stages, out.stages);
  moves(before?.tiers, after?.tiers, out.tiers);
  return out;
}

/**
 * True when {@link diffEvaluations} found a change (what `cible eval --changes` writes a line for).
 *
 * @example
 * ```ts
 * hasChanges(diffEvaluations(before, after)); // false when nothing moved
 * ```
 */
export function hasChanges(c: EvaluationChanges): boolean {
  return c.entered.length > 0 || c.exited.length > 0 || Object.keys(c.reachable).length > 0 || Object.keys(c.stages).length > 0 || Object.keys(c.tiers).length > 0;
}

/** [in `b` not in `a` (order of `b`), in `a` not in `b` (order of `a`)]. */
function sets(a: readonly string[], b: readonly string[]): [string[], string[]] {
  const sa = new Set(a);
  const sb = new Set(b);
  return [b.filter((x) => !sa.has(x)), a.filter((x) => !sb.has(x))];
}

function keys(a: object | undefined, b: object | undefined): string[] {
  return [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
}

function moves(a: Record<string, string | null> | undefined, b: Record<string, string | null> | undefined, out: Record<string, Move>): void {
  for (const k of keys(a, b)) {
    const from = a?.[k] ?? null;
    const to = b?.[k] ?? null;
    if (from !== to) out[k] = { from, to };
  }
}
