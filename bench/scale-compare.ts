/**
 * Whether two `cible eval --out` files say the same thing, line by line: same lines in the same
 * order, but for the scores, which must agree within 1e-9 (docs/sql.md: the database's `exp` and
 * sums may differ from JavaScript's in the last bits). Streams both files: they hold one line per
 * record, gigabytes at 10M records.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

export interface Comparison {
  readonly lines: number;
  /** Lines equal byte for byte. */
  readonly identical: number;
  /** The largest difference between two scores of the same record. */
  readonly maxScoreDiff: number;
  /** Lines that differ beyond the tolerance. */
  readonly differing: number;
  /** The first lines that differ beyond the tolerance (at most 3), with their line number. */
  readonly mismatches: { line: number; a: string; b: string }[];
  /** Lines in one file past the end of the other. */
  readonly extra: number;
}

const TOLERANCE = 1e-9;
const SCORES = /"scores":(\{[^}]*\})/;

function lines(path: string): AsyncIterator<string> {
  return createInterface({ input: createReadStream(path), crlfDelay: Infinity })[Symbol.asyncIterator]();
}

/** Compares the two files; `maxScoreDiff` is absolute, relative past 1 (`|a-b| / max(1, |a|)`). */
export async function compareOutputs(pathA: string, pathB: string): Promise<Comparison> {
  const a = lines(pathA);
  const b = lines(pathB);
  let n = 0;
  let identical = 0;
  let extra = 0;
  let differing = 0;
  let maxScoreDiff = 0;
  const mismatches: Comparison["mismatches"] = [];
  for (;;) {
    const [x, y] = await Promise.all([a.next(), b.next()]);
    if (x.done || y.done) {
      if (!x.done || !y.done) {
        extra++;
        const rest = x.done ? b : a;
        while (!(await rest.next()).done) extra++;
      }
      break;
    }
    n++;
    if (x.value === y.value) {
      identical++;
      continue;
    }
    const sx = SCORES.exec(x.value);
    const sy = SCORES.exec(y.value);
    let same = sx !== null && sy !== null && x.value.replace(SCORES, "") === y.value.replace(SCORES, "");
    if (same) {
      const ox = JSON.parse(sx![1]!) as Record<string, number | null>;
      const oy = JSON.parse(sy![1]!) as Record<string, number | null>;
      const keys = Object.keys(ox);
      same = keys.length === Object.keys(oy).length;
      for (const k of keys) {
        const p = ox[k];
        const q = oy[k];
        if (p === q) continue;
        if (typeof p !== "number" || typeof q !== "number") {
          same = false;
          continue;
        }
        const d = Math.abs(p - q) / Math.max(1, Math.abs(p));
        maxScoreDiff = Math.max(maxScoreDiff, d);
        if (!(d <= TOLERANCE)) same = false;
      }
    }
    if (!same) {
      differing++;
      if (mismatches.length < 3) mismatches.push({ line: n, a: x.value, b: y.value });
    }
  }
  return { lines: n, identical, differing, maxScoreDiff, mismatches, extra };
}

/** Whether the comparison found the files equal (within the score tolerance). */
export const agree = (c: Comparison) => c.differing === 0 && c.extra === 0;
