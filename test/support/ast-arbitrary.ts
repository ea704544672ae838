/**
 * fast-check arbitraries of well-formed ASTs (src/ast/nodes.ts), built directly (not from text),
 * restricted to what the grammar can express and the printer can print back:
 * `and`/`or` chains of two or more operands (a chain directly inside a chain of the same operator
 * is fine: the printer parenthesises it), NFC names and strings, finite numbers, valid dates,
 * whole non-negative durations, values only where the grammar puts them.
 *
 * Spans are the zero span at 1:1 (what `validateExpressionDocument` fills in), and documents carry
 * no comments (comment placement is tested on source text).
 */
import fc from "fast-check";
import { HARD_KEYWORDS, SOFT_KEYWORDS } from "../../src/ast/keywords.js";
import {
  AST_VERSION,
  type AggregateNode,
  type CompareOp,
  type DateNode,
  type DurationNode,
  type DurationUnit,
  type ExprNode,
  type ExpressionDocument,
  type FieldNode,
  type InstantNode,
  type Definition,
  type ListNode,
  type LiteralNode,
  type NumberNode,
  type ParamNode,
  type QuantileTierLine,
  type RulesDocument,
  type ScoreRule,
  type StageLine,
  type ThresholdTierLine,
  type RefNode,
  type ValueNode,
} from "../../src/ast/nodes.js";
import type { Span } from "../../src/errors/diagnostic.js";

/** Constraints of {@link exprArbitrary}. */
export interface AstArbitraryConstraints {
  /** Deepest nesting of recursive constructs (chains, `not`, quantifiers, aggregates). Default 4. */
  readonly maxDepth?: number;
  /** Most operands of a chain and items of a list. Default 4. */
  readonly maxItems?: number;
  /** Names that are not identifiers or are hard keywords (printed in backquotes). Default true. */
  readonly oddNames?: boolean;
  /** Keeps only the names (fields, paths, refs, definitions, stages, tiers) this accepts. */
  readonly nameFilter?: (name: string) => boolean;
}

const Z: Span = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

const PLAIN_NAMES = ["sector", "employees", "lastPurchase", "tech", "amount", "purchases", "secteur", "chiffreAffaires", "effectif_2024", "_x", "Été", "ville", "ΑΒΓ", "名前"];
const ODD_NAMES = ["chiffre d'affaires", "a.b", "back`tick", "back\\slash", "2024", "with space", "é", "-x", "\"q\"", "#hash", "x`", " padded "];

/** Field, param and ref names: identifiers, soft keywords (bare), hard keywords and non-identifiers (backquoted). */
export function nameArbitrary(oddNames = true, filter?: (name: string) => boolean): fc.Arbitrary<string> {
  const arbs: fc.Arbitrary<string>[] = [
    fc.constantFrom(...PLAIN_NAMES),
    fc.constantFrom(...SOFT_KEYWORDS),
    fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/),
  ];
  if (oddNames) {
    arbs.push(fc.constantFrom(...HARD_KEYWORDS), fc.constantFrom(...ODD_NAMES));
    arbs.push(
      fc
        .string({ unit: "grapheme", minLength: 1, maxLength: 6 })
        .map((s) => s.normalize("NFC"))
        .filter((s) => s.trim() !== "" && !/[\r\n\u2028\u2029]/.test(s)),
    );
  }
  const names = fc.oneof(...arbs);
  return filter ? names.filter(filter) : names;
}

/** `$param` names: identifiers, keywords included (the `$` tells them apart). */
export const identifierArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PLAIN_NAMES),
  fc.constantFrom(...SOFT_KEYWORDS),
  fc.constantFrom(...HARD_KEYWORDS),
  fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/),
);

/** Strings: NFC, any code point (control characters, quotes and backslashes included). */
export const stringValueArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.string({ unit: "binary-ascii", maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.constantFrom("santé", "sante\u0301", 'a "b" \\ c', "\n\t\u0000\u001f\u007f\u2028", ""),
).map((s) => s.normalize("NFC"));

/** Finite numbers, including ones JavaScript writes in exponent notation; never -0. */
export const numberValueArbitrary: fc.Arbitrary<number> = fc
  .oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }),
    fc.constantFrom(1e21, 1.5e-7, 250_000, 2.5e6, -3.5, 0.1, 123456789012345680000, Number.MAX_SAFE_INTEGER, 5e-324, 1.7976931348623157e308),
  )
  .filter((n) => Number.isFinite(n) && !Object.is(n, -0));

const UNITS: DurationUnit[] = ["minute", "hour", "day", "week", "month", "year"];

