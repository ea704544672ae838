/**
 * The terminal rendering of a run: segment sizes and shares (and, per channel, how many of each
 * segment it reaches), channels, split arms, score distributions, lifecycle funnels, tiers, RFM,
 * and (for `report`) the library's analysis: reach per segment and channel, data quality,
 * outcome rates per segment and split arm, overlaps and hygiene warnings.
 */
import type { RunSummary } from "./engine.js";
import { bar, heading, int, num, pct, plural, renderDiagnostic, table } from "./format.js";
import type { Colors } from "./io.js";
import type { RulesFile } from "./options.js";

const SPARK = "▁▂▃▄▅▆▇█";

/** `▁▃█▅▂` for counts. */
export function sparkline(counts: readonly number[]): string {
  const max = Math.max(0, ...counts);
  return counts.map((n) => (n === 0 ? " " : SPARK[Math.min(7, Math.floor((n / max) * 7.999))]!)).join("");
}

const cutText = (v: number, dates: boolean | undefined) => (dates ? new Date(v).toISOString().slice(0, 10) : num(v));

export function renderSummary(s: RunSummary, c: Colors, rules?: RulesFile): string {
  const out: string[] = [];
  const n = s.records;
  const share = (k: number) => (n ? k / n : 0);

  const channels = s.channels ?? [];
  if (s.segments.length) {
    out.push(heading(c, "Segments"));
    // One more column per channel: the segment's records it reaches.
    const rows = s.segments.map((seg, i) => [seg.name, c.cyan(bar(seg.share, 24)), int(seg.size), pct(seg.share), ...channels.map((ch) => int(ch.segments[i]?.reachable ?? 0))]);
    if (s.analysis) rows.push([c.dim("(in no segment)"), c.dim(bar(s.analysis.unsegmented.share, 24)), int(s.analysis.unsegmented.count), pct(s.analysis.unsegmented.share)]);
    const head = [c.dim("segment"), "", c.dim("records"), c.dim("share"), ...channels.map((ch) => c.dim(`→ ${ch.name}`))];
    out.push(table([head, ...rows], ["left", "left", "right", "right", ...channels.map(() => "right" as const)]), "");
  }

  if (channels.length) {
    out.push(`${heading(c, "Channels")} ${c.dim("(unknown is not reachable)")}`);
    const head = [c.dim("channel"), "", c.dim("reachable"), c.dim("share"), c.dim("unknown"), c.dim("in a segment")];
    const rows = channels.map((ch) => [ch.name, c.cyan(bar(share(ch.reachable), 24)), int(ch.reachable), pct(share(ch.reachable)), int(ch.unknown), int(ch.inSegment)]);
    out.push(table([head, ...rows], ["left", "left", "right", "right", "right", "right"]), "");
  }

  for (const sp of s.splits ?? []) {
    out.push(heading(c, `Split ${sp.name}`));
    const rows = sp.arms.map((a) => [a.name, c.cyan(bar(share(a.count), 24)), int(a.count), pct(share(a.count))]);
    if (sp.unknown) rows.push([c.dim("(no arm)"), "", int(sp.unknown), pct(share(sp.unknown))]);
    out.push(table(rows, ["left", "left", "right", "right"]), "");
  }

  if (s.scores.length) {
    out.push(heading(c, "Scores"));
    const head = ["score", "min", "p25", "median", "p75", "max", "mean", "distribution"].map((h) => c.dim(h));
    const rows = s.scores.map((sc) => [sc.name, num(sc.min), num(sc.p25), num(sc.median), num(sc.p75), num(sc.max), num(sc.mean), c.cyan(sparkline(sc.histogram.map((b) => b.count)))]);
    out.push(table([head, ...rows], ["left", "right", "right", "right", "right", "right", "right", "left"]), "");
  }

  for (const l of s.lifecycles) {
    out.push(heading(c, `Lifecycle ${l.name}`));
    const rows = l.stages.map((st) => [st.name, c.cyan(bar(share(st.reached), 24)), int(st.count), int(st.reached), pct(share(st.reached))]);
    if (l.none) rows.push([c.dim("(no stage)"), "", int(l.none), "", ""]);
    out.push(table([[c.dim("stage"), "", c.dim("at stage"), c.dim("reached"), c.dim("share")], ...rows], ["left", "left", "right", "right", "right"]), "");
  }

  for (const t of s.tiers) {
    const how = t.method === "quantiles" ? `quantiles${t.cuts?.length ? `, cuts ${t.cuts.map((v) => cutText(v, t.dates)).join(" / ")}` : ""}` : "thresholds";
    out.push(`${heading(c, `Tiers ${t.name}`)} ${c.dim(`(${how})`)}`);
    const rows = t.tiers.map((x) => [x.name, c.cyan(bar(share(x.count), 24)), int(x.count), pct(share(x.count))]);
    if (t.unknown) rows.push([c.dim("(unknown)"), "", int(t.unknown), pct(share(t.unknown))]);
    out.push(table(rows, ["left", "left", "right", "right"]), "");
  }

  for (const r of s.rfm) {
    const scored = n - r.unscored;
    out.push(`${heading(c, `RFM ${r.name}`)} ${c.dim(`(${plural(scored, "customer")} scored, ${int(r.unscored)} never bought)`)}`);
    out.push(table(r.names.map((x) => [x.name, c.cyan(bar(scored ? x.count / scored : 0, 24)), int(x.count), pct(scored ? x.count / scored : 0)]), ["left", "left", "right", "right"]));
    const grid = [5, 4, 3, 2, 1].map((rr) => [c.dim(`R${rr}`), ...r.grid[rr - 1]!.map(int)]);
    out.push(table([[c.dim("R \\ F"), ...[1, 2, 3, 4, 5].map((f) => c.dim(`F${f}`))], ...grid], ["left", "right", "right", "right", "right", "right"]), "");
  }

  const a = s.analysis;
  if (a) out.push(...renderCampaign(s, c));
  if (a) {
    const pairs = [...a.overlaps].filter((o) => o.count > 0).sort((x, y) => y.jaccard - x.jaccard).slice(0, 8);
    if (pairs.length) {
      out.push(heading(c, "Largest overlaps"));
      out.push(table([[c.dim("segments"), "", c.dim("in both"), c.dim("jaccard")], ...pairs.map((o) => [`${o.a} ∩ ${o.b}`, "", int(o.count), num(o.jaccard)])], ["left", "left", "right", "right"]), "");
    }
    if (s.engine) {
      out.push(`${heading(c, "Not in this report")} ${c.dim(`(--engine ${s.engine.name}: these need the records in this process; run without --engine for them)`)}`);
      for (const o of s.engine.omitted) out.push(`  ${c.dim("·")} ${o}`);
      out.push("");
    }
    out.push(heading(c, "Hygiene"));
    if (!a.warnings.length) out.push(`  ${c.green("✓")} no warnings`);
    for (const w of a.warnings) out.push(renderDiagnostic(w, rules?.source, rules?.file, c).replace(/^/gm, "  "));
    out.push("");
  }
  return out.join("\n");
}

