/**
 * One evaluation run: `now`, the time zone, validated parameters and the caches that make them
 * cheap (date cutoffs computed once per run, never per record).
 */
import type { DurationUnit } from "../ast/nodes.js";
import { readParams as readParamValues } from "../check/params.js";
import type { ParamType } from "../check/types.js";
import type { EvalContext } from "./types.js";
import { readClock } from "../check/clock.js";
import { type Interval, MAX_TIME, instant, isoInterval, parseIso, shiftEpoch, toEpoch } from "./dates.js";

/** A duration parameter's value, normalised: `{ amount: 6, unit: "month" }`. */
export interface DurationValue {
  readonly amount: number;
  readonly unit: DurationUnit;
}

/**
 * A validated parameter value, normalised by its {@link ParamType}: strings in NFC, numbers,
 * booleans, dates as an {@link Interval} (a date-only string is that whole day in the run's time
 * zone, anything else one instant), durations as {@link DurationValue}; lists as frozen arrays of
 * those.
 */
export type ParamValue = string | number | boolean | Interval | DurationValue | readonly ParamValue[];

/**
 * A cache the rules engine may use for per-record values (references, scores…); the compiler
 * never reads or writes it. `for(record)` returns the map for `record`, emptied when the record
 * changes (by identity), so a run evaluating records one after another keeps one map.
 *
 * Note: a record whose prototype is not `Object.prototype` or `null` (a class instance, or any
 * record while `Object.prototype` has enumerable properties: prototype pollution) is read through
 * a null-prototype copy of its own properties, made per call; `RefBinding.read` then receives the
 * copy, so lookups by identity miss (never a wrong value, only a lost cache hit).
 */
export class RecordMemo {
  private current: unknown = RecordMemo;
  private readonly values = new Map<string, unknown>();

  /** The map of values cached for `record`, emptied when `record` is not the last one asked for. */
  for(record: unknown): Map<string, unknown> {
    if (record !== this.current) {
      this.current = record;
      this.values.clear();
    }
    return this.values;
  }

  /**
   * Forgets the last record: done each time a run is handed out again to code that may use the
   * memo (`createRun`, segments with references), since the caller may have changed the record
   * in place since the last call.
   */
  reset(): void {
    this.current = RecordMemo;
  }
}

/**
 * The state of one evaluation run (one `test`, one `filter` batch, one `rules.evaluate`):
 * created by {@link createRun}, passed to every compiled closure.
 */
export interface RunState {
  /** The context the run was made from (for `previous`, read by the rules engine). */
  readonly ctx: EvalContext | undefined;
  /** `now` in epoch milliseconds, read once. */
  readonly nowMs: number;
  /** Canonical IANA name (`"UTC"` by default). */
  readonly timeZone: string;
  /** Every parameter of the compiled expressions, validated and normalised. Extra ones are dropped. */
  readonly params: ReadonlyMap<string, ParamValue>;
  /** `now` shifted by a duration (`sign` -1: `6 months ago`; +1: `60 days from now`), cached per run. NaN when out of range. */
  shift(amount: number, unit: DurationUnit, sign: 1 | -1): number;
  /** The interval of an ISO date literal in the run's time zone (a day for a date-only text), cached per run. */
  isoInterval(text: string): Interval;
  /** Per-record cache for the rules engine (see {@link RecordMemo}). */
  readonly memo: RecordMemo;
}

const OBJECT_PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
const STANDARD_PROTO_NAMES = [
  "constructor", "__defineGetter__", "__defineSetter__", "hasOwnProperty", "__lookupGetter__",
  "__lookupSetter__", "isPrototypeOf", "propertyIsEnumerable", "toString", "valueOf", "__proto__",
  "toLocaleString",
];
for (const n of STANDARD_PROTO_NAMES) OBJECT_PROTO_NAMES.add(n);

/**
 * True when `name` is a property of `Object.prototype` (a standard one, or one present when cible
 * was loaded or when the rule is compiled): such a field is always read with an own-property test.
 * @internal
 */
export function isProtoName(name: string): boolean {
  return OBJECT_PROTO_NAMES.has(name) || Object.hasOwn(Object.prototype, name);
}

/**
 * Caches keyed by time zone, then by now (ms), shared by runs with the same `now` (bounded: 64
 * instants per zone). Numbers as keys, not a `now|zone` text: `nextChange` starts a run at many
 * instants, and building and hashing that text was a visible part of its cost.
 */
const cutoffCaches = new Map<string, Map<number, Map<string, number | Interval>>>();

