/**
 * A schema inferred from the first records of a data file, as a JSON Schema (which `cible infer`
 * prints for the user to edit and pass back with `--schema`). CSV cells are read as the CSV
 * reader would: integers, numbers, yes/no words, dates, lists (JSON arrays, or values separated by
 * `|` or `;`); NDJSON values by their JSON type, ISO texts as dates. Dates in CSV are read day
 * first (`03/12/2025` is 3 December), whatever the machine's locale, as the CSV reader reads them;
 * a CSV column stays a date when at least 90% of its non-empty cells read as dates, and its
 * `$comment` lists the others. A column that falls back to text says why in its `$comment`, and
 * so does a column of day-first dates none of which has a day above 12 (it could be month first).
 * A column with an empty cell (or a key missing from some record) may be null. Text is never guessed to be a choice list (a
 * sample may miss some values): edit the JSON Schema to add an `enum` (with `"ordered": true` for
 * bands such as headcounts).
 */
import { readDate, readNumber } from "./coerce.js";
import type { Row } from "./data.js";

type JsonSchema = Record<string, unknown>;

interface Acc {
  seen: number;
  empty: number;
  integer: number;
  number: number;
  boolean: number;
  date: number;
  dateOnly: number;
  text: number;
  /** CSV cells with a `|` or `;`. */
  separated: number;
  array?: Acc;
  arrays: number;
  object?: Map<string, Acc>;
  objects: number;
  other: number;
  /** Dates written day first (`31/12/2025`), and how many of them have a day above 12. */
  dayFirst: number;
  dayAbove12: number;
  /** Cells that are not dates but would be month first (`12/31/2025`). */
  monthFirst: number;
  /** The first few cells of each kind, with their record number, to say why a column is what it is. */
  examples: Partial<Record<Kind, Example[]>>;
}

type Kind = "number" | "boolean" | "date" | "text" | "other";
interface Example {
  readonly record: number;
  readonly value: string;
}

const newAcc = (): Acc => ({
  seen: 0, empty: 0, integer: 0, number: 0, boolean: 0, date: 0, dateOnly: 0, text: 0, separated: 0, arrays: 0, objects: 0, other: 0,
  dayFirst: 0, dayAbove12: 0, monthFirst: 0, examples: {},
});

/** A column stays a date when at least this share of its non-empty CSV cells read as dates. */
export const DATE_SHARE = 0.9;

function example(acc: Acc, kind: Kind, record: number, value: string): void {
  const list = (acc.examples[kind] ??= []);
  if (list.length < 3) list.push({ record, value });
}

const SLASHED = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})/;

/** Words that make a column yes/no (the reader also takes 1/0, x, y/n… once the schema says so). */
const BOOLEAN_WORDS = new Set(["true", "false", "yes", "no", "oui", "non", "vrai", "faux"]);

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function seeJson(acc: Acc, v: unknown, record: number): void {
  acc.seen++;
  if (v === null || v === undefined) acc.empty++;
  else if (typeof v === "boolean") {
    acc.boolean++;
    example(acc, "boolean", record, String(v));
  } else if (typeof v === "number") {
    Number.isInteger(v) ? acc.integer++ : acc.number++;
    example(acc, "number", record, String(v));
  } else if (typeof v === "string") {
    if (ISO.test(v) && !Number.isNaN(Date.parse(v))) {
      acc.date++;
      if (v.length === 10) acc.dateOnly++;
      example(acc, "date", record, v);
    } else {
      acc.text++;
      example(acc, "text", record, v);
    }
  } else if (Array.isArray(v)) {
    acc.arrays++;
    acc.array ??= newAcc();
    example(acc, "other", record, JSON.stringify(v));
    for (const x of v) seeJson(acc.array, x, record);
  } else if (typeof v === "object") {
    acc.objects++;
    example(acc, "other", record, JSON.stringify(v));
    seeObject((acc.object ??= new Map()), v as Record<string, unknown>, record);
  } else acc.other++;
}

function seeObject(fields: Map<string, Acc>, o: Record<string, unknown>, record: number): void {
  for (const [k, v] of Object.entries(o)) {
    let acc = fields.get(k);
    if (!acc) fields.set(k, (acc = newAcc()));
    seeJson(acc, v, record);
  }
}

