/**
 * `npm run bench:scale`: the demo's rules file (examples/b2b-france.cible) over generated contacts
 * (bench/scale-data.ts: 10,000,000 contacts and ~50,000,000 events by default), run by the built
 * CLI as a user runs it, once per engine:
 *
 *     cible eval examples/b2b-france.cible contacts.<parquet|ndjson> --schema … --engine <js|duckdb|clickhouse> --out … --json
 *
 * Each run is a child process: its wall time gives contacts per second, and its peak resident set
 * size (bench/scale-rss.mjs: getrusage, in-process DuckDB and chdb included) the memory. The
 * `--out` files are compared line by line (bench/scale-compare.ts: scores within 1e-9) and the
 * summaries' segment sizes must agree before anything is reported. One run per engine, not a
 * median: a run at 10M takes minutes, and the figures are meant as orders of magnitude.
 *
 * Environment:
 * - SCALE_CONTACTS: contacts (default 10,000,000; `SCALE_CONTACTS=1000000` for a quick run);
 * - SCALE_ENGINES: `engine:format` list (default `js:ndjson,duckdb:parquet,clickhouse:parquet`);
 *   an engine the CLI does not have is reported as missing, not as a failure;
 * - SCALE_TIMEOUT: seconds per run before it is stopped (default 3600);
 * - SCALE_MIN_FREE_MIB: a run is stopped when the machine's available memory falls below this
 *   (default 2048): the machine is shared;
 * - SCALE_PARALLEL=1: run the engines side by side instead of one after the other (on a machine
 *   already oversubscribed by others, this gives each about the share it would get alone);
 * - SCALE_DIR: where the generated data is cached (bench/scale-data.ts);
 * - SCALE_KEEP=1: keep the `--out` files;
 * - SCALE_REUSE: `engine:format` list whose last finished run on this data (its `--out` file and
 *   figures, kept in the data's `runs/` folder) is reused instead of run again, e.g. the 15-minute
 *   in-process run at 10M while the SQL engines are measured again; the report says which were
 *   reused and when they ran (the machine's load then may differ: compare CPU seconds).
 *
 * Writes bench/results/scale-<date>-<contacts>.json and, when docs/scale.md has a block for this
 * size (`<!-- scale:<contacts>:start -->`), the table there.
 */
import { spawn } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { basename, join, resolve } from "node:path";
import { version as duckdbVersion } from "@duckdb/node-api";
import { DEMO_NOW } from "../examples/generate.js";
import { type Comparison, agree, compareOutputs } from "./scale-compare.js";
import { scaleData } from "./scale-data.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = resolve(ROOT, "dist/cli.js");
const RULES = resolve(ROOT, "examples/b2b-france.cible");
const RSS_HOOK = resolve(ROOT, "bench/scale-rss.mjs");
const TZ = "Europe/Paris";
const log = (s = "") => process.stdout.write(`${s}\n`);

export interface EngineRun {
  /** `engine:format`, e.g. `duckdb:parquet`. */
  readonly name: string;
  readonly engine: string;
  readonly format: "ndjson" | "parquet";
  /** `ok`, `missing` (the CLI has no such engine), or `failed` (exit code, signal or timeout). */
  readonly status: "ok" | "missing" | "failed";
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly wallSeconds: number;
  /**
   * CPU time of the process, user + system, all its threads: on a shared machine the wall time
   * measures the others' load as much as the engine; this does not (but counts every thread).
   */
  readonly cpuSeconds?: number;
  /** The machine's 1-minute load average when the run started, and when it ended (a shared machine). */
  readonly load: [number, number];
  /** Peak RSS of the Node process, MiB (undefined when it died before writing it). */
  readonly peakRssMiB?: number;
  readonly contactsPerSecond?: number;
  readonly contactsPerCpuSecond?: number;
  readonly eventsPerSecond?: number;
  /** A run that did not finish: the `--out` lines it had written (the SQL engines write none before their query is done). */
  readonly linesWritten?: number;
  /** The end of standard error when the run did not succeed. */
  readonly error?: string;
  readonly segments?: Record<string, number>;
  readonly out: string;
  /** When the figures come from an earlier run (SCALE_REUSE): the date it ran. */
  readonly reusedFrom?: string;
}

function parseEngines(spec: string): { name: string; engine: string; format: "ndjson" | "parquet" }[] {
  return spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [engine, format = engine === "js" ? "ndjson" : "parquet"] = s.split(":");
      if (format !== "ndjson" && format !== "parquet") throw new Error(`SCALE_ENGINES: ${s}: the format is ndjson or parquet`);
      return { name: `${engine}:${format}`, engine: engine!, format };
    });
}

