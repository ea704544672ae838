/**
 * Completion: what may be typed at the cursor, read from the token scan (the text being typed
 * seldom parses). The token before the word under the cursor decides the context — the start of
 * a condition, after an operand, after an operator, after a number, a rules-file line start —
 * and the schema, through the checker's resolvers (reader.ts), gives the fields, their types and
 * their values. Items are plain text: `insertText ?? label` replaces `from..to`.
 * @internal
 */
import type { IToken } from "chevrotain";
import { printName, printSigilName, quoteString } from "../ast/text.js";
import type { CheckedType } from "../check/facts.js";
import { describeType, type Field, type FieldType, type ObjectType } from "../schema/model.js";
import { resolveField } from "../schema/resolve.js";
import { fold } from "../text/unicode.js";
import type { ServiceContext } from "./context.js";
import { AGG, OPERATORS, type OperatorInfo, operatorsFor, QUANT } from "./operators.js";
import { elementScopes, enclosingOpener, operandEndingAt, type Operand, pathEndingAt, scopesAt } from "./reader.js";
import { type Scan, type ScannedDefinition, T, endOf, is, scan, tokenBefore } from "./scan.js";
import { symbols } from "./symbols.js";
import type { CompletionItem, CompletionList } from "./types.js";

/** The word being typed and what precedes it. */
interface Cursor {
  readonly s: Scan;
  readonly ctx: ServiceContext;
  /** The replaced range. */
  readonly from: number;
  readonly to: number;
  /** What is typed of the word so far, folded (case and accents), without a leading quote. */
  readonly prefix: string;
  /** Index of the last token before `from`, or -1. */
  readonly prev: number;
  /** The token being typed, if any. */
  readonly typing?: IToken;
  readonly offset: number;
}

/** Completions at `offset` of `text`. */
export function complete(ctx: ServiceContext, text: string, offset: number): CompletionList {
  const s = scan(text, ctx.rules);
  if (inComment(s, offset)) return { from: offset, to: offset, items: [] };
  const cur = cursorAt(ctx, s, offset);
  let items = itemsFor(cur);
  // A sigil or a quote already typed says what may follow it.
  const typing = cur.typing?.tokenType;
  if (typing === T.ParamTok) items = items.filter((it) => it.kind === "param");
  else if (typing === T.RefTok) items = items.filter((it) => it.kind === "reference");
  else if (typing === T.StringLit) items = items.filter((it) => it.kind === "value" && it.label.startsWith('"'));
  const seen = new Set<string>();
  const kept = items.filter((it) => {
    const key = `${it.kind}:${it.label}`;
    if (seen.has(key) || !matches(it, cur.prefix)) return false;
    seen.add(key);
    return true;
  });
  return { from: cur.from, to: cur.to, items: kept };
}

function inComment(s: Scan, offset: number): boolean {
  return s.comments.some((c) => c.span.start.offset < offset && offset <= c.span.end.offset);
}