function seeCell(acc: Acc, text: string, decimalComma: boolean, record: number): void {
  acc.seen++;
  if (text === "") {
    acc.empty++;
    return;
  }
  // Day first, as the CSV reader reads it (`03/12/2025`: 3 December), before the leading-zero rule.
  const date = readDate(text);
  if (date !== undefined) {
    acc.date++;
    if (date.length === 10) acc.dateOnly++;
    const m = SLASHED.exec(text);
    if (m) {
      acc.dayFirst++;
      if (Number(m[1]) > 12) acc.dayAbove12++;
    }
    example(acc, "date", record, text);
    return;
  }
  const m = SLASHED.exec(text);
  if (m && Number(m[1]) <= 12 && Number(m[2]) > 12 && Number(m[2]) <= 31) acc.monthFirst++;
  const n = readNumber(text, decimalComma);
  // Digits with a leading zero are a code (a postcode, an identifier), not a number.
  if (/^0\d/.test(text)) {
    acc.text++;
    example(acc, "text", record, text);
  } else if (n !== undefined) {
    Number.isInteger(n) ? acc.integer++ : acc.number++;
    example(acc, "number", record, text);
  } else if (BOOLEAN_WORDS.has(text.toLowerCase())) {
    acc.boolean++;
    example(acc, "boolean", record, text);
  } else if (/^\[.*\]$/s.test(text) || /^\{.*\}$/s.test(text)) {
    try {
      const v: unknown = JSON.parse(text);
      acc.seen--;
      seeJson(acc, v, record);
    } catch {
      acc.text++;
      example(acc, "text", record, text);
    }
  } else {
    acc.text++;
    example(acc, "text", record, text);
    if (/[|;]/.test(text)) {
      acc.separated++;
      acc.array ??= newAcc();
      for (const part of text.split(/[|;]/)) if (part.trim()) seeCell(acc.array, part.trim(), decimalComma, record);
    }
  }
}

/** One record's fields, for a CSV row or an NDJSON object. */
export class SchemaInference {
  private readonly fields = new Map<string, Acc>();
  private records = 0;

  private csv = false;

  constructor(private readonly decimalComma = false) {}

  add(row: Row): void {
    this.records++;
    if (row.kind === "json") {
      seeObject(this.fields, row.value as Record<string, unknown>, this.records);
      return;
    }
    this.csv = true;
    for (const [k, text] of Object.entries(row.cells)) {
      let acc = this.fields.get(k);
      if (!acc) this.fields.set(k, (acc = newAcc()));
      seeCell(acc, text, this.decimalComma, this.records);
    }
  }

  get count(): number {
    return this.records;
  }

  /** The JSON Schema of the records seen so far. */
  jsonSchema(): JsonSchema {
    return {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      description: `Inferred by cible from ${this.records} record${this.records === 1 ? "" : "s"}; edit it and pass it back with --schema.`,
      ...objectSchema(this.fields, this.records, this.csv),
    };
  }
}

function objectSchema(fields: Map<string, Acc>, count: number, csv = false): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [k, acc] of fields) properties[k] = schemaOf(acc, acc.seen < count, csv);
  return { type: "object", properties, required: Object.keys(properties) };
}

function schemaOf(acc: Acc, missingSometimes: boolean, csv: boolean): JsonSchema {
  const base = baseSchema(acc, csv);
  // An empty CSV cell of a list column reads as an empty list, not as a missing value.
  const nullable = (acc.empty > 0 && !(csv && base.type === "array")) || missingSometimes;
  const schema = nullable && Object.keys(base).length > 0 ? { anyOf: [base, { type: "null" }] } : base;
  const comment = commentOf(acc, base, csv);
  return comment ? { ...schema, $comment: comment } : schema;
}

const showExamples = (list: readonly Example[]) => list.map((x) => `record ${x.record}: ${JSON.stringify(x.value)}`).join(", ");

const KIND_NAMES: Record<Kind, [string, string]> = {
  number: ["number", "numbers"],
  boolean: ["yes/no", "yes/no"],
  date: ["date", "dates"],
  text: ["text", "text"],
  other: ["list or object", "lists or objects"],
};

/** The cells of `acc` that are not of `kind`: a few examples, by record number. */
function othersThan(acc: Acc, kind: Kind): Example[] {
  return (Object.keys(acc.examples) as Kind[])
    .filter((k) => k !== kind)
    .flatMap((k) => acc.examples[k]!)
    .sort((a, b) => a.record - b.record)
    .slice(0, 3);
}

/**
 * What a reader of the inferred schema should know about a column: the cells a date column
 * could not read, day-first dates that could as well be month first, and why a column that is
 * mostly numbers, yes/no or dates fell back to text.
 */
