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
import { RFM_GRID } from "../index.js";
import type { AnalyzeReport } from "../index.js";
import type { RunSummary } from "./engine.js";
import { int, num, pct } from "./format.js";
import { points } from "./summary.js";
import type { RulesFile } from "./options.js";
import type { LifecycleSummary, ScoreSummary, TiersSummary } from "./stats.js";
import type { RfmSummary } from "./population.js";

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

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

const ACCENT = "#2563eb";
const WARN = "#d97706";

/** A label cut to `max` characters, with the full text in a tooltip. */
function label(text: string, x: number, y: number, max: number, anchor = "end", extra = ""): string {
  const shown = [...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text;
  return `<text x="${x}" y="${y}" text-anchor="${anchor}" ${extra}><title>${esc(text)}</title>${esc(shown)}</text>`;
}

/** Horizontal bars: one row per item, value and share at the right. */
function barChart(items: readonly { name: string; count: number }[], total: number, title: string, color = ACCENT): string {
  const rowH = 26;
  const labelW = 190;
  const barW = 420;
  const width = labelW + barW + 150;
  const height = items.length * rowH + 10;
  const max = Math.max(1, ...items.map((i) => i.count));
  const rows = items
    .map((item, i) => {
      const y = 5 + i * rowH;
      const w = item.count === 0 ? 0 : Math.max(1.5, (item.count / max) * barW);
      const share = total ? item.count / total : 0;
      return [
        label(item.name, labelW - 10, y + 17, 26),
        `<rect class="mark" x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" rx="3" fill="${color}"><title>${esc(item.name)}: ${int(item.count)} (${pct(share)})</title></rect>`,
        `<text x="${labelW + w + 8}" y="${y + 17}" class="value">${int(item.count)} · ${pct(share)}</text>`,
      ].join("");
    })
    .join("");
  return svg(width, height, title, rows);
}

function svg(width: number, height: number, title: string, body: string): string {
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

/** White to blue for 0–1. */
function heat(t: number): string {
  const v = Math.max(0, Math.min(1, t));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * v);
  return `rgb(${mix(248, 30)},${mix(250, 64)},${mix(252, 175)})`;
}

function overlapMatrix(s: RunSummary): string {
  const a = s.analysis!;
  const names = a.segments.map((x) => x.name);
  const n = names.length;
  if (n < 2) return `<p class="muted">A heat map needs two segments or more.</p>`;
  const cell = Math.max(26, Math.min(46, Math.floor(560 / n)));
  const left = 190;
  const top = 150;
  // Room right of the grid for the last column's label: up to 22 characters (~7 px each)
  // rotated -55°, which reach cos(55°) of their length to the right.
  const right = Math.ceil(Math.cos((55 * Math.PI) / 180) * 22 * 7) + 12;
  const jac = new Map<string, { count: number; jaccard: number }>();
  for (const o of a.overlaps) {
    jac.set(`${o.a}\u0000${o.b}`, o);
    jac.set(`${o.b}\u0000${o.a}`, o);
  }
  const parts: string[] = [];
  names.forEach((name, i) => {
    parts.push(label(name, left - 8, top + i * cell + cell / 2 + 4, 26));
    const x = left + i * cell + cell / 2;
    parts.push(label(name, 0, 0, 22, "start", `transform="translate(${x + 4},${top - 8}) rotate(-55)"`));
  });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = left + j * cell;
      const y = top + i * cell;
      if (i === j) {
        const size = a.segments[i]!.size;
        parts.push(`<rect class="mark diag" x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="#e5e7eb"><title>${esc(names[i]!)}: ${int(size)} records</title></rect>`);
        continue;
      }
      const o = jac.get(`${names[i]}\u0000${names[j]}`)!;
      const t = o.jaccard;
      parts.push(
        `<rect class="mark" x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="${heat(Math.sqrt(t))}"><title>${esc(names[i]!)} ∩ ${esc(names[j]!)}: ${int(o.count)} in both, Jaccard ${num(t)}</title></rect>`,
      );
      if (cell >= 30 && o.count > 0) {
        parts.push(`<text x="${x + (cell - 2) / 2}" y="${y + cell / 2 + 3}" text-anchor="middle" class="cell" fill="${t > 0.35 ? "#fff" : "#1f2937"}">${Math.round(t * 100)}</text>`);
      }
    }
  }
  return svg(left + n * cell + right, top + n * cell + 10, "Overlap between segments (Jaccard index, %)", parts.join(""));
}

function funnel(l: LifecycleSummary, total: number): string {
  const rowH = 34;
  const mid = 190 + 210;
  const maxW = 420;
  const parts: string[] = [];
  l.stages.forEach((st, i) => {
    const y = 5 + i * rowH;
    const w = total ? Math.max(st.reached ? 2 : 0, (st.reached / total) * maxW) : 0;
    const prev = i === 0 ? total : l.stages[i - 1]!.reached;
    const conv = prev ? st.reached / prev : 0;
    parts.push(label(st.name, 180, y + 21, 24));
    parts.push(`<rect class="mark" x="${(mid - w / 2).toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" rx="3" fill="${ACCENT}" fill-opacity="${(1 - i * (0.5 / Math.max(1, l.stages.length))).toFixed(2)}"><title>${esc(st.name)}: ${int(st.count)} at this stage, ${int(st.reached)} reached it</title></rect>`);
    parts.push(`<text x="${mid + maxW / 2 + 12}" y="${y + 21}" class="value">${int(st.reached)} reached · ${pct(total ? st.reached / total : 0)}${i ? ` · ${pct(conv)} of the stage before` : ""}</text>`);
  });
  return svg(mid + maxW / 2 + 330, l.stages.length * rowH + 10, `Lifecycle ${l.name}`, parts.join(""));
}

