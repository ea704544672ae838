/**
 * Definitions of a rules file as SQL expressions: a segment (a condition), a score (a number)
 * and a lifecycle stage (a CASE giving the stage name). `@name` references are written out: each
 * referenced definition is compiled on the record's row and inlined (the checker has refused
 * cycles). Same layout, options and parameters as `toSQL`.
 */
import { resolveLimits } from "../ast/limits.js";
import { printPath } from "../ast/text.js";
import type {
  BetweenNode,
  ChannelDef,
  CompareNode,
  Definition,
  DurationNode,
  LifecycleDef,
  NumberNode,
  ParamNode,
  QuantileTierLine,
  RefNode,
  ScoreDef,
  SplitDef,
  StringNode,
  ThresholdTierLine,
  TiersDef,
  ValueNode,
} from "../ast/nodes.js";
import { paramDecayPeriod } from "../check/params.js";
import type { ParamType } from "../check/types.js";
import { CibleError } from "../errors/cible-error.js";
import { type Span, hasErrors, sortDiagnostics } from "../errors/diagnostic.js";
import type { FieldType, SchemaModel } from "../schema/model.js";
import { type RulesPlan, checkRulesDocument } from "../rules/check-rules.js";
import { periodMs } from "../rules/decay.js";
import { productBound } from "../rules/per.js";
import { SHARE_EPSILON, quantileLines, shareNeeds } from "../rules/quantiles.js";
import { QUINTILES, RFM_GRID } from "../rules/rfm.js";
import { splitBounds } from "../rules/split.js";
import { parseRules } from "../syntax/index.js";
import { type KeyedRows, type SqlOperand, type SQLCompiler, type Scope, paren } from "./compiler.js";
import { dialectOf, modelOf, startCompiler } from "./context.js";
import { sqlMessages } from "./messages.js";
import type { RulesToSQLOptions, SegmentToSQLOptions, SQLCondition, ToSQLOptions } from "./types.js";

/** Compiled rules (`compileRules`) as these functions read them: the file's source. */
export interface RulesLike {
  readonly source: string;
}

const BOOLEAN: FieldType = { kind: "boolean" };
const NUMBER: FieldType = { kind: "number", integer: false };

interface Prepared {
  readonly plan: RulesPlan;
  readonly model: SchemaModel;
  readonly source: string;
}

function prepare(rules: string | RulesLike, options: ToSQLOptions, entry: string): Prepared {
  const model = modelOf(rules, options, entry, typeof rules === "string" ? "the rules file, as text," : "these rules");
  const source = typeof rules === "string" ? rules : (rules as RulesLike | null)?.source;
  if (typeof source !== "string") {
    throw sqlMessages.options("Pass the rules file: its source text, or the rules `compileRules` returned.");
  }
  const parsed = parseRules(source, { limits: resolveLimits(options.limits) });
  if (!parsed.doc || hasErrors(parsed.diagnostics)) throw new CibleError(sortDiagnostics(parsed.diagnostics), source);
  const checked = checkRulesDocument(parsed.doc, model);
  if (hasErrors(checked.diagnostics)) throw new CibleError(sortDiagnostics(checked.diagnostics), source);
  return { plan: checked.plan, model, source };
}

/** The parameters of a definition and of everything it refers to. */
function paramsOf(plan: RulesPlan, name: string): Map<string, ParamType> {
  const out = new Map<string, ParamType>();
  const seen = new Set<string>();
  const stack = [name];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const [k, v] of plan.ownParams.get(n) ?? []) if (!out.has(k)) out.set(k, v);
    for (const e of plan.edges.get(n) ?? []) stack.push(e.to);
  }
  return out;
}

/** Compiles definitions on the record's row, once each (a definition referred to twice is written twice, with the same parameters). */
class RulesCompiler {
  private readonly cache = new Map<string, SqlOperand>();
  constructor(
    private readonly plan: RulesPlan,
    /** Lifecycle name → column of its previous stage (`ToSQLOptions.previous`), checked. */
    private readonly previous: ReadonlyMap<string, string>,
  ) {}

