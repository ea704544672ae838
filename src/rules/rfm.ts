/**
 * RFM: quintile scores and the named segments of the R × F grid (LANGUAGE.md §4).
 * @internal
 */
import { assignShares } from "./quantiles.js";

/** A quintile score, 1 (worst) to 5 (best). */
export type Quintile = 1 | 2 | 3 | 4 | 5;

/** The names of the R × F grid. */
export type RfmSegmentName =
  | "champions"
  | "loyal"
  | "potential loyalists"
  | "new customers"
  | "promising"
  | "need attention"
  | "about to sleep"
  | "at risk"
  | "can't lose"
  | "hibernating";

/**
 * The R × F grid as data: `RFM_GRID[r - 1][f - 1]` is the name of the cell. Each of the 25 cells
 * has exactly one name; R 1 and R 2 share a row in LANGUAGE.md.
 */
export const RFM_GRID: readonly (readonly RfmSegmentName[])[] = Object.freeze([
  /* R = 1 */ ["hibernating", "hibernating", "at risk", "at risk", "can't lose"],
  /* R = 2 */ ["hibernating", "hibernating", "at risk", "at risk", "can't lose"],
  /* R = 3 */ ["about to sleep", "about to sleep", "need attention", "loyal", "loyal"],
  /* R = 4 */ ["promising", "potential loyalists", "potential loyalists", "loyal", "loyal"],
  /* R = 5 */ ["new customers", "potential loyalists", "potential loyalists", "champions", "champions"],
].map((row) => Object.freeze(row)) as RfmSegmentName[][]);

/** The grid's name for a recency score and a frequency score. */
export function rfmSegmentName(r: Quintile, f: Quintile): RfmSegmentName {
  return RFM_GRID[r - 1]![f - 1]!;
}

/** The shares of RFM quintiles, best first. @internal */
export const QUINTILES = [20, 20, 20, 20, 20] as const;

/** Quintile scores of one dimension, and the cuts used. @internal */
export interface QuintileResult {
  readonly scores: (Quintile | null)[];
  /** Four boundaries: a value scores at least `5 − k` exactly when it is `>= cuts[k]`. */
  readonly cuts: number[];
}

/**
 * Scores 1–5 by quintile over the known values, higher values scoring higher, with the rule of
 * {@link assignShares} (equal values share a score; the highest value scores 5, the lowest 1).
 * @internal
 */
export function quintiles(values: readonly (number | null)[]): QuintileResult {
  const { lines, cuts } = assignShares(values, QUINTILES);
  return { scores: lines.map((l) => (l === null ? null : ((5 - l) as Quintile))), cuts };
}

/**
 * Recency scores from ages (smaller is more recent, scores higher). Cuts are ages: a record
 * scores at least `5 − k` exactly when its age is `<= cuts[k]`.
 * @internal
 */
export function recencyQuintiles(ages: readonly (number | null)[]): QuintileResult {
  const { scores, cuts } = quintiles(ages.map((a) => (a === null ? null : -a)));
  return { scores, cuts: cuts.map((c) => (c === 0 ? 0 : -c)) };
}
