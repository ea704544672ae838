/**
 * Data coverage for `analyze`: the fields the definitions of a rules file read (from the
 * checker's facts: no path is resolved again), a probe per field telling when a record has it
 * unknown (compiled by the evaluator itself, so "unknown" means exactly what rules see), and the
 * fields behind a segment's unknown result on one record (the unknown leaves of its explanation).
 *
 * A path is kept cut at each list it goes through: `contacts.events.type` is
 * `[["contacts"], ["events"], ["type"]]`. A field is unknown on a record when:
 * - for a path through no list (`sector`, `company.size`, `tags`, `events`): `path is not set`
 *   (missing, null, of the wrong type, NaN, an invalid date, not a value of its enum; a list that
 *   is missing or not a list);
 * - for a path inside a list (`events.type`, `contacts.events`): some element has it unknown,
 *   `any events where (type is not set)`. A record whose list is missing counts under the list
 *   (`events`), not under its elements' fields.
 * @internal
 */
import { AST_VERSION, type AnyNode, type Definition, type ExprNode, type ExpressionDocument } from "../ast/nodes.js";
import { childrenOf, definitionRoots } from "../ast/walk.js";
import type { AggregateFact, Facts, FieldFact } from "../check/facts.js";
import { checkExpression } from "../check/index.js";
import { type RunState, compileSegment } from "../compile/index.js";
import type { Explanation } from "../compile/types.js";
import type { Span } from "../errors/diagnostic.js";
import { hasErrors } from "../errors/diagnostic.js";
import type { SchemaModel } from "../schema/model.js";

/** A field path cut at each list (see the module's comment). */
export type Hops = readonly (readonly string[])[];

/** A field a definition reads. */
export interface ReadField {
  /** The dotted path from the record: `events.type`. */
  readonly text: string;
  readonly hops: Hops;
  /** Where it is first written (for the probe's nodes). */
  readonly span: Span;
}

/** Receives the fields and the `@name` references met by a walk. */
interface Sink {
  field(hops: Hops, span: Span): void;
  ref?(name: string): void;
}

const textOf = (hops: Hops) => hops.flat().join(".");

/** The path of a field fact from the record, given the paths of the scopes (record first); undefined on a mismatch. */
function fieldAt(f: FieldFact, scopes: readonly Hops[]): Hops | undefined {
  if (f.depth !== scopes.length - 1) return undefined;
  const base = scopes[f.depth - f.scope];
  return base ? [...base, f.names] : undefined;
}

/**
 * The lists of an aggregate (or a flattened quantifier's collection), each given to `sink`, and
 * the scopes inside its `where` (one per list of objects, as the checker's `rowScopes`).
 */
function listsOf(a: AggregateFact, scopes: readonly Hops[], span: Span, sink: Sink): { inner: Hops[]; last: Hops } | undefined {
  const first = fieldAt(a.collection, scopes);
  if (!first) return undefined;
  sink.field(first, span);
  const inner = [...scopes];
  if (a.collection.type.element.kind === "object") inner.push(first);
  let last = first;
  for (const n of a.nested) {
    last = [...last, n.names];
    sink.field(last, span);
    if (n.type.element.kind === "object") inner.push(last);
  }
  return { inner, last };
}

/** The scopes inside a quantifier's `where` (its collection given to `sink`); undefined when the facts are missing. */
function quantifierScopes(collection: AnyNode & { kind: "field" }, scopes: readonly Hops[], facts: Facts, sink: Sink): Hops[] | undefined {
  const fact = facts.value(collection);
  if (fact?.aggregate) return listsOf(fact.aggregate, scopes, collection.span, sink)?.inner;
  const path = fact?.field ? fieldAt(fact.field, scopes) : undefined;
  if (!path) return undefined;
  sink.field(path, collection.span);
  return [...scopes, path];
}

