/**
 * What each operator means and how it treats a missing value (LANGUAGE.md §3), and which
 * operators fit a type: one table, read by completion (after an operand) and hover (on an
 * operator).
 * @internal
 */
import type { CheckedType } from "../check/facts.js";
import { describeType } from "../schema/model.js";

export interface OperatorInfo {
  /** As offered in completion (`is not set`, `starts with`). */
  readonly label: string;
  /** One line: what it tests. */
  readonly meaning: string;
  /** What it gives when the value is missing. */
  readonly missing: string;
  /** Text inserted, when not the label (a trailing `[` or space). */
  readonly insert?: string;
}

const UNKNOWN = "a missing value (null, absent, invalid) makes it unknown: the record is not selected, and `not` of it is unknown too";

const op = (label: string, meaning: string, missing = UNKNOWN, insert?: string): OperatorInfo => ({ label, meaning, missing, ...(insert ? { insert } : {}) });

export const OPERATORS = {
  eq: op("=", "equal to"),
  ne: op("!=", "not equal to", `${UNKNOWN} (write \`or f is not set\` to keep missing values)`),
  lt: op("<", "less than (for a date and a duration: more recent than; for an ordered choice: earlier in the order)"),
  le: op("<=", "less than or equal to"),
  gt: op(">", "greater than (for a date and a duration: older than)"),
  ge: op(">=", "greater than or equal to"),
  before: op("before", "earlier than a date or an instant (same as `<`)"),
  after: op("after", "later than a date or an instant (same as `>`)"),
  between: op("between", "from the low bound to the high bound, both included: `between a and b`", UNKNOWN, "between "),
  notBetween: op("not between", "outside the bounds", UNKNOWN, "not between "),
  in: op("in", "one of the listed values", UNKNOWN, "in ["),
  notIn: op("not in", "none of the listed values", UNKNOWN, "not in ["),
  has: op("has", "the list holds the value (`has any [..]`, `has all [..]`, `has none [..]` for several)", "a missing list makes it unknown; missing elements inside a list are ignored", "has "),
  contains: op("contains", "holds the text, ignoring case and accents", UNKNOWN, "contains "),
  notContains: op("not contains", "does not hold the text, ignoring case and accents", UNKNOWN, "not contains "),
  startsWith: op("starts with", "begins with the text, ignoring case and accents", UNKNOWN, "starts with "),
  endsWith: op("ends with", "ends with the text, ignoring case and accents", UNKNOWN, "ends with "),
  foldEq: op("~=", "equal after folding case and accents (`\"ORLÉANS\" ~= \"orleans\"`)"),
  within: op("within", "in the last or next period: `within last 30 days`", UNKNOWN, "within "),
  isSet: op("is set", "the value is present (not null, not absent, valid for its type)", "never unknown: a missing value makes it false"),
  isNotSet: op("is not set", "the value is missing (null, absent or invalid)", "never unknown: a missing value makes it true"),
  isEmpty: op("is empty", "the list has no element (the text is \"\")", "a missing list or text makes it unknown"),
  isNotEmpty: op("is not empty", "the list has an element (the text is not \"\")", "a missing list or text makes it unknown"),
  and: op("and", "both conditions hold", "false when either side is false, else unknown when either side is unknown"),
  or: op("or", "either condition holds", "true when either side is true, else unknown when either side is unknown"),
  not: op("not", "the condition does not hold", "`not` of unknown is unknown: `not (sector = \"santé\")` does not select a record whose sector is missing"),
} as const satisfies Record<string, OperatorInfo>;

const O = OPERATORS;

/** The operators that fit an operand of this type (every operator when the type is not known). */
export function operatorsFor(t: CheckedType | undefined): OperatorInfo[] {
  const presence = [O.isSet, O.isNotSet];
  if (!t) return [O.eq, O.ne, O.lt, O.le, O.gt, O.ge, O.between, O.in, O.notIn, O.has, O.contains, O.startsWith, O.endsWith, O.foldEq, O.within, ...presence, O.isEmpty, O.isNotEmpty];
  switch (t.kind) {
    case "string":
      return [O.eq, O.ne, O.in, O.notIn, O.contains, O.notContains, O.startsWith, O.endsWith, O.foldEq, ...presence, O.isEmpty, O.isNotEmpty];
    case "number":
      return [O.eq, O.ne, O.lt, O.le, O.gt, O.ge, O.between, O.notBetween, O.in, O.notIn, ...presence];
    case "date":
    case "dateOrDuration":
      return [O.lt, O.le, O.gt, O.ge, O.before, O.after, O.within, O.between, O.notBetween, O.eq, O.ne, ...presence];
    case "enum":
      return t.ordered ? [O.eq, O.ne, O.in, O.notIn, O.lt, O.le, O.gt, O.ge, ...presence] : [O.eq, O.ne, O.in, O.notIn, ...presence];
    case "boolean":
      return [O.eq, O.ne, O.and, O.or, ...presence];
    case "array":
      return t.type.element.kind === "object" ? [O.isEmpty, O.isNotEmpty, ...presence] : [O.has, O.isEmpty, O.isNotEmpty, ...presence];
    case "segment":
      return [O.and, O.or];
    case "object":
      return presence;
    default:
      return [O.eq, O.ne, ...presence];
  }
}

/** A checked type in words: `ordered choice: "F", "D", "C"`, `list of text`. */
export function describeChecked(t: CheckedType): string {
  switch (t.kind) {
    case "enum": {
      const what = t.origin === "lifecycle" ? "lifecycle stage" : t.origin === "tiers" ? "tier" : t.origin === "split" ? "split arm" : t.ordered ? "ordered choice" : "choice";
      const values = t.values.map((v) => JSON.stringify(v)).join(t.ordered ? " < " : ", ");
      return `${what}: ${values}`;
    }
    case "array":
    case "object":
      return describeType(t.type);
    case "list":
      return t.item ? `list of ${describeChecked(t.item)}` : "list";
    case "segment":
      return "condition (a segment)";
    case "duration":
      return "duration";
    case "dateOrDuration":
      return "date or duration";
    case "boolean":
      return "yes/no (boolean)";
    case "string":
      return "text";
    default:
      return t.kind;
  }
}

/** What each quantifier selects. */
export const QUANT: Readonly<Record<string, string>> = {
  any: "true when the condition holds for at least one element (false for none; unknown when it is unknown for some and true for none)",
  all: "true when the condition holds for every element (true for none; unknown when it is unknown for some and false for none)",
  none: "true when the condition holds for no element (`not any`)",
};

/** What each aggregate computes, and what it gives over no element. */
export const AGG: Readonly<Record<string, string>> = {
  count: "the number of elements (matching `where`); 0 for none",
  sum: "the total of a number over the elements; 0 for none, missing values skipped",
  avg: "the mean of a number over the elements; unknown for none, missing values skipped",
  min: "the smallest value over the elements; unknown for none, missing values skipped",
  max: "the largest value over the elements; unknown for none, missing values skipped",
};
