/**
 * The type checker: resolves every field of a rule against the schema model, checks that each
 * operator fits the types of its operands (LANGUAGE.md §3), infers `$param` types, checks `@ref`
 * references, and adds a few lints. It reports every problem it finds, not only the first.
 */
import type {
  AggregateNode,
  AnyNode,
  BetweenNode,
  CompareNode,
  CompareOp,
  DateNode,
  DurationNode,
  ExprNode,
  FieldNode,
  HasNode,
  InNode,
  IsEmptyNode,
  IsSetNode,
  NodeKind,
  ParamNode,
  QuantifierNode,
  RefNode,
  TextNode,
  TruthyNode,
  ValueNode,
  WithinNode,
} from "../ast/nodes.js";
import { type Diagnostic, type Span, error, sortDiagnostics, warning } from "../errors/diagnostic.js";
import { splitAggregatePath } from "../schema/aggregate.js";
import type { ArrayType, FieldType, ObjectType, SchemaModel } from "../schema/model.js";
import { type ResolvedField, didYouMean, resolveField } from "../schema/resolve.js";
import { printPath, printSigilName, quoteString } from "../ast/text.js";
import { withHints } from "./hints.js";
import { type AggregateFact, type CheckedType, type FieldFact, Facts, type ValueFact, rowScopes, typeOfField } from "./facts.js";
import { CHECK_CODES as C, H, M, WORDS, WORKS_ON, type Wording, paramWords, typeWords } from "./messages.js";
import type { CheckEnv, CheckResult, ParamType } from "./types.js";
import { nfc } from "../text/unicode.js";

// -------------------------------------------------------------------------------------------------
// CheckedOperand types
// -------------------------------------------------------------------------------------------------

/** The type of an operand as the checker sees it: a checked type, or a state of the walk. */
type VT =
  | CheckedType
  | { readonly kind: "param" }
  /** The result of a condition (an expression node). */
  | { readonly kind: "condition" }
  /** Something already reported: checks involving it are skipped, so one mistake gives one diagnostic. */
  | { readonly kind: "error" };

/** An operand, checked: its type, where it comes from and how to name it in messages. */
interface CheckedOperand {
  readonly node: AnyNode;
  readonly vt: VT;
  readonly from: "field" | "literal" | "param" | "ref" | "aggregate" | "condition";
  /** As the author would write it: `employees`, `"abc"`, `6 months`, `@lead`. */
  readonly text: string;
  /** A field whose value may be missing (any step nullable or optional). */
  readonly nullable: boolean;
  /** Overrides the type words in messages (`a score`). */
  readonly what?: string;
  /** For fields: the resolved path (recorded as a fact). */
  readonly field?: FieldFact;
  /** For aggregates: the split of the path (recorded as a fact). */
  readonly aggregate?: AggregateFact;
}

const ERROR: VT = { kind: "error" };
const NUMBER: VT = { kind: "number" };
const CONDITION: VT = { kind: "condition" };

/** The walk's position: scopes (innermost first), `not` parity, and whether inside a `where`. */
interface Cx {
  readonly scopes: readonly ObjectType[];
  readonly negated: boolean;
  /** The collection a `where` filters, for messages; undefined at the top level. */
  readonly element?: string;
}

interface ParamUse {
  readonly node: ParamNode;
  /** The type this use implies; undefined when this use tells nothing. */
  readonly type: ParamType | undefined;
  /** What it stands next to, for messages: `sector`, `contains`. */
  readonly partner?: string;
  /** The type of what it stands next to, when that gives it more than `type` says (an enum's order). */
  readonly like?: VT;
}

/** An ordering (`<`, `between`) whose subject is a parameter: refused once the parameter is known to be text or yes/no. */
interface ParamOrdering {
  readonly name: string;
  readonly node: ExprNode;
  readonly op: string;
  readonly worksOn: string;
}

/** `$a = $b`: `b` has `a`'s type (as a list when `list`). */
interface ParamLink {
  readonly a: ParamNode;
  readonly b: ParamNode;
  readonly list: boolean;
}

/** Everything one `checkExpression` call accumulates. */
class State {
  readonly diagnostics: Diagnostic[] = [];
  readonly uses = new Map<string, ParamUse[]>();
  readonly links: ParamLink[] = [];
  /** Params seen next to something already reported: no `param.untyped` for them. */
  readonly excused = new Set<string>();
  /** Fields already warned about by `lint.nullable-negation`. */
  readonly linted = new Set<string>();
  /** Fields already warned about by `enum.order-ignored`. */
  readonly orderWarned = new Set<string>();
  /** Orderings on parameters, checked once their types are known. */
  readonly orderings: ParamOrdering[] = [];

  constructor(
    readonly model: SchemaModel,
    readonly env: CheckEnv,
    readonly facts: Facts,
  ) {}

  /** Reports an error; `replacements` are texts that replace `span` to repair it (one fix each). */
  err(code: string, span: Span, wording: Wording, replacements: readonly string[] = []): void {
    const d = error(code, wording.message, span, wording.hint);
    this.diagnostics.push(
      replacements.length ? { ...d, fixes: replacements.map((newText) => ({ title: `Write \`${newText}\``, edits: [{ span, newText }] })) } : d,
    );
  }

  warn(code: string, span: Span, wording: Wording): void {
    this.diagnostics.push(warning(code, wording.message, span, wording.hint));
  }

  /** Where each param first appears. */
  readonly firstSeen = new Map<string, ParamNode>();

  /** Every node of each param, to record its fact once its type is known. */
  readonly paramNodes = new Map<string, ParamNode[]>();

  seeParam(node: ParamNode): void {
    const nodes = this.paramNodes.get(node.name);
    if (nodes) nodes.push(node);
    else this.paramNodes.set(node.name, [node]);
    if (!this.uses.has(node.name)) this.uses.set(node.name, []);
    if (!this.firstSeen.has(node.name)) this.firstSeen.set(node.name, node);
  }

  useParam(node: ParamNode, type: ParamType | undefined, partner?: string, like?: VT): void {
    const list = this.uses.get(node.name) ?? [];
    list.push({ node, type, ...(partner === undefined ? {} : { partner }), ...(like === undefined ? {} : { like }) });
    this.uses.set(node.name, list);
  }

  excuse(o: CheckedOperand): void {
    if (o.from === "param") this.excused.add((o.node as ParamNode).name);
  }
}

// -------------------------------------------------------------------------------------------------
// Entry point
// -------------------------------------------------------------------------------------------------

/**
 * Checks a rule's body against the schema model: unknown fields, operators that do not fit their
 * field's type, literals of the wrong type, unknown enum values, duration equalities, `$param`
 * types, `@ref` references; plus warnings for negations that silently drop records with missing
 * values. Every problem is reported, in source order.
 *
 * @param body - the expression (`parseExpression(source).doc.body`)
 * @param model - the schema model (`readSchema(schema)`)
 * @param env - the definitions `@name` may refer to (rules files only)
 * @returns the diagnostics (errors and warnings) and the inferred type of every `$param`
 *
 * @example
 * ```ts
 * const { doc } = parseExpression('employees contains "x"');
 * checkExpression(doc!.body, readSchema(Contact)).diagnostics[0].code; // "type.operator"
 * ```
 */
