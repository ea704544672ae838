/**
 * Lifecycle stage selection: the LAST stage whose condition is true, optionally never behind the
 * record's previous stage.
 * @internal
 */

/**
 * The index of the last stage that holds, or null when none does. Stages are tried from the last
 * one down, so conditions of earlier stages are not evaluated once a later one holds.
 *
 * @param count - the number of stages
 * @param holds - whether stage `i` holds (a stage without a condition always holds)
 * @internal
 */
export function lastStageThatHolds(count: number, holds: (i: number) => boolean): number | null {
  for (let i = count - 1; i >= 0; i--) if (holds(i)) return i;
  return null;
}

/**
 * The monotonic stage: never before `previous`. When no stage holds now, the record stays at its
 * previous stage.
 * @internal
 */
export function notBehind(current: number | null, previous: number | null | undefined): number | null {
  if (previous === null || previous === undefined) return current;
  if (current === null) return previous;
  return Math.max(current, previous);
}
