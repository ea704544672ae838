/**
 * `and`/`or` chains: put in the order that settles them soonest on the data actually seen, then
 * rebuilt from closures whose call sites each see one callee, so that V8 inlines a whole hot rule
 * into one optimised function.
 *
 * **Order.** Operands have no side effects, so their order changes nothing but speed: `a and b`
 * is TRUE when both are, FALSE when either is, whatever the order. The best order for the
 * is-true closure of `and` tests first the operand most likely to stop it per unit of cost
 * (`cost / P(not TRUE)`), as query engines order predicates; the author's order and the static
 * cost order often are not it (`not unsubscribed` is cheap but true 90% of the time,
 * `revenue > 1M` false 80% of the time). A {@link Tuner} belongs to one compiled expression: it
 * evaluates every operand of every chain on a sample of records (one in {@link FAST_EVERY}, then
 * one in {@link SLOW_EVERY} calls of `test`; a few strided records per `filter` batch), counts
 * how often each is TRUE and FALSE, and reorders. Only chains outside `where` clauses are tuned
 * (an element scope exists only inside its quantifier), so their ancestors are only chains and
 * `not`: the only nodes that {@link Relinkable.relink}.
 *
 * **Sites.** V8 keeps call feedback per function *literal*. A combinator literal shared by every
 * chain calls many different operands at each position: a megamorphic call, never inlined.
 * Measured on the benchmark rules, a tree whose every call site sees one callee runs as fast as
 * the hand-written predicate, a shared one at about half its speed. So, when a chain is tuned, it
 * is rebuilt from combinators taken from pools of identical literals ({@link AND2}…), each used by
 * one chain until the pool wraps around (then sites are shared again: megamorphic, as before).
 * Chains are built from the shared {@link GENERIC} combinators until their first tuning, so that
 * pool sites go to rules that are actually evaluated, in the order they get hot.
 *
 * **Owners.** What evaluates a compiled expression goes through its owner ({@link ownSegment},
 * {@link ownExpression}): it counts evaluations down to the next sample, takes the root's
 * closures again when the tuner rebuilt them, and gives a segment its `filter` loop and `test`
 * (pooled once hot). The countdown, the relink bookkeeping and the pools stay in this file.
 * @internal
 */
import { type Frame, type Get, type Rec, carefulRoot, rootOf } from "./read.js";
import type { RunSlot, RunState } from "./run.js";
import type { EvalContext, Truth } from "./types.js";
import type { CompiledExpr } from "./value.js";

type Fn = Get<boolean>;
type Make2 = (a: Fn, b: Fn) => Fn;
type Make3 = (a: Fn, b: Fn, c: Fn) => Fn;
type Make4 = (a: Fn, b: Fn, c: Fn, d: Fn) => Fn;

/** A node whose closures are rebuilt from its operands' (chains and `not`). */
export interface Relinkable {
  /** Rebuilds the closures if an operand's changed or the order did; true when they changed. */
  relink?(): boolean;
}

/** A chain operand as the tuner sees it. */
export interface TunedPart extends Relinkable {
  readonly t: Fn;
  readonly f: Fn;
  readonly cost: number;
}

// ---------------------------------------------------------------------------------------------
// Combinators
// ---------------------------------------------------------------------------------------------

/** The shared combinators of chains not tuned yet (one literal each: megamorphic, and cold). */
const GENERIC = {
  and2: ((a, b) => (r, run, s) => a(r, run, s) && b(r, run, s)) as Make2,
  and3: ((a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s)) as Make3,
  and4: ((a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s)) as Make4,
  or2: ((a, b) => (r, run, s) => a(r, run, s) || b(r, run, s)) as Make2,
  or3: ((a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s)) as Make3,
  or4: ((a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s)) as Make4,
};

// Pools of identical literals: each is a call site of its own (see above). Do not fold into a loop.
// prettier-ignore
const AND2: readonly Make2[] = [
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) && b(r, run, s),
];
// prettier-ignore
const AND3: readonly Make3[] = [
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s),
];
// prettier-ignore
const AND4: readonly Make4[] = [
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) && b(r, run, s) && c(r, run, s) && d(r, run, s),
];
// prettier-ignore
const OR2: readonly Make2[] = [
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
  (a, b) => (r, run, s) => a(r, run, s) || b(r, run, s),
];
// prettier-ignore
const OR3: readonly Make3[] = [
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
  (a, b, c) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s),
];
// prettier-ignore
const OR4: readonly Make4[] = [
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
  (a, b, c, d) => (r, run, s) => a(r, run, s) || b(r, run, s) || c(r, run, s) || d(r, run, s),
];