export function checkExpression(body: ExprNode, model: SchemaModel, env: CheckEnv = {}): CheckResult {
  const facts = env.facts ?? new Facts();
  const st = new State(model, env, facts);
  const cx: Cx = { scopes: [model.root], negated: false };
  visit(body, cx, st);
  for (const d of env.durationParams ?? []) durationParam(d.node, cx, st, d.partner);
  const params = finishParams(st);
  return { diagnostics: withHints(body, facts, sortDiagnostics(st.diagnostics)), params, facts };
}

// -------------------------------------------------------------------------------------------------
// The table: one handler per node kind
// -------------------------------------------------------------------------------------------------

type Handler<K extends NodeKind> = (node: Extract<AnyNode, { kind: K }>, cx: Cx, st: State) => CheckedOperand;

const handlers: { readonly [K in NodeKind]: Handler<K> } = {
  // ---- values ----
  field: (n, cx, st) => fieldOperand(n, cx, st),
  string: (n) => literal(n, { kind: "string" }),
  number: (n) => literal(n, NUMBER),
  boolean: (n) => literal(n, { kind: "boolean" }),
  date: (n) => literal(n, { kind: "date" }),
  duration: (n) => literal(n, { kind: "duration" }),
  instant: (n, cx, st) => {
    if (n.duration.kind === "param") durationParam(n.duration, cx, st, n.direction === "ago" ? "ago" : "from now");
    return literal(n, { kind: "date" });
  },
  list: (n) => literal(n, { kind: "list" }),
  param: (n, _cx, st) => {
    st.seeParam(n);
    return { node: n, vt: { kind: "param" }, from: "param", text: `$${n.name}`, nullable: false };
  },
  ref: (n, _cx, st) => refOperand(n, st),
  aggregate: (n, cx, st) => aggregateOperand(n, cx, st),

  // ---- conditions ----
  or: (n, cx, st) => {
    for (const o of n.operands) visit(o, cx, st);
    return condition(n);
  },
  and: (n, cx, st) => {
    for (const o of n.operands) visit(o, cx, st);
    return condition(n);
  },
  not: (n, cx, st) => {
    visit(n.operand, { ...cx, negated: !cx.negated }, st);
    return condition(n);
  },
  compare: (n, cx, st) => checkCompare(n, cx, st),
  between: (n, cx, st) => checkBetween(n, cx, st),
  in: (n, cx, st) => checkIn(n, cx, st),
  has: (n, cx, st) => checkHas(n, cx, st),
  text: (n, cx, st) => checkText(n, cx, st),
  isSet: (n, cx, st) => checkIsSet(n, cx, st),
  isEmpty: (n, cx, st) => checkIsEmpty(n, cx, st),
  truthy: (n, cx, st) => checkTruthy(n, cx, st),
  quantifier: (n, cx, st) => checkQuantifier(n, cx, st),
  within: (n, cx, st) => checkWithin(n, cx, st),
};

function visit(node: AnyNode, cx: Cx, st: State): CheckedOperand {
  const h = handlers[node.kind] as Handler<NodeKind> | undefined;
  if (!h) {
    // Only reachable with a hand-built AST of an unknown kind; fromAST validates shapes first.
    return { node, vt: ERROR, from: "condition", text: String((node as { kind?: unknown }).kind), nullable: false };
  }
  const o = h(node as never, cx, st);
  record(o, st);
  return o;
}

/** Records an operand's facts (parameters get theirs once their types are inferred, in finishParams). */
function record(o: CheckedOperand, st: State): void {
  const vt = o.vt;
  if (o.from === "condition" || vt.kind === "error" || vt.kind === "param" || vt.kind === "condition") return;
  const node = o.node as ValueNode;
  // No spreads: this runs for every value node of every rule checked.
  const fact: { -readonly [K in keyof ValueFact]: ValueFact[K] } = { type: vt, from: o.from, nullable: o.nullable };
  if (o.field) fact.field = o.field;
  if (o.aggregate) fact.aggregate = o.aggregate;
  if (node.kind === "string") fact.text = nfc(node.value);
  st.facts.setValue(node, fact);
}

function condition(node: ExprNode): CheckedOperand {
  return { node, vt: CONDITION, from: "condition", text: "condition", nullable: false };
}

function literal(node: ValueNode, vt: VT): CheckedOperand {
  return { node, vt, from: "literal", text: show(node), nullable: false };
}

// -------------------------------------------------------------------------------------------------
// Fields, refs, aggregates
// -------------------------------------------------------------------------------------------------


/** The fact of a resolved path, seen from a position with these scopes. */
function fieldFact(r: ResolvedField, cx: Cx): FieldFact {
  return { scope: r.scopeIndex, depth: cx.scopes.length - 1, names: r.steps.map((f) => f.name), steps: r.steps, type: r.field.type };
}

function fieldOperand(n: FieldNode, cx: Cx, st: State): CheckedOperand {
  const text = n.path.join(".");
  const r = resolveField(cx.scopes, n.path);
  if (r.ok) {
    warnOrderIgnored(r.field.type, text, n.span, st);
    return { node: n, vt: typeOfField(r.field.type), from: "field", text, nullable: r.nullable, field: fieldFact(r, cx) };
  }
  reportPath(n.path, r, n.span, cx, st);
  return { node: n, vt: ERROR, from: "field", text, nullable: false };
}

/** `enum.order-ignored`, once per field and expression: `ordered: true` on an enum whose order zod lost. */
function warnOrderIgnored(t: FieldType, text: string, span: Span, st: State): void {
  const e = t.kind === "array" ? t.element : t;
  if (e.kind !== "enum" || e.orderLost !== "declared-ordered" || st.orderWarned.has(text)) return;
  st.orderWarned.add(text);
  st.warn(C.enumOrderIgnored, span, M.enumOrderIgnored(text));
}

/**
 * The whole path `span` covers (`before` are the names written ahead of `path` in it), with
 * the name at `at` replaced by each suggestion: the fixes of a did-you-mean.
 */
function pathFixes(before: readonly string[], path: readonly string[], at: number, suggestions: readonly string[]): string[] {
  return suggestions.map((s) => printPath([...before, ...path.slice(0, at), s, ...path.slice(at + 1)]));
}

