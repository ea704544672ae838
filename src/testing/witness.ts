/**
 * Witnesses: records for which a rule is TRUE (matchingRecord) or not TRUE (nonMatchingRecord),
 * built from the rule itself by the search of solver/search.ts, each checked with the
 * segment before it is returned.
 */
import * as fc from "fast-check";
import type { $ZodType } from "zod/v4/core";
import type { ExprNode } from "../ast/nodes.js";
import { forEachNode } from "../ast/walk.js";
import type { EvalContext, Segment } from "../compile/types.js";
import type { SchemaModel } from "../schema/model.js";
import { type RecordConstraints, buildOptions, fieldArbitrary, objectArbitrary } from "./arbitrary/record.js";
import { resolveNow, resolveTimeZone } from "./dates.js";
import { type GenField, type GenObject, type GenRecord, genFromModel, genFromZod, zodAccepts } from "./gen-type.js";
import { messages } from "./messages.js";
import { schemaOf } from "./registry.js";
import { Rng, hashText } from "./rng.js";
import type { Env } from "./solver/atoms.js";
import { type FactLookup, factLookup } from "./solver/facts.js";
import { materialise, sampler } from "./solver/materialise.js";
import { type Goal, Plan, type Want } from "./solver/plan.js";
import { search } from "./solver/search.js";
import { ABSENT } from "./arbitrary/record.js";
import { minimalObject, sampleFallback } from "./minimal.js";

/** Options of {@link matchingRecord} and {@link nonMatchingRecord}. */
export interface WitnessOptions {
  /** The zod schema the segment was compiled against (not needed after `withSchema`). */
  readonly schema?: unknown;
  /** Only values databases store faithfully (see `recordArbitrary`). */
  readonly dbSafe?: boolean;
  /** Longest array of the free fields (default 3). */
  readonly maxArrayLength?: number;
  /** Most witness plans kept (default 6): different branches of `or`, different targets. */
  readonly maxPlans?: number;
  /** Search steps (default 20,000): the bound after which no witness means "none". */
  readonly budget?: number;
}

/** Everything a witness search and its arbitrary share. @internal */
export interface Prepared {
  readonly model: SchemaModel;
  readonly schema?: $ZodType;
  readonly gen: GenRecord;
  readonly env: Env;
  /** What the checker resolved for the segments' nodes, against `model`. */
  readonly facts: FactLookup;
  /** The contexts witnesses are checked with (two instants when the caller gave no `now`). */
  readonly contexts: readonly EvalContext[];
  readonly base: fc.Arbitrary<Record<string, unknown>>;
  readonly arbOf: (o: GenObject) => fc.Arbitrary<Record<string, unknown>>;
  readonly fieldArbOf: (f: GenField) => fc.Arbitrary<unknown>;
}

/** A plan that produced a checked record. @internal */
export interface Witness {
  readonly plan: Plan;
  readonly record: Record<string, unknown>;
}

const HOUR = 3_600_000;

/** Parameters the rule uses that the context does not give. */
function missingParams(body: ExprNode, params: Readonly<Record<string, unknown>>): string[] {
  const out = new Set<string>();
  forEachNode(body, (n) => {
    if (n.kind === "param" && !(n.name in params)) out.add(n.name);
  });
  return [...out];
}

