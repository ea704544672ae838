/**
 * Hover: what the thing under the cursor is. A field shows its type (nullable, enum values in
 * order) and its schema description, read from the checker's facts when the text was checked
 * (editors check on change, before hovering) and from the schema through the checker's resolvers
 * otherwise (test/language/agree.test.ts keeps the two in step); an operator its meaning and
 * how it treats a missing value; a duration, an instant or a date the instants it stands for at
 * the service's `now` in its time zone (computed by `time/cutoffs.ts`, as the evaluator does); a
 * `@reference` its definition's text.
 * @internal
 */
import type { IToken } from "chevrotain";
import { readClock } from "../check/clock.js";
import { type CheckedType, typeOfField } from "../check/facts.js";
import type { Field } from "../schema/model.js";
import { resolveField } from "../schema/resolve.js";
import { dayStart, nextDayStart, shiftInstant } from "../time/cutoffs.js";
import type { ServiceContext } from "./context.js";
import { classOf } from "./highlight.js";
import { AGG, describeChecked, OPERATORS, type OperatorInfo, QUANT } from "./operators.js";
import { checkedFact, operandEndingAt, pathEndingAt, scopesAt } from "./reader.js";
import { type Scan, T, endOf, is, scan, tokenAt } from "./scan.js";
import { nameOf, symbols } from "./symbols.js";
import type { Hover } from "./types.js";

