/**
 * When does a rules file's answer for a record change by time alone? (`rules.evaluate(…).nextChange`
 * and `nextChange` on the segments, channels and reach of a file.)
 *
 * Two sources of change. (1) Every time-dependent comparison of every definition involved
 * (segment and channel bodies, score conditions and `per` values, decaying events' `where` and
 * dates, stage conditions, threshold tiers' `by`): the compiler lists the instants at which one
 * may switch (`candidateInstants`); between two of them nothing they read changes. (2) Decaying
 * scores move continuously. A score whose decaying rules all give points of one sign is monotone
 * between two candidates (events weigh 1 until their date, then fade; `if` and `per` points are
 * constant there; a clamp keeps the order), so each comparison of it with a number (`@lead >= 50`,
 * a tier line over `by @lead`) switches at most once there: the instant is found by bisecting whole
 * milliseconds on the score itself, computed by the evaluator at each `now`.
 *
 * The observed answer (a segment's truth, or the file's segments, reachable sets, stages and
 * threshold tiers) is then evaluated at each of these instants, in order; the first at which it
 * differs from its value at `now` is the answer (exact: it does change there).
 *
 * Not followed, refused with `eval.next-change-decay` (docs/time.md): a decaying score read other
 * than compared with a number (`per @lead`, `@lead > @fit`), or whose decaying rules give points of
 * both signs (the sum can rise and fall between two candidates).
 * @internal
 */
import type { AnyNode, Definition, ExprNode, RefNode, ValueNode } from "../ast/nodes.js";
import type { ParamType } from "../check/types.js";
import { definitionRoots, forEachNode } from "../ast/walk.js";
import { type Candidates, type RunState, candidateInstants, carefulRoot, createRun, rootOf } from "../compile/index.js";
import type { EvalContext } from "../compile/types.js";
import { CibleError } from "../errors/cible-error.js";
import { type Span, error } from "../errors/diagnostic.js";
import type { RulesPlan } from "./check-rules.js";

/**
 * How far the search goes: a thousand years before the end of a `Date` (year 275760). Near that
 * end the evaluator reads cutoffs as unknown (docs/time.md, "The end of time"); the candidates of
 * the compiler do not report those changes, and a bisection that ran there would meet them.
 */
const HORIZON = 8.64e15 - 1000 * 365.25 * 86_400_000;

/** A number a decaying score is compared with: a literal, or a number parameter read per run. */
type Threshold = { readonly value: number } | { readonly param: string };

/** What the file's timelines need, computed once per compiled rules file. */
export interface Timelines {
  /**
   * The earliest instant after `ctx.now` at which `observe` gives another key, or null.
   *
   * @param names - the definitions `observe` reads (their references are followed)
   * @param observe - the observed answer at an instant, as a comparable key
   * @throws CibleError `eval.next-change-decay` when a decaying score among them is read in a way
   *   whose crossings cannot be found (see the module doc)
   */
  nextChange(record: unknown, ctx: EvalContext | undefined, names: readonly string[], observe: (now: number) => string): number | null;
}

/** The score of a record at `now` (the evaluator's own, for bisection). */
export type ScoreAt = (name: string, record: unknown, ctx: EvalContext | undefined, now: number) => number;

/**
 * Prepares the timelines of a checked rules file.
 *
 * @param plan - what the checker found
 * @param source - the file's text (for the code frame of `eval.next-change-decay`)
 * @param params - the parameters of every definition (one run reads them all)
 * @param scoreAt - a score at an instant
 */
