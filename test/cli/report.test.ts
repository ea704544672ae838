/**
 * `cible report` against the library on the generated demo base: the streamed analysis (sizes,
 * overlaps, warnings), quantile tiers and RFM equal what `analyze` and `assign` give over the
 * records in memory; the HTML page is self-contained and its charts render in headless Chromium.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../examples/generate.js";
import { Contact } from "../../examples/schema.js";
import { analyze, compileRules } from "../../src/index.js";
import { EXAMPLE_RULES, cli, scratch } from "./helpers.js";

const tmp = scratch();
const NOW = "2026-06-01T08:00:00Z";
const ctx = { now: new Date(NOW), timeZone: "Europe/Paris" };
let files: ReturnType<typeof generate>;
let report: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let html: string;
let stdout: string;

beforeAll(async () => {
  files = generate({ count: 3000, seed: 7, dir: tmp.dir });
  const htmlPath = join(tmp.dir, "report.html");
  const args = ["report", EXAMPLE_RULES, files.csv, "--schema", files.schema, "--now", NOW, "--tz", "Europe/Paris", "--html", htmlPath, "--outcome", "converti"];
  const json = await cli([...args, "--json"]);
  expect(json.code).toBe(0);
  report = JSON.parse(json.stdout);
  const text = await cli(args);
  expect(text.code).toBe(0);
  stdout = text.stdout;
  html = readFileSync(htmlPath, "utf8");
});

describe("cible report: the same numbers as the library over the records in memory", () => {
  const records = () => readFileSync(files.ndjson, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
  const rules = compileRules(readFileSync(EXAMPLE_RULES, "utf8"), Contact);

  it("sizes, overlaps, unsegmented, reach, coverage, outcomes, split arms and warnings equal analyze()", () => {
    const lib = analyze(rules, records(), ctx, { outcome: "converti" });
    expect(report.records).toBe(3000);
    const { unsegmented, ...rest } = lib;
    expect(report.analysis).toEqual({ ...rest, unsegmented: { count: unsegmented.count, share: unsegmented.share } });
    // Every part is there, for the demo's two channels and its split.
    expect(lib.reach.map((r) => r.channel)).toContain("telephone");
    expect(lib.coverage.fields.length).toBeGreaterThan(0);
    expect(lib.outcomes.length).toBe(lib.segments.length);
    expect(new Set(lib.splits.map((a) => a.split))).toEqual(new Set(["printemps"]));
    // The demo base leaves crm missing for a third of the contacts.
    expect(lib.warnings.map((w) => w.code)).toContain("rules.many-unknown");
    // 10 segments (the channels are not segments): not too many; campagneSante is small.
    expect(lib.warnings.map((w) => w.code)).toContain("rules.small-segment");
    expect(lib.warnings.map((w) => w.code)).not.toContain("rules.too-many-segments");
  });

  it("quantile tiers equal assign(): counts and cuts", () => {
    const potentiel = rules.tiers.potentiel!;
    if (potentiel.method !== "quantiles") throw new Error("quantiles expected");
    const lib = potentiel.assign(records(), ctx);
    const ours = report.tiers.find((t: { name: string }) => t.name === "potentiel");
    expect(ours.cuts).toEqual(lib.cuts);
    expect(ours.tiers).toEqual(potentiel.names.map((name) => ({ name, count: lib.tiers.filter((t) => t === name).length })));
  });

  it("RFM equals assign(): cuts, names, grid", () => {
    const lib = rules.rfm.clients!.assign(records(), ctx);
    const ours = report.rfm[0];
    expect(ours.cuts).toEqual(lib.cuts);
    const byName = new Map<string, number>();
    for (const n of lib.names) if (n) byName.set(n, (byName.get(n) ?? 0) + 1);
    expect(Object.fromEntries(ours.names.map((x: { name: string; count: number }) => [x.name, x.count]))).toEqual(Object.fromEntries(byName));
    const grid = [0, 1, 2, 3, 4].map(() => [0, 0, 0, 0, 0]);
    for (const s of lib.scores) if (s) grid[s.r - 1]![s.f - 1]!++;
    expect(ours.grid).toEqual(grid);
    expect(ours.unscored).toBe(lib.scores.filter((s, i) => !s && !lib.names[i]).length);
  });

  it("prints the terminal report: segments, funnel, tiers, RFM grid and hygiene warnings with frames", () => {
    for (const part of ["Segments", "(in no segment)", "Scores", "Lifecycle parcours", "Tiers valeur", "Tiers potentiel", "RFM clients", "Largest overlaps", "Hygiene"]) expect(stdout).toContain(part);
    expect(stdout).toMatch(/warning rules\.small-segment at .*b2b-france\.cible:\d+:9: The segment `campagneSante` selects only 21 records/);
    expect(stdout).toContain("HTML report:");
  });

  it("prints reach per segment and channel, data quality, outcomes and the split's arms, with the library's numbers", () => {
    const lib = analyze(rules, records(), ctx, { outcome: "converti" });
    for (const part of ["Reach", "Data quality", "Outcome converti", "Split printemps: converti"]) expect(stdout).toContain(part);
    // The lines from the Reach section on.
    const campaign = stdout.slice(stdout.indexOf("Reach"));
    const line = (start: string) => campaign.split("\n").find((l) => l.trimStart().startsWith(start)) ?? "";
    const fmt = (n: number) => n.toLocaleString("en-US");
    // equipesSalesforce: reached and excluded per channel, then the records it cannot see (crm).
    const reach = lib.reach.filter((r) => r.segment === "equipesSalesforce");
    expect(line("equipesSalesforce   ").split(/\s+/).filter(Boolean)).toEqual(expect.arrayContaining(reach.flatMap((r) => [fmt(r.size), fmt(r.excluded)])));
    const crm = lib.coverage.fields.find((f) => f.field === "crm")!;
    expect(line("crm ")).toContain(fmt(crm.unknown));
    const lost = lib.coverage.segments.find((g) => g.name === "equipesSalesforce")!;
    expect(campaign).toMatch(new RegExp(`equipesSalesforce\\s+${fmt(lost.unknown)}\\s+[\\d.]+%\\s+crm ${fmt(lost.fields[0]!.count)}`));
    // The split's arms: the first without a difference, the others with one and its interval.
    const [first, second] = lib.splits;
    expect(line(`${first!.arm} `)).not.toContain("pts");
    expect(line(`${second!.arm} `)).toMatch(/[+−]\d+\.\d pts\s+\[[+−]?\d+\.\d pts, [+−]?\d+\.\d pts\]/);
  });

  it("refuses an --outcome that is not a condition, before reading the data", async () => {
    const bad = await cli(["report", EXAMPLE_RULES, files.csv, "--schema", files.schema, "--now", NOW, "--outcome", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--outcome "nope": There is no field `nope`.');
    const share = await cli(["report", EXAMPLE_RULES, files.csv, "--schema", files.schema, "--min-reach-share", "2"]);
    expect(share.code).toBe(2);
    expect(share.stderr).toContain('--min-reach-share takes a share between 0 and 1, got "2"');
  });
});

describe("the HTML report", () => {
  it("is one self-contained page: inline SVG charts, nothing fetched", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<(script|img|iframe)[^>]+src=/i);
    // No script at all: the browser test brings its own (below).
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("data-charts");
    // Everything was read: no section about data not read.
    expect(html).not.toContain('id="unread"');
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/@import/i);
    // The only URL is the SVG namespace, which is a name, not a request.
    expect([...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((u) => u !== "http://www.w3.org/2000/svg")).toEqual([]);
    const charts = html.match(/<svg class="chart"/g) ?? [];
    // sizes, reach, fields by unknown share, outcome per segment, per arm and per segment × arm,
    // overlaps, 1 funnel, 2 histograms, 2 tiers, RFM grid and RFM names
    expect(charts.length).toBe(14);
    for (const id of ["reach", "data-quality", "outcomes"]) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain("rules.small-segment");
  });

  it("shows reach, data quality (in the issue's words) and outcomes with the library's numbers", () => {
    const records = readFileSync(files.ndjson, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    const lib = analyze(compileRules(readFileSync(EXAMPLE_RULES, "utf8"), Contact), records, ctx, { outcome: "converti" });
    const lost = lib.coverage.segments.find((g) => g.name === "equipesSalesforce")!;
    const crm = lib.coverage.fields.find((f) => f.field === "crm")!;
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    const int = (n: number) => n.toLocaleString("en-US");
    expect(html).toContain(`<code>crm</code> is missing for ${pct(crm.share)} of the records: <strong>equipesSalesforce</strong> cannot see ${int(lost.fields[0]!.count)} of them.`);
    const reach = lib.reach.find((r) => r.segment === "etiSante" && r.channel === "telephone")!;
    expect(html).toContain(`telephone: ${int(reach.size)} reached · ${int(reach.excluded)} excluded`);
    const o = lib.outcomes.find((x) => x.segment === "etiSante")!;
    expect(html).toContain(`${pct(o.rate!)} [${pct(o.low!)}, ${pct(o.high!)}] · n ${int(o.n)}`);
    expect(html).toContain("Split printemps, arms side by side in each segment");
  });

  it("escapes what comes from the files", async () => {
    const data = tmp.file("a&b<i>x.csv", "id,effectif\n1,10\n2,300\n");
    const rules = tmp.file("r.cible", "segment `grosses <b>`:\n  effectif >= 250\n");
    const out = join(tmp.dir, "escaped.html");
    expect((await cli(["report", rules, data, "--html", out])).code).toBe(0);
    const page = readFileSync(out, "utf8");
    expect(page).toContain("a&amp;b&lt;i&gt;x.csv");
    expect(page).toContain("grosses &lt;b&gt;");
    expect(page).not.toContain("<i>x");
    expect(page).not.toContain("grosses <b>");
  });

  it("shows the cells it could not read and the NDJSON lines it left out", async () => {
    const csv = tmp.file("unread.csv", "id,effectif,optin\n1,10,oui\n2,douze,oui\n3,300,peut-être\n4,treize,non\n");
    const rules = tmp.file("unread.cible", "segment grosses:\n  effectif >= 250\n");
    const schema = tmp.file("unread.schema.json", JSON.stringify({ type: "object", properties: { id: { type: "integer" }, effectif: { type: "integer" }, optin: { type: "boolean" } }, required: ["id", "effectif", "optin"] }));
    const out = join(tmp.dir, "unread.html");
    expect((await cli(["report", rules, csv, "--schema", schema, "--html", out])).code).toBe(0);
    const page = readFileSync(out, "utf8");
    expect(page).toContain("3 cells not read");
    expect(page).toContain("3 cells did not read as their column's type");
    expect(page).toMatch(/<td>effectif<\/td><td>[^<]+<\/td><td class="num">2<\/td><td>record 2: <code>&quot;douze&quot;<\/code>, record 4: <code>&quot;treize&quot;<\/code><\/td>/);
    expect(page).toMatch(/<td>optin<\/td><td>[^<]+<\/td><td class="num">1<\/td>/);
    const ndjson = tmp.file("unread.ndjson", '{"id":1,"effectif":10,"optin":true}\n{"id":2,"eff\n{"id":3,"effectif":300,"optin":false}\n');
    const out2 = join(tmp.dir, "unread2.html");
    expect((await cli(["report", rules, ndjson, "--schema", schema, "--html", out2])).code).toBe(1);
    const page2 = readFileSync(out2, "utf8");
    expect(page2).toContain("1 line left out");
    expect(page2).toMatch(/1 line was not a JSON object and was left out.*<li>line 2: not a JSON object/);
  });

  const chromium = "/usr/bin/chromium";
  const inCI = process.env.CI === "true" || process.env.CI === "1";
  it.skipIf(!existsSync(chromium) && !inCI)("renders its charts in headless Chromium", () => {
    expect(existsSync(chromium), "CI installs Debian's chromium package in .ci/run").toBe(true);
    // The report ships no script: the test adds one that counts, after layout, the charts whose
    // marks have a size, and writes it on <body> for --dump-dom to show.
    const page = join(tmp.dir, "report-under-test.html");
    writeFileSync(page, html.replace("</body>", `<script>${COUNT_DRAWN_CHARTS}</script>\n</body>`));
    const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", `--user-data-dir=${join(tmp.dir, "chromium-profile")}`];
    const dom = spawnSync(chromium, [...flags, "--virtual-time-budget=5000", "--dump-dom", `file://${page}`], { encoding: "utf8", timeout: 90_000 });
    expect(dom.status, dom.stderr).toBe(0);
    const body = /<body[^>]*>/.exec(dom.stdout)?.[0] ?? "";
    // The test's script ran after layout and found every chart drawn with a size.
    expect(body).toContain('data-charts="14"');
    expect(body).toContain('data-charts-rendered="14"');
    // The campaign sections were laid out with a size.
    expect(body).toContain('data-sections="reach data-quality outcomes"');
    // And a screenshot is not blank: many distinct colours were painted.
    const png = join(tmp.dir, "report.png");
    const shot = spawnSync(chromium, [...flags, "--window-size=1280,2400", `--screenshot=${png}`, `file://${page}`], { encoding: "utf8", timeout: 90_000 });
    expect(shot.status, shot.stderr).toBe(0);
    expect(readFileSync(png).length).toBeGreaterThan(50_000);
  }, 120_000);
});

/** Run in the page by the browser test only. */
const COUNT_DRAWN_CHARTS = `
  addEventListener("load", function () {
    var charts = document.querySelectorAll("svg.chart"), drawn = 0;
    charts.forEach(function (svg) {
      var marks = svg.querySelectorAll(".mark"), ok = false;
      marks.forEach(function (m) { var b = m.getBBox(); if (b.width > 0 && b.height > 0) ok = true; });
      if (ok) drawn++;
    });
    document.body.setAttribute("data-charts", String(charts.length));
    document.body.setAttribute("data-charts-rendered", String(drawn));
    var shown = ["reach", "data-quality", "outcomes"].filter(function (id) {
      var el = document.getElementById(id); return el && el.getBoundingClientRect().height > 100 && el.querySelector("svg.chart");
    });
    document.body.setAttribute("data-sections", shown.join(" "));
  });`;
