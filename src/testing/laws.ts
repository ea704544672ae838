/**
 * Property helpers over segments: `assertImplies(a, b)` (every record in a is in b),
 * `assertDisjoint(a, b)`, `assertEquivalent(a, b)`. Each looks for a counterexample in two ways:
 * first by construction (the search of witness.ts on "a TRUE and b not TRUE"), then with
 * fast-check over records that favour both rules' boundary values and witnesses. A failure throws
 * a {@link SegmentLawError} whose message shows the record (as a JavaScript literal one can paste
 * into a regression test) and `explainText` of both segments on it.
 */
import * as fc from "fast-check";
import { explainText } from "../compile/index.js";
import type { EvalContext, Segment } from "../compile/types.js";
import { buildOptions, objectArbitrary } from "./arbitrary/record.js";
import { boundaryValues } from "./boundaries.js";
import { type Prepared, type WitnessOptions, findWitnesses, goalsOf, prepare, witnessArbitrary } from "./witness.js";
import { schemaOf } from "./registry.js";
import { readPaths, sampleFallback, simplifyUnread } from "./minimal.js";
import { zodAccepts } from "./gen-type.js";
import type { Want } from "./solver/plan.js";

/** Options of the `assert*` helpers. */
export interface LawOptions<T = Record<string, unknown>> {
  /** The zod schema both segments were compiled against (not needed after `withSchema`). */
  readonly schema?: unknown;
  /** The evaluation context (`now`, `timeZone`, `params`); without `now`, the instant of the call, the same for both segments. */
  readonly ctx?: EvalContext;
  /** fast-check's seed (default: random) and number of runs (default 100) for the random phase. */
  readonly seed?: number;
  readonly numRuns?: number;
  /** Extra records to try (for example fixtures of your own). */
  readonly records?: fc.Arbitrary<T>;
  /** Names of the two segments in the report (default: "A" and "B"). */
  readonly names?: readonly [string, string];
  /** Skip the search by construction and only run fast-check. */
  readonly randomOnly?: boolean;
  /** Only values databases store faithfully. */
  readonly dbSafe?: boolean;
}

/** The law a helper checks. */
export type Law = "implies" | "disjoint" | "equivalent";

/** A counterexample to a law between two segments. */
export class SegmentLawError extends Error {
  /** The law that failed. */
  readonly law: Law;
  /** The record that breaks it. */
  readonly record: unknown;
  /** How it was found: by construction from the rules, or by fast-check (with its seed and path). */
  readonly foundBy: { readonly kind: "construction" } | { readonly kind: "fast-check"; readonly seed: number; readonly path: string | null; readonly numRuns: number };

  constructor(message: string, law: Law, record: unknown, foundBy: SegmentLawError["foundBy"]) {
    super(message);
    this.name = "SegmentLawError";
    this.law = law;
    this.record = record;
    this.foundBy = foundBy;
  }
}

