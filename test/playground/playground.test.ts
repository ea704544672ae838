/**
 * The playground in real Chromium (playwright-core driving Debian's /usr/bin/chromium): the page
 * built by scripts/playground.ts, served on localhost. A rule with a misspelt field gets a lint
 * mark and a did-you-mean, its quick fix applies, an enum value is completed, and every segment's
 * `data-count` equals what `rules.evaluate` gives over the same embedded sample; a record's
 * explanations are `explainText`'s. Prints the time from the last keystroke to the count update
 * (measured, not asserted) and saves docs/playground.png for the README.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Contact } from "../../examples/schema.js";
import { buildPlayground, serveStatic } from "../../scripts/playground.js";
import { compileRules, explainText } from "../../src/index.js";

const CHROMIUM = "/usr/bin/chromium";
const inCI = process.env.CI === "true" || process.env.CI === "1";
const ctx = { now: new Date("2026-06-01T08:00:00Z"), timeZone: "Europe/Paris" };
// The embedded records hold dates as ISO text, which cible reads as dates (docs/rules.md).
type Rec = Contact;

/** Per segment, the records `rules.evaluate` puts in it. */
function libraryCounts(source: string, records: readonly Rec[]): Record<string, number> {
  const rules = compileRules(source, Contact);
  const counts: Record<string, number> = Object.fromEntries(Object.keys(rules.segments).map((n) => [n, 0]));
  for (const r of records) for (const s of rules.evaluate(r, ctx).segments) counts[s]!++;
  return counts;
}