  ref(c: SQLCompiler, node: RefNode, root: Scope): SqlOperand {
    let op = this.cache.get(node.name);
    if (!op) {
      const def = this.plan.defs.get(node.name);
      if (!def) throw sqlMessages.reference(node.name, node.span);
      switch (def.kind) {
        case "segment":
        case "channel":
          op = { c: "expr", sql: paren(c.expr(def.body, [root])), type: BOOLEAN };
          break;
        case "score":
          op = { c: "expr", sql: this.score(c, def, root), type: NUMBER };
          break;
        case "lifecycle":
          op = { c: "expr", sql: this.stage(c, def, root), type: { kind: "enum", values: def.stages.map((s) => s.name), ordered: true } };
          break;
        case "tiers":
          if (def.method !== "thresholds") {
            return c.unsupported(`\`@${node.name}\` (quantile tiers need the whole population)`, node.span);
          }
          op = { c: "expr", sql: this.tiers(c, def, root), type: { kind: "enum", values: def.lines.map((l) => l.name), ordered: false } };
          break;
        case "rfm":
          return c.unsupported(`\`@${node.name}\` (an RFM model needs the whole population)`, node.span);
        case "split":
          op = { c: "expr", sql: this.split(c, def, root), type: { kind: "enum", values: def.arms.map((a) => a.name), ordered: false } };
          break;
      }
      this.cache.set(node.name, op);
    }
    return op;
  }

  /**
   * A split: the arm's name, NULL when the key is unknown (LANGUAGE.md §7, src/rules/split.ts).
   * `h`, the first 32 bits of the MD5 of `<seed>:<key>`, is computed once (`Dialect.bind`: a
   * one-row derived table, a lambda on ClickHouse) and compared with the exact bounds of
   * `splitBounds`; the seed (with its `:`), the bounds and the arm names are parameters.
   */
  split(c: SQLCompiler, def: SplitDef, root: Scope): string {
    const d = c.d;
    const key = c.value(def.key, [root]);
    if (key.c !== "expr") return c.unsupported(`The key of the split ${def.name}`, def.key.span);
    const kind = this.plan.valueKinds.get(def.name) === "number" ? "integer" : "text";
    const bounds = splitBounds(def.arms.map((a) => a.percent));
    const seed = c.text(`${def.seed ?? def.name}:`, def.span);
    const hash = d.splitHash(`${seed} || ${d.splitKey(key.sql, kind)}`);
    return d.bind(
      [["h", hash]],
      ([h]) => {
        const arms = def.arms.map((a, k) =>
          k < def.arms.length - 1 ? `WHEN ${h} < ${c.num(bounds[k]!, a.span)} THEN ${c.text(a.name, a.span)}` : `ELSE ${c.text(a.name, a.span)}`,
        );
        return `CASE WHEN ${h} IS NULL THEN NULL ${arms.join(" ")} END`;
      },
      c.alias("s"),
    );
  }