// ---------------------------------------------------------------------------------------------
// Showing a record
// ---------------------------------------------------------------------------------------------

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A record as a JavaScript literal: dates as `new Date("…")`, `-0`, absent keys left out. @internal */
export function showValue(v: unknown, indent = ""): string {
  const next = `${indent}  `;
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "new Date(NaN)" : `new Date(${JSON.stringify(v.toISOString())})`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const items = v.map((x) => showValue(x, next));
    const flat = `[${items.join(", ")}]`;
    return flat.length <= 72 && !flat.includes("\n") ? flat : `[\n${items.map((i) => `${next}${i},`).join("\n")}\n${indent}]`;
  }
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, x]) => `${next}${IDENT.test(k) ? k : JSON.stringify(k)}: ${showValue(x, next)},`).join("\n")}\n${indent}}`;
  }
  return String(v);
}

const TRUTH = (t: boolean | null) => (t === true ? "true" : t === false ? "false" : "unknown");

function report(
  law: Law,
  a: Segment<any>,
  b: Segment<any>,
  names: readonly [string, string],
  record: unknown,
  ctx: EvalContext,
  foundBy: SegmentLawError["foundBy"],
): SegmentLawError {
  const [na, nb] = names;
  const ea = a.explain(record, ctx);
  const eb = b.explain(record, ctx);
  const inA = a.test(record, ctx);
  const headline =
    law === "disjoint"
      ? `a record is in both ${na} and ${nb}.`
      : inA
        ? `a record is in ${na} but not in ${nb}.`
        : `a record is in ${nb} but not in ${na}.`;
  const how =
    foundBy.kind === "construction"
      ? "by construction from both rules"
      : `by fast-check (seed ${foundBy.seed}${foundBy.path ? `, path "${foundBy.path}"` : ""}, numRuns ${foundBy.numRuns})`;
  const now = ctx.now instanceof Date ? ctx.now.toISOString() : String(ctx.now);
  const lines = [
    `assert${law[0]!.toUpperCase()}${law.slice(1)} failed: ${headline}`,
    `  ${na}: ${a.source}`,
    `  ${nb}: ${b.source}`,
    `  found ${how}; evaluated with now = ${now}, timeZone = ${ctx.timeZone ?? "UTC"}`,
    "",
    "Record:",
    indentBlock(showValue(record), "  "),
    "",
    `Why, in ${na} (${TRUTH(ea.result)}):`,
    indentBlock(explainText(ea), "  "),
    "",
    `Why, in ${nb} (${TRUTH(eb.result)}):`,
    indentBlock(explainText(eb), "  "),
  ];
  return new SegmentLawError(lines.join("\n"), law, record, foundBy);
}

const indentBlock = (text: string, pad: string) =>
  text
    .split("\n")
    .map((l) => pad + l)
    .join("\n");

// ---------------------------------------------------------------------------------------------
// The helpers
// ---------------------------------------------------------------------------------------------

interface Direction {
  /** Goals whose witnesses break the law. */
  readonly goals: readonly (readonly { seg: Segment<any>; want: Want }[])[];
  /** True when `r` breaks the law. */
  readonly broken: (r: unknown) => boolean;
}

function prepareBoth(a: Segment<any>, b: Segment<any>, options: LawOptions<any>): Prepared {
  let schema = options.schema;
  if (schema === undefined) {
    try {
      schemaOf(a);
    } catch {
      schema = schemaOf(b).schema ?? schemaOf(b).model;
    }
  }
  return prepare([a, b], options.ctx, { schema, dbSafe: options.dbSafe } as WitnessOptions);
}

function runLaw(law: Law, a: Segment<any>, b: Segment<any>, options: LawOptions<any>, directionsAt: (ctx: EvalContext) => Direction[]): void {
  const p = prepareBoth(a, b, options);
  // One context for the whole check: both segments see the same `now`.
  const ctx = p.contexts[0]!;
  const directions = directionsAt(ctx);
  const names = options.names ?? ["A", "B"];
  const broken = (r: unknown) => directions.some((d) => d.broken(r));
  // The fields neither rule reads, at their simplest in the report (when the record still breaks the law).
  const read = readPaths([a.ast.body, b.ast.body]);
  const simplest = (r: unknown): unknown =>
    read && typeof r === "object" && r !== null
      ? simplifyUnread(r as Record<string, unknown>, p.gen.root, read, p.env.now, p.env.zone, sampleFallback(p.fieldArbOf), (x) => zodAccepts(p.schema, x) && broken(x))
      : r;

  // 1. By construction: solve "a TRUE and b FALSE" (or unknown), and the like.
  if (!options.randomOnly) {
    for (const d of directions) {
      for (const parts of d.goals) {
        const goals = goalsOf(parts.map((x) => ({ segment: x.seg, want: x.want })));
        const { witnesses } = findWitnesses(p, goals, (r) => d.broken(r), `${law}:${a.source}:${b.source}`, { maxPlans: 1, budget: 6000, minimal: true });
        if (witnesses.length) throw report(law, a, b, names, simplest(witnesses[0]!.record), ctx, { kind: "construction" });
      }
    }
  }

  // 2. fast-check over records that favour both rules' boundaries, and each rule's witnesses.
  const env = p.env;
  const favour: Record<string, unknown[]> = {};
  for (const s of [a, b]) {
    for (const [k, vs] of boundaryValues(s, p.model, p.gen, env)) (favour[k] ??= []).push(...vs);
  }
  const b0 = buildOptions(p.gen, { now: env.now, timeZone: env.zone, favour, dbSafe: options.dbSafe, maxArrayLength: 3 });
  const arbs: fc.Arbitrary<unknown>[] = [objectArbitrary(p.gen.root, b0)];
  for (const [s, want] of [[a, "T"], [b, "T"], [a, "F"], [b, "F"]] as const) {
    const accept = (r: Record<string, unknown>) => (want === "T") === s.test(r, ctx);
    const { witnesses } = findWitnesses(p, goalsOf([{ segment: s, want }]), accept, `${want}:${s.source}`, { maxPlans: 3, budget: 3000 });
    if (witnesses.length) arbs.push(witnessArbitrary(p, witnesses, accept));
  }
  if (options.records) arbs.push(options.records);
  const seed = options.seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const numRuns = options.numRuns ?? 100;
  const result = fc.check(fc.property(fc.oneof(...arbs), (r) => !broken(r)), { seed, numRuns });
  if (result.failed && result.counterexample) {
    throw report(law, a, b, names, simplest(result.counterexample[0]), ctx, { kind: "fast-check", seed, path: result.counterexamplePath, numRuns });
  }
  if (result.failed) throw new Error(`cible/testing: the law check failed without a counterexample (${String(result.errorInstance ?? "interrupted")})`);
}

/** "A record in `a` and not in `b`": a TRUE and b FALSE, or a TRUE and b unknown. */
function notSubset(a: Segment<any>, b: Segment<any>, ctx: EvalContext): Direction {
  return {
    goals: [
      [
        { seg: a, want: "T" },
        { seg: b, want: "F" },
      ],
      [
        { seg: a, want: "T" },
        { seg: b, want: "U" },
      ],
    ],
    broken: (r) => a.test(r, ctx) && !b.test(r, ctx),
  };
}

/**
 * Asserts that every record in `a` is in `b` (`a ⊆ b`): for every record `r`,
 * `a.test(r, ctx)` implies `b.test(r, ctx)`. Looks for a counterexample by construction from
 * both rules first, then with fast-check (`seed`, `numRuns`). Throws a {@link SegmentLawError}
 * showing the record and both explanations when it finds one.
 *
 * @param a - the smaller segment (e.g. hot leads)
 * @param b - the larger one (e.g. contacts who consented)
 * @param options - `schema` (unless registered with `withSchema`), `ctx`, `seed`, `numRuns`, `names`
 * @throws SegmentLawError when a record is in `a` and not in `b`
 *
 * @example
 * ```ts
 * it("hot leads have consented", () => {
 *   assertImplies(compile(hotLeads, Contact), compile("optinEmail and not desinscrit", Contact), { schema: Contact });
 * });
 * ```
 */
export function assertImplies<T>(a: Segment<T>, b: Segment<T>, options: LawOptions<T> = {}): void {
  const sa = a as Segment<any>;
  const sb = b as Segment<any>;
  runLaw("implies", sa, sb, options, (ctx) => [notSubset(sa, sb, ctx)]);
}

/**
 * Asserts that no record is in both `a` and `b`. Throws a {@link SegmentLawError} with a record
 * in both, and both explanations, otherwise.
 *
 * @throws SegmentLawError when a record is in both
 *
 * @example
 * ```ts
 * assertDisjoint(compile("desinscrit", Contact), compile("optinEmail and not desinscrit", Contact), { schema: Contact });
 * ```
 */
export function assertDisjoint<T>(a: Segment<T>, b: Segment<T>, options: LawOptions<T> = {}): void {
  const sa = a as Segment<any>;
  const sb = b as Segment<any>;
  runLaw("disjoint", sa, sb, options, (ctx) => [
    {
      goals: [
        [
          { seg: sa, want: "T" },
          { seg: sb, want: "T" },
        ],
      ],
      broken: (r) => sa.test(r, ctx) && sb.test(r, ctx),
    },
  ]);
}

/**
 * Asserts that `a` and `b` select the same records (`a.test(r, ctx) === b.test(r, ctx)` for
 * every record). Throws a {@link SegmentLawError} with a record in one and not the other otherwise.
 *
 * @throws SegmentLawError when a record is in one segment and not the other
 *
 * @example
 * ```ts
 * assertEquivalent(compile("not (a or b)", S), compile("not a and not b", S), { schema: S });
 * ```
 */
export function assertEquivalent<T>(a: Segment<T>, b: Segment<T>, options: LawOptions<T> = {}): void {
  const sa = a as Segment<any>;
  const sb = b as Segment<any>;
  runLaw("equivalent", sa, sb, options, (ctx) => [notSubset(sa, sb, ctx), notSubset(sb, sa, ctx)]);
}
