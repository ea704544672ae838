/**
 * Behaviour on the real engines (PGlite, DuckDB in-process): injection, folding of case and
 * accents compared with JavaScript's, and lists of 100,000 values. docs/sql.md reports what these
 * tests establish; when an engine changes, they say so.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { compile } from "../../src/index.js";
import { CibleError } from "../../src/errors/cible-error.js";
import { readSchema } from "../../src/schema/index.js";
import { toSQL } from "../../src/sql.js";
import type { Dialect } from "../../src/sql/dialect.js";
import { clickhouse as chDialect } from "../../src/sql/clickhouse.js";
import { duckdb as duckDialect } from "../../src/sql/duckdb.js";
import { postgres as pgDialect } from "../../src/sql/postgres.js";
import type { SQLDialectName } from "../../src/sql/types.js";
import { type Db, openClickHouse, openDuckDB, openPostgres, selectIds } from "./support/engines.js";
import { createTables, insertStatements, planLayout, rowsOf } from "./support/layout.js";

const dbs: Partial<Record<SQLDialectName, Db>> = {};
const DIALECTS = ["postgres", "duckdb", "clickhouse"] as const;
const DIALECT_OF: Record<SQLDialectName, Dialect> = { postgres: pgDialect, duckdb: duckDialect, clickhouse: chDialect };

/** A rule's string literal for any text. */
function lit(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

// ---------------------------------------------------------------------------------------------
// A table with hostile values and a hostile column name
// ---------------------------------------------------------------------------------------------

const HOSTILE_COLUMN = `we"ird'; DROP TABLE "things"; --`;
const Thing = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  tags: z.array(z.string()).nullable(),
  [HOSTILE_COLUMN]: z.string().nullable(),
});
type ThingRecord = z.output<typeof Thing>;

const HOSTILE = [
  "'", "''", '"', "--", ";", "\\", "\\'", "$1", "$$", "?", "%", "_", "/*", "*/", "' OR '1'='1", "'); DROP TABLE \"things\"; --",
  "E'\\x27'", "ʼ", "line\nbreak", "tab\there", "a%b_c", "100%", "\\%", "x\u0000y", "",
];

const things: ThingRecord[] = HOSTILE.flatMap((s, i) => [
  { id: 2 * i + 1, name: s, tags: [s, "x"], [HOSTILE_COLUMN]: s },
  { id: 2 * i + 2, name: `pre${s}post`.toUpperCase(), tags: null, [HOSTILE_COLUMN]: null },
]);

beforeAll(async () => {
  const [pg, duck, ch] = await Promise.all([openPostgres(), openDuckDB(), openClickHouse()]);
  dbs.postgres = pg;
  dbs.duckdb = duck;
  dbs.clickhouse = ch;
  const plan = planLayout(readSchema(Thing).root, { table: "things" });
  for (const db of [pg, duck, ch]) {
    for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
    // PostgreSQL text cannot hold NUL: its loader drops the character (documented in docs/sql.md).
    const data = db.engine === "postgres" ? JSON.parse(JSON.stringify(things).replace(/\\u0000/g, "")) : things;
    for (const s of insertStatements(plan, rowsOf(plan, data, "UTC"), db.engine)) await db.exec(s.sql, s.params);
  }
});

afterAll(async () => {
  await dbs.postgres?.close();
  await dbs.duckdb?.close();
  await dbs.clickhouse?.close();
});