  /** A score: the sum of its rules' points, clamped. */
  score(c: SQLCompiler, def: ScoreDef, root: Scope): string {
    const d = c.d;
    const parts = def.rules.map((rule): string => {
      const n = c.num(rule.points, rule.span);
      switch (rule.kind) {
        case "if":
          // Points only when the condition is TRUE (unknown adds nothing).
          return `CASE WHEN ${c.expr(rule.condition, [root])} THEN ${n} ELSE 0 END`;
        case "per": {
          const x = c.value(rule.value, [root]);
          let xs: string;
          if (x.c === "expr" && x.type.kind === "number") xs = x.sql;
          else if (x.c === "num") xs = c.num(x.v, rule.span);
          else return c.unsupported(`The score rule ${"`per`"} on a value that is not a number`, rule.span);
          // As perPoints (rules/per.ts): an unknown value (NULL, or NaN: a sum of +Infinity and
          // -Infinity; both engines compare NaN equal to itself) adds nothing; ±Infinity is a
          // number (±max). The engines raise an error where JavaScript's product overflows to
          // ±Infinity: past the bound, the product is written ±Infinity. No points per anything is
          // nothing (0 × ±Infinity would be NaN).
          if (rule.points === 0) return `CASE WHEN ${n} = 0 THEN 0 END`;
          const t = productBound(rule.points);
          const [above, below] = rule.points > 0 ? [`'Infinity'`, `'-Infinity'`] : [`'-Infinity'`, `'Infinity'`];
          const float = d.typeName("float");
          const product =
            `CASE WHEN ${xs} > ${c.num(t, rule.span)} THEN ${above}::${float} WHEN ${xs} < ${c.num(-t, rule.span)} THEN ${below}::${float} ` +
            `ELSE ${n} * ${xs} END`;
          const p = rule.max === undefined ? product : `LEAST(GREATEST(${product}, ${c.num(-rule.max, rule.span)}), ${c.num(rule.max, rule.span)})`;
          // NaN through nullIfNaN: ClickHouse compares NaN unequal to itself.
          return `CASE WHEN ${d.nullIfNaN(xs)} IS NULL THEN 0 ELSE ${p} END`;
        }
        case "decay": {
          // One child table, or, through several lists (`contacts.events`), the child tables
          // joined: every event of every contact, as the rules engine walks them.
          const a = c.fact(rule.collection).aggregate;
          let from: string;
          let inner: Scope[];
          let keyed: KeyedRows | undefined;
          if (a && a.nested.length > 0) {
            const rows = c.rowsOf(a, [root], rule.collection.span, printPath(rule.collection.path));
            from = rows.from;
            inner = [...rows.scopes, root];
            keyed = rows.keyed;
          } else {
            const child = c.child(rule.collection, [root]);
            from = child.from;
            inner = [child.scope, root];
            keyed = child.keyed;
          }
          const cond = rule.where ? paren(c.expr(rule.where, inner)) : undefined;
          const where = cond ? ` AND ${cond}` : "";
          const at = c.value(rule.by, inner);
          if (at.c !== "expr" || at.type.kind !== "date") return c.unsupported("A decaying score rule whose `by` is not a date field", rule.span);
          // weight = (1 − H/100)^(age / period), 1 for an event now or in the future.
          const age = `(${c.num(c.env.nowMs, rule.span)} - ${d.epochMs(at.sql)})`;
          const keep = 1 - rule.percent / 100;
          const exponent = `${age} / ${c.num(periodOf(c, rule.every), rule.span)}`;
          // PostgreSQL's power() raises "underflow" where JavaScript's ** gives 0: past the
          // exponent where the weight falls below the smallest double, write 0.
          const weight =
            keep <= 0
              ? `CASE WHEN ${age} <= 0 THEN 1 ELSE 0 END`
              : `CASE WHEN ${age} <= 0 THEN 1 WHEN ${exponent} > ${c.num((1074 * Math.LN2) / -Math.log(keep), rule.span)} THEN 0 ` +
                `ELSE power(${c.num(keep, rule.span)}, ${exponent}) END`;
          const total = `sum(${n} * (${weight}))`;
          // ClickHouse: no correlated subquery (the dialect's keyed aggregate, NULL for no rows).
          if (d.keyed) {
            if (!keyed) return c.unsupported("A decaying score rule (its rows are not reachable from the records' table)", rule.span);
            return `coalesce(${d.keyed.aggregate(keyed.key, keyed.from, cond, total)}, 0)`;
          }
          return `(SELECT coalesce(${total}, 0) FROM ${from}${where})`;
        }
      }
    });
    // A total of +Infinity and -Infinity (NaN) is 0, as in the rules engine (build/score.ts): a
    // score is never unknown, and both engines would clamp NaN to the upper bound. Only rules
    // without a bound may give ±Infinity (`if` and `per … max` are finite): two are needed.
    const unbounded = def.rules.filter((r) => r.kind === "decay" || (r.kind === "per" && r.max === undefined)).length;
    const total = !parts.length
      ? `CAST(0 AS ${d.typeName("float")})`
      : unbounded >= 2
        ? `coalesce(${d.nullIfNaN(parts.join(" + "))}, 0)`
        : `(${parts.join(" + ")})`;
    if (!def.clamp) return total;
    return `LEAST(GREATEST(${total}, ${c.num(def.clamp.min, def.clamp.span)}), ${c.num(def.clamp.max, def.clamp.span)})`;
  }

  /**
   * A lifecycle: the last stage whose condition is TRUE (a stage without one always holds), else
   * NULL; with a previous-stage column, the later of that stage and the previous one.
   */
  stage(c: SQLCompiler, def: LifecycleDef, root: Scope): string {
    const column = this.previous.get(def.name);
    if (column === undefined) return this.computedStage(c, def, root, false);
    // Stage indices, so that "later" is `>=`; each computed once (`Dialect.bind`).
    const prev = `${root.qualifier}.${c.d.quoteIdent(column)}`;
    const index = `CASE ${prev} ${def.stages.map((s, i) => `WHEN ${c.text(s.name, s.span)} THEN ${i}`).join(" ")} END`;
    const cur = this.computedStage(c, def, root, true);
    const values = [["c", cur], ["p", index], ["prev", prev]] as const;
    return c.d.bind(
      values,
      ([mc, mp, mprev]) => {
        const later = `CASE WHEN ${mc} IS NULL THEN ${mp} WHEN ${mp} IS NULL OR ${mc} >= ${mp} THEN ${mc} ELSE ${mp} END`;
        const name = `CASE ${later} ${def.stages.map((s, i) => `WHEN ${i} THEN ${c.text(s.name, s.span)}`).join(" ")} END`;
        // A previous value that is not a stage name gives NULL (rules.evaluate throws on it).
        return `CASE WHEN ${mprev} IS NOT NULL AND ${mp} IS NULL THEN NULL ELSE ${name} END`;
      },
      c.alias("m"),
    );
  }