/** Runs `cible eval` once in a child process and measures it. */
async function runEngine(e: { name: string; engine: string; format: "ndjson" | "parquet" }, data: Awaited<ReturnType<typeof scaleData>>, workDir: string, timeoutS: number, minFreeMiB: number): Promise<EngineRun> {
  const file = e.format === "parquet" ? data.parquet : data.ndjson;
  const out = join(workDir, `out-${e.engine}-${e.format}.ndjson`);
  const rssFile = join(workDir, `rss-${e.engine}-${e.format}.txt`);
  rmSync(rssFile, { force: true });
  const args = ["--import", RSS_HOOK, CLI, "eval", RULES, file, "--schema", data.schema, "--now", DEMO_NOW, "--tz", TZ, "--engine", e.engine, "--out", out, "--json", "--no-progress"];
  const loadBefore = loadavg()[0]!;
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, SCALE_RSS_FILE: rssFile }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr = (stderr + s).slice(-4000)));
  let stopped: string | undefined;
  const timer = setTimeout(() => {
    stopped = `stopped after ${timeoutS} s (SCALE_TIMEOUT)`;
    child.kill("SIGKILL");
  }, timeoutS * 1000);
  // The peak as Linux reports it while the run goes on (VmHWM), for a run that is killed before
  // its exit hook writes getrusage's figure.
  let highWaterKiB: number | undefined;
  let cpuTicks: number | undefined;
  const sampler = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (m) highWaterKiB = Number(m[1]);
      // utime + stime, fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name).
      const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpuTicks = Number(fields[11]) + Number(fields[12]);
      // A shared machine: stop a large run (not the small ones beside it) before it starves the
      // others of memory.
      const rssKiB = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0);
      const available = /MemAvailable:\s+(\d+) kB/.exec(readFileSync("/proc/meminfo", "utf8"));
      if (available && Number(available[1]) / 1024 < minFreeMiB && rssKiB > 2 * 2 ** 20 && stopped === undefined) {
        stopped = `stopped when the machine's available memory fell below ${minFreeMiB} MiB (SCALE_MIN_FREE_MIB)`;
        child.kill("SIGKILL");
      }
    } catch {
      // Not Linux, or the process is gone.
    }
  }, 1000);
  const [exitCode, signal] = await new Promise<[number | null, string | null]>((done) => child.on("close", (code, sig) => done([code, sig])));
  clearTimeout(timer);
  clearInterval(sampler);
  const wallSeconds = (performance.now() - started) / 1000;
  const usage = existsSync(rssFile) ? (JSON.parse(readFileSync(rssFile, "utf8")) as { maxRSS: number; cpuMicros: number }) : undefined;
  const peakRssMiB = usage ? usage.maxRSS / 1024 : highWaterKiB === undefined ? undefined : highWaterKiB / 1024;
  // CPU seconds: the exit hook's figure, else the last sample (clock ticks, 100 a second on Linux).
  const cpuSeconds = usage ? usage.cpuMicros / 1e6 : cpuTicks === undefined ? undefined : cpuTicks / 100;
  const load: [number, number] = [+loadBefore.toFixed(1), +loadavg()[0]!.toFixed(1)];
  const base = { name: e.name, engine: e.engine, format: e.format, exitCode, signal, wallSeconds, cpuSeconds, load, peakRssMiB, out };
  if (exitCode !== 0) {
    // The lines a stopped run had written (LineSink's temporary file): how far it got.
    const partial = join(workDir, `.${basename(out)}.${child.pid}.tmp`);
    const written = existsSync(partial) ? await countLines(partial) : undefined;
    rmSync(partial, { force: true });
    const missing = /engine/i.test(stderr) && /(invalid|unknown|allowed choices|not an engine)/i.test(stderr);
    return { ...base, status: missing ? "missing" : "failed", linesWritten: written, error: `${stopped ? `${stopped}; ` : ""}${stderr.trim().slice(-1500)}` };
  }
  const summary = JSON.parse(stdout) as { records: number; segments: { name: string; size: number }[] };
  if (summary.records !== data.contacts) return { ...base, status: "failed", error: `read ${summary.records} records, the file has ${data.contacts}` };
  return {
    ...base,
    status: "ok",
    contactsPerSecond: data.contacts / wallSeconds,
    contactsPerCpuSecond: cpuSeconds === undefined ? undefined : data.contacts / cpuSeconds,
    eventsPerSecond: data.events / wallSeconds,
    segments: Object.fromEntries(summary.segments.map((s) => [s.name, s.size])),
  };
}

