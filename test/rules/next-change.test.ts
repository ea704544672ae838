/**
 * nextChange for rules files: `rules.evaluate(…).nextChange` (segments, reachable sets, stages,
 * threshold tiers; not raw scores), the segments, channels and reach of a file, decaying scores'
 * crossings, what is refused (eval.next-change-decay); diffEvaluations; then the law over random
 * rules files and the scheduler's replay law.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Contact as DemoContact } from "../../examples/schema.js";
import type { EvalContext } from "../../src/compile/types.js";
import { type CompiledRules, type RulesEvaluation, compileRules, diffEvaluations, hasChanges } from "../../src/rules/index.js";
import { Contact } from "../compile/helpers.js";
import { DURATIONS, NOWS, OFFSETS, ZONES, offset, rule } from "../support/time-rules.js";
import { FullDaily, Scheduler, withDates } from "../support/scheduler.js";
import { DEMO_NOW, generate } from "../../examples/generate.js";

const D = 86_400_000;
const H = 3_600_000;
const ms = (iso: string) => Date.parse(iso);
const observed = (e: RulesEvaluation) => JSON.stringify([e.segments, e.reachable, e.stages, e.tiers]);

/** nextChange of the whole file, checked just before and at the instant. */
function next(rules: CompiledRules<any>, record: Record<string, unknown>, ctx: EvalContext & { now: number | string }): number | null {
  const e = rules.evaluate(record, ctx);
  const r = e.nextChange ?? null;
  expect(r === null || r instanceof Date).toBe(true);
  if (r) {
    expect(observed(rules.evaluate(record, { ...ctx, now: r.getTime() - 1 }))).toBe(observed(e));
    expect(observed(rules.evaluate(record, { ...ctx, now: r.getTime() }))).not.toBe(observed(e));
  }
  return r === null ? null : r.getTime();
}