  /** The computed stage (before `previous`): its name, or with `asIndex` its position. */
  private computedStage(c: SQLCompiler, def: LifecycleDef, root: Scope, asIndex: boolean): string {
    const stageSql = (i: number): string => (asIndex ? String(i) : c.text(def.stages[i]!.name, def.stages[i]!.span));
    const whens: string[] = [];
    let otherwise = "NULL";
    for (let i = def.stages.length - 1; i >= 0; i--) {
      const s = def.stages[i]!;
      if (!s.condition) {
        otherwise = stageSql(i);
        break;
      }
      whens.push(`WHEN ${c.expr(s.condition, [root])} THEN ${stageSql(i)}`);
    }
    if (!whens.length) return otherwise === "NULL" ? c.d.nullOf(asIndex ? "float" : "text") : otherwise;
    return `CASE ${whens.join(" ")} ELSE ${otherwise} END`;
  }

  /** Threshold tiers: the first line whose test the `by` value passes, `otherwise`, NULL for an unknown value. */
  tiers(c: SQLCompiler, def: TiersDef, root: Scope): string {
    const by = c.value(def.by, [root]);
    const numeric = this.plan.valueKinds.get(def.name) === "number";
    const whens: string[] = [];
    let otherwise = "NULL";
    const bySql = by.c === "expr" ? by.sql : undefined;
    if (bySql) whens.push(`WHEN ${bySql} IS NULL THEN NULL`);
    for (const line of def.lines as readonly ThresholdTierLine[]) {
      const t = line.test;
      if (!t) {
        otherwise = c.text(line.name, line.span);
        break;
      }
      let test: string;
      if (numeric && bySql) {
        const num = (v: NumberNode | StringNode | ParamNode): string => {
          if (v.kind === "number") return c.num(v.value, v.span);
          const o = c.value(v, [root]);
          return o.c === "num" ? c.num(o.v, v.span) : c.unsupported(`The tier line ${line.name}`, line.span);
        };
        test =
          t.op === "between"
            ? `(${bySql} >= ${num(t.low)} AND ${bySql} <= ${num(t.high)})`
            : `${bySql} ${t.op === "!=" ? "<>" : t.op} ${num(t.value)}`;
      } else {
        const node: CompareNode | BetweenNode =
          t.op === "between"
            ? { kind: "between", negated: false, subject: def.by, low: t.low, high: t.high, span: line.span }
            : { kind: "compare", op: t.op, left: def.by, right: t.value, span: line.span };
        test = c.expr(node, [root]);
      }
      whens.push(`WHEN ${test} THEN ${c.text(line.name, line.span)}`);
    }
    return `CASE ${whens.join(" ")} ELSE ${otherwise} END`;
  }
}

/**
 * The decay period in milliseconds: a literal's (checked longer than zero), or a duration
 * parameter's value; a parameter of zero is refused as the evaluator refuses it.
 * @throws CibleError `param.type` for a parameter of zero
 */
function periodOf(c: SQLCompiler, every: DurationNode | ParamNode): number {
  if (every.kind === "duration") return periodMs(every);
  const o = c.value(every, []);
  if (o.c !== "dur") return c.unsupported(`The parameter $${every.name} (not a duration: a bug in cible, please report it)`, every.span);
  const ms = periodMs(o.d);
  if (!(ms > 0)) throw paramDecayPeriod(every.name, o.d);
  return ms;
}

type DefinitionKind = "segment" | "score" | "lifecycle";

const ENTRIES: Record<DefinitionKind, string> = { segment: "segmentToSQL", score: "scoreToSQL", lifecycle: "stageToSQL" };

/** The names of the file's definitions of some kinds, in file order. */
function namesOf(plan: RulesPlan, ...kinds: Definition["kind"][]): string[] {
  return [...plan.defs.values()].filter((d) => kinds.includes(d.kind)).map((d) => d.name);
}

