/**
 * AST → one boolean SQL condition. Every expression kind and every value kind has one handler
 * (a `Record<Kind, handler>` table, so a new kind fails to type-check until SQL knows it); the
 * dialect (dialect.ts) supplies placeholders, quoting, folding, lists and arrays.
 *
 * Semantics are those of the JavaScript evaluator (src/compile), reproduced with SQL's own
 * three-valued logic: a NULL column is an unknown value, `AND`/`OR`/`NOT` are Kleene's. Values
 * from the rule (literals, parameters, cutoffs computed from `now`) always travel as parameters.
 * What a node means — the column a path names and the scope that binds it, an aggregate's split,
 * a parameter's type — is read from the checker's facts (src/check/facts.ts), never worked out here.
 * @internal
 */
import type {
  AggregateNode,
  AndNode,
  BetweenNode,
  CompareNode,
  CompareOp,
  DurationUnit,
  ExprKind,
  ExprNode,
  FieldNode,
  HasNode,
  InNode,
  IsEmptyNode,
  IsSetNode,
  NotNode,
  OrNode,
  DurationNode,
  ParamNode,
  QuantifierNode,
  RefNode,
  TextNode,
  TruthyNode,
  ValueKind,
  ValueNode,
  WithinNode,
} from "../ast/nodes.js";
import { printNode } from "../ast/printer.js";
import { forEachNode, isExprNode } from "../ast/walk.js";
import {
  type AggregateFact,
  type CheckedType,
  type Facts,
  type FieldFact,
  type NestedCollectionFact,
  type ValueFact,
  scalarFieldType,
} from "../check/facts.js";
import { paramMixedBounds } from "../check/params.js";
import type { Span } from "../errors/diagnostic.js";
import type { FieldType, ObjectType } from "../schema/model.js";
import { shiftInstant } from "../time/cutoffs.js";
import { dateRange } from "../time/ranges.js";
import type { Dialect, ElementRows, ListItemType, SQLType } from "./dialect.js";
import type { Params } from "./emitter.js";
import { sqlMessages } from "./messages.js";
import { fold } from "../text/unicode.js";
import { type DateValue, type DurationValue, type ParamValue, instantValue, isoDateValue } from "./params.js";
import type { ChildTable, SQLParam } from "./types.js";

// ---------------------------------------------------------------------------------------------
// Context
// ---------------------------------------------------------------------------------------------

/** One table in scope: the records' table, or the child table of an enclosing `where`. @internal */
export interface Scope {
  readonly object: ObjectType;
  /** The SQL name rows of this scope are read through (quoted table or alias). */
  readonly qualifier: string;
  readonly columns: Readonly<Record<string, string>> | undefined;
  readonly children: Readonly<Record<string, ChildTable>> | undefined;
  /** The `children` keys from the record down to this scope's table (none for the record's). */
  readonly within?: readonly string[];
  /**
   * The tables from the record's down to this scope's, joined under the same names
   * (`"accounts" JOIN "contacts" AS "_c1" ON …`): a subquery over them reads this scope's row and
   * its ancestors' without correlation (dialects with {@link Dialect.keyed}).
   */
  readonly chain?: string;
  /** The scope whose list this scope's rows belong to (none for the record's). */
  readonly parent?: Scope;
  /** This scope's table, quoted, without alias (the record's: its qualifier). */
  readonly table?: string;
  /**
   * An element bound by a lambda over its rows as an array (dialects with `keyed.elements`), not
   * a table of the query: its columns are read by name (`"_c3.name"`), and `read` notes which,
   * so that the rows carry them.
   */
  readonly lambda?: { readonly alias: string; readonly read: Set<string> };
}

/** A collection's element scopes bound by lambdas, and what the dialect needs once the condition is written. @internal */
export interface LambdaRows {
  /** The element scopes, innermost (the last list's) first. */
  readonly scopes: Scope[];
  /** The rows, carrying the columns the SQL written over the elements (`sql`) reads. */
  rows(sql: readonly string[]): ElementRows;
}

/** Child rows reached without correlation: `key` (a column of the parent's row) is in `SELECT key FROM from`. @internal */
export interface KeyedRows {
  readonly key: string;
  /** The parent's chain joined to the child table(s); no WHERE. */
  readonly from: string;
  /** The scope the child rows belong to. */
  readonly parent: Scope;
}

/** What one compilation needs besides the tree. @internal */
export interface CompilerEnv {
  readonly dialect: Dialect;
  readonly params: Params;
  /**
   * What the checker resolved for every value node of the tree (`CheckResult.facts`): field
   * paths and the scope that binds them, aggregate splits, parameter types. The compiler reads
   * them and never resolves a name again, so that SQL and the evaluator cannot disagree on what
   * a rule means.
   */
  readonly facts: Facts;
  /** The rule's parameters, validated (params.ts). */
  readonly values: ReadonlyMap<string, ParamValue>;
  readonly nowMs: number;
  readonly timeZone: string;
  /** The rule's text, for code frames in errors. */
  readonly source: string | undefined;
  /** Names aliases must not take (the tables the options name). */
  readonly reserved: ReadonlySet<string>;
  /**
   * The SQL value of an `@name` reference (rules files: segment → boolean, score → number,
   * lifecycle → its stage name, tiers → its tier name), compiled on the record's row. Absent for a
   * single rule: `@name` is then `sql.reference`.
   */
  readonly ref?: (c: SQLCompiler, node: RefNode, root: Scope) => SqlOperand;
}

// ---------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------

/** A value read per row: a column, an aggregate subquery. NULL is unknown. @internal */
export interface ExprOp {
  readonly c: "expr";
  readonly sql: string;
  readonly type: FieldType;
}
interface NumOp {
  readonly c: "num";
  readonly v: number;
}
interface StrOp {
  readonly c: "str";
  readonly v: string;
  /** The declared order when the value stands for an ordered enum (a parameter next to one). */
  readonly order?: readonly string[];
}
interface BoolOp {
  readonly c: "bool";
  readonly v: boolean;
}
interface DateOp {
  readonly c: "date";
  readonly d: DateValue;
}
interface DurOp {
  readonly c: "dur";
  readonly d: DurationValue;
}
interface ListOp {
  readonly c: "list";
  readonly items: readonly ParamValue[];
  /** The type of the items of a list parameter, as the checker inferred it. */
  readonly item?: CheckedType;
}
/** An array of objects (a child table). */
interface ChildrenOp {
  readonly c: "children";
  readonly node: FieldNode;
  readonly field: FieldFact;
}
/** A nested object (no column of its own). */
interface ObjectOp {
  readonly c: "object";
}

/** @internal */
export type SqlOperand = ExprOp | NumOp | StrOp | BoolOp | DateOp | DurOp | ListOp | ChildrenOp | ObjectOp;
type Const = NumOp | StrOp | BoolOp | DateOp;

