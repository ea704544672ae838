/**
 * "Check accepts ⇒ every backend accepts": runs one rule through every backend (compile,
 * fromAST, evaluate, explain, toSQL per dialect, matchingRecord) and lists what went wrong, as
 * one line per violation. A backend may refuse what it cannot express only with a CibleError
 * whose first diagnostic points into the rule; no plain Error ever escapes.
 */
import fc from "fast-check";
import type * as z4 from "zod/v4/core";
import { CibleError, compile, parse } from "../../src/index.js";
import type { EvalContext, Segment } from "../../src/index.js";
import { fromAST } from "../../src/runtime.js";
import { toSQL } from "../../src/sql.js";
import type { ChildTable, SQLCondition, SQLDialectName } from "../../src/sql/types.js";
import { matchingRecord } from "../../src/testing.js";

/** Every SQL dialect `toSQL` writes: add one here and every law covers it. */
export const DIALECTS: readonly SQLDialectName[] = ["postgres", "duckdb", "clickhouse"];

/** Where the records of a schema live in SQL. */
export interface SqlLayout {
  readonly table: string;
  readonly columns?: Readonly<Record<string, string>>;
  readonly children?: Readonly<Record<string, ChildTable>>;
}

/** What the backends produced for one rule (only the parts that succeeded). */
export interface BackendRun {
  readonly violations: string[];
  readonly seg?: Segment<Record<string, unknown>>;
  readonly runtime?: Segment<Record<string, unknown>>;
  readonly sql: Partial<Record<SQLDialectName, SQLCondition>>;
}

/** One line describing a thrown value. */
export function describeThrown(e: unknown): string {
  if (e instanceof CibleError) return `CibleError ${e.diagnostics[0]?.code ?? "(no diagnostic)"}: ${firstLine(e.message)}`;
  if (e instanceof Error) return `${e.constructor.name}: ${firstLine(e.message)}`;
  return `non-Error thrown: ${String(e)}`;
}

const firstLine = (s: string) => s.split("\n")[0]!.slice(0, 200);

/** A CibleError whose diagnostics are non-empty and whose first diagnostic's span lies inside `source`; else why not. */
export function refusalProblem(e: unknown, source: string): string | undefined {
  if (!(e instanceof CibleError)) return `not a CibleError: ${describeThrown(e)}`;
  const d = e.diagnostics[0];
  if (!d) return "a CibleError without diagnostics";
  const { start, end } = d.span;
  if (!(start.offset >= 0 && start.offset <= end.offset && end.offset <= source.length)) {
    return `first diagnostic ${d.code} has span ${start.offset}..${end.offset} outside the source (length ${source.length})`;
  }
  return undefined;
}

/** Whether `fn` throws; the value or the thrown value. */
function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Runs `source` (which `check` accepts) through every backend on `records` under `ctx`.
 * compile, fromAST, evaluate and explain must succeed; toSQL must succeed or refuse with a
 * CibleError pointing into the rule; matchingRecord must give a record the segment selects or
 * throw `testing.no-witness`. Also: explain's result equals evaluate's, and the runtime segment
 * (fromAST) evaluates as the compiled one. With `sqlMustSucceed`, a refusal of toSQL is a
 * violation too (for rules SQL is known to express).
 */
export function runBackends(
  source: string,
  schema: z4.$ZodType,
  ctx: EvalContext,
  records: readonly Record<string, unknown>[],
  layout: SqlLayout,
  options: { witness?: boolean; seed?: number; sqlMustSucceed?: boolean } = {},
): BackendRun {
  const violations: string[] = [];
  const sql: Partial<Record<SQLDialectName, SQLCondition>> = {};
  const compiled = attempt(() => compile(source, schema) as Segment<Record<string, unknown>>);
  if (!compiled.ok) {
    violations.push(`compile threw ${describeThrown(compiled.error)}`);
    // The other backends, from the source or its AST, so that the report shows them all.
    const doc = attempt(() => parse(source));
    if (doc.ok) {
      const rt = attempt(() => fromAST(JSON.parse(JSON.stringify(doc.value)), schema));
      if (!rt.ok) violations.push(`fromAST threw ${describeThrown(rt.error)}`);
    }
    for (const dialect of DIALECTS) {
      const s = attempt(() => toSQL(source, { ...layout, dialect, schema, now: ctx.now, timeZone: ctx.timeZone, params: ctx.params }));
      if (s.ok) sql[dialect] = s.value;
      else {
        const why = refusalProblem(s.error, source);
        violations.push(`toSQL ${dialect} ${why ? `: ${why}` : `refused (${describeThrown(s.error)})`}`);
      }
    }
    return { violations, sql };
  }
  const seg = compiled.value;
  const rt = attempt(() => fromAST(JSON.parse(JSON.stringify(seg.ast)), schema) as Segment<Record<string, unknown>>);
  if (!rt.ok) violations.push(`fromAST threw ${describeThrown(rt.error)}`);
  const runtime = rt.ok ? rt.value : undefined;

  for (const [i, r] of records.entries()) {
    const ev = attempt(() => seg.evaluate(r, ctx));
    if (!ev.ok) {
      violations.push(`evaluate threw on record #${i}: ${describeThrown(ev.error)}`);
      break;
    }
    const ex = attempt(() => seg.explain(r, ctx));
    if (!ex.ok) {
      violations.push(`explain threw on record #${i}: ${describeThrown(ex.error)}`);
      break;
    }
    if (ex.value.result !== ev.value) {
      violations.push(`explain().result ${String(ex.value.result)} ≠ evaluate ${String(ev.value)} on record #${i}`);
      break;
    }
    if (runtime) {
      const rv = attempt(() => runtime.evaluate(r, ctx));
      if (!rv.ok) {
        violations.push(`fromAST segment's evaluate threw on record #${i}: ${describeThrown(rv.error)}`);
        break;
      }
      if (rv.value !== ev.value) {
        violations.push(`fromAST segment gives ${String(rv.value)}, compile gives ${String(ev.value)} on record #${i}`);
        break;
      }
    }
  }

  for (const dialect of DIALECTS) {
    const s = attempt(() =>
      toSQL(seg, { ...layout, dialect, schema, now: ctx.now, timeZone: ctx.timeZone, params: ctx.params }),
    );
    if (s.ok) sql[dialect] = s.value;
    else {
      const why = refusalProblem(s.error, source);
      if (why) violations.push(`toSQL ${dialect}: ${why}`);
      else if (options.sqlMustSucceed) violations.push(`toSQL ${dialect} refused (${describeThrown(s.error)})`);
    }
  }

  if (options.witness !== false) {
    const w = attempt(() => {
      const arb = matchingRecord(seg, ctx, { schema });
      return fc.sample(arb, { numRuns: 1, seed: options.seed ?? 1 })[0];
    });
    if (w.ok) {
      const t = attempt(() => seg.test(w.value as Record<string, unknown>, ctx));
      if (!t.ok) violations.push(`test threw on matchingRecord's record: ${describeThrown(t.error)}`);
      else if (t.value !== true) violations.push(`matchingRecord gave a record the segment does not select: ${safeJson(w.value)}`);
    } else if (!(w.error instanceof CibleError && w.error.diagnostics[0]?.code === "testing.no-witness")) {
      violations.push(`matchingRecord threw ${describeThrown(w.error)}`);
    }
  }
  return { violations, seg, runtime, sql };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 300) ?? String(v);
  } catch {
    return String(v);
  }
}