/** Resolves schema, time and generators for a set of segments over one schema. @internal */
export function prepare(segments: readonly Segment<any>[], ctx: EvalContext | undefined, options: WitnessOptions & { nulls?: boolean } = {}): Prepared {
  const first = segments[0]!;
  const known = schemaOf(first, options.schema);
  const params = ctx?.params ?? {};
  for (const s of segments) {
    const missing = missingParams(s.ast.body, params);
    if (missing.length) throw messages.missingParam(s.source, missing[0]!);
  }
  const gen = known.schema ? genFromZod(known.schema) : genFromModel(known.model);
  const now = resolveNow(ctx?.now);
  const zone = resolveTimeZone(ctx?.timeZone);
  const env: Env = { now, zone, params };
  const base: EvalContext = { ...ctx, now: new Date(now), timeZone: zone };
  // Without a caller's `now`, a witness must hold for the next hour too, so that a test that
  // evaluates it a little later (with its own "now") still sees it on the same side of a cutoff.
  const contexts = ctx?.now === undefined ? [base, { ...base, now: new Date(now + HOUR) }] : [base];
  const constraints: RecordConstraints = {
    now,
    timeZone: zone,
    dbSafe: options.dbSafe,
    maxArrayLength: options.maxArrayLength ?? 3,
    nulls: options.nulls,
  };
  const b = buildOptions(gen, constraints);
  const objCache = new WeakMap<GenObject, fc.Arbitrary<Record<string, unknown>>>();
  const fieldCache = new WeakMap<GenField, fc.Arbitrary<unknown>>();
  const arbOf = (o: GenObject) => {
    let a = objCache.get(o);
    if (!a) objCache.set(o, (a = objectArbitrary(o, b)));
    return a;
  };
  const fieldArbOf = (f: GenField) => {
    let a = fieldCache.get(f);
    if (!a) fieldCache.set(f, (a = fieldArbitrary(f, b).filter((v) => v !== ABSENT)));
    return a;
  };
  const facts = factLookup(segments, known.model);
  return { model: known.model, schema: known.schema, gen, env, facts, contexts, base: arbOf(gen.root), arbOf, fieldArbOf };
}

/** The goals of "each segment's rule has this truth value" over the record. @internal */
export function goalsOf(parts: readonly { segment: Segment<any>; want: Want }[]): Goal[] {
  return parts.map(({ segment, want }) => ({ kind: "expr", expr: segment.ast.body, want, scope: [0] }));
}

/** True when the schema accepts the record (always true without a zod schema). */
function schemaAccepts(p: Prepared, record: unknown): boolean {
  return zodAccepts(p.schema, record);
}

/**
 * Searches plans for `goals` and keeps those that give a record `accept` takes, up to `maxPlans`:
 * a first left-to-right search, then searches with shuffled branch orders for variety.
 * @internal
 */
export function findWitnesses(
  p: Prepared,
  goals: readonly Goal[],
  accept: (record: Record<string, unknown>) => boolean,
  seedText: string,
  options: { maxPlans?: number; budget?: number; minimal?: boolean } = {},
): { witnesses: Witness[]; tried: number } {
  const maxPlans = options.maxPlans ?? 6;
  const budget = { steps: options.budget ?? 20_000 };
  const witnesses: Witness[] = [];
  const seen = new Set<string>();
  let tried = 0;
  const seed0 = hashText(seedText);
  const samples = fc.sample(p.base, { seed: seed0 | 0, numRuns: 8 });
  if (options.minimal) {
    const simplest = minimalObject(p.gen.root, p.env.now, p.env.zone, sampleFallback(p.fieldArbOf));
    if (zodAccepts(p.schema, simplest)) samples.unshift(simplest, simplest);
  }
  for (let run = 0; run < maxPlans * 3 && witnesses.length < maxPlans && budget.steps > 0; run++) {
    const rng = new Rng(seed0 + run * 7919);
    const share = { steps: Math.min(budget.steps, Math.max(500, Math.floor(budget.steps / 2))) };
    const before = share.steps;
    let found = false;
    let stopped = false;
    for (const plan of search(Plan.root(p.model.root, p.gen.root), goals, {
      env: p.env,
      facts: p.facts,
      rng: run === 0 ? undefined : rng,
      maxElements: 8,
      budget: share,
    })) {
      tried++;
      for (let attempt = 0; attempt < 6; attempt++) {
        const mrng = new Rng(seed0 + run * 131 + attempt * 17 + tried);
        const record = materialise(plan, {
          env: p.env,
          rng: mrng,
          base: attempt < 2 ? samples[(run + attempt) % samples.length]! : fc.sample(p.base, { seed: mrng.int(2 ** 31), numRuns: 1 })[0]!,
          ...sampler(p.arbOf, p.fieldArbOf, mrng),
        });
        if (record && schemaAccepts(p, record) && accept(record)) {
          const key = stableKey(record);
          if (!seen.has(key)) {
            seen.add(key);
            witnesses.push({ plan, record });
          }
          found = true;
          break;
        }
      }
      if (found || tried > 400) {
        stopped = true;
        break;
      }
    }
    budget.steps -= before - share.steps;
    // The first search is exhaustive when it ran to its end within its budget: no plan at all.
    if (run === 0 && !stopped && share.steps > 0) break;
  }
  return { witnesses, tried };
}