describe("rules.evaluate(…).nextChange", () => {
  const now = ms("2026-06-01T00:00:00Z");

  it("the earliest over segments, channels, stages and tiers; through references", () => {
    const rules = compileRules(
      [
        "segment recent:\n  lastPurchase < 30 days",
        "segment recentSante:\n  @recent and sector = \"santé\"",
        "channel email:\n  emailConsent and renewalDate > 2 days ago",
        "lifecycle life:\n  lead\n  active if lastPurchase < 90 days",
        "tiers spend by sum(purchases.amount where date < 60 days):\n  high if >= 100\n  low otherwise",
      ].join("\n\n"),
      Contact,
    ) as CompiledRules<any>;
    const record = {
      sector: "finance",
      lastPurchase: new Date(now - 10 * D),
      emailConsent: true,
      renewalDate: new Date(now + 5 * D),
      purchases: [{ amount: 150, date: new Date(now - 40 * D) }],
    };
    const ctx = { now, timeZone: "UTC" };
    // recent leaves at 30 days (20 days from now); the tier drops at 60 days (20 days): the same
    // instant + 0; the channel closes 7 days from now: the earliest.
    expect(next(rules, record, ctx)).toBe(now + 7 * D);
    // the segment of the file alone: through its reference
    expect(rules.segments.recentSante!.nextChange({ ...record, sector: "santé" }, ctx)?.getTime()).toBe(now + 20 * D);
    expect(rules.segments.recentSante!.nextChange(record, ctx)).toBe(null); // another sector: never
    expect(rules.channels.email!.nextChange(record, ctx)?.getTime()).toBe(now + 7 * D);
    expect(rules.reach("recent", "email").nextChange(record, ctx)?.getTime()).toBe(now + 7 * D);
    // not enumerable: JSON and equality see the answers only
    const e = rules.evaluate(record, ctx);
    expect(Object.keys(e)).not.toContain("nextChange");
    expect(JSON.parse(JSON.stringify(e))).not.toHaveProperty("nextChange");
    expect({ ...e }).not.toHaveProperty("nextChange");
    // computed once, when first read, and kept
    expect(e.nextChange?.getTime()).toBe(now + 7 * D);
    expect(e.nextChange).toBe(e.nextChange);
  });

  it("a stage kept by `previous` does not change; one that would move does", () => {
    const rules = compileRules<any>("lifecycle life:\n  lead\n  active if lastPurchase < 90 days", Contact);
    const record = { lastPurchase: new Date(now - 10 * D) };
    expect(next(rules, record, { now })).toBe(now + 80 * D);
    // monotonic: never behind "active", so leaving the condition changes nothing
    expect(next(rules, record, { now, previous: { life: "active" } })).toBe(null);
  });

  it("a decaying score compared with a number: the crossing, by bisection on whole milliseconds", () => {
    const rules = compileRules<any>(
      "score eng:\n  +10 per events decaying 50% every 30 days by at\n\nsegment hot:\n  @eng >= 5\n\ntiers heat by @eng:\n  warm if > 2.5\n  cold otherwise",
      Contact,
    );
    const record = { events: [{ type: "visit", at: new Date(now) }] };
    const t = next(rules, record, { now });
    // 10 × 0.5^(age / 30 days) >= 5 until age = 30 days (floating point: within a millisecond or two)
    expect(Math.abs(t! - (now + 30 * D))).toBeLessThan(3);
    // then the tier: 2.5 at 60 days
    const t2 = next(rules, record, { now: t! });
    expect(Math.abs(t2! - (now + 60 * D))).toBeLessThan(3);
    // afterwards the score keeps fading, but nothing observed changes: raw scores are not followed
    expect(next(rules, record, { now: t2! })).toBe(null);
    // an event in the future weighs 1 until its date, then fades
    const later = { events: [{ type: "visit", at: new Date(now + 10 * D) }] };
    expect(Math.abs(next(rules, later, { now })! - (now + 40 * D))).toBeLessThan(3);
  });

  it("a score reading a decaying score's crossing jumps there (scores in dependency order)", () => {
    const rules = compileRules<any>(
      "score eng:\n  +10 per events decaying 50% every 30 days by at\n\nscore both:\n  +100 if @eng >= 5\n  +1 per events decaying 50% every 30 days by at\n\nsegment big:\n  @both >= 50",
      Contact,
    );
    const record = { events: [{ type: "visit", at: new Date(now) }] };
    expect(Math.abs(next(rules, record, { now })! - (now + 30 * D))).toBeLessThan(3);
  });

  it("raw scores, quantile tiers and RFM are not followed", () => {
    const rules = compileRules<any>(
      "score eng:\n  +10 per events decaying 50% every 30 days by at\n\ntiers q by count(events where at < 30 days) quantiles:\n  top 50%\n  rest otherwise\n\nrfm r:\n  recency lastPurchase\n  frequency count(purchases)\n  monetary sum(purchases.amount)",
      Contact,
    );
    const record = { lastPurchase: new Date(now - D), events: [{ type: "visit", at: new Date(now - D) }] };
    expect(rules.evaluate(record, { now }).nextChange).toBe(null);
  });

  it("refuses decaying scores it cannot bracket: eval.next-change-decay, with a position", () => {
    const mixed = compileRules<any>(
      "score s:\n  +10 per events decaying 50% every 30 days by at\n  -5 per events where (type = \"x\") decaying 10% every 30 days by at\n\nsegment a:\n  @s > 1",
      Contact,
    );
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { diagnostics: { code: string; span: { start: { line: number } } }[] }).diagnostics[0];
      }
      return undefined;
    };
    expect(code(() => mixed.evaluate({}, { now }).nextChange)).toMatchObject({ code: "eval.next-change-decay", span: { start: { line: 1 } } });
    expect(code(() => mixed.segments.a!.nextChange({}, { now }))?.code).toBe("eval.next-change-decay");
    // evaluate itself still answers
    expect(mixed.evaluate({}, { now }).segments).toEqual([]);
    const perScore = compileRules<any>(
      "score s:\n  +10 per events decaying 50% every 30 days by at\n\nscore t:\n  +1 per @s\n\nsegment a:\n  @t > 1\n\nsegment b:\n  lastPurchase < 1 day",
      Contact,
    );
    expect(code(() => perScore.evaluate({}, { now }).nextChange)).toMatchObject({ code: "eval.next-change-decay", span: { start: { line: 5 } } });
    // a segment that does not read it still gets its instant
    expect(perScore.segments.b!.nextChange({ lastPurchase: new Date(now) }, { now })?.getTime()).toBe(now + D);
  });

  it("the demo file: each instant in turn, constant in between", () => {
    const rules = compileRules(readFileSync(resolve(__dirname, "../../examples/b2b-france.cible"), "utf8"), DemoContact) as CompiledRules<any>;
    const days = (n: number) => new Date(now - n * D);
    const record = {
      id: "1", entreprise: "x", secteur: "santé", effectif: 420, tranche: "250-999", chiffreAffaires: 62_000_000, region: "Île-de-France",
      fonction: "DG", technos: ["Salesforce"], crm: "Salesforce", emailClicks30d: 0, pagesTarifs: 0, demoDemandee: false,
      derniereVisite: days(3), dernierAchat: days(90), parrainages: 0,
      evenements: [{ type: "webinar", at: days(1) }, { type: "salon", at: days(2) }],
      achats: [{ date: days(90), montant: 30_000 }, { date: days(200), montant: 8_000 }],
      optinEmail: true, desinscrit: false, dateConsentement: days(400), canalPrefere: null, converti: null,
    };
    let ctx: EvalContext & { now: number } = { now, timeZone: "Europe/Paris" };
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const t = next(rules, record, ctx);
      if (t === null) break;
      const e = rules.evaluate(record, ctx);
      seen.push(new Date(t).toISOString().slice(0, 10));
      ctx = { ...ctx, now: t, previous: Object.fromEntries(Object.entries(e.stages).filter((x): x is [string, string] => x[1] !== null)) };
    }
    // webinar older than 90 days; tier (a purchase older than 12 months); consent older than 3 years
    expect(seen).toEqual(["2026-08-29", "2027-03-03", "2028-04-27"]);
  });
});