/** Lines of a file, streamed. */
async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path)) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  }
  return n;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en");

/** Runs the scale bench; returns the results written to bench/results/. */
export async function runScale(): Promise<Record<string, unknown>> {
  const contacts = Number(process.env.SCALE_CONTACTS ?? 10_000_000);
  const engines = parseEngines(process.env.SCALE_ENGINES ?? "js:ndjson,duckdb:parquet,clickhouse:parquet");
  const timeoutS = Number(process.env.SCALE_TIMEOUT ?? 3600);
  const minFreeMiB = Number(process.env.SCALE_MIN_FREE_MIB ?? 2048);
  const parallel = process.env.SCALE_PARALLEL === "1";
  const reuse = new Set(parseEngines(process.env.SCALE_REUSE ?? "").map((e) => e.name));
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm run bench:scale does)`);
  const chdbVersion = (JSON.parse(readFileSync(resolve(ROOT, "node_modules/chdb/package.json"), "utf8")) as { version: string }).version;

  log(`bench/scale.ts: the demo rules file over ${fmtInt(contacts)} contacts; ${engines.map((e) => e.name).join(", ")}`);
  log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const data = await scaleData(contacts, { ndjson: engines.some((e) => e.format === "ndjson") });
  log(`data: ${fmtInt(data.contacts)} contacts, ${fmtInt(data.events)} events, ${fmtInt(data.purchases)} purchases in ${data.dir}`);
  log(`  parquet ${(data.bytes.parquet / 2 ** 20).toFixed(0)} MiB, ndjson ${(data.bytes.ndjson / 2 ** 20).toFixed(0)} MiB; ${data.generatedMs ? `generated in ${(data.generatedMs / 1000).toFixed(1)} s` : "from the cache"}`);

  const workDir = join(data.dir, "runs");
  mkdirSync(workDir, { recursive: true });
  const report = (r: EngineRun) => {
    const rss = r.peakRssMiB === undefined ? "?" : `${fmtInt(r.peakRssMiB)} MiB`;
    const cpu = r.cpuSeconds === undefined ? "" : `, ${r.cpuSeconds.toFixed(1)} s of CPU`;
    if (r.status === "ok") log(`  ${r.wallSeconds.toFixed(1)} s${cpu}, ${fmtInt(r.contactsPerCpuSecond ?? 0)} contacts per CPU second, ${fmtInt(r.contactsPerSecond!)} contacts/s, ${fmtInt(r.eventsPerSecond!)} events/s, peak RSS ${rss}`);
    else log(`  ${r.status} (exit ${r.exitCode}, signal ${r.signal}) after ${r.wallSeconds.toFixed(1)} s${cpu}, peak RSS ${rss}${r.linesWritten === undefined ? "" : `, ${fmtInt(r.linesWritten)} lines written`}:\n    ${(r.error ?? "").split("\n").slice(-6).join("\n    ")}`);
  };
  let runs: EngineRun[] = [];
  // SCALE_REUSE: an engine's last finished run on this data, with its `--out` file.
  const savedRun = (e: { engine: string; format: string }) => join(workDir, `run-${e.engine}-${e.format}.json`);
  const reused = (e: { name: string; engine: string; format: string }): EngineRun | undefined => {
    if (!reuse.has(e.name) || !existsSync(savedRun(e))) return undefined;
    const r = JSON.parse(readFileSync(savedRun(e), "utf8")) as EngineRun;
    return existsSync(r.out) ? r : undefined;
  };
  const run = async (e: { name: string; engine: string; format: "ndjson" | "parquet" }) => {
    const r = await runEngine(e, data, workDir, timeoutS, minFreeMiB);
    if (r.status === "ok") writeFileSync(savedRun(e), JSON.stringify({ ...r, reusedFrom: new Date().toISOString() }));
    return r;
  };
  if (parallel) {
    log(`\n${engines.map((e) => e.name).join(", ")}: running side by side (SCALE_PARALLEL=1)…`);
    runs = await Promise.all(engines.map((e) => reused(e) ?? run(e)));
    for (const r of runs) {
      log(`\n${r.name}:${reuse.has(r.name) && r.reusedFrom ? ` reused from the run of ${r.reusedFrom} (SCALE_REUSE)` : ""}`);
      report(r);
    }
  } else {
    for (const e of engines) {
      const earlier = reused(e);
      log(`\n${e.name}: ${earlier ? `reused from the run of ${earlier.reusedFrom} (SCALE_REUSE)` : "running…"}`);
      const r = earlier ?? (await run(e));
      runs.push(r);
      report(r);
    }
  }

  // Same answers before any figure is reported: every finished run against the first one.
  const ok = runs.filter((r) => r.status === "ok");
  const comparisons: ({ a: string; b: string } & Comparison)[] = [];
  let allAgree = true;
  for (const r of ok.slice(1)) {
    const ref = ok[0]!;
    const c = await compareOutputs(ref.out, r.out);
    const sizes = JSON.stringify(ref.segments) === JSON.stringify(r.segments);
    comparisons.push({ a: ref.name, b: r.name, ...c });
    const fine = agree(c) && sizes;
    allAgree &&= fine;
    log(`\n${ref.name} vs ${r.name}: ${fmtInt(c.lines)} lines, ${fmtInt(c.identical)} identical, ${fmtInt(c.differing)} differing, largest score difference ${c.maxScoreDiff.toExponential(1)}${sizes ? "" : "; segment sizes differ"}`);
    for (const m of c.mismatches) log(`  line ${m.line}:\n    ${m.a}\n    ${m.b}`);
  }
  // A run saved for SCALE_REUSE keeps its output with it.
  if (process.env.SCALE_KEEP !== "1") for (const r of runs) if (!existsSync(savedRun(r))) rmSync(r.out, { force: true });

  const reference = ok.find((r) => r.engine === "js") ?? ok[0];
  const ratios = Object.fromEntries(ok.map((r) => [r.name, reference ? +(reference.wallSeconds / r.wallSeconds).toFixed(2) : null]));
  log(`\n${reference ? `throughput relative to ${reference.name} (higher is faster): ${ok.map((r) => `${r.name} ${ratios[r.name]}×`).join(", ")}` : "no engine finished"}`);

  const date = new Date().toISOString().slice(0, 10);
  const result = {
    date,
    startedAt: new Date().toISOString(),
    // The engines' memory settings of docs/scale.md, when set for this run.
    settings: Object.fromEntries(["CIBLE_DUCKDB_MEMORY", "CIBLE_DUCKDB_TEMP", "CIBLE_CLICKHOUSE_MEMORY", "CIBLE_CLICKHOUSE_BATCH"].filter((k) => process.env[k]).map((k) => [k, process.env[k]!])),
    node: process.version,
    cpu: cpus()[0]?.model,
    cpus: cpus().length,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    duckdb: duckdbVersion(),
    chdb: chdbVersion,
    rules: "examples/b2b-france.cible",
    now: DEMO_NOW,
    timeZone: TZ,
    contacts: data.contacts,
    events: data.events,
    purchases: data.purchases,
    bytes: data.bytes,
    generatedSeconds: data.generatedMs ? +(data.generatedMs / 1000).toFixed(1) : null,
    runs: runs.map(({ out: _out, segments: _segments, ...r }) => ({
      ...r,
      wallSeconds: +r.wallSeconds.toFixed(1),
      cpuSeconds: r.cpuSeconds === undefined ? null : +r.cpuSeconds.toFixed(1),
      contactsPerCpuSecond: r.contactsPerCpuSecond === undefined ? null : Math.round(r.contactsPerCpuSecond),
      peakRssMiB: r.peakRssMiB === undefined ? null : Math.round(r.peakRssMiB),
      contactsPerSecond: r.contactsPerSecond === undefined ? null : Math.round(r.contactsPerSecond),
      eventsPerSecond: r.eventsPerSecond === undefined ? null : Math.round(r.eventsPerSecond),
    })),
    parallel,
    reference: reference?.name ?? null,
    throughputRatios: ratios,
    comparisons: comparisons.map(({ mismatches, ...c }) => ({ ...c, firstMismatches: mismatches })),
    agree: allAgree,
  };
  mkdirSync(resolve(ROOT, "bench/results"), { recursive: true });
  const file = resolve(ROOT, `bench/results/scale-${date}-${data.contacts}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`\nwrote ${file}`);
  if (!allAgree) throw new Error("the engines' lines disagree (above): no table written to docs/scale.md");
  if (writeScaleDoc(result)) log(`updated the table of ${fmtInt(data.contacts)} contacts in docs/scale.md`);
  return result;
}

