/**
 * Differential tests: random rules over random accounts (with contacts → events and purchases as
 * child tables), loaded into PGlite, a real PostgreSQL 18 server, DuckDB and ClickHouse (chdb, session zone
 * Pacific/Kiritimati) by the layout of docs/sql.md. For every rule, the ids each database selects with `toSQL`'s
 * condition must equal the ids `segment.filter` returns; for every random rules file, `scoreToSQL`, `stageToSQL`,
 * `segmentToSQL` and every column of `rulesToSQL` must equal the rules engine's.
 *
 * A fixed seed in CI; locally `CIBLE_SEED=123 CIBLE_SQL_RULES=2000 npx vitest run test/sql`.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, compileRules } from "../../src/index.js";
import { readSchema } from "../../src/schema/index.js";
import { rulesToSQL, scoreToSQL, segmentToSQL, stageToSQL, toSQL } from "../../src/sql.js";
import { type Db, openAll, openClickHouse, selectIds } from "./support/engines.js";
import { Account, type AccountRecord, LAYOUT, NOWS, Rng, RuleGen, ZONES, accounts } from "./support/generate.js";
import { createTables, insertStatements, planLayout, rowsOf } from "./support/layout.js";
import { recordArbitrary, ruleArbitrary } from "../../src/testing/index.js";

const SEED = Number(process.env.CIBLE_SEED ?? 20261122);
const RULES = Number(process.env.CIBLE_SQL_RULES ?? 400);
const RECORDS = Number(process.env.CIBLE_SQL_RECORDS ?? 120);
const FILES = Number(process.env.CIBLE_SQL_FILES ?? 20);
const KIT_RULES = Number(process.env.CIBLE_SQL_KIT_RULES ?? 150);

let records: AccountRecord[];
const dbs: Db[] = [];

/** The same layout under other table names, for the records of cible/testing. */
const KIT_LAYOUT = {
  ...LAYOUT,
  table: "k_accounts",
  children: {
    contacts: { ...LAYOUT.children.contacts, table: "k_contacts", children: { events: { ...LAYOUT.children.contacts.children.events, table: "k_events" } } },
    purchases: { ...LAYOUT.children.purchases, table: "k_purchases" },
  },
};
let kitRecords: AccountRecord[];

async function load(db: Db, layout: typeof LAYOUT | typeof KIT_LAYOUT, data: readonly AccountRecord[]): Promise<void> {
  const plan = planLayout(readSchema(Account).root, layout);
  for (const ddl of createTables(plan, db.engine)) await db.exec(ddl);
  // Dates in these records are instants, so the loading time zone does not matter.
  const rows = rowsOf(plan, data, "UTC");
  for (const s of insertStatements(plan, rows, db.engine)) await db.exec(s.sql, s.params);
}

beforeAll(async () => {
  records = accounts(new Rng(SEED), RECORDS, true);
  kitRecords = fc
    .sample(recordArbitrary(Account, { dbSafe: true, now: NOWS[0], maxArrayLength: 3 }), { seed: SEED, numRuns: RECORDS })
    .map((r, i) => ({ ...r, id: i + 1 }));
  // ClickHouse's session zone far from UTC (UTC+14): the SQL must not depend on it.
  dbs.push(...(await openAll()), await openClickHouse("Pacific/Kiritimati"));
  for (const db of dbs) {
    await load(db, LAYOUT, records);
    await load(db, KIT_LAYOUT, kitRecords);
  }
});

afterAll(async () => {
  for (const db of dbs) await db.close();
});