export function createTimelines(
  plan: RulesPlan,
  source: string,
  params: ReadonlyMap<string, ParamType>,
  scoreAt: ScoreAt,
): Timelines {
  const exprs = new Map<string, ExprNode[]>();
  for (const [name, def] of plan.defs) exprs.set(name, timeExprs(def));
  const decaying = new Set<string>();
  const mixed = new Map<string, Span>();
  for (const [name, def] of plan.defs) {
    if (def.kind !== "score") continue;
    const signs = new Set(def.rules.filter((r) => r.kind === "decay").map((r) => Math.sign(r.points)));
    signs.delete(0);
    if (signs.size > 0) decaying.add(name);
    if (signs.size > 1) mixed.set(name, def.nameSpan);
  }
  const { thresholds, misuse } = scoreUses(plan, decaying);
  const order = plan.order;
  /** What a set of observed names involves, worked out once per set (by identity, then by content). */
  interface Involved {
    /** The time-dependent expressions of the definitions involved. */
    readonly bodies: readonly ExprNode[];
    /** The decaying scores among them compared with numbers, in dependency order. */
    readonly scores: readonly string[];
  }
  const byKey = new Map<string, Involved>();
  const byList = new WeakMap<readonly string[], Involved>();
  const involvedIn = (names: readonly string[]): Involved => {
    let hit = byList.get(names);
    if (hit) return hit;
    const key = names.join("\0");
    hit = byKey.get(key);
    if (!hit) {
      const seen = new Set<string>();
      const stack = [...names];
      while (stack.length) {
        const n = stack.pop()!;
        if (seen.has(n)) continue;
        seen.add(n);
        for (const e of plan.edges.get(n) ?? []) stack.push(e.to);
      }
      for (const n of seen) {
        const bad = mixed.has(n) ? { span: mixed.get(n)!, why: "its decaying rules give points of both signs" } : misuse.get(n);
        if (bad) throw refused(n, bad.why, bad.span, source);
      }
      hit = {
        bodies: [...seen].flatMap((n) => exprs.get(n) ?? []),
        scores: order.filter((n) => decaying.has(n) && seen.has(n) && (thresholds.get(n)?.length ?? 0) > 0),
      };
      byKey.set(key, hit);
    }
    byList.set(names, hit);
    return hit;
  };

  return {
    nextChange(record, ctx, names, observe) {
      const { bodies, scores } = involvedIn(names);
      const run = createRun(ctx, params);
      let candidates: Candidates;
      try {
        candidates = candidateInstants(bodies, plan.facts, rootOf(record), run);
      } catch {
        // A getter or a trap threw while reading the record: read the careful copy, as the evaluator does.
        candidates = candidateInstants(bodies, plan.facts, carefulRoot(record), run);
      }
      const now = run.nowMs;
      const key0 = observe(now);
      let a = now;
      for (;;) {
        let c = candidates.next();
        if (c !== undefined && c > HORIZON) c = undefined;
        const b = c ?? HORIZON + 1;
        if (scores.length > 0) {
          // Scores in dependency order: a score whose `if` reads another decaying score jumps
          // where that one crosses, so each score is bisected between the crossings found so far.
          const bounds = [a, b];
          for (const s of scores) {
            const at = (t: number) => scoreAt(s, record, ctx, t);
            const found = new Set<number>();
            for (let j = 0; j + 1 < bounds.length; j++) {
              for (const k of levels(thresholds.get(s)!, run)) crossingsOf(at, k, bounds[j]!, bounds[j + 1]! - 1, found);
            }
            if (found.size) bounds.push(...found);
            bounds.sort((x, y) => x - y);
          }
          for (const t of bounds) if (t > a && t < b && observe(t) !== key0) return t;
        }
        if (c === undefined) return null;
        if (observe(b) !== key0) return b;
        a = b;
      }
    },
  };
}

/** The numbers of a score's thresholds in a run (a parameter that is not a finite number is skipped). */
function levels(ts: readonly Threshold[], run: RunState): number[] {
  const out = new Set<number>();
  for (const t of ts) {
    const v = "value" in t ? t.value : run.params.get(t.param);
    if (typeof v === "number" && v === v) out.add(v);
  }
  return [...out];
}

/**
 * Adds the first instant in `(a, hi]` at which `score >= k` (and `score > k`) differs from its
 * value at `a`: the score is monotone on `[a, hi]`, so each switches at most once there.
 */
function crossingsOf(score: (t: number) => number, k: number, a: number, hi: number, out: Set<number>): void {
  if (!(hi > a)) return;
  const sa = score(a);
  const sh = score(hi);
  for (const strict of [false, true]) {
    const p = (s: number) => (strict ? s > k : s >= k);
    const pa = p(sa);
    if (p(sh) === pa) continue;
    let lo = a; // p(lo) === pa
    let up = hi; // p(up) !== pa
    while (up - lo > 1) {
      const mid = lo + Math.floor((up - lo) / 2);
      if (p(score(mid)) === pa) lo = mid;
      else up = mid;
    }
    out.add(up);
  }
}

/**
 * The expressions of a definition whose time-dependent comparisons can change its value: bodies,
 * score conditions and `per` values, decaying events (their `where`, and their dates, read as
 * `date within last 0 days`: an event starts to fade once `now` passes it), stage conditions,
 * threshold tiers' `by`. Quantile tiers and RFM are population-relative (not followed).
 */
