/**
 * Well-typed rules over a schema: ASTs built field by field from the schema model (so that every
 * rule passes `check`), covering every operator of the language — comparisons, `between`, `in`,
 * `has`, text operators, `is set`, `is empty`, booleans alone, `within`, instants and durations on
 * dates, `before`/`after`, comparisons between fields, quantifiers, aggregates with `where` — and
 * printed with the canonical printer. Recursive through `fc.letrec`, one expression arbitrary per
 * scope (the record, the elements of each array of objects), with a depth bound; shrinking goes
 * towards single predicates.
 */
import * as fc from "fast-check";
import type {
  AggregateFn,
  CompareOp,
  DateNode,
  DurationNode,
  DurationUnit,
  ExprNode,
  FieldNode,
  LiteralNode,
  NumberNode,
  StringNode,
  ValueNode,
} from "../../ast/nodes.js";
import { AST_VERSION } from "../../ast/nodes.js";
import { printExpression } from "../../ast/printer.js";
import { WHOLE } from "../../errors/diagnostic.js";
import type { Field, FieldType, ObjectType, SchemaModel } from "../../schema/model.js";
import { readSchema } from "../../schema/index.js";
import { isZodSchema } from "../gen-type.js";
import { messages } from "../messages.js";
import { resolveNow } from "../dates.js";

/** Families of the language a rule arbitrary can leave out (for a backend that lacks one). */
export type RuleFeature =
  | "compare"
  | "fieldCompare"
  | "between"
  | "in"
  | "has"
  | "text"
  | "isSet"
  | "isEmpty"
  | "truthy"
  | "within"
  | "instant"
  | "duration"
  | "quantifier"
  | "aggregate"
  | "not"
  | "or";

/** Constraints of {@link ruleArbitrary}. */
export interface RuleConstraints {
  /** Deepest nesting of `and`/`or`/`not`, quantifiers and aggregates' `where` (default 3). */
  readonly maxDepth?: number;
  /** The instant date literals are chosen around (default: now). */
  readonly now?: Date | string | number;
  /** Families of operators to leave out. */
  readonly exclude?: readonly RuleFeature[];
  /** Most items in a `[...]` list (default 3). */
  readonly maxListLength?: number;
}

const SPAN = WHOLE;
const YEAR = 365.25 * 86_400_000;

// ---------------------------------------------------------------------------------------------
// Node builders
// ---------------------------------------------------------------------------------------------

const fieldNode = (path: readonly string[]): FieldNode => ({ kind: "field", path, span: SPAN });
const num = (value: number): NumberNode => ({ kind: "number", value, span: SPAN });
const str = (value: string): StringNode => ({ kind: "string", value, span: SPAN });
const duration = (amount: number, unit: DurationUnit): DurationNode => ({ kind: "duration", amount, unit, span: SPAN });

// ---------------------------------------------------------------------------------------------
// Literals
// ---------------------------------------------------------------------------------------------

const WORDS = ["santé", "Santé", "finance", "Orléans", "ORLEANS", "Zoho", "HubSpot", "CEO", "ß", "œuvre", "x", 'say "hi"', "back\\slash", "tab\tin"];

const textLiteral: fc.Arbitrary<string> = fc
  .oneof(fc.constantFrom(...WORDS), fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 6 }), fc.string({ unit: "grapheme", maxLength: 3 }))
  .map((s) => s.normalize("NFC"));

function numberLiteral(integer: boolean): fc.Arbitrary<number> {
  const ints = fc.oneof(fc.integer({ min: -10, max: 200 }), fc.constantFrom(0, 1, 50, 1000, 250_000), fc.integer({ min: -1_000_000, max: 10_000_000 }));
  return integer ? ints : fc.oneof(ints, fc.integer({ min: -4000, max: 400_000 }).map((k) => k / 4));
}

