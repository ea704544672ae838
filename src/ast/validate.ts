/**
 * Structural validation of an untrusted JSON AST (for `fromAST` in `cible/runtime`: no parser).
 *
 * The input is read, never trusted: only own data properties count (inherited ones, accessors
 * and prototypes are ignored or refused), every node is checked against its kind's shape, and
 * the result is a fresh copy built from the checked values: names and strings NFC-normalised,
 * missing spans filled with a zero span at 1:1. The walk is iterative: a JSON nested a million
 * levels deep costs a diagnostic, not a stack overflow.
 *
 * Depth is measured as nesting, the way the parser counts it on the text: a `not`, a quantifier,
 * an aggregate, a list, and an `and`/`or` that needs parentheses where it stands (an `or` inside
 * an `and`, `or` or `not`; an `and` inside an `and` or `not`) each add one level. So any AST the
 * parser accepts within `maxDepth` passes here with the same limit, and the raw tree depth stays
 * within about four times `maxDepth`. Nodes are counted one per expression or value node.
 */
import { type Diagnostic, type Span, WHOLE, error } from "../errors/diagnostic.js";
import { IDENTIFIER } from "./keywords.js";
import type { Limits } from "./limits.js";
import { AST_VERSION, type ExpressionDocument, type NodeKind } from "./nodes.js";
import { EXPR_KINDS, VALUE_KINDS } from "./walk.js";

/** What {@link validateExpressionDocument} returns: `doc` only when there is no diagnostic. */
export interface ValidationResult {
  readonly doc?: ExpressionDocument;
  readonly diagnostics: Diagnostic[];
}

/** Stop collecting after this many findings: a broken AST of 50,000 nodes needs no 50,000 lines. */
const MAX_DIAGNOSTICS = 100;

// ---------------------------------------------------------------------------------------------
// JSON paths, built lazily (a path string per node would cost O(depth²) on deep inputs)
// ---------------------------------------------------------------------------------------------

interface PathLink {
  readonly parent: PathLink | undefined;
  readonly key: string | number;
}

function pathText(link: PathLink | undefined): string {
  const keys: (string | number)[] = [];
  for (let l = link; l; l = l.parent) keys.push(l.key);
  let out = "";
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i]!;
    out += typeof k === "number" ? `[${k}]` : out ? `.${k}` : k;
  }
  return out || "(root)";
}

const at = (parent: PathLink | undefined, key: string | number): PathLink => ({ parent, key });

// ---------------------------------------------------------------------------------------------
// Reading untrusted objects
// ---------------------------------------------------------------------------------------------

const MISSING: unique symbol = Symbol("missing");
const ACCESSOR: unique symbol = Symbol("accessor");

/** An own data property, or MISSING (absent or inherited), or ACCESSOR (a getter: refused). */
function own(obj: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (!d) return MISSING;
  return "value" in d ? d.value : ACCESSOR;
}

const isObject = (v: unknown): v is object => typeof v === "object" && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v === ACCESSOR) return "an accessor property";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

/** What may stand at a position. */
type Expect = "expr" | "value" | "literal" | "field" | "duration" | "durationOrParam" | "listOrParam" | "truthySubject";

const ALLOWED: Record<Expect, ReadonlySet<string>> = {
  expr: EXPR_KINDS,
  value: VALUE_KINDS,
  literal: new Set(["string", "number", "boolean", "date"]),
  field: new Set(["field"]),
  duration: new Set(["duration"]),
  durationOrParam: new Set(["duration", "param"]),
  listOrParam: new Set(["list", "param"]),
  truthySubject: new Set(["field", "ref", "param"]),
};

const EXPECT_TEXT: Record<Expect, string> = {
  expr: "an expression node",
  value: "a value node",
  literal: "a literal (string, number, boolean or date)",
  field: "a field node",
  duration: "a duration node",
  durationOrParam: "a duration or a param node",
  listOrParam: "a list or a param node",
  truthySubject: "a field, ref or param node",
};