const cursor = { and2: 0, and3: 0, and4: 0, or2: 0, or3: 0, or4: 0 };

function claim<T>(pool: readonly T[], shape: keyof typeof cursor): T {
  const site = pool[cursor[shape] % pool.length]!;
  cursor[shape]++;
  return site;
}

/**
 * `a && b && …` (`every`) or `a || b || …`, left to right. Up to four operands in one closure;
 * longer chains as a chain of groups of four (same order, same short-circuit). `pooled`: from
 * the pools of sites, else from the shared combinators.
 */
export function combine(every: boolean, fns: readonly Fn[], pooled: boolean): Fn {
  const n = fns.length;
  if (n === 0) return every ? ALWAYS : NEVER;
  if (n === 1) return fns[0]!;
  if (n > 4) {
    const groups: Fn[] = [];
    for (let i = 0; i < n; i += 4) groups.push(combine(every, fns.slice(i, i + 4), pooled));
    return combine(every, groups, pooled);
  }
  const [a, b, c, d] = fns as [Fn, Fn, Fn, Fn];
  if (every) {
    if (n === 2) return (pooled ? claim(AND2, "and2") : GENERIC.and2)(a, b);
    if (n === 3) return (pooled ? claim(AND3, "and3") : GENERIC.and3)(a, b, c);
    return (pooled ? claim(AND4, "and4") : GENERIC.and4)(a, b, c, d);
  }
  if (n === 2) return (pooled ? claim(OR2, "or2") : GENERIC.or2)(a, b);
  if (n === 3) return (pooled ? claim(OR3, "or3") : GENERIC.or3)(a, b, c);
  return (pooled ? claim(OR4, "or4") : GENERIC.or4)(a, b, c, d);
}

const NEVER: Fn = () => false;
const ALWAYS: Fn = () => true;

// ---------------------------------------------------------------------------------------------
// Chains
// ---------------------------------------------------------------------------------------------

/** The two closures of a condition: is TRUE (`t`), is FALSE (`f`). */
type Side = "t" | "f";

/**
 * The meaning of `and` and `or` (Kleene's three-valued logic), written once for chains as
 * compiled and as rebuilt by the tuner: `and` is TRUE when every operand is TRUE and FALSE when
 * any is FALSE; `or` is TRUE when any operand is TRUE and FALSE when every one is FALSE. So each
 * closure of a chain is an `&&` (true here) or an `||` (false) of the same closure of its operands.
 */
function conjunctive(and: boolean, side: Side): boolean {
  return side === "t" ? and : !and;
}

/**
 * The `and` (`and` true) or `or` of compiled operands. A nested chain of the same kind is
 * flattened into it (`a and (b and c)` is one chain of three, with the same meaning; the inner
 * chain is no longer evaluated, so `tuner` forgets it), and operands go cheap first until the
 * tuner knows better. `tuner`: the compiled expression's, when the chain is outside `where`
 * clauses (see the top of this file); the chain is then registered with it.
 * @internal
 */
export function joinChain(and: boolean, operands: readonly TunedPart[], tuner: Tuner | undefined): Chain {
  const parts: TunedPart[] = [];
  for (const k of operands) {
    if (k instanceof Chain && k.and === and) {
      parts.push(...k.parts);
      tuner?.remove(k);
    } else parts.push(k);
  }
  const ordered = parts.map((p, i) => ({ p, i })).sort((a, b) => a.p.cost - b.p.cost || a.i - b.i).map((x) => x.p);
  const c = new Chain(and, ordered);
  tuner?.add(c);
  return c;
}

/**
 * An `and`/`or` chain: its operands (nested chains of the same kind flattened), the order of each
 * of its two closures, and the counts the tuner keeps.
 * @internal
 */
export class Chain implements TunedPart {
  t: Fn;
  f: Fn;
  readonly cost: number;
  /** Operand indices in the order of the is-true closure, and of the is-false one. */
  private tOrder: number[];
  private fOrder: number[];
  /** Built from pool sites (tuned at least once). */
  private pooled = false;
  private dirty = false;
  /** How often each operand was TRUE, and FALSE, in the samples (decayed). */
  private readonly yes: number[];
  private readonly no: number[];
  private n = 0;

