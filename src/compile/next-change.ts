/**
 * When does a record's result change by the passage of time alone? (`Segment.nextChange`.)
 *
 * Every part of an expression that depends on `now` compares a value of the record (or a fixed
 * date) with a moving cutoff: `now` itself (`within`) or `now` shifted by a duration
 * (`6 months ago`, an age `< 6 months`, `within last 30 days`, a duration parameter). Such a
 * comparison reads the cutoff `c(t)` only through "is `c(t) >= v`?" for a few thresholds `v`
 * (a date `f` gives `ceil(f)` and `floor(f) + 1`: `f < c` ⇔ `c >= floor(f)+1`, `f <= c` ⇔
 * `c >= ceil(f)`, cutoffs being whole milliseconds). So the instants at which some comparison may
 * switch are the instants at which some cutoff crosses some threshold: the candidates. Between
 * two candidates every comparison, hence the whole three-valued expression, is constant; the
 * answer is the first candidate at which the evaluator itself (run at that `now`) gives another
 * result than at `now`. Combining timelines this way (rather than taking the earliest crossing)
 * makes `createdAt < 30 days or createdAt > 20 days` never change.
 *
 * Crossings: exact units (`c(t) = t ± k`) cross `v` once, at `v ∓ k`. Calendar months and years in
 * a zone are not monotone (29 March 00:00 − 1 month is 28 February 00:00, earlier than
 * 28 March 23:59 − 1 month; a wall clock steps back when daylight saving ends), so around the inverse
 * (`v ± n months`, give or take five days) the cutoff is cut into pieces on which `c(t) − t` is
 * constant (local days, then halves until the offsets agree), and each piece is solved exactly
 * with the same `shiftInstant` the evaluator uses.
 *
 * Not followed: a cutoff leaving the range of a `Date` (within a year or so of ±8.64e15 ms, year
 * 275760), where the evaluator reads it as unknown; see docs/time.md.
 * @internal
 */
import type { DurationNode, ExprNode, ParamNode, ValueNode } from "../ast/nodes.js";
import type { Facts, AggregateFact } from "../check/facts.js";
import { MAX_TIME, UNIT_MS, shiftInstant, toEpochMs as toInstant, wallClockToEpoch } from "../time/cutoffs.js";
import { zoneOffset } from "../time/offsets.js";
import type { Interval } from "./dates.js";
import { fieldReader } from "./operand.js";
import { type Frame, type Rec, walk } from "./read.js";
import type { DurationValue, RunState } from "./run.js";
import type { Truth } from "./types.js";

/** A moving cutoff: `now` itself, or `now` shifted by a duration. */
type Cutoff = { readonly kind: "now" } | { readonly kind: "shift"; readonly d: DurationValue; readonly sign: 1 | -1 };

/** One time-dependent comparison: its cutoffs and the fixed instants they are compared with. */
interface Leaf {
  readonly cutoffs: Cutoff[];
  readonly values: number[];
}

const DAY = 86_400_000;
/** How far from the inverse (`v + n months`) a calendar cutoff may still cross `v` (month ends: 3 days; DST: hours). */
const WINDOW = 5 * DAY;

/**
 * The earliest instant after `run.nowMs` at which `evaluateAt(t)` differs from `evaluateAt(now)`,
 * or `null` when it never does.
 *
 * @param body - the expression
 * @param facts - the checker's facts of `body`
 * @param root - the record as the evaluator reads it (see `rootOf` / `carefulRoot`)
 * @param run - the run at `now` (time zone, parameters)
 * @param evaluateAt - the evaluator at another `now` (epoch milliseconds)
 * @internal
 */
export function nextChangeMs(
  body: ExprNode,
  facts: Facts,
  root: Rec,
  run: RunState,
  evaluateAt: (t: number) => Truth,
): number | null {
  const candidates = candidateInstants([body], facts, root, run);
  let t = candidates.next();
  if (t === undefined) return null;
  const at0 = evaluateAt(run.nowMs);
  for (; t !== undefined; t = candidates.next()) if (evaluateAt(t) !== at0) return t;
  return null;
}