const NUMBER: FieldType = { kind: "number", integer: false };
const STRING: FieldType = { kind: "string" };
const BOOLEAN: FieldType = { kind: "boolean" };
const DATE: FieldType = { kind: "date", source: "date" };
const LONE_SURROGATE = /\p{Surrogate}/u;
const FLIP: Readonly<Record<CompareOp, CompareOp>> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
const SQL_OP: Readonly<Record<CompareOp, string>> = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

/**
 * True when `s` is wrapped in one pair of parentheses (quotes skipped), so that `NOT` and
 * friends need not add another.
 */
function wrapped(s: string): boolean {
  if (!s.startsWith("(") || !s.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'" || ch === '"') {
      const q = ch;
      i++;
      while (i < s.length && !(s[i] === q && s[i + 1] !== q)) i += s[i] === q ? 2 : 1;
      continue;
    }
    if (ch === "(") depth++;
    else if (ch === ")") {
      depth--;
      if (depth === 0 && i < s.length - 1) return false;
    }
  }
  return depth === 0;
}

/** A column or alias reference: `"t"."c"`, nothing to wrap. */
const QUALIFIED = /^(?:"(?:[^"]|"")*"\.)*"(?:[^"]|"")*"$/;

/** `s` in parentheses unless it already is one parenthesised unit or a column reference. @internal */
export const paren = (s: string): string => (wrapped(s) || QUALIFIED.test(s) ? s : `(${s})`);
const not = (s: string): string => `NOT ${paren(s)}`;
/** `e`, except NULL when `guard` is NULL (an unknown array or value makes the test unknown). */
const unknownIfNull = (guard: string, e: string): string => `CASE WHEN ${guard} IS NULL THEN NULL ELSE ${e} END`;
/** `e`, except NULL when the array column `array` is missing. */
const unknownIfNoArray = (c: SQLCompiler, array: string, e: string): string => `CASE WHEN ${c.d.arrayIsNull(array)} THEN NULL ELSE ${e} END`;

/**
 * A sum or an average of `+Infinity` and `-Infinity` is NaN, which the evaluator reads as unknown;
 * both engines order NaN above every number (`NaN > 5` is true), so it is written NULL. Both
 * compare NaN equal to itself, so `NULLIF` finds it.
 */
const unknownIfNaN = (c: SQLCompiler, e: string): string => c.d.nullIfNaN(e);

/**
 * An instant as an ISO-8601 text both engines read (`2024-01-15T09:30:00.000Z`, microseconds when
 * the instant has them, years above 9999 without a sign).
 */
function isoOf(ms: number): string | undefined {
  let whole = Math.floor(ms);
  let us = Math.round((ms - whole) * 1000);
  if (us >= 1000) {
    whole += 1;
    us = 0;
  }
  const d = new Date(whole);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1) return undefined;
  let s = d.toISOString();
  if (s.startsWith("+")) s = s.slice(1).replace(/^0+(?=\d{5})/, "");
  return us ? `${s.slice(0, -1)}${String(us).padStart(3, "0")}Z` : s;
}

// ---------------------------------------------------------------------------------------------
// The compiler
// ---------------------------------------------------------------------------------------------

type ExprHandlers = { readonly [K in ExprKind]: (c: SQLCompiler, n: Extract<ExprNode, { kind: K }>, scopes: readonly Scope[]) => string };
type ValueHandlers = { readonly [K in ValueKind]: (c: SQLCompiler, n: Extract<ValueNode, { kind: K }>, scopes: readonly Scope[]) => SqlOperand };

/** @internal */
export class SQLCompiler {
  private aliasCount = 0;
  readonly d: Dialect;

  constructor(readonly env: CompilerEnv) {
    this.d = env.dialect;
  }

  /** The SQL condition of an expression. */
  expr(node: ExprNode, scopes: readonly Scope[]): string {
    return (EXPR[node.kind] as (c: SQLCompiler, n: ExprNode, s: readonly Scope[]) => string)(this, node, scopes);
  }

  /** The operand of a value node. */
  value(node: ValueNode, scopes: readonly Scope[]): SqlOperand {
    return (VALUE[node.kind] as (c: SQLCompiler, n: ValueNode, s: readonly Scope[]) => SqlOperand)(this, node, scopes);
  }

  // ---- errors ---------------------------------------------------------------------------------

  unsupported(construct: string, span: Span, hint?: string): never {
    throw sqlMessages.unsupported(construct, this.d.label, span, this.env.source, hint);
  }

  // ---- parameters -----------------------------------------------------------------------------

  /** Refuses a text the engine would not receive as written. */
  private checkText(s: string, span: Span): void {
    // Drivers encode UTF-8: a lone surrogate would arrive as U+FFFD, another text.
    if (LONE_SURROGATE.test(s)) this.unsupported("A text holding a lone surrogate (U+D800–U+DFFF, not Unicode text)", span);
    const problem = this.d.textProblem(s);
    if (problem) this.unsupported(`A text holding ${problem}`, span);
  }

  /** A placeholder token for a value from the rule, cast in SQL. */
  bind(value: SQLParam, type: SQLType | undefined, span: Span): string {
    if (typeof value === "string") this.checkText(value, span);
    let v = value;
    // @duckdb/node-api binds an integral number as a 64-bit integer (and throws beyond); past
    // ±2^53 the number travels as text, cast in SQL.
    if (typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v)) v = String(v);
    const token = this.env.params.add(v, type);
    return type ? this.d.cast(token, type) : token;
  }

  num(v: number, span: Span): string {
    return this.bind(v, "float", span);
  }

  text(v: string, span: Span): string {
    return this.bind(v, "text", span);
  }

  /** An instant parameter, or undefined when the instant is unknown (NaN). */
  ts(ms: number, span: Span): string | undefined {
    if (ms !== ms) return undefined;
    const range = this.d.instantRange;
    if (range && !(ms >= range[0] && ms < range[1])) {
      this.unsupported(`An instant outside ${new Date(range[0]).getUTCFullYear()}–${new Date(range[1]).getUTCFullYear() - 1} (${isoOf(ms) ?? "before year 1"}, which ${this.d.label} timestamps cannot hold)`, span);
    }
    const iso = isoOf(ms);
    if (iso === undefined) this.unsupported("A date before year 1", span);
    return this.bind(iso, "timestamptz", span);
  }

  /** `e op t`, NULL when `t` is unknown. */
  cmpTs(e: string, op: CompareOp, ms: number, span: Span): string {
    const t = this.ts(ms, span);
    return t === undefined ? this.d.nullOf("boolean") : `${e} ${SQL_OP[op]} ${t}`;
  }

  /** A list as one JSON text parameter. */
  json(items: readonly unknown[], span: Span): string {
    for (const it of items) if (typeof it === "string") this.checkText(it, span);
    return this.env.params.add(JSON.stringify(items));
  }

  /** A constant operand as SQL. */
  constant(o: Const, span: Span): string {
    switch (o.c) {
      case "num":
        return this.num(o.v, span);
      case "str":
        return this.text(o.v, span);
      case "bool":
        return this.bind(o.v, "boolean", span);
      case "date":
        return this.ts(o.d.lo, span) ?? this.d.nullOf("timestamptz");
    }
  }

  // ---- time -----------------------------------------------------------------------------------

  shift(amount: number, unit: DurationUnit, direction: "ago" | "fromNow"): number {
    return shiftInstant(this.env.nowMs, amount, unit, direction, this.env.timeZone);
  }

  /** A duration read as an age: the instant `now − d`. */
  ageCutoff(d: DurationValue): DateValue {
    return instantValue(this.shift(d.amount, d.unit, "ago"));
  }

  // ---- names ----------------------------------------------------------------------------------

  /** A table name, `schema.table` split at the dot. */
  table(name: string): string {
    return name
      .split(".")
      .map((part) => this.d.quoteIdent(part))
      .join(".");
  }

  alias(prefix: string): string {
    let name: string;
    do name = `${prefix}${++this.aliasCount}`;
    while (this.env.reserved.has(name));
    return this.d.quoteIdent(name);
  }

  /** The column a field path names (its declared names, one per step), in a scope. */
  column(scope: Scope, names: readonly string[]): string {
    const key = names.join(".");
    const cols = scope.columns;
    return this.columnNamed(scope, cols && Object.hasOwn(cols, key) ? cols[key]! : names.join("_"));
  }

  /** A column of a scope's row by its name in the table (a key, a renamed field's column). */
  columnNamed(scope: Scope, name: string): string {
    // Quoted first, so that a name the dialect cannot hold is refused however it is read.
    const quoted = this.d.quoteIdent(name);
    const elements = this.d.keyed?.elements;
    if (scope.lambda && elements) {
      scope.lambda.read.add(name);
      return elements.column(scope.lambda.alias, name);
    }
    return `${scope.qualifier}.${quoted}`;
  }

  // ---- facts ----------------------------------------------------------------------------------

  /** The checker's fact of a value node; a node without one was never accepted by the checker. */
  fact(node: ValueNode): ValueFact {
    const f = this.env.facts.value(node);
    if (!f) this.unsupported(`${printNode(node)} (not typed by the checker: a bug in cible, please report it)`, node.span);
    return f;
  }

  /** The field a path node names, as the checker resolved it. */
  fieldFact(node: FieldNode): FieldFact {
    const f = this.fact(node).field;
    if (!f) this.unsupported(`${printNode(node)} (not a resolved field: a bug in cible, please report it)`, node.span);
    return f;
  }

  /** The scope that binds a resolved path (the checker counted scopes as `scopes` lists them). */
  scopeOf(f: FieldFact, scopes: readonly Scope[], span: Span): Scope {
    const scope = f.depth === scopes.length - 1 ? scopes[f.scope] : undefined;
    if (!scope) this.unsupported(`${f.names.join(".")} (read from another scope than the checker's: a bug in cible, please report it)`, span);
    return scope;
  }

  /** The child table of an array of objects, joined to its parent row. */
  child(node: FieldNode, scopes: readonly Scope[]): { from: string; scope: Scope; keyed?: KeyedRows } {
    return this.childOf(this.fieldFact(node), scopes, node.span, printNode(node));
  }

  /** The child table of a resolved array-of-objects path, joined to the row of the scope that binds it. */
  childOf(f: FieldFact, scopes: readonly Scope[], span: Span, text: string): { from: string; scope: Scope; keyed?: KeyedRows } {
    const t = f.type;
    if (t.kind !== "array" || t.element.kind !== "object") return this.unsupported(`${text} (not a list of objects)`, span);
    const parent = this.scopeOf(f, scopes, span);
    const j = this.join(parent, f.names.join("."), t.element, span);
    const keyed = parent.chain === undefined ? undefined : { key: j.parentKey, from: `${parent.chain} JOIN ${j.table} ON ${j.on}`, parent };
    return { from: `${j.table} WHERE ${j.on}`, scope: j.scope, ...(keyed ? { keyed } : {}) };
  }

  /**
   * The rows of an aggregate's or a quantifier's collection: one child table, or, through several
   * arrays of objects (`contacts.events`), the child tables joined, each to its parent's row.
   * `scopes` are the element scopes, innermost (the last table) first.
   */
  rowsOf(a: AggregateFact, scopes: readonly Scope[], span: Span, text: string): { from: string; scopes: Scope[]; keyed?: KeyedRows } {
    const t = a.collection.type;
    if (t.element.kind !== "object") return this.unsupported(`${text} (not a list of objects)`, span);
    const parent = this.scopeOf(a.collection, scopes, span);
    const first = this.join(parent, a.collection.names.join("."), t.element, span);
    let tables = first.table;
    let chained = parent.chain === undefined ? undefined : `${parent.chain} JOIN ${first.table} ON ${first.on}`;
    const inner = [first.scope];
    for (const c of a.nested) {
      if (c.type.element.kind !== "object") return this.unsupported(`${text} (not a list of objects)`, span);
      const j = this.join(inner[0]!, c.names.join("."), c.type.element, span);
      tables += ` JOIN ${j.table} ON ${j.on}`;
      if (chained !== undefined) chained += ` JOIN ${j.table} ON ${j.on}`;
      inner.unshift(j.scope);
    }
    const keyed = chained === undefined ? undefined : { key: first.parentKey, from: chained, parent };
    return { from: `${tables} WHERE ${first.on}`, scopes: inner, ...(keyed ? { keyed } : {}) };
  }

  /** The `children` entry `key` of a scope: its child table, foreign key and the parent's key column. */
  private childTable(parent: Scope, key: string, span: Span): ChildTable & { table: string; foreignKey: string } {
    const kids = parent.children;
    const cfg = kids && Object.hasOwn(kids, key) ? kids[key] : undefined;
    if (!cfg || typeof cfg.table !== "string" || typeof cfg.foreignKey !== "string") {
      throw sqlMessages.childTable(key, parent.within ?? [], span, this.env.source);
    }
    return cfg as ChildTable & { table: string; foreignKey: string };
  }

  /** A child table of `parent` (its `children` entry `key`), aliased, and the condition joining it. */
  private join(parent: Scope, key: string, element: ObjectType, span: Span): { table: string; on: string; parentKey: string; scope: Scope } {
    const cfg = this.childTable(parent, key, span);
    const alias = this.alias("_c");
    const table = `${this.table(cfg.table)} AS ${alias}`;
    const parentKey = this.columnNamed(parent, cfg.key ?? "id");
    const on = `${alias}.${this.d.quoteIdent(cfg.foreignKey)} = ${parentKey}`;
    const scope: Scope = {
      object: element,
      qualifier: alias,
      columns: cfg.columns,
      children: cfg.children,
      within: [...(parent.within ?? []), key],
      parent,
      table: this.table(cfg.table),
    };
    return { table, on, parentKey, scope: parent.chain === undefined ? scope : { ...scope, chain: `${parent.chain} JOIN ${table} ON ${on}` } };
  }

  /**
   * True when a construct over the rows of `coll` (through `nested` further lists) must bind its
   * elements with lambdas (`keyed.elements`) rather than read them by a keyed subquery over the
   * parent's tables: the parent is itself bound by a lambda, or `where` reads a scope that is
   * neither the parent nor one of its ancestors — the element of an enclosing `where` over
   * another list (`any contacts where (any purchases where amount > score)`: `score` is the
   * contact's), which those tables do not hold. Which scope each name binds is the checker's
   * fact (`scope`, counted from the innermost of the `depth + 1` scopes where the node stands).
   */
  needsLambda(coll: FieldFact, nested: number, where: ExprNode | undefined, scopes: readonly Scope[], span: Span): boolean {
    const parent = this.scopeOf(coll, scopes, span);
    if (parent.chain === undefined) return true;
    if (!where) return false;
    const path = new Set<Scope>();
    for (let s: Scope | undefined = parent; s; s = s.parent) path.add(s);
    const own = nested + 1;
    const total = own + scopes.length;
    const outside = (f: FieldFact | undefined): boolean => {
      if (!f) return false;
      const i = f.scope - (f.depth + 1 - total);
      if (i < own) return false; // an element of this construct, or of a `where` inside it
      const s = scopes[i - own];
      return s !== undefined && !path.has(s);
    };
    let found = false;
    forEachNode(where, (node) => {
      if (found) return false;
      if (isExprNode(node)) return true;
      const fact = this.env.facts.value(node);
      found = outside(fact?.field) || outside(fact?.aggregate?.collection);
      return !found;
    });
    return found;
  }

  /**
   * The elements of a collection bound by lambdas over their rows (`keyed.elements`): one child
   * table, or several joined (`contacts.events`: every event of every contact, the element
   * scopes of both). The rows are read by an uncorrelated subquery from the parent's table down,
   * grouped by the parent's key, and carry the columns the SQL written over them reads.
   */
  lambdaRows(coll: FieldFact, nested: readonly NestedCollectionFact[], scopes: readonly Scope[], span: Span, text: string): LambdaRows {
    const elements = this.d.keyed?.elements;
    if (!elements) return this.unsupported(`${text} (a list read through a lambda)`, span);
    const parent = this.scopeOf(coll, scopes, span);
    const first = this.childTable(parent, coll.names.join("."), span);
    const top = this.alias("_p");
    const parentKey = first.key ?? "id";
    let from = `${parent.table ?? parent.qualifier} AS ${top}`;
    const inner: Scope[] = [];
    const add = (owner: Scope, ownerAlias: string, key: string, type: FieldFact["type"] | NestedCollectionFact["type"]): void => {
      if (type.kind !== "array" || type.element.kind !== "object") this.unsupported(`${text} (not a list of objects)`, span);
      const cfg = this.childTable(owner, key, span);
      const alias = this.alias("_c");
      from += ` JOIN ${this.table(cfg.table)} AS ${alias} ON ${alias}.${this.d.quoteIdent(cfg.foreignKey)} = ${ownerAlias}.${this.d.quoteIdent(cfg.key ?? "id")}`;
      inner.unshift({
        object: type.element,
        qualifier: alias,
        columns: cfg.columns,
        children: cfg.children,
        within: [...(owner.within ?? []), key],
        parent: owner,
        table: this.table(cfg.table),
        lambda: { alias: alias.slice(1, -1).replace(/""/g, '"'), read: new Set() },
      });
    };
    add(parent, top, coll.names.join("."), coll.type);
    for (const n of nested) add(inner[0]!, inner[0]!.qualifier, n.names.join("."), n.type);
    const key = this.columnNamed(parent, parentKey);
    const rowsAlias = this.alias("_e");
    return {
      scopes: inner,
      rows: (sql) => {
        const columns: [string, string][] = [];
        for (const s of [...inner].reverse()) {
          const { alias, read } = s.lambda!;
          const names = new Set(read);
          // The dialect's own columns beside one read (a missing array's flag), when the SQL reads them.
          for (const name of read) for (const extra of elements.companions(name)) if (sql.some((t) => t.includes(elements.column(alias, extra)))) names.add(extra);
          for (const name of names) columns.push([`${s.qualifier}.${this.d.quoteIdent(name)}`, elements.column(alias, name)]);
        }
        return { key, from, fromKey: `${top}.${this.d.quoteIdent(parentKey)}`, columns, alias: rowsAlias };
      },
    };
  }

  // ---- comparisons ----------------------------------------------------------------------------

  compare(op: CompareOp, L: SqlOperand, R: SqlOperand, span: Span, text: string): string {
    // As the evaluator orients them: what is read per row on the left; between values fixed for
    // the run, a date before a duration (`6 months > $d` → `$d < 6 months`).
    if ((L.c !== "expr" && R.c === "expr") || (L.c === "dur" && R.c === "date")) return this.compare(FLIP[op], R, L, span, text);
    // A date fixed for the run on the left (`$d < 6 months`, `$d <= 2026-01-01`) is read as its
    // first instant, with the day semantics of a date column: the same SQL as a column.
    if (L.c === "date") L = this.lift(L, span);
    if (L.c === "expr") {
      const t = L.type;
      switch (t.kind) {
        case "date":
          if (R.c === "dur") return this.dateFixed(FLIP[op], L.sql, this.ageCutoff(R.d), span);
          if (R.c === "date") return this.dateFixed(op, L.sql, R.d, span);
          if (R.c === "expr" && R.type.kind === "date") return `${L.sql} ${SQL_OP[op]} ${R.sql}`;
          break;
        case "number":
          if (R.c === "num") return `${L.sql} ${SQL_OP[op]} ${this.num(R.v, span)}`;
          if (R.c === "expr" && R.type.kind === "number") return `${L.sql} ${SQL_OP[op]} ${R.sql}`;
          break;
        case "boolean":
          if (op !== "=" && op !== "!=") break;
          if (R.c === "bool") return `${L.sql} ${SQL_OP[op]} ${this.bind(R.v, "boolean", span)}`;
          if (R.c === "expr" && R.type.kind === "boolean") return `${L.sql} ${SQL_OP[op]} ${R.sql}`;
          break;
        case "string":
        case "enum":
          if (R.c === "str" || (R.c === "expr" && (R.type.kind === "string" || R.type.kind === "enum"))) {
            return this.compareText(op, L, R, span);
          }
          break;
        default:
          break;
      }
      this.unsupported(`The comparison ${text}`, span);
    }
    // Two fixed values (`$a > 3`): known before the query runs.
    return this.fixedTruth(op, L, R, span, text);
  }

  private fixedTruth(op: CompareOp, L: SqlOperand, R: SqlOperand, span: Span, text: string): string {
    let a: number | string | boolean;
    let b: number | string | boolean;
    if (L.c === "num" && R.c === "num") [a, b] = [L.v, R.v];
    else if (L.c === "str" && R.c === "str" && (op === "=" || op === "!=")) [a, b] = [L.v, R.v];
    else if (L.c === "bool" && R.c === "bool" && (op === "=" || op === "!=")) [a, b] = [L.v, R.v];
    else this.unsupported(`The comparison ${text}`, span);
    if (L.c === "num" && (a !== a || b !== b)) return this.d.nullOf("boolean"); // NaN: unknown
    const r =
      op === "=" ? a === b : op === "!=" ? a !== b : op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
    return r ? "TRUE" : "FALSE";
  }

  /**
   * A value fixed for the run standing where a value read per row is expected (`$a in […]`,
   * `$d within last 30 days`, `$tags has "x"`): the same value as a bound placeholder, so that
   * every construct writes it as it writes a column, and the engine decides it as the evaluator
   * does. A date is its first instant (the evaluator reads a fixed date on the left so); a list
   * parameter is an array of the item type the checker gave it. Other operands are unchanged.
   */
  lift(o: SqlOperand, span: Span): SqlOperand {
    switch (o.c) {
      case "num":
        return { c: "expr", sql: this.num(o.v, span), type: NUMBER };
      case "str":
        return { c: "expr", sql: this.text(o.v, span), type: o.order ? { kind: "enum", values: o.order, ordered: true } : STRING };
      case "bool":
        return { c: "expr", sql: this.bind(o.v, "boolean", span), type: BOOLEAN };
      case "date":
        return { c: "expr", sql: this.constant(o, span), type: DATE };
      case "list": {
        const element = o.item && scalarFieldType(o.item);
        if (!element) return o;
        const { type, values } = this.listItems(o.items, element, span);
        return { c: "expr", sql: this.d.listArray(this.json(values, span), type), type: { kind: "array", element, elementNullable: false } };
      }
      default:
        return o;
    }
  }

  /** A date column against a fixed date: a day `[lo, hi)` or one instant. */
  dateFixed(op: CompareOp, e: string, d: DateValue, span: Span): string {
    if (d.lo !== d.lo || d.hi !== d.hi) return this.d.nullOf("boolean");
    if (!d.day) return this.cmpTs(e, op, d.lo, span);
    // A day: the range of instants the evaluator tests (time/ranges.ts), as SQL bounds.
    const r = dateRange(op === "!=" ? "=" : op, d);
    if (op === "!=") return `(${this.cmpTs(e, "<", r.lo, span)} OR ${this.cmpTs(e, ">=", r.hi, span)})`;
    const bounds: string[] = [];
    if (r.lo !== -Infinity) bounds.push(this.cmpTs(e, ">=", r.lo, span));
    if (r.hi !== Infinity) bounds.push(this.cmpTs(e, "<", r.hi, span));
    return bounds.length === 1 ? bounds[0]! : `(${bounds.join(" AND ")})`;
  }


  private compareText(op: CompareOp, L: ExprOp, R: ExprOp | StrOp, span: Span): string {
    if (op === "=" || op === "!=") {
      const r = R.c === "str" ? this.text(R.v, span) : R.sql;
      return `${L.sql} ${SQL_OP[op]} ${r}`;
    }
    const order = orderOf(L.type) ?? (R.c === "expr" ? orderOf(R.type) : R.order);
    if (order) {
      // Ordered enum: by declared position (1-based), the list travelling as one JSON parameter.
      const pos = (o: ExprOp | StrOp): string => {
        if (o.c === "str") {
          const i = order.indexOf(o.v);
          return i < 0 ? this.d.nullOf("float") : this.num(i + 1, span);
        }
        return this.d.listPosition(this.json(order, span), o.sql);
      };
      return `${pos(L)} ${SQL_OP[op]} ${pos(R)}`;
    }
    // Free text: by code point (JavaScript compares UTF-16 code units; they agree below U+E000).
    const r = R.c === "str" ? this.text(R.v, span) : R.sql;
    return `${this.d.byCodePoint(L.sql)} ${SQL_OP[op]} ${r}`;
  }

  // ---- lists ----------------------------------------------------------------------------------

  /** The JSON items of a list for an element type, and their SQL item type. */
  listItems(items: readonly ParamValue[], element: FieldType, span: Span): { type: ListItemType; values: unknown[] } {
    switch (element.kind) {
      case "string":
      case "enum":
        return { type: "text", values: items.filter((v) => typeof v === "string") };
      case "number":
        return { type: "float", values: items.filter((v) => typeof v === "number") };
      case "boolean":
        return { type: "boolean", values: items.filter((v) => typeof v === "boolean") };
      default:
        this.unsupported(`A list of ${element.kind} values`, span);
    }
  }

}