function cacheFor(nowMs: number, zone: string): Map<string, number | Interval> {
  let perZone = cutoffCaches.get(zone);
  if (!perZone) {
    if (cutoffCaches.size >= 16) cutoffCaches.clear();
    perZone = new Map();
    cutoffCaches.set(zone, perZone);
  }
  let c = perZone.get(nowMs);
  if (!c) {
    if (perZone.size >= 64) perZone.clear();
    c = new Map();
    perZone.set(nowMs, c);
  }
  return c;
}

class Run implements RunState {
  readonly memo = new RecordMemo();
  private cache: Map<string, number | Interval> | undefined = undefined;

  constructor(
    readonly ctx: EvalContext | undefined,
    readonly nowMs: number,
    readonly timeZone: string,
    readonly params: ReadonlyMap<string, ParamValue>,
  ) {}

  shift(amount: number, unit: DurationUnit, sign: 1 | -1): number {
    const cache = (this.cache ??= cacheFor(this.nowMs, this.timeZone));
    const key = `${sign}${amount}${unit}`;
    let v = cache.get(key) as number | undefined;
    if (v === undefined) {
      v = shiftEpoch(this.nowMs, amount, unit, sign, this.timeZone);
      cache.set(key, v);
    }
    return v;
  }

  isoInterval(text: string): Interval {
    const cache = (this.cache ??= cacheFor(this.nowMs, this.timeZone));
    const key = `@${text}`;
    let v = cache.get(key) as Interval | undefined;
    if (v === undefined) {
      v = isoInterval(text, this.timeZone);
      cache.set(key, v);
    }
    return v;
  }
}

const EMPTY_PARAMS: ReadonlyMap<string, ParamValue> = new Map();

/**
 * Starts an evaluation run: resolves `now` (default: the current instant, read once with
 * `Date.now()`), the time zone (default `"UTC"`), and validates the parameters the compiled
 * expressions use.
 *
 * @param ctx - the caller's evaluation context
 * @param paramTypes - every parameter the run's expressions use, with its inferred type (from the checker)
 * @returns the run state to pass to compiled closures
 * @throws CibleError `eval.time-zone` for a time zone the runtime does not know, `eval.now` for an
 *   invalid `now`, `param.missing` for a parameter absent from `ctx.params` (or `undefined`),
 *   `param.type` for one of the wrong type (or not one of its enum's values)
 *
 * @example
 * ```ts
 * const run = createRun({ now: "2026-11-22T00:00:00Z", timeZone: "Europe/Paris" }, checked.params);
 * compiled.isTrue(record, run);
 * ```
 */
export function createRun(ctx: EvalContext | undefined, paramTypes: ReadonlyMap<string, ParamType>): RunState {
  // Callers such as `rules.evaluate` start a run per record: reuse the last one while the context
  // says the same thing, so that cutoffs and resolved parameters are not computed again (its
  // memo is reset).
  if (typeof ctx?.previous === "object" && ctx.previous !== null) {
    // An object `previous` may have been changed in place: a new run that carries this very
    // context (its `previous` is read when used, with a fresh memo), but with the clock, zone and
    // parameters of the last such run while they say the same thing — hosts and `cible eval
    // --since` pass one `previous` object per record, which used to resolve them per record.
    const base = slotOf(objectPreviousSlots, paramTypes).get({ now: ctx.now, timeZone: ctx.timeZone, params: ctx.params });
    return new Run(ctx, base.nowMs, base.timeZone, base.params);
  }
  const run = slotOf(slots, paramTypes).get(ctx);
  run.memo.reset();
  return run;
}

/** The last runs of {@link createRun}, per set of parameter types (one per compiled definition or file). */
const slots = new WeakMap<ReadonlyMap<string, ParamType>, RunSlot>();
/** The same for contexts with a `previous` object: the runs' clock, zone and parameters only. */
const objectPreviousSlots = new WeakMap<ReadonlyMap<string, ParamType>, RunSlot>();

function slotOf(map: WeakMap<ReadonlyMap<string, ParamType>, RunSlot>, paramTypes: ReadonlyMap<string, ParamType>): RunSlot {
  let slot = map.get(paramTypes);
  if (slot === undefined) {
    slot = new RunSlot(paramTypes);
    map.set(paramTypes, slot);
  }
  return slot;
}

/** {@link createRun} with the current instant already read (`Date.now()` once per run). @internal */
function createRunAt(ctx: EvalContext | undefined, paramTypes: ReadonlyMap<string, ParamType>, nowRead: number | undefined): RunState {
  const { nowMs, timeZone: zone } = readClock(ctx, nowRead);
  const params = paramTypes.size === 0 ? EMPTY_PARAMS : readParams(ctx?.params, paramTypes, zone);
  return new Run(ctx, nowMs, zone, params);
}

/**
 * Reuses the last run of a segment while the context says the same thing (same `now` in
 * milliseconds, or the same instant read from the clock; same time zone; the same parameter
 * values), so that `test` in a loop does not recompute cutoffs for every record.
 * @internal
 */
