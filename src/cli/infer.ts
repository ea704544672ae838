/**
 * A schema inferred from the first records of a data file, as a JSON Schema (which `cible infer`
 * prints for the user to edit and pass back with `--schema`). CSV cells are read as the CSV
 * reader would: integers, numbers, yes/no words, dates, lists (JSON arrays, or values separated by
 * `|` or `;`); NDJSON values by their JSON type, ISO texts as dates. A column with an empty cell
 * (or a key missing from some record) may be null. Text is never guessed to be a choice list (a
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
}

const newAcc = (): Acc => ({ seen: 0, empty: 0, integer: 0, number: 0, boolean: 0, date: 0, dateOnly: 0, text: 0, separated: 0, arrays: 0, objects: 0, other: 0 });

/** Words that make a column yes/no (the reader also takes 1/0, x, y/n… once the schema says so). */
const BOOLEAN_WORDS = new Set(["true", "false", "yes", "no", "oui", "non", "vrai", "faux"]);

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function seeJson(acc: Acc, v: unknown): void {
  acc.seen++;
  if (v === null || v === undefined) acc.empty++;
  else if (typeof v === "boolean") acc.boolean++;
  else if (typeof v === "number") Number.isInteger(v) ? acc.integer++ : acc.number++;
  else if (typeof v === "string") {
    if (ISO.test(v) && !Number.isNaN(Date.parse(v))) {
      acc.date++;
      if (v.length === 10) acc.dateOnly++;
    } else acc.text++;
  } else if (Array.isArray(v)) {
    acc.arrays++;
    acc.array ??= newAcc();
    for (const x of v) seeJson(acc.array, x);
  } else if (typeof v === "object") {
    acc.objects++;
    seeObject((acc.object ??= new Map()), v as Record<string, unknown>);
  } else acc.other++;
}

function seeObject(fields: Map<string, Acc>, o: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(o)) {
    let acc = fields.get(k);
    if (!acc) fields.set(k, (acc = newAcc()));
    seeJson(acc, v);
  }
}

function seeCell(acc: Acc, text: string, decimalComma: boolean): void {
  acc.seen++;
  if (text === "") acc.empty++;
  // Digits with a leading zero are a code (a postcode, an identifier), not a number.
  else if (/^0\d/.test(text)) acc.text++;
  else if (readNumber(text, decimalComma) !== undefined) Number.isInteger(readNumber(text, decimalComma)) ? acc.integer++ : acc.number++;
  else if (BOOLEAN_WORDS.has(text.toLowerCase())) acc.boolean++;
  else if (readDate(text) !== undefined) {
    acc.date++;
    if (readDate(text)!.length === 10) acc.dateOnly++;
  } else if (/^\[.*\]$/s.test(text) || /^\{.*\}$/s.test(text)) {
    try {
      const v: unknown = JSON.parse(text);
      acc.seen--;
      seeJson(acc, v);
    } catch {
      acc.text++;
    }
  } else {
    acc.text++;
    if (/[|;]/.test(text)) {
      acc.separated++;
      acc.array ??= newAcc();
      for (const part of text.split(/[|;]/)) if (part.trim()) seeCell(acc.array, part.trim(), decimalComma);
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
      seeObject(this.fields, row.value as Record<string, unknown>);
      return;
    }
    this.csv = true;
    for (const [k, text] of Object.entries(row.cells)) {
      let acc = this.fields.get(k);
      if (!acc) this.fields.set(k, (acc = newAcc()));
      seeCell(acc, text, this.decimalComma);
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
  const base = baseSchema(acc);
  // An empty CSV cell of a list column reads as an empty list, not as a missing value.
  const nullable = (acc.empty > 0 && !(csv && base.type === "array")) || missingSometimes;
  return nullable && Object.keys(base).length > 0 ? { anyOf: [base, { type: "null" }] } : base;
}

function baseSchema(acc: Acc): JsonSchema {
  const filled = acc.seen - acc.empty;
  if (filled === 0) return { type: "string" };
  const kinds = [acc.integer + acc.number, acc.boolean, acc.date, acc.text, acc.arrays, acc.objects, acc.other].filter((n) => n > 0).length;
  if (kinds === 1) {
    if (acc.integer + acc.number > 0) return { type: acc.number > 0 ? "number" : "integer" };
    if (acc.boolean > 0) return { type: "boolean" };
    if (acc.date > 0) return { type: "string", format: acc.dateOnly === acc.date ? "date" : "date-time" };
    if (acc.arrays > 0) return { type: "array", items: acc.array && acc.array.seen > 0 ? baseSchema(acc.array) : { type: "string" } };
    if (acc.objects > 0) return objectSchema(acc.object ?? new Map(), acc.objects);
    if (acc.text > 0) {
      // Values separated by `|` or `;` in at least a tenth of the cells: a list.
      if (acc.separated > 0 && acc.separated * 10 >= filled && acc.array) return { type: "array", items: baseSchema(acc.array) };
      return { type: "string" };
    }
    return {};
  }
  // CSV: a list column whose single values look like numbers or words is still a list.
  if (acc.separated > 0 && acc.separated * 10 >= filled && acc.array && acc.arrays === 0 && acc.objects === 0) {
    return { type: "array", items: baseSchema(acc.array) };
  }
  if (acc.arrays > 0 || acc.objects > 0 || acc.other > 0) return {};
  return { type: "string" };
}

/** One `name: type` line per field of an inferred schema (`dernierAchat: date, or empty`). */
export function describeInferred(schema: JsonSchema): string[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props).map(([k, s]) => `${k}: ${describeJson(s)}`);
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