function compileDefinition(rules: string | RulesLike, name: string, kind: DefinitionKind, options: SegmentToSQLOptions): SQLCondition {
  const dialect = dialectOf(options);
  const { plan, model, source } = prepare(rules, options, ENTRIES[kind]);
  const def = plan.defs.get(name);
  const channel = kind === "segment" ? channelOption(plan, options.channel) : undefined;
  // A channel's own condition is a segment's: `segmentToSQL(rules, "email", …)`, unless a
  // channel is asked for too (then `name` is the segment it narrows, as in `rules.reach`).
  const accepted = kind === "segment" && channel === undefined ? def?.kind === "segment" || def?.kind === "channel" : def?.kind === kind;
  if (!def || !accepted) {
    const also = kind === "segment" && channel === undefined ? { kind: "channel", names: namesOf(plan, "channel") } : undefined;
    throw sqlMessages.definition(kind, name, namesOf(plan, kind), also);
  }
  const rc = new RulesCompiler(plan, previousColumns(plan, options.previous));
  const params = paramsOf(plan, name);
  if (channel) for (const [k, v] of paramsOf(plan, channel.name)) if (!params.has(k)) params.set(k, v);
  const { compiler, root, params: out } = startCompiler(dialect, options, model, plan.facts, params, source, (c, node, r) => rc.ref(c, node, r));
  let sql: string;
  if (def.kind === "segment" || def.kind === "channel") {
    sql = compiler.expr(def.body, [root]);
    // `rules.reach(segment, channel)`: `@segment and @channel`, three-valued (an unknown consent
    // is NULL, which WHERE does not select).
    if (channel) sql = `(${paren(sql)} AND ${paren(compiler.expr(channel.body, [root]))})`;
  } else if (def.kind === "score") sql = rc.score(compiler, def, root);
  else sql = rc.stage(compiler, def as LifecycleDef, root);
  return out.render(sql, dialect);
}

/** `SegmentToSQLOptions.channel`, checked against the file's channels. */
function channelOption(plan: RulesPlan, channel: unknown): ChannelDef | undefined {
  if (channel === undefined) return undefined;
  if (typeof channel !== "string") throw sqlMessages.options("`channel` names a channel of the rules file, as in `{ channel: \"email\" }`.");
  const def = plan.defs.get(channel);
  if (def?.kind !== "channel") throw sqlMessages.definition("channel", channel, namesOf(plan, "channel"));
  return def;
}

/** `ToSQLOptions.previous`, checked against the file's lifecycles. */
function previousColumns(plan: RulesPlan, previous: ToSQLOptions["previous"]): Map<string, string> {
  const out = new Map<string, string>();
  if (previous === undefined) return out;
  if (typeof previous !== "object" || previous === null || Array.isArray(previous)) {
    throw sqlMessages.options("`previous` maps lifecycle names to the columns of their previous stage, as in `{ stage: \"previous_stage\" }`.");
  }
  const lifecycles = [...plan.defs.values()].filter((d) => d.kind === "lifecycle").map((d) => d.name);
  for (const [name, column] of Object.entries(previous)) {
    if (!lifecycles.includes(name)) {
      const known = lifecycles.length ? `The file's lifecycles: ${lifecycles.join(", ")}.` : "The file has no lifecycle.";
      throw sqlMessages.options(`\`previous\` names \`${name}\`, which is not a lifecycle of the file. ${known}`);
    }
    if (typeof column !== "string" || column === "") throw sqlMessages.options(`\`previous.${name}\` must be a column name.`);
    out.set(name, column);
  }
  return out;
}

/**
 * A score of a rules file as a numeric SQL expression over the records' table: each `+N if e`
 * is a `CASE`, `+N per x max M` a bounded product, `+N per P where (e) decaying …` a subquery
 * over the child table; `clamp` bounds the total. `@name` references are written out.
 *
 * @param rules - the rules `compileRules` returned, or the file's source text
 * @param name - the score's name
 * @param options - as for `toSQL`; `schema` may be left out for the rules `compileRules` returned
 *   (they carry it), not for source text
 * @returns `{ sql, params }`: `sql` is a number for every row, never NULL
 * @throws {@link CibleError} as `toSQL`, and `sql.definition` when the file has no such score
 *
 * @example
 * ```ts
 * const { sql, params } = scoreToSQL(rules, "lead", { schema: Contact, dialect: "duckdb", table: "contacts", now });
 * await conn.run(`SELECT id, ${sql} AS lead FROM contacts ORDER BY lead DESC`, params);
 * ```
 */