/** The candidate instants of {@link candidateInstants}, ascending, computed as they are read. @internal */
export interface Candidates {
  /** The next candidate (each once, ascending), or undefined after the last. */
  next(): number | undefined;
}

/**
 * Every instant after `run.nowMs` (whole milliseconds, ascending) at which some time-dependent
 * comparison of `bodies` may switch for this record; between two consecutive ones, and before
 * the first, every comparison of `bodies` is constant. The rules engine (src/rules/next-change.ts)
 * passes every expression of a file here.
 *
 * Read in order, lazily: a calendar cutoff's crossings of a date are worked out (local days cut
 * into pieces, the costly part) only when the reader reaches the days around them, so a caller
 * that stops at the first change seldom pays for the crossings of years ahead.
 *
 * @param bodies - expressions checked against `facts`
 * @param facts - the checker's facts
 * @param root - the record as the evaluator reads it
 * @param run - the run at `now`
 * @internal
 */
export function candidateInstants(bodies: readonly ExprNode[], facts: Facts, root: Rec, run: RunState): Candidates {
  const leaves: Leaf[] = [];
  for (const body of bodies) collect(body, [undefined], { facts, root, run, leaves });
  const now = run.nowMs;
  const zone = run.timeZone;
  const ready = new Set<number>();
  // Calendar crossings not worked out yet: from `start` on (no crossing before it).
  const windows: Window[] = [];
  const caches = cachesOf(zone);
  for (const leaf of leaves) {
    if (leaf.values.length === 0) continue; // unknown whatever the time
    const thresholds = new Set<number>();
    for (const f of leaf.values) {
      thresholds.add(Math.ceil(f));
      thresholds.add(Math.floor(f) + 1);
    }
    for (const c of leaf.cutoffs) {
      if (c.kind === "now") {
        for (const v of thresholds) ready.add(v);
      } else if (c.d.unit !== "month" && c.d.unit !== "year") {
        const k = c.sign * c.d.amount * UNIT_MS[c.d.unit];
        for (const v of thresholds) ready.add(v - k);
      } else {
        for (const v of thresholds) {
          const w = calendarWindow(c.d, c.sign, v, now);
          if (w) windows.push(w);
        }
      }
    }
  }
  const keep = (t: number) => t > now && t <= MAX_TIME && Number.isInteger(t);
  windows.sort((a, b) => b.start - a.start); // popped from the end: earliest first
  let sorted = [...ready].filter(keep).sort((a, b) => a - b);
  let i = 0;
  const seen = new Set<number>();
  return {
    next() {
      for (;;) {
        const head = i < sorted.length ? sorted[i]! : Infinity;
        const w = windows[windows.length - 1];
        if (w && w.start <= head) {
          // Crossings of this window may come before `head`: work them out and merge.
          windows.pop();
          const found = new Set<number>();
          expand(w, now, zone, caches, found);
          const fresh = [...found].filter((t) => keep(t) && !seen.has(t) && !sorted.includes(t));
          if (fresh.length) {
            sorted = [...sorted.slice(i), ...fresh].sort((a, b) => a - b);
            i = 0;
          }
          continue;
        }
        if (head === Infinity) return undefined;
        i++;
        if (seen.has(head)) continue;
        seen.add(head);
        return head;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Calendar cutoffs
// ---------------------------------------------------------------------------------------------

/** A stretch `[a, b)` of `now` values on which the cutoff is `t + k` (or unknown: `k` NaN). */
interface Piece {
  readonly a: number;
  readonly b: number;
  readonly k: number;
}

/**
 * Per time zone: the pieces of each local day per cutoff, and the first instant of each local
 * day. They depend on the zone, the cutoff and the day only, not on the record or `now`, so they
 * are kept across calls (contacts' dates fall on the same days again and again); bounded.
 */
interface Caches {
  readonly pieces: Map<string, Piece[]>;
  readonly days: Map<number, number>;
}

const zoneCaches = new Map<string, Caches>();
const CACHE_LIMIT = 50_000;

function cachesOf(zone: string): Caches {
  let c = zoneCaches.get(zone);
  if (c === undefined) {
    if (zoneCaches.size >= 16) zoneCaches.clear();
    c = { pieces: new Map(), days: new Map() };
    zoneCaches.set(zone, c);
  }
  if (c.pieces.size > CACHE_LIMIT) c.pieces.clear();
  if (c.days.size > CACHE_LIMIT) c.days.clear();
  return c;
}

/** The crossings of "`c(t) >= v`", `c(t) = now ± d`, not worked out yet: none before `start`. */
interface Window {
  readonly start: number;
  readonly d: DurationValue;
  readonly sign: 1 | -1;
  readonly v: number;
}

/**
 * The crossings of "`c(t) >= v`" after `now`, `c(t) = now ± d`, as a window (see
 * {@link expand}). Undefined when the cutoff never reaches `v`'s range.
 * (Plain records and functions rather than closures: this runs for every date of a record.)
 */
function calendarWindow(d: DurationValue, sign: 1 | -1, v: number, now: number): Window | undefined {
  // Where the crossings are, roughly, without the time zone (the costly part): UTC calendar
  // arithmetic is within a day of the zone's, and JavaScript's month overflow (31 January +
  // 1 month = 3 March) within three days of date-fns's clamping. The window is cut only when read.
  const months = (d.unit === "year" ? 12 : 1) * d.amount * (sign < 0 ? 1 : -1);
  const rough = new Date(v);
  rough.setUTCMonth(rough.getUTCMonth() + months);
  const approx = rough.getTime();
  const SLACK = 6 * DAY;
  if (approx === approx && approx + WINDOW + SLACK <= now) return undefined;
  return { start: approx === approx ? approx - WINDOW - SLACK : now, d, sign, v };
}

/** Adds every crossing of a window after `now` to `out`, in `zone`. */
function expand(w: Window, now: number, zone: string, cache: Caches, out: Set<number>): void {
  const inverse = shiftInstant(w.v, w.d.amount, w.d.unit, w.sign < 0 ? "fromNow" : "ago", zone);
  if (inverse !== inverse) return; // beyond the range of a Date (see docs/time.md)
  calendarCrossings(w.d, w.sign, w.v, inverse, now, zone, cache, out);
}

/** Which side of `v` a cutoff is: 1 at or after, 0 before, 2 unknown. */
function sideOf(x: number, v: number): number {
  return x !== x ? 2 : x >= v ? 1 : 0;
}

/** The first instant of the `i`-th local day from `first`, in `zone`. */
function localDayStart(cache: Caches, zone: string, first: { y: number; m: number; d: number }, i: number): number {
  const wall = Date.UTC(first.y, first.m, first.d + i);
  let t = cache.days.get(wall);
  if (t === undefined) {
    t = wallClockToEpoch(zone, first.y, first.m, first.d + i);
    cache.days.set(wall, t);
  }
  return t;
}

/** Adds to `out` every instant `t > now` at which "`c(t) >= v`" changes, `c(t) = now ± d` in `zone`. */
function calendarCrossings(
  d: DurationValue,
  sign: 1 | -1,
  v: number,
  inverse: number,
  now: number,
  zone: string,
  cache: Caches,
  out: Set<number>,
): void {
  const direction = sign < 0 ? "ago" : "fromNow";
  const key = `${sign}${d.amount}${d.unit}|`;
  // Local days around the inverse, each cut into pieces on which c(t) = t + k.
  const first = localDate(inverse - WINDOW, zone);
  const end = inverse + WINDOW;
  let prevState: number | undefined;
  for (let i = 0; ; i++) {
    const day = localDayStart(cache, zone, first, i);
    if (day !== day || day >= end) break;
    const next = localDayStart(cache, zone, first, i + 1);
    if (next !== next || next <= day) break;
    if (next <= now) continue;
    let ps = cache.pieces.get(key + day);
    if (!ps) {
      ps = [];
      split((t) => shiftInstant(t, d.amount, d.unit, direction, zone), zone, day, next, ps);
      cache.pieces.set(key + day, ps);
    }
    for (const p of ps) {
      if (p.b <= now) continue;
      // On a piece the cutoff is affine: c(a) = a + k, c(b − 1) = b − 1 + k.
      if (p.a > now && sideOf(p.a + p.k, v) !== (prevState ?? sideOf(shiftInstant(p.a - 1, d.amount, d.unit, direction, zone), v))) {
        out.add(p.a);
      }
      if (p.k === p.k) {
        const t = Math.ceil(v - p.k);
        if (t > p.a && t < p.b && t > now) out.add(t);
      }
      prevState = sideOf(p.b - 1 + p.k, v);
    }
  }
}

/** Cuts `[a, b)` into pieces on which `c(t) − t` and both time-zone offsets are constant. */
function split(c: (t: number) => number, zone: string, a: number, b: number, out: Piece[]): void {
  const ca = c(a);
  const cb = c(b - 1);
  const ka = ca - a;
  const kb = cb - (b - 1);
  const same =
    (ka === kb || (ka !== ka && kb !== kb)) &&
    offset(zone, a) === offset(zone, b - 1) &&
    (ca !== ca || offset(zone, ca) === offset(zone, cb));
  if (same || b - a <= 1) {
    out.push({ a, b, k: ka });
    return;
  }
  const mid = Math.floor((a + b) / 2);
  split(c, zone, a, mid, out);
  split(c, zone, mid, b, out);
}

function offset(zone: string, t: number): number {
  return zoneOffset(zone, t);
}

/** The local calendar date (in `zone`) of the instant `t` (month 0-based). */
function localDate(t: number, zone: string): { y: number; m: number; d: number } {
  const wall = new Date(t + offset(zone, t) * 60_000);
  return { y: wall.getUTCFullYear(), m: wall.getUTCMonth(), d: wall.getUTCDate() };
}

// ---------------------------------------------------------------------------------------------
// Time-dependent leaves and the record's dates they compare
// ---------------------------------------------------------------------------------------------

interface Walk {
  readonly facts: Facts;
  readonly root: Rec;
  readonly run: RunState;
  readonly leaves: Leaf[];
}

/** Finds the time-dependent comparisons of `n`, with the values they read in every scope `frames` holds. */
function collect(n: ExprNode, frames: readonly (Frame | undefined)[], w: Walk): void {
  switch (n.kind) {
    case "or":
    case "and":
      for (const o of n.operands) collect(o, frames, w);
      return;
    case "not":
      collect(n.operand, frames, w);
      return;
    case "compare":
      leaf([n.left, n.right], [], frames, w);
      return;
    case "between":
      leaf([n.subject, n.low, n.high], [], frames, w);
      return;
    case "within": {
      const d = durationValue(n.duration, w.run);
      leaf([n.subject], d ? [{ kind: "now" }, { kind: "shift", d, sign: n.direction === "last" ? -1 : 1 }] : [], frames, w);
      return;
    }
    case "quantifier": {
      const fact = w.facts.value(n.collection);
      const a: Pick<AggregateFact, "collection" | "nested"> | undefined =
        fact?.aggregate ?? (fact?.field ? { collection: fact.field as AggregateFact["collection"], nested: [] } : undefined);
      if (a) collect(n.where, rowFrames(a, frames, w).filter((f) => isRow(f.el)), w);
      return;
    }
    case "in":
      leaf([n.subject], [], frames, w);
      return;
    case "has":
    case "text":
      leaf([n.subject, n.value], [], frames, w);
      return;
    case "isSet":
    case "isEmpty":
      leaf([n.subject], [], frames, w);
      return;
    case "truthy":
      return;
  }
}

/**
 * A comparison: its cutoffs (durations, instants, duration parameters among `values`, and
 * `extra`), and, when it has any, the fixed instants among `values` in every scope. Aggregates'
 * `where` clauses are visited too.
 */
function leaf(values: readonly ValueNode[], extra: Cutoff[], frames: readonly (Frame | undefined)[], w: Walk): void {
  const cutoffs = [...extra];
  for (const v of values) {
    if (v.kind === "aggregate" && v.where) {
      const a = w.facts.value(v)?.aggregate;
      if (a) collect(v.where, rowFrames(a, frames, w).filter((f) => isRow(f.el)), w);
    }
    if (v.kind === "duration") cutoffs.push({ kind: "shift", d: { amount: v.amount, unit: v.unit }, sign: -1 });
    else if (v.kind === "instant") {
      const d = durationValue(v.duration, w.run);
      if (d) cutoffs.push({ kind: "shift", d, sign: v.direction === "ago" ? -1 : 1 });
    } else if (v.kind === "param") {
      const p = w.run.params.get(v.name);
      if (isDurationValue(p)) cutoffs.push({ kind: "shift", d: p, sign: -1 });
    }
  }
  if (cutoffs.length === 0) return;
  const out: number[] = [];
  for (const v of values) instantsOf(v, frames, w, out);
  w.leaves.push({ cutoffs, values: out });
}

/** The fixed instants a value node stands for in each scope (dates of the record, date literals and parameters). */
function instantsOf(v: ValueNode, frames: readonly (Frame | undefined)[], w: Walk, out: number[]): void {
  switch (v.kind) {
    case "field": {
      const f = w.facts.value(v)?.field;
      if (f && f.type.kind === "date") {
        const read = fieldReader(f);
        for (const s of frames) addInstant(read(w.root, w.run, s), w, out);
      }
      return;
    }
    case "aggregate": {
      const a = w.facts.value(v)?.aggregate;
      if (!a) return;
      const elementIsDate = a.rest.length === 0 ? lastElementKind(a) === "date" : a.restType?.kind === "date";
      if (!elementIsDate) return;
      const own = a.rest.length === 0 ? undefined : a.rest.map(() => false);
      for (const f of rowFrames(a, frames, w)) addInstant(own ? walk(f.el, a.rest, own) : f.el, w, out);
      return;
    }
    case "date":
      addInterval(w.run.isoInterval(v.text), out);
      return;
    case "param": {
      const p = w.run.params.get(v.name);
      if (p !== undefined && typeof p === "object" && "lo" in p) addInterval(p as Interval, out);
      return;
    }
    default:
      return;
  }
}

/** Adds a record's date value, read as the evaluator reads it (unknown: nothing). */
function addInstant(x: unknown, w: Walk, out: number[]): void {
  const t = toInstant(x, w.run.timeZone);
  if (t === t) out.push(t);
}

/** Adds both ends of a known interval. */
function addInterval(iv: Interval, out: number[]): void {
  if (iv.lo === iv.lo) out.push(iv.lo, iv.hi);
}

/** Every element (frame) of an aggregate's or quantifier's last array, across every scope in `frames`. */
function rowFrames(a: Pick<AggregateFact, "collection" | "nested">, frames: readonly (Frame | undefined)[], w: Walk): Frame[] {
  const read = fieldReader(a.collection);
  let level: Frame[] = [];
  for (const s of frames) {
    const arr = read(w.root, w.run, s);
    if (Array.isArray(arr)) for (const el of arr) level.push({ el, up: s });
  }
  for (const n of a.nested) {
    const next: Frame[] = [];
    for (const f of level) {
      if (!isRow(f.el)) continue;
      const arr = walk(f.el, n.names, n.names.map(() => false));
      if (Array.isArray(arr)) for (const el of arr) next.push({ el, up: f });
    }
    level = next;
  }
  return level;
}

function lastElementKind(a: Pick<AggregateFact, "collection" | "nested">): string {
  const t = a.nested.length ? a.nested[a.nested.length - 1]!.type : a.collection.type;
  return t.element.kind;
}

function isRow(el: unknown): boolean {
  return typeof el === "object" && el !== null && !Array.isArray(el);
}

function durationValue(n: DurationNode | ParamNode, run: RunState): DurationValue | undefined {
  if (n.kind === "duration") return { amount: n.amount, unit: n.unit };
  if (n.kind === "param") {
    const p = run.params.get(n.name);
    return isDurationValue(p) ? p : undefined;
  }
  return undefined;
}

function isDurationValue(p: unknown): p is DurationValue {
  return typeof p === "object" && p !== null && "unit" in p && "amount" in p;
}