const COMPARE_OPS = ["=", "!=", "<", "<=", ">", ">="] as const;
const ALIAS_OP: Record<string, string> = { before: "<", after: ">" };
const UNITS = ["minute", "hour", "day", "week", "month", "year"] as const;

/** One node to visit: where it stands, what may stand there, and where its copy goes. */
interface Task {
  readonly json: unknown;
  readonly link: PathLink;
  readonly expect: Expect;
  /** The parent node's kind (for nesting), undefined at the root of the body. */
  readonly parentKind: string | undefined;
  readonly nesting: number;
  readonly parentSpan: Span;
  readonly set: (copy: unknown) => void;
}

/** The validation run: limits, findings, the stack of nodes still to visit. */
class Run {
  readonly diagnostics: Diagnostic[] = [];
  readonly stack: Task[] = [];
  /** Nodes visited plus nodes scheduled: never above limits.maxNodes. */
  scheduled = 0;
  aborted = false;
  tooDeepReported = false;

  constructor(readonly limits: Limits) {}

  report(code: string, span: Span, link: PathLink | undefined, message: string, hint: string): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.aborted = true;
      return;
    }
    this.diagnostics.push(error(code, `${message} (at ${pathText(link)}).`, span, hint));
  }

  /** Reserves room for `n` more nodes; false (and the run aborts) past limits.maxNodes. */
  reserve(n: number, span: Span, link: PathLink): boolean {
    if (this.scheduled + n <= this.limits.maxNodes) {
      this.scheduled += n;
      return true;
    }
    this.report(
      "limit.nodes",
      span,
      link,
      `The AST has more than ${this.limits.maxNodes} nodes`,
      "Split the rule, or raise limits.maxNodes if you trust its source.",
    );
    this.aborted = true;
    return false;
  }
}

function readSpan(run: Run, value: unknown, link: PathLink, fallback: Span): Span | undefined {
  const pos = (v: unknown) => {
    if (!isObject(v)) return undefined;
    const offset = own(v, "offset");
    const line = own(v, "line");
    const column = own(v, "column");
    const ok = (n: unknown, min: number) => typeof n === "number" && Number.isSafeInteger(n) && n >= min;
    return ok(offset, 0) && ok(line, 1) && ok(column, 1)
      ? { offset: offset as number, line: line as number, column: column as number }
      : undefined;
  };
  const start = isObject(value) ? pos(own(value, "start")) : undefined;
  const end = isObject(value) ? pos(own(value, "end")) : undefined;
  if (start && end && end.offset >= start.offset) return { start, end };
  run.report(
    "ast.invalid-span",
    fallback,
    link,
    "A span must be { start, end } with integer offset ≥ 0, line ≥ 1 and column ≥ 1, end not before start",
    "Leave the span out: a missing span is allowed and becomes 1:1.",
  );
  return undefined;
}

/** Reads one node's properties into a fresh copy, scheduling its children. */
class Reader {
  readonly copy: Record<string, unknown>;
  private readonly known = new Set<string>(["kind", "span"]);
  readonly children: Task[] = [];

  constructor(
    readonly run: Run,
    readonly obj: object,
    readonly kind: NodeKind,
    readonly link: PathLink,
    readonly span: Span,
    readonly nesting: number,
  ) {
    this.copy = { kind };
  }

  private problem(code: string, key: string, message: string, hint: string): void {
    this.run.report(code, this.span, at(this.link, key), message, hint);
  }

  /** An own property, with MISSING reported unless optional; ACCESSOR reported as a wrong type. */
  get(key: string, optional = false): unknown {
    this.known.add(key);
    const v = own(this.obj, key);
    if (v === MISSING && !optional) {
      this.problem("ast.missing-property", key, `A ${this.kind} node needs an own property \`${key}\``, "Add it; see src/ast/nodes.ts for each kind's shape.");
    } else if (v === ACCESSOR) {
      this.problem("ast.wrong-type", key, `\`${key}\` must be a plain data property, not a getter`, "Pass plain JSON (JSON.parse output).");
      return MISSING;
    }
    return v;
  }