export function scoreToSQL(rules: string | RulesLike, name: string, options: ToSQLOptions): SQLCondition {
  return compileDefinition(rules, name, "score", options);
}

/**
 * A lifecycle of a rules file as a SQL `CASE` giving each row's stage name: the last stage whose
 * condition holds, the first stage when it has no condition, else NULL. With the `previous`
 * option naming the column of this lifecycle's previous stage, the stage is monotonic as in
 * `rules.evaluate`: the later of the computed stage and the row's previous one (docs/sql.md).
 *
 * @param rules - the rules `compileRules` returned, or the file's source text
 * @param name - the lifecycle's name
 * @param options - as for `toSQL`; `schema` may be left out for the rules `compileRules` returned
 *   (they carry it), not for source text
 * @returns `{ sql, params }`: `sql` is a text expression
 * @throws {@link CibleError} as `toSQL`, `sql.definition` when the file has no such lifecycle, and
 *   `sql.options` for a `previous` key that is not a lifecycle of the file
 *
 * @example
 * ```ts
 * const { sql, params } = stageToSQL(rules, "stage", { schema: Contact, dialect: "postgres", table: "contacts", now });
 * await pg.query(`SELECT stage, count(*) FROM (SELECT ${sql} AS stage FROM contacts) s GROUP BY stage`, params);
 * ```
 */
export function stageToSQL(rules: string | RulesLike, name: string, options: ToSQLOptions): SQLCondition {
  return compileDefinition(rules, name, "lifecycle", options);
}

/**
 * A segment of a rules file as a boolean SQL condition, its `@name` references written out
 * (`toSQL` refuses references: it compiles one rule alone). With the `channel` option, the
 * condition is the segment AND the channel: the records `rules.reach(name, channel)` selects (a
 * NULL, unknown consent, is not selected by `WHERE`). A channel's name in place of a segment's
 * gives the channel's own condition.
 *
 * @param rules - the rules `compileRules` returned, or the file's source text
 * @param name - the segment's name, or a channel's (without the `channel` option)
 * @param options - as for `toSQL`, and `channel`; `schema` may be left out for the rules
 *   `compileRules` returned (they carry it), not for source text
 * @throws {@link CibleError} as `toSQL`, and `sql.definition` when the file has no such segment
 *   (or channel)
 *
 * @example
 * ```ts
 * const { sql, params } = segmentToSQL(rules, "cibleEmail", { schema: Contact, dialect: "postgres", table: "contacts" });
 * const reach = segmentToSQL(rules, "decideursSante", { dialect: "postgres", table: "contacts", channel: "email", now });
 * await pg.query(`SELECT id FROM contacts WHERE ${reach.sql}`, reach.params); // rules.reach("decideursSante", "email").filter(…)
 * ```
 */
export function segmentToSQL(rules: string | RulesLike, name: string, options: SegmentToSQLOptions): SQLCondition {
  return compileDefinition(rules, name, "segment", options);
}

/** A value ranked over the whole table (quantile tiers, an RFM dimension), as `rankByShares` ranks it. */
interface Ranked {
  /** Column of the first level holding the value (a number, NULL or NaN when unknown). */
  readonly value: string;
  /** The condition, on the first level's columns, of the rows that count (the value known, and for RFM the recency too). */
  readonly known: string;
  /** Its number, from 1, in the names of the levels' own columns. */
  readonly n: number;
  /** Highest first (an RFM age: the youngest is best); else lowest first. */
  readonly descending: boolean;
  /** Columns of the second level: per known row, how many counted rows rank strictly below / above it. */
  readonly below: string;
  readonly above: string;
}

const DAY_MS = 86_400_000;

/**
 * Every definition of a rules file as one SQL query: per row of the records' table, its key and
 * one column per definition, named exactly as the definition, in the file's order — a boolean per
 * segment and per channel (NULL when unknown), a number per score, a text per lifecycle, tiers
 * and split (NULL when unknown), and for an RFM model `<name>` (its segment name) and
 * `<name>_r`, `<name>_f`, `<name>_m` (scores 1–5): the values `rules.evaluate` gives, and for
 * quantile tiers and RFM what `assign` gives over all the table's rows (window functions).
 *
 * @param rules - the rules `compileRules` returned, or the file's source text
 * @param options - as for `toSQL`, and `key`, the column that identifies a row (default `"id"`);
 *   `schema` may be left out for the rules `compileRules` returned, not for source text
 * @returns `{ sql, params }`: `sql` is a `SELECT` (no `ORDER BY`, no trailing `;`)
 * @throws {@link CibleError} as `toSQL`; `sql.options` for a bad `key` or a `previous` key that is
 *   not a lifecycle; `sql.identifier` for a column named as the key or two columns with one name
 *   once the database folds it (DuckDB ignores ASCII case, PostgreSQL keeps the first 63 bytes;
 *   ClickHouse keeps names as written)
 *
 * @example
 * ```ts
 * const { sql, params } = rulesToSQL(rules, { dialect: "duckdb", table: "contacts", key: "id", now });
 * await conn.run(`CREATE TABLE contact_rules AS ${sql}`, params);
 * ```
 */