const UNITS: readonly DurationUnit[] = ["minute", "hour", "day", "week", "month", "year"];
const durationArb: fc.Arbitrary<DurationNode> = fc
  .tuple(fc.oneof({ arbitrary: fc.integer({ min: 1, max: 24 }), weight: 5 }, { arbitrary: fc.constantFrom(0, 30, 90, 365), weight: 1 }), fc.constantFrom(...UNITS))
  .map(([a, u]) => duration(a, u));

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function dateLiteral(now: number): fc.Arbitrary<DateNode> {
  return fc
    .tuple(fc.integer({ min: Math.round(now - 3 * YEAR), max: Math.round(now + YEAR) }), fc.constantFrom("day", "instant", "millis"))
    .map(([ms, kind]) => {
      const d = new Date(ms);
      const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      if (kind === "day") return { kind: "date", text: day, dateOnly: true, span: SPAN };
      const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
      const text = kind === "millis" ? `${day}T${time}.${pad(d.getUTCMilliseconds(), 3)}Z` : `${day}T${time}Z`;
      return { kind: "date", text, dateOnly: false, span: SPAN };
    });
}

const instantArb: fc.Arbitrary<ValueNode> = fc
  .tuple(durationArb, fc.constantFrom("ago" as const, "fromNow" as const))
  .map(([d, direction]) => ({ kind: "instant", duration: d, direction, span: SPAN }));

const COMPARE_OPS: readonly CompareOp[] = ["=", "!=", "<", "<=", ">", ">="];
const ORDER_OPS: readonly CompareOp[] = ["<", "<=", ">", ">="];
const EQ_OPS: readonly CompareOp[] = ["=", "!="];

// ---------------------------------------------------------------------------------------------
// Scopes: the record, and the elements of each array of objects (names resolve innermost first)
// ---------------------------------------------------------------------------------------------

interface Scope {
  readonly types: readonly ObjectType[];
}

interface FieldRef {
  readonly path: readonly string[];
  readonly field: Field;
}

/** Every field a scope can name (nested objects followed), innermost scope first, shadowed names left out. */
function fieldsOf(scope: Scope): FieldRef[] {
  const out: FieldRef[] = [];
  const shadowed = new Set<string>();
  for (const t of scope.types) {
    const walk = (o: ObjectType, prefix: readonly string[]) => {
      for (const f of o.fields.values()) {
        if (prefix.length === 0 && shadowed.has(f.name)) continue;
        const path = [...prefix, f.name];
        out.push({ path, field: f });
        if (f.type.kind === "object" && path.length < 4) walk(f.type, path);
      }
    };
    walk(t, []);
    for (const name of t.fields.keys()) shadowed.add(name);
  }
  return out;
}

const isObjectArray = (t: FieldType): t is FieldType & { kind: "array"; element: ObjectType } =>
  t.kind === "array" && t.element.kind === "object";

// ---------------------------------------------------------------------------------------------
// The arbitrary
// ---------------------------------------------------------------------------------------------

function modelOf(schema: unknown): SchemaModel {
  if (isZodSchema(schema)) return readSchema(schema);
  const root = (schema as { root?: { kind?: unknown; fields?: unknown } } | null)?.root;
  if (root?.kind === "object" && root.fields instanceof Map) return schema as SchemaModel;
  throw messages.badConstraint("schema", typeof schema, "a zod object schema (or a cible SchemaModel)");
}

/**
 * An arbitrary of well-typed rule ASTs (expression bodies) over a schema.
 *
 * @example
 * ```ts
 * fc.sample(ruleNodeArbitrary(Contact, { maxDepth: 2 }), 1)[0].kind; // "and", "compare", …
 * ```
 */
