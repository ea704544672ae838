/**
 * `cible lsp`: a real Language Server Protocol session over stdio. The server runs as the CLI does
 * (`node --import tsx src/cli.ts lsp --stdio`, no build needed) and a vscode-jsonrpc client talks to
 * it: initialize, didOpen, diagnostics, completion, hover, definition, symbols, a quick fix applied
 * and checked gone on didChange, formatting, config problems as diagnostics, reload on change.
 *
 * With CIBLE_LSP_TRANSCRIPT=file.json, the messages of the session are written there (docs/editor.md
 * quotes them).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MessageConnection, StreamMessageReader, StreamMessageWriter, createMessageConnection } from "vscode-jsonrpc/node";
import { ROOT, SMALL_SCHEMA, scratch } from "./helpers.js";

interface Position {
  line: number;
  character: number;
}
interface Range {
  start: Position;
  end: Position;
}
interface LspDiagnostic {
  range: Range;
  severity: number;
  code: string;
  message: string;
  source: string;
}
interface TextEdit {
  range: Range;
  newText: string;
}

const { dir, file } = scratch();
const uriOf = (path: string) => pathToFileURL(path).href;

/** One server process and its client connection, with every message recorded. */
class Session {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, { version?: number; diagnostics: LspDiagnostic[] }>();
  readonly transcript: { from: "client" | "server"; message: unknown }[] = [];
  private readonly waiters: (() => void)[] = [];
  stderr = "";

  constructor() {
    this.child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli.ts"), "lsp", "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    const fromServer = this.tap(this.child.stdout!, "server");
    const toServer = new PassThrough();
    toServer.pipe(this.child.stdin!);
    this.tap(toServer, "client");
    this.connection = createMessageConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: { uri: string; version?: number; diagnostics: LspDiagnostic[] }) => {
      this.diagnostics.set(p.uri, p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onRequest("client/registerCapability", () => null);
    this.connection.listen();
  }

  /** Records the framed messages of a stream (and passes the bytes on unchanged). */
  private tap(stream: NodeJS.ReadableStream, from: "client" | "server"): PassThrough {
    const out = new PassThrough();
    let buffer = Buffer.alloc(0);
    stream.on("data", (chunk: Buffer) => {
      out.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const head = buffer.indexOf("\r\n\r\n");
        if (head < 0) break;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, head).toString())![1]);
        if (buffer.length < head + 4 + length) break;
        this.transcript.push({ from, message: JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString("utf8")) });
        buffer = buffer.subarray(head + 4 + length);
      }
    });
    return out;
  }

  async start(initializationOptions: object, folder = dir): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>("initialize", {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: "test" }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: {} } },
      initializationOptions,
    });
    await this.connection.sendNotification("initialized", {});
    return r;
  }

  /** The next diagnostics published for `uri` that satisfy `ok` (or the current ones, if they do). */
  async diagnosticsFor(uri: string, ok: (d: LspDiagnostic[]) => boolean = () => true, version?: number): Promise<LspDiagnostic[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const got = this.diagnostics.get(uri);
      if (got && (version === undefined || got.version === version) && ok(got.diagnostics)) return got.diagnostics;
      if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${uri}: ${JSON.stringify(got)}\nstderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }

  open(path: string, text: string, version = 1): string {
    const uri = uriOf(path);
    void this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "cible", version, text } });
    return uri;
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest("shutdown").catch(() => undefined);
    await this.connection.sendNotification("exit").catch(() => undefined);
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.on("exit", () => resolve());
      setTimeout(() => {
        this.child.kill();
        resolve();
      }, 5000);
    });
    this.connection.dispose();
  }
}

/** Applies LSP text edits to a text (offsets through its lines, UTF-16 as the protocol counts). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** The LSP position of the `nth` occurrence of `needle` in `text`, plus `delta` characters. */
function positionOf(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle) + delta;
  const before = text.slice(0, at).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