/** The table of one run in docs/scale.md, between `<!-- scale:<contacts>:start -->` and its end marker. */
function writeScaleDoc(r: { date: string; parallel: boolean; settings: Record<string, string>; cpu?: string; cpus: number; memoryGiB: number; node: string; duckdb: string; chdb: string; contacts: number; events: number; purchases: number; bytes: { parquet: number; ndjson: number }; runs: { name: string; status: string; reusedFrom?: string; linesWritten?: number; exitCode: number | null; signal: string | null; wallSeconds: number; cpuSeconds: number | null; contactsPerCpuSecond: number | null; load: [number, number]; peakRssMiB: number | null; contactsPerSecond: number | null; eventsPerSecond: number | null; error?: string }[]; reference: string | null; throughputRatios: Record<string, number | null> }): boolean {
  const path = resolve(ROOT, "docs/scale.md");
  if (!existsSync(path)) return false;
  const doc = readFileSync(path, "utf8");
  const start = `<!-- scale:${r.contacts}:start -->`;
  const end = `<!-- scale:${r.contacts}:end -->`;
  if (!doc.includes(start) || !doc.includes(end)) return false;
  const engineName = (name: string) => ({ js: "in-process (js)", duckdb: "DuckDB", clickhouse: "ClickHouse (chdb)" })[name.split(":")[0]!] ?? name;
  const table = [
    `Run of ${r.date}: ${r.contacts.toLocaleString("en")} contacts, ${r.events.toLocaleString("en")} events, ${r.purchases.toLocaleString("en")} purchases (Parquet ${(r.bytes.parquet / 2 ** 20).toFixed(0)} MiB${r.bytes.ndjson ? `, NDJSON ${(r.bytes.ndjson / 2 ** 20).toFixed(0)} MiB` : ""}); ${r.cpus} × ${r.cpu ?? "?"}, ${r.memoryGiB} GiB, Node ${r.node}, DuckDB ${r.duckdb}, chdb ${r.chdb}. One run each, ${r.parallel ? "the engines side by side (SCALE_PARALLEL=1)" : "one after the other"}${Object.keys(r.settings).length ? `, with ${Object.entries(r.settings).map(([k, v]) => `\`${k}=${v}\``).join(", ")}` : ""}; ${r.runs.filter((x) => x.status === "ok").length > 1 ? "`--out` lines compared and equal (scores within 1e-9)" : "fewer than two engines finished: nothing to compare"}.`,
    "",
    `| engine | input | wall time | contacts/s | events/s | CPU time | contacts per CPU second | peak RSS of the Node process | throughput vs ${r.reference ?? "—"} | load average (start → end) |`,
    "|---|---|---|---|---|---|---|---|---|---|",
    ...r.runs.map((x) =>
      x.status === "ok"
        ? `| ${engineName(x.name)}${x.reusedFrom ? ` (run of ${x.reusedFrom.slice(0, 16).replace("T", " ")} UTC, SCALE_REUSE)` : ""} | ${x.name.split(":")[1]} | ${x.wallSeconds.toFixed(1)} s | ${x.contactsPerSecond!.toLocaleString("en")} | ${x.eventsPerSecond!.toLocaleString("en")} | ${x.cpuSeconds === null ? "?" : `${x.cpuSeconds.toFixed(0)} s`} | ${x.contactsPerCpuSecond?.toLocaleString("en") ?? "?"} | ${x.peakRssMiB?.toLocaleString("en") ?? "?"} MiB | ${r.throughputRatios[x.name]?.toFixed(2)}× | ${x.load[0]} → ${x.load[1]} |`
        : x.status === "missing"
          ? `| ${engineName(x.name)} | ${x.name.split(":")[1]} | not in this build of the CLI | | | | | | | |`
          : `| ${engineName(x.name)} | ${x.name.split(":")[1]} | failed after ${x.wallSeconds.toFixed(0)} s (${x.signal ?? `exit ${x.exitCode}`})${x.linesWritten === undefined ? "" : `, ${x.linesWritten.toLocaleString("en")} lines written`} | | | ${x.cpuSeconds === null ? "?" : `${x.cpuSeconds.toFixed(0)} s`} | | ${x.peakRssMiB === null ? "?" : `${x.peakRssMiB.toLocaleString("en")} MiB`} | | ${x.load[0]} → ${x.load[1]} |`,
    ),
  ].join("\n");
  writeFileSync(path, doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`));
  return true;
}

if (process.argv[1] === import.meta.filename) {
  runScale().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