function timeExprs(def: Definition): ExprNode[] {
  const value = (v: ValueNode): ExprNode => ({ kind: "compare", op: "=", left: v, right: v, span: v.span });
  switch (def.kind) {
    case "segment":
    case "channel":
      return [def.body];
    case "score":
      return def.rules.map((r): ExprNode => {
        if (r.kind === "if") return r.condition;
        if (r.kind === "per") return value(r.value);
        const dated: ExprNode = {
          kind: "within",
          direction: "last",
          subject: r.by,
          duration: { kind: "duration", amount: 0, unit: "day", span: r.by.span },
          span: r.by.span,
        };
        return {
          kind: "quantifier",
          quantifier: "any",
          collection: r.collection,
          where: r.where ? { kind: "or", operands: [r.where, dated], span: r.span } : dated,
          span: r.span,
        };
      });
    case "lifecycle":
      return def.stages.flatMap((s) => (s.condition ? [s.condition] : []));
    case "tiers":
      return def.method === "thresholds" ? [value(def.by)] : [];
    case "rfm":
    case "split":
      return [];
  }
}

/**
 * Where the decaying scores are read: the numbers each is compared with (`@s op n`, `n op @s`,
 * `@s between a and b`, threshold tiers `by @s`), and, per definition, a reading that is not such
 * a comparison (the first one, for the error).
 */
function scoreUses(
  plan: RulesPlan,
  decaying: ReadonlySet<string>,
): { thresholds: Map<string, Threshold[]>; misuse: Map<string, { span: Span; why: string }> } {
  const thresholds = new Map<string, Threshold[]>();
  const misuse = new Map<string, { span: Span; why: string }>();
  if (decaying.size === 0) return { thresholds, misuse };
  const isDecaying = (v: AnyNode): v is RefNode => v.kind === "ref" && decaying.has(v.name);
  const num = (v: AnyNode): Threshold | undefined =>
    v.kind === "number" ? { value: v.value } : v.kind === "param" ? { param: v.name } : undefined;
  const add = (name: string, ts: readonly (Threshold | undefined)[]): boolean => {
    if (ts.some((t) => t === undefined)) return false;
    const list = thresholds.get(name) ?? [];
    list.push(...(ts as Threshold[]));
    thresholds.set(name, list);
    return true;
  };
  for (const [name, def] of plan.defs) {
    const allowed = new Set<RefNode>();
    if (def.kind === "tiers" && isDecaying(def.by)) {
      if (def.method === "quantiles") allowed.add(def.by);
      else {
        const ts = def.lines.flatMap((l) => {
          const t = "test" in l ? l.test : undefined;
          if (!t) return [];
          return t.op === "between" ? [num(t.low), num(t.high)] : [num(t.value)];
        });
        if (add(def.by.name, ts)) allowed.add(def.by);
      }
    }
    for (const root of definitionRoots(def)) {
      forEachNode(root, (n) => {
        if (n.kind === "compare") {
          const pairs: [ValueNode, ValueNode][] = [
            [n.left, n.right],
            [n.right, n.left],
          ];
          for (const [s, other] of pairs) if (isDecaying(s) && add(s.name, [num(other)])) allowed.add(s);
        } else if (n.kind === "between" && isDecaying(n.subject)) {
          if (add(n.subject.name, [num(n.low), num(n.high)])) allowed.add(n.subject);
        }
      });
    }
    if (def.kind === "rfm") for (const v of [def.recency, def.frequency, def.monetary]) if (isDecaying(v)) allowed.add(v);
    for (const root of definitionRoots(def)) {
      forEachNode(root, (n) => {
        if (isDecaying(n) && !allowed.has(n) && !misuse.has(name)) {
          misuse.set(name, { span: n.span, why: `it reads the decaying score \`@${n.name}\` other than by comparing it with a number` });
        }
      });
    }
  }
  return { thresholds, misuse };
}

function refused(name: string, why: string, span: Span, source: string): CibleError {
  return new CibleError(
    [
      error(
        "eval.next-change-decay",
        `The next change of \`${name}\` cannot be computed: ${why}, so the instants at which it changes cannot be bracketed.`,
        span,
        "compare decaying scores with numbers (`@lead >= 50`, tiers by `@lead`), and keep a score's decaying rules of one sign",
      ),
    ],
    source,
  );
}
