/**
 * `rules.reach(segment, channel)`: the records of a segment that a channel may reach, as a
 * compiled segment whose rule is `@segment and @channel` (LANGUAGE.md §7). Its references read the
 * file's memo, as every `@name` does, so a segment or channel is computed once per record.
 * @internal
 */
import { printSigilName } from "../../ast/text.js";
import { checkExpression } from "../../check/index.js";
import { compileSegment } from "../../compile/index.js";
import type { EvalContext, Segment } from "../../compile/types.js";
import { CibleError } from "../../errors/cible-error.js";
import { parseExpression } from "../../syntax/index.js";
import { type BuildEnv, compileOptions, paramsOf } from "./env.js";

/** The names a `reach` call may take, for its error message. */
export interface ReachNames {
  readonly segments: readonly string[];
  readonly channels: readonly string[];
}

/** Compiles `@segment and @channel` (throws `rules.unknown-definition` for a wrong name). */
export function compileReach<T>(env: BuildEnv, names: ReachNames, segment: string, channel: string): Segment<T> {
  if (!names.segments.includes(segment)) throw unknown("segment", segment, names.segments);
  if (!names.channels.includes(channel)) throw unknown("channel", channel, names.channels);
  const source = `@${printSigilName(segment)} and @${printSigilName(channel)}`;
  const { doc } = parseExpression(source);
  const checked = checkExpression(doc!.body, env.model, { refs: env.plan.refTypes, facts: env.plan.facts });
  const params = new Map(paramsOf(env, segment));
  for (const [k, v] of paramsOf(env, channel)) if (!params.has(k)) params.set(k, v);
  let self: Segment<unknown> | undefined;
  const options = {
    ...compileOptions(env, segment),
    nextChange: (record: unknown, ctx: EvalContext | undefined) => env.nextChange!([segment, channel], record, ctx, self!),
  };
  const { segment: compiled } = compileSegment<T>(doc!, source, env.model, { ...checked, params }, options);
  self = compiled as Segment<unknown>;
  return compiled;
}

function unknown(kind: "segment" | "channel", name: string, known: readonly string[]): CibleError {
  return CibleError.of(
    "rules.unknown-definition",
    `The rules file has no ${kind} named \`${name}\`.`,
    known.length ? `its ${kind}s are ${known.map((n) => `\`${n}\``).join(", ")}` : `the file defines no ${kind}`,
  );
}
