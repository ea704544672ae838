/**
 * Bad input: what the dialect cannot express is a CibleError naming the construct and the
 * dialect (`sql.unsupported`), never wrong SQL; so are bad options, references and parameters.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compile, compileRules } from "../../src/index.js";
import { CibleError } from "../../src/errors/cible-error.js";
import { scoreToSQL, segmentToSQL, stageToSQL, toSQL } from "../../src/sql.js";
import type { ToSQLOptions } from "../../src/sql/types.js";

const Contact = z.object({
  name: z.string().nullable(),
  employees: z.number().nullable(),
  lastPurchase: z.date().nullable(),
  hq: z.object({ country: z.string() }).nullable(),
  purchases: z.array(z.object({ amount: z.number() })).nullable(),
});

const OPTS = {
  schema: Contact,
  dialect: "postgres",
  table: "contacts",
  now: "2026-11-22T00:00:00Z",
  children: { purchases: { table: "purchases", foreignKey: "contact_id" } },
} satisfies ToSQLOptions;

function codeOf(f: () => unknown): { code: string; message: string; hint?: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CibleError);
    const d = (e as CibleError).diagnostics[0]!;
    return { code: d.code, message: d.message, hint: d.hint };
  }
  throw new Error("expected a CibleError");
}

describe("toSQL refuses what it cannot express", () => {
  it.each(["postgres", "duckdb"] as const)("`is set` on a group of fields or a list of objects (%s)", (dialect) => {
    const label = dialect === "postgres" ? "PostgreSQL" : "DuckDB";
    for (const rule of ["hq is set", "purchases is not set"]) {
      const e = codeOf(() => toSQL(rule, { ...OPTS, dialect }));
      expect(e.code).toBe("sql.unsupported");
      expect(e.message).toContain(label);
      expect(e.message).toContain("is set");
    }
  });

  it("a NUL character in a text, for PostgreSQL (its text type cannot hold one)", () => {
    const e = codeOf(() => toSQL('name = "a\\u0000b"', OPTS));
    expect(e.code).toBe("sql.unsupported");
    expect(e.message).toContain("U+0000");
    expect(e.message).toContain("PostgreSQL");
    expect(codeOf(() => toSQL('name in ["ok", "a\\u0000b"]', OPTS)).code).toBe("sql.unsupported");
    expect(codeOf(() => toSQL("name contains $q", { ...OPTS, params: { q: "\u0000" } })).code).toBe("sql.unsupported");
    // DuckDB's VARCHAR holds it: the value is bound as is.
    expect(toSQL('name = "a\\u0000b"', { ...OPTS, dialect: "duckdb" }).params).toEqual(["a\u0000b"]);
  });

  it("a lone surrogate, for both (drivers would send U+FFFD instead)", () => {
    for (const dialect of ["postgres", "duckdb"] as const) {
      expect(codeOf(() => toSQL('name = "a\\ud800"', { ...OPTS, dialect })).code).toBe("sql.unsupported");
      expect(codeOf(() => toSQL("name in $l", { ...OPTS, dialect, params: { l: ["\udfff"] } })).code).toBe("sql.unsupported");
    }
    expect(toSQL('name = "😀"', OPTS).params).toEqual(["😀"]);
  });

  it("a date before year 1", () => {
    expect(codeOf(() => toSQL("lastPurchase < 2100 years", OPTS)).code).toBe("sql.unsupported");
  });

  it("a list of objects without its child table", () => {
    const e = codeOf(() => toSQL("count(purchases) > 1", { ...OPTS, children: {} }));
    expect(e.code).toBe("sql.child-table");
    expect(e.message).toContain("purchases");
    // A list inside a child table's element: the hint nests it where the option needs it.
    const Nested = z.object({ accounts: z.array(z.object({ contacts: z.array(z.object({ role: z.string() })) })) });
    const nested = codeOf(() =>
      toSQL('any accounts where (any contacts where (role = "cto"))', { ...OPTS, schema: Nested, children: { accounts: { table: "accounts", foreignKey: "owner_id" } } }),
    );
    expect(nested.code).toBe("sql.child-table");
    expect(nested.hint).toBe('pass children: { "accounts": { table: "…", foreignKey: "…", children: { "contacts": { table: "…", foreignKey: "…", key: "id" } } } }');
    // Inherited names are not configuration.
    expect(codeOf(() => toSQL("count(purchases) > 1", { ...OPTS, children: Object.create({ purchases: { table: "p", foreignKey: "x" } }) })).code).toBe(
      "sql.child-table",
    );
  });

  it("`@name` references (plain toSQL knows no other definition)", () => {
    const e = codeOf(() => toSQL("@big and employees > 1", OPTS));
    expect(e.code.startsWith("ref.") || e.code === "sql.reference").toBe(true);
  });
});

describe("toSQL refuses bad rules and bad options", () => {
  it("syntax and type errors, as compile does", () => {
    expect(codeOf(() => toSQL("employees >", OPTS)).code).toMatch(/^syntax\./);
    expect(codeOf(() => toSQL('employees = "x"', OPTS)).code).toMatch(/^type\./);
    expect(codeOf(() => toSQL("nope = 1", OPTS)).code).toBe("field.unknown");
  });

  it("options", () => {
    expect(codeOf(() => toSQL("employees > 1", { ...OPTS, dialect: "mysql" as never })).code).toBe("sql.options");
    expect(codeOf(() => toSQL("employees > 1", { ...OPTS, table: "" })).code).toBe("sql.options");
    expect(codeOf(() => toSQL("employees > 1", undefined as never)).code).toBe("sql.options");
  });

  it("a rule without its schema: text or a bare AST need the option; a compiled segment carries it", () => {
    const { schema: _, ...noSchema } = OPTS;
    expect(codeOf(() => toSQL("employees > 1", noSchema)).code).toBe("sql.schema");
    expect(codeOf(() => toSQL(compile("employees > 1", Contact).ast, noSchema)).code).toBe("sql.schema");
    expect(toSQL(compile("employees > 1", Contact), noSchema)).toEqual(toSQL("employees > 1", OPTS));
  });

  it("compiled rules carry their schema too; rules as text need it, and the error names the function", () => {
    const { schema: _, ...noSchema } = OPTS;
    const file = "segment big:\n  employees > 1\nscore fit:\n  +10 if @big\nlifecycle stage:\n  lead\n  customer if lastPurchase is set\n";
    const rules = compileRules(file, Contact);
    expect(segmentToSQL(rules, "big", noSchema)).toEqual(segmentToSQL(file, "big", OPTS));
    expect(scoreToSQL(rules, "fit", noSchema)).toEqual(scoreToSQL(file, "fit", OPTS));
    expect(stageToSQL(rules, "stage", noSchema)).toEqual(stageToSQL(file, "stage", OPTS));
    const e = codeOf(() => stageToSQL(file, "stage", noSchema));
    expect(e.code).toBe("sql.schema");
    expect(e.message).toContain("`stageToSQL`");
    expect(codeOf(() => toSQL("employees > 1", noSchema)).message).toContain("`toSQL`");
  });

  it("identifiers a dialect cannot hold", () => {
    expect(codeOf(() => toSQL("employees > 1", { ...OPTS, columns: { employees: "a\u0000b" } })).code).toBe("sql.identifier");
    expect(codeOf(() => toSQL("employees > 1", { ...OPTS, columns: { employees: "x".repeat(64) } })).code).toBe("sql.identifier");
    expect(toSQL("employees > 1", { ...OPTS, dialect: "duckdb", columns: { employees: "x".repeat(64) } }).sql).toContain("x".repeat(64));
    expect(codeOf(() => toSQL("employees > 1", { ...OPTS, table: "a..b" })).code).toBe("sql.identifier");
  });

  it("parameters, now and time zone, with the evaluator's codes", () => {
    expect(codeOf(() => toSQL("employees > $min", OPTS)).code).toBe("param.missing");
    expect(codeOf(() => toSQL("employees > $min", { ...OPTS, params: { min: "50" } })).code).toBe("param.type");
    expect(codeOf(() => toSQL("employees > $min", { ...OPTS, params: { min: NaN } })).code).toBe("param.type");
    expect(codeOf(() => toSQL("employees > 1", { ...OPTS, timeZone: "Mars/Olympus" })).code).toBe("eval.time-zone");
    // Duration parameters (issue 12, item 6): a duration where only one fits; one date and one
    // duration do not bound a range.
    expect(codeOf(() => toSQL("lastPurchase within last $w", { ...OPTS, params: { w: "2026-01-01" } })).code).toBe("param.type");
    const mixed = codeOf(() => toSQL("lastPurchase between $a and $b", { ...OPTS, params: { a: "2026-01-01", b: "3 months" } }));
    expect(mixed.code).toBe("param.type");
    expect(mixed.message).toContain("$a and $b");
    expect(codeOf(() => toSQL("employees > 1", { ...OPTS, now: "yesterday" })).code).toBe("eval.now");
  });

  it("a malformed AST", () => {
    expect(codeOf(() => toSQL({ kind: "expression", version: 99 } as never, OPTS)).code).toMatch(/^ast\./);
  });
});

describe("scoreToSQL, stageToSQL, segmentToSQL refuse", () => {
  const Acc = z.object({
    employees: z.number().nullable(),
    purchases: z.array(z.object({ amount: z.number().nullable() })).nullable(),
  });
  const FILE = [
    "segment big:",
    "  employees > 100",
    "score s:",
    "  +1 if @big",
    "tiers pot by employees quantiles:",
    "  top 20%",
    "  rest otherwise",
  ].join("\n");
  const opts = { schema: Acc, dialect: "duckdb", table: "accounts" } as const;

  it("a name the file does not define as that kind", async () => {
    const { scoreToSQL, stageToSQL } = await import("../../src/sql.js");
    const e = codeOf(() => scoreToSQL(FILE, "big", opts));
    expect(e.code).toBe("sql.definition");
    expect(codeOf(() => stageToSQL(FILE, "nope", opts)).code).toBe("sql.definition");
  });

  it("a reference to quantile tiers (the rules checker already refuses it: they need the whole population)", async () => {
    const { segmentToSQL } = await import("../../src/sql.js");
    expect(codeOf(() => segmentToSQL(`${FILE}\nsegment topPot:\n  @pot = "top"\n`, "topPot", opts)).code).toBe("ref.population");
  });

  it("a rules file with errors, with the rules engine's codes", async () => {
    const { scoreToSQL } = await import("../../src/sql.js");
    expect(codeOf(() => scoreToSQL("score s:\n  +1 if @nope\n", "s", opts)).code).toBe("ref.unknown");
    expect(codeOf(() => scoreToSQL({} as never, "s", opts)).code).toBe("sql.options");
  });
});
