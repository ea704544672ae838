/**
 * The HTML report of `cible report --html`: one self-contained page (inline CSS and inline SVG
 * charts drawn here in TypeScript; no script, nothing fetched when it is viewed).
 *
 * Charts: segment sizes (bars), reach per segment and channel (reached and excluded), data quality
 * (fields by unknown share), outcome rates with their 95% intervals (per segment, per split arm,
 * and the arms side by side per segment), overlap heat map (Jaccard index per pair), lifecycle
 * funnels, score histograms, tiers, RFM grid (recency × frequency). Every chart is an `<svg class="chart">`
 * whose marks carry `class="mark"` and a `<title>` tooltip (the browser test counts the charts
 * whose marks were laid out with a size). The data the run could not read — cells that did not
 * read as their column's type, NDJSON lines that were not a JSON object — is counted and shown.
 */
import type { AnalyzeReport } from "../index.js";
import { ACCENT, WARN, barChart, esc, funnel, histogram, label, overlapMatrix, rfmGrid, svg, tiersBlock } from "./charts.js";
import type { RunSummary } from "./engine.js";
import { int, num, pct } from "./format.js";
import { points } from "./summary.js";
import type { RulesFile } from "./options.js";

export interface HtmlContext {
  readonly rules: RulesFile;
  readonly data: string;
  readonly schema: string;
  readonly now: Date;
  readonly timeZone: string;
  readonly generated: Date;
  /** CSV cells that did not read as their column's type (rules saw them as unknown). */
  readonly unreadCells?: readonly { field: string; expected: string; count: number; examples: readonly { record: number; value: string }[] }[];
  /** NDJSON lines that were not a JSON object, left out. */
  readonly badLines?: { readonly count: number; readonly first: readonly { line: number; reason: string }[] };
}

/** ` · 12 cells not read`, for the header line. */
function unreadNote(ctx: HtmlContext): string {
  const cells = (ctx.unreadCells ?? []).reduce((n, p) => n + p.count, 0);
  const bad = ctx.badLines?.count ?? 0;
  const parts = [cells ? `${int(cells)} cell${cells === 1 ? "" : "s"} not read` : "", bad ? `${int(bad)} line${bad === 1 ? "" : "s"} left out` : ""].filter(Boolean);
  return parts.length ? ` (<a href="#unread">${parts.join(", ")}</a>)` : "";
}

/** What could not be read, or nothing when everything was. */
function unreadSection(ctx: HtmlContext): string {
  const cells = ctx.unreadCells ?? [];
  const bad = ctx.badLines?.count ?? 0;
  if (!cells.length && !bad) return "";
  const parts: string[] = [];
  const cellCount = cells.reduce((n, p) => n + p.count, 0);
  if (cellCount) {
    parts.push(
      `<p>${int(cellCount)} cell${cellCount === 1 ? "" : "s"} did not read as ${cellCount === 1 ? "its" : "their"} column's type; rules saw them as unknown (never true, never false).</p>`,
      `<table class="unread"><thead><tr><th>column</th><th>expected</th><th>cells</th><th>for example</th></tr></thead><tbody>${cells
        .map(
          (p) =>
            `<tr><td>${esc(p.field)}</td><td>${esc(p.expected)}</td><td class="num">${int(p.count)}</td><td>${p.examples.map((x) => `record ${int(x.record)}: <code>${esc(JSON.stringify(x.value))}</code>`).join(", ")}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    );
  }
  if (bad) {
    const first = ctx.badLines!.first.map((b) => `<li>line ${int(b.line)}: ${esc(b.reason)}</li>`).join("");
    const more = bad > ctx.badLines!.first.length ? `<li>and ${int(bad - ctx.badLines!.first.length)} more</li>` : "";
    parts.push(`<p>${int(bad)} line${bad === 1 ? " was" : "s were"} not a JSON object and ${bad === 1 ? "was" : "were"} left out: the counts below do not include ${bad === 1 ? "it" : "them"}.</p><ul>${first}${more}</ul>`);
  }
  const badge = cellCount + bad;
  return `<section id="unread"><h2>Data not read <span class="badge warn">${int(badge)}</span></h2>${parts.join("")}</section>`;
}


const GREY = "#d1d5db";

