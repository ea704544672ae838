/**
 * Tiers: by thresholds (a record's tier is the first line whose test holds, a per-record value)
 * or by quantiles (shares of a population, assigned over a batch of records).
 * @internal
 */
import type {
  BetweenNode,
  CompareNode,
  CompareOp,
  NumberNode,
  ParamNode,
  QuantileTierLine,
  StringNode,
  ThresholdTierLine,
  TiersDef,
} from "../../ast/nodes.js";
import { type RunState, compileExpr, compileValue, createRun } from "../../compile/index.js";
import { assignShares, quantileLines } from "../quantiles.js";
import type { CompiledQuantileTiers, CompiledThresholdTiers, QuantileAssignment } from "../types.js";
import { type Builder, type BuildEnv, type Read, compileOptions, paramsOf, publicReader } from "./env.js";

/** Builds a tiers definition. */
export const buildTiers: Builder<TiersDef> = (def, env, out) => {
  const name = def.name;
  if (def.method !== "thresholds") {
    out.tiers[name] = quantileTiersOf(def, env);
    return {};
  }
  out.tiers[name] = {
    name,
    method: "thresholds",
    names: def.lines.map((l) => l.name),
    tier: publicReader<string | null>(env, name),
  } satisfies CompiledThresholdTiers<unknown>;
  return { value: thresholdTierOf(def, env) };
};

const NUMBER_TESTS: Record<CompareOp, (a: number, b: number) => boolean> = {
  "=": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

function thresholdTierOf(def: TiersDef, env: BuildEnv): Read<string | null> {
  const options = compileOptions(env, def.name);
  const by = compileValue(def.by, env.model, options);
  const numeric = env.plan.valueKinds.get(def.name) === "number";
  type Test = (x: number | string | boolean, record: unknown, run: RunState) => boolean;
  const lines = (def.lines as readonly ThresholdTierLine[]).map((line): { name: string; test?: Test } => {
    const t = line.test;
    if (!t) return { name: line.name };
    if (numeric) {
      // The `by` value is already computed: compare numbers directly (a `$param` from the run).
      const num = (v: NumberNode | StringNode | ParamNode): ((run: RunState) => number) =>
        v.kind === "number" ? () => v.value : v.kind === "param" ? (run) => run.params.get(v.name) as number : () => NaN;
      if (t.op === "between") {
        const lo = num(t.low);
        const hi = num(t.high);
        return { name: line.name, test: (x, _r, run) => (x as number) >= lo(run) && (x as number) <= hi(run) };
      }
      const rhs = num(t.value);
      const op = NUMBER_TESTS[t.op];
      return { name: line.name, test: (x, _r, run) => op(x as number, rhs(run)) };
    }
    // Text, choices, stages: the comparison as the checker saw it, compiled by the compiler.
    const node: CompareNode | BetweenNode =
      t.op === "between"
        ? { kind: "between", negated: false, subject: def.by, low: t.low, high: t.high, span: line.span }
        : { kind: "compare", op: t.op, left: def.by, right: t.value, span: line.span };
    const c = compileExpr(node, env.model, options);
    return { name: line.name, test: (_x, record, run) => c.isTrue(record, run) };
  });
  return (record, run) => {
    const x = by(record, run);
    if (x === null) return null;
    for (const l of lines) if (!l.test || l.test(x, record, run)) return l.name;
    return null;
  };
}

function quantileTiersOf<T>(def: TiersDef, env: BuildEnv): CompiledQuantileTiers<T> {
  const params = paramsOf(env, def.name);
  const by = compileValue(def.by, env.model, compileOptions(env, def.name));
  const lines = def.lines as readonly QuantileTierLine[];
  const { names, shares } = quantileLines(lines);
  return {
    name: def.name,
    method: "quantiles",
    names: Object.freeze(names),
    assign(records, ctx): QuantileAssignment {
      const run = createRun(ctx, params);
      const values = records.map((r) => {
        const v = by(r, run);
        return typeof v === "number" && v === v ? v : null; // ±Infinity ranks at the ends
      });
      const { lines: idx, cuts } = assignShares(values, shares);
      return { tiers: idx.map((i) => (i === null ? null : names[i]!)), cuts };
    },
  };
}