/** The hover at `offset` of `text`, or null. */
export function hover(ctx: ServiceContext, text: string, offset: number): Hover | null {
  const s = scan(text, ctx.rules);
  const i = tokenAt(s.tokens, offset);
  if (i < 0) return null;
  const t = s.tokens[i]!;
  const span = (from: number, to: number) => s.src.span(from, to);
  const one = (markdown: string): Hover => ({ span: span(t.startOffset, endOf(t)), markdown });
  const type = t.tokenType;

  if (type === T.RefTok) return refHover(s, t);
  if (type === T.ParamTok) {
    const name = nameOf(t.payload, t.image.slice(1));
    const declared = ctx.params[name];
    const inferred = checkedFact(ctx, s, i, i)?.type;
    const what = [inferred ? `used as ${describeChecked(inferred)}` : "", declared ? `declared as ${declared}` : ""].filter(Boolean).join("; ");
    return one(`**\`$${name}\`**: a parameter, bound at evaluation (\`params\`)${what ? `; ${what}` : ""}`);
  }
  if (type === T.DateLit) return dateHover(ctx, s, i);
  if (type === T.NumberLit && is(s.tokens[i + 1], T.Unit)) return durationHover(ctx, s, i);
  if (is(t, T.Unit) && s.tokens[i - 1]?.tokenType === T.NumberLit) return durationHover(ctx, s, i - 1);
  if ((type === T.Ago || (type === T.Now && s.tokens[i - 1]?.tokenType === T.From)) && durationStart(s, i) >= 0) {
    return durationHover(ctx, s, durationStart(s, i));
  }
  const cls = classOf(s, i);
  if (cls === "field") return fieldHover(ctx, s, i);
  if (cls === "definition" && ctx.rules) {
    const sym = symbols(s).find((d) => d.nameSpan.start.offset === t.startOffset);
    if (sym) return one(`**${sym.kind} \`${sym.name}\`**`);
    return null;
  }
  const op = operatorAt(s, i);
  if (op) return { span: span(op.from, op.to), markdown: `**\`${op.info.label}\`**: ${op.info.meaning}.\n\nMissing values: ${op.info.missing}.` };
  if (is(t, T.QuantifierWord) && s.tokens[i - 1]?.tokenType !== T.Has) return one(`**\`${t.image.toLowerCase()} P where (…)\`**: ${QUANT[t.image.toLowerCase()]}.`);
  if (is(t, T.AggFn) && cls === "keyword") return one(`**\`${t.image.toLowerCase()}(…)\`**: ${AGG[t.image.toLowerCase()]}.`);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

function fieldHover(ctx: ServiceContext, s: Scan, i: number): Hover | null {
  const t = s.tokens[i]!;
  // The path up to the hovered name: `hq.city` hovered on `hq` is `hq`.
  const path = pathEndingAt(s, i);
  if (!path) return null;
  const span = s.src.span(t.startOffset, endOf(t));
  const step = path.names.length - 1;
  const checked = factAt(ctx, s, path.start);
  if (checked && checked.steps.length > step) {
    const f = checked.steps[step]!;
    const last = step === checked.steps.length - 1;
    const nullable = last ? checked.nullable : checked.steps.slice(0, step + 1).some((x) => x.nullable || x.optional);
    return { span, markdown: fieldText(f, last ? checked.type : typeOfField(f.type), nullable) };
  }
  // The text was not checked (or does not parse): the schema, through the checker's resolver.
  const r = resolveField(scopesAt(ctx, s, path.start), path.names);
  if (!r.ok) return null;
  return { span, markdown: fieldText(r.field, typeOfField(r.field.type), r.nullable) };
}

function fieldText(f: Field, type: CheckedType, nullable: boolean): string {
  const head = `**${f.name}**: ${describeChecked(type)}${nullable ? " — may be missing (a missing value makes a comparison unknown)" : ""}`;
  return f.description ? `${head}\n\n${f.description}` : head;
}

/** What the checker resolved for the field path starting at token `first`, when the text was checked. */
function factAt(ctx: ServiceContext, s: Scan, first: number): { steps: readonly Field[]; type: CheckedType; nullable: boolean } | undefined {
  // The whole written path: its node is the one the checker saw.
  let last = first;
  while (s.tokens[last + 1]?.tokenType === T.Dot && is(s.tokens[last + 2], T.Name)) last += 2;
  const fact = checkedFact(ctx, s, first, last);
  if (!fact?.field) return undefined;
  return { steps: fact.field.steps, type: fact.type, nullable: fact.nullable };
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

function refHover(s: Scan, t: IToken): Hover | null {
  const name = nameOf(t.payload, t.image.slice(1));
  const sym = symbols(s).find((d) => d.name === name);
  const span = s.src.span(t.startOffset, endOf(t));
  if (!sym) return { span, markdown: `**\`@${name}\`**: no definition of that name in this file` };
  const body = s.src.text.slice(sym.span.start.offset, sym.span.end.offset);
  return { span, markdown: `**${sym.kind} \`${name}\`** (line ${sym.span.start.line})\n\n\`\`\`cible\n${body}\n\`\`\`` };
}

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

/** The clock hovers use: the service's `now` and zone, or this instant in UTC. */
function clock(ctx: ServiceContext): { nowMs: number; timeZone: string } {
  return readClock({ now: ctx.now, timeZone: ctx.timeZone });
}

/** Index of the number of the duration just before `ago` / `from now` at `i`, or -1. */
function durationStart(s: Scan, i: number): number {
  const k = s.tokens[i]!.tokenType === T.Now ? i - 2 : i - 1;
  return is(s.tokens[k], T.Unit) && s.tokens[k - 1]?.tokenType === T.NumberLit ? k - 1 : -1;
}

const UNITS: Readonly<Record<string, "minute" | "hour" | "day" | "week" | "month" | "year">> = {
  minute: "minute", hour: "hour", day: "day", week: "week", month: "month", year: "year",
};

function durationHover(ctx: ServiceContext, s: Scan, n: number): Hover | null {
  const num = s.tokens[n]!;
  const unitTok = s.tokens[n + 1]!;
  const amount = (num.payload as { value?: unknown } | undefined)?.value;
  const unit = UNITS[unitTok.image.toLowerCase().replace(/s$/, "")];
  if (typeof amount !== "number" || !unit || !Number.isInteger(amount) || amount < 0) return null;
  const c = clock(ctx);
  const ago = shiftInstant(c.nowMs, amount, unit, "ago", c.timeZone);
  const ahead = shiftInstant(c.nowMs, amount, unit, "fromNow", c.timeZone);
  const after = s.tokens[n + 2];
  const before = s.tokens[n - 1];
  const written = `${amount} ${unitTok.image.toLowerCase()}`;
  let end = endOf(unitTok);
  let text: string;
  if (after?.tokenType === T.Ago) {
    end = endOf(after);
    text = `**\`${written} ago\`**: the instant ${show(ago, c.timeZone)}`;
  } else if (after?.tokenType === T.From && s.tokens[n + 3]?.tokenType === T.Now) {
    end = endOf(s.tokens[n + 3]!);
    text = `**\`${written} from now\`**: the instant ${show(ahead, c.timeZone)}`;
  } else if (before?.tokenType === T.Last && s.tokens[n - 2]?.tokenType === T.Within) {
    text = `**\`within last ${written}\`**: from ${show(ago, c.timeZone)} to now (${show(c.nowMs, c.timeZone)})`;
  } else if (before?.tokenType === T.Next && s.tokens[n - 2]?.tokenType === T.Within) {
    text = `**\`within next ${written}\`**: from now (${show(c.nowMs, c.timeZone)}) to ${show(ahead, c.timeZone)}`;
  } else {
    const subject = subjectIsDate(ctx, s, n);
    text = subject
      ? `**\`${written}\`**: an age; the cutoff is ${show(ago, c.timeZone)} (\`< ${written}\`: after it, \`> ${written}\`: before it)`
      : `**\`${written}\`**: a duration; ${written} ago is ${show(ago, c.timeZone)}`;
  }
  const calendar = unit === "month" || unit === "year" ? "calendar arithmetic in the time zone" : "exact (a day is 24 hours)";
  return { span: s.src.span(num.startOffset, end), markdown: `${text}\n\nAt now = ${show(c.nowMs, c.timeZone)}; ${calendar}.` };
}

/** True when the duration at `n` is compared with a date (`lastPurchase < 6 months`). */
function subjectIsDate(ctx: ServiceContext, s: Scan, n: number): boolean {
  let k = n - 1;
  if (s.tokens[k]?.tokenType === T.And) for (let j = k - 1; j >= 0 && j >= k - 4; j--) if (s.tokens[j]!.tokenType === T.Between) k = j;
  const op = s.tokens[k];
  if (!op || !(is(op, T.CompareOp) || op.tokenType === T.Between)) return false;
  let subj = k - 1;
  if (s.tokens[subj]?.tokenType === T.Not) subj--;
  return operandEndingAt(ctx, s, subj)?.type?.kind === "date";
}

function dateHover(ctx: ServiceContext, s: Scan, i: number): Hover | null {
  const t = s.tokens[i]!;
  const c = clock(ctx);
  const span = s.src.span(t.startOffset, endOf(t));
  if (t.image.includes("T")) return { span, markdown: `**\`${t.image}\`**: an instant (read in ${c.timeZone} when it has no offset)` };
  const from = dayStart(t.image, c.timeZone);
  const to = nextDayStart(t.image, c.timeZone);
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  return { span, markdown: `**\`${t.image}\`**: the whole day in ${c.timeZone}, from ${show(from, c.timeZone)} to ${show(to, c.timeZone)} (excluded)` };
}

/** `2026-05-22 14:30:00 Europe/Paris (2026-05-22T12:30:00.000Z)`. */
function show(ms: number, timeZone: string): string {
  if (!Number.isFinite(ms)) return "(out of the range of dates)";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(ms));
  const p = (k: string) => parts.find((x) => x.type === k)?.value ?? "";
  const local = `${p("year")}-${p("month")}-${p("day")} ${p("hour")}:${p("minute")}:${p("second")}`;
  return timeZone === "UTC" ? `${local} UTC` : `${local} ${timeZone} (${new Date(ms).toISOString()})`;
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

const O = OPERATORS;

/** The operator token `i` belongs to (`is not set`, `starts with`, `not in` read as one), with its span. */
function operatorAt(s: Scan, i: number): { info: OperatorInfo; from: number; to: number } | undefined {
  const tk = (k: number) => s.tokens[k];
  const type = tk(i)!.tokenType;
  const at = (info: OperatorInfo, a: number, b: number) => ({ info, from: tk(a)!.startOffset, to: endOf(tk(b)!) });
  // `is [not] set|empty`
  const isStart = type === T.Is ? i : tk(i - 1)?.tokenType === T.Is ? i - 1 : tk(i - 2)?.tokenType === T.Is && tk(i - 1)?.tokenType === T.Not ? i - 2 : -1;
  if (isStart >= 0) {
    const negated = tk(isStart + 1)?.tokenType === T.Not;
    const last = isStart + (negated ? 2 : 1);
    const word = tk(last)?.tokenType;
    if (word === T.Set_) return at(negated ? O.isNotSet : O.isSet, isStart, last);
    if (word === T.Empty) return at(negated ? O.isNotEmpty : O.isEmpty, isStart, last);
  }
  if (type === T.Starts || type === T.Ends) {
    const info = type === T.Starts ? O.startsWith : O.endsWith;
    return tk(i + 1)?.tokenType === T.With ? at(info, i, i + 1) : at(info, i, i);
  }
  if (type === T.With && (tk(i - 1)?.tokenType === T.Starts || tk(i - 1)?.tokenType === T.Ends)) return operatorAt(s, i - 1);
  const negatable: [unknown, OperatorInfo, OperatorInfo][] = [
    [T.In, O.in, O.notIn],
    [T.Between, O.between, O.notBetween],
    [T.Contains, O.contains, O.notContains],
  ];
  for (const [tt, plain, neg] of negatable) {
    if (type === tt) return tk(i - 1)?.tokenType === T.Not && !isConditionStart(tk(i - 2)) ? at(neg, i - 1, i) : at(plain, i, i);
  }
  const simple = new Map<unknown, OperatorInfo>([
    [T.Eq, O.eq], [T.EqEq, O.eq], [T.NotEq, O.ne], [T.LtGt, O.ne], [T.Lt, O.lt], [T.LtEq, O.le], [T.Gt, O.gt], [T.GtEq, O.ge],
    [T.FoldEq, O.foldEq], [T.Before, O.before], [T.After, O.after], [T.Within, O.within], [T.Has, O.has],
    [T.And, O.and], [T.AmpAmp, O.and], [T.Or, O.or], [T.BarBar, O.or], [T.Not, O.not], [T.Bang, O.not],
  ]);
  const info = simple.get(type);
  return info ? at(info, i, i) : undefined;
}

function isConditionStart(t: IToken | undefined): boolean {
  if (!t) return true;
  const type = t.tokenType;
  return type === T.And || type === T.Or || type === T.Not || type === T.LParen || type === T.If || type === T.Colon || type === T.Where;
}