/** Per segment, a bar per channel: reached (blue) and excluded (grey), 100% = the segment. */
function reachChart(a: AnalyzeReport): string {
  const channels = [...new Set(a.reach.map((r) => r.channel))];
  const rowH = 20;
  const groupH = channels.length * rowH + 12;
  const labelW = 190;
  const barW = 360;
  const parts: string[] = [];
  a.segments.forEach((seg, i) => {
    const y0 = 5 + i * groupH;
    parts.push(label(seg.name, labelW - 10, y0 + 14, 26));
    channels.forEach((ch, j) => {
      const r = a.reach.find((x) => x.segment === seg.name && x.channel === ch)!;
      const y = y0 + j * rowH;
      const share = seg.size ? r.size / seg.size : 0;
      const w = share * barW;
      const tip = `${esc(seg.name)} → ${esc(ch)}: ${int(r.size)} reached, ${int(r.excluded)} excluded (${pct(share)} reached)`;
      parts.push(
        `<rect class="mark" x="${labelW}" y="${y + 3}" width="${barW}" height="${rowH - 6}" rx="2" fill="${GREY}"><title>${tip}</title></rect>`,
        w > 0 ? `<rect x="${labelW}" y="${y + 3}" width="${Math.max(1.5, w).toFixed(1)}" height="${rowH - 6}" rx="2" fill="${ACCENT}"><title>${tip}</title></rect>` : "",
        `<text x="${labelW + barW + 8}" y="${y + 14}" class="value">${esc(ch)}: ${int(r.size)} reached · ${int(r.excluded)} excluded · ${pct(share)}</text>`,
      );
    });
  });
  return svg(labelW + barW + 330, a.segments.length * groupH + 10, "Reach per segment and channel", parts.join(""));
}

/** One row of a rate chart: a dot at the rate, a whisker over its 95% interval. */
interface RateRow {
  readonly name: string;
  readonly n: number;
  readonly positives: number;
  readonly rate: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Rows of a group (a segment's arms) share a label and sit together. */
  readonly group?: string;
  readonly color?: string;
}

const ARM_COLORS = ["#6b7280", ACCENT, "#16a34a", "#d97706", "#9333ea", "#dc2626"];

/** Rates with their 95% intervals on a common axis from 0. */
function rateChart(rows: readonly RateRow[], title: string): string {
  const rowH = 22;
  const labelW = 230;
  const plotW = 420;
  const top = 22;
  const max = Math.min(1, Math.max(0.01, ...rows.map((r) => r.high ?? 0)) * 1.1);
  const x = (v: number) => labelW + (v / max) * plotW;
  const parts: string[] = [];
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    parts.push(`<line x1="${x(v).toFixed(1)}" y1="${top - 4}" x2="${x(v).toFixed(1)}" y2="${top + rows.length * rowH}" stroke="#e5e7eb"/>`, `<text x="${x(v).toFixed(1)}" y="${top - 8}" text-anchor="middle" class="axis">${pct(v)}</text>`);
  }
  let last: string | undefined;
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    const name = r.group === undefined ? r.name : r.group === last ? r.name : `${r.group} · ${r.name}`;
    last = r.group;
    parts.push(label(name, labelW - 10, y + 4, 32));
    if (r.rate === null || r.low === null || r.high === null) {
      parts.push(`<text x="${labelW + 4}" y="${y + 4}" class="value">no record with a known outcome</text>`);
      return;
    }
    const color = r.color ?? ACCENT;
    const tip = `${esc(r.group === undefined ? r.name : `${r.group} · ${r.name}`)}: ${pct(r.rate)} (${int(r.positives)} of ${int(r.n)}), 95% interval ${pct(r.low)} to ${pct(r.high)}`;
    parts.push(
      `<rect x="${x(r.low).toFixed(1)}" y="${y - 1}" width="${Math.max(1, x(r.high) - x(r.low)).toFixed(1)}" height="2" fill="${color}"/>`,
      `<rect x="${x(r.low).toFixed(1)}" y="${y - 5}" width="1.5" height="10" fill="${color}"/><rect x="${(x(r.high) - 1.5).toFixed(1)}" y="${y - 5}" width="1.5" height="10" fill="${color}"/>`,
      `<circle class="mark" cx="${x(r.rate).toFixed(1)}" cy="${y}" r="4.5" fill="${color}"><title>${tip}</title></circle>`,
      `<text x="${labelW + plotW + 12}" y="${y + 4}" class="value">${pct(r.rate)} [${pct(r.low)}, ${pct(r.high)}] · n ${int(r.n)}</text>`,
    );
  });
  return svg(labelW + plotW + 230, top + rows.length * rowH + 10, title, parts.join(""));
}