export class RunSlot {
  private run: RunState | undefined = undefined;
  /** The context object of the last call and what it held then (fast path: nothing changed). */
  private ctx: EvalContext | undefined = undefined;
  private nowRef: unknown = undefined;
  /** `nowRef` when it is a `Date` (re-read on each call: it may have been set in place). */
  private nowDate: Date | undefined = undefined;
  private nowIn: unknown = undefined;
  private zoneIn: unknown = undefined;
  private previous: unknown = undefined;
  private values: unknown[] = [];
  private readonly names: readonly string[];

  constructor(private readonly types: ReadonlyMap<string, ParamType>) {
    this.names = [...types.keys()];
  }

  /** The run for `ctx`: the last one when nothing changed, else a new one (see {@link createRun}). */
  get(ctx: EvalContext | undefined): RunState {
    // `test` in a loop passes the same context object every time: a few identity checks. The
    // fields are re-read (the caller may have changed them), a `Date` is re-read (it may have been
    // set in place), and parameters are compared by value (see sameParams).
    // (`this.ctx` is only set when `now` was given: the clock must be read on every call.)
    const last = this.run;
    if (ctx === this.ctx && ctx !== undefined && last !== undefined) {
      const d = this.nowDate;
      if (
        ctx.now === this.nowRef &&
        (d === undefined || d.getTime() === last.nowMs) &&
        ctx.timeZone === this.zoneIn &&
        ctx.previous === this.previous &&
        (this.names.length === 0 || this.sameParams(ctx.params))
      ) {
        return last;
      }
    }
    return this.slow(ctx);
  }

  private slow(ctx: EvalContext | undefined): RunState {
    const nowIn = ctx?.now;
    let nowMs: number | undefined;
    if (nowIn === undefined) nowMs = Date.now();
    else if (nowIn instanceof Date) nowMs = nowIn.getTime();
    else if (typeof nowIn === "number") nowMs = nowIn;
    let run = this.run;
    if (
      run !== undefined &&
      ctx?.timeZone === this.zoneIn &&
      ctx?.previous === this.previous &&
      (typeof nowIn === "string" ? nowIn === this.nowIn : nowMs === run.nowMs && (nowIn === undefined) === (this.nowIn === undefined)) &&
      this.sameParams(ctx?.params)
    ) {
      // Reused as it is (callers that use its memo reset it, see RecordMemo.reset).
    } else {
      // May throw (invalid `now`, time zone or parameters): nothing below is recorded then.
      run = createRunAt(ctx, this.types, nowIn === undefined ? nowMs : undefined);
      this.run = run;
      this.nowIn = typeof nowIn === "string" || nowIn === undefined ? nowIn : nowMs;
      this.zoneIn = ctx?.timeZone;
      this.previous = ctx?.previous;
      this.values = this.names.map((n) => snapshot(paramRaw(ctx?.params, n)));
    }
    // The fast path of `get` (the clock is read on every call when `now` is not given).
    this.ctx = nowIn === undefined ? undefined : ctx;
    this.nowRef = nowIn;
    this.nowDate = nowIn instanceof Date ? nowIn : undefined;
    return run;
  }

  private sameParams(params: Record<string, unknown> | undefined): boolean {
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      const v = paramRaw(params, names[i]!);
      const w = this.values[i];
      if (v === w) continue;
      // Lists and dates are compared by content: they may have been changed in place.
      if (Array.isArray(v) && Array.isArray(w) && v.length === w.length && v.every((x, j) => x === w[j])) continue;
      if (v instanceof Date && typeof w === "number" && v.getTime() === w) continue;
      return false;
    }
    return true;
  }
}

function paramRaw(params: Record<string, unknown> | undefined, name: string): unknown {
  return typeof params === "object" && params !== null && Object.hasOwn(params, name) ? params[name] : undefined;
}

function snapshot(v: unknown): unknown {
  if (Array.isArray(v)) return v.slice();
  if (v instanceof Date) return v.getTime();
  return v;
}

/** Parameters as the evaluator holds them: dates as intervals, durations as frozen pairs. */
function readParams(
  given: Record<string, unknown> | undefined,
  types: ReadonlyMap<string, ParamType>,
  zone: string,
): Map<string, ParamValue> {
  return readParamValues<Interval, DurationValue>(given, types, {
    date(v) {
      if (typeof v === "string") {
        if (!parseIso(v)) return undefined;
        const iv = isoInterval(v, zone);
        return iv.lo === iv.lo ? iv : undefined;
      }
      const t = toEpoch(v, zone);
      return t === t && t >= -MAX_TIME && t <= MAX_TIME ? instant(t) : undefined;
    },
    duration: (amount, unit) => Object.freeze({ amount, unit }),
  });
}