  private wrongType(key: string, expected: string, v: unknown): void {
    this.problem("ast.wrong-type", key, `\`${key}\` of a ${this.kind} node must be ${expected}, not ${describe(v)}`, `Write ${expected} there.`);
  }

  invalid(key: string, message: string, hint: string): void {
    this.problem("ast.invalid-value", key, message, hint);
  }

  bool(key: string): boolean | undefined {
    const v = this.get(key);
    if (v === MISSING) return undefined;
    if (typeof v !== "boolean") return void this.wrongType(key, "a boolean", v);
    this.copy[key] = v;
    return v;
  }

  number(key: string): number | undefined {
    const v = this.get(key);
    if (v === MISSING) return undefined;
    if (typeof v !== "number") return void this.wrongType(key, "a number", v);
    if (!Number.isFinite(v)) return void this.invalid(key, `\`${key}\` must be a finite number, not ${String(v)}`, "Use a finite decimal number.");
    const n = v === 0 ? 0 : v; // -0 reads as 0, as the parser reads `-0`
    this.copy[key] = n;
    return n;
  }

  string(key: string): string | undefined {
    const v = this.get(key);
    if (v === MISSING) return undefined;
    if (typeof v !== "string") return void this.wrongType(key, "a string", v);
    this.copy[key] = v.normalize("NFC");
    return v;
  }

  oneOf<T extends string>(key: string, values: readonly T[], optional = false): T | undefined {
    const v = this.get(key, optional);
    if (v === MISSING) return undefined;
    if (typeof v !== "string") return void this.wrongType(key, "a string", v);
    if (!(values as readonly string[]).includes(v)) {
      return void this.invalid(key, `\`${key}\` of a ${this.kind} node cannot be ${JSON.stringify(v)}`, `Use one of: ${values.map((x) => JSON.stringify(x)).join(", ")}.`);
    }
    this.copy[key] = v;
    return v as T;
  }

  /** A name: a non-empty string without line breaks, NFC-normalised. */
  private checkName(v: unknown, key: string, link: PathLink): string | undefined {
    if (typeof v !== "string") {
      this.run.report("ast.wrong-type", this.span, link, `A name must be a string, not ${describe(v)}`, "Write the name as a JSON string.");
      return undefined;
    }
    if (v.trim() === "" || /[\r\n]/.test(v)) {
      this.run.report("ast.invalid-value", this.span, link, v.trim() === "" ? "A name cannot be empty or blank" : "A name cannot contain a line break", `Fix \`${key}\`.`);
      return undefined;
    }
    return v.normalize("NFC");
  }

  name(key: string): void {
    const v = this.get(key);
    if (v === MISSING) return;
    const name = this.checkName(v, key, at(this.link, key));
    if (name !== undefined) this.copy[key] = name;
  }

  /** A dotted path: a non-empty array of names. */
  path(key: string): void {
    const v = this.get(key);
    if (v === MISSING) return;
    if (!Array.isArray(v)) return this.wrongType(key, "an array of names", v);
    if (v.length === 0) return this.invalid(key, `\`${key}\` cannot be empty`, 'Write at least one name: ["sector"].');
    const out: string[] = [];
    for (let i = 0; i < v.length; i++) {
      const item = own(v, String(i));
      const name = this.checkName(item === MISSING ? undefined : item, key, at(at(this.link, key), i));
      if (name !== undefined) out.push(name);
    }
    this.copy[key] = out;
  }

  /** An optional span-valued property other than `span` (aggregate's `pathSpan`). */
  spanProperty(key: string): void {
    const v = this.get(key, true);
    this.copy[key] = v === MISSING ? WHOLE : (readSpan(this.run, v, at(this.link, key), this.span) ?? WHOLE);
  }

  private schedule(json: unknown, link: PathLink, expect: Expect, set: (copy: unknown) => void): void {
    this.children.push({ json, link, expect, parentKind: this.kind, nesting: this.nesting, parentSpan: this.span, set });
  }