/** Reach: the chart and, per segment and channel, the counts. */
function reachSection(a: AnalyzeReport): string {
  if (!a.reach.length || !a.segments.length) return "";
  const small = a.warnings.filter((w) => w.code === "rules.small-reach");
  const notes = small.length ? `<ul class="warnings">${small.map((w) => `<li><span class="code">${esc(w.code)}</span> ${esc(w.message)}</li>`).join("")}</ul>` : "";
  return `<section id="reach"><h2>Reach</h2><p class="muted">Per segment, the records each channel may reach (its condition true) and those it excludes (false or unknown: unknown consent is not consent). 100% is the segment.</p>${notes}${reachChart(a)}</section>`;
}

/** Data quality: fields by unknown share, and per segment the records lost to missing data. */
function dataQualitySection(a: AnalyzeReport, total: number): string {
  const { fields, segments } = a.coverage;
  if (!fields.length) return "";
  const unknown = fields.filter((f) => f.unknown > 0).sort((x, y) => y.unknown - x.unknown);
  const lost = segments.filter((g) => g.unknown > 0);
  const fieldShare = new Map(fields.map((f) => [f.field, f.share]));
  const sentences = lost
    .filter((g) => g.fields.length)
    .map((g) => {
      const top = g.fields[0]!;
      return `<li><code>${esc(top.field)}</code> is missing for ${pct(fieldShare.get(top.field) ?? 0)} of the records: <strong>${esc(g.name)}</strong> cannot see ${int(top.count)} of them${g.fields.length > 1 ? ` (and ${g.fields.slice(1).map((f) => `<code>${esc(f.field)}</code> for ${int(f.count)}`).join(", ")})` : ""}.</li>`;
    })
    .join("");
  const table = lost.length
    ? `<table class="data"><thead><tr><th>segment</th><th>cannot see</th><th>share</th><th>because of (records)</th></tr></thead><tbody>${lost
        .map((g) => `<tr><td>${esc(g.name)}</td><td class="num">${int(g.unknown)}</td><td class="num">${pct(g.share)}</td><td>${g.fields.map((f) => `${esc(f.field)} ${int(f.count)}`).join(", ")}</td></tr>`)
        .join("")}</tbody></table>`
    : `<p class="ok">✓ No segment leaves a record unknown.</p>`;
  const chart = unknown.length
    ? barChart(unknown.map((f) => ({ name: f.field, count: f.unknown })), total, "Fields by unknown share", WARN)
    : `<p class="ok">✓ Every field the rules read is known on every record.</p>`;
  return `<section id="data-quality"><h2>Data quality</h2><p class="muted">Fields the rules read, by the share of records where they are unknown (missing, null, or not of their type); per segment, the records it can tell neither in nor out, and the fields behind them.</p>${chart}${sentences ? `<ul class="lost">${sentences}</ul>` : ""}${table}</section>`;
}

