/**
 * `nextChangeToSQL`: per record, the instant after `now` at which time alone may change a rule's
 * result (`seg.nextChange` in SQL), so that a database can keep a "re-evaluate at" column.
 *
 * The rule is compiled by the ordinary SQL compiler with a few hooks that watch where `now` goes:
 * every moving cutoff (`now` itself, `now ± d`) ends as one comparison `e op c(t)` of a date `e`
 * read per row (a column of the record or of a child table) with `c(t) = t + k` (minutes to
 * weeks: `k` is a fixed number of milliseconds) or `t + m` calendar months in the zone. Such a
 * comparison switches when its cutoff crosses `e` (`e < c` when `c` reaches `floor(e) + 1`,
 * `e <= c` at `ceil(e)`, …: the thresholds the evaluator's candidates use,
 * src/compile/next-change.ts): once for exact units; for months, once, or, at a month end, up to
 * seven times within four days (the cutoff steps back at midnight: see next-change-calendar.ts). The
 * query returns the earliest of these instants after `now`, over every comparison and every row of
 * the child tables it reads: never later than the change `seg.nextChange` finds, the same instant
 * when the rule has one time-dependent comparison (or, with `within` and `between`, one date
 * compared with both ends of a window). The evaluator combines the comparisons' timelines, which SQL does
 * not: where two of them cancel out, SQL answers earlier (docs/time.md, "In SQL").
 *
 * Near a daylight-saving change a calendar cutoff may be answered earlier (next-change-calendar.ts).
 * ClickHouse reads child rows with its keyed aggregates (no correlated subqueries). Refused
 * (`sql.unsupported`), rather than risk a late instant: a moving instant read other than in a
 * comparison with a date.
 */
import type { CompareOp, DurationUnit, ExprNode, ExpressionDocument, ValueNode } from "../ast/nodes.js";
import { checkExpression } from "../check/index.js";
import type { AggregateFact, FieldFact } from "../check/facts.js";
import { CibleError } from "../errors/cible-error.js";
import { type Span, WHOLE, hasErrors, sortDiagnostics } from "../errors/diagnostic.js";
import { MAX_TIME } from "../time/cutoffs.js";
import { type CompilerEnv, type KeyedRows, type Scope, SQLCompiler } from "./compiler.js";
import { dialectOf, modelOf, startCompiler } from "./context.js";
import { type SegmentLike, documentOf } from "./index.js";
import { sqlMessages } from "./messages.js";
import { calendarSwitches, least } from "./next-change-calendar.js";
import type { SQLCondition, ToSQLOptions } from "./types.js";

/** Options of {@link nextChangeToSQL}: those of `toSQL`, and the key column. */
export interface NextChangeToSQLOptions extends ToSQLOptions {
  /** The column of the records' table that identifies a row, selected first under its own name. Default `"id"`. */
  readonly key?: string;
}

/** How a cutoff moves: `c(t) = t + k` milliseconds, or `t + m` calendar months in the run's zone. */
type Move = { readonly kind: "ms"; readonly k: number } | { readonly kind: "months"; readonly m: number };

/** One time-dependent comparison `e op c(t)`, read in the rows of `group` (undefined: the record's). */
interface Leaf {
  readonly e: string;
  readonly op: CompareOp;
  readonly move: Move;
  readonly group: Group | undefined;
}

/** The rows of a `where` (child tables joined), inside the rows of `parent`. */
interface Group {
  readonly aliases: readonly string[];
  readonly from: string;
  /** The same rows reached without correlation (ClickHouse). */
  readonly keyed: KeyedRows | undefined;
  readonly parent: Group | undefined;
  readonly leaves: Leaf[];
  readonly children: Group[];
}

const CALENDAR: ReadonlySet<DurationUnit> = new Set(["month", "year"]);

/** The SQL compiler, watching the moving cutoffs it compiles. */
class NextChangeCompiler extends SQLCompiler {
  /**
   * Moving cutoffs computed so far, by value (epoch ms). Two cutoffs may have one value
   * (`4 weeks ago` and `1 month ago` in February): a comparison with it is noted once per way it
   * may move, which only adds instants (earlier, never later).
   */
  private readonly moving = new Map<number, Move[]>();
  private produced = 0;
  private consumed = 0;
  private comparing = false;
  private readonly spans: Span[] = [];
  readonly leaves: Leaf[] = [];
  readonly groups: Group[] = [];

  constructor(env: CompilerEnv) {
    super(env);
    this.moving.set(env.nowMs, [{ kind: "ms", k: 0 }]);
  }

  private get span(): Span {
    return this.spans[this.spans.length - 1] ?? WHOLE;
  }

  override expr(node: ExprNode, scopes: readonly Scope[]): string {
    this.spans.push(node.span);
    try {
      return super.expr(node, scopes);
    } finally {
      this.spans.pop();
    }
  }