// The workspace: a config with a JSON Schema, a folder with a broken config, one with a module
// schema (trusted or not), and one with no config at all.
const SCHEMA = structuredClone(SMALL_SCHEMA) as { properties: Record<string, { description?: string }> };
SCHEMA.properties.effectif!.description = "Nombre de salariés (INSEE)";
file("contacts.schema.json", JSON.stringify(SCHEMA));
file("cible.config.json", JSON.stringify({ schema: "contacts.schema.json", now: "2026-01-15T09:00:00Z", timeZone: "Europe/Paris" }));
mkdirSync(join(dir, "broken"));
file("broken/cible.config.json", '{ "schema": "contacts.schema.json", }');
mkdirSync(join(dir, "expr"));
file("expr/cible.config.json", JSON.stringify({ schema: "../contacts.schema.json", kind: "expression" }));
mkdirSync(join(dir, "missing"));
file("missing/cible.config.json", JSON.stringify({ schema: "nowhere.schema.json" }));
mkdirSync(join(dir, "badnow"));
file("badnow/cible.config.json", JSON.stringify({ schema: "../contacts.schema.json", now: "yesterday" }));
mkdirSync(join(dir, "badparam"));
file("badparam/cible.config.json", JSON.stringify({ schema: "../contacts.schema.json", params: { minEmployees: "integer" } }));
mkdirSync(join(dir, "module"));
const zodUrl = pathToFileURL(createRequire(import.meta.url).resolve("zod")).href;
file("module/schema.mjs", `import { z } from ${JSON.stringify(zodUrl)};\nexport const Contact = z.object({ région: z.enum(["Bretagne", "Normandie"]), effectif: z.number() });\n`);
file("module/cible.config.json", JSON.stringify({ schema: "schema.mjs#Contact" }));
mkdirSync(join(dir, "typescript"));
const tsSchema = (fields: string) => `import { z } from ${JSON.stringify(zodUrl)};\nexport const Contact = z.object({ ${fields} });\nconsole.log("a schema module that logs");\n`;
file("typescript/schema.ts", tsSchema("a: z.number()"));
file("typescript/cible.config.json", JSON.stringify({ schema: "schema.ts" }));
mkdirSync(join(dir, "reload"));
file("reload/schema.json", JSON.stringify({ type: "object", properties: { a: { type: "number" } }, required: ["a"] }));
file("reload/cible.config.json", JSON.stringify({ schema: "schema.json" }));
const outside = scratch(); // no cible.config.json anywhere up to its root

const RULES = `# Segments de test
segment sante:
  secteur = "santé"

segment grosses:
  effectif >= 250 and dernierAchat within last 6 mois

score fit:
  +30 if @sante
  +20 if @grosses
`;