/** Outcomes: per segment, per split arm (with the difference with the first arm), arms side by side per segment. */
function outcomeSection(a: AnalyzeReport, outcome: string | undefined): string {
  if (!a.outcomes.length) return "";
  const name = outcome === undefined ? "" : ` <code>${esc(outcome)}</code>`;
  const parts: string[] = [
    `<p class="muted">The share of records with a true outcome${name}, with its Wilson 95% interval (the whisker); records whose outcome is unknown are left out of n. Lift: the rate over the rate of all the records.</p>`,
    rateChart(a.outcomes.map((o) => ({ name: `${o.segment} (×${o.lift === null ? "–" : o.lift.toFixed(2)})`, n: o.n, positives: o.positives, rate: o.rate, low: o.low, high: o.high })), "Outcome rate per segment"),
  ];
  for (const split of [...new Set(a.splits.map((x) => x.split))]) {
    const arms = a.splits.filter((x) => x.split === split);
    const color = new Map(arms.map((x, i) => [x.arm, ARM_COLORS[i % ARM_COLORS.length]!]));
    const rows = arms
      .map(
        (x) =>
          `<tr><td><span class="swatch" style="background:${color.get(x.arm)}"></span>${esc(x.arm)}</td><td class="num">${int(x.n)}</td><td class="num">${int(x.positives ?? 0)}</td><td class="num">${x.rate === null ? "–" : pct(x.rate)}</td><td>${x.low === null || x.high === null ? "" : `[${pct(x.low)}, ${pct(x.high)}]`}</td><td class="num">${x.diff === null ? "" : points(x.diff)}</td><td>${x.diffLow === null || x.diffHigh === null ? "" : `[${points(x.diffLow)}, ${points(x.diffHigh)}]`}</td></tr>`,
      )
      .join("");
    const perSegment = a.segmentSplits.filter((x) => x.split === split);
    parts.push(
      `<h3>Split ${esc(split)}</h3><p class="muted">Each arm against the first (${esc(arms[0]!.arm)}): the difference of rates in percentage points with its 95% interval (Newcombe's hybrid score); an interval that excludes 0 is a difference the data supports.</p>`,
      `<table class="data"><thead><tr><th>arm</th><th>n</th><th>positives</th><th>rate</th><th>95% interval</th><th>difference</th><th>95% interval</th></tr></thead><tbody>${rows}</tbody></table>`,
      `<div class="grid">${rateChart(arms.map((x) => ({ name: x.arm, n: x.n, positives: x.positives ?? 0, rate: x.rate, low: x.low, high: x.high, color: color.get(x.arm) })), `Split ${split}: outcome rate per arm`)}</div>`,
      perSegment.length
        ? `<h3>Split ${esc(split)}, arms side by side in each segment</h3>${rateChart(
            perSegment.map((x) => ({ group: x.segment, name: x.arm, n: x.n, positives: x.positives ?? 0, rate: x.rate, low: x.low, high: x.high, color: color.get(x.arm) })),
            `Split ${split}: outcome rate per segment and arm`,
          )}`
        : "",
    );
  }
  return `<section id="outcomes"><h2>Outcomes${name}</h2>${parts.join("")}</section>`;
}

