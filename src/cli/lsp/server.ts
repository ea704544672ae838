/**
 * `cible lsp`: the language service (`cible/language`) over the Language Server Protocol.
 *
 * One service per config (schema, kind, params, clock), made when the config is first needed and
 * made again when the config or its schema changes. A document's diagnostics are computed on open
 * and on every change, and kept with its version: code actions read the fixes of the diagnostics
 * the editor shows instead of checking the text again. Without a usable config, a file is checked
 * for syntax only and a diagnostic at its start says why (config.ts).
 *
 * Nothing here may write to stdout but the protocol: the command redirects `console` to stderr.
 */
import { fileURLToPath } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node";
import { z } from "zod";
import { CibleError, type Diagnostic, parse, parseRulesFile } from "../../index.js";
import { createLanguageService, type LanguageService } from "../../language.js";
import { ConfigStore, type ConfigProblem, type FileSettings } from "./config.js";
import { SEMANTIC_LEGEND, rangeOf, toLspCompletions, toLspDiagnostic, toLspSymbol, toSemanticTokens, touches } from "./convert.js";

/** Options a client may pass as `initializationOptions`. */
export interface ServerOptions {
  /** The workspace is trusted: a `.ts`/`.js` schema may be loaded (which runs its code). */
  trusted?: boolean;
}

/** What a document is checked with: a service, and the problem to show when its config failed. */
interface Checker {
  readonly service: LanguageService;
  /** Syntax only: diagnostics come from the parser, not from the service (no schema to check against). */
  readonly syntaxOnly: boolean;
  readonly kind: "rules" | "expression";
  readonly problem?: ConfigProblem;
}

interface Checked {
  readonly version: number;
  readonly diagnostics: readonly { readonly cible?: Diagnostic; readonly lsp: LspDiagnostic }[];
}

const EMPTY_SCHEMA = z.object({});

