/**
 * Scheduled re-evaluation (docs/time.md): one simulated year over the demo's contacts
 * (examples/generate.ts) and rules file (examples/b2b-france.cible), in Europe/Paris.
 *
 * - Daily full re-evaluation: every contact, every day (366 day boundaries with the first): the
 *   count of evaluations is exact; the wall time is measured on `BENCH_NC_FULL_DAYS` days (default
 *   12, one a month) spread over the year, and extrapolated to the 366: the figure says so.
 * - The scheduler (test/support/scheduler.ts): every contact once with its `nextChange`, then,
 *   at each day boundary, only the contacts due. Timed over the whole year.
 * - The cost of `nextChange` itself: `rules.evaluate` alone against `rules.evaluate` then
 *   reading `nextChange`, on the same 2,000 contacts at the same `now`; each warmed up twice, then
 *   three rounds, alternating, and the median of each (the CPU time of the process, less
 *   disturbed than the wall clock on a shared machine).
 *
 * Run alone: `BENCH_NC_N=2000 node --import tsx bench/next-change.ts` (default 100,000 contacts),
 * which also writes bench/results/next-change-<date>-<contacts>.json; `npm run bench` runs it too
 * (bench/run.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Contact as DemoContact } from "../examples/schema.js";
import { DEMO_NOW, generate } from "../examples/generate.js";
import { FullDaily, Scheduler, withDates } from "../test/support/scheduler.js";
import type { CompiledRules } from "../src/index.js";

const DAY = 86_400_000;
const ROOT = resolve(import.meta.dirname, "..");

export interface NextChangeBench {
  contacts: number;
  days: number;
  /** Daily full re-evaluation over the year: evaluations, and wall time extrapolated from `fullDaysTimed` days. */
  full: { evaluations: number; seconds: number; fullDaysTimed: number };
  /** The scheduler over the year: evaluations (each with its nextChange), contacts whose membership changed, wall time. */
  scheduler: { evaluations: number; changes: number; seconds: number; initialSeconds: number };
  /** Per contact: `rules.evaluate` alone, and with `nextChange` read; their ratio. */
  evaluateUs: number;
  withNextChangeUs: number;
  nextChangeRatio: number;
  /** Reading `nextChange` alone (`withNextChangeUs − evaluateUs`), relative to one `rules.evaluate`. */
  nextChangeOnlyRatio: number;
}

/**
 * Runs the year for `n` contacts.
 *
 * @param compileRules - the compiler (the built bundle in bench/run.ts, the sources alone)
 * @param n - contacts
 * @param log - progress lines
 */
