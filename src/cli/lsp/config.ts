/**
 * Where the language server gets a `.cible` file's schema: the nearest `cible.config.json` in the
 * file's folder or above it, stopping at the workspace folder that holds the file (at the
 * filesystem root for a file outside every workspace folder).
 *
 * ```json
 * { "schema": "contacts.schema.json", "params": { "minEmployees": "number" },
 *   "now": "2026-01-15T09:00:00Z", "timeZone": "Europe/Paris", "kind": "rules" }
 * ```
 *
 * Paths are relative to the config file. A loaded config is kept with the size and modification
 * time of the config and of its schema file, and re-stated on every check: an edit to either is
 * picked up at the next keystroke even when the editor does not report file changes. Nothing here
 * throws: a config or schema that cannot be used becomes a {@link ConfigProblem}, which the server
 * shows as a diagnostic at the start of the file.
 */
import { statSync, readFileSync } from "node:fs";
import { dirname, join, relative, isAbsolute, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import type * as z4 from "zod/v4/core";
import { type CliIo, CliError } from "../io.js";
import { isModuleSchema, loadSchema, schemaFile } from "../schema.js";

/** The name of the config file the server looks for. */
export const CONFIG_NAME = "cible.config.json";

/** What a file's checks need, read from its config. */
export interface FileSettings {
  /** The config file it came from. */
  readonly configPath: string;
  readonly schema: z4.$ZodType;
  /** `rules` (the default) or `expression`: how every `.cible` file under this config is read. */
  readonly kind: "rules" | "expression";
  readonly params?: Readonly<Record<string, unknown>>;
  /** ISO text, read as `cible --now` reads it. */
  readonly now?: string;
  readonly timeZone?: string;
}

/** Why a file is checked without a schema, as a diagnostic at the start of the file says. */
export interface ConfigProblem {
  /** `editor.no-config`, `editor.config`, `editor.schema` or `editor.untrusted`. */
  readonly code: string;
  readonly severity: "error" | "warning" | "information";
  readonly message: string;
  readonly hint?: string;
  /** The config file concerned (absent for `editor.no-config`). */
  readonly configPath?: string;
  /** The kind a readable config still asks for, when only its schema failed. */
  readonly kind?: "rules" | "expression";
}

export type Resolved = { readonly ok: true; readonly settings: FileSettings } | { readonly ok: false; readonly problem: ConfigProblem };

/** Size and modification time: enough to notice that a file was saved. */
function stamp(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** True when `path` is `folder` or inside it. */
function inside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * The nearest config file for `file`, searching its folder and each parent, never above the
 * innermost workspace folder holding it.
 */
export function findConfig(file: string, workspaceFolders: readonly string[]): string | undefined {
  const roots = workspaceFolders.filter((f) => inside(file, f)).sort((a, b) => b.length - a.length);
  const stop = roots[0];
  let dir = dirname(resolve(file));
  for (;;) {
    const candidate = join(dir, CONFIG_NAME);
    if (stamp(candidate) !== undefined) return candidate;
    if (stop !== undefined && resolve(dir) === resolve(stop)) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface Entry {
  readonly configStamp: string | undefined;
  readonly schemaPath?: string;
  readonly schemaStamp?: string | undefined;
  readonly trusted: boolean;
  readonly result: Resolved;
}

const KINDS = new Set(["rules", "expression"]);
/** The parameter types the language service takes (`DeclaredParamType`). */
const PARAM_TYPES: ReadonlySet<string> = new Set(["string", "number", "boolean", "date", "duration", "string[]", "number[]", "boolean[]", "date[]"]);

/** Loads and caches configs; one per server. */
export class ConfigStore {
  private readonly entries = new Map<string, Entry>();
  private loads = 0;

  constructor(
    /** Whether the client said the workspace is trusted (module schemas run code). */
    public trusted: boolean,
  ) {}

  /** Forgets every loaded config (the next check reloads what it needs). */
  clear(): void {
    this.entries.clear();
  }

  /** The settings of a file, or why there are none. */
  async resolve(file: string, workspaceFolders: readonly string[]): Promise<Resolved> {
    const configPath = findConfig(file, workspaceFolders);
    if (configPath === undefined) {
      return {
        ok: false,
        problem: {
          code: "editor.no-config",
          severity: "information",
          message: `No ${CONFIG_NAME} found in this folder or above it: only the syntax is checked.`,
          hint: `add a ${CONFIG_NAME} such as { "schema": "contacts.schema.json" } next to your rules to check fields and types (docs/editor.md)`,
        },
      };
    }
    const cached = this.entries.get(configPath);
    if (cached && cached.trusted === this.trusted && cached.configStamp === stamp(configPath) && (cached.schemaPath === undefined || cached.schemaStamp === stamp(cached.schemaPath))) {
      return cached.result;
    }
    const configStamp = stamp(configPath);
    const { result, schemaPath } = await this.load(configPath);
    this.entries.set(configPath, { configStamp, schemaPath, schemaStamp: schemaPath === undefined ? undefined : stamp(schemaPath), trusted: this.trusted, result });
    return result;
  }

  private async load(configPath: string): Promise<{ result: Resolved; schemaPath?: string }> {
    const fail = (code: string, message: string, hint?: string, kind?: "rules" | "expression"): Resolved => ({
      ok: false,
      problem: { code, severity: code === "editor.untrusted" ? "warning" : "error", message, hint, configPath, kind },
    });
    const name = CONFIG_NAME;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(configPath, "utf8"));
    } catch (e) {
      return { result: fail("editor.config", `${name} is not valid JSON (${(e as Error).message}).`, `fix ${configPath}`) };
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      return { result: fail("editor.config", `${name} must hold a JSON object.`, 'for example { "schema": "contacts.schema.json" }') };
    }
    const c = raw as Record<string, unknown>;
    const unknown = Object.keys(c).filter((k) => !["schema", "params", "now", "timeZone", "kind", "$schema"].includes(k));
    if (unknown.length) {
      return { result: fail("editor.config", `${name} has an unknown key ${JSON.stringify(unknown[0])}.`, "its keys are schema, params, now, timeZone and kind") };
    }
    const kind = c.kind === undefined ? "rules" : c.kind;
    if (typeof kind !== "string" || !KINDS.has(kind)) {
      return { result: fail("editor.config", `"kind" in ${name} must be "rules" or "expression".`, 'leave it out for rules files (the default)') };
    }
    const k = kind as "rules" | "expression";
    if (typeof c.schema !== "string" || c.schema === "") {
      return { result: fail("editor.config", `${name} needs a "schema": the path of a JSON Schema or of a module exporting a zod schema.`, '"schema": "contacts.schema.json" or "schema.ts#Contact", relative to the config', k) };
    }
    if (c.params !== undefined && (typeof c.params !== "object" || c.params === null || Array.isArray(c.params))) {
      return { result: fail("editor.config", `"params" in ${name} must be an object of parameter types.`, '"params": { "minEmployees": "number" }', k) };
    }
    const badParam = Object.entries((c.params ?? {}) as Record<string, unknown>).find(([, t]) => typeof t !== "string" || !PARAM_TYPES.has(t));
    if (badParam) {
      return { result: fail("editor.config", `The parameter ${JSON.stringify(badParam[0])} in ${name} has no type cible knows.`, `a type is one of ${[...PARAM_TYPES].map((t) => JSON.stringify(t)).join(", ")}`, k) };
    }
    // Read later as the library reads a context's `now` (a wall-clock time in `timeZone` without
    // an offset, as `cible --now`); only its form is checked here.
    if (c.now !== undefined && typeof c.now !== "string") {
      return { result: fail("editor.config", `"now" in ${name} must be an ISO date or date-time, as text.`, '"now": "2026-01-15T09:00:00Z"', k) };
    }
    const now = c.now as string | undefined;
    if (c.timeZone !== undefined && (typeof c.timeZone !== "string" || !validZone(c.timeZone))) {
      return { result: fail("editor.config", `"timeZone" in ${name} is not a time zone.`, 'an IANA name such as "Europe/Paris"', k) };
    }
    const spec = c.schema;
    const dir = dirname(configPath);
    const schemaPath = resolve(dir, schemaFile(spec));
    if (stamp(schemaPath) === undefined) {
      return { result: fail("editor.schema", `The schema ${spec} named in ${name} does not exist.`, `the path is relative to ${dir}${sep}`, k), schemaPath };
    }
    if (isModuleSchema(spec) && !this.trusted) {
      return {
        result: fail(
          "editor.untrusted",
          `The schema ${spec} is a module: loading it runs its code, and this workspace is not trusted, so only the syntax is checked.`,
          "trust the workspace (VS Code) or start the server with the initialization option { \"trusted\": true } (docs/editor.md), or use a JSON Schema file",
          k,
        ),
        schemaPath,
      };
    }
    try {
      const loaded = await loadSchema(spec, quietIo(dir), `${++this.loads}`);
      const settings: FileSettings = {
        configPath,
        schema: loaded.zod,
        kind: k,
        ...(c.params === undefined ? {} : { params: c.params as Record<string, unknown> }),
        ...(now === undefined ? {} : { now }),
        ...(c.timeZone === undefined ? {} : { timeZone: c.timeZone as string }),
      };
      return { result: { ok: true, settings }, schemaPath };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const hint = e instanceof CliError ? e.hint : undefined;
      return { result: fail("editor.schema", `Cannot load the schema of ${name}: ${message}.`.replace(/\.\.$/, "."), hint ?? `check ${spec}`, k), schemaPath };
    }
  }
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A CLI context for loading a schema from `cwd`: nothing may be written to stdout (the protocol's stream). */
function quietIo(cwd: string): CliIo {
  const sink = { write: () => true };
  return { stdout: sink, stderr: sink, stdin: Readable.from([]), cwd, env: {} };
}
