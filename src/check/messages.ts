/**
 * Every code and every sentence the checker produces, in one place. Messages speak the rules
 * author's language: field names as written, types as "text", "a number", "a choice"…
 * @internal
 */
import type { FieldType } from "../schema/model.js";
import type { ParamType } from "./types.js";
import { describeType } from "../schema/model.js";

/** The codes the checker emits (documented in docs/errors.md). */
export const CHECK_CODES = {
  fieldUnknown: "field.unknown",
  fieldNotObject: "field.not-object",
  fieldThroughArray: "field.through-array",
  typeOperator: "type.operator",
  typeMismatch: "type.mismatch",
  typeNotBoolean: "type.not-boolean",
  typeNoField: "type.no-field",
  typeDurationEquality: "type.duration-equality",
  typeBareDuration: "type.bare-duration",
  typeAggregate: "type.aggregate",
  enumUnknownValue: "enum.unknown-value",
  enumNotOrdered: "enum.not-ordered",
  enumOrderLost: "enum.order-lost",
  enumOrderIgnored: "enum.order-ignored",
  paramConflict: "param.conflict",
  paramUntyped: "param.untyped",
  refOutsideRules: "ref.outside-rules",
  refUnknown: "ref.unknown",
  refUnknownValue: "ref.unknown-value",
  lintNullableNegation: "lint.nullable-negation",
  lintEmptyRange: "lint.empty-range",
  lintEmptyList: "lint.empty-list",
} as const;

export type CheckCode = (typeof CHECK_CODES)[keyof typeof CHECK_CODES];

/** A message and, where one helps, a hint. */
export interface Wording {
  readonly message: string;
  readonly hint?: string;
}

function w(message: string, hint?: string): Wording {
  return hint === undefined ? { message } : { message, hint };
}

/** `x` in backquotes, as messages quote code. */
export function q(s: string): string {
  return `\`${s}\``;
}

