/**
 * Lead scores: points per rule (`if`, `per … max`, decaying events), summed and clamped, with an
 * explanation per rule.
 * @internal
 */
import type { DurationNode, ParamNode, ScoreDef, ScoreRule } from "../../ast/nodes.js";
import { paramDecayPeriod } from "../../check/params.js";
import { formatNumber, printPath, printPoints } from "../../ast/text.js";
import { printNode } from "../../ast/printer.js";
import { type DurationValue, type RunState, compileCollection, compileExpr, compileValue, createRun } from "../../compile/index.js";
import { decayWeight, periodMs } from "../decay.js";
import { perPoints } from "../per.js";
import type { ScoreContribution, ScoreExplanation } from "../types.js";
import { type Builder, type BuildEnv, type Read, compileOptions, paramsOf, publicReader } from "./env.js";

/** Builds a score definition. */
export const buildScore: Builder<ScoreDef> = (def, env, out) => {
  const name = def.name;
  const s = scoreOf(def, env);
  const params = paramsOf(env, name);
  out.scores[name] = {
    name,
    score: publicReader<number>(env, name),
    explain: (record, ctx) => s.explain(record, createRun(ctx, params)),
  };
  return { value: s.total };
};

/** The canonical text of one score rule, for explanations. @internal */
export function scoreRuleText(rule: ScoreRule): string {
  switch (rule.kind) {
    case "if":
      return `${printPoints(rule.points)} if ${printNode(rule.condition)}`;
    case "per":
      return `${printPoints(rule.points)} per ${printNode(rule.value)}${rule.max === undefined ? "" : ` max ${formatNumber(rule.max)}`}`;
    case "decay":
      return (
        `${printPoints(rule.points)} per ${printPath(rule.collection.path)}${rule.where ? ` where (${printNode(rule.where)})` : ""}` +
        ` decaying ${formatNumber(rule.percent)}% every ${printNode(rule.every)} by ${printPath(rule.by.path)}`
      );
  }
}

/**
 * The decay period in milliseconds: a literal's (checked longer than zero), or a duration
 * parameter's, read once per run; a parameter of zero is refused as the literal is.
 * @throws CibleError `param.type` for a parameter of zero
 */
function periodOf(every: DurationNode | ParamNode): (run: RunState) => number {
  if (every.kind === "duration") {
    const ms = periodMs(every);
    return () => ms;
  }
  const name = every.name;
  let last: RunState | undefined;
  let ms = 0;
  return (run) => {
    if (run !== last) {
      const d = run.params.get(name) as DurationValue;
      ms = periodMs(d);
      if (!(ms > 0)) throw paramDecayPeriod(name, d);
      last = run;
    }
    return ms;
  };
}

function scoreOf(def: ScoreDef, env: BuildEnv): { total: Read<number>; explain: (record: unknown, run: RunState) => ScoreExplanation } {
  const options = compileOptions(env, def.name);
  const parts: Read<number>[] = def.rules.map((rule): Read<number> => {
    const n = rule.points;
    switch (rule.kind) {
      case "if": {
        const c = compileExpr(rule.condition, env.model, options);
        return (record, run) => (c.isTrue(record, run) ? n : 0);
      }
      case "per": {
        const value = compileValue(rule.value, env.model, options);
        const cap = rule.max;
        return (record, run) => perPoints(n, value(record, run), cap);
      }
      case "decay": {
        const events = compileCollection(rule.collection, env.model, { ...options, where: rule.where, value: rule.by });
        const period = periodOf(rule.every);
        const percent = rule.percent;
        return (record, run) => {
          const p = period(run);
          let sum = 0;
          events.forEach(record, run, (at) => {
            if (typeof at === "number" && Number.isFinite(at)) sum += n * decayWeight(run.nowMs - at, percent, p);
          });
          return sum;
        };
      }
    }
  });
  const clamp = def.clamp;
  const texts = def.rules.map(scoreRuleText);
  const clampText = clamp ? `clamp ${formatNumber(clamp.min)} to ${formatNumber(clamp.max)}` : "";
  // A score is never unknown: a total of +Infinity and -Infinity (NaN) is read as 0, as when
  // nothing scores, then clamped. SQL writes the same (rules.ts).
  const known = (raw: number) => (raw === raw ? raw : 0);
  const bound = (raw: number) => (clamp ? Math.min(clamp.max, Math.max(clamp.min, raw)) : raw);
  return {
    total: (record, run) => {
      let raw = 0;
      for (const p of parts) raw += p(record, run);
      return bound(known(raw));
    },
    explain: (record, run) => {
      const contributions: ScoreContribution[] = parts.map((p, i) => ({ text: texts[i]!, points: p(record, run) }));
      const raw = known(contributions.reduce((s, c) => s + c.points, 0));
      const total = bound(raw);
      if (clamp) contributions.push({ text: clampText, points: total - raw });
      return { total, contributions };
    },
  };
}
