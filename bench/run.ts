/**
 * `npm run bench`: cible against a hand-written predicate and the peer engines, in one run.
 *
 * Ratios, not absolute times: these machines are shared and noisy. Every engine's match count
 * is checked against the hand-written predicate's before anything is timed. Engines run
 * interleaved (round-robin, rotating order), and each figure is the median over the rounds.
 *
 * Environment: BENCH_N (records, default 1,000,000), BENCH_ROUNDS (default 7), BENCH_NC_N (contacts
 * of the next-change year, default 100,000), BENCH_NC_FULL_DAYS (days of full re-evaluation timed, default 7).
 * Writes bench/results/<date>.json and the tables of docs/performance.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { Contact, NOW, generateContacts } from "./data.js";
import { type AsyncPredicate, PEERS, type SyncPredicate } from "./peers.js";
import { RULES, cutoffs } from "./rules.js";
import { fmtNs, fmtRatio, median, timeNs, timeNsAsync } from "./stats.js";
import { benchCampaign } from "./campaign.js";
import { benchRulesFile } from "./rules-file.js";
import { benchNextChange, nextChangeSummary } from "./next-change.js";
import { benchLanguage, languageSummary } from "./language.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SLOW_N = Math.min(N, 20_000);
const ROOT = resolve(import.meta.dirname, "..");

// A built bundle, as users get it (tsx keeps function names, which slows closure creation),
// typed against the source it is built from. Built here, with tsup's settings, into a private
// directory: `dist/` is shared, and a concurrent `tsup` (clean: true) empties it mid-run.
const BUILD_DIR = resolve(ROOT, "node_modules/.cache/cible-bench");
await build({
  entryPoints: { index: resolve(ROOT, "src/index.ts"), runtime: resolve(ROOT, "src/runtime.ts"), language: resolve(ROOT, "src/language.ts") },
  outdir: BUILD_DIR,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "silent",
});
const { compile, compileRules, analyze } = (await import(pathToFileURL(resolve(BUILD_DIR, "index.js")).href)) as typeof import("../src/index.js");
const { createLanguageService } = (await import(pathToFileURL(resolve(BUILD_DIR, "language.js")).href)) as typeof import("../src/language.js");
const log = (s = "") => process.stdout.write(`${s}\n`);
const gc = () => (globalThis as { gc?: () => void }).gc?.();
/**
 * A full collection, then a pause: V8 sweeps concurrently after it, and the engine timed next
 * would otherwise pay for that sweeping as soon as it allocates (measured: `filter`, which
 * allocates its result, looked 2–5× slower right after `gc()`, a counting loop not at all).
 */
const settle = async () => {
  gc();
  await new Promise((done) => setTimeout(done, 30));
};

interface EngineResult {
  engine: string;
  matches: number;
  nsPerRecord: number;
  /** Throughput relative to the hand-written predicate: 1 = as fast, higher is faster. */
  ratio: number;
}