describe("diffEvaluations", () => {
  it("only what changed; new and gone records", () => {
    const before = { segments: ["a", "b"], reachable: { email: ["a", "b"], sms: [] }, stages: { life: "lead" }, tiers: { t: "low", u: "x" } };
    const after = { segments: ["b", "c"], reachable: { email: ["b", "c"], sms: [] }, stages: { life: "active" }, tiers: { t: "low", u: null } };
    expect(diffEvaluations(before, after)).toEqual({
      entered: ["c"],
      exited: ["a"],
      reachable: { email: { entered: ["c"], exited: ["a"] } },
      stages: { life: { from: "lead", to: "active" } },
      tiers: { u: { from: "x", to: null } },
    });
    expect(hasChanges(diffEvaluations(before, before))).toBe(false);
    expect(diffEvaluations(before, before)).toEqual({ entered: [], exited: [], reachable: {}, stages: {}, tiers: {} });
    expect(diffEvaluations(null, after)).toMatchObject({ entered: ["b", "c"], exited: [], stages: { life: { from: null, to: "active" } } });
    expect(diffEvaluations(before, null)).toMatchObject({ entered: [], exited: ["a", "b"], reachable: { email: { entered: [], exited: ["a", "b"] } } });
  });
});

// ---------------------------------------------------------------------------------------------
// Laws
// ---------------------------------------------------------------------------------------------

/** A random rules file around random time-dependent rules, a decaying score and its thresholds. */
const file = fc
  .record({
    r: fc.array(rule, { minLength: 5, maxLength: 5 }),
    k: fc.constantFrom(1, 2.5, 5, 8),
    pct: fc.constantFrom(10, 50, 100),
    every: fc.constantFrom("1 day", "30 days", "1 month"),
  })
  .map(({ r, k, pct, every }) =>
    [
      `segment a:\n  ${r[0]}`,
      `segment b:\n  @a or ${r[1]}`,
      `score s:\n  +10 per events where (type = "visit") decaying ${pct}% every ${every} by at\n  +3 if ${r[2]}`,
      `segment hot:\n  @s >= ${k}`,
      `channel c:\n  ${r[3]}`,
      `lifecycle l:\n  lead\n  warm if @s > ${k + 1}\n  active if ${r[4]}`,
      `tiers t by @s:\n  high if >= ${k * 2}\n  mid if between ${k} and ${k * 2}\n  low otherwise`,
    ].join("\n\n"),
  );

const recordArb = fc.record({
  lp: fc.option(offset, { nil: null }),
  rd: fc.option(offset, { nil: undefined }),
  ev: fc.array(offset, { maxLength: 3 }),
  pu: fc.array(fc.tuple(offset, fc.constantFrom(20, 50)), { maxLength: 2 }),
});
type RecordArgs = typeof recordArb extends fc.Arbitrary<infer R> ? R : never;
function recordAt(now: number, a: RecordArgs) {
  return {
    sector: "santé",
    employees: null,
    lastPurchase: a.lp === null ? null : new Date(now + a.lp),
    ...(a.rd === undefined ? {} : { renewalDate: new Date(now + a.rd) }),
    events: a.ev.map((o) => ({ type: "visit", at: new Date(now + o) })),
    purchases: a.pu.map(([o, amount]) => ({ amount, date: new Date(now + o) })),
  };
}