/** Every field (and reference) a tree reads, with the paths of the scopes it stands in. */
function walk(node: AnyNode, scopes: readonly Hops[], facts: Facts, sink: Sink): void {
  switch (node.kind) {
    case "field": {
      const f = facts.value(node)?.field;
      const path = f ? fieldAt(f, scopes) : undefined;
      if (path) sink.field(path, node.span);
      return;
    }
    case "ref":
      sink.ref?.(node.name);
      return;
    case "quantifier": {
      const inner = quantifierScopes(node.collection, scopes, facts, sink);
      if (inner) walk(node.where, inner, facts, sink);
      return;
    }
    case "aggregate": {
      const a = facts.value(node)?.aggregate;
      const lists = a ? listsOf(a, scopes, node.pathSpan, sink) : undefined;
      if (!a || !lists) return;
      if (a.rest.length) sink.field([...lists.last, a.rest], node.pathSpan);
      if (node.where) walk(node.where, lists.inner, facts, sink);
      return;
    }
    default:
      for (const c of childrenOf(node)) walk(c, scopes, facts, sink);
  }
}

const RECORD: readonly Hops[] = [[]];

/** Every field and reference a definition reads itself (not through its references). */
export function walkDefinition(def: Definition, facts: Facts, sink: Sink): void {
  if (def.kind === "score") {
    for (const rule of def.rules) {
      if (rule.kind === "if") walk(rule.condition, RECORD, facts, sink);
      else if (rule.kind === "per") walk(rule.value, RECORD, facts, sink);
      else {
        // The condition and the date are read on each element, as inside `any P where (…)`.
        const inner = quantifierScopes(rule.collection, RECORD, facts, sink);
        if (!inner) continue;
        if (rule.where) walk(rule.where, inner, facts, sink);
        walk(rule.by, inner, facts, sink);
      }
    }
    return;
  }
  for (const root of definitionRoots(def)) walk(root, RECORD, facts, sink);
}

/** The fields the definitions read, each once, in the order first met (definitions in file order). */
export function fieldsRead(defs: readonly Definition[], facts: Facts): ReadField[] {
  const out = new Map<string, ReadField>();
  const sink: Sink = {
    field(hops, span) {
      const text = textOf(hops);
      if (!out.has(text)) out.set(text, { text, hops, span });
    },
  };
  for (const def of defs) walkDefinition(def, facts, sink);
  return [...out.values()];
}

/**
 * A probe telling, per record, whether a field is unknown (see the module's comment), compiled by
 * the evaluator. Undefined if the checker refuses it (never expected: the path was resolved).
 */
export function probeOf(field: ReadField, model: SchemaModel): ((record: unknown, run: RunState) => boolean) | undefined {
  const { hops, span } = field;
  const notSet: ExprNode = { kind: "isSet", negated: true, subject: { kind: "field", path: hops[hops.length - 1]!, span }, span };
  const body: ExprNode =
    hops.length === 1
      ? notSet
      : { kind: "quantifier", quantifier: "any", collection: { kind: "field", path: hops.slice(0, -1).flat(), span }, where: notSet, span };
  const doc: ExpressionDocument = { kind: "expression", version: AST_VERSION, body, comments: [] };
  const checked = checkExpression(body, model);
  if (hasErrors(checked.diagnostics)) return undefined;
  const { condition } = compileSegment(doc, field.text, model, checked);
  return condition.isTrue;
}

/** A definition's values for the record being analysed (read through the file's memo). */
export interface RecordView {
  /** A definition's value for the record. */
  value(name: string): unknown;
  /** A segment's or channel's explanation for the record; undefined for other definitions. */
  explain(name: string): Explanation | undefined;
}

/** What an explanation leaf reads: the indices of its fields (in the list given to {@link Causes}) and its references. */
interface LeafReads {
  readonly fields: readonly number[];
  readonly refs: readonly string[];
}

/**
 * The fields behind an unknown result: those read by the unknown leaves of the explanation
 * (`and`, `or`, `not` and quantifier rows are followed where they are unknown). A leaf's unknown
 * `@name` adds the causes of that segment or channel on the record (its own explanation), or every
 * field another kind of definition reads, through its references (a lifecycle without a stage, a
 * tier of an unknown value, a split's unknown key).
 *
 * What a leaf reads depends only on the leaf (its scopes are fixed by where it stands), so it is
 * worked out once per leaf, and the walk on a record allocates nothing but the explanations.
 */
