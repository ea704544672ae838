/**
 * `cible/codemirror` without a DOM: an `EditorState` with the extension, its completion source
 * asked through a `CompletionContext`, the lint diagnostics and the highlighting marks computed
 * from the language service. (The view-side behaviour — lint marks, tooltips, quick fixes,
 * completion popups — is tested in Chromium: test/playground/.)
 */
import { CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Contact } from "../../examples/schema.js";
import { lintText } from "../../src/codemirror/lint.js";
import { tokenDecorations } from "../../src/codemirror/highlight.js";
import { languageService } from "../../src/codemirror/service.js";
import { cible, cibleCompletionSource } from "../../src/codemirror.js";
import { checkRules } from "../../src/index.js";
import { createLanguageService } from "../../src/language.js";

const stateOf = (doc: string) => EditorState.create({ doc, extensions: [cible({ schema: Contact, kind: "rules" })] });
const complete = (doc: string, explicit = false) => cibleCompletionSource(new CompletionContext(stateOf(doc), doc.length, explicit)) as CompletionResult | null;
/** The text after applying a completion option as CodeMirror does: `from..to` replaced. */
const applied = (doc: string, r: CompletionResult, label: string) => {
  const option = r.options.find((o) => o.label === label)!;
  const insert = typeof option.apply === "string" ? option.apply : option.label;
  return doc.slice(0, r.from) + insert + doc.slice(r.to ?? doc.length);
};

describe("cible/codemirror", () => {
  it("puts one language service in the state, built from the options", () => {
    const ls = stateOf("").facet(languageService);
    expect(ls).not.toBeNull();
    expect(ls!.diagnostics("segment a:\n  secteur = \"santé\"\n")).toEqual([]);
  });

  it("completes an enum value inside a string; the completed rules file checks", () => {
    const doc = 'segment a:\n  secteur = "sa';
    const r = complete(doc);
    expect(r).not.toBeNull();
    expect(r!.filter).toBe(false);
    const labels = r!.options.map((o) => o.label);
    expect(labels.some((l) => l.includes("santé"))).toBe(true);
    const label = labels.find((l) => l.includes("santé"))!;
    const text = applied(doc, r!, label);
    expect(text).toBe('segment a:\n  secteur = "santé"');
    expect(checkRules(text, Contact).ok).toBe(true);
  });

  it("completes field names as they are typed, in the service's order", () => {
    const doc = "segment a:\n  sect";
    const r = complete(doc)!;
    const ls = createLanguageService({ schema: Contact, kind: "rules" });
    expect(r.options.map((o) => o.label)).toEqual(ls.complete(doc, doc.length).items.map((i) => i.label));
    expect(r.options[0]!.label).toBe("secteur");
    expect(r.options[0]!.type).toBe("property");
  });

  it("opens the list while typing only after a word, a quote, @ or $; Ctrl-Space anywhere", () => {
    const doc = "segment a:\n  secteur = ";
    expect(complete(doc)).toBeNull();
    expect(complete(doc, true)?.options.length).toBeGreaterThan(0);
  });

  it("lints with the service's diagnostics: span, severity, code, hint, one action per fix", () => {
    const ls = createLanguageService({ schema: Contact, kind: "rules" });
    const doc = 'segment a:\n  secteru = "santé"\n';
    const [d, ...rest] = lintText(ls, doc);
    expect(rest).toEqual([]);
    const expected = ls.diagnostics(doc)[0]!;
    expect(d).toMatchObject({ from: 13, to: 20, severity: "error", source: "field.unknown" });
    expect(d!.message).toContain(expected.message);
    expect(d!.message).toContain("did you mean `secteur`?");
    expect(d!.actions!.map((a) => a.name)).toEqual((expected.fixes ?? []).map((f) => f.title));
  });

  it("highlights with the lexer's token kinds", () => {
    const ls = createLanguageService({ schema: Contact, kind: "rules" });
    const doc = 'segment a:\n  secteur = "santé" and effectif >= 50\n';
    const seen: string[] = [];
    tokenDecorations(ls, doc).between(0, doc.length, (from, to, deco) => {
      seen.push(`${doc.slice(from, to)}:${(deco.spec as { class: string }).class}`);
    });
    expect(seen).toEqual(ls.tokens(doc).map((t) => `${doc.slice(t.span.start.offset, t.span.end.offset)}:cm-cible-${t.type}`));
    expect(seen).toContain("segment:cm-cible-keyword");
    expect(seen).toContain("secteur:cm-cible-field");
  });

  it("never throws on any text, and every range it returns lies in the text", () => {
    const ls = createLanguageService({ schema: Contact, kind: "rules" });
    const pieces = fc.constantFrom("segment ", "a", ":", "\n", "  ", "secteur", " = ", '"', "santé", "@", "$", "(", ")", "[", "and ", "or ", "not ", "within last 3 days", "#", "é", "\u{1F600}");
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }).map((p) => p.join("")), fc.nat(), (doc, at) => {
        for (const d of lintText(ls, doc)) expect(0 <= d.from && d.from <= d.to && d.to <= doc.length).toBe(true);
        let last = 0;
        tokenDecorations(ls, doc).between(0, doc.length, (from, to) => {
          expect(last <= from && from < to && to <= doc.length).toBe(true);
          last = to;
        });
        const pos = at % (doc.length + 1);
        const r = cibleCompletionSource(new CompletionContext(stateOf(doc), pos, true)) as CompletionResult | null;
        if (r) expect(0 <= r.from && r.from <= (r.to ?? pos) && (r.to ?? pos) <= doc.length).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