function reportPath(
  path: readonly string[],
  r: Extract<ReturnType<typeof resolveField>, { ok: false }>,
  span: Span,
  cx: Cx,
  st: State,
  before: readonly string[] = [],
): void {
  const full = path.join(".");
  if (r.failedAt === 0) {
    st.err(C.fieldUnknown, span, M.fieldUnknown(path[0] ?? "", r.suggestions, r.candidates, cx.element), pathFixes(before, path, 0, r.suggestions));
    return;
  }
  const parent = path.slice(0, r.failedAt).join(".");
  const prev = r.steps[r.steps.length - 1];
  if (r.reason === "unknown") {
    st.err(C.fieldUnknown, span, M.nestedUnknown(parent, path[r.failedAt] ?? "", r.suggestions, r.candidates), pathFixes(before, path, r.failedAt, r.suggestions));
  } else if (r.reason === "array") {
    // What the path names in the elements of the (flattened) lists decides the hint.
    const split = splitAggregatePath(cx.scopes, path);
    const names = split.ok
      ? {
          rows: path.slice(0, split.split).join("."),
          rest: split.rest.join("."),
          kind:
            split.rest.length === 0
              ? ("list" as const)
              : split.element?.ok && split.element.field.type.kind === "number"
                ? ("number" as const)
                : ("other" as const),
        }
      : { rows: parent, rest: path.slice(r.failedAt).join("."), kind: "other" as const };
    st.err(C.fieldThroughArray, span, M.throughArray(parent, full, names));
  } else if (prev) {
    st.err(C.fieldNotObject, span, M.notObject(parent, prev.type, full));
  }
}

function refOperand(n: RefNode, st: State): CheckedOperand {
  const text = `@${n.name}`;
  const bad: CheckedOperand = { node: n, vt: ERROR, from: "ref", text, nullable: false };
  const refs = st.env.refs;
  if (!refs) {
    st.err(C.refOutsideRules, n.span, M.refOutsideRules(n.name));
    return bad;
  }
  const t = refs.get(n.name);
  if (!t) {
    const names = [...refs.keys()];
    const suggestions = didYouMean(n.name, names);
    st.err(C.refUnknown, n.span, M.refUnknown(n.name, suggestions, names), suggestions.map((s) => `@${printSigilName(s)}`));
    return bad;
  }
  switch (t.kind) {
    case "segment":
      return { node: n, vt: { kind: "segment" }, from: "ref", text, nullable: false, what: WORDS.segment };
    case "score":
      return { node: n, vt: NUMBER, from: "ref", text, nullable: false, what: WORDS.score };
    case "lifecycle":
      return {
        node: n,
        vt: { kind: "enum", values: t.stages, ordered: true, origin: "lifecycle" },
        from: "ref",
        text,
        nullable: false,
        what: WORDS.stage,
      };
    case "tiers":
      return {
        node: n,
        vt: { kind: "enum", values: t.names, ordered: false, origin: "tiers" },
        from: "ref",
        text,
        nullable: false,
        what: WORDS.tier,
      };
    case "split":
      return {
        node: n,
        vt: { kind: "enum", values: t.arms, ordered: false, origin: "split" },
        from: "ref",
        text,
        nullable: true,
        what: WORDS.arm,
      };
  }
}

/**
 * `count(P)`, `count(P where e)`, `sum(P.x where e)`…: the path is split into the collection
 * (the first prefix that is an array, through nested objects) and, for sums and the like over
 * objects, the element's field.
 */
function aggregateOperand(n: AggregateNode, cx: Cx, st: State): CheckedOperand {
  const text = show(n);
  const bad: CheckedOperand = { node: n, vt: ERROR, from: "aggregate", text, nullable: false };
  const split = splitAggregatePath(cx.scopes, n.path);
  if (!split.ok) {
    if (split.reason === "unresolved") reportPath(n.path, split.failure, n.pathSpan, cx, st);
    else st.err(C.typeAggregate, n.pathSpan, M.aggregateNotList(n.fn, n.path.slice(0, split.length).join("."), typeWords(split.type)));
    return bad;
  }
  const array = split.array;
  const collection = n.path.slice(0, split.split).join(".");
  const rest = split.rest;
  const element = array.element;
  let good = true;
  let restFact: Pick<AggregateFact, "rest" | "restType"> = { rest: [] };

  if (n.fn === "count") {
    if (rest.length > 0) {
      st.err(C.typeAggregate, n.pathSpan, M.aggregateCountField(collection));
      good = false;
    }
  } else if (rest.length === 0) {
    if (element.kind === "object") {
      const firstNumber = [...element.fields.values()].find((f) => f.type.kind === "number")?.name ?? "amount";
      st.err(C.typeAggregate, n.pathSpan, M.aggregateNeedsField(n.fn, collection, firstNumber));
      good = false;
    } else if (element.kind !== "number") {
      st.err(C.typeAggregate, n.pathSpan, M.aggregateNotNumeric(n.fn, collection, typeWords(array)));
      good = false;
    }
  } else if (!split.element) {
    const parentType: FieldType = array;
    st.err(C.fieldNotObject, n.pathSpan, M.notObject(collection, parentType, n.path.join(".")));
    good = false;
  } else {
    const r = split.element;
    if (!r.ok) {
      if (r.failedAt === 0) {
        const head = n.path.slice(0, n.path.length - rest.length);
        st.err(C.fieldUnknown, n.pathSpan, M.nestedUnknown(collection, rest[0] ?? "", r.suggestions, r.candidates), pathFixes(head, rest, 0, r.suggestions));
      } else {
        reportPath(rest, r, n.pathSpan, { ...cx, element: collection }, st, n.path.slice(0, n.path.length - rest.length));
      }
      good = false;
    } else if (r.field.type.kind !== "number") {
      st.err(C.typeAggregate, n.pathSpan, M.aggregateNotNumeric(n.fn, n.path.join("."), typeWords(r.field.type)));
      good = false;
    } else {
      restFact = { rest: r.steps.map((f) => f.name), restType: r.field.type };
    }
  }

  const nested = split.nested.map((c) => ({ names: c.names, steps: c.steps, type: c.array }));
  const first = { ...fieldFact(split.collection, cx), type: split.collection.field.type as ArrayType };
  if (n.where) {
    if (element.kind === "object") {
      const scopes = [...rowScopes({ collection: first, nested }), ...cx.scopes];
      visit(n.where, { scopes, negated: false, element: collection }, st);
    } else {
      st.err(C.typeAggregate, n.pathSpan, M.aggregateWhereOnScalars(collection, typeWords(array)));
      good = false;
    }
  }
  if (!good) return bad;
  const aggregate: AggregateFact = { collection: first, nested, ...restFact };
  return { node: n, vt: NUMBER, from: "aggregate", text, nullable: false, aggregate };
}

// -------------------------------------------------------------------------------------------------
// Helpers shared by the predicates
// -------------------------------------------------------------------------------------------------

function readsRecord(o: CheckedOperand): boolean {
  return o.from === "field" || o.from === "ref" || o.from === "aggregate";
}

/** "text", "a number", "a score (a number)"… */
function words(o: CheckedOperand): string {
  if (o.what) return o.what;
  const t = o.vt;
  switch (t.kind) {
    case "string":
      return WORDS.text;
    case "number":
      return WORDS.number;
    case "boolean":
      return WORDS.boolean;
    case "date":
      return o.node.kind === "instant" ? WORDS.instant : WORDS.date;
    case "enum":
      return t.origin === "lifecycle" ? WORDS.stage : t.origin === "tiers" ? WORDS.tier : t.origin === "split" ? WORDS.arm : t.ordered ? WORDS.orderedChoice : WORDS.choice;
    case "array":
    case "object":
      return typeWords(t.type);
    case "duration":
      return WORDS.duration;
    case "dateOrDuration":
      return `${WORDS.date} or ${WORDS.duration}`;
    case "list":
      return WORDS.list;
    case "param":
      return WORDS.param;
    case "segment":
      return WORDS.segment;
    case "condition":
      return WORDS.condition;
    case "error":
      return WORDS.unknown;
  }
}