export function benchNextChange(
  compileRules: (source: string, schema: typeof DemoContact) => unknown,
  n: number,
  log: (s: string) => void = () => {},
): NextChangeBench {
  const dir = mkdtempSync(join(tmpdir(), "cible-bench-nc-"));
  let contacts: Record<string, unknown>[];
  try {
    const { ndjson } = generate({ count: n, seed: 2026, dir });
    contacts = readFileSync(ndjson, "utf8").trim().split("\n").map((l) => withDates(JSON.parse(l)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rules = compileRules(readFileSync(resolve(ROOT, "examples/b2b-france.cible"), "utf8"), DemoContact) as CompiledRules<any>;
  const start = Date.parse(DEMO_NOW);
  const zone = "Europe/Paris";
  const DAYS = 365;

  // The cost of nextChange: the same contacts, the same now; CPU time, median of three rounds.
  const sample = contacts.slice(0, Math.min(contacts.length, 2000));
  const ctx = { now: start, timeZone: zone };
  const cpuUs = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const plain = () => {
    const t0 = cpuUs();
    for (const c of sample) rules.evaluate(c, ctx);
    return (cpuUs() - t0) / sample.length;
  };
  const withNext = () => {
    const t0 = cpuUs();
    for (const c of sample) void rules.evaluate(c, ctx).nextChange;
    return (cpuUs() - t0) / sample.length;
  };
  for (let k = 0; k < 2; k++) plain(), withNext(); // warm up
  const plains: number[] = [];
  const withs: number[] = [];
  for (let k = 0; k < 3; k++) plains.push(plain()), withs.push(withNext());
  const evaluateUs = median(plains);
  const withNextChangeUs = median(withs);
  log(`  rules.evaluate ${evaluateUs.toFixed(1)} µs/contact; with nextChange ${withNextChangeUs.toFixed(1)} µs (${(withNextChangeUs / evaluateUs).toFixed(1)}×; nextChange alone ${((withNextChangeUs - evaluateUs) / evaluateUs).toFixed(1)}×)`);

  // The scheduler, over the whole year.
  let t = performance.now();
  const scheduler = new Scheduler(rules, contacts, start, zone);
  const initialSeconds = (performance.now() - t) / 1000;
  let changes = 0;
  for (let day = 1; day <= DAYS; day++) changes += scheduler.advance(day);
  const schedulerSeconds = (performance.now() - t) / 1000;
  log(`  scheduler: ${scheduler.evaluations.toLocaleString("en")} evaluations with nextChange (${contacts.length.toLocaleString("en")} at the start), ${changes.toLocaleString("en")} changes, ${schedulerSeconds.toFixed(1)} s (${initialSeconds.toFixed(1)} s the first day)`);

  // Daily full re-evaluation, timed on a few days spread over the year (it needs yesterday's
  // stages: the days timed run after the day before them).
  const timedDays = Math.max(1, Math.min(DAYS, Number(process.env.BENCH_NC_FULL_DAYS ?? 12)));
  const full = new FullDaily(rules, contacts, start, zone);
  let fullMs = 0;
  for (let k = 0; k < timedDays; k++) {
    const day = 1 + Math.floor((k * DAYS) / timedDays);
    t = performance.now();
    full.run(day);
    fullMs += performance.now() - t;
  }
  const fullEvaluations = contacts.length * (DAYS + 1);
  const fullSeconds = (fullMs / timedDays / 1000) * (DAYS + 1);
  log(`  daily full re-evaluation: ${fullEvaluations.toLocaleString("en")} evaluations (exact), ${fullSeconds.toFixed(1)} s (timed on ${timedDays} days spread over the year, extrapolated to ${DAYS + 1})`);

  return {
    contacts: contacts.length,
    days: DAYS,
    full: { evaluations: fullEvaluations, seconds: fullSeconds, fullDaysTimed: timedDays },
    scheduler: { evaluations: scheduler.evaluations, changes, seconds: schedulerSeconds, initialSeconds },
    evaluateUs,
    withNextChangeUs,
    nextChangeRatio: withNextChangeUs / evaluateUs,
    nextChangeOnlyRatio: (withNextChangeUs - evaluateUs) / evaluateUs,
  };
}

/** The paragraph of docs/performance.md (bench/run.ts writes it; the 100,000 figures were pasted from a run alone). */
export function nextChangeSummary(r: NextChangeBench): string {
  const n = (x: number) => x.toLocaleString("en");
  return (
    `Next change (docs/time.md): one simulated year over ${n(r.contacts)} demo contacts (examples/b2b-france.cible, Europe/Paris). ` +
    `Daily full re-evaluation: ${n(r.full.evaluations)} evaluations, ${r.full.seconds.toFixed(0)} s (timed on ${r.full.fullDaysTimed} days spread over the year and extrapolated to ${r.days + 1}); ` +
    `re-evaluating only the contacts whose \`nextChange\` is due: ${n(r.scheduler.evaluations)} evaluations with their \`nextChange\`, ${r.scheduler.seconds.toFixed(0)} s ` +
    `(${r.scheduler.initialSeconds.toFixed(0)} s of it the first day, everyone once). ` +
    `\`rules.evaluate\` then reading \`nextChange\` costs ${r.nextChangeRatio.toFixed(1)}× \`rules.evaluate\` alone (${r.withNextChangeUs.toFixed(0)} µs against ${r.evaluateUs.toFixed(1)} µs of CPU time per contact; \`nextChange\` itself ${r.nextChangeOnlyRatio.toFixed(1)}×).`
  );
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Alone: `node --import tsx bench/next-change.ts`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { compileRules } = await import("../src/index.js");
  const n = Number(process.env.BENCH_NC_N ?? 100_000);
  process.stdout.write(`next change: one simulated year, ${n.toLocaleString("en")} contacts, examples/b2b-france.cible\n`);
  const startedAt = new Date();
  const loadStart = loadavg().map((x) => Math.round(x * 10) / 10);
  const r = benchNextChange(compileRules as never, n, (s) => process.stdout.write(`${s}\n`));
  const result = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cpus: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    // A shared machine: wall times stretch with the load (CPU time, the cost figures, much less).
    loadAverage: { start: loadStart, end: loadavg().map((x) => Math.round(x * 10) / 10) },
    rules: "examples/b2b-france.cible",
    timeZone: "Europe/Paris",
    ...r,
  };
  const file = resolve(ROOT, `bench/results/next-change-${result.date}-${r.contacts}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwrote ${file}\n`);
}