async function main() {
  log(`cible bench: ${N.toLocaleString("en")} contacts, ${ROUNDS} rounds, node ${process.version}, ${cpus()[0]?.model ?? "?"}`);
  const data = generateContacts(N);
  for (const c of data) {
    // Derived fields for the peers (see peers.ts); cible and the hand-written code ignore them.
    const extra = c as unknown as { lastPurchaseMs: number | null; hasPurchase: boolean };
    extra.lastPurchaseMs = c.lastPurchase ? c.lastPurchase.getTime() : null;
    extra.hasPurchase = c.lastPurchase !== null;
  }
  const slice = data.slice(0, SLOW_N);
  const ctx = { now: NOW };
  const cut = cutoffs(NOW);

  const throughput: Record<string, EngineResult[]> = {};
  for (const rule of RULES) {
    log(`\n${rule.id}: ${rule.source}`);
    const seg = compile(rule.source, Contact);
    const hand = rule.hand(cut);
    type Runner = { name: string; slow: boolean; run: (rows: typeof data) => Promise<number> | number };
    const syncLoop = (p: SyncPredicate) => (rows: typeof data) => {
      let n = 0;
      for (let i = 0; i < rows.length; i++) if (p(rows[i]!)) n++;
      return n;
    };
    const runners: Runner[] = [
      { name: "hand-written", slow: false, run: syncLoop(hand) },
      { name: "cible test", slow: false, run: syncLoop((c) => seg.test(c, ctx)) },
      { name: "cible filter", slow: false, run: (rows) => seg.filter(rows, ctx).length },
      ...PEERS.map((peer): Runner => {
        const p = peer.build(rule, cut);
        if (!peer.async) return { name: peer.name, slow: !!peer.slow, run: syncLoop(p as SyncPredicate) };
        const ap = p as AsyncPredicate;
        return {
          name: peer.name,
          slow: !!peer.slow,
          run: async (rows) => {
            let n = 0;
            for (const r of rows) if (await ap(r)) n++;
            return n;
          },
        };
      }),
    ];

    // Correctness first: every engine selects what the hand-written predicate selects.
    const expected = { full: syncLoop(hand)(data), slice: syncLoop(hand)(slice) };
    const counts = new Map<string, number>();
    for (const r of runners) {
      const rows = r.slow ? slice : data;
      const got = await r.run(rows);
      const want = r.slow ? expected.slice : expected.full;
      if (got !== want) throw new Error(`${rule.id}: ${r.name} selects ${got} records, the hand-written predicate ${want}`);
      counts.set(r.name, got);
    }

    const samples = new Map<string, number[]>(runners.map((r) => [r.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < runners.length; k++) {
        const r = runners[(k + round) % runners.length]!;
        const rows = r.slow ? slice : data;
        await settle();
        const ns = r.run.constructor.name === "AsyncFunction" ? await timeNsAsync(async () => void (await r.run(rows))) : timeNs(() => void r.run(rows));
        samples.get(r.name)!.push(ns / rows.length);
      }
    }
    const handNs = median(samples.get("hand-written")!);
    throughput[rule.id] = runners.map((r) => {
      const ns = median(samples.get(r.name)!);
      return { engine: r.name, matches: counts.get(r.name)!, nsPerRecord: ns, ratio: handNs / ns };
    });
    for (const e of throughput[rule.id]!) log(`  ${e.engine.padEnd(22)} ${fmtNs(e.nsPerRecord).padStart(10)}/record  ${fmtRatio(e.ratio).padStart(8)}`);
  }

  log("\nparse + check + compile (median of 2,000 after 200 warm-up):");
  const compileTimes: Record<string, number> = {};
  for (const rule of RULES) {
    // As for the engines: not while V8 is still collecting what the previous measurement left.
    await settle();
    for (let i = 0; i < 200; i++) compile(rule.source, Contact);
    const xs: number[] = [];
    for (let i = 0; i < 2000; i++) xs.push(timeNs(() => void compile(rule.source, Contact)));
    compileTimes[rule.id] = median(xs);
    log(`  ${rule.id}: ${fmtNs(compileTimes[rule.id]!)}`);
  }

  log("\nrules file: 50 segments, 2 scores, a lifecycle, tiers over 100k records:");
  const rulesFile = benchRulesFile(compileRules as never, data.slice(0, Math.min(N, 100_000)), ctx, ROUNDS);
  log(`  rules.evaluate ${fmtNs(rulesFile.evaluateNsPerRecord)}/record; 50 separate segment tests + scores + stage + tier ${fmtNs(rulesFile.separateNsPerRecord)}/record; ratio ${fmtRatio(rulesFile.ratio)}`);

  log("\ncampaign: a split's arm, and analyze (with reach and coverage) over 100k records:");
  const campaign = benchCampaign(compileRules as never, analyze as never, data.slice(0, Math.min(N, 100_000)), ctx, ROUNDS);
  log(`  split arm ${fmtNs(campaign.armNs)}/record; hand-written with node:crypto MD5 ${fmtNs(campaign.handArmNs)}/record; ratio ${fmtRatio(campaign.armRatio)}`);
  log(`  analyze ${fmtNs(campaign.analyzeNs)}/record; rules.evaluate ${fmtNs(campaign.evaluateNs)}/record; analyze costs ${campaign.analyzeRatio.toFixed(2)}× evaluate`);

  const ncN = Number(process.env.BENCH_NC_N ?? 100_000);
  log(`\nnext change: one simulated year, ${ncN.toLocaleString("en")} demo contacts, daily full re-evaluation vs the scheduler:`);
  const nextChange = benchNextChange(compileRules as never, ncN, log);

  log("\nlanguage service: a 200-line rules file, a 40-field schema:");
  await settle();
  const language = benchLanguage(createLanguageService as never, ROUNDS);
  log(`  ${languageSummary(language)}`);

  log("\nmemory:");
  gc();
  const heap = process.memoryUsage().heapUsed;
  const seg = compile(RULES[2]!.source, Contact);
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = seg.filter(data, ctx);
  const after = process.memoryUsage().heapUsed;
  const memory = {
    heapWithDataMB: heap / 2 ** 20,
    filterResultBytesPerRecord: (after - before) / N,
    matches: kept.length,
  };
  log(`  heap with ${N.toLocaleString("en")} contacts: ${memory.heapWithDataMB.toFixed(0)} MB; filter(R3) grew the heap by ${memory.filterResultBytesPerRecord.toFixed(2)} bytes per record (the result array)`);

  log("\nbundle size (esbuild --minify, gzip):");
  const bundles = await bundleSizes();
  for (const b of bundles) log(`  ${b.entry.padEnd(14)} ${b.deps.padEnd(22)} ${(b.minBytes / 1024).toFixed(1)} KB min, ${(b.gzipBytes / 1024).toFixed(1)} KB gzip`);

  const date = new Date().toISOString().slice(0, 10);
  const result = {
    date,
    node: process.version,
    cpu: cpus()[0]?.model,
    records: N,
    rounds: ROUNDS,
    slowEngineRecords: SLOW_N,
    throughput,
    compileNs: compileTimes,
    rulesFile,
    campaign,
    nextChange,
    language,
    memory,
    bundles,
  };
  writeFileSync(resolve(ROOT, `bench/results/${date}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writePerformanceDoc(result);
  log(`\nwrote bench/results/${date}.json and docs/performance.md`);
}

async function bundleSizes() {
  const deps = ["zod", "date-fns", "@date-fns/tz", "chevrotain"];
  const out: { entry: string; deps: string; minBytes: number; gzipBytes: number }[] = [];
  for (const entry of ["index", "runtime", "language"]) {
    for (const withDeps of [false, true]) {
      const res = await build({
        entryPoints: [resolve(BUILD_DIR, `${entry}.js`)],
        bundle: true,
        minify: true,
        format: "esm",
        platform: "neutral",
        // "neutral" has no main fields: lodash-es (chevrotain's) only has `module` and `main`.
        mainFields: ["module", "main"],
        write: false,
        external: withDeps ? ["zod", "zod/*"] : deps.flatMap((d) => [d, `${d}/*`]),
        logLevel: "silent",
      });
      const code = res.outputFiles[0]!.contents;
      out.push({
        entry: entry === "index" ? "cible" : `cible/${entry}`,
        deps: withDeps ? "with deps (not zod)" : "without deps",
        minBytes: code.length,
        gzipBytes: gzipSync(code, { level: 9 }).length,
      });
    }
  }
  return out;
}

function writePerformanceDoc(r: {
  date: string;
  node: string;
  cpu: string | undefined;
  records: number;
  rounds: number;
  slowEngineRecords: number;
  throughput: Record<string, EngineResult[]>;
  compileNs: Record<string, number>;
  rulesFile: ReturnType<typeof benchRulesFile>;
  campaign?: ReturnType<typeof benchCampaign>;
  nextChange?: ReturnType<typeof benchNextChange>;
  language?: ReturnType<typeof benchLanguage>;
  bundles: { entry: string; deps: string; minBytes: number; gzipBytes: number }[];
}) {
  const path = resolve(ROOT, "docs/performance.md");
  const engines = r.throughput.R1!.map((e) => e.engine);
  const rows = engines.map((name) => {
    const cells = Object.keys(r.throughput).map((id) => {
      const e = r.throughput[id]!.find((x) => x.engine === name)!;
      return `${fmtRatio(e.ratio)} (${fmtNs(e.nsPerRecord)})`;
    });
    return `| ${name} | ${cells.join(" | ")} |`;
  });
  const table = [
    `Run of ${r.date} on ${r.cpu ?? "?"}, Node ${r.node}: ${r.records.toLocaleString("en")} contacts, median of ${r.rounds} interleaved rounds; json-rules-engine timed on ${r.slowEngineRecords.toLocaleString("en")} records.`,
    "Throughput relative to the hand-written predicate (higher is faster), then time per record:",
    "",
    `| engine | ${Object.keys(r.throughput).join(" | ")} |`,
    `|---|${Object.keys(r.throughput).map(() => "---").join("|")}|`,
    ...rows,
    "",
    `parse + check + compile (median): ${Object.entries(r.compileNs).map(([id, ns]) => `${id} ${fmtNs(ns)}`).join(", ")}.`,
    "",
    `Rules file (50 segments, 2 scores, a lifecycle, tiers) over 100k records: \`rules.evaluate\` ${fmtNs(r.rulesFile.evaluateNsPerRecord)} per record against ${fmtNs(r.rulesFile.separateNsPerRecord)} for the same definitions evaluated separately (${fmtRatio(r.rulesFile.ratio)}).`,
    ...(r.campaign
      ? [
          "",
          `Campaign (same file plus a channel and a split): a split's arm ${fmtNs(r.campaign.armNs)} per record against ${fmtNs(r.campaign.handArmNs)} hand-written with node:crypto's MD5 (${fmtRatio(r.campaign.armRatio)}); \`analyze\` (sizes, overlaps, reach, coverage, arms) ${fmtNs(r.campaign.analyzeNs)} per record, ${r.campaign.analyzeRatio.toFixed(2)}× one \`rules.evaluate\`.`,
        ]
      : []),
    ...(r.nextChange
      ? [
          "",
          nextChangeSummary(r.nextChange),
        ]
      : []),
    ...(r.language ? ["", languageSummary(r.language)] : []),
    "",
    "| bundle | dependencies | min | min + gzip |",
    "|---|---|---|---|",
    ...r.bundles.map((b) => `| ${b.entry} | ${b.deps} | ${(b.minBytes / 1024).toFixed(1)} KB | ${(b.gzipBytes / 1024).toFixed(1)} KB |`),
  ].join("\n");
  const doc = readFileSync(path, "utf8");
  const next = doc.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`);
  writeFileSync(path, next);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