const dateText: fc.Arbitrary<{ text: string; dateOnly: boolean }> = fc
  .tuple(
    fc.date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
    fc.constantFrom("date", "Z", "ms", "offset", "minutes"),
  )
  .map(([d, form]) => {
    const iso = d.toISOString();
    switch (form) {
      case "date":
        return { text: iso.slice(0, 10), dateOnly: true };
      case "Z":
        return { text: `${iso.slice(0, 19)}Z`, dateOnly: false };
      case "ms":
        return { text: iso, dateOnly: false };
      case "offset":
        return { text: `${iso.slice(0, 19)}+02:00`, dateOnly: false };
      default:
        return { text: iso.slice(0, 16), dateOnly: false };
    }
  });

export const fieldArbitrary = (oddNames = true, filter?: (name: string) => boolean): fc.Arbitrary<FieldNode> =>
  fc.array(nameArbitrary(oddNames, filter), { minLength: 1, maxLength: 3 }).map((path) => ({ kind: "field", path, span: Z }));

export const durationArbitrary: fc.Arbitrary<DurationNode> = fc
  .tuple(fc.nat({ max: 1000 }), fc.constantFrom(...UNITS))
  .map(([amount, unit]) => ({ kind: "duration", amount, unit, span: Z }));

export const instantArbitrary: fc.Arbitrary<InstantNode> = fc
  .tuple(durationArbitrary, fc.constantFrom("ago" as const, "fromNow" as const))
  .map(([duration, direction]) => ({ kind: "instant", duration, direction, span: Z }));

export const literalArbitrary: fc.Arbitrary<LiteralNode> = fc.oneof(
  stringValueArbitrary.map((value) => ({ kind: "string" as const, value, span: Z })),
  numberValueArbitrary.map((value) => ({ kind: "number" as const, value, span: Z })),
  fc.boolean().map((value) => ({ kind: "boolean" as const, value, span: Z })),
  dateText.map(({ text, dateOnly }): DateNode => ({ kind: "date", text, dateOnly, span: Z })),
);

/**
 * Random well-formed expressions with a depth bound (fc.letrec). Compare: a field, `@ref` or
 * aggregate on the left; a literal, `$param`, field, duration or instant on the right.
 */
