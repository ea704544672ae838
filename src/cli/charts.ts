/**
 * The report's charts as SVG text: bars, the lifecycle funnel, score histograms, tiers, the
 * overlap heat map and the RFM grid. Pure functions of the summaries (no Node API), shared by
 * the HTML report (html.ts) and the playground page (docs/playground/), which draws the same
 * charts in the browser as the rules change.
 */
import { RFM_GRID } from "../index.js";
import type { RunSummary } from "./engine.js";
import { int, num, pct } from "./format.js";
import type { RfmSummary } from "./population.js";
import type { LifecycleSummary, ScoreSummary, TiersSummary } from "./stats.js";

export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

export const ACCENT = "#2563eb";
export const WARN = "#d97706";

/** A label cut to `max` characters, with the full text in a tooltip. */
export function label(text: string, x: number, y: number, max: number, anchor = "end", extra = ""): string {
  const shown = [...text].length > max ? `${[...text].slice(0, max - 1).join("")}…` : text;
  return `<text x="${x}" y="${y}" text-anchor="${anchor}" ${extra}><title>${esc(text)}</title>${esc(shown)}</text>`;
}

/** Horizontal bars: one row per item, value and share at the right. */
export function barChart(items: readonly { name: string; count: number }[], total: number, title: string, color = ACCENT): string {
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

export function svg(width: number, height: number, title: string, body: string): string {
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

/** White to blue for 0–1. */
export function heat(t: number): string {
  const v = Math.max(0, Math.min(1, t));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * v);
  return `rgb(${mix(248, 30)},${mix(250, 64)},${mix(252, 175)})`;
}

export function overlapMatrix(s: RunSummary): string {
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

export function funnel(l: LifecycleSummary, total: number): string {
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

export function histogram(sc: ScoreSummary): string {
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

export const RFM_COLORS: Record<string, string> = {
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

export function rfmGrid(r: RfmSummary): string {
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

export function tiersBlock(t: TiersSummary, total: number): string {
  const items = [...t.tiers.map((x) => ({ name: x.name, count: x.count })), ...(t.unknown ? [{ name: "(unknown)", count: t.unknown }] : [])];
  const cuts = t.cuts?.length ? ` · cuts ${t.cuts.map((v) => (t.dates ? new Date(v).toISOString().slice(0, 10) : num(v))).join(" / ")}` : "";
  return `<h3>${esc(t.name)} <span class="muted">(${t.method}${cuts})</span></h3>${barChart(items, total, `Tiers ${t.name}`, "#7c3aed")}`;
}