export function rulesToSQL(rules: string | RulesLike, options: RulesToSQLOptions): SQLCondition {
  const dialect = dialectOf(options);
  const { plan, model, source } = prepare(rules, options, "rulesToSQL");
  const key = options.key ?? "id";
  if (typeof key !== "string" || key === "") throw sqlMessages.options('`key` names the column of the records\' table that identifies a row (default "id").');
  const types = new Map<string, ParamType>();
  for (const own of plan.ownParams.values()) for (const [k, v] of own) if (!types.has(k)) types.set(k, v);
  const rc = new RulesCompiler(plan, previousColumns(plan, options.previous));
  const { compiler: c, root, params } = startCompiler(dialect, options, model, plan.facts, types, source, (cc, node, r) => rc.ref(cc, node, r));
  const d = c.d;
  const q = (name: string) => d.quoteIdent(name);
  const defs = [...plan.defs.values()];

  // Output columns, and names for the levels' own columns that no output takes. Two names are
  // one column when the database sees them as one: DuckDB compares identifiers without ASCII
  // case, PostgreSQL keeps only their first 63 bytes.
  const same = (name: string) => d.identifierKey(name);
  const taken = new Map<string, string>([[same(key), key]]);
  const outputs = (def: Definition): string[] => (def.kind === "rfm" ? [def.name, `${def.name}_r`, `${def.name}_f`, `${def.name}_m`] : [def.name]);
  for (const def of defs) {
    for (const name of outputs(def)) {
      const other = taken.get(same(name));
      if (other !== undefined) {
        const as = other === name ? "" : ` (${d.label} sees ${JSON.stringify(other)} and ${JSON.stringify(name)} as one name: ${d.identifierRule})`;
        throw sqlMessages.identifier(
          name,
          other === key ? `it is the key column \`${key}\` of the query${as}` : `two columns of \`rulesToSQL\` would have this name${as}`,
          d.label,
          other === key ? "pass the key column in `key`, or rename the definition" : "rename one of the definitions",
        );
      }
      taken.set(same(name), name);
    }
  }
  const internal = (prefix: string, n: number): string => {
    let name = `_${prefix}${n}`;
    while (taken.has(same(name))) name = `_${name}`;
    taken.set(same(name), name);
    return q(name);
  };

  // First level: the key, every per-row definition, and the values ranked over the table.
  const first: string[] = [`${root.qualifier}.${q(key)} AS ${q(key)}`];
  const ranked: Ranked[] = [];
  const rank = (sql: string, descending: boolean, also?: Ranked): Ranked => {
    const n = ranked.length + 1;
    const value = internal("v", n);
    first.push(`${sql} AS ${value}`);
    const own = `${d.nullIfNaN(value)} IS NOT NULL`;
    const r = { n, value, known: also ? `${also.known} AND ${own}` : own, descending, below: internal("b", n), above: internal("a", n) };
    ranked.push(r);
    return r;
  };
  const numeric = (v: ValueNode, what: string): string => {
    const o = c.value(v, [root]);
    if (o.c === "expr" && o.type.kind === "number") return o.sql;
    if (o.c === "expr" && o.type.kind === "date") return d.epochMs(o.sql);
    if (o.c === "num") return c.num(o.v, v.span);
    return c.unsupported(what, v.span);
  };
  /** The line (0 = best) of a ranked value as SQL giving `outs[line]`, NULL when unknown. */
  const lineOf = (r: Ranked, shares: readonly number[], outs: readonly string[], span: Span): string => {
    const needs = shareNeeds(shares);
    const others = `(${r.below} + ${r.above})`;
    const eps = c.num(SHARE_EPSILON, span);
    const whens = outs
      .slice(0, -1)
      .map((o, j) => `WHEN ${others} = 0 OR ${r.below} * 100 >= ${c.num(needs[j]!, span)} * ${others} - ${eps} * ${others} THEN ${o}`);
    return `CASE WHEN ${r.below} IS NULL THEN NULL ${whens.join(" ")} ELSE ${outs.at(-1)} END`;
  };

  // Per definition: its first-level column, or (ranked) its third- and fourth-level columns.
  const third: string[] = [];
  const last: string[] = [q(key)];
  for (const def of defs) {
    if (def.kind === "rfm") {
        const recency = c.value(def.recency, [root]);
        const age =
          recency.c === "expr" && recency.type.kind === "date"
            ? `((${c.num(c.env.nowMs, def.recency.span)} - ${d.epochMs(recency.sql)}) / ${c.num(DAY_MS, def.recency.span)})`
            : numeric(def.recency, `The recency of the RFM model ${def.name}`);
        const R = rank(age, true);
        const F = rank(numeric(def.frequency, `The frequency of the RFM model ${def.name}`), false, R);
        const M = rank(numeric(def.monetary, `The monetary value of the RFM model ${def.name}`), false, R);
        const scores = QUINTILES.map((_, j) => String(5 - j));
        const [r, f, m] = [internal("r", R.n), internal("f", R.n), internal("m", R.n)];
        third.push(`${lineOf(R, QUINTILES, scores, def.span)} AS ${r}`, `${lineOf(F, QUINTILES, scores, def.span)} AS ${f}`);
        third.push(`${lineOf(M, QUINTILES, scores, def.span)} AS ${m}`);
        // The grid's name needs R and F; the scores need all three (null otherwise, as `assign`).
        const byName = new Map<string, number[]>();
        RFM_GRID.forEach((row, ri) => row.forEach((name, fi) => byName.set(name, [...(byName.get(name) ?? []), (ri + 1) * 10 + fi + 1])));
        const cells = [...byName].map(([name, codes]) => `WHEN ${r} * 10 + ${f} IN (${codes.join(", ")}) THEN ${c.text(name, def.span)}`);
        last.push(`CASE ${cells.join(" ")} END AS ${q(def.name)}`);
        const all = `${r} IS NOT NULL AND ${f} IS NOT NULL AND ${m} IS NOT NULL`;
        for (const [col, suffix] of [[r, "r"], [f, "f"], [m, "m"]] as const) last.push(`CASE WHEN ${all} THEN ${col} END AS ${q(`${def.name}_${suffix}`)}`);
    } else if (def.kind === "tiers" && def.method !== "thresholds") {
      const { names, shares } = quantileLines(def.lines as readonly QuantileTierLine[]);
      const r = rank(numeric(def.by, `The value of the quantile tiers ${def.name}`), false);
      third.push(`${lineOf(r, shares, names.map((n) => c.text(n, def.span)), def.span)} AS ${q(def.name)}`);
      last.push(q(def.name));
    } else {
      // A per-row value: written as an `@name` reference is.
      const op = rc.ref(c, { kind: "ref", name: def.name, span: def.nameSpan }, root);
      first.push(`${op.c === "expr" ? op.sql : c.unsupported(`\`${def.name}\``, def.nameSpan)} AS ${q(def.name)}`);
      last.push(q(def.name));
    }
  }
  const from = `FROM ${root.qualifier}`;
  if (!ranked.length) return params.render(`SELECT ${first.join(", ")} ${from}`, dialect);
  // Second level: per counted row, the counted rows strictly below and above it (rank() − 1 is
  // how many sort strictly before; count(*) up to its peers, how many sort before or with it).
  const [l1, l2, l3] = [c.alias("r"), c.alias("w"), c.alias("l")];
  const windows = ranked.flatMap((r) => {
    const order = `ORDER BY ${r.value}${r.descending ? " DESC" : ""}`;
    const part = `PARTITION BY ${r.known}`;
    return [
      `CASE WHEN ${r.known} THEN rank() OVER (${part} ${order}) - 1 END AS ${r.below}`,
      `CASE WHEN ${r.known} THEN count(*) OVER (${part}) - count(*) OVER (${part} ${order}) END AS ${r.above}`,
    ];
  });
  const sql =
    `SELECT ${last.join(", ")} FROM (SELECT ${l2}.*, ${third.join(", ")} FROM (SELECT ${l1}.*, ${windows.join(", ")} ` +
    `FROM (SELECT ${first.join(", ")} ${from}) AS ${l1}) AS ${l2}) AS ${l3}`;
  return params.render(sql, dialect);
}