  override value(node: ValueNode, scopes: readonly Scope[]): ReturnType<SQLCompiler["value"]> {
    this.spans.push(node.span);
    try {
      return super.value(node, scopes);
    } finally {
      this.spans.pop();
    }
  }

  override shift(amount: number, unit: DurationUnit, direction: "ago" | "fromNow"): number {
    // `0 months` is `now` itself (date-fns adds nothing), not a wall clock read back.
    const calendar = CALENDAR.has(unit) && amount !== 0;
    const t = super.shift(amount, unit, direction);
    this.produced++;
    if (t === t) {
      const sign = direction === "ago" ? -1 : 1;
      const move: Move = calendar ? { kind: "months", m: sign * amount * (unit === "year" ? 12 : 1) } : { kind: "ms", k: t - this.env.nowMs };
      this.moving.set(t, [...(this.moving.get(t) ?? []), move]);
    }
    return t;
  }

  override ts(ms: number, span: Span): string | undefined {
    if (!this.comparing && this.moving.has(ms)) {
      this.unsupported("`nextChangeToSQL` with an instant that moves with `now` compared with another moving instant", span, "compare a date of the record with the cutoff");
    }
    return super.ts(ms, span);
  }

  override cmpTs(e: string, op: CompareOp, ms: number, span: Span): string {
    const moves = this.moving.get(ms);
    if (moves !== undefined) {
      this.consumed++;
      for (const move of moves) this.leaves.push({ e, op, move, group: this.groupOf(e) });
    }
    this.comparing = true;
    try {
      return super.cmpTs(e, op, ms, span);
    } finally {
      this.comparing = false;
    }
  }

  override childOf(f: FieldFact, scopes: readonly Scope[], span: Span, text: string): { from: string; scope: Scope; keyed?: KeyedRows } {
    const r = super.childOf(f, scopes, span, text);
    this.addGroup([r.scope.qualifier], r.from, r.keyed, scopes[f.scope]);
    return r;
  }

  override rowsOf(a: AggregateFact, scopes: readonly Scope[], span: Span, text: string): { from: string; scopes: Scope[]; keyed?: KeyedRows } {
    const r = super.rowsOf(a, scopes, span, text);
    this.addGroup(
      r.scopes.map((s) => s.qualifier),
      r.from,
      r.keyed,
      scopes[a.collection.scope],
    );
    return r;
  }

  private addGroup(aliases: string[], from: string, keyed: KeyedRows | undefined, parent: Scope | undefined): void {
    const g: Group = { aliases, from, keyed, parent: parent ? this.groupOf(`${parent.qualifier}.`) : undefined, leaves: [], children: [] };
    this.groups.push(g);
  }

  /** The rows a column is read in: the group one of whose aliases qualifies it. */
  private groupOf(e: string): Group | undefined {
    return this.groups.find((g) => g.aliases.some((a) => e.startsWith(`${a}.`)));
  }

  /** Checks that every moving cutoff went into a comparison this class saw. */
  finish(): void {
    if (this.consumed < this.produced) {
      this.unsupported("`nextChangeToSQL` with an instant that moves with `now` used outside a comparison with a date", WHOLE);
    }
    for (const l of this.leaves) (l.group ? l.group.leaves : []).push(l);
    for (const g of this.groups) g.parent?.children.push(g);
  }
}

/**
 * The instants (SQL, epoch ms, after `now` through `future`) at which `e op c(t)` switches: when
 * `c(t)` reaches a threshold `v` (`e < c` ⇔ `c >= floor(e) + 1`, `e <= c` ⇔ `c >= ceil(e)`; `>`
 * and `>=` are their negations, `=` and `!=` read both).
 */
function flips(c: SQLCompiler, l: Leaf, span: Span, now: string, future: (x: string) => string): string[] {
  const ms = c.d.epochMs(l.e);
  const thresholds: string[] = [];
  if (l.op !== "<" && l.op !== ">=") thresholds.push(`ceil(${ms})`);
  if (l.op !== "<=" && l.op !== ">") thresholds.push(`(floor(${ms}) + 1)`);
  const move = l.move;
  if (move.kind === "ms") return thresholds.map((v) => future(move.k === 0 ? v : `(${v} - ${c.num(move.k, span)})`));
  return thresholds.map((v) => calendarSwitches(c, v, c.num(move.m, span), c.env.timeZone, now, span, future));
}