/** How many fields and causes the terminal lists (the JSON and HTML reports have them all). */
const TOP_FIELDS = 8;
const TOP_CAUSES = 3;

/** `12.3%` for a rate, `–` when there is none. */
const rateText = (v: number | null) => (v === null ? "–" : pct(v));
/** `[10.1%, 14.9%]`. */
const interval = (low: number | null, high: number | null) => (low === null || high === null ? "" : `[${pct(low)}, ${pct(high)}]`);
/** `+2.1 pts` (a difference of rates, in percentage points). */
export const points = (v: number) => `${v > 0 ? "+" : v < 0 ? "−" : ""}${Math.abs(v * 100).toFixed(1)} pts`;
/** `×1.42`. */
const liftText = (v: number | null) => (v === null ? "–" : `×${v.toFixed(2)}`);

/**
 * The analysis' campaign parts (analyze's numbers as they are): reach per segment and channel,
 * data quality, outcomes per segment and per split arm.
 */
export function renderCampaign(s: RunSummary, c: Colors): string[] {
  const a = s.analysis!;
  const out: string[] = [];
  const channels = [...new Set(a.reach.map((r) => r.channel))];
  if (channels.length && a.segments.length) {
    out.push(`${heading(c, "Reach")} ${c.dim("(per segment and channel: reached, excluded — consent false or unknown)")}`);
    const head = [c.dim("segment"), c.dim("records"), ...channels.flatMap((ch) => [c.dim(`→ ${ch}`), c.dim("excluded"), c.dim("share")])];
    const rows = a.segments.map((seg) => [
      seg.name,
      int(seg.size),
      ...channels.flatMap((ch) => {
        const r = a.reach.find((x) => x.segment === seg.name && x.channel === ch)!;
        return [int(r.size), int(r.excluded), seg.size ? pct(r.size / seg.size) : "–"];
      }),
    ]);
    out.push(table([head, ...rows], ["left", "right", ...channels.flatMap(() => ["right", "right", "right"] as const)]), "");
  }

  const fields = a.coverage.fields.filter((f) => f.unknown > 0).sort((x, y) => y.unknown - x.unknown);
  const lost = a.coverage.segments.filter((g) => g.unknown > 0);
  if (a.coverage.fields.length) {
    out.push(`${heading(c, "Data quality")} ${c.dim("(unknown: missing, null or not of its type; a rule cannot see those records)")}`);
    if (!fields.length) out.push(`  ${c.green("✓")} every field the rules read is known on every record`);
    else {
      const rows = fields.slice(0, TOP_FIELDS).map((f) => [f.field, c.yellow(bar(f.share, 24)), int(f.unknown), pct(f.share)]);
      if (fields.length > TOP_FIELDS) rows.push([c.dim(`(${plural(fields.length - TOP_FIELDS, "more field")})`), "", "", ""]);
      out.push(table([[c.dim("field"), "", c.dim("unknown"), c.dim("share")], ...rows], ["left", "left", "right", "right"]));
    }
    if (lost.length) {
      out.push("");
      const rows = lost.map((g) => [
        g.name,
        int(g.unknown),
        pct(g.share),
        g.fields
          .slice(0, TOP_CAUSES)
          .map((f) => `${f.field} ${int(f.count)}`)
          .join(", "),
      ]);
      out.push(table([[c.dim("segment"), c.dim("cannot see"), c.dim("share"), c.dim("because of (records)")], ...rows], ["left", "right", "right", "left"]));
    }
    out.push("");
  }

  if (a.outcomes.length) {
    out.push(`${heading(c, `Outcome ${s.outcome ?? ""}`.trimEnd())} ${c.dim("(per segment: rate with its 95% interval, lift over all the records)")}`);
    const head = ["segment", "n", "positives", "rate", "95% interval", "lift"].map((h) => c.dim(h));
    const rows = a.outcomes.map((o) => [o.segment, int(o.n), int(o.positives), rateText(o.rate), interval(o.low, o.high), liftText(o.lift)]);
    out.push(table([head, ...rows], ["left", "right", "right", "right", "left", "right"]), "");
  }
  const splits = [...new Set(a.splits.map((x) => x.split))];
  for (const name of splits) {
    const arms = a.splits.filter((x) => x.split === name);
    if (arms.every((x) => x.positives === null)) continue; // without --outcome: the arm counts are above
    out.push(`${heading(c, `Split ${name}: ${s.outcome ?? "outcome"}`)} ${c.dim(`(difference with ${arms[0]!.arm}, 95% interval)`)}`);
    const head = ["arm", "n", "positives", "rate", "95% interval", "difference", "95% interval"].map((h) => c.dim(h));
    const rows = arms.map((x) => [
      x.arm,
      int(x.n),
      int(x.positives ?? 0),
      rateText(x.rate),
      interval(x.low, x.high),
      x.diff === null ? "" : points(x.diff),
      x.diffLow === null || x.diffHigh === null ? "" : `[${points(x.diffLow)}, ${points(x.diffHigh)}]`,
    ]);
    out.push(table([head, ...rows], ["left", "right", "right", "right", "left", "right", "left"]), "");
  }
  return out;
}