export function exprArbitrary(constraints: AstArbitraryConstraints = {}): fc.Arbitrary<ExprNode> {
  const maxDepth = constraints.maxDepth ?? 4;
  const maxItems = constraints.maxItems ?? 4;
  const odd = constraints.oddNames ?? true;
  const filter = constraints.nameFilter;
  const fieldArb = fieldArbitrary(odd, filter);
  const paramArb: fc.Arbitrary<ParamNode> = identifierArbitrary.map((name) => ({ kind: "param", name, span: Z }));
  const refArb: fc.Arbitrary<RefNode> = nameArbitrary(odd, filter).map((name) => ({ kind: "ref", name, span: Z }));
  const listArb: fc.Arbitrary<ListNode> = fc
    .array(literalArbitrary, { maxLength: maxItems })
    .map((items) => ({ kind: "list", items, span: Z }));
  const listOrParam = fc.oneof(listArb, paramArb);
  const stringArb = stringValueArbitrary.map((value) => ({ kind: "string" as const, value, span: Z }));
  const depth = { depthSize: "small" as const, maxDepth, depthIdentifier: "cible-expr" };

  const { expr } = fc.letrec<{ expr: ExprNode; aggregate: AggregateNode; subject: ValueNode }>((tie) => {
    const exprT = tie("expr");
    const operands = fc.array(exprT, { minLength: 2, maxLength: maxItems });
    const right: fc.Arbitrary<ValueNode> = fc.oneof(literalArbitrary, paramArb, fieldArb, durationArbitrary, instantArbitrary);
    const bound: fc.Arbitrary<ValueNode> = fc.oneof(literalArbitrary, paramArb, durationArbitrary, instantArbitrary);
    const leaf: fc.Arbitrary<ExprNode> = fc.oneof(
      fc
        .tuple(tie("subject"), fc.constantFrom<CompareOp>("=", "!=", "<", "<=", ">", ">="), right, fc.boolean())
        .map(([left, op, r, useAlias]) =>
          useAlias && (op === "<" || op === ">") && r.kind !== "duration"
            ? { kind: "compare" as const, op, left, right: r, alias: op === "<" ? ("before" as const) : ("after" as const), span: Z }
            : { kind: "compare" as const, op, left, right: r, span: Z },
        ),
      fc.tuple(fc.boolean(), tie("subject"), bound, bound).map(([negated, subject, low, high]) => ({ kind: "between" as const, negated, subject, low, high, span: Z })),
      fc.tuple(fc.boolean(), fieldArb, listOrParam).map(([negated, subject, l]) => ({ kind: "in" as const, negated, subject, list: l, span: Z })),
      fc.tuple(fieldArb, fc.oneof(literalArbitrary, paramArb)).map(([subject, value]) => ({ kind: "has" as const, mode: "one" as const, subject, value, span: Z })),
      fc
        .tuple(fc.constantFrom("any" as const, "all" as const, "none" as const), fieldArb, listOrParam)
        .map(([mode, subject, value]) => ({ kind: "has" as const, mode, subject, value, span: Z })),
      fc
        .tuple(fc.constantFrom("contains" as const, "startsWith" as const, "endsWith" as const, "foldEquals" as const), fc.boolean(), fieldArb, fc.oneof(stringArb, paramArb))
        .map(([op, negated, subject, value]) => ({ kind: "text" as const, op, negated, subject, value, span: Z })),
      fc.tuple(fc.boolean(), fieldArb).map(([negated, subject]) => ({ kind: "isSet" as const, negated, subject, span: Z })),
      fc.tuple(fc.boolean(), fieldArb).map(([negated, subject]) => ({ kind: "isEmpty" as const, negated, subject, span: Z })),
      fc.oneof(fieldArb, refArb, paramArb).map((subject) => ({ kind: "truthy" as const, subject, span: Z })),
      fc
        .tuple(fc.constantFrom("last" as const, "next" as const), fieldArb, durationArbitrary)
        .map(([direction, subject, duration]) => ({ kind: "within" as const, direction, subject, duration, span: Z })),
    );
    return {
      expr: fc.oneof(
        depth,
        leaf,
        operands.map((o) => ({ kind: "and" as const, operands: o, span: Z })),
        operands.map((o) => ({ kind: "or" as const, operands: o, span: Z })),
        exprT.map((operand) => ({ kind: "not" as const, operand, span: Z })),
        fc
          .tuple(fc.constantFrom("any" as const, "all" as const, "none" as const), fieldArb, exprT)
          .map(([quantifier, collection, where]) => ({ kind: "quantifier" as const, quantifier, collection, where, span: Z })),
      ),
      aggregate: fc
        .tuple(fc.constantFrom("count" as const, "sum" as const, "avg" as const, "min" as const, "max" as const), fc.array(nameArbitrary(odd, filter), { minLength: 1, maxLength: 2 }), fc.option(exprT, { nil: undefined }))
        .map(([fn, path, where]): AggregateNode =>
          where ? { kind: "aggregate", fn, path, where, pathSpan: Z, span: Z } : { kind: "aggregate", fn, path, pathSpan: Z, span: Z },
        ),
      subject: fc.oneof(depth, fieldArb, refArb, tie("aggregate")),
    };
  });
  return expr;
}

/** Expression documents (no comments) around {@link exprArbitrary}. */
export function expressionDocumentArbitrary(constraints: AstArbitraryConstraints = {}): fc.Arbitrary<ExpressionDocument> {
  return exprArbitrary(constraints).map((body) => ({ kind: "expression", version: AST_VERSION, body, comments: [] }));
}

// ---------------------------------------------------------------------------------------------
// Rules files
// ---------------------------------------------------------------------------------------------

const signedInt = fc.integer({ min: -100, max: 100 });
const percent = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(12.5, 0.5, 33.3));