describe(`differential: toSQL vs segment.filter (seed ${SEED}, ${RULES} rules, ${RECORDS} accounts)`, () => {
  it("loads every table", async () => {
    expect(dbs.map((d) => d.label)).toEqual(["pglite", "postgres-server", "duckdb", "clickhouse"]);
    for (const db of dbs) {
      const [{ n }] = (await db.rows(`SELECT count(*) AS n FROM "accounts"`)) as [{ n: unknown }];
      expect(Number(n)).toBe(RECORDS);
    }
  });

  it("selects the same ids as the evaluator, on every engine", async () => {
    const rng = new Rng(SEED ^ 0x5eed);
    const gen = new RuleGen(rng);
    const failures: string[] = [];
    let selectedSomething = 0;
    for (let i = 0; i < RULES; i++) {
      const rule = gen.rule();
      const now = rng.pick(NOWS);
      const timeZone = rng.pick(ZONES);
      const seg = compile(rule.source, Account);
      const ctx = { now, timeZone, params: rule.params };
      const expected = seg.filter(records, ctx).map((r) => r.id);
      if (expected.length > 0 && expected.length < records.length) selectedSomething++;
      for (const db of dbs) {
        const dialect = db.engine;
        // Every engine answers every rule: no refusal, ClickHouse included.
        const { sql, params } = toSQL(seg, { ...LAYOUT, ...ctx, dialect, schema: Account });
        let got: number[] | string;
        try {
          got = await selectIds(db, "accounts", sql, params);
        } catch (e) {
          got = `error: ${(e as Error).message}`;
        }
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          const missing = Array.isArray(got) ? expected.filter((id) => !got.includes(id)) : [];
          const extra = Array.isArray(got) ? got.filter((id) => !expected.includes(id)) : [];
          failures.push(
            [
              `#${i} ${db.label} now=${new Date(now).toISOString()} tz=${timeZone}`,
              `  rule:    ${rule.source}`,
              `  params:  ${JSON.stringify(rule.params)}`,
              `  sql:     ${sql}`,
              `  values:  ${JSON.stringify(params)}`,
              typeof got === "string" ? `  ${got}` : `  missing: ${JSON.stringify(missing)} extra: ${JSON.stringify(extra)}`,
            ].join("\n"),
          );
        }
      }
      if (failures.length >= 6) break;
    }
    expect(failures.join("\n\n")).toBe("");
    // The generator must produce rules that discriminate, not only all-or-nothing ones.
    expect(selectedSomething).toBeGreaterThan(RULES / 4);
  });
});

describe(`differential: rules files as SQL (seed ${SEED}, ${FILES} files)`, () => {
  it("scores, lifecycle stages and segments with references equal the rules engine's, on every engine", async () => {
    const rng = new Rng(SEED ^ 0xf11e5);
    const gen = new RuleGen(rng);
    const failures: string[] = [];
    const ms: Record<string, number> = {};
    for (let i = 0; i < FILES && failures.length < 4; i++) {
      const file = gen.rulesFile();
      const rules = compileRules(file.source, Account);
      const ctx = { now: rng.pick(NOWS), timeZone: rng.pick(ZONES), params: file.params };
      const scores = records.map((r) => rules.scores.s!.score(r, ctx));
      const stages = records.map((r) => rules.lifecycles.stage!.stage(r, ctx));
      const inC = rules.segments.c!.filter(records, ctx).map((r) => r.id);
      const evaluated = records.map((r) => rules.evaluate(r, ctx));
      for (const db of dbs) {
        const dialect = db.engine;
        const opts = { ...LAYOUT, ...ctx, dialect, schema: Account };
        const where = `#${i} ${db.label} now=${new Date(ctx.now).toISOString()} tz=${ctx.timeZone}\n${file.source}\nparams ${JSON.stringify(file.params)}`;
        const started = Date.now();
        try {
          const s = scoreToSQL(rules, "s", opts);
          const rows = await db.rows(`SELECT "id", ${s.sql} AS s FROM "accounts" ORDER BY "id"`, s.params);
          const got = rows.map((r) => Number(r.s));
          const bad = got.findIndex((v, k) => !(Math.abs(v - scores[k]!) <= 1e-9 * Math.max(1, Math.abs(scores[k]!))));
          if (bad >= 0) failures.push(`${where}\nscore of id ${bad + 1}: SQL ${got[bad]} JS ${scores[bad]}\n${s.sql}`);
          const st = stageToSQL(rules, "stage", opts);
          const srows = await db.rows(`SELECT "id", ${st.sql} AS st FROM "accounts" ORDER BY "id"`, st.params);
          const sbad = srows.findIndex((r, k) => (r.st ?? null) !== stages[k]);
          if (sbad >= 0) failures.push(`${where}\nstage of id ${sbad + 1}: SQL ${String(srows[sbad]!.st)} JS ${stages[sbad]}`);
          const c = segmentToSQL(rules, "c", opts);
          const ids = await selectIds(db, "accounts", c.sql, c.params);
          if (JSON.stringify(ids) !== JSON.stringify(inC)) failures.push(`${where}\nsegment c: SQL ${JSON.stringify(ids)} JS ${JSON.stringify(inC)}`);
          // The whole file in one query: every column equals rules.evaluate's.
          const all = rulesToSQL(rules, { ...opts, key: "id" });
          const arows = await db.rows(`SELECT * FROM (${all.sql}) AS x ORDER BY "id"`, all.params);
          for (const [k, e] of evaluated.entries()) {
            const g = arows[k]!;
            const segs = ["a", "b", "c"].filter((n) => g[n] === true || g[n] === 1);
            const same =
              Number(g.id) === records[k]!.id &&
              JSON.stringify(segs) === JSON.stringify(e.segments) &&
              Math.abs(Number(g.s) - e.scores.s!) <= 1e-9 * Math.max(1, Math.abs(e.scores.s!)) &&
              (g.stage ?? null) === (e.stages.stage ?? null) &&
              (g.value ?? null) === (e.tiers.value ?? null);
            if (!same) {
              failures.push(`${where}\nrulesToSQL, id ${records[k]!.id}: SQL ${JSON.stringify(g)} JS ${JSON.stringify(e)}\n${all.sql}`);
              break;
            }
          }
        } catch (e) {
          // Every engine compiles and runs every file: a refusal is a failure too.
          failures.push(`${where}\nerror: ${(e as Error).message}`);
        }
        ms[db.label] = (ms[db.label] ?? 0) + Date.now() - started;
      }
    }
    expect(failures.join("\n\n")).toBe("");
    console.log(`rules files: ms per engine ${JSON.stringify(ms)}`);
  }, 600_000);
});

