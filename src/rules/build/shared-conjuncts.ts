/**
 * The segments pass of `rules.evaluate`, sharing conjuncts between segments: a segment is TRUE
 * only when each conjunct of its top-level `and` is TRUE (Kleene), so a conjunct that several
 * segments share is tested once per record, and a segment is skipped as soon as one of its shared
 * conjuncts is not TRUE (docs/performance.md).
 * @internal
 */
import type { ExprNode, SegmentDef } from "../../ast/nodes.js";
import { printNode } from "../../ast/printer.js";
import { type RunState, compileExpr } from "../../compile/index.js";
import { type BuildEnv, type Read, compileOptions, paramsOf } from "./env.js";
import type { Memo } from "./memo.js";

/** The names of the segments TRUE for a record, in `evaluate`'s generation `gen` of the memo. */
export type SegmentPass = (record: unknown, run: RunState, gen: number) => string[];

/** The conjuncts shared by several segments, and which of them guard each segment. */
interface SharedConjuncts {
  /** Each shared conjunct's test (true only when TRUE), by number. */
  readonly tests: readonly Read<boolean>[];
  /** The numbers of the shared conjuncts of each segment that has some, most shared first. */
  readonly guards: ReadonlyMap<string, readonly number[]>;
  /** The whole rule, for a segment that has conjuncts of its own besides its shared ones. */
  readonly rest: ReadonlyMap<string, Read<boolean>>;
}

/**
 * The segments pass over `names` (in file order). `isTrue` has the fast test of each segment
 * nothing refers to (no memo); the others are read through the memo, and share no conjunct.
 */
export function segmentPass(names: readonly string[], isTrue: ReadonlyMap<string, Read<boolean>>, env: BuildEnv, memo: Memo): SegmentPass {
  const readerList = names.map((n) => env.read(n));
  const segmentTestList = names.map((n) => isTrue.get(n));
  const conj = sharedConjuncts(
    names.filter((n) => isTrue.has(n)),
    isTrue,
    env,
  );
  const guardList = names.map((n) => conj.guards.get(n));
  const restList = names.map((n) => conj.rest.get(n));
  const conjTests = conj.tests;
  // Each shared conjunct's result for the record of generation `conjStamps[c]`.
  const conjVals = new Uint8Array(conjTests.length);
  const conjStamps = new Int32Array(conjTests.length);
  memo.track(conjStamps);
  return (r, run, g0) => {
    const segs: string[] = [];
    const cs = conjStamps;
    for (let i = 0; i < segmentTestList.length; i++) {
      const guards = guardList[i];
      let ok: boolean;
      if (guards === undefined) {
        const test = segmentTestList[i];
        ok = test === undefined ? readerList[i]!(r, run) === true : test(r, run);
      } else {
        ok = true;
        for (let j = 0; j < guards.length; j++) {
          const c = guards[j]!;
          let v: boolean;
          if (cs[c] === g0) v = conjVals[c] === 1;
          else {
            v = conjTests[c]!(r, run);
            conjVals[c] = v ? 1 : 0;
            cs[c] = g0;
          }
          if (!v) {
            ok = false;
            break;
          }
        }
        if (ok) {
          const rest = restList[i];
          if (rest !== undefined) ok = rest(r, run);
        }
      }
      if (ok) segs.push(names[i]!);
    }
    return segs;
  };
}

/** Splits each segment's body into its top-level conjuncts and numbers those shared by several segments. */
function sharedConjuncts(names: readonly string[], isTrue: ReadonlyMap<string, Read<boolean>>, env: BuildEnv): SharedConjuncts {
  const flat = (e: ExprNode, out: ExprNode[]): ExprNode[] => {
    if (e.kind === "and") for (const o of e.operands) flat(o, out);
    else out.push(e);
    return out;
  };
  // Conjuncts are shared only between segments without parameters (their types are the segment's).
  const keyOf = (name: string, e: ExprNode) => `${paramsOf(env, name).size ? name : ""}\0${printNode(e)}`;
  const split = new Map<string, { key: string; node: ExprNode }[]>();
  const uses = new Map<string, number>();
  for (const name of names) {
    const seen = new Set<string>();
    const parts: { key: string; node: ExprNode }[] = [];
    for (const node of flat((env.plan.defs.get(name) as SegmentDef).body, [])) {
      const key = keyOf(name, node);
      if (seen.has(key)) continue;
      seen.add(key);
      parts.push({ key, node });
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
    split.set(name, parts);
  }
  const index = new Map<string, number>();
  const tests: Read<boolean>[] = [];
  const guards = new Map<string, number[]>();
  const rest = new Map<string, Read<boolean>>();
  for (const name of names) {
    const parts = split.get(name)!;
    const shared = parts.filter((p) => uses.get(p.key)! > 1);
    if (shared.length === 0) continue;
    // Most shared first: the likeliest to be known already for this record.
    shared.sort((a, b) => uses.get(b.key)! - uses.get(a.key)!);
    guards.set(
      name,
      shared.map((p) => {
        let i = index.get(p.key);
        if (i === undefined) {
          i = tests.length;
          index.set(p.key, i);
          tests.push(conjunctTest(p.node, name, env));
        }
        return i;
      }),
    );
    // Conjuncts of its own: the whole rule decides, once every shared one is TRUE.
    if (shared.length < parts.length) rest.set(name, isTrue.get(name)!);
  }
  return { tests, guards, rest };
}

/** A shared conjunct's test: a reference to a segment reads its memo; anything else is compiled. */
function conjunctTest(node: ExprNode, owner: string, env: BuildEnv): Read<boolean> {
  if (node.kind === "truthy" && node.subject.kind === "ref" && env.plan.refTypes.get(node.subject.name)?.kind === "segment") {
    const rd = env.read(node.subject.name);
    return (record, run) => rd(record, run) === true;
  }
  return compileExpr(node, env.model, compileOptions(env, owner)).isTrue;
}