/** An item matches when its label (or text inserted), folded, starts with the folded prefix. */
function matches(it: CompletionItem, prefix: string): boolean {
  if (prefix === "") return true;
  const label = fold(it.label.replace(/^["@$`]/, ""));
  const insert = fold((it.insertText ?? it.label).replace(/^["@$`+-]/, ""));
  return label.startsWith(prefix) || insert.startsWith(prefix);
}

function cursorAt(ctx: ServiceContext, s: Scan, offset: number): Cursor {
  const i = tokenBefore(s.tokens, offset);
  const t = i >= 0 ? s.tokens[i] : undefined;
  const touching = t && endOf(t) >= offset && t.startOffset < offset;
  const wordy =
    touching &&
    (is(t, T.Name) || t.tokenType === T.StringLit || t.tokenType === T.RefTok || t.tokenType === T.ParamTok || t.tokenType === T.NumberLit || isWordKeyword(t));
  if (t && wordy) {
    let typed = s.src.text.slice(t.startOffset, offset);
    if (t.tokenType === T.StringLit || t.tokenType === T.RefTok || t.tokenType === T.ParamTok) typed = typed.slice(1);
    if (t.tokenType === T.NumberLit) typed = typed.replace(/^[+-]?[\d_.]*/, "");
    return { s, ctx, from: t.startOffset, to: endOf(t), prefix: fold(typed), prev: i - 1, typing: t, offset };
  }
  return { s, ctx, from: offset, to: offset, prefix: "", prev: i, offset };
}

/** A hard keyword spelled with letters (`and`, `where`…): the author may be typing a longer name. */
function isWordKeyword(t: IToken): boolean {
  return /^[\p{L}_]/u.test(t.image) && !is(t, T.Name);
}

// ---------------------------------------------------------------------------------------------
// Contexts
// ---------------------------------------------------------------------------------------------

function itemsFor(c: Cursor): CompletionItem[] {
  const { s } = c;
  if (c.typing?.tokenType === T.NumberLit) return unitsAfterNumber(c, c.typing);
  if (c.ctx.rules) {
    const line = rulesLine(c);
    if (line) return line;
  }
  const p = c.prev >= 0 ? s.tokens[c.prev]! : undefined;
  if (!p) return conditionStart(c, c.prev + 1);
  const type = p.tokenType;

  if (type === T.Dot) return afterDot(c);
  if (type === T.Within) return [kw("last", "within the last N days/months/…"), kw("next", "within the next N days/months/…")];
  if (type === T.Last || type === T.Next) {
    if (s.tokens[c.prev - 1]?.tokenType === T.Within) return params(c);
  }
  if (type === T.Is) return isForms(c, c.prev - 1, false);
  if (type === T.Not && s.tokens[c.prev - 1]?.tokenType === T.Is) return isForms(c, c.prev - 2, true);
  if (type === T.Starts || type === T.Ends) return [kw("with")];
  if (type === T.From) return [kw("now")];
  if (type === T.NumberLit) return unitsAfterNumber(c, p);
  if (is(p, T.Unit) && s.tokens[c.prev - 1]?.tokenType === T.NumberLit) return afterDuration(c, c.prev - 1);
  if (type === T.Has) return hasForms(c, c.prev - 1);
  if (is(p, T.QuantifierWord)) {
    if (s.tokens[c.prev - 1]?.tokenType === T.Has) return [];
    return collections(c, c.prev + 1, "object");
  }
  if (type === T.LParen && is(s.tokens[c.prev - 1], T.AggFn)) {
    return collections(c, c.prev, s.tokens[c.prev - 1]!.tokenType === T.Count ? "any" : "numbers");
  }
  if (type === T.LBracket || type === T.Comma) {
    const open = type === T.LBracket ? c.prev : enclosingOpener(s, c.prev);
    if (open >= 0 && s.tokens[open]!.tokenType === T.LBracket) return listValues(c, open);
  }
  if (is(p, T.CompareOp) || type === T.FoldEq) return valuesAfter(c, c.prev);
  if (type === T.Between) return valuesAfter(c, c.prev);
  if (type === T.And && betweenBefore(s, c.prev) >= 0) return valuesAfter(c, betweenBefore(s, c.prev));
  if (type === T.In) return [kw("[", "a list of values", "[")];
  if (type === T.Contains || type === T.With) return params(c);
  if (type === T.Where) return conditionStart(c, c.prev + 1, ["("]);
  if (type === T.And || type === T.Or || type === T.Not || type === T.LParen || type === T.If || type === T.Colon) {
    return conditionStart(c, c.prev + 1);
  }
  // After an operand: its operators; after a whole comparison: `and`, `or`.
  const operand = operandEndingAt(c.ctx, s, c.prev);
  if (operand) {
    const before = s.tokens[operand.start - 1];
    if (isSubjectPosition(before)) return operatorItems(operand);
    return joiners(c);
  }
  if (type === T.StringLit || type === T.DateLit || type === T.True || type === T.False || type === T.RBracket || type === T.RParen || type === T.Ago || type === T.Now || type === T.Empty || type === T.Set_) {
    return joiners(c);
  }
  return [];
}

/** True when an operand after `before` stands as a subject (the start of a condition). */
function isSubjectPosition(before: IToken | undefined): boolean {
  if (!before) return true;
  const type = before.tokenType;
  return (
    type === T.And || type === T.Or || type === T.Not || type === T.LParen || type === T.If || type === T.Colon || type === T.Where ||
    type === T.Per || type === T.LineBreak
  );
}

/** Index of the `between` whose first bound ends just before the `and` at `k`, or -1. */
function betweenBefore(s: Scan, k: number): number {
  for (let j = k - 1; j >= 0 && j >= k - 4; j--) {
    const type = s.tokens[j]!.tokenType;
    if (type === T.Between) return j;
    if (type === T.And || type === T.Or) return -1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// The start of a condition
// ---------------------------------------------------------------------------------------------

function conditionStart(c: Cursor, at: number, extra: readonly string[] = []): CompletionItem[] {
  const scopes = scopesAt(c.ctx, c.s, at);
  const items: CompletionItem[] = extra.map((e) => kw(e));
  items.push(...fieldItems(scopes));
  items.push(kw("not", "negates the condition after it", "not "));
  for (const q of ["any", "all", "none"]) items.push(kw(q, `${q} P where (…): ${QUANT[q]}`, `${q} `));
  for (const fn of ["count", "sum", "avg", "min", "max"]) items.push({ label: `${fn}(…)`, kind: "keyword", detail: AGG[fn], insertText: `${fn}(` });
  items.push(...refItems(c), ...params(c));
  return items;
}

/** The fields of every scope, innermost first (a name an inner scope defines hides the outer one). */
function fieldItems(scopes: readonly ObjectType[]): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const scope of scopes) {
    for (const f of scope.fields.values()) {
      if (seen.has(f.name)) continue;
      seen.add(f.name);
      items.push(fieldItem(f));
    }
  }
  return items;
}

function fieldItem(f: Field): CompletionItem {
  const name = printName(f.name);
  const item: CompletionItem = { label: f.name, kind: "field", detail: fieldDetail(f) };
  if (name !== f.name) item.insertText = name;
  if (f.description) item.documentation = f.description;
  return item;
}

/** `ordered choice: F, D, C, B, A (may be missing)`. */
export function fieldDetail(f: Field): string {
  const t = f.type;
  let out = describeType(t);
  if (t.kind === "enum") out += `: ${t.values.slice(0, 8).map((v) => quoteString(v)).join(", ")}${t.values.length > 8 ? ", …" : ""}`;
  if (f.nullable || f.optional) out += " (may be missing)";
  return out;
}

function refItems(c: Cursor): CompletionItem[] {
  if (!c.ctx.rules) return [];
  const here = c.s.definitions.find((d) => d.first <= c.prev + 1 && c.prev + 1 < d.end + 1);
  const own = here ? c.s.tokens[here.first + 1]?.startOffset : undefined;
  return symbols(c.s)
    .filter((d) => d.kind !== "rfm" && d.nameSpan.start.offset !== own)
    .map((d) => ({ label: printSigilName(d.name).replace(/^/, "@"), kind: "reference" as const, detail: d.kind }));
}

function params(c: Cursor): CompletionItem[] {
  const names = new Map<string, string | undefined>();
  for (const [name, type] of Object.entries(c.ctx.params)) names.set(name, type);
  for (const t of c.s.tokens) {
    if (t.tokenType === T.ParamTok && t !== c.typing && typeof t.payload === "string" && t.payload !== "" && !names.has(t.payload)) names.set(t.payload, undefined);
  }
  return [...names].map(([name, type]) => ({
    label: `$${printSigilName(name)}`,
    kind: "param" as const,
    detail: type ? `parameter: ${type}` : "parameter",
  }));
}

// ---------------------------------------------------------------------------------------------
// Paths, operators, values
// ---------------------------------------------------------------------------------------------

/** After `hq.`: the fields of the object (or of the elements of an array of objects) the path names. */
function afterDot(c: Cursor): CompletionItem[] {
  const path = pathEndingAt(c.s, c.prev - 1);
  if (!path) return [];
  const scopes = scopesAt(c.ctx, c.s, path.start);
  const r = resolveField(scopes, path.names);
  let obj: ObjectType | undefined;
  if (r.ok && r.field.type.kind === "object") obj = r.field.type;
  else if (r.ok && r.field.type.kind === "array" && r.field.type.element.kind === "object") obj = r.field.type.element;
  else obj = elementScopes(scopes, path.names)[0];
  if (!obj) return [];
  return [...obj.fields.values()].map((f) => fieldItem(f));
}

function operatorItems(operand: Operand): CompletionItem[] {
  return operatorsFor(operand.type).map((op: OperatorInfo) => ({
    label: op.label,
    kind: "operator" as const,
    detail: op.meaning,
    ...(op.insert ? { insertText: op.insert } : {}),
  }));
}

function isForms(c: Cursor, operandEnd: number, negated: boolean): CompletionItem[] {
  const operand = operandEndingAt(c.ctx, c.s, operandEnd);
  const t = operand?.type;
  const emptyable = !t || t.kind === "string" || t.kind === "array";
  const items: CompletionItem[] = [];
  if (!negated) items.push(kw("not", "is not set / is not empty"));
  items.push(kw("set", negated ? OPERATORS.isNotSet.meaning : OPERATORS.isSet.meaning));
  if (emptyable) items.push(kw("empty", negated ? OPERATORS.isNotEmpty.meaning : OPERATORS.isEmpty.meaning));
  return items;
}

function hasForms(c: Cursor, operandEnd: number): CompletionItem[] {
  const items = [kw("any", "has any [..]: at least one of the values", "any "), kw("all", "has all [..]: every one of the values", "all "), kw("none", "has none [..]: none of the values", "none ")];
  const operand = operandEndingAt(c.ctx, c.s, operandEnd);
  const t = operand?.type;
  if (t?.kind === "array") items.push(...valueItems(c, typeOfElement(t.type.element)));
  return [...items, ...params(c)];
}

function typeOfElement(t: FieldType): CheckedType | undefined {
  if (t.kind === "enum") return { kind: "enum", values: t.values, ordered: t.ordered, origin: "field" };
  if (t.kind === "string" || t.kind === "number" || t.kind === "boolean" || t.kind === "date") return { kind: t.kind };
  return undefined;
}

/** After `=`, `<`, `between` … : the values of the operand before the operator at `k`. */
function valuesAfter(c: Cursor, k: number): CompletionItem[] {
  const operand = operandEndingAt(c.ctx, c.s, k - 1) ?? (c.s.tokens[k - 1]?.tokenType === T.Not ? operandEndingAt(c.ctx, c.s, k - 2) : undefined);
  return [...valueItems(c, operand?.type), ...params(c)];
}

/** Inside `in [` / `has any [`: the values of the subject before `in` / `has …`. */
function listValues(c: Cursor, open: number): CompletionItem[] {
  let k = open - 1;
  const before = c.s.tokens[k];
  if (before && is(before, T.QuantifierWord) && c.s.tokens[k - 1]?.tokenType === T.Has) {
    const operand = operandEndingAt(c.ctx, c.s, k - 2);
    const t = operand?.type;
    return t?.kind === "array" ? valueItems(c, typeOfElement(t.type.element)) : [];
  }
  if (before?.tokenType !== T.In) return [];
  k--;
  if (c.s.tokens[k]?.tokenType === T.Not) k--;
  const operand = operandEndingAt(c.ctx, c.s, k);
  // Values already in the list are not offered again.
  const written = new Set<string>();
  for (let j = open + 1; j <= c.prev; j++) {
    const t = c.s.tokens[j]!;
    if (t.tokenType === T.StringLit && typeof t.payload === "string") written.add(t.payload);
  }
  return valueItems(c, operand?.type).filter((it) => !(it.kind === "value" && written.has(JSON.parse(it.insertText ?? "null") as string)));
}

/** The values a type has: enum values in declared order (quoted), booleans. */
function valueItems(c: Cursor, t: CheckedType | undefined): CompletionItem[] {
  if (!t) return [];
  if (t.kind === "enum") {
    const whose = t.origin === "field" ? (t.ordered ? "ordered value" : "value") : `${t.origin === "lifecycle" ? "stage" : t.origin === "tiers" ? "tier" : "arm"}`;
    return t.values.map((v, i) => ({
      label: quoteString(v),
      kind: "value" as const,
      detail: t.ordered ? `${whose} ${i + 1} of ${t.values.length}` : whose,
      insertText: quoteString(v),
    }));
  }
  if (t.kind === "boolean") return [kw("true"), kw("false")];
  if (t.kind === "date") return [{ label: "N days ago", kind: "snippet", detail: "an instant relative to now", insertText: "30 days ago" }];
  void c;
  return [];
}

/** After a number: the units when a duration may stand there; the glued `6mo` offers `6 months`. */
function unitsAfterNumber(c: Cursor, num: IToken): CompletionItem[] {
  const digits = /^[+-]?[\d_]+/.exec(num.image)?.[0];
  const glued = num === c.typing && digits !== undefined && digits.length < num.image.length;
  if (num === c.typing && !glued) return []; // still typing the number
  const at = c.s.tokens.indexOf(num);
  if (!durationFits(c, at)) return glued ? [] : joiners(c);
  const one = digits !== undefined && Number(digits.replace(/_/g, "")) === 1;
  return UNITS.map((u) => ({
    label: one ? u : `${u}s`,
    kind: "unit" as const,
    detail: u === "month" || u === "year" ? "calendar arithmetic in the time zone" : "exact",
    ...(glued ? { insertText: `${digits} ${one ? u : `${u}s`}` } : {}),
  }));
}

const UNITS = ["minute", "hour", "day", "week", "month", "year"] as const;

/** True when the number at token `k` may start a duration: after `within last`, `every`, or a date comparison. */
function durationFits(c: Cursor, k: number): boolean {
  const before = c.s.tokens[k - 1];
  if (!before) return false;
  const type = before.tokenType;
  if (type === T.Last || type === T.Next || type === T.Every) return true;
  if (is(before, T.CompareOp) || type === T.Between || (type === T.And && betweenBefore(c.s, k - 1) >= 0)) {
    const opAt = type === T.And ? betweenBefore(c.s, k - 1) : k - 1;
    let subjectEnd = opAt - 1;
    if (c.s.tokens[subjectEnd]?.tokenType === T.Not) subjectEnd--;
    const t = operandEndingAt(c.ctx, c.s, subjectEnd)?.type;
    return t?.kind === "date";
  }
  return false;
}

/** After a duration: `ago`, `from now` where an instant fits (a date comparison), then `and`/`or`. */
function afterDuration(c: Cursor, numberAt: number): CompletionItem[] {
  const before = c.s.tokens[numberAt - 1];
  const items: CompletionItem[] = [];
  if (before && (is(before, T.CompareOp) || before.tokenType === T.Between || before.tokenType === T.And)) {
    items.push(kw("ago", "an instant: now minus the duration"), kw("from now", "an instant: now plus the duration", "from now"));
  }
  if (before?.tokenType === T.Every) items.push(kw("by", "the element's date field the age is taken from", "by "));
  return [...items, ...joiners(c)];
}

function joiners(c: Cursor): CompletionItem[] {
  const items = [kw("and", "both conditions", "and "), kw("or", "either condition", "or ")];
  if (c.ctx.rules) {
    // `+5 per x max 25`
    const def = definitionAt(c);
    if (def?.kind === "score" && lineTokens(c, def).some((t) => t.tokenType === T.Per) && !lineTokens(c, def).some((t) => t.tokenType === T.Where || t.tokenType === T.Max)) {
      items.push(kw("max", "caps the points of this rule", "max "));
    }
  }
  return items;
}

/** `count(` / `any `: the arrays in scope (`numbers`: arrays of numbers, and arrays of objects to go into). */
function collections(c: Cursor, at: number, which: "object" | "any" | "numbers"): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const scope of scopesAt(c.ctx, c.s, at)) {
    for (const f of scope.fields.values()) {
      if (seen.has(f.name)) continue;
      seen.add(f.name);
      const t = f.type;
      const ok =
        t.kind === "object" ||
        (t.kind === "array" && (which === "any" || t.element.kind === "object" || (which === "numbers" && (t.element.kind === "number" || t.element.kind === "date"))));
      if (ok) items.push(fieldItem(f));
    }
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Rules files: headers and line shapes
// ---------------------------------------------------------------------------------------------

const HEADERS: readonly [string, string, string][] = [
  ["segment NAME:", "a named condition", "segment "],
  ["score NAME:", "points per rule: +N if …, +N per … max …", "score "],
  ["lifecycle NAME:", "stages in journey order: STAGE if …", "lifecycle "],
  ["tiers NAME by VALUE:", "value tiers by thresholds: NAME if >= N, NAME otherwise", "tiers "],
  ["tiers NAME by VALUE quantiles:", "value tiers by share of a population: NAME N%", "tiers "],
  ["rfm NAME:", "recency, frequency, monetary quintiles", "rfm "],
  ["channel NAME:", "who may be contacted through a channel", "channel "],
  ["split NAME by KEY:", "a stable assignment of records to arms: ARM N%", "split "],
];

/** The definition the cursor stands in: the last one starting before it. */
function definitionAt(c: Cursor): ScannedDefinition | undefined {
  let found: ScannedDefinition | undefined;
  for (const d of c.s.definitions) if (c.s.tokens[d.first]!.startOffset < c.from) found = d;
  return found;
}

/** The tokens of the cursor's body line before it (from the line's first token). */
function lineTokens(c: Cursor, def: ScannedDefinition): IToken[] {
  let start = -1;
  for (const l of def.lines) if (l <= c.prev) start = l;
  return start < 0 ? [] : c.s.tokens.slice(start, c.prev + 1);
}

function firstOnLine(c: Cursor): boolean {
  if (c.prev < 0) return true;
  return c.s.src.lineOf(c.s.tokens[c.prev]!.startOffset) < c.s.src.lineOf(c.from);
}

/** Rules-file contexts; undefined when the cursor stands in an expression of the file. */
function rulesLine(c: Cursor): CompletionItem[] | undefined {
  const column = c.s.src.position(c.from).column;
  const def = definitionAt(c);
  const line = firstOnLine(c);
  if (line && (column === 1 || !def)) return HEADERS.map(([label, detail, insertText]) => ({ label, kind: "snippet", detail, insertText }));
  if (!def) return undefined;
  const header = def.colon < 0 || c.prev < def.colon;
  if (header) return headerContext(c, def);
  if (def.kind === "segment" || def.kind === "channel") return undefined;
  const bodyColumn = def.lines.length ? c.s.src.position(c.s.tokens[def.lines[0]!]!.startOffset).column : column;
  if (line && column <= bodyColumn) return lineStart(c, def);
  return lineContext(c, def);
}

function headerContext(c: Cursor, def: ScannedDefinition): CompletionItem[] | undefined {
  const k = c.prev - def.first; // tokens of the header before the cursor, minus one
  if (k === 0) return []; // typing the name
  if (k === 1) return def.kind === "tiers" || def.kind === "split" ? [kw("by", undefined, "by ")] : [kw(":")];
  const p = c.s.tokens[c.prev]!;
  if (p.tokenType === T.By && k === 2) {
    if (def.kind === "split") {
      // As the rules checker: a text, choice or integer field.
      return [...c.ctx.model.root.fields.values()]
        .filter((f) => f.type.kind === "string" || f.type.kind === "enum" || (f.type.kind === "number" && f.type.integer))
        .map((f) => fieldItem(f));
    }
    return conditionStart(c, c.prev + 1).filter((it) => it.kind === "field" || it.label.startsWith("count") || it.label.startsWith("sum") || it.label.startsWith("avg") || it.label.startsWith("min") || it.label.startsWith("max") || it.kind === "reference" || it.kind === "param");
  }
  if (def.kind === "split") return p.tokenType === T.Seed ? [] : [kw("seed", "the text the arm hash starts with (default: the name)", "seed "), kw(":")];
  if (def.kind === "tiers") {
    // Inside the `by` value (`by sum(purchases.amount where …`): an expression's completions.
    const ended = (is(p, T.Name) || p.tokenType === T.RParen) && enclosingOpener(c.s, c.prev + 1, def.first) < 0;
    return ended ? [kw("quantiles", "tiers by share of the population"), kw(":")] : undefined;
  }
  return [kw(":")];
}

function lineStart(c: Cursor, def: ScannedDefinition): CompletionItem[] {
  switch (def.kind) {
    case "score":
      return [
        { label: "+N if …", kind: "snippet", detail: "add N points when the condition holds", insertText: "+10 if " },
        { label: "-N if …", kind: "snippet", detail: "remove N points when the condition holds", insertText: "-10 if " },
        { label: "+N per … max …", kind: "snippet", detail: "N points per unit of a number, at most M", insertText: "+5 per " },
        { label: "+N per … where (…) decaying H% every D by F", kind: "snippet", detail: "N points per matching event, losing H% per period D of age", insertText: "+10 per " },
        { label: "clamp A to B", kind: "keyword", detail: "bounds the total (last line)", insertText: "clamp 0 to 100" },
      ];
    case "lifecycle":
      return [{ label: "STAGE if …", kind: "snippet", detail: "a stage, reached when the condition holds (the first may have none)", insertText: "stage if " }];
    case "tiers":
      return quantileTiers(c, def)
        ? [
            { label: "NAME N%", kind: "snippet", detail: "the next N% of the population (highest first)", insertText: "top 20%" },
            { label: "NAME otherwise", kind: "snippet", detail: "everyone else with a known value", insertText: "rest otherwise" },
          ]
        : [
            { label: "NAME if >= N", kind: "snippet", detail: "first matching line wins", insertText: "high if >= " },
            { label: "NAME otherwise", kind: "snippet", detail: "known values no line matched", insertText: "low otherwise" },
          ];
    case "rfm": {
      const written = new Set(def.lines.map((l) => c.s.tokens[l]!.image.toLowerCase()));
      return ["recency", "frequency", "monetary"].filter((w) => !written.has(w)).map((w) => kw(w, RFM[w], `${w} `));
    }
    case "split":
      return [{ label: "ARM N%", kind: "snippet", detail: "an arm and its share (shares add up to 100%)", insertText: "control 10%" }];
    default:
      return [];
  }
}

const RFM: Record<string, string> = {
  recency: "the date (or number) of the last purchase: more recent scores higher",
  frequency: "how often: a number, e.g. count(purchases where date < 12 months)",
  monetary: "how much: a number, e.g. sum(purchases.amount where date < 12 months)",
};

function quantileTiers(c: Cursor, def: ScannedDefinition): boolean {
  const end = def.colon < 0 ? def.end : def.colon;
  for (let j = def.first; j < end; j++) if (c.s.tokens[j]!.tokenType === T.Quantiles) return true;
  return false;
}

/** Inside a body line: the shape's next word, or an expression context (undefined). */
function lineContext(c: Cursor, def: ScannedDefinition): CompletionItem[] | undefined {
  const line = lineTokens(c, def);
  const p = c.s.tokens[c.prev];
  if (!p || line.length === 0) return undefined;
  const n = line.length;
  switch (def.kind) {
    case "score": {
      if (n === 1 && p.tokenType === T.NumberLit) return [kw("if", "add the points when the condition holds", "if "), kw("per", "points per unit of a number", "per ")];
      if (line[0]!.tokenType === T.Clamp) return n === 2 ? [kw("to", undefined, "to ")] : [];
      if (p.tokenType === T.Per) return conditionStart(c, c.prev + 1).filter((it) => it.kind === "field" || it.kind === "param" || it.kind === "reference" || it.label.includes("("));
      if (p.tokenType === T.Max || p.tokenType === T.Decaying) return [];
      if (p.tokenType === T.Percent) return [kw("every", "the period over which an event loses that share", "every ")];
      if (p.tokenType === T.By && line.some((t) => t.tokenType === T.Decaying)) {
        // `by F`: a date field of the element
        const per = line.findIndex((t) => t.tokenType === T.Per);
        const path = per >= 0 ? pathEndingAt(c.s, c.s.tokens.indexOf(line[per]!) + 1 + countPath(line, per + 1)) : undefined;
        const scopes = path ? elementScopes(scopesAt(c.ctx, c.s, path.start), path.names) : [];
        return fieldItems(scopes).filter((it) => (it.detail ?? "").startsWith("date"));
      }
      if (p.tokenType === T.RParen && line.some((t) => t.tokenType === T.Per) && !line.some((t) => t.tokenType === T.Decaying)) {
        return [kw("decaying", "weights each event by its age: decaying H% every D by F", "decaying ")];
      }
      const per = line.findIndex((t) => t.tokenType === T.Per);
      if (per >= 0 && !line.some((t) => t.tokenType === T.Where || t.tokenType === T.Max)) {
        const path = pathEndingAt(c.s, c.prev);
        if (path && c.s.tokens[path.start - 1] === line[per]) {
          const operand = operandEndingAt(c.ctx, c.s, c.prev);
          const t = operand?.type;
          if (t?.kind === "array") return t.type.element.kind === "object" ? [kw("where", "the events that count", "where (")] : [];
          return [kw("max", "caps the points of this rule", "max ")];
        }
      }
      return undefined;
    }
    case "lifecycle":
      return n === 1 && is(p, T.Name) ? [kw("if", "the condition of this stage", "if ")] : undefined;
    case "tiers": {
      if (n === 1 && is(p, T.Name)) return quantileTiers(c, def) ? [kw("otherwise")] : [kw("if", undefined, "if "), kw("otherwise")];
      if (n === 2 && p.tokenType === T.If) {
        const ops: CompletionItem[] = [">=", ">", "<=", "<", "="].map((op) => ({ label: op, kind: "operator", insertText: `${op} ` }));
        return [...ops, kw("between", undefined, "between ")];
      }
      return [];
    }
    case "rfm":
      return n === 1 ? conditionStart(c, c.prev + 1).filter((it) => it.kind === "field" || it.label.includes("(")) : undefined;
    case "split":
      return [];
    default:
      return undefined;
  }
}

/** Number of tokens of the dotted path starting at `from` in `line`, minus one (0 for one name). */
function countPath(line: readonly IToken[], from: number): number {
  let k = from;
  while (line[k + 1]?.tokenType === T.Dot && line[k + 2]) k += 2;
  return k - from;
}

function kw(label: string, detail?: string, insertText?: string): CompletionItem {
  const item: CompletionItem = { label, kind: "keyword" };
  if (detail) item.detail = detail;
  if (insertText !== undefined && insertText !== label) item.insertText = insertText;
  return item;
}

