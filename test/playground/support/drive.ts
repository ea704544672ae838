/**
 * Drives the playground in Chromium with playwright-core and prints, as one JSON line, what a user
 * would see at each step. test/playground/playground.test.ts runs it in a child process: the test
 * workers run with `--disallow-code-generation-from-strings` (a guard that the library never
 * evaluates text), and Playwright's Node side needs `new Function` to check the functions it sends
 * to the page. The test compares what is printed here with the library's own answers.
 *
 *   node --import tsx test/playground/support/drive.ts <url> <screenshot.png>
 */
import { chromium, type Page } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) throw new Error("usage: drive.ts <url> <screenshot.png>");

const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"];
type View = { state: { doc: { length: number; toString(): string } }; dispatch(t: unknown): void };

const editorText = (page: Page) => page.evaluate(() => (window as unknown as { playground: { view: View } }).playground.view.state.doc.toString());
const counts = (page: Page) =>
  page.$$eval("[data-testid^='count-']", (cells) => Object.fromEntries(cells.map((c) => [(c as HTMLElement).dataset.testid!.slice("count-".length), Number((c as HTMLElement).dataset.count)])));
const updates = (page: Page) => page.evaluate(() => Number(document.body.dataset.updated ?? 0));
const updatedAfter = (page: Page, n: number) => page.waitForFunction((k) => Number(document.body.dataset.updated ?? 0) > k, n);
const stale = (page: Page) => page.locator("#results.stale").count();

/**
 * Types a line's text key by key, closes any completion popup, and ends the line with a plain
 * newline (Enter would copy the line's indentation, or accept a completion).
 */
async function typeLine(page: Page, text: string, end = true): Promise<void> {
  await page.keyboard.type(text, { delay: 5 });
  await page.keyboard.press("Escape");
  if (end) await page.keyboard.insertText("\n");
}

async function toEnd(page: Page): Promise<void> {
  await page.locator("[data-testid='editor'] .cm-content").click();
  await page.keyboard.press("Control+End");
}

const report: Record<string, unknown> = {};
const failures: Record<string, string> = {};
report.failures = failures;
/** Runs one step; a failed step is recorded and the next one still runs. */
async function step(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    failures[name] = e instanceof Error ? e.message : String(e);
  }
}
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  report.errors = errors; // filled as the page reports them
  await page.goto(url);
  await page.waitForSelector("[data-testid='count-decideurs']");

  // 1. The demo, as it opens.
  await step("initial", async () => {
    await page.screenshot({ path: screenshot });
    report.initial = {
      text: await editorText(page),
      counts: await counts(page),
      keywordMarks: await page.locator(".cm-cible-keyword").count(),
      fieldMarks: await page.locator(".cm-cible-field").count(),
      charts: await page.locator("#charts svg.chart").count(),
      sql: await page.locator("[data-testid='sql'] pre").allInnerTexts(),
      fields: await page.locator("[data-testid='fields'] li").count(),
    };
    // Hover on the first field of the file (`secteur`, line 6): the service's markdown, rendered.
    await page.locator(".cm-cible-field").first().hover();
    const hover = page.locator(".cm-cible-hover");
    await hover.waitFor();
    (report.initial as Record<string, unknown>).hover = { text: await hover.innerText(), bold: await hover.locator("strong").allInnerTexts() };
    await page.mouse.move(5, 5);

  });

  // 2. A misspelt field: lint mark, did-you-mean, greyed results, the quick fix.
  await step("misspelt", async () => {
    await toEnd(page);
    await typeLine(page, "");
    await typeLine(page, "segment essai:");
    await typeLine(page, '  secteru = "santé"', false);
    const mark = page.locator(".cm-lintRange-error").first();
    await mark.waitFor();
    await page.waitForFunction(() => document.querySelector("#results.stale") !== null);
    const misspelt: Record<string, unknown> = {
      lintMarks: await page.locator(".cm-lintRange-error").count(),
      stale: await stale(page),
      diagnostics: await page.locator("[data-testid='diagnostics']").innerText(),
      countsWhileBroken: await counts(page),
    };
    report.misspelt = misspelt;
    await mark.hover();
    const tooltip = page.locator(".cm-tooltip-lint");
    await tooltip.waitFor();
    misspelt.tooltip = await tooltip.innerText();
    const before = await updates(page);
    await tooltip.locator(".cm-diagnosticAction").first().click();
    await updatedAfter(page, before);
    misspelt.textAfterFix = await editorText(page);
    misspelt.staleAfterFix = await stale(page);
    misspelt.countsAfterFix = await counts(page);

  });

  // 3. An enum value completed; its count follows.
  await step("completion", async () => {
    await toEnd(page);
    await typeLine(page, "");
    await typeLine(page, "");
    await typeLine(page, "segment essaiDaf:");
    await page.keyboard.type('  fonction = "DA', { delay: 5 });
    const popup = page.locator(".cm-tooltip-autocomplete");
    await popup.waitFor();
    const completion: Record<string, unknown> = { selected: await popup.locator("[aria-selected='true']").innerText() };
    report.completion = completion;
    // CodeMirror ignores Enter for a moment after the list changes (`interactionDelay`), so that
    // a fast typist's newline is not taken for a choice: pause as a reader of the list would.
    await page.waitForTimeout(300);
    const beforeAccept = await updates(page);
    await page.keyboard.press("Enter");
    await updatedAfter(page, beforeAccept);
    completion.text = await editorText(page);
    completion.counts = await counts(page);
    completion.sinceKeystrokeMs = await page.evaluate(() => Number(document.body.dataset.sinceKeystroke));
    completion.timing = await page.locator("[data-testid='timing']").innerText();

  });

  // 4. A record's explanations.
  await step("explanation", async () => {
    await page.locator("[data-testid='record-3']").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid='explanation'] pre").length > 0);
    report.explanation = { record: 3, text: await editorText(page), shown: await page.locator("[data-testid='explanation'] pre").allInnerTexts() };

  });

  // 5. Share: a link that reopens the same rules, now and zone; refused past the limit.
  await step("share", async () => {
    await page.locator("#zone").fill("UTC");
    await page.locator("#zone").dispatchEvent("change");
    await page.locator("#share").click();
    await page.waitForFunction(() => /Link in the address bar/.test(document.getElementById("share-status")!.textContent ?? ""));
    const shared = { url: page.url(), text: await editorText(page) } as Record<string, unknown>;
    report.share = shared;
    const other = await browser.newPage();
    await other.goto(page.url());
    await other.waitForSelector("[data-testid='count-essaiDaf']");
    shared.reopenedText = await editorText(other);
    shared.reopenedZone = await other.inputValue("#zone");
    shared.reopenedCounts = await counts(other);
    await other.close();
    await page.evaluate(() => {
      const { view } = (window as unknown as { playground: { view: View } }).playground;
      let junk = "";
      // Pseudo-random letters and digits (xorshift): text that deflate cannot shrink much.
      let x = 2463534242;
      for (let i = 0; i < 20000; i++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        junk += ((x >>> 0) % 36).toString(36);
      }
      view.dispatch({ changes: { from: view.state.doc.length, insert: `\n# ${junk}\n` } });
  });
  await page.locator("#share").click();
  await page.waitForFunction(() => /too long/.test(document.getElementById("share-status")!.textContent ?? ""));
  shared.tooLong = await page.locator("#share-status").innerText();
  });
} catch (e) {
  report.failure = e instanceof Error ? e.message : String(e);
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(report)}\n`);
