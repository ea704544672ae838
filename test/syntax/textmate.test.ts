/**
 * grammar/cible.tmLanguage.json: generated from the lexer (grammar/textmate.ts) and never stale;
 * run with vscode-textmate + vscode-oniguruma (the engine of VS Code and shiki) on every example
 * file, the cible code blocks of the docs and random token soups, each token's scope must be one
 * the lexer's kind allows.
 */
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { TokenType } from "chevrotain";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as vsctm from "vscode-textmate";
import * as oniguruma from "vscode-oniguruma";
import { TEXTMATE_PATH } from "../../grammar/generate.js";
import { SCOPES, renderTextMate } from "../../grammar/textmate.js";
import { parse, parseRulesFile } from "../../src/index.js";
import * as T from "../../src/syntax/tokens.js";
import { createLanguageService } from "../../src/language.js";
import { z } from "zod";

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const require = createRequire(import.meta.url);

type Scope = (typeof SCOPES)[keyof typeof SCOPES];
const S = SCOPES;

let grammar: vsctm.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope: string) => (scope === "source.cible" ? vsctm.parseRawGrammar(readFileSync(TEXTMATE_PATH, "utf8"), TEXTMATE_PATH) : null),
  });
  grammar = (await registry.loadGrammar("source.cible"))!;
});

/** One token as the TextMate engine sees it: offsets in the whole text, innermost scope. */
interface TmToken {
  start: number;
  end: number;
  scope: string;
}

function tokenizeTextMate(text: string): TmToken[] {
  const out: TmToken[] = [];
  let state = vsctm.INITIAL;
  let offset = 0;
  for (const line of text.split("\n")) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) out.push({ start: offset + t.startIndex, end: offset + Math.min(t.endIndex, line.length), scope: t.scopes[t.scopes.length - 1]! });
    state = r.ruleStack;
    offset += line.length + 1;
  }
  return out;
}

/** The lexer's tokens with keywords retyped (as literals.ts does), comments included, errors skipped. */
function lexerTokens(text: string): { start: number; end: number; kind: TokenType; image: string }[] {
  const r = T.lexer.tokenize(text);
  return [...r.tokens, ...(r.groups.comments ?? [])]
    .map((t) => ({
      start: t.startOffset,
      end: t.startOffset + t.image.length,
      kind: t.tokenType === T.Identifier ? (T.KEYWORDS.get(t.image.toLowerCase()) ?? T.Identifier) : t.tokenType,
      image: t.image,
    }))
    .sort((a, b) => a.start - b.start);
}

const has = (tok: TokenType, category: TokenType): boolean => (tok.CATEGORIES ?? []).includes(category);

/** The scopes a token of this lexer kind may get. A soft keyword may always be a name. */
function allowed(kind: TokenType): Scope[] {
  const name: Scope[] = [S.field, S.definition];
  const fixed = new Map<TokenType, Scope[]>([
    [T.Comment, [S.comment]],
    [T.StringLit, [S.string]],
    [T.OtherQuoted, [S.otherQuoted]],
    [T.BackquotedName, name],
    [T.Identifier, name],
    [T.DateLit, [S.date]],
    [T.NumberLit, [S.number]],
    [T.RefTok, [S.reference]],
    [T.ParamTok, [S.param]],
    [T.EqEq, [S.misspelled]],
    [T.LtGt, [S.misspelled]],
    [T.AmpAmp, [S.misspelled]],
    [T.BarBar, [S.misspelled]],
    [T.Bang, [S.misspelled]],
    [T.FoldEq, [S.comparison]],
    [T.LParen, [S.parens]],
    [T.RParen, [S.parens]],
    [T.LBracket, [S.brackets]],
    [T.RBracket, [S.brackets]],
    [T.Comma, [S.comma]],
    [T.Dot, [S.dot]],
    [T.Colon, [S.colon]],
    [T.Percent, [S.percent]],
    [T.And, [S.logical]],
    [T.Or, [S.logical]],
    [T.Not, [S.logical]],
    [T.True, [S.boolean]],
    [T.False, [S.boolean]],
    [T.If, [S.control]],
    [T.Otherwise, [S.control]],
    [T.Where, [S.control]],
  ]);
  const f = fixed.get(kind);
  if (f) return f;
  if (has(kind, T.CompareOp)) return [S.comparison];
  if (!has(kind, T.Name)) return [S.wordOperator]; // the other hard keywords
  if (has(kind, T.DefKeyword)) return [S.definitionKeyword, ...name];
  if (has(kind, T.Unit)) return [S.unit, ...name];
  if (has(kind, T.AggFn)) return [S.aggregate, S.softKeyword, ...name];
  return [S.softKeyword, ...name];
}