describe(`differential with cible/testing's arbitraries (seed ${SEED}, ${KIT_RULES} rules)`, () => {
  it("selects the same ids as the evaluator on records and rules from recordArbitrary and ruleArbitrary", async () => {
    // Folding beyond Latin text is a documented limit, and these texts span every script: no text operators here.
    const rules = fc.sample(ruleArbitrary(Account, { now: NOWS[0], exclude: ["text"] }), { seed: SEED, numRuns: KIT_RULES });
    const failures: string[] = [];
    const unsupported = new Set<string>(); // rule × dialect, whichever database runs the dialect
    for (const [i, source] of rules.entries()) {
      const seg = compile(source, Account);
      const ctx = { now: NOWS[0], timeZone: ZONES[i % ZONES.length] };
      const expected = seg.filter(kitRecords, ctx).map((r) => r.id);
      for (const db of dbs) {
        const dialect = db.engine;
        let cond;
        try {
          cond = toSQL(seg, { ...KIT_LAYOUT, ...ctx, dialect, schema: Account });
        } catch (e) {
          // `hq is set`, `contacts is set`: refused, never wrong SQL.
          expect((e as { diagnostics?: { code: string }[] }).diagnostics?.[0]?.code, source).toBe("sql.unsupported");
          unsupported.add(`${i} ${dialect}`);
          continue;
        }
        let got: number[] | string;
        try {
          got = await selectIds(db, "k_accounts", cond.sql, cond.params);
        } catch (e) {
          got = `error: ${(e as Error).message}`;
        }
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          failures.push(`#${i} ${db.label} tz=${ctx.timeZone}\n  rule: ${source}\n  sql: ${cond.sql}\n  values: ${JSON.stringify(cond.params)}\n  got ${JSON.stringify(got)}\n  expected ${JSON.stringify(expected)}`);
        }
      }
      if (failures.length >= 4) break;
    }
    expect(failures.join("\n\n")).toBe("");
    expect(unsupported.size).toBeLessThan(KIT_RULES);
  });
});