/** "`a`", "`a` or `b`", "`a`, `b` or `c`". */
export function orList(items: readonly string[]): string {
  const quoted = items.map(q);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** A few names from a long list: "`a`, `b`, `c`, … (12 in all)". */
export function someOf(items: readonly string[], max = 8): string {
  if (items.length <= max) return items.map(q).join(", ");
  return `${items.slice(0, max).map(q).join(", ")}, … (${items.length} in all)`;
}

/** How values of an enum are listed in hints: quoted as they are written in rules. */
function values(vs: readonly string[], max = 12): string {
  const shown = vs.slice(0, max).map((v) => JSON.stringify(v));
  return vs.length > max ? `${shown.join(", ")}, … (${vs.length} in all)` : shown.join(", ");
}

function didYouMeanText(suggestions: readonly string[], quote: (s: string) => string = q): string {
  const quoted = suggestions.map(quote);
  if (quoted.length === 1) return `did you mean ${quoted[0]}?`;
  return `did you mean ${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}?`;
}

/** A type in the author's words, with an article: "text", "a number", "a list of choices". */
export function typeWords(t: FieldType): string {
  switch (t.kind) {
    case "string":
      return "text";
    case "array": {
      const e = t.element;
      const plural =
        e.kind === "string" ? "text" : e.kind === "object" ? "objects" : e.kind === "boolean" ? "yes/no values" : `${describeType(e)}s`;
      return `a list of ${plural}`;
    }
    case "object":
      return "a group of fields";
    case "enum":
      return t.ordered ? "an ordered choice" : "a choice";
    case "boolean":
      return "a yes/no (boolean) value";
    default:
      return `a ${describeType(t)}`;
  }
}

export const M = {
  // ---- fields -------------------------------------------------------------------------------
  fieldUnknown(name: string, suggestions: readonly string[], candidates: readonly string[], where?: string): Wording {
    const place = where ? ` in ${q(where)} or the record` : "";
    return w(
      `There is no field ${q(name)}${place}.`,
      suggestions.length ? didYouMeanText(suggestions) : candidates.length ? `fields here: ${someOf(candidates)}` : undefined,
    );
  },
  nestedUnknown(parent: string, name: string, suggestions: readonly string[], candidates: readonly string[]): Wording {
    return w(
      `${q(parent)} has no field ${q(name)}.`,
      suggestions.length
        ? didYouMeanText(suggestions.map((s) => `${parent}.${s}`))
        : candidates.length
          ? `fields of ${q(parent)}: ${someOf(candidates)}`
          : undefined,
    );
  },
  notObject(parent: string, parentType: FieldType, full: string): Wording {
    const hint = parentType.kind === "array" ? `to count its items, write ${q(`count(${parent})`)}` : `write ${q(parent)}`;
    return w(`${q(parent)} is ${typeWords(parentType)}, not a group of fields: ${q(full)} names nothing.`, hint);
  },
  /**
   * `contacts.role`: the hint fits what the path names in the elements — a list of objects
   * (`contacts.events`: count or quantify them all), a number (`sum`), anything else (`any … where`).
   * `rows` is the (flattened) list the elements come from, `rest` the path inside them.
   */
  throughArray(collection: string, full: string, names: { rows: string; rest: string; kind: "list" | "number" | "other" }): Wording {
    const hint =
      names.kind === "list"
        ? `count them all with ${q(`count(${full})`)}, or test them with ${q(`any ${full} where (…)`)}`
        : names.kind === "number"
          ? `write ${q(`any ${names.rows} where (${names.rest} > …)`)} or ${q(`sum(${full})`)}`
          : `write ${q(`any ${names.rows} where (${names.rest} = …)`)}`;
    return w(`${q(collection)} is a list of objects: ${q(full)} needs a quantifier or an aggregate.`, hint);
  },

  /** `city = null`: the language has no `null` (French and SQL habits). */
  nullValue(subject: string, negated: boolean): Wording {
    return w(
      `The language has no \`null\`: a missing value is tested with \`is not set\`, a present one with \`is set\`.`,
      `write ${q(`${subject} is ${negated ? "" : "not "}set`)}`,
    );
  },
  /** `sector = santé`: a bare word that is a value of the compared enum. */
  bareValue(name: string, subject: string, value: string): Wording {
    return w(`There is no field ${q(name)}; ${JSON.stringify(value)} is a value of ${q(subject)}, and values are written in quotes.`, `write it in quotes: ${q(JSON.stringify(value))}`);
  },

  // ---- operators and types ------------------------------------------------------------------
  operator(op: string, worksOn: string, subject: string, subjectType: string, hint?: string): Wording {
    return w(`${q(op)} works on ${worksOn}, but ${q(subject)} is ${subjectType}.`, hint);
  },
  mismatch(subject: string, subjectType: string, value: string, valueType: string, hint?: string): Wording {
    return w(`${q(subject)} is ${subjectType}, but ${q(value)} is ${valueType}.`, hint);
  },
  notBoolean(subject: string, subjectType: string, hint?: string): Wording {
    return w(`${q(subject)} is ${subjectType}, not a yes/no value: it cannot stand alone as a condition.`, hint);
  },
  noField(text: string): Wording {
    return w(`${q(text)} reads no field of the record.`, "compare a field with a value, for example `employees > 50`");
  },
  durationEquality(op: string, subject: string, duration: string): Wording {
    return w(
      `${q(subject)} cannot be compared with ${q(op)} to the duration ${q(duration)}: an age is never exactly a duration.`,
      `write an age range, for example ${q(`${subject} between ${lessDuration(duration)} and ${duration}`)}`,
    );
  },
  bareDuration(alias: string, subject: string, duration: string): Wording {
    return w(
      `${q(`${subject} ${alias} ${duration}`)} reads backwards: ${q(alias)} needs a date, and ${q(duration)} is a duration.`,
      `write ${q(`${subject} ${alias} ${duration} ago`)}`,
    );
  },
  aggregateNotList(fn: string, path: string, pathType: string): Wording {
    return w(`${q(fn)} works on lists, but ${q(path)} is ${pathType}.`);
  },
  aggregateNeedsField(fn: string, collection: string, example: string): Wording {
    return w(`${q(fn)} needs numbers, but ${q(collection)} is a list of objects.`, `name a number field of its items: ${q(`${fn}(${collection}.${example})`)}`);
  },
  aggregateNotNumeric(fn: string, path: string, pathType: string): Wording {
    return w(`${q(fn)} needs numbers, but ${q(path)} is ${pathType}.`, fn === "count" ? undefined : `use ${q(`count(…)`)} to count items`);
  },
  aggregateCountField(collection: string): Wording {
    return w(`${q("count")} counts the items of a list, not a field of them.`, `write ${q(`count(${collection})`)}, or filter: ${q(`count(${collection} where …)`)}`);
  },
  aggregateWhereOnScalars(collection: string, collectionType: string): Wording {
    return w(`${q("where")} filters lists of objects, but ${q(collection)} is ${collectionType}.`, `write ${q(`count(${collection})`)}`);
  },
  listNotAllowed(subject: string, op: string): Wording {
    return w(`${q(op)} compares with one value, not a list.`, `to test several values, write ${q(`${subject} in […]`)}`);
  },
  listExpected(mode: string, subject: string, value: string): Wording {
    return w(`${q(`has ${mode}`)} needs a list.`, `write ${q(`${subject} has ${mode} [${value}]`)} or ${q(`${subject} has ${value}`)}`);
  },
  hasList(subject: string, list: string): Wording {
    return w(`${q("has")} takes one value, not a list.`, `write ${q(`${subject} has any ${list}`)} or ${q(`${subject} has all ${list}`)}`);
  },

  // ---- enums --------------------------------------------------------------------------------
  enumUnknownValue(value: string, subject: string, suggestions: readonly string[], all: readonly string[]): Wording {
    return w(
      `${JSON.stringify(value)} is not a value of ${q(subject)}.`,
      suggestions.length ? didYouMeanText(suggestions, (s) => JSON.stringify(s)) : `the values are ${values(all)}`,
    );
  },
  enumNotOrdered(op: string, subject: string): Wording {
    return w(
      `${q(op)} needs an order, but the values of ${q(subject)} are not ordered.`,
      `if its values are declared in order, mark the enum ordered in the schema: ${q(".meta({ ordered: true })")}; else compare with ${q("=")} or ${q("in")}`,
    );
  },

  enumOrderLost(op: string, subject: string): Wording {
    return w(
      `${q(op)} needs an order, but zod does not keep the order of ${q(subject)}: its values such as "11" or "21" come back first.`,
      `give the order in the schema: ${q(`.meta({ ordered: [ …every value of ${subject}, in order ] })`)}; else compare with ${q("=")} or ${q("in")}`,
    );
  },
  enumOrderIgnored(subject: string): Wording {
    return w(
      `${q(subject)} is marked ${q("ordered: true")}, but zod does not keep the order of its values (values such as "11" or "21" come back first): it is not ordered.`,
      `give the order in the schema: ${q(`.meta({ ordered: [ …every value of ${subject}, in order ] })`)}`,
    );
  },

  // ---- params -------------------------------------------------------------------------------
  paramConflict(name: string, here: string, herePartner: string | undefined, before: string, beforePartner: string | undefined): Wording {
    const with_ = (p: string | undefined) => (p ? ` (with ${q(p)})` : "");
    return w(
      `${q(`$${name}`)} is used as ${here}${with_(herePartner)} here, but as ${before}${with_(beforePartner)} elsewhere: no value fits both.`,
      "use two parameters, one for each use",
    );
  },
  paramUntyped(name: string): Wording {
    return w(
      `The type of ${q(`$${name}`)} cannot be told from where it stands.`,
      `compare it with a field at least once, for example ${q(`employees > $${name}`)}`,
    );
  },

  // ---- refs ---------------------------------------------------------------------------------
  refOutsideRules(name: string): Wording {
    return w(
      `${q(`@${name}`)} refers to another definition, and this rule is not part of a rules file.`,
      "references work in rules files: compile the file with `compileRules`",
    );
  },
  refUnknown(name: string, suggestions: readonly string[], names: readonly string[]): Wording {
    return w(
      `There is no definition ${q(`@${name}`)}.`,
      suggestions.length
        ? didYouMeanText(suggestions.map((s) => `@${s}`))
        : names.length
          ? `definitions: ${someOf(names.map((n) => `@${n}`))}`
          : "this rules file has no other definition",
    );
  },
  refUnknownValue(value: string, ref: string, what: "stage" | "tier", suggestions: readonly string[], all: readonly string[]): Wording {
    return w(
      `${JSON.stringify(value)} is not a ${what} of ${q(`@${ref}`)}.`,
      suggestions.length ? didYouMeanText(suggestions, (s) => JSON.stringify(s)) : `the ${what}s are ${values(all)}`,
    );
  },

  // ---- lints --------------------------------------------------------------------------------
  nullableNegation(field: string): Wording {
    return w(
      `Records with no ${q(field)} are not selected: a missing value makes this test unknown, and its negation too.`,
      `add ${q(`or ${field} is not set`)} to include them`,
    );
  },
  emptyRange(low: string, high: string): Wording {
    return w(`${q(low)} is above ${q(high)}: this range is empty.`, `write the smaller bound first: ${q(`between ${high} and ${low}`)}`);
  },
  emptyList(op: string): Wording {
    return w(`${q(op)} an empty list never matches.`, "add values to the list, or remove this test");
  },
};

/** `6 months` → `5 months` (for the duration-equality hint); `1 month` → `0 months`… kept simple. */
function lessDuration(d: string): string {
  const m = /^(\d+) (\w+?)s?$/.exec(d);
  if (!m) return d;
  const n = Number(m[1]);
  const unit = m[2] as string;
  if (n <= 1) return `0 ${unit}s`;
  return `${n - 1} ${n - 1 === 1 ? unit : `${unit}s`}`;
}

/** What each operator works on, as `M.operator` says it ("`contains` works on text, …"). */
export const WORKS_ON = {
  singleValues: "single values",
  ordering: "numbers, dates and ordered choices",
  between: "numbers and dates",
  in: "text, numbers and choices",
  has: "lists of text, numbers or choices",
  text: "text",
  isEmpty: "lists and text",
  dates: "dates",
  quantifier: "lists of objects",
} as const;

/** Type words for what is not a schema type. */
export const WORDS = {
  text: "text",
  number: "a number",
  boolean: "a yes/no (boolean) value",
  date: "a date",
  instant: "a date (an instant)",
  choice: "a choice",
  orderedChoice: "an ordered choice",
  stage: "a lifecycle stage",
  tier: "a tier",
  arm: "a split's arm",
  score: "a score (a number)",
  segment: "a segment",
  duration: "a duration",
  list: "a list",
  param: "a parameter",
  condition: "a condition",
  unknown: "unknown",
} as const;

/** The operators that do work on a type, for hints. */
const OPERATORS_FOR: Readonly<Record<string, string>> = {
  number: "`=`, `<`, `>`, `between` and `in`",
  date: "`<`, `>`, `before`, `after`, `between` and `within`",
  string: "`=`, `in`, `contains`, `starts with`, `ends with` and `~=`",
  boolean: "`=` or alone (`x`, `not x`)",
  enum: "`=`, `!=` and `in`",
  array: "`has`, `has any`, `has all`, `has none`, `is empty` and `count(…)`",
};

/** Hints: what to write instead. */
export const H = {
  unquoteNumber: (raw: string) => `write the number without quotes: ${q(raw)}`,
  unquoteDate: (raw: string) => `write the date without quotes: ${q(raw)}`,
  unquoteBoolean: (raw: string) => `write ${q(raw)} without quotes`,
  quote: (raw: string) => `write it in quotes: ${q(`"${raw}"`)}`,
  enumValues: (vs: readonly string[]) => `the values are ${values(vs)}`,
  /** The values of an ordered enum (or a lifecycle's stages) in their order. */
  inOrder: (subject: string, vs: readonly string[], stages: boolean) =>
    `the ${stages ? "stages" : "values"} of ${q(subject)}, ${stages ? "in order" : "lowest first"}: ${values(vs, Infinity)}`,
  dateValues: "compare a date with a date (`2024-01-15`), an instant (`6 months ago`) or an age (`6 months`)",
  durationsWithDates: "durations compare with dates: `lastPurchase < 6 months`",
  betweenBounds: "the bounds must be both dates (`2024-01-01`, `6 months ago`) or both ages (`3 months`, `6 months`)",
  worksWith: (typeWords: string, kind: string): string | undefined =>
    OPERATORS_FOR[kind] ? `${typeWords} works with ${OPERATORS_FOR[kind]}` : undefined,
  nameAField: (f: string, first: string) => `name one of its fields, for example ${q(`${f}.${first}`)}`,
  segmentAlone: (f: string) => `write ${q(f)} alone, or ${q(`not ${f}`)}`,
  countOrAny: (f: string, op = ">", n = "0") => `write ${q(`count(${f}) ${op} ${n}`)} or ${q(`any ${f} where (…)`)}`,
  emptyOrCount: (typeWords: string, f: string) => `${typeWords} works with ${q("is empty")} and ${q(`count(${f})`)}`,
  useOp: (op: string) => `use ${q(op)}`,
  countSize: (f: string, op: string) => `to compare its size, write ${q(`count(${f}) ${op} …`)}`,
  has: (f: string, value: string) => `write ${q(`${f} has ${value}`)}`,
  alone: (f: string) => `write ${q(f)} or ${q(`not ${f}`)}`,
  textNoOrder: "text has no order: compare it with `=`, `in`, `contains` or `starts with`",
  tiersEquality: "tiers compare with `=`, `!=` or `in`",
  splitEquality: "a split's arms compare with `=`, `!=` or `in`: `@spring != \"control\"`",
  betweenOrdered: (f: string) => `write ${q(`${f} >= … and ${f} <= …`)}`,
  betweenSize: (f: string, op: string) => `to test its size, write ${q(`count(${f}) ${op} … and …`)}`,
  hasAny: (f: string) => `write ${q(`${f} has any […]`)}`,
  boolEquals: (f: string) => `write ${q(`${f} = true`)} or ${q(`${f} = false`)}`,
  dateRange: (f: string) => `write ${q(`${f} between … and …`)} or ${q(`${f} within last …`)}`,
  contains: (f: string, value: string) => `to find text inside it, write ${q(`${f} contains ${value}`)}`,
  equals: (f: string, value: string) => `write ${q(`${f} = ${value}`)}`,
  inList: (f: string, list: string) => `write ${q(`${f} in ${list}`)}`,
  anyWhere: (f: string) => `write ${q(`any ${f} where (…)`)}`,
  wholeChoice: (f: string, value: string, isField: boolean) =>
    `${isField ? "a choice" : "it"} is compared whole: write ${q(`${f} = ${value}`)} or ${q(`${f} in […]`)}`,
  isSet: (f: string, negated: boolean) => `write ${q(`${f} is ${negated ? "" : "not "}set`)}`,
  hasMode: (f: string, mode: string) => `write ${q(`${f} has ${mode} […]`)}`,
  truthyNumber: (f: string, isRef: boolean) => (isRef ? `compare it: ${q(`${f} >= 50`)}` : `write ${q(`${f} is set`)} or compare it: ${q(`${f} > 0`)}`),
  truthyText: (f: string) => `write ${q(`${f} is set`)} or ${q(`${f} is not empty`)}`,
  truthyChoice: (f: string, first: string, isField: boolean) =>
    `compare it: ${q(`${f} = ${JSON.stringify(first)}`)}${isField ? ` or write ${q(`${f} is set`)}` : ""}`,
  truthyDate: (f: string) => `write ${q(`${f} is set`)} or ${q(`${f} within last 30 days`)}`,
  truthyList: (f: string) => `write ${q(`${f} is not empty`)}`,
  truthyObject: (f: string) => `write ${q(`${f} is set`)}`,
};

/** A parameter's inferred type in words: "a number", "a list (text)". */
export function paramWords(t: ParamType): string {
  const base =
    t.kind === "string" ? (t.enumValues ? WORDS.choice : WORDS.text) : t.kind === "boolean" ? "a yes/no value" : t.kind === "dateOrDuration" ? "a date or a duration" : `a ${t.kind}`;
  return t.list ? `a list (${base})` : base;
}