  child(key: string, expect: Expect, optional = false): void {
    const v = this.get(key, optional);
    if (v === MISSING) return;
    if (!this.run.reserve(1, this.span, at(this.link, key))) return;
    this.copy[key] = undefined; // keeps the property order of nodes.ts
    this.schedule(v, at(this.link, key), expect, (c) => {
      this.copy[key] = c;
    });
  }

  childArray(key: string, expect: Expect, min: number, max: number, tooLong?: () => void): void {
    const v = this.get(key);
    if (v === MISSING) return;
    if (!Array.isArray(v)) return this.wrongType(key, "an array", v);
    const length = v.length;
    if (length < min) {
      return this.invalid(key, `A ${this.kind} node needs at least ${min} operands, not ${length}`, `Write a single operand without the ${this.kind} node around it.`);
    }
    if (length > max) return tooLong?.();
    const link = at(this.link, key);
    if (!this.run.reserve(length, this.span, link)) return;
    const out: unknown[] = new Array(length);
    this.copy[key] = out;
    for (let i = 0; i < length; i++) {
      const item = own(v, String(i));
      this.schedule(item === MISSING ? undefined : item, at(link, i), expect, (c) => {
        out[i] = c;
      });
    }
  }

  /** Refuses own properties that the kind does not have (a typo such as `wher` would change the meaning). */
  finish(): void {
    for (const key of Reflect.ownKeys(this.obj)) {
      if (typeof key !== "string" || this.known.has(key)) continue;
      this.problem("ast.unknown-property", key, `A ${this.kind} node has no property \`${key}\``, "Remove it, or fix its spelling (see src/ast/nodes.ts).");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The shape of every kind: one table, so a new kind fails to type-check until it is validated
// ---------------------------------------------------------------------------------------------

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))?$/;

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

/** True when `text` is an ISO-8601 date (`dateOnly`) or date-time the lexer accepts. @internal */
export function isValidDateText(text: string, dateOnly: boolean): boolean {
  if (dateOnly) {
    const m = DATE_ONLY.exec(text);
    return !!m && validDay(+m[1]!, +m[2]!, +m[3]!);
  }
  const m = DATE_TIME.exec(text);
  if (!m || !validDay(+m[1]!, +m[2]!, +m[3]!)) return false;
  if (+m[4]! > 23 || +m[5]! > 59 || (m[6] !== undefined && +m[6] > 59)) return false;
  return m[7] === undefined || (+m[7] <= 23 && +m[8]! <= 59);
}

type Shapes = { readonly [K in NodeKind]: (r: Reader) => void };

const SHAPES: Shapes = {
  or: (r) => r.childArray("operands", "expr", 2, Infinity),
  and: (r) => r.childArray("operands", "expr", 2, Infinity),
  not: (r) => r.child("operand", "expr"),
  compare: (r) => {
    const op = r.oneOf("op", COMPARE_OPS);
    r.child("left", "value");
    r.child("right", "value");
    const alias = r.oneOf("alias", ["before", "after"], true);
    if (alias && op && ALIAS_OP[alias] !== op) {
      r.invalid("alias", `The alias \`${alias}\` stands for \`${ALIAS_OP[alias]}\`, not \`${op}\``, "Remove the alias or fix the operator.");
    }
    const right = own(r.obj, "right");
    if (alias && isObject(right) && own(right, "kind") === "duration") {
      r.invalid("alias", `\`${alias}\` compares with a date or an instant, not a bare duration`, "Compare with an instant (`6 months ago`), or drop the alias.");
    }
  },
  between: (r) => {
    r.bool("negated");
    r.child("subject", "value");
    r.child("low", "value");
    r.child("high", "value");
  },
  in: (r) => {
    r.bool("negated");
    r.child("subject", "value");
    r.child("list", "listOrParam");
  },
  has: (r) => {
    const mode = r.oneOf("mode", ["one", "any", "all", "none"]);
    r.child("subject", "value");
    r.child("value", mode === "one" || mode === undefined ? "value" : "listOrParam");
  },
  text: (r) => {
    r.oneOf("op", ["contains", "startsWith", "endsWith", "foldEquals"]);
    r.bool("negated");
    r.child("subject", "value");
    r.child("value", "value");
  },
  isSet: (r) => {
    r.bool("negated");
    r.child("subject", "value");
  },
  isEmpty: (r) => {
    r.bool("negated");
    r.child("subject", "value");
  },
  truthy: (r) => r.child("subject", "truthySubject"),
  quantifier: (r) => {
    r.oneOf("quantifier", ["any", "all", "none"]);
    r.child("collection", "field");
    r.child("where", "expr");
  },
  within: (r) => {
    r.oneOf("direction", ["last", "next"]);
    r.child("subject", "value");
    r.child("duration", "durationOrParam");
  },
  field: (r) => r.path("path"),
  string: (r) => void r.string("value"),
  number: (r) => void r.number("value"),
  boolean: (r) => void r.bool("value"),
  date: (r) => {
    const text = r.string("text");
    const dateOnly = r.bool("dateOnly");
    if (text !== undefined && dateOnly !== undefined && !isValidDateText(text, dateOnly)) {
      r.run.report(
        "ast.invalid-date",
        r.span,
        at(r.link, "text"),
        `${JSON.stringify(text)} is not a valid ISO-8601 ${dateOnly ? "date (YYYY-MM-DD)" : "date-time"}`,
        dateOnly ? "Write a real calendar day such as 2024-01-15, or set dateOnly to false for a date-time." : "Write e.g. 2024-01-15T09:30:00Z, or set dateOnly to true for a date.",
      );
    }
  },
  duration: (r) => {
    const amount = r.number("amount");
    if (amount !== undefined && (!Number.isSafeInteger(amount) || amount < 0)) {
      r.invalid("amount", `A duration's amount must be a non-negative integer, not ${amount}`, "Write a whole number of units: 6 months, 90 days.");
    }
    r.oneOf("unit", UNITS);
  },
  instant: (r) => {
    r.child("duration", "durationOrParam");
    r.oneOf("direction", ["ago", "fromNow"]);
  },
  list: (r) =>
    r.childArray("items", "literal", 0, r.run.limits.maxListLength, () =>
      r.run.report("limit.list-length", r.span, at(r.link, "items"), `A list holds more than ${r.run.limits.maxListLength} items`, "Use fewer items, or raise limits.maxListLength."),
    ),
  param: (r) => {
    r.name("name");
    const name = r.copy.name;
    if (typeof name === "string" && !IDENTIFIER.test(name)) {
      r.invalid("name", `The parameter name ${JSON.stringify(name)} is not an identifier`, "Name parameters with letters, digits and _: $minEmployees.");
    }
  },
  ref: (r) => r.name("name"),
  aggregate: (r) => {
    r.oneOf("fn", ["count", "sum", "avg", "min", "max"]);
    r.path("path");
    r.child("where", "expr", true);
    r.spanProperty("pathSpan");
  },
};

const KINDS: ReadonlySet<string> = new Set(Object.keys(SHAPES));

/** Kinds that add one nesting level wherever they stand. */
const NESTING_KINDS: ReadonlySet<string> = new Set(["not", "quantifier", "aggregate", "list"]);

/** One nesting level for a kind standing under `parentKind` (see the file comment). */
function addsNesting(kind: string, parentKind: string | undefined): boolean {
  if (NESTING_KINDS.has(kind)) return true;
  if (kind === "or") return parentKind === "and" || parentKind === "or" || parentKind === "not";
  if (kind === "and") return parentKind === "and" || parentKind === "not";
  return false;
}

function visit(run: Run, task: Task): void {
  const { json, link, expect } = task;
  if (!isObject(json)) {
    run.report("ast.not-object", task.parentSpan, link, `Expected ${EXPECT_TEXT[expect]}, found ${describe(json)}`, "Every node is a JSON object with a `kind`.");
    return;
  }
  const kindValue = own(json, "kind");
  if (kindValue === MISSING) {
    run.report("ast.missing-kind", task.parentSpan, link, "This object has no own `kind` property", `Expected ${EXPECT_TEXT[expect]}; set its \`kind\`.`);
    return;
  }
  if (typeof kindValue !== "string" || !KINDS.has(kindValue)) {
    const shown = typeof kindValue === "string" ? JSON.stringify(kindValue) : describe(kindValue);
    run.report("ast.unknown-kind", task.parentSpan, link, `There is no node kind ${shown}`, `Expected ${EXPECT_TEXT[expect]}.`);
    return;
  }
  const kind = kindValue as NodeKind;
  const rawSpan = own(json, "span");
  const span =
    rawSpan === MISSING ? undefined : (readSpan(run, rawSpan === ACCESSOR ? undefined : rawSpan, at(link, "span"), task.parentSpan) ?? undefined);
  const where = span ?? task.parentSpan;
  if (!ALLOWED[expect].has(kind)) {
    run.report("ast.unexpected-kind", where, link, `A ${kind} node cannot stand here`, `Expected ${EXPECT_TEXT[expect]}.`);
    return;
  }
  const nesting = task.nesting + (addsNesting(kind, task.parentKind) ? 1 : 0);
  if (nesting > run.limits.maxDepth) {
    if (!run.tooDeepReported) {
      run.tooDeepReported = true;
      run.report("limit.depth", where, link, `The AST nests deeper than ${run.limits.maxDepth} levels`, "Flatten the rule, or raise limits.maxDepth if you trust its source.");
    }
    return;
  }
  const reader = new Reader(run, json, kind, link, where, nesting);
  (SHAPES[kind] as (r: Reader) => void)(reader);
  reader.finish();
  reader.copy.span = span ?? WHOLE;
  task.set(reader.copy);
  for (let i = reader.children.length - 1; i >= 0; i--) run.stack.push(reader.children[i]!);
}

/**
 * Validates an untrusted JSON AST (for instance `JSON.parse(stored)` of a `segment.ast`) and
 * returns a fresh, checked copy: the version equals {@link AST_VERSION}; every node has a known
 * own `kind` allowed where it stands and the properties of src/ast/nodes.ts with the right JSON
 * types and values (no others); numbers are finite; durations whole and non-negative; dates
 * valid ISO-8601 matching `dateOnly`; lists of literals; nesting, node count and list lengths
 * within `limits`. Names and strings are NFC-normalised in the copy; a missing span becomes a
 * zero span at 1:1. Never throws, never recurses, never returns the input object.
 *
 * @param json - the untrusted value
 * @param limits - the resolved limits (`resolveLimits`)
 * @returns `{ doc, diagnostics: [] }`, or `{ diagnostics }` with `ast.*` findings naming the JSON path
 *
 * @example
 * ```ts
 * const { doc, diagnostics } = validateExpressionDocument(JSON.parse(text), DEFAULT_LIMITS);
 * if (!doc) throw new CibleError(diagnostics);
 * ```
 */
export function validateExpressionDocument(json: unknown, limits: Limits): ValidationResult {
  const run = new Run(limits);
  try {
    const doc = readDocument(run, json);
    return run.diagnostics.length || !doc ? { diagnostics: run.diagnostics } : { doc, diagnostics: [] };
  } catch (e) {
    // A proxy trap or a throwing getter: the input is not JSON data.
    run.diagnostics.push(
      error("ast.unreadable", `The AST could not be read: ${e instanceof Error ? e.message : String(e)}.`, WHOLE, "Pass plain JSON (JSON.parse output)."),
    );
    return { diagnostics: run.diagnostics };
  }
}

function readDocument(run: Run, json: unknown): ExpressionDocument | undefined {
  if (!isObject(json)) {
    run.report("ast.not-object", WHOLE, undefined, `An AST document must be a JSON object, not ${describe(json)}`, 'Pass the document { "kind": "expression", "version": 1, "body": … }.');
    return undefined;
  }
  const version = own(json, "version");
  if (version !== AST_VERSION) {
    run.report(
      "ast.version",
      WHOLE,
      at(undefined, "version"),
      version === MISSING ? "The AST has no `version`" : `This AST has version ${typeof version === "number" ? version : describe(version)}, and this cible reads version ${AST_VERSION}`,
      "Re-parse the rule's source with this version of cible and store the new AST.",
    );
    return undefined;
  }
  const kind = own(json, "kind");
  if (kind !== "expression") {
    run.report(
      kind === MISSING ? "ast.missing-kind" : "ast.unknown-kind",
      WHOLE,
      at(undefined, "kind"),
      kind === MISSING ? "The AST document has no own `kind`" : `An expression AST has kind "expression", not ${typeof kind === "string" ? JSON.stringify(kind) : describe(kind)}`,
      'Pass the document { "kind": "expression", "version": 1, "body": … } (a rules file cannot be loaded by fromAST).',
    );
    return undefined;
  }
  const out: { kind: "expression"; version: typeof AST_VERSION; body: unknown; comments: unknown[] } = {
    kind: "expression",
    version: AST_VERSION,
    body: undefined,
    comments: [],
  };
  for (const key of Reflect.ownKeys(json)) {
    if (typeof key === "string" && !["kind", "version", "body", "comments"].includes(key)) {
      run.report("ast.unknown-property", WHOLE, at(undefined, key), `An AST document has no property \`${key}\``, "Remove it: a document holds kind, version, body and comments.");
    }
  }
  readComments(run, own(json, "comments"), out.comments);
  const body = own(json, "body");
  if (body === MISSING || body === ACCESSOR) {
    run.report("ast.missing-property", WHOLE, at(undefined, "body"), "The AST document has no own `body`", "Add the expression node as `body`.");
    return undefined;
  }
  run.scheduled = 1; // the body's root (limits.maxNodes is at least 1)
  run.stack.push({
    json: body,
    link: at(undefined, "body"),
    expect: "expr",
    parentKind: undefined,
    nesting: 0,
    parentSpan: WHOLE,
    set: (c) => {
      out.body = c;
    },
  });
  while (run.stack.length && !run.aborted) visit(run, run.stack.pop()!);
  return out as unknown as ExpressionDocument;
}

function readComments(run: Run, value: unknown, out: unknown[]): void {
  if (value === MISSING) return;
  const link = at(undefined, "comments");
  if (!Array.isArray(value)) {
    run.report("ast.wrong-type", WHOLE, link, `\`comments\` must be an array, not ${describe(value)}`, "Write [] or leave it out.");
    return;
  }
  for (let i = 0; i < value.length && !run.aborted; i++) {
    const c = own(value, String(i));
    const here = at(link, i);
    if (!isObject(c)) {
      run.report("ast.not-object", WHOLE, here, `A comment must be an object { text, span }, not ${describe(c === MISSING ? undefined : c)}`, "Write { \"text\": \" a note\" }.");
      continue;
    }
    const text = own(c, "text");
    const rawSpan = own(c, "span");
    const span = rawSpan === MISSING ? WHOLE : (readSpan(run, rawSpan, at(here, "span"), WHOLE) ?? WHOLE);
    for (const key of Reflect.ownKeys(c)) {
      if (typeof key === "string" && key !== "text" && key !== "span") {
        run.report("ast.unknown-property", span, at(here, key), `A comment has no property \`${key}\``, "A comment holds text and span.");
      }
    }
    if (typeof text !== "string") {
      run.report(text === MISSING ? "ast.missing-property" : "ast.wrong-type", span, at(here, "text"), "A comment needs its `text` as a string", "Write the comment's text without the #.");
    } else if (/[\r\n]/.test(text)) {
      run.report("ast.invalid-value", span, at(here, "text"), "A comment's text cannot contain a line break", "Split it into several comments.");
    } else out.push({ text, span });
  }
}