/** Random rules documents (no comments): every definition kind, with the shapes the grammar allows. */
export function rulesDocumentArbitrary(constraints: AstArbitraryConstraints = {}): fc.Arbitrary<RulesDocument> {
  const odd = constraints.oddNames ?? true;
  const expr = exprArbitrary({ maxDepth: 2, maxItems: 3, ...constraints });
  const name = nameArbitrary(odd, constraints.nameFilter);
  const fieldArb = fieldArbitrary(odd, constraints.nameFilter);
  const paramArb: fc.Arbitrary<ParamNode> = identifierArbitrary.map((n) => ({ kind: "param", name: n, span: Z }));
  const num = numberValueArbitrary.map((value): NumberNode => ({ kind: "number", value, span: Z }));
  const aggregate: fc.Arbitrary<AggregateNode> = fc
    .tuple(fc.constantFrom("count" as const, "sum" as const, "avg" as const), fc.array(name, { minLength: 1, maxLength: 2 }), fc.option(expr, { nil: undefined }))
    .map(([fn, path, where]) => (where ? { kind: "aggregate", fn, path, where, pathSpan: Z, span: Z } : { kind: "aggregate", fn, path, pathSpan: Z, span: Z }));
  const numeric: fc.Arbitrary<ValueNode> = fc.oneof(fieldArb, aggregate);

  const rule: fc.Arbitrary<ScoreRule> = fc.oneof(
    fc.tuple(signedInt, expr).map(([points, condition]): ScoreRule => ({ kind: "if", points, condition, span: Z })),
    fc
      .tuple(signedInt, numeric, fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }))
      .map(([points, value, max]): ScoreRule => (max === undefined ? { kind: "per", points, value, span: Z } : { kind: "per", points, value, max, span: Z })),
    fc
      .tuple(signedInt, fieldArb, fc.option(expr, { nil: undefined }), percent, durationArbitrary, fieldArb)
      .map(([points, collection, where, pct, every, by]): ScoreRule =>
        where
          ? { kind: "decay", points, collection, where, percent: pct, every, by, span: Z }
          : { kind: "decay", points, collection, percent: pct, every, by, span: Z },
      ),
  );

  const segment = fc.tuple(name, expr).map(([n, body]): Definition => ({ kind: "segment", name: n, nameSpan: Z, body, span: Z }));
  const score = fc
    .tuple(name, fc.array(rule, { minLength: 1, maxLength: 4 }), fc.option(fc.tuple(fc.integer({ min: -50, max: 0 }), fc.integer({ min: 1, max: 200 })), { nil: undefined }))
    .map(([n, rules, clamp]): Definition =>
      clamp
        ? { kind: "score", name: n, nameSpan: Z, rules, clamp: { min: clamp[0], max: clamp[1], span: Z }, span: Z }
        : { kind: "score", name: n, nameSpan: Z, rules, span: Z },
    );
  const lifecycle = fc
    .tuple(name, fc.boolean(), fc.array(fc.tuple(name, expr), { minLength: 1, maxLength: 4 }))
    .map(([n, bareFirst, stages]): Definition => ({
      kind: "lifecycle",
      name: n,
      nameSpan: Z,
      stages: stages.map(([s, condition], i): StageLine => (i === 0 && bareFirst ? { name: s, span: Z } : { name: s, condition, span: Z })),
      span: Z,
    }));
  const thresholdLine: fc.Arbitrary<ThresholdTierLine> = fc.oneof(
    fc
      .tuple(name, fc.constantFrom<CompareOp>("=", "!=", "<", "<=", ">", ">="), fc.oneof(num, paramArb, stringValueArbitrary.map((value) => ({ kind: "string" as const, value, span: Z }))))
      .map(([n, op, value]) => ({ name: n, test: { op, value }, span: Z })),
    fc.tuple(name, fc.oneof(num, paramArb), fc.oneof(num, paramArb)).map(([n, low, high]) => ({ name: n, test: { op: "between" as const, low, high }, span: Z })),
  );
  const thresholds = fc
    .tuple(name, numeric, fc.array(thresholdLine, { minLength: 1, maxLength: 3 }), fc.option(name, { nil: undefined }))
    .map(([n, by, lines, otherwise]): Definition => ({
      kind: "tiers",
      name: n,
      nameSpan: Z,
      by,
      method: "thresholds",
      lines: otherwise === undefined ? lines : [...lines, { name: otherwise, span: Z }],
      span: Z,
    }));
  const quantiles = fc
    .tuple(name, numeric, fc.array(fc.tuple(name, percent), { minLength: 1, maxLength: 3 }), fc.option(name, { nil: undefined }))
    .map(([n, by, lines, otherwise]): Definition => ({
      kind: "tiers",
      name: n,
      nameSpan: Z,
      by,
      method: "quantiles",
      lines: [...lines.map(([l, p]): QuantileTierLine => ({ name: l, percent: p, span: Z })), ...(otherwise === undefined ? [] : [{ name: otherwise, span: Z }])],
      span: Z,
    }));
  const rfm = fc
    .tuple(name, fieldArb, numeric, numeric)
    .map(([n, recency, frequency, monetary]): Definition => ({ kind: "rfm", name: n, nameSpan: Z, recency, frequency, monetary, span: Z }));

  const channel = fc.tuple(name, expr).map(([n, body]): Definition => ({ kind: "channel", name: n, nameSpan: Z, body, span: Z }));
  const split = fc
    .tuple(name, fieldArb, fc.option(stringValueArbitrary, { nil: undefined }), fc.array(fc.tuple(name, percent), { minLength: 1, maxLength: 3 }))
    .map(([n, key, seed, arms]): Definition => ({
      kind: "split",
      name: n,
      nameSpan: Z,
      key,
      ...(seed === undefined ? {} : { seed }),
      arms: arms.map(([a, p]) => ({ name: a, percent: p, span: Z })),
      span: Z,
    }));

  return fc
    .array(fc.oneof(segment, score, lifecycle, thresholds, quantiles, rfm, channel, split), { maxLength: 4 })
    .map((definitions): RulesDocument => ({ kind: "rules", version: AST_VERSION, definitions, comments: [] }));
}