/** The parameter type a value standing next to `o` must have. */
function paramTypeFor(vt: VT, list = false): ParamType | undefined {
  switch (vt.kind) {
    case "string":
    case "number":
    case "boolean":
    case "date":
    case "duration":
      return { kind: vt.kind, list };
    case "enum":
      return { kind: "string", list, enumValues: vt.values };
    default:
      return undefined;
  }
}

/** `lint.nullable-negation`: a negative test (after `not` parity) on a field that may be missing. */
function lintNegative(o: CheckedOperand, negativeHere: boolean, cx: Cx, st: State): void {
  if (negativeHere === cx.negated) return;
  if (cx.element !== undefined) return; // inside `where`: elements, not records; kept quiet
  if (o.from !== "field" || !o.nullable || o.vt.kind === "error") return;
  if (st.linted.has(o.text)) return;
  st.linted.add(o.text);
  st.warn(C.lintNullableNegation, o.node.span, M.nullableNegation(o.text));
}

function isOrdering(op: CompareOp): boolean {
  return op === "<" || op === "<=" || op === ">" || op === ">=";
}

function flip(op: CompareOp): CompareOp {
  switch (op) {
    case "<":
      return ">";
    case "<=":
      return ">=";
    case ">":
      return "<";
    case ">=":
      return "<=";
    default:
      return op;
  }
}

function quoteHintFor(subject: CheckedOperand, value: CheckedOperand): string | undefined {
  const s = subject.vt.kind;
  const v = value.node;
  if (v.kind === "string") {
    const raw = v.value.trim();
    if (s === "number" && raw !== "" && Number.isFinite(Number(raw.replace(/_/g, "")))) return H.unquoteNumber(raw);
    if (s === "date" && /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) return H.unquoteDate(raw.replace(" ", "T"));
    if (s === "boolean" && (raw === "true" || raw === "false")) return H.unquoteBoolean(raw);
  }
  if ((v.kind === "number" || v.kind === "boolean") && s === "string") return H.quote(String(v.value));
  if (s === "enum" && subject.vt.kind === "enum" && (v.kind === "number" || v.kind === "boolean" || v.kind === "date")) {
    return H.enumValues(subject.vt.values);
  }
  if (s === "date" && (value.vt.kind === "number" || value.vt.kind === "string")) return H.dateValues;
  if (value.vt.kind === "duration" && s !== "date") return H.durationsWithDates;
  return undefined;
}

/** What `checkValue` checks a value for. */
type Use =
  | { readonly kind: "compare"; readonly op: CompareOp; readonly alias?: "before" | "after" }
  | { readonly kind: "bound"; readonly param?: ParamType }
  | { readonly kind: "item" };

/**
 * Checks that value `v` fits subject `s` (a field, a ref, an aggregate, or an array's element),
 * reporting on `v`'s span. Infers `$param` types. Returns false when it reported something.
 */
