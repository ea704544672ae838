/**
 * `cible eval --since old.ndjson --changes changes.ndjson`: what changed for each record since an
 * earlier `--out` file. Records are matched by id (`--id`); the old line's stages are the record's
 * previous stages (monotonic lifecycles); one line per record whose segments, reachability, stage
 * or tier changed, `{ id, at, entered, exited, reachable, stages, tiers }`; records new since the
 * old file enter, records gone from the data exit. Also `nextChange` on the lines of `--out`
 * (docs/cli.md, docs/time.md).
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import type { EvalContext, RulesEvaluation } from "../index.js";
import { CibleError, type ComparedEvaluation, diffEvaluations, hasChanges } from "../index.js";
import { type CliIo, CliError, colorsFor, pathIn } from "./io.js";
import { LineSink } from "./engine.js";

/** An old `--out` line: what the run compares with. */
type Old = ComparedEvaluation;

/** The key of an id (a number and its decimal text are one record). */
const keyOf = (id: unknown): string | undefined => (typeof id === "string" || (typeof id === "number" && Number.isFinite(id)) ? String(id) : undefined);

/**
 * Reads an earlier `--out` file (NDJSON, `.gz` too): id → its segments, reachable sets, stages
 * and tiers. A line that is not a JSON object, or has no id, is an error with its line number.
 */
export async function readSince(path: string, io: CliIo): Promise<Map<string, { id: unknown; old: Old }>> {
  const full = pathIn(io, path);
  const stream = createReadStream(full);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (e) => reject(new CliError(`cannot read ${path}: ${e.message}`)));
  });
  await opened;
  const lines = createInterface({ input: /\.gz$/i.test(path) ? stream.pipe(createGunzip()) : stream, crlfDelay: Infinity });
  const out = new Map<string, { id: unknown; old: Old }>();
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new CliError(`${path}:${n}: not a JSON line`, 2, "--since reads a file written by `cible eval --out`");
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new CliError(`${path}:${n}: not a JSON object`, 2, "--since reads a file written by `cible eval --out`");
    const o = v as Record<string, unknown>;
    const key = keyOf(o.id);
    if (key === undefined) throw new CliError(`${path}:${n}: the line has no id`, 2, "--since matches records by the id that --out wrote (--id chooses the field)");
    out.set(key, {
      id: o.id,
      old: {
        segments: strings(o.segments),
        reachable: record(o.reachable, strings),
        stages: record(o.stages, nameOrNull),
        tiers: record(o.tiers, nameOrNull),
      },
    });
  }
  return out;
}

/**
 * Follows the records of a run against the old file: the context of each (its previous stages),
 * and the lines of `--changes`.
 */
export class ChangeTracker {
  private readonly seen = new Set<string>();
  private readonly at: string;
  /** Records of the data without a usable id (not matched, no line). */
  unmatched = 0;
  /** Lines written. */
  written = 0;

  constructor(
    private readonly old: Map<string, { id: unknown; old: Old }>,
    private readonly sink: LineSink | undefined,
    now: Date,
  ) {
    this.at = now.toISOString();
  }

  /** The context of a record: the run's, with the old line's stages as previous stages. */
  ctxFor(id: unknown, base: EvalContext): EvalContext {
    const key = keyOf(id);
    const prev = key === undefined ? undefined : this.old.get(key);
    if (!prev) return base;
    const previous: Record<string, string> = {};
    for (const [k, v] of Object.entries(prev.old.stages)) if (typeof v === "string") previous[k] = v;
    return Object.keys(previous).length ? { ...base, previous } : base;
  }

  /** Compares a record's evaluation with its old line; writes a line when something changed. */
  async add(id: unknown, result: RulesEvaluation): Promise<void> {
    const key = keyOf(id);
    if (key === undefined) {
      this.unmatched++;
      return;
    }
    if (this.seen.has(key)) return; // a duplicate id: compared once, as the first record
    this.seen.add(key);
    await this.write(id, diffEvaluations(this.old.get(key)?.old ?? null, result));
  }

  /** The records of the old file that are gone from the data: they exit. Closes the sink. */
  async finish(): Promise<void> {
    for (const [key, { id, old }] of this.old) if (!this.seen.has(key)) await this.write(id, diffEvaluations(old, null));
    await this.sink?.close();
  }

  async abort(): Promise<void> {
    await this.sink?.abort();
  }

  private async write(id: unknown, c: ReturnType<typeof diffEvaluations>): Promise<void> {
    if (!hasChanges(c)) return;
    this.written++;
    await this.sink?.write(JSON.stringify({ id, at: this.at, ...c }));
  }
}

/**
 * A record's `nextChange` as `--out` writes it (ISO text, or null). A file whose decaying scores
 * cannot be bracketed (`eval.next-change-decay`) gets no `nextChange` on its lines: `warn` is
 * called once with the reason.
 */
export function nextChangeField(result: RulesEvaluation, warn: (message: string) => void): { nextChange?: string | null } {
  try {
    const t = result.nextChange;
    return { nextChange: t ? t.toISOString() : null };
  } catch (e) {
    if (e instanceof CibleError && e.diagnostics[0]?.code === "eval.next-change-decay") {
      warn(e.diagnostics[0].message);
      return {};
    }
    throw e;
  }
}

/** Says, once, why the lines of --out have no nextChange. */
export function onceWarning(io: CliIo): (message: string) => void {
  let said = false;
  return (message) => {
    if (said) return;
    said = true;
    const c = colorsFor(io.stderr, io.env);
    io.stderr.write(`${c.yellow("cible:")} the lines of --out have no nextChange: ${message}\n`);
  };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function nameOrNull(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function record<V>(v: unknown, read: (x: unknown) => V): Record<string, V> {
  const out: Record<string, V> = {};
  if (typeof v === "object" && v !== null && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) out[k] = read(x);
  return out;
}

/**
 * `--since` and `--changes` of `cible eval`: reads the old file and opens the changes file (`-`
 * is standard output); undefined when neither is given. Closes `out` when it fails.
 */
export async function openChanges(
  flags: { since?: string; changes?: string; out?: string; json?: boolean },
  run: { ctx: { now: Date }; input: { close(): Promise<void> } },
  io: CliIo,
  out: LineSink | undefined,
): Promise<ChangeTracker | undefined> {
  if (!flags.since && !flags.changes) return undefined;
  try {
    if (flags.changes === "-" && (flags.out === "-" || flags.json)) {
      throw new CliError(`--changes - and ${flags.json ? "--json" : "--out -"} both write to standard output`, 2, "write the changes to a file: --changes changes.ndjson");
    }
    const old = flags.since ? await readSince(flags.since, io) : new Map<string, { id: unknown; old: Old }>();
    const sink = flags.changes ? await LineSink.open(flags.changes, io) : undefined;
    return new ChangeTracker(old, sink, run.ctx.now);
  } catch (e) {
    await run.input.close();
    await out?.abort();
    throw e;
  }
}

/** The line the summary ends with. */
export function changesReport(c: ChangeTracker, path: string | undefined): string {
  const unmatched = c.unmatched ? ` (${c.unmatched} record${c.unmatched === 1 ? "" : "s"} without an id left out)` : "";
  return path ? `Wrote ${c.written} change line${c.written === 1 ? "" : "s"}${unmatched} to ${path === "-" ? "standard output" : path}\n` : "";
}