/** The declared order of an ordered enum type. */
function orderOf(t: FieldType): readonly string[] | undefined {
  return t.kind === "enum" && t.ordered ? t.values : undefined;
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

function chain(c: SQLCompiler, n: AndNode | OrNode, scopes: readonly Scope[]): string {
  const sep = n.kind === "and" ? " AND " : " OR ";
  return `(${n.operands.map((o) => c.expr(o, scopes)).join(sep)})`;
}

function compare(c: SQLCompiler, n: CompareNode, scopes: readonly Scope[]): string {
  return c.compare(n.op, c.value(n.left, scopes), c.value(n.right, scopes), n.span, printNode(n));
}

function between(c: SQLCompiler, n: BetweenNode, scopes: readonly Scope[]): string {
  const S = subject(c, n.subject, scopes, n.span);
  let lo = c.value(n.low, scopes);
  let hi = c.value(n.high, scopes);
  let sql: string | undefined;
  const text = printNode(n);
  if (S.c === "expr" && S.type.kind === "date") {
    // As the evaluator: two durations are an age range (swapped into instants); a duration bound
    // alone is the instant `now − d`; then lo.start <= f < hi.end.
    if (lo.c === "dur" && hi.c === "dur") [lo, hi] = [hi, lo];
    // Only parameters can mix them (the checker refuses a date literal with a duration literal).
    if ((lo.c === "dur" && hi.c === "date") || (lo.c === "date" && hi.c === "dur")) throw paramMixedBounds(nameOf(n.low), nameOf(n.high));
    const bound = (o: SqlOperand, high: boolean): string => {
      if (o.c === "dur") return c.dateFixed(high ? "<=" : ">=", S.sql, c.ageCutoff(o.d), n.span);
      if (o.c === "date") return c.dateFixed(high ? "<=" : ">=", S.sql, o.d, n.span);
      if (o.c === "expr" && o.type.kind === "date") return `${S.sql} ${high ? "<=" : ">="} ${o.sql}`;
      return c.unsupported(`The range ${text}`, n.span);
    };
    sql = `(${bound(lo, false)} AND ${bound(hi, true)})`;
  } else if (S.c === "expr" && S.type.kind === "number") {
    const side = (o: SqlOperand): string => {
      if (o.c === "num") return c.num(o.v, n.span);
      if (o.c === "expr" && o.type.kind === "number") return o.sql;
      return c.unsupported(`The range ${text}`, n.span);
    };
    sql = `(${S.sql} >= ${side(lo)} AND ${S.sql} <= ${side(hi)})`;
  } else if (S.c === "expr" && orderOf(S.type)) {
    sql = `(${c.compare(">=", S, lo, n.span, text)} AND ${c.compare("<=", S, hi, n.span, text)})`;
  }
  if (sql === undefined) return c.unsupported(`The range ${text}`, n.span);
  return n.negated ? not(sql) : sql;
}

function within(c: SQLCompiler, n: WithinNode, scopes: readonly Scope[]): string {
  const S = subject(c, n.subject, scopes, n.span);
  if (S.c !== "expr" || S.type.kind !== "date") return c.unsupported(`${printNode(n)}`, n.span);
  const d = durationOf(c, n.duration);
  const now = c.env.nowMs;
  if (n.direction === "last") {
    const from = c.shift(d.amount, d.unit, "ago");
    return `(${c.cmpTs(S.sql, ">=", from, n.span)} AND ${c.cmpTs(S.sql, "<=", now, n.span)})`;
  }
  const to = c.shift(d.amount, d.unit, "fromNow");
  return `(${c.cmpTs(S.sql, ">=", now, n.span)} AND ${c.cmpTs(S.sql, "<=", to, n.span)})`;
}

/** The subject of a test, a value fixed for the run (a parameter) lifted to SQL of its own. */
function subject(c: SQLCompiler, node: ValueNode, scopes: readonly Scope[], span: Span): SqlOperand {
  return c.lift(c.value(node, scopes), span);
}

function listOf(c: SQLCompiler, o: SqlOperand, span: Span): readonly ParamValue[] {
  if (o.c !== "list") return c.unsupported("A list given as something other than `[…]` or a list parameter", span);
  return o.items;
}

function inList(c: SQLCompiler, n: InNode, scopes: readonly Scope[]): string {
  const S = subject(c, n.subject, scopes, n.span);
  if (S.c !== "expr") return c.unsupported(`${printNode(n)}`, n.span);
  const items = listOf(c, c.value(n.list, scopes), n.span);
  const { type, values } = c.listItems(items, S.type, n.span);
  const sql = values.length === 0 ? unknownIfNull(S.sql, "FALSE") : `${S.sql} IN ${c.d.listRelation(c.json(values, n.span), type)}`;
  return n.negated ? not(sql) : sql;
}

function has(c: SQLCompiler, n: HasNode, scopes: readonly Scope[]): string {
  const S = subject(c, n.subject, scopes, n.span);
  if (S.c !== "expr" || S.type.kind !== "array") return c.unsupported(`${printNode(n)}`, n.span);
  const element = S.type.element;
  const arr = S.sql;
  if (n.mode === "one") {
    const V = c.value(n.value, scopes);
    if (V.c === "expr") return unknownIfNull(V.sql, c.d.arrayHas(arr, V.sql));
    if (V.c === "str" || V.c === "num" || V.c === "bool") {
      const kind = element.kind === "enum" ? "string" : element.kind;
      const vk = V.c === "str" ? "string" : V.c === "num" ? "number" : "boolean";
      if (kind !== vk) return c.unsupported(`${printNode(n)}`, n.span);
      return c.d.arrayHas(arr, c.constant(V, n.span));
    }
    return c.unsupported(`${printNode(n)}`, n.span);
  }
  const items = listOf(c, c.value(n.value, scopes), n.span);
  const { type, values } = c.listItems(items, element, n.span);
  const list = c.d.listArray(c.json(values, n.span), type);
  if (n.mode === "all") return c.d.arrayHasAll(arr, list);
  const any = c.d.arrayHasAny(arr, list);
  return n.mode === "any" ? any : not(any);
}

function text(c: SQLCompiler, n: TextNode, scopes: readonly Scope[]): string {
  const S = c.value(n.subject, scopes);
  const V = c.value(n.value, scopes);
  // A text fixed for the run is folded in JavaScript: as the engine folds the other side when
  // that side is read per row (so that equal texts stay equal), as the evaluator folds when both
  // are fixed (`$s contains "x"` is then decided exactly as the evaluator decides it).
  const foldFixed = S.c === "str" && V.c === "str" ? fold : c.d.foldText;
  const side = (o: SqlOperand): string | undefined => {
    if (o.c === "str") return c.text(foldFixed(o.v), n.span);
    if (o.c === "expr" && (o.type.kind === "string" || o.type.kind === "enum")) return c.d.fold(o.sql);
    return undefined;
  };
  const hay = side(S);
  const needle = side(V);
  if (hay === undefined || needle === undefined) return c.unsupported(`${printNode(n)}`, n.span);
  let sql: string;
  switch (n.op) {
    case "contains":
      sql = c.d.contains(hay, needle);
      break;
    case "startsWith":
      sql = c.d.startsWith(hay, needle);
      break;
    case "endsWith":
      sql = c.d.endsWith(hay, needle);
      break;
    case "foldEquals":
      sql = `${hay} = ${needle}`;
      break;
  }
  return n.negated ? not(sql) : sql;
}

function isSet(c: SQLCompiler, n: IsSetNode, scopes: readonly Scope[]): string {
  const S = c.value(n.subject, scopes);
  if (S.c === "expr" && S.type.kind === "array") return n.negated ? c.d.arrayIsNull(S.sql) : not(c.d.arrayIsNull(S.sql));
  if (S.c === "expr") return `${S.sql} IS ${n.negated ? "" : "NOT "}NULL`;
  if (S.c === "children") {
    return c.unsupported(
      `\`is set\` on a list of objects (${printNode(n.subject)})`,
      n.span,
      "a child table cannot tell a missing list from an empty one: write `is not empty`",
    );
  }
  if (S.c === "object") {
    return c.unsupported(
      `\`is set\` on a group of fields (${printNode(n.subject)})`,
      n.span,
      "the layout stores its fields as columns, not the group itself: test one of its fields",
    );
  }
  // Literals and parameters are always set.
  return n.negated ? "FALSE" : "TRUE";
}

function isEmpty(c: SQLCompiler, n: IsEmptyNode, scopes: readonly Scope[]): string {
  const S = subject(c, n.subject, scopes, n.span);
  if (S.c === "children") {
    const elements = c.d.keyed?.elements;
    if (elements && c.needsLambda(S.field, 0, undefined, scopes, n.span)) {
      // The list of an element bound by a lambda: its rows looked up by the element's key.
      const rows = c.lambdaRows(S.field, [], scopes, n.span, printNode(S.node)).rows([]);
      return `${elements.aggregate("count", rows, undefined, undefined)} ${n.negated ? ">" : "="} 0`;
    }
    const { from, keyed } = c.childOf(S.field, scopes, n.span, printNode(S.node));
    const exists = c.d.keyed && keyed ? c.d.keyed.exists(keyed.key, keyed.from) : `EXISTS (SELECT 1 FROM ${from})`;
    return n.negated ? exists : `NOT ${exists}`;
  }
  if (S.c === "expr" && S.type.kind === "string") return `${S.sql} ${n.negated ? "<>" : "="} ''`;
  if (S.c === "expr" && S.type.kind === "array") return `${c.d.arrayCount(S.sql)} ${n.negated ? ">" : "="} 0`;
  return c.unsupported(`${printNode(n)}`, n.span);
}

function truthy(c: SQLCompiler, n: TruthyNode, scopes: readonly Scope[]): string {
  const S = c.value(n.subject, scopes);
  if (S.c === "expr" && S.type.kind === "boolean") return S.sql;
  if (S.c === "bool") return c.bind(S.v, "boolean", n.span);
  return c.unsupported(`${printNode(n)}`, n.span);
}

function quantifier(c: SQLCompiler, n: QuantifierNode, scopes: readonly Scope[]): string {
  // Through several arrays of objects (`any contacts.events where …`): their tables joined.
  const flat = c.fact(n.collection).aggregate;
  const lambda = c.d.keyed?.elements;
  if (lambda) {
    const coll = flat ? flat.collection : c.fieldFact(n.collection);
    const nested = flat ? flat.nested : [];
    if (c.needsLambda(coll, nested.length, n.where, scopes, n.collection.span)) {
      const bound = c.lambdaRows(coll, nested, scopes, n.collection.span, printNode(n.collection));
      const inner = c.expr(n.where, [...bound.scopes, ...scopes]);
      const rows = bound.rows([inner]);
      if (n.quantifier === "all") return lambda.quantifier("all", rows, inner);
      const anyOf = lambda.quantifier("any", rows, inner);
      return n.quantifier === "any" ? anyOf : not(anyOf);
    }
  }
  const { from, scopes: elements, keyed } = flat
    ? c.rowsOf(flat, scopes, n.collection.span, printNode(n.collection))
    : ((o) => ({ from: o.from, scopes: [o.scope], keyed: o.keyed }))(c.child(n.collection, scopes));
  const inner = c.expr(n.where, [...elements, ...scopes]);
  if (c.d.keyed) {
    // Every scope `inner` reads is the parent's or an ancestor's (needsLambda), all in `keyed.from`.
    if (!keyed) return c.unsupported(`${printNode(n)} (its rows are not reachable from the records' table)`, n.span);
    const anyOf = c.d.keyed.quantifier("any", inner, keyed.key, keyed.from);
    return n.quantifier === "any" ? anyOf : n.quantifier === "none" ? not(anyOf) : c.d.keyed.quantifier("all", inner, keyed.key, keyed.from);
  }
  // Each row's truth as 2 (true), 1 (unknown), 0 (false); `any` is the max, `all` the min. The
  // rows are computed in a derived table: an aggregate over an expression that reads only outer
  // columns would otherwise belong to the outer query (SQL's rule for correlated aggregates).
  const q = c.alias("_q");
  const rows = `(SELECT CASE ${inner} WHEN TRUE THEN 2 WHEN FALSE THEN 0 ELSE 1 END AS k FROM ${from}) AS ${q}`;
  const anySql = `(SELECT CASE max(${q}.k) WHEN 2 THEN TRUE WHEN 1 THEN NULL ELSE FALSE END FROM ${rows})`;
  switch (n.quantifier) {
    case "any":
      return anySql;
    case "none":
      return not(anySql);
    case "all":
      return `(SELECT CASE min(${q}.k) WHEN 0 THEN FALSE WHEN 1 THEN NULL ELSE TRUE END FROM ${rows})`;
  }
}

const EXPR: ExprHandlers = {
  or: chain,
  and: chain,
  not: (c, n: NotNode, scopes) => not(c.expr(n.operand, scopes)),
  compare,
  between,
  in: inList,
  has,
  text,
  isSet,
  isEmpty,
  truthy,
  quantifier,
  within,
};

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

function field(c: SQLCompiler, n: FieldNode, scopes: readonly Scope[]): SqlOperand {
  const f = c.fieldFact(n);
  const t = f.type;
  if (t.kind === "object") return { c: "object" };
  if (t.kind === "array" && t.element.kind === "object") return { c: "children", node: n, field: f };
  if (t.kind === "array" && t.element.kind === "array") return c.unsupported(`The list of lists ${printNode(n)}`, n.span);
  return { c: "expr", sql: c.column(c.scopeOf(f, scopes, n.span), f.names), type: t };
}

/**
 * A parameter, typed as the checker inferred it where it stands (an enum parameter next to an
 * ordered enum carries that order; a date is not a duration), its value validated for that type.
 */
function param(c: SQLCompiler, n: ParamNode): SqlOperand {
  const t = c.fact(n).type;
  const v = c.env.values.get(n.name);
  const wrong = (): never => c.unsupported(`The parameter $${n.name} (its value is not of its checked type: a bug in cible, please report it)`, n.span);
  switch (t.kind) {
    case "number":
      return typeof v === "number" ? { c: "num", v } : wrong();
    case "string":
      return typeof v === "string" ? { c: "str", v } : wrong();
    case "enum":
      if (typeof v !== "string") return wrong();
      return t.ordered ? { c: "str", v, order: t.values } : { c: "str", v };
    case "boolean":
      return typeof v === "boolean" ? { c: "bool", v } : wrong();
    case "date":
      return isKind(v, "date") ? { c: "date", d: v } : wrong();
    case "duration":
      return isKind(v, "duration") ? { c: "dur", d: v } : wrong();
    case "dateOrDuration":
      // Ordered against a date: its value decides (validated as one or the other, never both).
      return isKind(v, "date") ? { c: "date", d: v } : isKind(v, "duration") ? { c: "dur", d: v } : wrong();
    case "list":
      if (!Array.isArray(v)) return wrong();
      return t.item ? { c: "list", items: v, item: t.item } : { c: "list", items: v };
    default:
      return c.unsupported(`The parameter $${n.name}`, n.span);
  }
}

/** The duration of a `within` or an instant: a literal, or a duration parameter's value. */
function durationOf(c: SQLCompiler, n: DurationNode | ParamNode): DurationValue {
  if (n.kind === "duration") return { kind: "duration", amount: n.amount, unit: n.unit };
  const o = param(c, n);
  return o.c === "dur" ? o.d : c.unsupported(`The parameter $${n.name} (not a duration: a bug in cible, please report it)`, n.span);
}

function nameOf(v: ValueNode): string {
  return v.kind === "param" ? v.name : printNode(v);
}

function isKind<K extends "date" | "duration">(v: ParamValue | undefined, kind: K): v is Extract<ParamValue, { kind: K }> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as DateValue | DurationValue).kind === kind;
}