/** Each lexer token and the TextMate scopes over its text; mismatches as readable lines. */
function compare(text: string): string[] {
  const tm = tokenizeTextMate(text);
  const wrong: string[] = [];
  for (const tok of lexerTokens(text)) {
    const over = tm.filter((t) => t.end > tok.start && t.start < tok.end);
    const scopes = [...new Set(over.map((t) => t.scope))];
    const covers = over.length > 0 && over[0]!.start <= tok.start && over[over.length - 1]!.end >= tok.end;
    const ok = allowed(tok.kind);
    if (!covers || scopes.length !== 1 || !ok.includes(scopes[0] as Scope)) {
      wrong.push(`${JSON.stringify(tok.image)} at ${tok.start} (${tok.kind.name}): got ${scopes.join(" + ") || "nothing"}, expected ${ok.join(" or ")}`);
    }
  }
  return wrong;
}

const NAME_SCOPES: readonly string[] = [S.field, S.definition];
const services = {
  rules: createLanguageService({ schema: z.object({}), kind: "rules" }),
  expression: createLanguageService({ schema: z.object({}), kind: "expression" }),
};

/**
 * Soft keywords against the parser's reading (the language service's semantic tokens): where it
 * reads a keyword, TextMate must not say name, and the other way round. Returns the disagreements.
 */
function softKeywordDisagreements(text: string, kind: "rules" | "expression"): string[] {
  const tm = tokenizeTextMate(text);
  const semantic = services[kind].tokens(text);
  const wrong: string[] = [];
  for (const tok of lexerTokens(text)) {
    if (!has(tok.kind, T.Name) || tok.kind === T.Identifier || tok.kind === T.BackquotedName) continue;
    const sem = semantic.find((t) => t.span.start.offset === tok.start);
    const scope = tm.find((t) => t.start <= tok.start && t.end > tok.start)?.scope ?? "nothing";
    if (!sem) continue;
    const parserName = sem.type === "field" || sem.type === "definition";
    if (parserName !== NAME_SCOPES.includes(scope)) wrong.push(`${JSON.stringify(tok.image)} at ${tok.start}: the parser reads ${sem.type}, TextMate says ${scope}`);
  }
  return wrong;
}

/** The cible code of the docs: plain fenced blocks that parse as a rules file or an expression. */
function docExamples(): { where: string; text: string; kind: "rules" | "expression" }[] {
  const out: { where: string; text: string; kind: "rules" | "expression" }[] = [];
  for (const file of readdirSync(root("docs")).filter((f) => f.endsWith(".md"))) {
    const md = readFileSync(root(`docs/${file}`), "utf8");
    for (const m of md.matchAll(/^```(?:text)?\n([\s\S]*?)^```$/gm)) {
      const text = m[1]!;
      const parses = (f: () => unknown) => {
        try {
          f();
          return true;
        } catch {
          return false;
        }
      };
      if (parses(() => parseRulesFile(text))) out.push({ where: `docs/${file}`, text, kind: "rules" });
      else if (parses(() => parse(text))) out.push({ where: `docs/${file}`, text, kind: "expression" });
    }
  }
  return out;
}