/**
 * Per row of the records' table, its key and `next_change`: the earliest instant after `now` at
 * which time alone may change the rule's result, `NULL` when it never does. For every `t` in
 * `[now, next_change)` the rule selects the row at `t` exactly when it does at `now`. The instant
 * is `seg.nextChange`'s when the rule has one time-dependent comparison; with several, it may be
 * earlier (never later): see docs/time.md, "In SQL".
 *
 * PostgreSQL (`timestamptz`), DuckDB (`TIMESTAMP WITH TIME ZONE`) and ClickHouse
 * (`DateTime64(3, 'UTC')`); same layout and options as `toSQL` (docs/sql.md), and `key`. Calendar
 * durations in a zone with daylight saving may switch up to the change's size earlier near a
 * change (docs/time.md, "In SQL").
 *
 * @param rule - a compiled segment, its source text, or its JSON AST
 * @param options - as for `toSQL`, and `key`, the column that identifies a row (default `"id"`)
 * @returns `{ sql, params }`: a `SELECT <key>, next_change FROM <table>`
 * @throws {@link CibleError} as `toSQL`; `sql.unsupported` for an instant that moves with `now`
 *   used elsewhere than in a comparison with a date; `sql.options` for a bad `key`
 *
 * @example
 * ```ts
 * const { sql, params } = nextChangeToSQL("lastPurchase < 180 days", {
 *   schema: Contact, dialect: "postgres", table: "contacts",
 *   columns: { lastPurchase: "last_purchase" }, now: new Date(),
 * });
 * await pg.query(`UPDATE contacts c SET due_at = n.next_change FROM (${sql}) n WHERE n.id = c.id`, params);
 * ```
 */
export function nextChangeToSQL(rule: string | SegmentLike | ExpressionDocument, options: NextChangeToSQLOptions): SQLCondition {
  const dialect = dialectOf(options);
  const key = options.key ?? "id";
  if (typeof key !== "string" || key === "") throw sqlMessages.options('`key` names the column of the records\' table that identifies a row (default "id").');
  const model = modelOf(rule, options, "nextChangeToSQL");
  const { doc, source } = documentOf(rule, options);
  const checked = checkExpression(doc.body, model);
  if (hasErrors(checked.diagnostics)) throw new CibleError(sortDiagnostics(checked.diagnostics), source);
  const { compiler, root, params } = startCompiler(dialect, options, model, checked.facts, checked.params, source, undefined, (env) => new NextChangeCompiler(env));
  const c = compiler as NextChangeCompiler;
  c.expr(doc.body, [root]); // compiled for what it tells of the cutoffs; the condition itself is not used
  c.finish();
  const span = doc.body.span;
  const now = c.num(c.env.nowMs, span);
  // ClickHouse's DateTime64 ends with 2299: a later instant is written as its last millisecond
  // (earlier than the change, never later).
  const last = c.d.instantRange ? Math.min(MAX_TIME, c.d.instantRange[1] - 1) : MAX_TIME;
  const max = c.num(MAX_TIME, span);
  // An instant counts when it is after `now` (and a `Date` can hold it, as in the evaluator).
  const future = (x: string): string => `CASE WHEN ${x} > ${now} AND ${x} <= ${max} THEN ${x} END`;
  const earliest = (leaves: readonly Leaf[], children: readonly Group[]): string | undefined => {
    const xs = leaves.flatMap((l) => flips(c, l, span, now, future));
    for (const g of children) {
      const inner = earliest(g.leaves, g.children);
      if (inner === undefined) continue;
      // ClickHouse: the earliest per parent key, computed once (no correlated subquery).
      if (c.d.keyed && g.keyed) xs.push(c.d.keyed.aggregate(g.keyed.key, g.keyed.from, undefined, `min(${inner})`));
      else xs.push(`(SELECT min(${inner}) FROM ${g.from})`);
    }
    return xs.length === 0 ? undefined : least(xs);
  };
  const ms = earliest(
    c.leaves.filter((l) => !l.group),
    c.groups.filter((g) => !g.parent),
  );
  const table = c.table(options.table);
  const q = (name: string) => c.d.quoteIdent(name);
  const out = ms === undefined ? c.d.nullOf("timestamptz") : timestampOf(c, last < MAX_TIME ? c.d.bind([["n", ms]], ([n]) => `CASE WHEN ${n} > ${c.num(last, span)} THEN ${c.num(last, span)} ELSE ${n} END`, c.alias("_l")) : ms);
  return params.render(`SELECT ${table}.${q(key)} AS ${q(key)}, ${out} AS ${q("next_change")} FROM ${table}`, dialect);
}

/** Epoch milliseconds (whole) as a timestamp with time zone, exactly. */
function timestampOf(c: SQLCompiler, ms: string): string {
  if (c.d.name === "duckdb") return `(to_timestamp(0) + to_milliseconds(CAST(${ms} AS BIGINT)))`;
  if (c.d.name === "clickhouse") return `fromUnixTimestamp64Milli(toInt64(${ms}), 'UTC')`;
  return `to_timestamp(${ms} / 1000.0)`;
}