describe.skipIf(!existsSync(CHROMIUM) && !inCI)("the playground in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let records: Rec[];
  let server: Awaited<ReturnType<typeof serveStatic>>;

  const editorText = () => page.evaluate(() => (window as unknown as { playground: { view: { state: { doc: { toString(): string } } } } }).playground.view.state.doc.toString());
  const pageCounts = () =>
    page.$$eval("[data-testid^='count-']", (cells) => Object.fromEntries(cells.map((c) => [(c as HTMLElement).dataset.testid!.slice("count-".length), Number((c as HTMLElement).dataset.count)])));
  /** Types one line's text, closes any completion popup, and ends the line. */
  async function typeLine(text: string, end = true): Promise<void> {
    await page.keyboard.type(text, { delay: 5 });
    await page.keyboard.press("Escape");
    if (end) await page.keyboard.press("Enter");
  }
  /** Waits until the page has evaluated the current text (the counter moved past `after`). */
  const updatedAfter = (after: number) => page.waitForFunction((n) => Number(document.body.dataset.updated ?? 0) > n, after);
  const updates = () => page.evaluate(() => Number(document.body.dataset.updated ?? 0));

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), "CI installs Debian's chromium package in .ci/run").toBe(true);
    const built = await buildPlayground();
    records = built.records as unknown as Rec[];
    server = await serveStatic(built.dir);
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForSelector("[data-testid='count-decideurs']");
    expect(errors).toEqual([]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("opens on the demo rules, with each segment's size what rules.evaluate gives for the sample", async () => {
    expect(records.length).toBe(5000);
    const text = await editorText();
    expect(text).toContain("segment etiSante:");
    const expected = libraryCounts(text, records);
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    expect(await pageCounts()).toEqual(expected);
    // Highlighting comes from the lexer's token kinds.
    expect(await page.locator(".cm-cible-keyword").count()).toBeGreaterThan(10);
    expect(await page.locator(".cm-cible-field").count()).toBeGreaterThan(10);
    // The report's charts: score histograms, the lifecycle funnel, tiers.
    expect(await page.locator("#charts svg.chart").count()).toBeGreaterThanOrEqual(1 + 2 + 1 + 2);
    await page.screenshot({ path: join(__dirname, "../../docs/playground.png") });
  });

  it("marks a misspelt field, says what was meant, applies the quick fix and counts the new segment", async () => {
    await page.locator("[data-testid='editor'] .cm-content").click();
    await page.keyboard.press("Control+End");
    await typeLine("");
    await typeLine("segment essai:");
    await typeLine('  secteru = "santé"', false);
    const mark = page.locator(".cm-lintRange-error").first();
    await mark.waitFor();
    // The rules have an error now: the last good counts stay, greyed, and the diagnostic is listed.
    await expect.poll(() => page.locator("#results.stale").count()).toBe(1);
    await expect.poll(() => page.locator("[data-testid='diagnostics']").innerText()).toContain("field.unknown");
    await mark.hover();
    const tooltip = page.locator(".cm-tooltip-lint");
    await tooltip.waitFor();
    expect(await tooltip.innerText()).toContain("did you mean `secteur`?");
    const before = await updates();
    await tooltip.locator(".cm-diagnosticAction").first().click();
    await updatedAfter(before);
    const text = await editorText();
    expect(text).toContain('  secteur = "santé"');
    await expect.poll(() => page.locator("#results.stale").count()).toBe(0);
    const expected = libraryCounts(text, records);
    expect(expected.essai).toBe(records.filter((r) => r.secteur === "santé").length);
    expect(await pageCounts()).toEqual(expected);
  });

  it("completes an enum value, and the segment's data-count follows as you type", async () => {
    await page.locator("[data-testid='editor'] .cm-content").click();
    await page.keyboard.press("Control+End");
    await typeLine("");
    await typeLine("");
    await typeLine("segment essaiDaf:");
    await page.keyboard.type('  fonction = "DA', { delay: 5 });
    const popup = page.locator(".cm-tooltip-autocomplete");
    await popup.waitFor();
    await expect.poll(() => popup.locator("[aria-selected='true']").innerText()).toContain("DAF");
    const before = await updates();
    await page.keyboard.press("Enter");
    await updatedAfter(before);
    const text = await editorText();
    expect(text).toMatch(/ {2}fonction = "DAF"\s*$/);
    const expected = libraryCounts(text, records);
    expect(expected.essaiDaf).toBe(records.filter((r) => r.fonction === "DAF").length);
    await expect.poll(() => page.getAttribute("[data-testid='count-essaiDaf']", "data-count")).toBe(String(expected.essaiDaf));
    expect(await pageCounts()).toEqual(expected);
    const ms = await page.evaluate(() => Number(document.body.dataset.sinceKeystroke));
    const evaluation = await page.locator("[data-testid='timing']").innerText();
    console.log(`playground: last keystroke → counts updated in ${ms.toFixed(1)} ms (debounce included; ${evaluation})`);
  });

  it("shows explainText of every segment for a clicked record", async () => {
    const text = await editorText();
    const rules = compileRules(text, Contact);
    await page.locator("[data-testid='record-3']").click();
    const box = page.locator("[data-testid='explanation']");
    await expect.poll(() => box.locator("pre").count()).toBe(Object.keys(rules.segments).length);
    const shown = await box.locator("pre").allInnerTexts();
    expect(shown).toEqual(Object.values(rules.segments).map((s) => explainText(s.explain(records[3]!, ctx))));
  });

  it("shares the rules, now and zone in a compressed link, and refuses one past the limit", async () => {
    await page.locator("#zone").fill("UTC");
    await page.locator("#zone").dispatchEvent("change");
    await page.locator("#share").click();
    await expect.poll(() => page.locator("#share-status").innerText()).toMatch(/Link in the address bar/);
    const url = page.url();
    expect(url).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const text = await editorText();
    const other = await browser.newPage();
    await other.goto(url);
    await other.waitForSelector("[data-testid='count-essaiDaf']");
    expect(await other.evaluate(() => (window as unknown as { playground: { view: { state: { doc: { toString(): string } } } } }).playground.view.state.doc.toString())).toBe(text);
    expect(await other.inputValue("#zone")).toBe("UTC");
    await other.close();
    // Text that does not compress: past the stated limit, a message and no link.
    await page.evaluate(() => {
      const { view } = (window as unknown as { playground: { view: { state: { doc: { length: number } }; dispatch(t: unknown): void } } }).playground;
      let junk = "";
      for (let i = 0; i < 12000; i++) junk += String.fromCharCode(97 + ((i * 7919) % 26)) + ((i * 104729) % 97).toString(36);
      view.dispatch({ changes: { from: view.state.doc.length, insert: `\n# ${junk}\n` } });
    });
    await page.locator("#share").click();
    await expect.poll(() => page.locator("#share-status").innerText()).toMatch(/too long to share in a link: .* the limit is 8,000/);
  });
});