function stableKey(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x instanceof Date ? `D${x.getTime()}` : x));
}

/** An arbitrary over the witnesses' plans: each draw re-materialises a plan with fresh free fields, falling back to its checked record. @internal */
export function witnessArbitrary<T>(p: Prepared, witnesses: readonly Witness[], accept: (record: Record<string, unknown>) => boolean): fc.Arbitrary<T> {
  return fc
    .tuple(fc.nat({ max: witnesses.length - 1 }), fc.noShrink(fc.nat()), p.base)
    .map(([i, seed, base]) => {
      const w = witnesses[i]!;
      const rng = new Rng(seed);
      const record = materialise(w.plan, { env: p.env, rng, base, ...sampler(p.arbOf, p.fieldArbOf, rng) });
      if (record && schemaAccepts(p, record) && accept(record)) return record as T;
      return structuredClone(w.record) as T;
    });
}

/**
 * An arbitrary of records for which `segment.test(record, ctx)` is true, built from the rule:
 * one branch of each `or`, negations pushed down to the fields, the rule's literals, their
 * neighbours and its date cutoffs ± 1 ms first. Each record is checked with the segment (and
 * the zod schema) before it is returned, so a rule that matches one record in a million still
 * gets witnesses at once.
 *
 * @param segment - a compiled segment
 * @param ctx - the evaluation context (`now`, `timeZone`, `params`) the records must match under;
 *   without `now`, records match at the instant of the call and for the hour after
 * @param options - `schema` (unless registered with `withSchema`), `dbSafe`
 * @throws CibleError `testing.no-witness` naming the rule when a bounded search finds no record
 *   (the rule may be unsatisfiable), `testing.no-schema`, `testing.missing-param`
 *
 * @example
 * ```ts
 * const seg = compile('employees = 123457 and sector = "santé" and tech has "Zoho"', Contact);
 * fc.assert(fc.property(matchingRecord(seg, ctx, { schema: Contact }), (r) => seg.test(r, ctx)));
 * ```
 */
export function matchingRecord<T = Record<string, unknown>>(segment: Segment<T>, ctx?: EvalContext, options: WitnessOptions = {}): fc.Arbitrary<T> {
  const p = prepare([segment as Segment<any>], ctx, options);
  const accept = (r: Record<string, unknown>) => p.contexts.every((c) => segment.test(r as T, c));
  const { witnesses, tried } = findWitnesses(p, goalsOf([{ segment: segment as Segment<any>, want: "T" }]), accept, `T:${segment.source}`, options);
  if (witnesses.length === 0) throw messages.noWitness(segment.source, "matching", tried);
  return witnessArbitrary<T>(p, witnesses, accept);
}

/**
 * An arbitrary of records for which `segment.test(record, ctx)` is false: mostly records that make
 * the rule FALSE (built as for {@link matchingRecord}, with the rule negated), and records that
 * make it unknown (a field it reads null or absent), each checked with the segment.
 *
 * @throws CibleError `testing.no-witness` naming the rule when a bounded search finds none (the
 *   rule may always be true)
 *
 * @example
 * ```ts
 * fc.assert(fc.property(nonMatchingRecord(seg, ctx, { schema: Contact }), (r) => !seg.test(r, ctx)));
 * ```
 */
export function nonMatchingRecord<T = Record<string, unknown>>(segment: Segment<T>, ctx?: EvalContext, options: WitnessOptions = {}): fc.Arbitrary<T> {
  const p = prepare([segment as Segment<any>], ctx, options);
  const accept = (r: Record<string, unknown>) => p.contexts.every((c) => !segment.test(r as T, c));
  const seg = segment as Segment<any>;
  const f = findWitnesses(p, goalsOf([{ segment: seg, want: "F" }]), accept, `F:${segment.source}`, options);
  const u = findWitnesses(p, goalsOf([{ segment: seg, want: "U" }]), accept, `U:${segment.source}`, {
    ...options,
    maxPlans: Math.max(1, Math.floor((options.maxPlans ?? 6) / 2)),
    budget: Math.floor((options.budget ?? 20_000) / 2),
  });
  const witnesses = [...f.witnesses, ...u.witnesses];
  if (witnesses.length === 0) throw messages.noWitness(segment.source, "non-matching", f.tried + u.tried);
  return witnessArbitrary<T>(p, witnesses, accept);
}