/** Wires the handlers of a language server onto `connection` and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const store = new ConfigStore(false);
  const services = new WeakMap<FileSettings, Checker>();
  const syntaxOnly = new Map<string, LanguageService>();
  const checked = new Map<string, Checked>();
  let folders: string[] = [];

  function pathOf(uri: string): string | undefined {
    try {
      return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
    } catch {
      return undefined;
    }
  }

  function bareService(kind: "rules" | "expression"): LanguageService {
    let s = syntaxOnly.get(kind);
    if (!s) syntaxOnly.set(kind, (s = createLanguageService({ schema: EMPTY_SCHEMA, kind })));
    return s;
  }

  async function checkerFor(uri: string): Promise<Checker> {
    const path = pathOf(uri);
    if (path === undefined) return { service: bareService("rules"), syntaxOnly: true, kind: "rules" };
    const r = await store.resolve(path, folders);
    if (!r.ok) {
      const kind = r.problem.kind ?? "rules";
      return { service: bareService(kind), syntaxOnly: true, kind, problem: r.problem };
    }
    const cached = services.get(r.settings);
    if (cached) return cached;
    let checker: Checker;
    try {
      const s = r.settings;
      const service = createLanguageService({
        schema: s.schema,
        kind: s.kind,
        ...(s.params ? { params: s.params as Record<string, string> } : {}),
        ...(s.now ? { now: s.now } : {}),
        ...(s.timeZone ? { timeZone: s.timeZone } : {}),
      });
      checker = { service, syntaxOnly: false, kind: s.kind };
    } catch (e) {
      // The schema loaded but cible cannot read it (a field type it does not know, say).
      // Or `now` / `timeZone` are not valid (the service reads them as the library does).
      const d = e instanceof CibleError ? e.diagnostics[0] : undefined;
      const clock = d?.code.startsWith("eval.") === true;
      const problem: ConfigProblem = {
        code: clock ? "editor.config" : "editor.schema",
        severity: "error",
        message: clock ? `${d!.message} (in ${r.settings.configPath})` : `Cannot use the schema of ${r.settings.configPath}: ${d?.message ?? (e as Error).message}`,
        hint: d?.hint ?? (clock ? '"now": "2026-01-15T09:00:00Z", "timeZone": "Europe/Paris"' : "check the schema the config names"),
        configPath: r.settings.configPath,
      };
      checker = { service: bareService(r.settings.kind), syntaxOnly: true, kind: r.settings.kind, problem };
    }
    services.set(r.settings, checker);
    return checker;
  }

  /** Syntax diagnostics alone, from the parser (what `cible check` shows without a schema). */
  function syntaxDiagnostics(source: string, kind: "rules" | "expression"): Diagnostic[] {
    try {
      if (kind === "rules") parseRulesFile(source);
      else parse(source);
      return [];
    } catch (e) {
      if (e instanceof CibleError) return [...e.diagnostics];
      throw e;
    }
  }

  async function validate(doc: TextDocument): Promise<void> {
    const checker = await checkerFor(doc.uri);
    // A newer version arrived while the config was loading: its own check will publish.
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return;
    const done = diagnose(doc, checker);
    await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: done.diagnostics.map((e) => e.lsp) });
  }

  /** The diagnostics of a document's current text, kept with its version for code actions. */
  function diagnose(doc: TextDocument, checker: Checker): Checked {
    const source = doc.getText();
    const diagnostics: Diagnostic[] = checker.syntaxOnly ? syntaxDiagnostics(source, checker.kind) : checker.service.diagnostics(source);
    const entries: { cible?: Diagnostic; lsp: LspDiagnostic }[] = diagnostics.map((d) => ({ cible: d, lsp: toLspDiagnostic(doc, d) }));
    if (checker.problem) entries.unshift({ lsp: problemDiagnostic(checker.problem) });
    const done = { version: doc.version, diagnostics: entries };
    checked.set(doc.uri, done);
    return done;
  }

  function revalidateAll(): void {
    for (const doc of documents.all()) void validate(doc).catch(logError);
  }

  function logError(e: unknown): void {
    connection.console.error(`cible: ${(e as Error)?.stack ?? String(e)}`);
  }

  let watchRegistration = false;
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const opts = (params.initializationOptions ?? {}) as ServerOptions;
    store.trusted = opts.trusted === true;
    folders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri)).filter((p): p is string => p !== undefined);
    if (folders.length === 0 && params.rootUri) {
      const root = pathOf(params.rootUri);
      if (root) folders = [root];
    }
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [".", "@", "$", "\"", "[", "(", " "] },
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        // The parser's reading of soft keywords (`count > 3` vs `count(orders)`), which the
        // TextMate grammar can only approximate.
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
      },
      serverInfo: { name: "cible" },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: "**/cible.config.json" }, { globPattern: "**/*.{json,js,mjs,cjs,ts,mts,cts}" }],
        })
        .catch(logError);
    }
  });

  connection.onDidChangeWatchedFiles(() => {
    // A config or schema changed, appeared or went away: reload on the next check of each file.
    store.clear();
    revalidateAll();
  });

  // Fired on open as well as on every change.
  documents.onDidChangeContent((e) => void validate(e.document).catch(logError));
  documents.onDidClose((e) => {
    checked.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const { service } = await checkerFor(doc.uri);
    const offset = doc.offsetAt(p.position);
    return toLspCompletions(doc, service.complete(doc.getText(), offset), offset);
  });

  connection.onHover(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const { service } = await checkerFor(doc.uri);
    const h = service.hover(doc.getText(), doc.offsetAt(p.position));
    return h ? { contents: { kind: "markdown", value: h.markdown }, range: rangeOf(doc, h.span) } : null;
  });

  connection.onDefinition(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const { service } = await checkerFor(doc.uri);
    const span = service.definition(doc.getText(), doc.offsetAt(p.position));
    return span ? { uri: doc.uri, range: rangeOf(doc, span) } : null;
  });

  connection.onDocumentSymbol(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const { service } = await checkerFor(doc.uri);
    return service.symbols(doc.getText()).map((s) => toLspSymbol(doc, s));
  });

  connection.onDocumentFormatting(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const { service } = await checkerFor(doc.uri);
    const source = doc.getText();
    const formatted = service.format(source);
    if (formatted === source) return [];
    return [{ range: { start: doc.positionAt(0), end: doc.positionAt(source.length) }, newText: formatted }];
  });

  connection.languages.semanticTokens.on(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return { data: [] };
    const { service } = await checkerFor(doc.uri);
    return { data: toSemanticTokens(doc, service.tokens(doc.getText())) };
  });

  connection.onCodeAction(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    // Usually the diagnostics the editor shows; checked again if a change has not been checked yet.
    let done = checked.get(doc.uri);
    if (!done || done.version !== doc.version) done = diagnose(doc, await checkerFor(doc.uri));
    if (p.context.only && !p.context.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
    const actions: CodeAction[] = [];
    for (const { cible, lsp } of done.diagnostics) {
      if (!cible?.fixes?.length || !touches(lsp.range, p.range)) continue;
      for (const fix of cible.fixes) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [lsp],
          isPreferred: cible.fixes.length === 1,
          edit: { changes: { [doc.uri]: fix.edits.map((e) => ({ range: rangeOf(doc, e.span), newText: e.newText })) } },
        });
      }
    }
    return actions;
  });

  documents.listen(connection);
  connection.listen();
}

/** A config problem as a diagnostic at the very start of the file. */
function problemDiagnostic(p: ConfigProblem): LspDiagnostic {
  const severity = p.severity === "error" ? DiagnosticSeverity.Error : p.severity === "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity,
    code: p.code,
    source: "cible",
    message: p.hint ? `${p.message}\nhint: ${p.hint}` : p.message,
  };
}