describe("cible lsp (a real client over stdio)", () => {
  const session = new Session();
  let capabilities: Record<string, unknown>;

  beforeAll(async () => {
    capabilities = (await session.start({ trusted: false })).capabilities;
  }, 60_000);

  afterAll(async () => {
    await session.stop();
    if (process.env.CIBLE_LSP_TRANSCRIPT) writeFileSync(process.env.CIBLE_LSP_TRANSCRIPT, JSON.stringify(session.transcript, null, 2));
  });

  it("announces its features", () => {
    expect(capabilities).toMatchObject({
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: ["quickfix"] },
    });
    expect(capabilities.completionProvider).toBeDefined();
  });

  const path = join(dir, "rules.cible");
  let uri: string;

  it("publishes the checker's diagnostics when a file is opened, with UTF-16 ranges", async () => {
    uri = session.open(path, RULES);
    const diags = await session.diagnosticsFor(uri);
    expect(diags.map((d) => d.code)).toEqual(["syntax.unit-spelling"]);
    expect(diags[0]!.range).toEqual({ start: positionOf(RULES, "mois"), end: positionOf(RULES, "mois", 4) });
    expect(diags[0]!.severity).toBe(1);
    expect(diags[0]!.source).toBe("cible");
    expect(diags[0]!.message).toContain("hint: `6 months`");
  });

  it("offers the fix as a quick fix; applying its edit and sending the change clears the diagnostic", async () => {
    const diags = await session.diagnosticsFor(uri);
    const actions = await session.connection.sendRequest<{ title: string; kind: string; edit: { changes: Record<string, TextEdit[]> } }[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: diags[0]!.range,
      context: { diagnostics: diags },
    });
    expect(actions.map((a) => [a.title, a.kind])).toEqual([["Write `months`", "quickfix"]]);
    const fixed = applyEdits(RULES, actions[0]!.edit.changes[uri]!);
    expect(fixed).toContain("within last 6 months");
    void session.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    expect(await session.diagnosticsFor(uri, undefined, 2)).toEqual([]);
    // A range with no diagnostic has no action.
    const none = await session.connection.sendRequest<unknown[]>("textDocument/codeAction", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      context: { diagnostics: [] },
    });
    expect(none).toEqual([]);
  });

  it("completes a field from the schema, replacing the word typed so far with plain text", async () => {
    const text = `segment a:\n  sect`;
    const u = session.open(join(dir, "complete.cible"), text);
    const list = await session.connection.sendRequest<{ isIncomplete: boolean; items: { label: string; kind: number; insertTextFormat: number; textEdit: TextEdit; detail?: string }[] }>(
      "textDocument/completion",
      { textDocument: { uri: u }, position: { line: 1, character: 6 } },
    );
    const item = list.items.find((i) => i.label === "secteur");
    expect(item).toBeDefined();
    expect(item!.kind).toBe(5); // Field
    expect(item!.insertTextFormat).toBe(1); // PlainText
    expect(item!.textEdit).toEqual({ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } }, newText: "secteur" });
  });

  it("completes an enum value, matching without accents, in the service's order", async () => {
    const text = `segment a:\n  secteur = sant`;
    const u = session.open(join(dir, "values.cible"), text);
    const list = await session.connection.sendRequest<{ items: { label: string; kind: number; textEdit: TextEdit; filterText: string }[] }>("textDocument/completion", {
      textDocument: { uri: u },
      position: { line: 1, character: 16 },
    });
    expect(list.items[0]).toMatchObject({ label: '"santé"', kind: 12, textEdit: { range: { start: { line: 1, character: 12 }, end: { line: 1, character: 16 } }, newText: '"santé"' } });
    // The editor's own filter must keep it: the filter text is what was typed.
    expect(list.items[0]!.filterText).toBe("sant");
  });

  it("hovers a duration with its cutoff instants, for the config's now and time zone", async () => {
    const h = await session.connection.sendRequest<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri }, position: positionOf(RULES, "6 mois", 1) }); // now `6 months` (fixed above)
    expect(h.contents.value).toContain("2025-07-15 10:00:00 Europe/Paris");
  });

  it("hovers a field with its type, as markdown", async () => {
    const pos = positionOf(RULES, "effectif", 2);
    const h = await session.connection.sendRequest<{ contents: { kind: string; value: string }; range: Range }>("textDocument/hover", { textDocument: { uri }, position: pos });
    expect(h.contents.kind).toBe("markdown");
    expect(h.contents.value).toContain("effectif");
    expect(h.contents.value).toContain("Nombre de salariés (INSEE)");
    expect(h.range).toEqual({ start: positionOf(RULES, "effectif"), end: positionOf(RULES, "effectif", 8) });
  });

  it("goes to the definition of an @reference", async () => {
    const loc = await session.connection.sendRequest<{ uri: string; range: Range }>("textDocument/definition", { textDocument: { uri }, position: positionOf(RULES, "@sante", 2) });
    expect(loc).toEqual({ uri, range: { start: positionOf(RULES, "sante:"), end: positionOf(RULES, "sante:", 5) } });
  });

  it("lists the definitions as document symbols", async () => {
    const symbols = await session.connection.sendRequest<{ name: string; detail: string }[]>("textDocument/documentSymbol", { textDocument: { uri } });
    expect(symbols.map((s) => [s.name, s.detail])).toEqual([
      ["sante", "segment"],
      ["grosses", "segment"],
      ["fit", "score"],
    ]);
  });

  it("gives semantic tokens that read soft keywords as the parser does", async () => {
    const text = "segment a:\n  count(technos) > 3 and effectif > 2";
    const u = session.open(join(dir, "tokens.cible"), text);
    const { data } = await session.connection.sendRequest<{ data: number[] }>("textDocument/semanticTokens/full", { textDocument: { uri: u } });
    const legend = (capabilities.semanticTokensProvider as { legend: { tokenTypes: string[] } }).legend.tokenTypes;
    const decoded: string[] = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i]!;
      char = data[i]! === 0 ? char + data[i + 1]! : data[i + 1]!;
      const lineText = text.split("\n")[line]!;
      decoded.push(`${lineText.slice(char, char + data[i + 2]!)}:${legend[data[i + 3]!]}${data[i + 4] ? "+declaration" : ""}`);
    }
    expect(decoded).toEqual(["segment:keyword", "a:function+declaration", "count:keyword", "technos:property", ">:operator", "3:number", "and:keyword", "effectif:property", ">:operator", "2:number"]);
  });

  it("formats the whole document in one edit, and answers no edit for a formatted one", async () => {
    const text = "segment  a :   effectif>3 and   secteur=\"santé\"";
    const u = session.open(join(dir, "format.cible"), text);
    const edits = await session.connection.sendRequest<TextEdit[]>("textDocument/formatting", { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    const formatted = applyEdits(text, edits);
    expect(formatted).toBe('segment a:\n  effectif > 3 and secteur = "santé"\n');
    void session.connection.sendNotification("textDocument/didChange", { textDocument: { uri: u, version: 2 }, contentChanges: [{ text: formatted }] });
    await session.diagnosticsFor(u, undefined, 2);
    expect(await session.connection.sendRequest("textDocument/formatting", { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });

  it("shows a broken cible.config.json as a diagnostic at the start of the file, and still checks the syntax", async () => {
    const u = session.open(join(dir, "broken/rules.cible"), "segment a:\n  x = = 1\n");
    const diags = await session.diagnosticsFor(u);
    expect(diags[0]).toMatchObject({ code: "editor.config", severity: 1, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    expect(diags[0]!.message).toContain("not valid JSON");
    expect(diags.slice(1).every((d) => d.code.startsWith("syntax."))).toBe(true);
    expect(diags.length).toBeGreaterThan(1);
  });

  it("reads every file under a config with kind \"expression\" as one condition", async () => {
    const u = session.open(join(dir, "expr/big.cible"), 'effectif > 250 and secteur = "santé"');
    expect(await session.diagnosticsFor(u)).toEqual([]);
    const v = session.open(join(dir, "expr/typo.cible"), "effectif > 250 and secteurr = 1");
    expect((await session.diagnosticsFor(v)).map((d) => d.code)).toEqual(["field.unknown"]);
  });

  it("reports a schema file that does not exist (editor.schema)", async () => {
    const u = session.open(join(dir, "missing/rules.cible"), "segment a:\n  effectif > 3\n");
    const diags = await session.diagnosticsFor(u);
    expect(diags.map((d) => d.code)).toEqual(["editor.schema"]);
    expect(diags[0]!.message).toContain("nowhere.schema.json");
  });

  it("reads the config's now as the library does, and reports one it cannot read", async () => {
    const u = session.open(join(dir, "badnow/rules.cible"), "segment a:\n  effectif > 3\n");
    const diags = await session.diagnosticsFor(u);
    expect(diags.map((d) => d.code)).toEqual(["editor.config"]);
    expect(diags[0]!.message).toContain("badnow");
  });

  it("reports a parameter type it does not know", async () => {
    const u = session.open(join(dir, "badparam/rules.cible"), "segment a:\n  effectif > $minEmployees\n");
    const diags = await session.diagnosticsFor(u);
    expect(diags.map((d) => d.code)).toEqual(["editor.config"]);
    expect(diags[0]!.message).toContain("minEmployees");
  });

  it("does not load a module schema in an untrusted workspace, and says how to trust it", async () => {
    const u = session.open(join(dir, "module/rules.cible"), "segment a:\n  région = \"Bretagne\"\n");
    const diags = await session.diagnosticsFor(u);
    expect(diags.map((d) => d.code)).toEqual(["editor.untrusted"]);
    expect(diags[0]!.severity).toBe(2);
    expect(diags[0]!.message).toContain("trusted");
  });

  it("says when no cible.config.json is found, and checks the syntax alone", async () => {
    const u = session.open(join(outside.dir, "alone.cible"), "segment a:\n  whatever > 3\n");
    const diags = await session.diagnosticsFor(u);
    expect(diags.map((d) => [d.code, d.severity])).toEqual([["editor.no-config", 3]]);
  });

  it("reloads when the schema changes (workspace/didChangeWatchedFiles)", async () => {
    const u = session.open(join(dir, "reload/rules.cible"), "segment a:\n  b > 3\n");
    expect((await session.diagnosticsFor(u)).map((d) => d.code)).toEqual(["field.unknown"]);
    file("reload/schema.json", JSON.stringify({ type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] }));
    void session.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(join(dir, "reload/schema.json")), type: 2 }] });
    expect(await session.diagnosticsFor(u, (d) => d.length === 0)).toEqual([]);
  });

  it("survives text that breaks everything, and answers every request on it", async () => {
    const text = "segment :\n  ((( @ $ \"\n score x:\n  +";
    const u = session.open(join(dir, "garbage.cible"), text);
    expect((await session.diagnosticsFor(u)).length).toBeGreaterThan(0);
    for (let line = 0; line < 4; line++) {
      await session.connection.sendRequest("textDocument/completion", { textDocument: { uri: u }, position: { line, character: 2 } });
      await session.connection.sendRequest("textDocument/hover", { textDocument: { uri: u }, position: { line, character: 2 } });
    }
    await session.connection.sendRequest("textDocument/formatting", { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } });
    expect(session.child.exitCode).toBeNull();
  });
});