describe("injection: a rule's values never reach the SQL text", () => {
  const shapes = [
    (s: string) => `name = ${s}`,
    (s: string) => `name != ${s}`,
    (s: string) => `name contains ${s}`,
    (s: string) => `name starts with ${s}`,
    (s: string) => `name ends with ${s}`,
    (s: string) => `name ~= ${s}`,
    (s: string) => `name not contains ${s}`,
    (s: string) => `name in [${s}, "x"]`,
    (s: string) => `tags has ${s}`,
    (s: string) => `tags has any [${s}]`,
    (s: string) => `\`${HOSTILE_COLUMN.replace(/[`\\]/g, "\\$&")}\` = ${s}`,
  ];

  it.each(DIALECTS)("the SQL text is the same whatever the strings (%s)", (dialect) => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), fc.nat(shapes.length - 1), (s, k) => {
        const rule = shapes[k]!;
        const reference = toSQL(rule(lit("x")), { schema: Thing, table: "things", dialect });
        let got;
        try {
          got = toSQL(rule(lit(s)), { schema: Thing, table: "things", dialect });
        } catch (e) {
          // Only PostgreSQL's NUL refusal is allowed.
          expect(e).toBeInstanceOf(CibleError);
          expect((e as CibleError).diagnostics[0]!.code).toBe("sql.unsupported");
          expect(dialect === "postgres" && s.includes("\u0000")).toBe(true);
          return;
        }
        expect(got.sql).toBe(reference.sql);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it.each(DIALECTS)("hostile values select what the evaluator selects, and break nothing (%s)", async (dialect) => {
    const db = dbs[dialect]!;
    let refused = 0;
    for (const s of HOSTILE) {
      for (const shape of shapes) {
        const rule = shape(lit(s));
        const seg = compile(rule, Thing);
        let cond;
        try {
          cond = toSQL(seg, { schema: Thing, table: "things", dialect });
        } catch (e) {
          expect(dialect).toBe("postgres");
          expect(s).toContain("\u0000");
          expect((e as CibleError).diagnostics[0]!.code).toBe("sql.unsupported");
          refused++;
          continue;
        }
        // The only DROP in the text is inside the quoted column name.
        expect(cond.sql.replaceAll(`"${HOSTILE_COLUMN.replace(/"/g, '""')}"`, "<column>"), rule).not.toContain("DROP");
        const expected = seg.filter(things).map((t) => t.id);
        expect(await selectIds(db, "things", cond.sql, cond.params), `${rule}\n${cond.sql}`).toEqual(expected);
      }
      // The same values as parameters.
      const seg = compile("name = $p or name contains $p", Thing);
      if (dialect === "postgres" && s.includes("\u0000")) continue;
      const cond = toSQL(seg, { schema: Thing, table: "things", dialect, params: { p: s } });
      expect(await selectIds(db, "things", cond.sql, cond.params)).toEqual(seg.filter(things, { params: { p: s } }).map((t) => t.id));
    }
    expect(refused).toBe(dialect === "postgres" ? shapes.length : 0);
    const [{ n }] = (await db.rows(`SELECT count(*) AS n FROM "things"`)) as [{ n: unknown }];
    expect(Number(n)).toBe(things.length);
  });

  it("PostgreSQL itself refuses NUL in a bound text cleanly (why toSQL refuses it first)", async () => {
    await expect(dbs.postgres!.rows("SELECT $1::text AS t", ["a\u0000b"])).rejects.toThrow(/0x00|invalid byte sequence/);
    expect(await dbs.duckdb!.rows("SELECT length(?::VARCHAR) AS n", ["a\u0000b"])).toEqual([{ n: 3n }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Folding
// ---------------------------------------------------------------------------------------------

/** The evaluator's folding (src/compile/text.ts): NFD, U+0300–U+036F dropped, toLowerCase(). */
const jsFold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

async function foldAll(db: Db, dialect: Dialect, texts: readonly string[]): Promise<string[]> {
  const json = JSON.stringify(texts);
  if (dialect.name === "clickhouse") {
    const rows = await db.rows(`SELECT arrayMap(c -> ${dialect.fold("c")}, JSONExtract({p1:String}, 'Array(String)')) AS f`, [json]);
    return (rows[0]!.f as unknown[]).map(String);
  }
  const sql =
    dialect.name === "postgres"
      ? `SELECT ${dialect.fold("c")} AS f FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS x(c, i) ORDER BY i`
      : `SELECT ${dialect.fold("c")} AS f FROM (SELECT unnest(from_json(?, '["VARCHAR"]')) AS c, generate_subscripts(from_json(?, '["VARCHAR"]'), 1) AS i) ORDER BY i`;
  const rows = await db.rows(sql, dialect.name === "postgres" ? [json] : [json, json]);
  return rows.map((r) => String(r.f));
}

const hex = (s: string) => [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`).join(" ");

/** Every code point of the Latin script (and the Latin-1 and Latin Extended blocks), in NFC. */
function latinCodePoints(): string[] {
  const out: string[] = [];
  for (let cp = 0x20; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if (ch.normalize("NFC") !== ch) continue;
    if (/\p{Script=Latin}/u.test(ch) || (cp < 0x250 && !/\p{C}/u.test(ch))) out.push(ch);
  }
  return out;
}

/** Latin letters added in Unicode 14–16, which the engines' case tables do not know yet. */
const NEW_LATIN_PG = ["Ꟁ", "Ꟈ", "Ꟊ", "Ɤ", "Ꟍ", "꟎", "Ꟑ", "꟒", "꟔", "Ꟗ", "Ꟙ", "Ꟛ", "Ƛ", "Ꟶ"];
const NEW_LATIN_DUCK = ["Ɤ", "Ꟍ", "꟎", "꟒", "꟔", "Ꟛ", "Ƛ"];

describe("folding of case and accents, compared with JavaScript's", () => {
  const FRENCH = [
    "Santé", "SANTÉ", "Sante\u0301", "École", "ÉLÈVE", "Œuvre", "cœur", "Ça", "garçon", "Noël", "naïve", "Où", "L'Hôpital", "Crème brûlée",
    "ÂGE", "Île-de-France", "Ÿ", "straße", "Ørsted", "Łódź", "Dvořák", "Ñandú", "Đà Nẵng", "İstanbul", "ǅemal", "Ångström", "Æsir", "ﬁnance",
    "100% bio", "a_b", "",
  ];

  it.each(DIALECTS)("equals JavaScript's on French and other Latin text (%s)", async (name) => {
    const dialect = DIALECT_OF[name];
    const got = await foldAll(dbs[name]!, dialect, FRENCH);
    expect(got).toEqual(FRENCH.map(jsFold));
    // The literal side is folded in JavaScript by the dialect's own rule: the same on Latin text.
    expect(FRENCH.map(dialect.foldText)).toEqual(FRENCH.map(jsFold));
  });

  it.each(["postgres", "duckdb"] as const)("equals JavaScript's on every Latin code point but the newest letters (%s)", async (name) => {
    const dialect = name === "postgres" ? pgDialect : duckDialect;
    const chars = latinCodePoints();
    const got = await foldAll(dbs[name]!, dialect, chars);
    const differ = chars.filter((c, i) => got[i] !== jsFold(c));
    expect(chars.length).toBeGreaterThan(1400);
    expect(differ.map(hex)).toEqual((name === "postgres" ? NEW_LATIN_PG : NEW_LATIN_DUCK).map(hex));
  });

  it("limits beyond Latin text, as docs/sql.md reports them", async () => {
    const pg = (s: string[]) => foldAll(dbs.postgres!, pgDialect, s);
    const duck = (s: string[]) => foldAll(dbs.duckdb!, duckDialect, s);
    // Greek final sigma: JavaScript's toLowerCase() is context-sensitive, lower() is not.
    expect(jsFold("ΟΔΟΣ")).toBe("οδος");
    expect(await pg(["ΟΔΟΣ"])).toEqual(["οδοσ"]);
    expect(await duck(["ΟΔΟΣ"])).toEqual(["οδοσ"]);
    // Circled letters: PGlite's default ctype (libc C.UTF-8) does not lower them; DuckDB does.
    expect(await pg(["Ⓐ"])).toEqual(["Ⓐ"]);
    expect(await duck(["Ⓐ"])).toEqual(["ⓐ"]);
    // Marks outside U+0300–U+036F (Hebrew points, Cyrillic titlo): JavaScript and PostgreSQL keep them, DuckDB drops them.
    expect(jsFold("שָׁלוֹם")).toBe("שָׁלוֹם".normalize("NFD"));
    expect(await pg(["שָׁלוֹם"])).toEqual(["שָׁלוֹם".normalize("NFD")]);
    expect(await duck(["שָׁלוֹם"])).toEqual(["שלום"]);
    // Hangul: NFD splits a syllable into jamo in JavaScript and PostgreSQL; DuckDB keeps it whole.
    expect(await pg(["한"])).toEqual([jsFold("한")]);
    expect(await duck(["한"])).toEqual(["한"]);
    expect(duckDialect.foldText("한")).toBe("한");
  });
});

// ---------------------------------------------------------------------------------------------
// Long lists
// ---------------------------------------------------------------------------------------------

describe("lists travel as one parameter", () => {
  const Row = z.object({ id: z.number().int(), code: z.string().nullable(), n: z.number().nullable() });
  const rows = Array.from({ length: 2000 }, (_, i) => ({ id: i + 1, code: i % 7 === 0 ? null : `c${i}`, n: i % 11 === 0 ? null : i }));

  beforeAll(async () => {
    const plan = planLayout(readSchema(Row).root, { table: "rows" });
    for (const db of Object.values(dbs)) {
      for (const ddl of createTables(plan, db!.engine)) await db!.exec(ddl);
      for (const s of insertStatements(plan, rowsOf(plan, rows, "UTC"), db!.engine)) await db!.exec(s.sql, s.params);
    }
  });

  it.each(DIALECTS)("`in` with 100,000 values, written in the rule or given as a parameter (%s)", async (dialect) => {
    const codes = Array.from({ length: 100_000 }, (_, i) => `c${i * 3}`);
    const nums = Array.from({ length: 100_000 }, (_, i) => i * 5);
    const limits = { maxListLength: 200_000, maxSourceLength: 2_000_000, maxNodes: 500_000 };
    const literal = `code in [${codes.map((c) => `"${c}"`).join(", ")}] or n not in [${nums.join(", ")}]`;
    const seg = compile(literal, Row, { limits });
    const cond = toSQL(literal, { schema: Row, table: "rows", dialect, limits });
    expect(cond.params).toHaveLength(2);
    expect(await selectIds(dbs[dialect]!, "rows", cond.sql, cond.params)).toEqual(seg.filter(rows).map((r) => r.id));

    const byParam = compile("code in $codes", Row);
    const p = toSQL(byParam, { schema: Row, table: "rows", dialect, params: { codes } });
    expect(await selectIds(dbs[dialect]!, "rows", p.sql, p.params)).toEqual(byParam.filter(rows, { params: { codes } }).map((r) => r.id));
  });
});