/** An aggregate over the collection the checker split its path into (a child table or an array column). */
function aggregate(c: SQLCompiler, n: AggregateNode, scopes: readonly Scope[]): SqlOperand {
  const a = c.fact(n).aggregate;
  if (!a) return c.unsupported(`The aggregate ${printNode(n)}`, n.span);
  const coll = a.collection;
  if (coll.type.element.kind !== "object") {
    // An array column: NULL (unknown) when the array is NULL; null elements skipped.
    const arr = c.column(c.scopeOf(coll, scopes, n.pathSpan), coll.names);
    let sql: string;
    if (n.fn === "count") sql = c.d.arrayCount(arr);
    else if (n.fn === "sum") sql = unknownIfNoArray(c, arr, unknownIfNaN(c, `coalesce(${c.d.arrayAggregate("sum", arr)}, 0)`));
    else if (n.fn === "avg") sql = unknownIfNaN(c, c.d.arrayAggregate("avg", arr));
    else sql = c.d.arrayAggregate(n.fn, arr);
    return { c: "expr", sql, type: NUMBER };
  }
  // A child table (or child tables joined, through several lists): no rows when the list is
  // missing; count and sum of nothing are 0.
  const lambda = c.d.keyed?.elements;
  if (lambda && c.needsLambda(coll, a.nested.length, n.where, scopes, n.pathSpan)) {
    if (n.fn !== "count" && a.restType?.kind !== "number") return c.unsupported(`The aggregate ${printNode(n)}`, n.span);
    const bound = c.lambdaRows(coll, a.nested, scopes, n.pathSpan, printNode(n));
    const cond = n.where ? c.expr(n.where, [...bound.scopes, ...scopes]) : undefined;
    const col = n.fn === "count" ? undefined : c.column(bound.scopes[0]!, a.rest);
    const value = lambda.aggregate(n.fn, bound.rows([cond ?? "", col ?? ""]), cond, col);
    const sql = n.fn === "count" ? value : n.fn === "sum" ? unknownIfNaN(c, `coalesce(${value}, 0)`) : n.fn === "avg" ? unknownIfNaN(c, value) : value;
    return { c: "expr", sql, type: NUMBER };
  }
  const { from, scopes: rows, keyed } = c.rowsOf(a, scopes, n.pathSpan, printNode(n));
  const scope = rows[0]!;
  const cond = n.where ? paren(c.expr(n.where, [...rows, ...scopes])) : undefined;
  const where = cond ? ` AND ${cond}` : "";
  if (c.d.keyed) {
    // Every scope `cond` reads is the parent's or an ancestor's (needsLambda), all in `keyed.from`.
    if (!keyed) return c.unsupported(`The aggregate ${printNode(n)} (its rows are not reachable from the records' table)`, n.span);
    if (n.fn !== "count" && a.restType?.kind !== "number") return c.unsupported(`The aggregate ${printNode(n)}`, n.span);
    const value = (agg: string) => c.d.keyed!.aggregate(keyed.key, keyed.from, cond, agg);
    if (n.fn === "count") return { c: "expr", sql: `coalesce(${value("toFloat64(count())")}, 0)`, type: NUMBER };
    const col = c.column(scope, a.rest);
    const sql = n.fn === "sum" ? unknownIfNaN(c, `coalesce(${value(`sum(${col})`)}, 0)`) : n.fn === "avg" ? unknownIfNaN(c, value(`avg(${col})`)) : value(`${n.fn}(${col})`);
    return { c: "expr", sql, type: NUMBER };
  }
  if (n.fn === "count") return { c: "expr", sql: `(SELECT count(*) FROM ${from}${where})`, type: NUMBER };
  if (a.restType?.kind !== "number") return c.unsupported(`The aggregate ${printNode(n)}`, n.span);
  const col = c.column(scope, a.rest);
  const agg = n.fn === "sum" ? unknownIfNaN(c, `coalesce(sum(${col}), 0)`) : n.fn === "avg" ? unknownIfNaN(c, `avg(${col})`) : `${n.fn}(${col})`;
  return { c: "expr", sql: `(SELECT ${agg} FROM ${from}${where})`, type: NUMBER };
}