describe("grammar/cible.tmLanguage.json", () => {
  it("is up to date with the lexer (run `npm run grammar`)", () => {
    expect(readFileSync(TEXTMATE_PATH, "utf8") === renderTextMate(), "grammar/cible.tmLanguage.json is stale: run `npm run grammar`").toBe(true);
  });

  it("scopes every token of the example files as the lexer reads it", () => {
    const files = readdirSync(root("examples")).filter((f) => f.endsWith(".cible"));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(compare(readFileSync(root(`examples/${f}`), "utf8")), f).toEqual([]);
  });

  it("scopes every token of the docs' cible examples as the lexer reads it", () => {
    const examples = docExamples();
    expect(examples.length).toBeGreaterThan(8);
    for (const e of examples) expect(compare(e.text), `${e.where}:\n${e.text}`).toEqual([]);
  });

  it("reads every soft keyword of the examples as the parser does (keyword or name)", () => {
    for (const f of readdirSync(root("examples")).filter((f) => f.endsWith(".cible"))) {
      expect(softKeywordDisagreements(readFileSync(root(`examples/${f}`), "utf8"), "rules"), f).toEqual([]);
    }
    for (const e of docExamples()) expect(softKeywordDisagreements(e.text, e.kind), `${e.where}:\n${e.text}`).toEqual([]);
  });

  it("scopes soft keywords as keywords where the line shows their role, as names elsewhere", () => {
    const scopeOf = (text: string, word: string, nth = 0) => {
      let at = -1;
      for (let i = 0; i <= nth; i++) at = text.indexOf(word, at + 1);
      return tokenizeTextMate(text).find((t) => t.start <= at && t.end > at)?.scope;
    };
    expect(scopeOf("segment big:\n  count > 3", "segment")).toBe(S.definitionKeyword);
    expect(scopeOf("segment big:\n  count > 3", "big")).toBe(S.definition);
    expect(scopeOf("segment big:\n  count > 3", "count")).toBe(S.field);
    expect(scopeOf("count(orders) > 3", "count")).toBe(S.aggregate);
    expect(scopeOf("lastSeen within last 6 months", "last", 1)).toBe(S.softKeyword);
    expect(scopeOf("lastSeen within last 6 months", "months")).toBe(S.unit);
    expect(scopeOf("months > 6", "months")).toBe(S.field);
    expect(scopeOf("email is not set", "set")).toBe(S.softKeyword);
    expect(scopeOf("set = true", "set")).toBe(S.field);
    expect(scopeOf("tiers size by score quantiles:", "by")).toBe(S.softKeyword);
    expect(scopeOf("tiers size by score quantiles:", "score")).toBe(S.field);
    expect(scopeOf("tiers size by score quantiles:", "quantiles")).toBe(S.softKeyword);
    expect(scopeOf("  clamp 0 to 100", "to")).toBe(S.softKeyword);
    expect(scopeOf("  +1 per visits max 10", "max")).toBe(S.softKeyword);
    expect(scopeOf("max > 10", "max")).toBe(S.field);
    expect(scopeOf("`and` = 1", "`and`")).toBe(S.field);
    expect(scopeOf("AND", "AND")).toBe(S.logical);
  });

  it("agrees with the lexer on random token soups", () => {
    const fragments = [
      ...[...T.KEYWORDS.keys()].flatMap((k) => [k, k.toUpperCase()]),
      "x", "employees", "hq", "é", "société", "_a1", "`chiffre d'affaires`", "`a\\`b`", "`open",
      "42", "-3.5", "+30", "1_000", "250k", "6months", "2024-01-15", "2024-01-15T09:30Z",
      "\"santé\"", "\"a\\\"b\"", "\"open", "'single'", "«guillemets»", "“curly”",
      "@big", "@`big spenders`", "@", "$min", "$",
      "=", "==", "!=", "<>", "<", "<=", ">", ">=", "~=", "&&", "||", "!", "(", ")", "[", "]", ",", ".", ":", "%",
      "# a comment",
    ];
    const seps = [" ", " ", "  ", "\n", "\n  ", ""];
    const soup = fc.array(fc.tuple(fc.constantFrom(...fragments), fc.constantFrom(...seps)), { maxLength: 25 }).map((parts) => parts.map(([f, s]) => f + s).join(""));
    fc.assert(
      fc.property(soup, (text) => {
        expect(compare(text)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