describe("laws", () => {
  const cache = new Map<string, CompiledRules<any> | null>();
  // A random file may use `$age` as a date in one definition and a duration in another: skipped.
  const compiled = (src: string) => {
    if (!cache.has(src)) {
      try {
        cache.set(src, compileRules(src, Contact) as CompiledRules<any>);
      } catch (e) {
        if (!(e as { diagnostics?: { code: string }[] }).diagnostics?.some((d) => d.code === "param.conflict")) throw e;
        cache.set(src, null);
      }
    }
    return cache.get(src)!;
  };

  it("rules files: constant on [now, nextChange), different at nextChange", () => {
    fc.assert(
      fc.property(
        file,
        recordArb,
        fc.constantFrom(...NOWS),
        fc.constantFrom(...ZONES),
        fc.constantFrom(...DURATIONS),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (src, ra, now, zone, age, probes) => {
          const rules = compiled(src);
          fc.pre(rules !== null);
          const record = recordAt(now, ra);
          const ctx = { now, timeZone: zone, params: { age, lead: age } };
          const e = rules.evaluate(record, ctx);
          const k0 = observed(e);
          const r = e.nextChange ?? null;
          const end = r === null ? now + 800 * D : r.getTime();
          const ts = [end - 1, ...probes.map((p) => now + Math.floor(p * (end - now)))];
          for (const d of [ra.lp, ra.rd, ...ra.ev, ...ra.pu.map((p) => p[0])]) {
            if (typeof d === "number") for (const o of OFFSETS) for (const x of [-1, 0, 1, H]) ts.push(now + d + o + x, now + d - o + x);
          }
          for (const t of ts) {
            if (t < now || t >= end) continue;
            const k = observed(rules.evaluate(record, { ...ctx, now: t }));
            if (k !== k0) throw new Error(`${src}\n${JSON.stringify(record)} ${zone} now=${new Date(now).toISOString()}: changed at ${new Date(t).toISOString()} < nextChange ${r?.toISOString()}`);
          }
          if (r !== null) expect(observed(rules.evaluate(record, { ...ctx, now: r.getTime() }))).not.toBe(k0);
          // each segment of the file agrees with its own timeline
          const s = rules.segments.hot!;
          const rs = s.nextChange(record, ctx);
          if (rs !== null) {
            expect(s.evaluate(record, { ...ctx, now: rs.getTime() - 1 })).toBe(s.evaluate(record, ctx));
            expect(s.evaluate(record, { ...ctx, now: rs.getTime() })).not.toBe(s.evaluate(record, ctx));
          }
        },
      ),
      { numRuns: Number(process.env.NC_RUNS ?? 80) },
    );
  });
});

describe("the scheduler's replay law", () => {
  it("a year of day boundaries over the demo's contacts: re-evaluating each contact at its nextChange gives a full re-evaluation's memberships", () => {
    // The demo file's evaluation is slow as the oracle (43 µs): 100 contacts here; the law at 10,000
    // contacts is test/rules/next-change-replay.test.ts, on a file made for it; the bench runs 100,000.
    const N = Number(process.env.REPLAY_N ?? 100);
    const dir = mkdtempSync(join(tmpdir(), "cible-replay-"));
    try {
      const { ndjson } = generate({ count: N, seed: 17, dir });
      const contacts = readFileSync(ndjson, "utf8").trim().split("\n").map((l) => withDates(JSON.parse(l)));
      const rules = compileRules(readFileSync(resolve(__dirname, "../../examples/b2b-france.cible"), "utf8"), DemoContact) as CompiledRules<any>;
      const start = Date.parse(DEMO_NOW);
      const zone = "Europe/Paris";
      const scheduler = new Scheduler(rules, contacts, start, zone);
      const full = new FullDaily(rules, contacts, start, zone);
      expect(scheduler.stored.map((s) => s.key)).toEqual(full.keys);
      let changes = 0;
      for (let day = 1; day <= 365; day++) {
        changes += scheduler.advance(day);
        full.run(day);
        for (let i = 0; i < contacts.length; i++) {
          if (scheduler.stored[i]!.key !== full.keys[i]) throw new Error(`day ${day}, contact ${i}: scheduler ${scheduler.stored[i]!.key} ≠ full ${full.keys[i]}`);
        }
      }
      // Time did change memberships, and the scheduler looked at far fewer contacts than every day.
      expect(changes).toBeGreaterThan(N / 10);
      expect(scheduler.evaluations).toBeLessThan(full.evaluations / 20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