function histogram(sc: ScoreSummary): string {
  const bins = sc.histogram;
  const width = 520;
  const height = 200;
  const left = 50;
  const bottom = 30;
  const plotW = width - left - 10;
  const plotH = height - bottom - 10;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const bw = bins.length ? plotW / bins.length : plotW;
  const parts: string[] = [
    `<line x1="${left}" y1="${10 + plotH}" x2="${left + plotW}" y2="${10 + plotH}" stroke="#9ca3af"/>`,
    `<text x="${left - 6}" y="${14}" text-anchor="end" class="axis">${int(max)}</text>`,
    `<text x="${left - 6}" y="${10 + plotH}" text-anchor="end" class="axis">0</text>`,
  ];
  bins.forEach((b, i) => {
    const h = b.count === 0 ? 0 : Math.max(1.5, (b.count / max) * plotH);
    const x = left + i * bw;
    parts.push(`<rect class="mark" x="${(x + 1).toFixed(1)}" y="${(10 + plotH - h).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${ACCENT}"><title>${num(b.from)} to ${num(b.to)}: ${int(b.count)} records</title></rect>`);
    if (bins.length <= 12 || i % Math.ceil(bins.length / 10) === 0) parts.push(`<text x="${x.toFixed(1)}" y="${height - 12}" class="axis" text-anchor="middle">${num(b.from)}</text>`);
  });
  if (bins.length) parts.push(`<text x="${(left + plotW).toFixed(1)}" y="${height - 12}" class="axis" text-anchor="middle">${num(bins[bins.length - 1]!.to)}</text>`);
  return svg(width, height, `Score ${sc.name}`, parts.join(""));
}

const RFM_COLORS: Record<string, string> = {
  champions: "#15803d",
  loyal: "#22c55e",
  "potential loyalists": "#84cc16",
  "new customers": "#06b6d4",
  promising: "#38bdf8",
  "need attention": "#eab308",
  "about to sleep": "#f59e0b",
  "at risk": "#f97316",
  "can't lose": "#dc2626",
  hibernating: "#9ca3af",
};

function rfmGrid(r: RfmSummary): string {
  const cw = 104;
  const ch = 64;
  const left = 60;
  const top = 30;
  const max = Math.max(1, ...r.grid.flat());
  const parts: string[] = [`<text x="${left + (5 * cw) / 2}" y="14" text-anchor="middle" class="axis">frequency score →</text>`];
  for (let f = 1; f <= 5; f++) parts.push(`<text x="${left + (f - 0.5) * cw}" y="${top + 5 * ch + 16}" text-anchor="middle" class="axis">F${f}</text>`);
  for (let row = 0; row < 5; row++) {
    const rr = 5 - row;
    parts.push(`<text x="${left - 10}" y="${top + row * ch + ch / 2 + 4}" text-anchor="end" class="axis">R${rr}</text>`);
    for (let f = 1; f <= 5; f++) {
      const count = r.grid[rr - 1]![f - 1]!;
      const name = RFM_GRID[rr - 1]![f - 1]!;
      const x = left + (f - 1) * cw;
      const y = top + row * ch;
      parts.push(
        `<rect class="mark" x="${x}" y="${y}" width="${cw - 3}" height="${ch - 3}" rx="4" fill="${RFM_COLORS[name] ?? "#9ca3af"}" fill-opacity="${(0.25 + 0.75 * (count / max)).toFixed(2)}"><title>R${rr} F${f} · ${esc(name)}: ${int(count)} customers</title></rect>`,
        `<text x="${x + (cw - 3) / 2}" y="${y + ch / 2 - 3}" text-anchor="middle" class="cell strong">${int(count)}</text>`,
        `<text x="${x + (cw - 3) / 2}" y="${y + ch / 2 + 13}" text-anchor="middle" class="cell small">${esc(name)}</text>`,
      );
    }
  }
  parts.push(`<text x="12" y="${top + (5 * ch) / 2}" class="axis" transform="rotate(-90 12 ${top + (5 * ch) / 2})" text-anchor="middle">recency score →</text>`);
  return svg(left + 5 * cw + 10, top + 5 * ch + 26, `RFM ${r.name}`, parts.join(""));
}

function tiersBlock(t: TiersSummary, total: number): string {
  const items = [...t.tiers.map((x) => ({ name: x.name, count: x.count })), ...(t.unknown ? [{ name: "(unknown)", count: t.unknown }] : [])];
  const cuts = t.cuts?.length ? ` · cuts ${t.cuts.map((v) => (t.dates ? new Date(v).toISOString().slice(0, 10) : num(v))).join(" / ")}` : "";
  return `<h3>${esc(t.name)} <span class="muted">(${t.method}${cuts})</span></h3>${barChart(items, total, `Tiers ${t.name}`, "#7c3aed")}`;
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
