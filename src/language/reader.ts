/**
 * Reading the token scan around a position when there is no checked tree to read (the text does
 * not parse, as it seldom does while being typed): which `where` scopes enclose a token, what the
 * operand ending at a token is, and its type. Names are resolved with the schema's own resolvers
 * (`resolveField`, `splitAggregatePath`), the ones the checker uses, and types are the checker's
 * (`typeOfField`), so that this view and the checked one agree.
 * @internal
 */
import type { IToken } from "chevrotain";
import { type CheckedType, type ValueFact, typeOfField } from "../check/facts.js";
import { peek, valueNodeAt } from "./analysis.js";
import type { Field, ObjectType } from "../schema/model.js";
import { splitAggregatePath } from "../schema/aggregate.js";
import { resolveField } from "../schema/resolve.js";
import { nfc } from "../text/unicode.js";
import type { ServiceContext } from "./context.js";
import { type Scan, T, endOf, is } from "./scan.js";
import { nameOf, symbols } from "./symbols.js";

/** A dotted path of names ending at a token: `hq.city`. */
export interface PathAt {
  /** Index of its first token. */
  readonly start: number;
  /** Index of its last token. */
  readonly end: number;
  readonly names: readonly string[];
}

/** The dotted path whose last name is token `k`, if token `k` is a name. */
export function pathEndingAt(s: Scan, k: number): PathAt | undefined {
  const t = s.tokens[k];
  if (!t || !is(t, T.Name)) return undefined;
  const names = [nameOf(t.payload, t.image)];
  let start = k;
  while (start >= 2 && s.tokens[start - 1]!.tokenType === T.Dot && is(s.tokens[start - 2], T.Name)) {
    start -= 2;
    const n = s.tokens[start]!;
    names.unshift(nameOf(n.payload, n.image));
  }
  return { start, end: k, names };
}

/** The dotted path whose first name is token `k`. */
export function pathStartingAt(s: Scan, k: number): PathAt | undefined {
  let end = k;
  if (!is(s.tokens[k], T.Name)) return undefined;
  while (s.tokens[end + 1]?.tokenType === T.Dot && is(s.tokens[end + 2], T.Name)) end += 2;
  return pathEndingAt(s, end);
}

/** Index of the `per` of the decaying score rule whose `by` is token `by`, or -1. */
export function decayPer(s: Scan, by: number): number {
  let decaying = -1;
  for (let j = by - 1; j >= 0 && j >= by - 12; j--) {
    if (s.tokens[j]!.tokenType === T.Decaying) {
      decaying = j;
      break;
    }
  }
  if (decaying < 0) return -1;
  for (let j = decaying - 1; j >= 0 && j >= decaying - 200; j--) {
    const type = s.tokens[j]!.tokenType;
    if (type === T.Per) return j;
    if (type === T.LineBreak || type === T.DefStart || type === T.If) return -1;
  }
  return -1;
}

/** Index of the `(` or `[` matching the `)` or `]` at `k`, or -1. */
export function openerOf(s: Scan, k: number): number {
  const close = s.tokens[k]!.tokenType;
  const open = close === T.RParen ? T.LParen : T.LBracket;
  let depth = 0;
  for (let j = k; j >= 0; j--) {
    const type = s.tokens[j]!.tokenType;
    if (type === close) depth++;
    else if (type === open && --depth === 0) return j;
  }
  return -1;
}

/** Index of the innermost `(` or `[` still open just before token index `k` (within `floor..k`), or -1. */
export function enclosingOpener(s: Scan, k: number, floor = 0): number {
  let parens = 0;
  let brackets = 0;
  for (let j = k - 1; j >= floor; j--) {
    const type = s.tokens[j]!.tokenType;
    if (type === T.RParen) parens++;
    else if (type === T.RBracket) brackets++;
    else if (type === T.LParen) {
      if (parens === 0) return j;
      parens--;
    } else if (type === T.LBracket) {
      if (brackets === 0) return j;
      brackets--;
    }
  }
  return -1;
}

/**
 * The object scopes a name standing at token index `k` is looked up in, innermost first: the
 * element of every enclosing `… P where (` or `count(P where …`, then the record.
 */
export function scopesAt(ctx: ServiceContext, s: Scan, k: number, floor = 0): ObjectType[] {
  const outer = (j: number): ObjectType[] => scopesAt(ctx, s, j, floor);
  // `+N per P where (…) decaying H% every D by F`: F is a field of P's element.
  if (s.tokens[k - 1]?.tokenType === T.By) {
    const per = decayPer(s, k - 1);
    if (per >= 0) {
      const path = pathStartingAt(s, per + 1);
      if (path) return [...elementScopes(outer(per + 1), path.names), ...outer(per + 1)];
    }
  }
  const open = enclosingOpener(s, k, floor);
  if (open < 0) return [ctx.model.root];
  const before = s.tokens[open - 1];
  if (before?.tokenType === T.Where) {
    // `any P where (…`, `+N per P where (…`
    const path = pathEndingAt(s, open - 2);
    if (path) return [...elementScopes(outer(path.start), path.names), ...outer(path.start)];
  } else if (is(before, T.AggFn)) {
    // `count(P where …`: the element is in scope after `where`
    let where = -1;
    let depth = 0;
    for (let j = open + 1; j < k; j++) {
      const type = s.tokens[j]!.tokenType;
      if (type === T.LParen) depth++;
      else if (type === T.RParen) depth--;
      else if (type === T.Where && depth === 0) where = j;
    }
    const path = where > 0 ? pathEndingAt(s, where - 1) : undefined;
    if (path && path.start === open + 1) return [...elementScopes(outer(open), path.names), ...outer(open)];
  }
  return outer(open);
}