function commentOf(acc: Acc, base: JsonSchema, csv: boolean): string | undefined {
  const filled = acc.seen - acc.empty;
  if (filled === 0) return undefined;
  const notes: string[] = [];
  const isDate = base.type === "string" && (base.format === "date" || base.format === "date-time");
  const cells = (n: number, what: string, whats: string) => `${n} of ${filled} cells ${n === 1 ? `is not ${what}` : `are not ${whats}`}`;
  if (isDate && acc.date < filled) {
    notes.push(`${cells(filled - acc.date, "a date", "dates")} (${showExamples(othersThan(acc, "date"))}): rules see ${filled - acc.date === 1 ? "it" : "them"} as unknown`);
  }
  if (isDate && acc.dayFirst > 0 && acc.dayAbove12 === 0) {
    notes.push("dates read day first (03/04/2025 is 3 April); no day in the sample is above 12, so they could be month first: check a few");
  }
  if (base.type === "string" && !isDate && base.format === undefined) {
    const typed: [Kind, number][] = [["number", acc.integer + acc.number], ["boolean", acc.boolean], ["date", acc.date + acc.monthFirst]];
    const [kind, count] = typed.reduce((a, b) => (b[1] > a[1] ? b : a));
    if (count > 0 && count * 2 >= filled) {
      const [what, whats] = KIND_NAMES[kind];
      const read = kind === "date" ? acc.date : count;
      let why = `not a ${what} column: ${cells(filled - read, `a ${what}`, whats)} (${showExamples(othersThan(acc, kind))})`;
      if (kind === "date" && csv) why += `; a date column needs ${DATE_SHARE * 100}% of its cells to read as dates`;
      if (kind === "date" && acc.monthFirst > 0) why += `; ${acc.monthFirst} look month first (12/31/2025), and dates are read day first`;
      notes.push(why);
    }
  }
  return notes.length ? notes.join("; ") : undefined;
}

function baseSchema(acc: Acc, csv = false): JsonSchema {
  const filled = acc.seen - acc.empty;
  if (filled === 0) return { type: "string" };
  // CSV: a column of dates with a few cells that are not stays a date (the reader lists those cells).
  if (csv && acc.date > 0 && acc.date < filled && acc.date >= DATE_SHARE * filled) {
    return { type: "string", format: acc.dateOnly === acc.date ? "date" : "date-time" };
  }
  const kinds = [acc.integer + acc.number, acc.boolean, acc.date, acc.text, acc.arrays, acc.objects, acc.other].filter((n) => n > 0).length;
  if (kinds === 1) {
    if (acc.integer + acc.number > 0) return { type: acc.number > 0 ? "number" : "integer" };
    if (acc.boolean > 0) return { type: "boolean" };
    if (acc.date > 0) return { type: "string", format: acc.dateOnly === acc.date ? "date" : "date-time" };
    if (acc.arrays > 0) return { type: "array", items: acc.array && acc.array.seen > 0 ? baseSchema(acc.array, csv) : { type: "string" } };
    if (acc.objects > 0) return objectSchema(acc.object ?? new Map(), acc.objects);
    if (acc.text > 0) {
      // Values separated by `|` or `;` in at least a tenth of the cells: a list.
      if (acc.separated > 0 && acc.separated * 10 >= filled && acc.array) return { type: "array", items: baseSchema(acc.array, csv) };
      return { type: "string" };
    }
    return {};
  }
  // CSV: a list column whose single values look like numbers or words is still a list.
  if (acc.separated > 0 && acc.separated * 10 >= filled && acc.array && acc.arrays === 0 && acc.objects === 0) {
    return { type: "array", items: baseSchema(acc.array, csv) };
  }
  if (acc.arrays > 0 || acc.objects > 0 || acc.other > 0) return {};
  return { type: "string" };
}

/**
 * One `name: type` line per field of an inferred schema (`dernierAchat: date, or empty`), with
 * the field's `$comment` after a dash when it has one.
 */
export function describeInferred(schema: JsonSchema): string[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props).map(([k, s]) => `${k}: ${describeJson(s)}${typeof s.$comment === "string" ? ` — ${s.$comment}` : ""}`);
}

function describeJson(s: JsonSchema): string {
  if (Array.isArray(s.anyOf)) {
    const inner = (s.anyOf as JsonSchema[]).find((x) => x.type !== "null");
    return `${inner ? describeJson(inner) : "anything"}, or empty`;
  }
  switch (s.type) {
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "yes/no";
    case "string":
      return s.format === "date" || s.format === "date-time" ? "date" : "text";
    case "array":
      return `list of ${s.items ? describeJson(s.items as JsonSchema) : "anything"}`;
    case "object":
      return `{${Object.entries((s.properties ?? {}) as Record<string, JsonSchema>).map(([k, v]) => `${k}: ${describeJson(v)}`).join(", ")}}`;
    default:
      return "anything";
  }
}