export function ruleNodeArbitrary(schema: unknown, constraints: RuleConstraints = {}): fc.Arbitrary<ExprNode> {
  const model = modelOf(schema);
  const maxDepth = constraints.maxDepth ?? 3;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 20) throw messages.badConstraint("maxDepth", maxDepth, "an integer from 0 to 20");
  const now = resolveNow(constraints.now);
  const off = new Set(constraints.exclude ?? []);
  const on = (f: RuleFeature) => !off.has(f);
  const maxList = constraints.maxListLength ?? 3;

  // Scope chains reachable through quantifiers and aggregates (at most three deep).
  const scopes: Scope[] = [{ types: [model.root] }];
  const children = new Map<number, { path: readonly string[]; field: Field; child: number }[]>();
  for (let i = 0; i < scopes.length; i++) {
    const list: { path: readonly string[]; field: Field; child: number }[] = [];
    if (scopes[i]!.types.length <= 3) {
      for (const ref of fieldsOf({ types: [scopes[i]!.types[0]!] })) {
        if (!isObjectArray(ref.field.type)) continue;
        scopes.push({ types: [ref.field.type.element, ...scopes[i]!.types] });
        list.push({ path: ref.path, field: ref.field, child: scopes.length - 1 });
      }
    }
    children.set(i, list);
  }

  const dateLit = dateLiteral(now);
  const depthIdentifier = fc.createDepthIdentifier();

  return fc.letrec((tie) => {
    const builders: Record<string, fc.Arbitrary<unknown>> = {};
    scopes.forEach((scope, i) => {
      const expr = () => tie(`expr${i}`) as fc.Arbitrary<ExprNode>;
      const leaves = leafArbitraries(scope);
      const leaf = leaves.length ? fc.oneof(...leaves) : fc.constant<ExprNode>({ kind: "isSet", negated: false, subject: fieldNode([scope.types[0]!.fields.keys().next().value ?? "x"]), span: SPAN });
      builders[`leaf${i}`] = leaf;
      const options: fc.Arbitrary<ExprNode>[] = [tie(`leaf${i}`) as fc.Arbitrary<ExprNode>];
      options.push(fc.array(expr(), { minLength: 2, maxLength: 3 }).map((operands): ExprNode => ({ kind: "and", operands, span: SPAN })));
      if (on("or")) options.push(fc.array(expr(), { minLength: 2, maxLength: 3 }).map((operands): ExprNode => ({ kind: "or", operands, span: SPAN })));
      if (on("not")) options.push(expr().map((operand): ExprNode => ({ kind: "not", operand, span: SPAN })));
      const kids = children.get(i) ?? [];
      if (on("quantifier") && kids.length) {
        options.push(
          fc
            .tuple(fc.constantFrom(...kids), fc.constantFrom("any" as const, "all" as const, "none" as const))
            .chain(([k, q]) =>
              (tie(`expr${k.child}`) as fc.Arbitrary<ExprNode>).map((where): ExprNode => ({ kind: "quantifier", quantifier: q, collection: fieldNode(k.path), where, span: SPAN })),
            ),
        );
      }
      if (on("aggregate") && kids.length) options.push(aggregateWhere(kids, tie));
      builders[`expr${i}`] = fc.oneof({ depthSize: "small", maxDepth, withCrossShrink: true, depthIdentifier }, ...options);
    });
    return builders;
  })[`expr0`] as fc.Arbitrary<ExprNode>;

  function aggregateWhere(
    kids: readonly { path: readonly string[]; field: Field; child: number }[],
    tie: (key: string) => fc.Arbitrary<unknown>,
  ): fc.Arbitrary<ExprNode> {
    return fc.constantFrom(...kids).chain((k) => {
      const element = (k.field.type as { element: ObjectType }).element;
      const numbers = [...element.fields.values()].filter((f) => f.type.kind === "number").map((f) => f.name);
      const fns: AggregateFn[] = numbers.length ? ["count", "sum", "avg", "min", "max"] : ["count"];
      return fc
        .tuple(fc.constantFrom(...fns), numbers.length ? fc.constantFrom(...numbers) : fc.constant(""), tie(`expr${k.child}`) as fc.Arbitrary<ExprNode>, fc.constantFrom(...COMPARE_OPS), numberLiteral(true))
        .map(([fn, x, where, op, n]): ExprNode => ({
          kind: "compare",
          op,
          left: { kind: "aggregate", fn, path: fn === "count" ? k.path : [...k.path, x], where, pathSpan: SPAN, span: SPAN },
          right: num(fn === "count" ? Math.abs(n) % 6 : n),
          span: SPAN,
        }));
    });
  }

  /** The single predicates of a scope, one arbitrary per field and operator family. */
  function leafArbitraries(scope: Scope): fc.Arbitrary<ExprNode>[] {
    const out: fc.Arbitrary<ExprNode>[] = [];
    const refs = fieldsOf(scope);
    for (const ref of refs) out.push(...fieldPredicates(ref, refs));
    // Aggregates without `where` over the scope's own arrays.
    if (on("aggregate")) {
      for (const ref of refs) {
        const t = ref.field.type;
        if (t.kind !== "array") continue;
        const fns: AggregateFn[] = t.element.kind === "number" ? ["count", "sum", "avg", "min", "max"] : ["count"];
        const elementNumbers = isObjectArray(t) ? [...t.element.fields.values()].filter((f) => f.type.kind === "number").map((f) => f.name) : [];
        const all: [AggregateFn, readonly string[]][] = fns.map((fn) => [fn, ref.path]);
        for (const x of elementNumbers) for (const fn of ["sum", "avg", "min", "max"] as const) all.push([fn, [...ref.path, x]]);
        out.push(
          fc.tuple(fc.constantFrom(...all), fc.constantFrom(...COMPARE_OPS), numberLiteral(true)).map(([[fn, path], op, n]): ExprNode => ({
            kind: "compare",
            op,
            left: { kind: "aggregate", fn, path, pathSpan: SPAN, span: SPAN },
            right: num(fn === "count" ? Math.abs(n) % 6 : n),
            span: SPAN,
          })),
        );
      }
    }
    return out;
  }

  function fieldPredicates(ref: FieldRef, refs: readonly FieldRef[]): fc.Arbitrary<ExprNode>[] {
    const f = fieldNode(ref.path);
    const t = ref.field.type;
    const out: fc.Arbitrary<ExprNode>[] = [];
    const compare = (ops: readonly CompareOp[], right: fc.Arbitrary<ValueNode>, alias = false) =>
      fc.tuple(fc.constantFrom(...ops), right).map(([op, r]): ExprNode => {
        const node: ExprNode = { kind: "compare", op, left: f, right: r, span: SPAN };
        return alias && (op === "<" || op === ">") ? { ...node, alias: op === "<" ? "before" : "after" } : node;
      });
    const list = (item: fc.Arbitrary<LiteralNode>) =>
      fc.array(item, { minLength: 1, maxLength: maxList }).map((items) => ({ kind: "list" as const, items, span: SPAN }));
    const isSet = fc.boolean().map((negated): ExprNode => ({ kind: "isSet", negated, subject: f, span: SPAN }));
    const isEmpty = fc.boolean().map((negated): ExprNode => ({ kind: "isEmpty", negated, subject: f, span: SPAN }));
    if (on("isSet") && !isObjectArray(t)) out.push(isSet);
    // Another field of the same type, for field-against-field comparisons.
    const partners = refs.filter((r) => r !== ref && sameKind(r.field.type, t)).map((r) => fieldNode(r.path));
    const partner = on("fieldCompare") && partners.length ? fc.constantFrom(...partners) : undefined;

    switch (t.kind) {
      case "number": {
        const lit = numberLiteral(t.integer).map(num);
        if (on("compare")) out.push(compare(COMPARE_OPS, lit));
        if (partner) out.push(compare(COMPARE_OPS, partner));
        if (on("between")) {
          out.push(
            fc.tuple(lit, lit, fc.boolean()).map(([a, b, negated]): ExprNode => {
              const [low, high] = a.value <= b.value ? [a, b] : [b, a];
              return { kind: "between", negated, subject: f, low, high, span: SPAN };
            }),
          );
        }
        if (on("in")) out.push(fc.tuple(list(lit), fc.boolean()).map(([l, negated]): ExprNode => ({ kind: "in", negated, subject: f, list: l, span: SPAN })));
        break;
      }
      case "string": {
        const lit = textLiteral.map(str);
        if (on("compare")) out.push(compare(EQ_OPS, lit));
        if (partner) out.push(compare(EQ_OPS, partner));
        if (on("in")) out.push(fc.tuple(list(lit), fc.boolean()).map(([l, negated]): ExprNode => ({ kind: "in", negated, subject: f, list: l, span: SPAN })));
        if (on("text")) {
          out.push(
            fc
              .tuple(fc.constantFrom("contains" as const, "startsWith" as const, "endsWith" as const, "foldEquals" as const), fc.boolean(), lit)
              .map(([op, negated, value]): ExprNode => ({ kind: "text", op, negated, subject: f, value, span: SPAN })),
          );
        }
        if (on("isEmpty")) out.push(isEmpty);
        break;
      }
      case "boolean": {
        if (on("truthy")) out.push(fc.constant<ExprNode>({ kind: "truthy", subject: f, span: SPAN }));
        if (on("compare")) out.push(compare(EQ_OPS, fc.boolean().map((value) => ({ kind: "boolean" as const, value, span: SPAN }))));
        if (partner) out.push(compare(EQ_OPS, partner));
        break;
      }
      case "enum": {
        if (t.values.length === 0) break;
        const lit = fc.constantFrom(...t.values).map(str);
        if (on("compare")) out.push(compare(t.ordered ? COMPARE_OPS : EQ_OPS, lit));
        if (partner) out.push(compare(t.ordered ? COMPARE_OPS : EQ_OPS, partner));
        if (on("in")) out.push(fc.tuple(list(lit), fc.boolean()).map(([l, negated]): ExprNode => ({ kind: "in", negated, subject: f, list: l, span: SPAN })));
        break;
      }
      case "date": {
        if (on("compare")) out.push(compare(COMPARE_OPS, dateLit, true));
        if (on("compare") && on("duration")) out.push(compare(ORDER_OPS, durationArb));
        if (on("compare") && on("instant")) out.push(compare(COMPARE_OPS, instantArb, true));
        if (partner) out.push(compare(COMPARE_OPS, partner, true));
        if (on("between")) {
          const bounds: fc.Arbitrary<[ValueNode, ValueNode]>[] = [fc.tuple(dateLit, dateLit).map(([a, b]) => (a.text <= b.text ? [a, b] : [b, a]))];
          if (on("duration")) bounds.push(fc.tuple(durationArb, durationArb));
          if (on("instant")) bounds.push(fc.tuple(instantArb, instantArb));
          out.push(
            fc.tuple(fc.oneof(...bounds), fc.boolean()).map(([[low, high], negated]): ExprNode => ({ kind: "between", negated, subject: f, low, high, span: SPAN })),
          );
        }
        if (on("within")) {
          out.push(
            fc.tuple(fc.constantFrom("last" as const, "next" as const), durationArb).map(([direction, d]): ExprNode => ({ kind: "within", direction, subject: f, duration: d, span: SPAN })),
          );
        }
        break;
      }
      case "array": {
        const el = t.element;
        if (el.kind === "object") break; // quantifiers and aggregates, above
        if (on("isEmpty")) out.push(isEmpty);
        if (!on("has")) break;
        let item: fc.Arbitrary<LiteralNode> | undefined;
        if (el.kind === "string") item = textLiteral.map(str);
        else if (el.kind === "number") item = numberLiteral(el.integer).map(num);
        else if (el.kind === "enum" && el.values.length) item = fc.constantFrom(...el.values).map(str);
        if (!item) break;
        out.push(item.map((value): ExprNode => ({ kind: "has", mode: "one", subject: f, value, span: SPAN })));
        out.push(
          fc.tuple(fc.constantFrom("any" as const, "all" as const, "none" as const), list(item)).map(([mode, value]): ExprNode => ({ kind: "has", mode, subject: f, value, span: SPAN })),
        );
        break;
      }
      case "object":
        break;
    }
    return out;
  }
}

