/**
 * Reading CSV cells as the schema's types: numbers (`1 234,5` with a `;` delimiter), yes/no
 * (`true`, `oui`, `1`…), dates (ISO, or `31/12/2025` day first), lists (a JSON array, or values
 * separated by `|` or `;`), objects (JSON). An empty cell is null (an empty list for a list). A
 * cell that does not read as its type is kept as text, which rules see as unknown, and counted so
 * that the command can say which columns had such cells.
 */
import { type Shape } from "./shape.js";

/** Cells that did not read as their column's type, per column. */
export class Problems {
  private readonly byField = new Map<string, { expected: string; count: number; examples: { record: number; value: string }[] }>();

  add(field: string, expected: string, value: string, record: number): void {
    let p = this.byField.get(field);
    if (!p) this.byField.set(field, (p = { expected, count: 0, examples: [] }));
    p.count++;
    if (p.examples.length < 3) p.examples.push({ record, value });
  }

  get size(): number {
    return this.byField.size;
  }

  list(): { field: string; expected: string; count: number; examples: { record: number; value: string }[] }[] {
    return [...this.byField].map(([field, p]) => ({ field, ...p }));
  }
}

const TRUE = new Set(["true", "yes", "y", "oui", "o", "vrai", "1", "x"]);
const FALSE = new Set(["false", "no", "n", "non", "faux", "0"]);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DAY_FIRST = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** A number from a cell, or undefined. Spaces are thousands separators; with `decimalComma`, `12,5` is 12.5. */
export function readNumber(text: string, decimalComma: boolean): number | undefined {
  let t = text.replace(/[\s\u00a0\u202f]/g, "");
  if (decimalComma && /^[+-]?\d*,\d+$/.test(t)) t = t.replace(",", ".");
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function readBoolean(text: string): boolean | undefined {
  const t = text.toLowerCase();
  return TRUE.has(t) ? true : FALSE.has(t) ? false : undefined;
}

/** An ISO-8601 text for a date cell (`2025-12-31`, `31/12/2025 14:30`), or undefined. */
export function readDate(text: string): string | undefined {
  if (ISO_DATE.test(text)) {
    const iso = text.replace(" ", "T");
    return Number.isNaN(Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) ? undefined : iso;
  }
  const m = DAY_FIRST.exec(text);
  if (!m) return undefined;
  const [, d, mo, y, h, mi, s] = m;
  const day = Number(d);
  const month = Number(mo);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(Number(y), month, 0)).getUTCDate()) return undefined;
  const date = `${y}-${mo!.padStart(2, "0")}-${d!.padStart(2, "0")}`;
  return h === undefined ? date : `${date}T${h.padStart(2, "0")}:${mi}:${s ?? "00"}`;
}