export function htmlReport(s: RunSummary, ctx: HtmlContext): string {
  const a = s.analysis!;
  const total = s.records;
  const warnings = a.warnings.length
    ? `<ul class="warnings">${a.warnings
        .map((w) => `<li><span class="code">${esc(w.code)}</span> <span class="where">${esc(ctx.rules.file)}:${w.span.start.line}:${w.span.start.column}</span> ${esc(w.message)}${w.hint ? `<div class="hint">${esc(w.hint)}</div>` : ""}</li>`)
        .join("")}</ul>`
    : `<p class="ok">✓ No hygiene warning.</p>`;
  const segments = [...a.segments.map((x) => ({ name: x.name, count: x.size })), { name: "(in no segment)", count: a.unsegmented.count }];
  const sections: string[] = [];
  const unread = unreadSection(ctx);
  if (unread) sections.push(unread);
  if (s.engine) {
    sections.push(`<section><h2>Not in this report</h2><p class="muted">Computed with --engine ${esc(s.engine.name)}: these parts need the records in this process; run without --engine for them.</p><ul>${s.engine.omitted.map((o) => `<li>${esc(o)}</li>`).join("")}</ul></section>`);
  }
  sections.push(`<section><h2>Hygiene <span class="badge${a.warnings.length ? " warn" : ""}">${a.warnings.length}</span></h2>${warnings}</section>`);
  sections.push(`<section><h2>Segment sizes</h2><p class="muted">${int(total)} records; ${int(a.unsegmented.count)} (${pct(a.unsegmented.share)}) in no segment.</p>${barChart(segments, total, "Segment sizes")}</section>`);
  for (const part of [reachSection(a), dataQualitySection(a, total), outcomeSection(a, s.outcome)]) if (part) sections.push(part);
  sections.push(`<section><h2>Overlaps</h2><p class="muted">Jaccard index in percent: the records in both segments over the records in either. Hover a cell for counts.</p>${overlapMatrix(s)}</section>`);
  for (const l of s.lifecycles) sections.push(`<section><h2>Lifecycle ${esc(l.name)}</h2><p class="muted">Records that reached each stage (at that stage or a later one)${l.none ? `; ${int(l.none)} at no stage` : ""}.</p>${funnel(l, total)}</section>`);
  if (s.scores.length) {
    sections.push(
      `<section><h2>Scores</h2><div class="grid">${s.scores
        .map((sc) => `<div><h3>${esc(sc.name)} <span class="muted">median ${num(sc.median)} · mean ${num(sc.mean)} · ${num(sc.min)}–${num(sc.max)}</span></h3>${histogram(sc)}</div>`)
        .join("")}</div></section>`,
    );
  }
  if (s.tiers.length) sections.push(`<section><h2>Tiers</h2>${s.tiers.map((t) => tiersBlock(t, total)).join("")}</section>`);
  for (const r of s.rfm) {
    const scored = total - r.unscored;
    sections.push(
      `<section><h2>RFM ${esc(r.name)}</h2><p class="muted">${int(scored)} customers scored; ${int(r.unscored)} never bought.</p><div class="grid">${rfmGrid(r)}${barChart(r.names.map((x) => ({ name: x.name, count: x.count })), scored, `RFM ${r.name} segments`, "#15803d")}</div></section>`,
    );
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cible report · ${esc(ctx.rules.file)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; margin: 0; background: #f3f4f6; }
  header { background: #111827; color: #f9fafb; padding: 20px 32px; }
  header h1 { margin: 0 0 6px; font-size: 20px; }
  header p { margin: 0; color: #d1d5db; }
  header a { color: #fcd34d; }
  main { max-width: 1180px; margin: 0 auto; padding: 16px 32px 48px; }
  section { background: #fff; border-radius: 10px; padding: 16px 22px; margin: 16px 0; box-shadow: 0 1px 2px rgba(0,0,0,.06); overflow-x: auto; }
  h2 { font-size: 17px; margin: 0 0 8px; }
  h3 { font-size: 14px; margin: 14px 0 4px; }
  .muted { color: #6b7280; font-weight: normal; }
  .grid { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }
  svg text { font: 12px system-ui, sans-serif; fill: #1f2937; }
  svg text.value, svg text.axis { fill: #4b5563; }
  svg text.cell { font-size: 11px; }
  svg text.cell.strong { font-weight: 600; font-size: 13px; }
  svg text.cell.small { font-size: 10.5px; }
  .warnings { padding-left: 18px; margin: 6px 0; }
  .warnings li { margin: 6px 0; }
  .code { font-family: ui-monospace, monospace; color: ${WARN}; }
  .where { font-family: ui-monospace, monospace; color: #6b7280; }
  .hint { color: #0e7490; }
  .ok { color: #15803d; }
  .badge { display: inline-block; min-width: 20px; padding: 0 6px; border-radius: 10px; background: #dcfce7; color: #166534; font-size: 12px; text-align: center; }
  .badge.warn { background: #fef3c7; color: #92400e; }
  table.unread { border-collapse: collapse; margin: 6px 0; }
  table.unread th, table.unread td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid #e5e7eb; }
  table.unread td.num { text-align: right; }
  table.data { border-collapse: collapse; margin: 8px 0; }
  table.data th, table.data td { text-align: left; padding: 3px 14px 3px 0; border-bottom: 1px solid #e5e7eb; }
  table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
  ul.lost { padding-left: 18px; }
  footer { color: #6b7280; font-size: 12px; text-align: center; padding-bottom: 24px; }
</style>
</head>
<body>
<header>
  <h1>Segment report · ${esc(ctx.rules.file)}</h1>
  <p>${int(total)} records from ${esc(ctx.data)}${unreadNote(ctx)} · now ${esc(ctx.now.toISOString())} (${esc(ctx.timeZone)}) · schema ${esc(ctx.schema)}</p>
</header>
<main>
${sections.join("\n")}
</main>
<footer>Generated by cible on ${esc(ctx.generated.toISOString())}. Self-contained: no network needed to view it.</footer>
</body>
</html>
`;
}