  /** `parts` in their static order (cheap first). */
  constructor(
    readonly and: boolean,
    readonly parts: readonly TunedPart[],
  ) {
    const order = parts.map((_, i) => i);
    this.tOrder = order;
    this.fOrder = order;
    this.cost = parts.reduce((a, p) => a + p.cost, 0);
    this.t = this.build("t", false);
    this.f = this.build("f", false);
    this.yes = parts.map(() => 0);
    this.no = parts.map(() => 0);
  }

  /** The closure `side` of the chain, operands in that side's order (see {@link conjunctive}). */
  private build(side: Side, pooled: boolean): Fn {
    const order = side === "t" ? this.tOrder : this.fOrder;
    return combine(conjunctive(this.and, side), order.map((i) => this.parts[i]![side]), pooled);
  }

  /** Counts what each operand gives on one record. */
  sample(r: Rec, run: RunState, s: Frame | undefined): void {
    const parts = this.parts;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p.t(r, run, s)) this.yes[i]!++;
      else if (p.f(r, run, s)) this.no[i]!++;
    }
    this.n++;
  }

  /** Chooses the orders from the counts; a later change must pay (20% fewer expected costs). */
  retune(): void {
    const { parts, yes, no, n } = this;
    // Probabilities with a little smoothing, so that a few samples never rule an operand out.
    const pT = (i: number) => (yes[i]! + 0.5) / (n + 1);
    const pF = (i: number) => (no[i]! + 0.5) / (n + 1);
    // The chance that an operand stops a closure: an `&&` stops at the first operand whose
    // closure is false, an `||` at the first whose closure is true.
    const stopOf = (side: Side, p: (i: number) => number) => (conjunctive(this.and, side) ? (i: number) => 1 - p(i) : p);
    const tStop = stopOf("t", pT);
    const fStop = stopOf("f", pF);
    const t = orderBy(parts, tStop);
    const f = orderBy(parts, fStop);
    const better = (next: number[], now: number[], stop: (i: number) => number) =>
      expectedCost(parts, next, stop) < 0.8 * expectedCost(parts, now, stop);
    if (!this.pooled || better(t, this.tOrder, tStop) || better(f, this.fOrder, fStop)) {
      this.tOrder = t;
      this.fOrder = f;
      this.dirty = true;
    }
    // Older samples weigh less and less: the order follows the data as it changes.
    for (let i = 0; i < parts.length; i++) {
      yes[i]! *= 0.5;
      no[i]! *= 0.5;
    }
    this.n *= 0.5;
  }

  relink(): boolean {
    let changed = false;
    for (const p of this.parts) if (p.relink?.()) changed = true;
    if (!changed && !this.dirty) return false;
    this.dirty = false;
    this.pooled = true;
    this.t = this.build("t", true);
    this.f = this.build("f", true);
    return true;
  }
}

/** Operand indices by increasing cost per chance of stopping (ties: the static order). */
function orderBy(parts: readonly TunedPart[], stop: (i: number) => number): number[] {
  const key = parts.map((p, i) => p.cost / Math.max(stop(i), 1e-3));
  return parts.map((_, i) => i).sort((a, b) => key[a]! - key[b]! || a - b);
}