/** The values of a list cell: a JSON array, or texts separated by `|` or `;`. */
export function readList(text: string): unknown[] | undefined {
  if (text.startsWith("[")) {
    try {
      const v: unknown = JSON.parse(text);
      return Array.isArray(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }
  return text.split(/[|;]/).map((s) => s.trim()).filter((s) => s !== "");
}

const describe = (s: Shape): string =>
  s.kind === "number" ? (s.integer ? "an integer" : "a number") : s.kind === "boolean" ? "yes/no" : s.kind === "date" ? "a date" : s.kind === "array" ? "a list" : s.kind === "object" ? "a JSON object" : "text";

/**
 * A cell as a value of `shape`. Returns `{ ok: false }` when the cell does not read as that type;
 * the caller keeps the text.
 */
export function coerceCell(text: string, shape: Shape, decimalComma: boolean): { ok: true; value: unknown } | { ok: false } {
  if (text === "") return { ok: true, value: shape.kind === "array" ? [] : null };
  switch (shape.kind) {
    case "number": {
      const n = readNumber(text, decimalComma);
      return n === undefined ? { ok: false } : { ok: true, value: n };
    }
    case "boolean": {
      const b = readBoolean(text);
      return b === undefined ? { ok: false } : { ok: true, value: b };
    }
    case "date": {
      const d = readDate(text);
      return d === undefined ? { ok: false } : { ok: true, value: d };
    }
    case "array": {
      const list = readList(text);
      if (!list) return { ok: false };
      const out: unknown[] = [];
      for (const item of list) {
        if (typeof item !== "string") {
          out.push(item);
          continue;
        }
        const c = coerceCell(item, shape.element, decimalComma);
        if (!c.ok) return { ok: false };
        out.push(c.value);
      }
      return { ok: true, value: out };
    }
    case "object": {
      if (!text.startsWith("{")) return { ok: false };
      try {
        const v: unknown = JSON.parse(text);
        return typeof v === "object" && v !== null && !Array.isArray(v) ? { ok: true, value: v } : { ok: false };
      } catch {
        return { ok: false };
      }
    }
    default:
      return { ok: true, value: text };
  }
}

export interface Column {
  readonly name: string;
  readonly path: readonly string[];
  readonly shape: Shape | undefined;
}

/**
 * The key a CSV header and a field name are matched by: accents dropped (NFD, marks removed),
 * lower case, `’` read as `'`, French elisions dropped (`d'`, `l'`, `qu'`, `j'`, `n'`, `s'`, `c'`
 * at the start of a word), then everything but letters and digits dropped — so
 * `Secteur d'activité` and `secteurActivite` are both `secteuractivite`, `Chiffre d'affaires (€)`
 * and `chiffreAffaires` both `chiffreaffaires`.
 */
export function fieldKey(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[’‘ʼ]/g, "'")
    .replace(/(^|[^\p{L}\p{N}])(?:qu|[dljnsc])'/gu, "$1")
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/** Columns and fields whose keys collide: none of them is matched by key. */
export interface Collision {
  readonly key: string;
  readonly columns: readonly string[];
  readonly fields: readonly string[];
}

export interface ColumnMatch {
  /** Where each column goes, in column order. */
  readonly columns: readonly Column[];
  /** Top-level fields of the schema no column fills. */
  readonly missing: readonly string[];
  /** Columns that match no field (kept as text under their own name). */
  readonly extra: readonly string[];
  /** Keys shared by several columns or several fields, which therefore matched nothing. */
  readonly collisions: readonly Collision[];
}

/**
 * Where each CSV column goes in a record, in this order: the field `explicit` maps it to
 * (`--map "Header=field"`, a dotted path for a nested field); the field of the same name; the
 * field with the same {@link fieldKey}, when exactly one remaining column and one remaining field
 * have that key (a key several share matches nothing and is reported as a collision); a nested
 * field for a dotted name (`hq.country`); else a text field of the column's name (an extra
 * column). Throws {@link ColumnMapError} when `explicit` names a column the header lacks or a
 * field the schema lacks, or gives two columns to one field.
 */
export function matchColumns(
  columns: readonly string[],
  fields: ReadonlyMap<string, Shape>,
  explicit: ReadonlyMap<string, string> = new Map(),
): ColumnMatch {
  const root: Shape = { kind: "object", fields };
  const shapeAt = (path: readonly string[]): Shape | undefined => {
    let shape: Shape | undefined = root;
    for (const p of path) shape = shape?.kind === "object" ? shape.fields.get(p) : undefined;
    return shape;
  };
  const out = new Map<string, Column>();
  const filled = new Set<string>();
  for (const [header, field] of explicit) {
    if (!columns.includes(header)) throw new ColumnMapError(`--map names the column "${header}", which the header does not have`, columns);
    const path = fields.has(field) ? [field] : field.split(".");
    const shape = shapeAt(path);
    if (!shape) throw new ColumnMapError(`--map "${header}=${field}": the schema has no field ${field}`, [...fields.keys()]);
    if (filled.has(path.join("."))) throw new ColumnMapError(`--map gives two columns to the field ${field}`, []);
    out.set(header, { name: header, path, shape });
    filled.add(path.join("."));
  }
  for (const name of columns) {
    if (!out.has(name) && fields.has(name) && !filled.has(name)) {
      out.set(name, { name, path: [name], shape: fields.get(name) });
      filled.add(name);
    }
  }
  const byKey = new Map<string, { columns: string[]; fields: string[] }>();
  const group = (key: string) => {
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { columns: [], fields: [] }));
    return g;
  };
  for (const name of columns) if (!out.has(name)) group(fieldKey(name)).columns.push(name);
  for (const f of fields.keys()) if (!filled.has(f)) group(fieldKey(f)).fields.push(f);
  const collisions: Collision[] = [];
  for (const [key, g] of byKey) {
    if (!g.columns.length || !g.fields.length || key === "") continue;
    if (g.columns.length === 1 && g.fields.length === 1) {
      const f = g.fields[0]!;
      out.set(g.columns[0]!, { name: g.columns[0]!, path: [f], shape: fields.get(f) });
      filled.add(f);
    } else collisions.push({ key, columns: g.columns, fields: g.fields });
  }
  const extra: string[] = [];
  const mapped = columns.map((name): Column => {
    const hit = out.get(name);
    if (hit) return hit;
    const parts = name.split(".");
    if (parts.length > 1) {
      const shape = shapeAt(parts);
      if (shape) {
        filled.add(parts[0]!);
        return { name, path: parts, shape };
      }
    }
    extra.push(name);
    return { name, path: [name], shape: undefined };
  });
  for (const c of mapped) if (c.path.length > 1) filled.add(c.path[0]!);
  const missing = [...fields.keys()].filter((f) => !filled.has(f));
  return { columns: mapped, missing, extra, collisions };
}

/** A `--map` entry that cannot apply; the caller turns it into a usage error. */
export class ColumnMapError extends Error {
  constructor(
    message: string,
    /** The names that would have fitted (columns or fields), for a hint. */
    readonly names: readonly string[],
  ) {
    super(message);
  }
}

/** Reads CSV rows (cells by column, placed by {@link matchColumns}) as records of a schema's fields, counting the cells that do not fit. */
export function csvRecordReader(
  mapped: readonly Column[],
  options: { decimalComma: boolean; problems: Problems },
): (cells: Record<string, string>, recordNumber: number) => Record<string, unknown> {
  const { decimalComma, problems } = options;
  return (cells, recordNumber) => {
    const rec: Record<string, unknown> = Object.create(null);
    for (const col of mapped) {
      const text = cells[col.name] ?? "";
      let value: unknown = text;
      if (col.shape) {
        const c = coerceCell(text, col.shape, decimalComma);
        if (c.ok) value = c.value;
        else problems.add(col.path.join("."), describe(col.shape), text, recordNumber);
      } else if (text === "") value = null;
      let target = rec;
      for (let i = 0; i < col.path.length - 1; i++) {
        const k = col.path[i]!;
        let next = target[k];
        if (typeof next !== "object" || next === null) target[k] = next = Object.create(null);
        target = next as Record<string, unknown>;
      }
      target[col.path[col.path.length - 1]!] = value;
    }
    return rec;
  };
}