export class Causes {
  private readonly leaves = new Map<AnyNode, LeafReads>();
  private readonly inner = new Map<AnyNode, readonly Hops[] | null>();
  private readonly defFields = new Map<string, readonly number[]>();
  private static readonly quiet: Sink = { field() {} };

  /**
   * @param facts - the file's facts
   * @param defs - the file's definitions by name
   * @param index - the index of every field a definition reads (its dotted path), as {@link fieldsRead} lists them
   */
  constructor(
    private readonly facts: Facts,
    private readonly defs: ReadonlyMap<string, Definition>,
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  /** Calls `mark` with the index of each field behind `e` (a field may come several times). */
  of(body: ExprNode, e: Explanation, view: RecordView, mark: (field: number) => void): void {
    this.walk(body, e, RECORD, view, mark);
  }

  private walk(node: ExprNode, e: Explanation, scopes: readonly Hops[], view: RecordView, mark: (field: number) => void): void {
    if (e.result !== null) return;
    switch (node.kind) {
      case "and":
      case "or":
        if (e.children.length !== node.operands.length) break;
        for (let i = 0; i < node.operands.length; i++) this.walk(node.operands[i]!, e.children[i]!, scopes, view, mark);
        return;
      case "not":
        if (e.children.length !== 1) break;
        this.walk(node.operand, e.children[0]!, scopes, view, mark);
        return;
      case "quantifier": {
        let inner = this.inner.get(node);
        if (inner === undefined) {
          inner = quantifierScopes(node.collection, scopes, this.facts, Causes.quiet) ?? null;
          this.inner.set(node, inner);
        }
        if (!inner) break;
        // One child per row (`events[0]`), whose one child is the condition on that row.
        for (const row of e.children) {
          if (row.result === null && row.children.length === 1) this.walk(node.where, row.children[0]!, inner, view, mark);
        }
        return;
      }
      default:
    }
    // A leaf (or a tree its explanation does not mirror): what it reads.
    const reads = this.leafReads(node, scopes);
    for (const f of reads.fields) mark(f);
    for (const name of reads.refs) {
      if (view.value(name) !== null) continue;
      const def = this.defs.get(name);
      const explained = def && (def.kind === "segment" || def.kind === "channel") ? view.explain(name) : undefined;
      if (def && (def.kind === "segment" || def.kind === "channel") && explained) this.walk(def.body, explained, RECORD, view, mark);
      else for (const f of this.fieldsOf(name)) mark(f);
    }
  }

  private leafReads(node: AnyNode, scopes: readonly Hops[]): LeafReads {
    let reads = this.leaves.get(node);
    if (!reads) {
      const fields = new Set<number>();
      const refs = new Set<string>();
      walk(node, scopes, this.facts, { field: (hops) => this.add(fields, hops), ref: (name) => refs.add(name) });
      reads = { fields: [...fields], refs: [...refs] };
      this.leaves.set(node, reads);
    }
    return reads;
  }

  /** Every field a definition reads, through its references too. */
  private fieldsOf(name: string): readonly number[] {
    const done = this.defFields.get(name);
    if (done) return done;
    this.defFields.set(name, []); // no cycles (the checker refuses them): this only guards
    const def = this.defs.get(name);
    const fields = new Set<number>();
    const refs: string[] = [];
    if (def) walkDefinition(def, this.facts, { field: (hops) => this.add(fields, hops), ref: (r) => refs.push(r) });
    for (const r of refs) for (const f of this.fieldsOf(r)) fields.add(f);
    const list = [...fields];
    this.defFields.set(name, list);
    return list;
  }

  private add(into: Set<number>, hops: Hops): void {
    const i = this.index.get(textOf(hops));
    if (i !== undefined) into.add(i);
  }
}