/** The expected cost of evaluating operands in `order` until one stops the chain. */
function expectedCost(parts: readonly TunedPart[], order: readonly number[], stop: (i: number) => number): number {
  let reach = 1;
  let sum = 0;
  for (const i of order) {
    sum += reach * parts[i]!.cost;
    reach *= 1 - stop(i);
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Batch loops
// ---------------------------------------------------------------------------------------------

/**
 * `filter`'s loop over `rows[from..to)`: pushes to `out` the records for which `t` is TRUE.
 * Called on chunks of {@link CHUNK} records, not once per batch: a function entered once per
 * batch is optimised only by on-stack replacement, whose code a full garbage collection may drop
 * (measured: a `filter` right after `gc()` ran 5× slower for a dozen batches); called many times,
 * it is optimised as a whole, and stays so.
 */
type Loop = (rows: readonly unknown[], from: number, to: number, run: RunState, out: unknown[]) => void;

/** Records per call of a {@link Loop}. */
const CHUNK = 256;

/** The shared loop, for conditions not tuned yet. */
const GENERIC_LOOP = (t: Fn): Loop => (rows, from, to, run, out) => {
  for (let i = from; i < to; i++) {
    const x = rows[i];
    let y: boolean;
    try {
      y = t(rootOf(x), run, undefined);
    } catch {
      y = t(carefulRoot(x), run, undefined); // see ExpressionOwner.truth
    }
    if (y) out.push(x);
  }
};

// A loop of its own for each tuned condition, for the same reason as the combinators: its call to
// `t` then sees one callee, and the whole rule is inlined into the loop. Do not fold into a loop.
// prettier-ignore
const LOOPS: readonly ((t: Fn) => Loop)[] = [
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
  (t) => (rows, from, to, run, out) => { for (let i = from; i < to; i++) { const x = rows[i]; let y: boolean; try { y = t(rootOf(x), run, undefined); } catch { y = t(carefulRoot(x), run, undefined); } if (y) out.push(x); } },
];
let loopCursor = 0;

/** The loop of `filter` over condition `t`: from the pool once tuned (`pooled`), else shared. */
function loopOf(t: Fn, pooled: boolean): Loop {
  return pooled ? LOOPS[loopCursor++ % LOOPS.length]!(t) : GENERIC_LOOP(t);
}

// ---------------------------------------------------------------------------------------------
// test
// ---------------------------------------------------------------------------------------------

/** `segment.test`. */
export type Test = (record: unknown, ctx?: EvalContext) => boolean;

// A `test` of its own for each tuned condition, for the same reason as the loops: a shared
// `test` literal calls every segment's condition from one site (megamorphic, never inlined),
// which cost 10–20 ns a call on the benchmark rules. Do not fold into a loop.
// prettier-ignore
const TESTS: readonly ((st: SegmentOwner, t: Fn) => Test)[] = [
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
  (st, t) => (record, ctx) => { const run = st.slot.get(ctx); if (st.memo) run.memo.reset(); try { const r = rootOf(record); if (--st.countdown === 0) st.countdown = st.tick(r, run); return t(r, run, undefined); } catch { return t(carefulRoot(record), run, undefined); } },
];
let testCursor = 0;

/**
 * The `test` of a segment: once tuned (`pooled`), one from the pool, bound to the condition
 * `st.t` of now; else the shared literal, which reads `st.t` at each call. (A pooled `test` kept
 * by a caller after a later relink still calls the condition it was made with: same results, as
 * a relink only reorders operands.)
 */
function testOf(st: SegmentOwner, pooled: boolean): Test {
  if (pooled) return TESTS[testCursor++ % TESTS.length]!(st, st.t);
  return (record, ctx) => {
    const run = st.slot.get(ctx);
    if (st.memo) run.memo.reset();
    try {
      const r = rootOf(record);
      if (--st.countdown === 0) st.countdown = st.tick(r, run);
      return st.t(r, run, undefined);
    } catch {
      return st.t(carefulRoot(record), run, undefined); // see ExpressionOwner.truth
    }
  };
}

// ---------------------------------------------------------------------------------------------
// The tuner
// ---------------------------------------------------------------------------------------------

/** Calls between two samples before the first tuning (a quick start). */
const FAST_EVERY = 8;
/** Calls of `test` between two samples, once tuned. */
const SLOW_EVERY = 1024;
/** With nothing to tune: calls of `test` after the first sample that make the rule hot. */
const IDLE_HOT = 512;
/** With nothing to tune: rarely ask again (and stay a small integer). */
const IDLE_EVERY = 1 << 30;
/** Samples between two tunings. */
const TUNE_EVERY = 64;

/**
 * The chains of one compiled expression and when to sample them: created before compiling (the
 * chains register with it, see {@link joinChain}), then driven by the expression's owner
 * ({@link ownExpression}, {@link ownSegment}), which counts evaluations down to `tick`, calls
 * `batch` at the start of a `filter`, and re-reads the root's closures when
 * {@link Tuner.relinks} changes.
 * @internal
 */
export class Tuner {
  private readonly chains: Chain[] = [];
  private samples = 0;
  private tunings = 0;
  private idleTicks = 0;
  /** The root condition, relinked after each tuning; set by its owner. */
  root: Relinkable | undefined = undefined;
  /**
   * Counts the times the root's closures were rebuilt (or, with nothing to tune, the rule got
   * hot): owners compare it with the count they last saw and take the new closures.
   *
   * A counter the owner polls, not a callback the tuner calls: a callback stored here pointed
   * from the tuner back to the owner's whole closure context. When V8 allocates tuners in the
   * old generation (allocation-site pretenuring), a dead tuner then keeps a compiled rule alive
   * until the next full collection. Measured on repeated compiles of one condition: 5.6 µs a
   * compile and 12 ms minor collections with the callback, 1.8 µs and 0.6 ms without.
   */
  relinks = 0;

  /** Registers a chain at compile time. */
  add(c: Chain): void {
    if (c.parts.length > 1) this.chains.push(c);
  }

  /** Unregisters a chain that its parent flattened into its own operands. */
  remove(c: Chain): void {
    const i = this.chains.indexOf(c);
    if (i >= 0) this.chains.splice(i, 1);
  }

  /** True when there is no chain to tune (a single condition). */
  get idle(): boolean {
    return this.chains.length === 0;
  }

  /** Samples `r`; returns the number of evaluations until the next sample. */
  tick(r: Rec, run: RunState): number {
    if (this.chains.length === 0) {
      // Nothing to reorder: once hot, the rule still gets sites of its own (see `relinks`).
      if (++this.idleTicks === 1) return IDLE_HOT;
      if (this.idleTicks === 2) this.relinks++;
      return IDLE_EVERY;
    }
    this.sample(r, run);
    return this.tunings === 0 ? FAST_EVERY : SLOW_EVERY;
  }

  /** Samples a few records of a batch, evenly spread (`root` gives the record closures read). */
  batch(records: readonly unknown[], run: RunState, root: (record: unknown) => Rec): void {
    if (this.chains.length === 0) return;
    const m = Math.min(2 * TUNE_EVERY, records.length >> 7);
    if (m === 0) return;
    const step = records.length / m;
    for (let j = 0; j < m; j++) {
      let r: Rec;
      try {
        r = root(records[Math.floor(j * step)]);
      } catch {
        continue; // a record whose reading throws is not sampled (see sample)
      }
      this.sample(r, run);
    }
  }

  private sample(r: Rec, run: RunState): void {
    try {
      for (const c of this.chains) c.sample(r, run, undefined);
    } catch {
      // Reading the record threw (a getter, a Proxy trap): it is evaluated carefully by the
      // caller; the counts it left are only statistics.
      return;
    }
    if (++this.samples < TUNE_EVERY) return;
    this.samples = 0;
    this.tunings++;
    for (const c of this.chains) c.retune();
    if (this.root?.relink?.()) this.relinks++;
  }
}

// ---------------------------------------------------------------------------------------------
// Owners
// ---------------------------------------------------------------------------------------------

/** The root of a compiled condition, as its owner reads it. */
export interface TunedRoot extends Relinkable {
  readonly t: Fn;
  readonly f: Fn;
}

/** A compiled condition's results (`compileExpr`); the tuner works behind them. */
export type OwnedExpression = Omit<CompiledExpr, "explain">;

/** A segment's condition: {@link OwnedExpression}, plus `test`, `filter` and the segment's run. */
export interface OwnedSegment extends OwnedExpression {
  /** The run for an evaluation context (reused while it says the same thing; memo cleared). */
  run(ctx: EvalContext | undefined): RunState;
  /** The records for which the condition is TRUE, in order. */
  filter(records: readonly unknown[], run: RunState): unknown[];
  /** The `test` of the segment (see {@link OwnedSegment.host}). */
  readonly test: Test;
  /**
   * The object whose `test` this is: once the rule is hot, its `test` is replaced by one with call
   * sites of its own, unless the caller froze it (or made `test` read-only). That `test` is then
   * left in place, and reads the new condition at each call (slower, same results).
   */
  host: { test: unknown } | undefined;
}

/**
 * Whoever evaluates a tuned condition: counts evaluations down to the tuner's next sample (the
 * count survives a relink), and takes the root's closures again when the tuner rebuilt them.
 * The tuner does not point back to its owner (see {@link Tuner.relinks}).
 *
 * Fields are public only for the pooled literals of this file; callers see the interfaces above.
 */
class ExpressionOwner implements OwnedExpression {
  /** The root's closures, as last taken. */
  t: Fn;
  f: Fn;
  /** Evaluations until the tuner samples a record. */
  countdown = FAST_EVERY;
  /** `tuner.relinks` when the closures were last taken. */
  seen = 0;

  constructor(
    readonly tuner: Tuner,
    readonly root: TunedRoot,
  ) {
    tuner.root = root;
    this.t = root.t;
    this.f = root.f;
  }

  /**
   * Reading a record may run user code (a getter, a Proxy trap) and it may throw: any throw while
   * reading or checking a field makes that field unknown. The usual path pays for a `try` only;
   * when something threw, the record is evaluated again on {@link carefulRoot}'s copy, in which
   * every value that threw is missing. An error that does not come from the record (a bug) is
   * thrown again by that second evaluation, which is not in a `try`. (Same in `test`, `filter`'s
   * loops, `explain` and value.ts.)
   */
  truth(record: unknown, run: RunState): Truth {
    try {
      const r = this.count(record, run);
      return this.t(r, run, undefined) ? true : this.f(r, run, undefined) ? false : null;
    } catch {
      const r = carefulRoot(record);
      return this.t(r, run, undefined) ? true : this.f(r, run, undefined) ? false : null;
    }
  }

  isTrue(record: unknown, run: RunState): boolean {
    try {
      return this.t(this.count(record, run), run, undefined);
    } catch {
      return this.t(carefulRoot(record), run, undefined);
    }
  }

  isFalse(record: unknown, run: RunState): boolean {
    try {
      return this.f(this.count(record, run), run, undefined);
    } catch {
      return this.f(carefulRoot(record), run, undefined);
    }
  }

  /** The record as closures read it, counted as one evaluation (sampled when due). */
  private count(record: unknown, run: RunState): Rec {
    const r = rootOf(record);
    if (--this.countdown === 0) this.countdown = this.tick(r, run);
    return r;
  }

  /** Samples `r` for the tuner, takes new closures if it rebuilt them; returns the next countdown. */
  tick(r: Rec, run: RunState): number {
    const next = this.tuner.tick(r, run);
    if (this.tuner.relinks !== this.seen) this.relinked();
    return next;
  }

  /** Takes the root's closures as they are now. */
  relinked(): void {
    this.seen = this.tuner.relinks;
    this.t = this.root.t;
    this.f = this.root.f;
  }
}

/**
 * A segment's owner: also `filter`'s loop and the segment's `test`, both shared until the rule
 * is tuned (or, with nothing to tune, until it is hot: many calls of `test`, or a big batch),
 * then with call sites of their own (see the top of this file).
 */
class SegmentOwner extends ExpressionOwner implements OwnedSegment {
  private loop: Loop;
  private loopShared = true;
  readonly test: Test;
  host: { test: unknown } | undefined = undefined;

  /**
   * `slot`: the segment's runs; `memo`: with references, values computed for a record are kept
   * in the run's memo, to forget at each call (the record may have been changed in place since).
   */
  constructor(
    tuner: Tuner,
    root: TunedRoot,
    readonly slot: RunSlot,
    readonly memo: boolean,
  ) {
    super(tuner, root);
    this.loop = loopOf(this.t, false);
    this.test = testOf(this, false);
  }

  run(ctx: EvalContext | undefined): RunState {
    const run = this.slot.get(ctx);
    if (this.memo) run.memo.reset();
    return run;
  }

  filter(records: readonly unknown[], run: RunState): unknown[] {
    const tuner = this.tuner;
    tuner.batch(records, run, rootOf);
    if (tuner.relinks !== this.seen || (this.loopShared && tuner.idle && records.length >= 1024)) this.relinked();
    // Grown by push: sizing it for the worst case (`new Array(n)`, trimmed at the end) cost
    // 5–7 ns per record on a million records (a large allocation, filled with holes).
    const out: unknown[] = [];
    const n = records.length;
    const loop = this.loop;
    for (let i = 0; i < n; i += CHUNK) loop(records, i, Math.min(n, i + CHUNK), run, out);
    return out;
  }

  override relinked(): void {
    super.relinked();
    this.loop = loopOf(this.t, true);
    this.loopShared = false;
    const host = this.host;
    if (host && Object.getOwnPropertyDescriptor(host, "test")?.writable) host.test = testOf(this, true);
  }
}

/**
 * The owner of a compiled expression's root (`compileExpr`). `tuner`: the one its chains
 * registered with when compiled.
 * @internal
 */
export function ownExpression(tuner: Tuner, root: TunedRoot): OwnedExpression {
  return new ExpressionOwner(tuner, root);
}

/** The owner of a segment's condition (see {@link OwnedSegment}). @internal */
export function ownSegment(tuner: Tuner, root: TunedRoot, slot: RunSlot, memo: boolean): OwnedSegment {
  return new SegmentOwner(tuner, root, slot, memo);
}
