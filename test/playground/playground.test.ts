/**
 * The playground in real Chromium: the page built by scripts/playground.ts, served on localhost,
 * driven with playwright-core by support/drive.ts (in a child process: see there why). A rule with
 * a misspelt field gets a lint mark and a did-you-mean, its quick fix applies, an enum value is
 * completed, and every segment's `data-count` equals what `rules.evaluate` gives over the same
 * embedded sample; a record's explanations are `explainText`'s; a share link reopens the same
 * rules. Prints the time from the last keystroke to the count update (measured, not asserted)
 * and takes a screenshot: docs/playground.png for the README when CIBLE_SCREENSHOTS=1, else a
 * temporary file (so that `npm test` leaves the working tree clean).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Contact as ContactRecord, Contact } from "../../examples/schema.js";
import { reviveDates } from "../../docs/playground/evaluate.js";
import { buildPlayground, serveStatic } from "../../scripts/playground.js";
import { compileRules, explainText } from "../../src/index.js";

const CHROMIUM = "/usr/bin/chromium";
const inCI = process.env.CI === "true" || process.env.CI === "1";
const ctx = { now: new Date("2026-06-01T08:00:00Z"), timeZone: "Europe/Paris" };
// The embedded records hold dates as ISO text, which cible reads as dates.
type Rec = ContactRecord;
type Seen = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Per segment, the records `rules.evaluate` puts in it. */
function libraryCounts(source: string, records: readonly Rec[]): Record<string, number> {
  const rules = compileRules(source, Contact);
  const counts: Record<string, number> = Object.fromEntries(Object.keys(rules.segments).map((n) => [n, 0]));
  for (const r of records) for (const s of rules.evaluate(r, ctx).segments) counts[s]!++;
  return counts;
}

describe.skipIf(!existsSync(CHROMIUM) && !inCI)("the playground in Chromium", () => {
  let records: Rec[];
  let seen: Seen;
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let shotDir: string | undefined;
  let screenshot = "";

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), "CI installs Debian's chromium package in .ci/run").toBe(true);
    const built = await buildPlayground();
    // As the page does: dates as Date objects (the counts are the same with ISO text).
    records = reviveDates(built.records, Contact) as unknown as Rec[];
    server = await serveStatic(built.dir);
    shotDir = mkdtempSync(join(tmpdir(), "cible-playground-"));
    screenshot = process.env.CIBLE_SCREENSHOTS === "1" ? join(__dirname, "../../docs/playground.png") : join(shotDir, "playground.png");
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", join(__dirname, "support/drive.ts"), server.url, screenshot], {
      cwd: join(__dirname, "../.."),
      timeout: 240_000,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    seen = JSON.parse(stdout.trim().split("\n").pop()!) as Seen;
    if (stderr.trim()) console.error(stderr);
  }, 300_000);

  /** What the driver saw at one step; the step that stopped it says why. */
  const step = (name: string): Seen => {
    expect(seen[name], `the driver could not start "${name}": ${seen.failure}`).toBeDefined();
    return seen[name];
  };

  afterAll(async () => {
    await server?.close();
    if (shotDir) rmSync(shotDir, { recursive: true, force: true });
  });

  it("takes a screenshot of the page", () => {
    expect(statSync(screenshot).size).toBeGreaterThan(20_000);
  });

  it("opens on the demo rules, each segment's data-count what rules.evaluate gives for the sample", () => {
    expect(records.length).toBe(5000);
    expect(records[0]!.evenements.every((e) => e.at instanceof Date)).toBe(true);
    const { text, counts, keywordMarks, fieldMarks, charts, sql, fields } = step("initial");
    expect(text).toContain("segment etiSante:");
    const expected = libraryCounts(text, records);
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    expect(counts).toEqual(expected);
    // Highlighting from the lexer's token kinds.
    expect(keywordMarks).toBeGreaterThan(10);
    expect(fieldMarks).toBeGreaterThan(10);
    // The report's charts: segment sizes, two score histograms, a funnel, two tiers.
    expect(charts).toBe(1 + 2 + 1 + 2);
    // SQL of the first segment in each dialect (ClickHouse says what it cannot express).
    expect(sql).toHaveLength(3);
    expect(sql[0]).toContain('"contacts"."secteur" = $1');
    expect(sql[1]).toContain('"contacts"."secteur" = ?');
    expect(sql[2]).toContain('"contacts"."secteur" = {p1:String}');
    expect(fields).toBeGreaterThan(20);
    // Hover: the language service's markdown for the field, bold rendered as <strong>.
    expect(step("initial").hover.bold).toEqual(["secteur"]);
    expect(step("initial").hover.text).toMatch(/^secteur: choice: "santé", "finance"/);
  });

  it("marks a misspelt field with its did-you-mean, keeps the last good counts greyed, and applies the quick fix", () => {
    const m = step("misspelt");
    expect(m.tooltip, seen.failures.misspelt).toBeDefined();
    expect(m.lintMarks).toBeGreaterThan(0);
    expect(m.stale).toBe(1);
    expect(m.diagnostics).toContain("field.unknown");
    expect(m.countsWhileBroken).toEqual(seen.initial.counts);
    expect(m.tooltip).toContain("did you mean `secteur`?");
    expect(m.textAfterFix, seen.failures.misspelt).toBeDefined();
    expect(m.textAfterFix).toContain('\n  secteur = "santé"');
    expect(m.staleAfterFix).toBe(0);
    const expected = libraryCounts(m.textAfterFix, records);
    expect(expected.essai).toBe(records.filter((r) => r.secteur === "santé").length);
    expect(m.countsAfterFix).toEqual(expected);
  });

  it("completes an enum value, and the segment's data-count follows", () => {
    const c = step("completion");
    expect(c.selected).toContain("DAF");
    expect(c.text, seen.failures.completion).toBeDefined();
    expect(c.text).toMatch(/\n {2}fonction = "DAF"\s*$/);
    const expected = libraryCounts(c.text, records);
    expect(expected.essaiDaf).toBe(records.filter((r) => r.fonction === "DAF").length);
    expect(c.counts).toEqual(expected);
    console.log(`playground: last keystroke → counts updated in ${c.sinceKeystrokeMs.toFixed(1)} ms, debounce included (${c.timing})`);
  });

  it("shows explainText of every segment for a clicked record", () => {
    const { record, text, shown } = step("explanation");
    const rules = compileRules(text, Contact);
    expect(shown).toEqual(Object.values(rules.segments).map((s) => explainText(s.explain(records[record]!, ctx))));
  });

  it("shares the rules, now and zone in a compressed link, and refuses one past the stated limit", () => {
    const s = step("share");
    expect(s.url).toMatch(/#s=[A-Za-z0-9_-]+$/);
    expect(s.reopenedText).toBe(s.text);
    expect(s.reopenedZone).toBe("UTC");
    expect(s.reopenedCounts).toEqual(libraryCounts(s.text, records));
    expect(s.tooLong, seen.failures.share).toMatch(/too long to share in a link: .* the limit is 8,000/);
  });

  it("raised no error in the page", () => {
    expect(seen.failure).toBeUndefined();
    expect(seen.failures).toEqual({});
    expect(seen.errors).toEqual([]);
  });
});