/** The element scopes a path through arrays of objects opens, innermost first (none when it is not such a path). */
export function elementScopes(scopes: readonly ObjectType[], names: readonly string[]): ObjectType[] {
  const split = splitAggregatePath(scopes, names);
  if (!split.ok) return [];
  // As the checker's `rowScopes`: the last array's element first, then each enclosing one.
  const out: ObjectType[] = [];
  const first = split.collection.field.type;
  for (const t of [first, ...split.nested.map((n) => n.array)]) if (t.kind === "array" && t.element.kind === "object") out.unshift(t.element);
  return out;
}

/** What an operand is, for completion and hover. */
export interface Operand {
  readonly type?: CheckedType;
  readonly nullable: boolean;
  /** The field it names, when it is a field path. */
  readonly field?: Field;
  /** Its first token's index. */
  readonly start: number;
}

/**
 * What the checker resolved for the value spanning tokens `first..last`, when the text was
 * checked (the analysis is kept): the facts come first, the scan's reading only where there are none.
 */
export function checkedFact(ctx: ServiceContext, s: Scan, first: number, last: number): ValueFact | undefined {
  const a = peek(s.src.text, ctx.rules, ctx.model);
  if (!a?.doc) return undefined;
  const node = valueNodeAt(a, s.tokens[first]!.startOffset, endOf(s.tokens[last]!));
  return node ? a.facts.value(node) : undefined;
}

/** The operand whose last token is `k`: a field path, an aggregate's `)`, a `@reference` or a `$param`. */
export function operandEndingAt(ctx: ServiceContext, s: Scan, k: number): Operand | undefined {
  const read = readOperand(ctx, s, k);
  if (!read) return undefined;
  const fact = checkedFact(ctx, s, read.start, k);
  if (!fact) return read;
  const field = fact.field?.steps[fact.field.steps.length - 1];
  return { type: fact.type, nullable: fact.nullable, start: read.start, ...(field ? { field } : {}) };
}

function readOperand(ctx: ServiceContext, s: Scan, k: number): Operand | undefined {
  const t = s.tokens[k];
  if (!t) return undefined;
  if (t.tokenType === T.RefTok) {
    const type = refType(s, nameOf(t.payload, t.image.slice(1)));
    return { ...(type ? { type } : {}), nullable: true, start: k };
  }
  if (t.tokenType === T.ParamTok) return { nullable: false, start: k };
  if (t.tokenType === T.RParen) {
    const open = openerOf(s, k);
    const fn = s.tokens[open - 1];
    if (open < 1 || !is(fn, T.AggFn)) return undefined;
    const path = pathEndingAt(s, firstWhereOrEnd(s, open, k) - 1);
    let type: CheckedType = { kind: "number" };
    if (path && (fn!.tokenType === T.Min || fn!.tokenType === T.Max)) {
      const split = splitAggregatePath(scopesAt(ctx, s, open), path.names);
      if (split.ok && split.element?.ok && split.element.field.type.kind === "date") type = { kind: "date" };
    }
    return { type, nullable: fn!.tokenType !== T.Count && fn!.tokenType !== T.Sum, start: open - 1 };
  }
  const path = pathEndingAt(s, k);
  if (!path) return undefined;
  const r = resolveField(scopesAt(ctx, s, path.start), path.names);
  if (!r.ok) return { nullable: true, start: path.start };
  return { type: typeOfField(r.field.type), nullable: r.nullable, field: r.field, start: path.start };
}

function firstWhereOrEnd(s: Scan, open: number, close: number): number {
  for (let j = open + 1; j < close; j++) if (s.tokens[j]!.tokenType === T.Where) return j;
  return close;
}

/** The type of `@name` in a rules file, from its definition's header and lines (as the rules checker gives it). */
export function refType(s: Scan, name: string): CheckedType | undefined {
  const sym = symbols(s).find((d) => d.name === name);
  if (!sym) return undefined;
  const def = s.definitions.find((d) => s.tokens[d.first + 1]?.startOffset === sym.nameSpan.start.offset);
  switch (sym.kind) {
    case "segment":
    case "channel":
      return { kind: "segment" };
    case "score":
      return { kind: "number" };
    case "lifecycle":
    case "tiers":
    case "split": {
      const names = (def?.lines ?? []).map((i) => s.tokens[i]!).filter((t) => is(t, T.Name)).map((t: IToken) => nameOf(t.payload, t.image));
      return { kind: "enum", values: names.map(nfc), ordered: sym.kind === "lifecycle", origin: sym.kind };
    }
    default:
      return undefined;
  }
}