function sameKind(a: FieldType, b: FieldType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "enum" && b.kind === "enum") return a.values.length === b.values.length && a.values.every((v, i) => v === b.values[i]) && a.ordered === b.ordered;
  return a.kind === "number" || a.kind === "date" || a.kind === "string" || a.kind === "boolean" || a.kind === "enum";
}

/**
 * An arbitrary of well-typed rule sources over a schema: every generated rule passes `check`
 * (no parameters, no `@` references), every operator of the language appears, nesting is
 * bounded by `maxDepth`, and failing rules shrink towards single predicates. The text is the
 * canonical form (`format(rule) === rule`).
 *
 * @param schema - the zod object schema of the records (or a cible `SchemaModel`)
 * @param constraints - `maxDepth` (default 3), `now` for date literals, `exclude` operator families
 *
 * @example
 * ```ts
 * fc.assert(fc.property(ruleArbitrary(Contact), recordArbitrary(Contact), (rule, r) => {
 *   const seg = compile(rule, Contact);
 *   expect(seg.filter([r]).length).toBe(seg.test(r) ? 1 : 0);
 * }), { numRuns: 50 });
 * ```
 */
export function ruleArbitrary(schema: unknown, constraints: RuleConstraints = {}): fc.Arbitrary<string> {
  return ruleNodeArbitrary(schema, constraints).map((body) => printExpression({ kind: "expression", version: AST_VERSION, body, comments: [] }));
}