function checkValue(s: CheckedOperand, v: CheckedOperand, use: Use, st: State): boolean {
  const vt = v.vt;
  if (vt.kind === "error") return false;
  if (vt.kind === "param") {
    // Ordered against a date (`lastPurchase < $p`): a date or a duration, as its value decides;
    // `=`, `!=`, `before` and `after` take dates only.
    const either = s.vt.kind === "date" && use.kind === "compare" && isOrdering(use.op) && !use.alias;
    const t = use.kind === "bound" && use.param ? use.param : either ? DATE_OR_DURATION : paramTypeFor(s.vt);
    st.useParam(v.node as ParamNode, t, s.text, s.vt);
    return true;
  }
  const t = s.vt;
  if (vt.kind === "list") {
    st.err(C.typeMismatch, v.node.span, M.listNotAllowed(s.text, use.kind === "compare" ? (use.alias ?? use.op) : "between"));
    return false;
  }
  const ordering = use.kind === "compare" && isOrdering(use.op);
  switch (t.kind) {
    case "number":
      if (vt.kind === "number") return true;
      break;
    case "boolean":
      if (vt.kind === "boolean") return true;
      break;
    case "string":
      if (vt.kind === "string") return true;
      if (vt.kind === "enum" && v.from !== "literal" && !ordering) return true;
      break;
    case "date":
      if (vt.kind === "date") return true;
      if (vt.kind === "duration") {
        if (use.kind === "compare" && (use.op === "=" || use.op === "!=")) {
          st.err(C.typeDurationEquality, v.node.span, M.durationEquality(use.op, s.text, v.text));
          return false;
        }
        if (use.kind === "compare" && use.alias) {
          st.err(C.typeBareDuration, v.node.span, M.bareDuration(use.alias, s.text, v.text));
          return false;
        }
        if (use.kind === "compare" || use.kind === "bound") return true;
      }
      break;
    case "enum":
      if (vt.kind === "string" && v.node.kind === "string") return enumValue(s, t, v.node.value, v.node.span, st);
      if (vt.kind === "string" && !ordering) return true;
      if (vt.kind === "enum") {
        if (!ordering) return true;
        if (sameValues(t.values, vt.values)) return true;
      }
      break;
    default:
      break;
  }
  st.err(C.typeMismatch, v.node.span, M.mismatch(s.text, words(s), v.text, words(v), quoteHintFor(s, v)));
  return false;
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A string literal against an enum (or a lifecycle's stages, a tiers' names): NFC comparison. */
function enumValue(s: CheckedOperand, t: Extract<VT, { kind: "enum" }>, raw: string, span: Span, st: State): boolean {
  const value = nfc(raw);
  if (t.values.some((x) => nfc(x) === value)) return true;
  const suggestions = didYouMean(value, t.values);
  const fixes = suggestions.map(quoteString);
  if (t.origin === "field") {
    st.err(C.enumUnknownValue, span, M.enumUnknownValue(value, s.text, suggestions, t.values), fixes);
  } else {
    const name = s.text.replace(/^@/, "");
    st.err(C.refUnknownValue, span, M.refUnknownValue(value, name, t.origin === "lifecycle" ? "stage" : "tier", suggestions, t.values), fixes);
  }
  return false;
}

/** A predicate whose subject is not a record value: a param takes the type the operator needs. */
function subjectParam(s: CheckedOperand, t: ParamType | undefined, st: State, partner?: string): void {
  st.useParam(s.node as ParamNode, t, partner);
}

/** An operator applied to a subject of the wrong type. */
function reportOperator(node: ExprNode, op: string, worksOn: string, s: CheckedOperand, st: State, hint?: string): void {
  st.err(C.typeOperator, node.span, M.operator(op, worksOn, s.text, words(s), hint ?? defaultOperatorHint(s)));
}

function defaultOperatorHint(s: CheckedOperand): string | undefined {
  const t = s.vt;
  if (t.kind === "object") {
    const first = [...t.type.fields.keys()][0];
    return first ? H.nameAField(s.text, first) : undefined;
  }
  if (t.kind === "segment") return H.segmentAlone(s.text);
  if (t.kind === "array" && t.type.element.kind === "object") return H.countOrAny(s.text);
  if (t.kind === "array" && !["string", "number", "enum"].includes(t.type.element.kind)) return H.emptyOrCount(words(s), s.text);
  return H.worksWith(words(s), t.kind);
}

// -------------------------------------------------------------------------------------------------
// Predicates
// -------------------------------------------------------------------------------------------------

function checkCompare(n: CompareNode, cx: Cx, st: State): CheckedOperand {
  let s = visit(n.left, cx, st);
  let v = visit(n.right, cx, st);
  let op = n.op;
  const opText = n.alias ?? n.op;

  if (s.from === "param" && v.from === "param") {
    st.links.push({ a: s.node as ParamNode, b: v.node as ParamNode, list: false });
    if (isOrdering(op)) st.orderings.push({ name: (s.node as ParamNode).name, node: n, op: opText, worksOn: WORKS_ON.ordering });
    return condition(n);
  }
  if (!readsRecord(s) && readsRecord(v)) {
    [s, v] = [v, s];
    op = flip(op);
  } else if (!readsRecord(s)) {
    if (s.from === "param" || v.from === "param") {
      const [p, other] = s.from === "param" ? [s, v] : [v, s];
      if (isOrdering(op)) st.orderings.push({ name: (p.node as ParamNode).name, node: n, op: opText, worksOn: WORKS_ON.ordering });
      if (other.vt.kind === "error") st.excuse(p);
      else st.useParam(p.node as ParamNode, paramTypeFor(other.vt.kind === "duration" ? { kind: "date" } : other.vt), other.text);
      return condition(n);
    }
    if (s.vt.kind !== "error" && v.vt.kind !== "error") st.err(C.typeNoField, n.span, M.noField(show(n)));
    return condition(n);
  }
  if (s.vt.kind === "error") {
    st.excuse(v);
    return condition(n);
  }
  const t = s.vt;
  const ordering = isOrdering(op);

  if (n.alias && t.kind !== "date") {
    reportOperator(n, n.alias, WORKS_ON.dates, s, st, H.useOp(n.alias === "before" ? "<" : ">"));
    st.excuse(v);
    return condition(n);
  }
  switch (t.kind) {
    case "segment":
    case "object":
    case "condition":
      reportOperator(n, opText, WORKS_ON.singleValues, s, st);
      st.excuse(v);
      return condition(n);
    case "array": {
      const objects = t.type.element.kind === "object";
      const hint = objects
        ? H.countOrAny(s.text, op, "…")
        : ordering
          ? H.countSize(s.text, op)
          : H.has(s.text, v.from === "literal" ? v.text : "…");
      reportOperator(n, opText, WORKS_ON.singleValues, s, st, hint);
      st.excuse(v);
      return condition(n);
    }
    case "boolean":
    case "string":
      if (ordering) {
        const hint = t.kind === "boolean" ? H.alone(s.text) : H.textNoOrder;
        reportOperator(n, opText, WORKS_ON.ordering, s, st, hint);
        st.excuse(v);
        return condition(n);
      }
      break;
    case "enum": {
      // Either side may be a field whose order zod lost (`tranche >= autreTranche`).
      const lost = ordering ? [s, v].find((o) => o.vt.kind === "enum" && o.vt.orderLost) : undefined;
      if (lost) {
        st.err(C.enumOrderLost, n.span, M.enumOrderLost(opText, lost.text));
        if (v.node.kind === "string") enumValue(s, t, v.node.value, v.node.span, st);
        else st.excuse(v);
        return condition(n);
      }
      if (ordering && !t.ordered) {
        if (t.origin === "tiers" || t.origin === "split") {
          reportOperator(n, opText, WORKS_ON.ordering, s, st, t.origin === "split" ? H.splitEquality : H.tiersEquality);
        } else {
          st.err(C.enumNotOrdered, n.span, M.enumNotOrdered(opText, s.text));
        }
        // The value is still checked: an unknown value is worth its own diagnostic.
        if (v.node.kind === "string") enumValue(s, t, v.node.value, v.node.span, st);
        else st.excuse(v);
        return condition(n);
      }
      break;
    }
    default:
      break;
  }
  const alias = n.alias;
  checkValue(s, v, alias ? { kind: "compare", op, alias } : { kind: "compare", op }, st);
  const negative = op === "!=";
  lintNegative(s, negative, cx, st);
  if (v.from === "field") lintNegative(v, negative, cx, st);
  return condition(n);
}

function checkBetween(n: BetweenNode, cx: Cx, st: State): CheckedOperand {
  const s = visit(n.subject, cx, st);
  const lo = visit(n.low, cx, st);
  const hi = visit(n.high, cx, st);
  const opText = n.negated ? "not between" : "between";
  if (!readsRecord(s)) {
    if (s.from === "param") {
      st.orderings.push({ name: (s.node as ParamNode).name, node: n, op: opText, worksOn: WORKS_ON.between });
      const typed = [lo, hi].find((b) => b.from !== "param" && b.vt.kind !== "error");
      if (typed) subjectParam(s, paramTypeFor(typed.vt.kind === "duration" ? { kind: "date" } : typed.vt), st, opText);
      else if (lo.from === "param" || hi.from === "param") {
        for (const b of [lo, hi]) if (b.from === "param") st.links.push({ a: s.node as ParamNode, b: b.node as ParamNode, list: false });
      } else st.excuse(s);
      for (const b of [lo, hi]) if (b.from === "param" && typed) st.useParam(b.node as ParamNode, paramTypeFor(typed.vt), typed.text);
    } else if (s.vt.kind !== "error") {
      st.err(C.typeNoField, n.span, M.noField(show(n)));
    }
    return condition(n);
  }
  if (s.vt.kind === "error") {
    st.excuse(lo);
    st.excuse(hi);
    return condition(n);
  }
  const t = s.vt;
  if (t.kind !== "number" && t.kind !== "date") {
    const hint =
      t.kind === "enum" && t.ordered
        ? H.betweenOrdered(s.text)
        : t.kind === "array" && t.type.element.kind !== "object"
          ? H.betweenSize(s.text, opText)
          : undefined;
    reportOperator(n, opText, WORKS_ON.between, s, st, hint);
    st.excuse(lo);
    st.excuse(hi);
    return condition(n);
  }
  if (t.kind === "date") {
    // Both bounds dates/instants (an interval of time), or both durations (an age range).
    const kindOf = (o: CheckedOperand): "duration" | "date" | "other" =>
      o.vt.kind === "duration" ? "duration" : o.vt.kind === "date" ? "date" : "other";
    const kl = kindOf(lo);
    const kh = kindOf(hi);
    if ((kl === "duration" && kh === "date") || (kl === "date" && kh === "duration")) {
      st.err(
        C.typeMismatch,
        hi.node.span,
        M.mismatch(lo.text, words(lo), hi.text, words(hi), H.betweenBounds),
      );
    } else {
      // A bound typed by the other (a duration literal: an age range; a date: an interval); two
      // parameters: each a date or a duration, as their values decide.
      const paramType: ParamType =
        kl === "duration" || kh === "duration"
          ? { kind: "duration", list: false }
          : kl === "date" || kh === "date"
            ? { kind: "date", list: false }
            : DATE_OR_DURATION;
      checkValue(s, lo, { kind: "bound", param: paramType }, st);
      checkValue(s, hi, { kind: "bound", param: paramType }, st);
    }
  } else {
    checkValue(s, lo, { kind: "bound" }, st);
    checkValue(s, hi, { kind: "bound" }, st);
  }
  emptyRange(n, st);
  lintNegative(s, n.negated, cx, st);
  return condition(n);
}

const MINUTES: Record<string, number> = { minute: 1, hour: 60, day: 1440, week: 10080 };

/** `lint.empty-range`: literal bounds in the wrong order (only when the order is certain). */
function emptyRange(n: BetweenNode, st: State): void {
  const { low, high } = n;
  let above = false;
  if (low.kind === "number" && high.kind === "number") above = low.value > high.value;
  else if (low.kind === "duration" && high.kind === "duration") above = durationAbove(low, high);
  else if (low.kind === "date" && high.kind === "date") above = dateStart(low) > dateStart(high);
  if (above) st.warn(C.lintEmptyRange, n.span, M.emptyRange(show(low), show(high)));
}

function durationAbove(a: DurationNode, b: DurationNode): boolean {
  const ma = MINUTES[a.unit];
  const mb = MINUTES[b.unit];
  if (ma !== undefined && mb !== undefined) return a.amount * ma > b.amount * mb;
  const calendar = (d: DurationNode): number | undefined => (d.unit === "month" ? d.amount : d.unit === "year" ? d.amount * 12 : undefined);
  const ca = calendar(a);
  const cb = calendar(b);
  return ca !== undefined && cb !== undefined && ca > cb;
}

function dateStart(d: DateNode): number {
  const t = Date.parse(d.dateOnly ? `${d.text}T00:00:00Z` : d.text);
  return Number.isNaN(t) ? -Infinity : t;
}

function checkIn(n: InNode, cx: Cx, st: State): CheckedOperand {
  const s = visit(n.subject, cx, st);
  const opText = n.negated ? "not in" : "in";
  const listNode = n.list;
  const items: CheckedOperand[] = listNode.kind === "list" ? listNode.items.map((i) => visit(i, cx, st)) : [];
  const listParam = listNode.kind === "param" ? visit(listNode, cx, st) : undefined;

  if (!readsRecord(s)) {
    if (s.from === "param") {
      const first = items.find((i) => i.vt.kind !== "error");
      if (first) subjectParam(s, paramTypeFor(first.vt), st, opText);
      else if (listParam) st.links.push({ a: s.node as ParamNode, b: listParam.node as ParamNode, list: true });
      else st.excuse(s);
    } else if (s.vt.kind !== "error") {
      st.err(C.typeNoField, n.span, M.noField(show(n)));
    }
    return condition(n);
  }
  if (s.vt.kind === "error") {
    if (listParam) st.excuse(listParam);
    return condition(n);
  }
  const t = s.vt;
  if (t.kind !== "string" && t.kind !== "number" && t.kind !== "enum") {
    const hint =
      t.kind === "array" && t.type.element.kind !== "object"
        ? H.hasAny(s.text)
        : t.kind === "boolean"
          ? H.boolEquals(s.text)
          : t.kind === "date"
            ? H.dateRange(s.text)
            : undefined;
    reportOperator(n, opText, WORKS_ON.in, s, st, hint);
    if (listParam) st.excuse(listParam);
    return condition(n);
  }
  if (listParam) {
    st.useParam(listParam.node as ParamNode, paramTypeFor(t, true), s.text, t);
  } else {
    for (const item of items) checkValue(s, item, { kind: "item" }, st);
    if (items.length === 0 && !n.negated) st.warn(C.lintEmptyList, listNode.span, M.emptyList("in"));
  }
  lintNegative(s, n.negated, cx, st);
  return condition(n);
}

function checkHas(n: HasNode, cx: Cx, st: State): CheckedOperand {
  const s = visit(n.subject, cx, st);
  const v = visit(n.value, cx, st);
  const items: CheckedOperand[] = n.value.kind === "list" ? n.value.items.map((i) => visit(i, cx, st)) : [];
  const opText = n.mode === "one" ? "has" : `has ${n.mode}`;

  if (!readsRecord(s)) {
    if (s.from === "param") {
      const first = n.mode === "one" ? (v.from === "literal" && v.vt.kind !== "list" ? v : undefined) : items[0];
      if (first && first.vt.kind !== "error") {
        subjectParam(s, paramTypeFor(first.vt, true), st, opText);
        st.excuse(v);
      } else if (v.from === "param") {
        // `$tags has $x` (x is an item of tags), `$tags has any $xs` (two lists of one type): typed
        // together, or reported untyped together.
        const [a, b, list] = n.mode === "one" ? [v, s, true] : [s, v, false];
        st.links.push({ a: a.node as ParamNode, b: b.node as ParamNode, list });
      } else {
        st.excuse(s);
        st.excuse(v);
      }
    } else if (s.vt.kind !== "error") {
      st.err(C.typeNoField, n.span, M.noField(show(n)));
    }
    return condition(n);
  }
  if (s.vt.kind === "error") {
    st.excuse(v);
    return condition(n);
  }
  const t = s.vt;
  const elementKind = t.kind === "array" ? t.type.element.kind : undefined;
  if (t.kind !== "array" || (elementKind !== "string" && elementKind !== "number" && elementKind !== "enum")) {
    const example = n.mode === "one" ? v.text : "…";
    const hint =
      t.kind === "string"
        ? H.contains(s.text, example)
        : t.kind === "enum" || t.kind === "number"
          ? n.mode === "one"
            ? H.equals(s.text, example)
            : H.inList(s.text, n.mode === "none" ? "[…]" : v.text)
          : elementKind === "object"
            ? H.anyWhere(s.text)
            : undefined;
    reportOperator(n, opText, WORKS_ON.has, s, st, hint);
    st.excuse(v);
    return condition(n);
  }
  const element: CheckedOperand = {
    node: s.node,
    vt: typeOfField(t.type.element),
    from: "field",
    text: s.text,
    nullable: false,
  };
  if (n.mode === "one") {
    if (v.vt.kind === "list") {
      st.err(C.typeMismatch, v.node.span, M.hasList(s.text, v.text));
    } else {
      checkValue(element, v, { kind: "item" }, st);
    }
  } else if (n.value.kind === "list") {
    for (const item of items) checkValue(element, item, { kind: "item" }, st);
    if (items.length === 0 && n.mode === "any") st.warn(C.lintEmptyList, n.value.span, M.emptyList("has any"));
  } else if (v.from === "param") {
    st.useParam(v.node as ParamNode, paramTypeFor(element.vt, true), s.text, element.vt);
  } else if (v.vt.kind !== "error") {
    st.err(C.typeMismatch, v.node.span, M.listExpected(n.mode, s.text, v.text));
  }
  lintNegative(s, n.mode === "none", cx, st);
  return condition(n);
}

const TEXT_OPS: Record<TextNode["op"], string> = {
  contains: "contains",
  startsWith: "starts with",
  endsWith: "ends with",
  foldEquals: "~=",
};

function checkText(n: TextNode, cx: Cx, st: State): CheckedOperand {
  const s = visit(n.subject, cx, st);
  const v = visit(n.value, cx, st);
  const opText = `${n.negated ? "not " : ""}${TEXT_OPS[n.op]}`;
  if (!readsRecord(s)) {
    if (s.from === "param") {
      subjectParam(s, { kind: "string", list: false }, st, opText);
      if (v.from === "param") st.useParam(v.node as ParamNode, { kind: "string", list: false }, opText);
    } else if (s.vt.kind !== "error") {
      st.err(C.typeNoField, n.span, M.noField(show(n)));
    }
    return condition(n);
  }
  if (s.vt.kind === "error") {
    st.excuse(v);
    return condition(n);
  }
  const t = s.vt;
  if (t.kind !== "string") {
    const example = v.from === "literal" ? v.text : "…";
    const hint =
      t.kind === "enum"
        ? H.wholeChoice(s.text, example, t.origin === "field")
        : t.kind === "array" && t.type.element.kind === "string"
          ? H.has(s.text, example)
          : undefined;
    reportOperator(n, opText, WORKS_ON.text, s, st, hint);
    st.excuse(v);
    return condition(n);
  }
  checkValue(s, v, { kind: "item" }, st);
  lintNegative(s, n.negated, cx, st);
  return condition(n);
}

function checkIsSet(n: IsSetNode, cx: Cx, st: State): CheckedOperand {
  const s = visit(n.subject, cx, st);
  if (s.from === "literal") st.err(C.typeNoField, n.span, M.noField(show(n)));
  // `is set` tells nothing about a parameter's type; another use must.
  return condition(n);
}

function checkIsEmpty(n: IsEmptyNode, cx: Cx, st: State): CheckedOperand {
  const s = visit(n.subject, cx, st);
  if (!readsRecord(s)) {
    if (s.from === "literal") st.err(C.typeNoField, n.span, M.noField(show(n)));
    return condition(n);
  }
  const t = s.vt;
  if (t.kind === "error") return condition(n);
  if (t.kind !== "array" && t.kind !== "string") {
    reportOperator(n, n.negated ? "is not empty" : "is empty", WORKS_ON.isEmpty, s, st, H.isSet(s.text, n.negated));
    return condition(n);
  }
  lintNegative(s, false, cx, st);
  return condition(n);
}

function checkTruthy(n: TruthyNode, cx: Cx, st: State): CheckedOperand {
  const s = visit(n.subject, cx, st);
  if (s.from === "param") {
    subjectParam(s, { kind: "boolean", list: false }, st);
    return condition(n);
  }
  const t = s.vt;
  if (t.kind === "error" || t.kind === "boolean" || t.kind === "segment") {
    if (t.kind === "boolean") lintNegative(s, false, cx, st);
    return condition(n);
  }
  st.err(C.typeNotBoolean, n.span, M.notBoolean(s.text, words(s), truthyHint(s)));
  return condition(n);
}

function truthyHint(s: CheckedOperand): string | undefined {
  const t = s.vt;
  const f = s.text;
  switch (t.kind) {
    case "number":
      return H.truthyNumber(f, s.from === "ref");
    case "string":
      return H.truthyText(f);
    case "enum":
      return H.truthyChoice(f, t.values[0] ?? "…", s.from === "field");
    case "date":
      return H.truthyDate(f);
    case "array":
      return H.truthyList(f);
    case "object":
      return H.truthyObject(f);
    default:
      return undefined;
  }
}

/**
 * A quantifier's collection through several arrays of objects (`any contacts.events where …`):
 * the rows of the last array, flattened, as an aggregate's. Undefined for any other path.
 */
function flatCollection(path: readonly string[], cx: Cx): (AggregateFact & { array: ArrayType }) | undefined {
  const r = resolveField(cx.scopes, path);
  if (r.ok || r.reason !== "array") return undefined;
  const split = splitAggregatePath(cx.scopes, path);
  if (!split.ok || split.nested.length === 0 || split.rest.length > 0 || split.array.element.kind !== "object") return undefined;
  return {
    collection: { ...fieldFact(split.collection, cx), type: split.collection.field.type as ArrayType },
    nested: split.nested.map((c) => ({ names: c.names, steps: c.steps, type: c.array })),
    rest: [],
    array: split.array,
  };
}

function checkQuantifier(n: QuantifierNode, cx: Cx, st: State): CheckedOperand {
  const flat = flatCollection(n.collection.path, cx);
  if (flat) {
    const { array, ...aggregate } = flat;
    st.facts.setValue(n.collection, { type: { kind: "array", type: array }, from: "field", nullable: false, aggregate });
    const scopes = [...rowScopes(aggregate), ...cx.scopes];
    visit(n.where, { scopes, negated: false, element: n.collection.path.join(".") }, st);
    return condition(n);
  }
  const s = visit(n.collection, cx, st);
  const t = s.vt;
  if (t.kind === "error") return condition(n);
  if (t.kind !== "array" || t.type.element.kind !== "object") {
    const hint = t.kind === "array" ? H.hasMode(s.text, n.quantifier) : undefined;
    reportOperator(n, `${n.quantifier} … where`, WORKS_ON.quantifier, s, st, hint);
    return condition(n);
  }
  visit(n.where, { scopes: [t.type.element, ...cx.scopes], negated: false, element: s.text }, st);
  return condition(n);
}

/** A parameter where only a duration may stand (`within last $w`, `$w ago`, `$w from now`). */
function durationParam(p: ParamNode, cx: Cx, st: State, partner: string): void {
  visit(p, cx, st);
  st.useParam(p, { kind: "duration", list: false }, partner);
}

function checkWithin(n: WithinNode, cx: Cx, st: State): CheckedOperand {
  const s = visit(n.subject, cx, st);
  const opText = `within ${n.direction}`;
  if (n.duration.kind === "param") durationParam(n.duration, cx, st, opText);
  if (s.from === "param") {
    subjectParam(s, { kind: "date", list: false }, st, opText);
    return condition(n);
  }
  if (s.from === "literal") {
    st.err(C.typeNoField, n.span, M.noField(show(n)));
    return condition(n);
  }
  if (s.vt.kind === "error") return condition(n);
  if (s.vt.kind !== "date") {
    reportOperator(n, opText, WORKS_ON.dates, s, st);
    return condition(n);
  }
  lintNegative(s, false, cx, st);
  return condition(n);
}

// -------------------------------------------------------------------------------------------------
// Parameters
// -------------------------------------------------------------------------------------------------


const DATE_OR_DURATION: ParamType = { kind: "dateOrDuration", list: false };

/**
 * One type for two uses of a parameter, or undefined when no value fits both (a date-or-duration
 * narrowed by a date or a duration; enum values in common). @internal
 */
export function mergeParamTypes(a: ParamType, b: ParamType): ParamType | undefined {
  // A date or a duration, used where only one fits: that one.
  if (a.list === b.list && a.kind === "dateOrDuration" && (b.kind === "date" || b.kind === "duration")) return b;
  if (a.list === b.list && b.kind === "dateOrDuration" && (a.kind === "date" || a.kind === "duration")) return a;
  if (a.kind !== b.kind || a.list !== b.list) return undefined;
  if (a.enumValues && b.enumValues) {
    const common = a.enumValues.filter((x) => b.enumValues?.includes(x));
    if (common.length === 0) return undefined;
    return { ...a, enumValues: common };
  }
  const enumValues = a.enumValues ?? b.enumValues;
  return enumValues ? { kind: a.kind, list: a.list, enumValues } : { kind: a.kind, list: a.list };
}

function finishParams(st: State): Map<string, ParamType> {
  const types = new Map<string, ParamType>();
  const conflicted = new Set<string>();
  for (const [name, uses] of st.uses) {
    let merged: ParamType | undefined;
    let firstUse: ParamUse | undefined;
    for (const u of uses) {
      if (!u.type) continue;
      if (!merged || !firstUse) {
        merged = u.type;
        firstUse = u;
        continue;
      }
      const m = mergeParamTypes(merged, u.type);
      if (m) merged = m;
      else if (!conflicted.has(name)) {
        conflicted.add(name);
        st.err(
          C.paramConflict,
          u.node.span,
          M.paramConflict(name, paramWords(u.type), u.partner, paramWords(firstUse.type ?? merged), firstUse.partner),
        );
      }
    }
    if (merged) types.set(name, merged);
  }
  // `$a = $b`, `$a in $b`: a typed side gives its type to the other, until nothing changes.
  for (let changed = true, rounds = 0; changed && rounds <= st.links.length; rounds++) {
    changed = false;
    for (const { a, b, list } of st.links) {
      const ta = types.get(a.name);
      const tb = types.get(b.name);
      if (ta && !tb) {
        types.set(b.name, { ...ta, list: list ? true : ta.list });
        changed = true;
      } else if (tb && !ta) {
        types.set(a.name, { ...tb, list: list ? false : tb.list });
        changed = true;
      }
    }
  }
  // Two parameters compared with each other (`$a < $b`) are dates: a date or a duration on both
  // sides would leave the comparison without a meaning when both values are durations.
  for (const { a, b } of st.links) {
    for (const p of [a, b]) {
      const t = types.get(p.name);
      if (t?.kind === "dateOrDuration") types.set(p.name, { ...t, kind: "date" });
    }
  }
  for (const name of st.uses.keys()) {
    if (types.has(name) || st.excused.has(name)) continue;
    const first = st.firstSeen.get(name);
    if (first) st.err(C.paramUntyped, first.span, M.paramUntyped(name));
  }
  // Text and yes/no values have no order, whether a field or a parameter holds them.
  for (const o of st.orderings) {
    const t = types.get(o.name);
    if (!t || conflicted.has(o.name) || t.list || (t.kind !== "string" && t.kind !== "boolean") || t.enumValues) continue;
    const text = `$${o.name}`;
    st.err(C.typeOperator, o.node.span, M.operator(o.op, o.worksOn, text, paramWords(t), t.kind === "boolean" ? H.alone(text) : H.textNoOrder));
  }
  recordParams(st, types);
  return types;
}

/** Each parameter node's fact: its inferred type, or, next to an enum, that enum (with its order). */
function recordParams(st: State, types: ReadonlyMap<string, ParamType>): void {
  for (const [name, uses] of st.uses) {
    const t = types.get(name);
    if (!t) continue;
    const own = new Map<ParamNode, CheckedType>();
    for (const u of uses) {
      if (own.has(u.node) || !u.like || u.like.kind !== "enum" || t.kind !== "string") continue;
      own.set(u.node, t.list ? { kind: "list", item: u.like } : u.like);
    }
    const general = checkedTypeOfParam(t);
    for (const node of st.paramNodes.get(name) ?? []) {
      st.facts.setValue(node, { type: own.get(node) ?? general, from: "param", nullable: false });
    }
  }
}

/** The checked type of an inferred parameter type. */
function checkedTypeOfParam(t: ParamType): CheckedType {
  const base: CheckedType = t.enumValues ? { kind: "enum", values: t.enumValues, ordered: false, origin: "field" } : { kind: t.kind };
  return t.list ? { kind: "list", item: base } : base;
}

// -------------------------------------------------------------------------------------------------
// Showing nodes in messages
// -------------------------------------------------------------------------------------------------

function showDuration(d: DurationNode): string {
  return `${d.amount} ${d.unit}${d.amount === 1 ? "" : "s"}`;
}

/** A short rendering of a node as the author would write it (for messages only). */
function show(node: AnyNode): string {
  switch (node.kind) {
    case "field":
      return node.path.join(".");
    case "string":
      return JSON.stringify(node.value);
    case "number":
    case "boolean":
      return String(node.value);
    case "date":
      return node.text;
    case "duration":
      return showDuration(node);
    case "instant":
      return `${show(node.duration)} ${node.direction === "ago" ? "ago" : "from now"}`;
    case "list": {
      const shown = node.items.slice(0, 3).map(show);
      return `[${shown.join(", ")}${node.items.length > 3 ? ", …" : ""}]`;
    }
    case "param":
      return `$${node.name}`;
    case "ref":
      return `@${node.name}`;
    case "aggregate":
      return `${node.fn}(${node.path.join(".")}${node.where ? " where …" : ""})`;
    case "compare":
      return `${show(node.left)} ${node.alias ?? node.op} ${show(node.right)}`;
    case "between":
      return `${show(node.subject)} ${node.negated ? "not " : ""}between ${show(node.low)} and ${show(node.high)}`;
    case "in":
      return `${show(node.subject)} ${node.negated ? "not " : ""}in ${show(node.list)}`;
    case "has":
      return `${show(node.subject)} has ${node.mode === "one" ? "" : `${node.mode} `}${show(node.value)}`;
    case "text":
      return `${show(node.subject)} ${node.negated ? "not " : ""}${TEXT_OPS[node.op]} ${show(node.value)}`;
    case "isSet":
      return `${show(node.subject)} is ${node.negated ? "not " : ""}set`;
    case "isEmpty":
      return `${show(node.subject)} is ${node.negated ? "not " : ""}empty`;
    case "within":
      return `${show(node.subject)} within ${node.direction} ${show(node.duration)}`;
    case "truthy":
      return show(node.subject);
    case "quantifier":
      return `${node.quantifier} ${show(node.collection)} where (…)`;
    case "not":
      return `not ${show(node.operand)}`;
    case "and":
    case "or":
      return node.operands.map(show).join(` ${node.kind} `);
  }
}