describe("cible lsp in a trusted workspace", () => {
  const session = new Session();
  afterAll(() => session.stop());

  it("loads a module schema (initializationOptions { trusted: true })", async () => {
    await session.start({ trusted: true });
    const u = session.open(join(dir, "module/rules.cible"), "segment a:\n  région = \"Bretagne\" and effectif > 3 and ville = \"Brest\"\n");
    const diags = await session.diagnosticsFor(u);
    expect(diags.map((d) => d.code)).toEqual(["field.unknown"]);
    expect(diags[0]!.range.start).toEqual({ line: 1, character: 43 });
  }, 60_000);

  it("loads a TypeScript schema through tsx, and loads it afresh when it changes", async () => {
    const u = session.open(join(dir, "typescript/rules.cible"), "segment a:\n  a > 1 and b > 2\n");
    expect((await session.diagnosticsFor(u)).map((d) => d.code)).toEqual(["field.unknown"]);
    file("typescript/schema.ts", tsSchema("a: z.number(), b: z.number()"));
    void session.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: uriOf(join(dir, "typescript/schema.ts")), type: 2 }] });
    expect(await session.diagnosticsFor(u, (d) => d.length === 0)).toEqual([]);
    // What the module logged went to stderr, not into the protocol.
    expect(session.stderr).toContain("a schema module that logs");
  }, 60_000);
});
