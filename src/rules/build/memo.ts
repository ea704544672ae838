/**
 * The per-record memo of a compiled rules file: every definition is computed at most once per
 * record within a run, however many times it is referenced. One preallocated slot per definition
 * (in dependency order), valid while its stamp equals the current generation: no Map, no
 * allocation per record.
 *
 * A generation is one record within one run. `evaluate` starts a new one per call ({@link
 * Memo.begin}); any other entry (a segment's `test`, a score's `score`, `analyze`) starts one when
 * the run or the record changes, or when the run was handed out again (its RecordMemo reset).
 * @internal
 */
import type { RunState } from "../../compile/index.js";
import type { Read } from "./env.js";

/** The memo of one compiled rules file. */
export interface Memo {
  /** The memoised value of a definition (computed by the function given to {@link define}). */
  read(name: string): Read<unknown>;
  /** Sets the function that computes a definition's value. */
  define(name: string, value: Read<unknown>): void;
  /**
   * Starts `evaluate`'s generation in `run` (nothing computed for an earlier call is reused: the
   * record may have been changed in place); returns it. Ended by {@link end}.
   */
  begin(run: RunState): number;
  /** Ends the generation {@link begin} started. */
  end(): void;
  /**
   * Registers the stamps of another per-generation cache (the shared conjuncts): they are cleared
   * with the memo's own when the generation counter wraps around.
   */
  track(stamps: Int32Array): void;
}

/** Numbers the compiled rules files (their keys in a run's RecordMemo). */
let rulesId = 0;

/** The memo of the definitions `order` (dependency order). */
export function createMemo(order: readonly string[]): Memo {
  const slotOf = new Map<string, number>();
  for (const name of order) slotOf.set(name, slotOf.size);
  const count = slotOf.size;
  const impls: Read<unknown>[] = new Array<Read<unknown>>(count);
  const vals: unknown[] = new Array<unknown>(count).fill(null);
  const stamps = new Int32Array(count);
  const tracked: Int32Array[] = [];
  let gen = 1;
  // The run `evaluate` is in (its generation is current), else undefined.
  let active: RunState | undefined = undefined;
  // The run of the last generation started outside `evaluate`.
  let lastRun: RunState | undefined = undefined;
  // Marks, in a run's RecordMemo, that this file started a generation for the memo's record.
  const memoKey = `\0rules#${++rulesId}`;
  const nextGen = () => {
    if (++gen === 0x3fffffff) {
      gen = 1;
      stamps.fill(0);
      for (const t of tracked) t.fill(0);
    }
  };
  const enter = (record: unknown, run: RunState) => {
    const m = run.memo.for(record);
    if (run !== lastRun || !m.has(memoKey)) {
      lastRun = run;
      m.set(memoKey, true);
      nextGen();
    }
  };
  const slotRead =
    (i: number): Read<unknown> =>
    (record, run) => {
      if (run !== active) enter(record, run);
      if (stamps[i] === gen) return vals[i];
      const v = impls[i]!(record, run);
      vals[i] = v;
      stamps[i] = gen;
      return v;
    };
  const readers = new Map<string, Read<unknown>>();
  for (const [name, i] of slotOf) readers.set(name, slotRead(i));
  return {
    read: (name) => readers.get(name)!,
    define: (name, value) => {
      impls[slotOf.get(name)!] = value;
    },
    begin: (run) => {
      nextGen();
      // The generation is not taken for another entry's.
      lastRun = undefined;
      active = run;
      return gen;
    },
    end: () => {
      active = undefined;
    },
    track: (t) => {
      tracked.push(t);
    },
  };
}