const VALUE: ValueHandlers = {
  field,
  string: (_c, n) => ({ c: "str", v: n.value.normalize("NFC") }),
  number: (_c, n) => ({ c: "num", v: n.value }),
  boolean: (_c, n) => ({ c: "bool", v: n.value }),
  date: (c, n) => ({ c: "date", d: isoDateValue(n.text, c.env.timeZone) }),
  duration: (_c, n) => ({ c: "dur", d: { kind: "duration", amount: n.amount, unit: n.unit } }),
  instant: (c, n) => {
    const d = durationOf(c, n.duration);
    return { c: "date", d: instantValue(c.shift(d.amount, d.unit, n.direction === "ago" ? "ago" : "fromNow")) };
  },
  list: (c, n) => ({
    c: "list",
    items: n.items.map((it) =>
      it.kind === "date" ? isoDateValue(it.text, c.env.timeZone) : it.kind === "string" ? it.value.normalize("NFC") : it.value,
    ),
  }),
  param: (c, n) => param(c, n),
  ref: (c, n, scopes) => {
    // A reference reads the record, never an element of an enclosing `where`.
    if (c.env.ref) return c.env.ref(c, n, scopes[scopes.length - 1]!);
    throw sqlMessages.reference(n.name, n.span, c.env.source);
  },
  aggregate,
};
