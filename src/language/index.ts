/**
 * The language service (`cible/language`): what an editor needs to help a rules author, for one
 * schema and one kind of text. Each method takes the whole source (editors send it on every
 * change) and reads two views of it: the checked tree and its facts, once `diagnostics` checked
 * the text (analysis.ts keeps that check), and a tolerant token scan that always exists
 * (scan.ts), so completion, hover, highlighting and the outline keep working inside broken text
 * and never wait for a check. No DOM, no Node-only API.
 * @internal
 */
import { printExpression, printRules } from "../ast/printer.js";
import { readClock } from "../check/clock.js";
import { type Diagnostic, sortDiagnostics } from "../errors/diagnostic.js";
import { readSchema } from "../schema/index.js";
import { analyze } from "./analysis.js";
import { complete } from "./complete.js";
import { highlight } from "./highlight.js";
import { hover } from "./hover.js";
import { paramDiagnostics } from "./params.js";
import type { ServiceContext } from "./context.js";
import { scan } from "./scan.js";
import { definitionAt, symbols } from "./symbols.js";
import type { CompletionList, LanguageService, LanguageServiceOptions } from "./types.js";

export type * from "./types.js";

/**
 * Creates a language service for texts of one kind checked against one schema.
 *
 * @param options - `schema` (zod object), `kind` (`"expression"` or `"rules"`), `params` the host
 *   binds, and `now` / `timeZone` for hovers that show a cutoff instant
 * @returns the service; none of its methods throws for any input text
 * @throws CibleError `schema.*` when the schema cannot be read, `eval.now` / `eval.time-zone` for an invalid `now` or `timeZone`
 *
 * @example
 * ```ts
 * const ls = createLanguageService({ schema: Contact, kind: "expression" });
 * ls.complete("sect", 4).items[0]?.label;      // "sector"
 * ls.diagnostics('sectr = "santé"')[0]?.fixes; // [{ title: "Write `sector`", edits: [...] }]
 * ```
 */
export function createLanguageService(options: LanguageServiceOptions): LanguageService {
  const model = readSchema(options.schema);
  const rules = options.kind === "rules";
  if (options.now !== undefined || options.timeZone !== undefined) readClock(options); // fail early, not on hover
  const ctx: ServiceContext = { model, rules, params: options.params ?? {}, now: options.now, timeZone: options.timeZone };
  const text = (source: unknown): string => (typeof source === "string" ? source : "");
  const safe = <R>(fallback: R, f: () => R): R => {
    try {
      return f();
    } catch {
      return fallback;
    }
  };
  return {
    diagnostics: (source) => {
      const analysis = analyze(text(source), rules, model);
      const declared = safe([], () => paramDiagnostics(analysis, ctx.params));
      return (declared.length ? sortDiagnostics([...analysis.diagnostics, ...declared]) : analysis.diagnostics).map(copy);
    },
    complete: (source, offset) => {
      const src = text(source);
      const at = clampOffset(offset, src);
      return safe<CompletionList>({ from: at, to: at, items: [] }, () => complete(ctx, src, at));
    },
    hover: (source, offset) => {
      const src = text(source);
      return safe(null, () => hover(ctx, src, clampOffset(offset, src)));
    },
    tokens: (source) => safe([], () => highlight(scan(text(source), rules))),
    symbols: (source) => (rules ? safe([], () => symbols(scan(text(source), true))) : []),
    definition: (source, offset) => {
      const src = text(source);
      return rules ? safe(null, () => definitionAt(scan(src, true), clampOffset(offset, src))) : null;
    },
    format: (source) => {
      const src = text(source);
      return safe(src, () => {
        const doc = analyze(src, rules, model).doc;
        if (!doc) return src;
        return doc.kind === "rules" ? printRules(doc) : printExpression(doc);
      });
    },
  };
}

/** A diagnostic the caller may change without changing the cached one. */
function copy(d: Diagnostic): Diagnostic {
  return d.fixes ? { ...d, fixes: d.fixes.map((f) => ({ ...f, edits: [...f.edits] })) } : { ...d };
}

function clampOffset(offset: unknown, text: string): number {
  const n = typeof offset === "number" && Number.isFinite(offset) ? Math.trunc(offset) : 0;
  return n < 0 ? 0 : n > text.length ? text.length : n;
}
